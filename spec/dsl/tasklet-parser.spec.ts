// The tasklet-language parser and printer: grammar, precedence, positions, interpolations, errors, round trip.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { allDTypes, f32, f64, i64 } from '../../graph/dtypes.js';
import { TaskletError } from '../../graph/errors.js';
import { floorDiv, max, min, mod, mul, sym, type Expr } from '../../graph/symbolic.js';
import type { AssignOp, BinaryOp, TExpr, TStmt, UnaryOp } from '../../graph/tasklet-ast.js';
import { evalBinary, evalCall, evalUnary } from '../../graph/tasklet-ops.js';
import { printNumber, printTaskletCode, printTExpr, printTStmts } from '../../graph/tasklet-print.js';
import { exprToTExpr, parseTasklet, parseTaskletExpr, taskletSourceText } from '../../dsl/tasklet-parser.js';

/** Drop positions, so that trees compare by structure. */
function strip<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (key, value: unknown) => (key === 'pos' ? undefined : value))) as T;
}

/** A template call, as the DSL's tagged templates pass it. */
function tpl(strings: TemplateStringsArray, ...values: unknown[]): { strings: readonly string[]; values: readonly unknown[] } {
  return { strings: [...strings], values };
}

/** Parse an expression and print it back: the canonical text shows how it was grouped. */
const canon = (src: string): string => printTExpr(parseTaskletExpr(src));

function throwsTasklet(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TaskletError, `expected a TaskletError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    return true;
  });
}

const name = (n: string): TExpr & { k: 'name' } => ({ k: 'name', name: n });
const int = (value: number): TExpr => ({ k: 'num', value, isFloat: false });

describe('dsl/tasklet-parser', () => {
  describe('statements', () => {
    it('reads assignments, locals, branches and loops', () => {
      const body = parseTasklet(`let t: f32 = a * 2
if (t > 0) { out = t } else if (t < 0) { out = -t } else { out = 0 }
for (k in 0:n:2) { acc[k] += k }`);
      assert.deepEqual(strip(body), strip([
        { k: 'let', name: 't', dtype: f32, value: { k: 'binary', op: '*', lhs: name('a'), rhs: int(2) } },
        {
          k: 'if', cond: { k: 'binary', op: '>', lhs: name('t'), rhs: int(0) },
          then: [{ k: 'assign', target: name('out'), op: '=', value: name('t') }],
          else: [{
            k: 'if', cond: { k: 'binary', op: '<', lhs: name('t'), rhs: int(0) },
            then: [{ k: 'assign', target: name('out'), op: '=', value: { k: 'unary', op: '-', arg: name('t') } }],
            else: [{ k: 'assign', target: name('out'), op: '=', value: int(0) }],
          }],
        },
        {
          k: 'for', variable: 'k', begin: int(0), end: name('n'), step: int(2),
          body: [{ k: 'assign', target: { k: 'index', name: 'acc', indices: [name('k')] }, op: '+=', value: name('k') }],
        },
      ] satisfies TStmt[]));
    });

    it('separates statements by newlines or semicolons, and continues lines after an operator or inside brackets', () => {
      const expected = strip(parseTasklet('a = 1; b = 2 + 3; c = f(1, 2)'));
      assert.deepEqual(strip(parseTasklet('\n a = 1\n\n b = 2 +\n   3\n c = f(1,\n 2)\n')), expected);
      assert.deepEqual(strip(parseTasklet('a = 1;;\nb = 2 + 3 // the sum\nc = f(1, 2);')), expected);
    });

    it('takes `else` on the next line, loops without parentheses, and an omitted step of 1', () => {
      assert.deepEqual(strip(parseTasklet('if (c) {\n  x = 1\n}\nelse {\n  x = 2\n}')), strip(parseTasklet('if (c) { x = 1 } else { x = 2 }')));
      assert.deepEqual(strip(parseTasklet('for k in 0:8 { x = k }')), strip(parseTasklet('for (k in 0:8:1) { x = k }')));
      assert.deepEqual(strip(parseTasklet('if (c)\n{\n  x = 1\n}\nelse\n{\n  x = 2\n}')), strip(parseTasklet('if (c) { x = 1 } else { x = 2 }')));
      assert.deepEqual(strip(parseTasklet('for (k in 0:8) { x = k } y = 1')), strip(parseTasklet('for (k in 0:8) { x = k }\ny = 1')));
    });

    it('reads every compound assignment and casts by short or DaCe name', () => {
      for (const op of ['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>='] satisfies AssignOp[]) {
        assert.equal((parseTasklet(`x ${op} 1`)[0] as TStmt & { k: 'assign' }).op, op);
      }
      assert.deepEqual(strip(parseTaskletExpr('float64(x)')), strip({ k: 'cast', dtype: f64, arg: name('x') }));
      assert.deepEqual(strip(parseTaskletExpr('i64(x)')), strip({ k: 'cast', dtype: i64, arg: name('x') }));
      assert.deepEqual(strip(parseTaskletExpr('min(a, 2.5e-3)')), strip({ k: 'call', fn: 'min', args: [name('a'), { k: 'num', value: 0.0025, isFloat: true }] }));
      assert.deepEqual(strip(parseTaskletExpr('0x1F + .5 + 1.')), strip(parseTaskletExpr('31 + 0.5 + 1.0')));
    });
  });

  describe('precedence', () => {
    const grouping: [string, string][] = [
      ['-a ** 2', '-(a ** 2)'],
      ['a ** b ** c', 'a ** (b ** c)'],
      ['a ** -b', 'a ** (-b)'],
      ['a - b - c', '(a - b) - c'],
      ['a + b * c % d', 'a + ((b * c) % d)'],
      ['a < b == c >= d', '(a < b) == (c >= d)'],
      ['a & b | c ^ d', '(a & b) | (c ^ d)'],
      ['a || b && !c', 'a || (b && (!c))'],
      ['a << 1 + b', 'a << (1 + b)'],
      ['c ? x : d ? y : z', 'c ? x : (d ? y : z)'],
      ['a || b ? x : y', '(a || b) ? x : y'],
      ['~a & -b', '(~a) & (-b)'],
    ];
    for (const [src, grouped] of grouping) {
      it(`${src}  ≡  ${grouped}`, () => assert.deepEqual(strip(parseTaskletExpr(src)), strip(parseTaskletExpr(grouped))));
    }
  });

  describe('positions', () => {
    it('records line:column of every node: operators at the operator, calls and names at the name', () => {
      const [stmt] = parseTasklet('\n  out = a +\n    sqrt(b[0])') as [TStmt & { k: 'assign' }];
      assert.deepEqual(stmt.pos, { line: 2, column: 7 });
      assert.deepEqual(stmt.target.pos, { line: 2, column: 3 });
      const sum = stmt.value as TExpr & { k: 'binary' };
      assert.deepEqual(sum.pos, { line: 2, column: 11 });
      assert.deepEqual(sum.lhs.pos, { line: 2, column: 9 });
      const call = sum.rhs as TExpr & { k: 'call' };
      assert.deepEqual(call.pos, { line: 3, column: 5 });
      assert.deepEqual(call.args[0]!.pos, { line: 3, column: 10 });
      assert.deepEqual((call.args[0] as TExpr & { k: 'index' }).indices[0]!.pos, { line: 3, column: 12 });
    });

    it('counts an interpolation as its ${…} placeholder', () => {
      const scale = 2.5;
      const src = tpl`out = ${scale} * a + b`;
      assert.equal(taskletSourceText(src), 'out = ${…} * a + b');
      const [stmt] = parseTasklet(src) as [TStmt & { k: 'assign' }];
      const sum = stmt.value as TExpr & { k: 'binary' };
      assert.deepEqual(sum.pos, { line: 1, column: 16 });
      const product = sum.lhs as TExpr & { k: 'binary' };
      assert.deepEqual(product.lhs, { k: 'num', value: 2.5, isFloat: true, pos: { line: 1, column: 7 } });
      assert.deepEqual(product.pos, { line: 1, column: 12 });
    });
  });

  describe('interpolations', () => {
    it('turns numbers and booleans into literals', () => {
      assert.deepEqual(strip(parseTaskletExpr(tpl`${3} + ${0.5} + ${-2} + ${1e21}`)), strip(parseTaskletExpr('3 + 0.5 + -2 + 1000000000000000000000')));
      assert.deepEqual(strip(parseTaskletExpr(tpl`${true} && ${false}`)), strip(parseTaskletExpr('true && false')));
    });

    it('turns symbolic expressions into tasklet expressions, and a single symbol into its name', () => {
      const N = sym('N'), M = sym('M');
      assert.deepEqual(strip(parseTaskletExpr(tpl`a[${N}]`)), strip(parseTaskletExpr('a[N]')));
      assert.equal(printTExpr(parseTaskletExpr(tpl`${N.sub(1)}`)), 'N - 1');
      assert.equal(printTExpr(exprToTExpr(mul(2, N).add(M).sub(3))), 'M + 2 * N - 3');
      assert.equal(printTExpr(exprToTExpr(sym('i').neg().add(N))), 'N - i');
      assert.equal(printTExpr(exprToTExpr(sym('i').neg())), '-i');
      assert.equal(printTExpr(exprToTExpr(mul(N, N, M))), 'M * N * N');
      assert.equal(printTExpr(exprToTExpr(min(N, M, 4))), 'min(4, min(M, N))');
      assert.equal(printTExpr(exprToTExpr(floorDiv(N, 2))), 'N % 2 < 0 ? N / 2 - 1 : N / 2');
      assert.equal(printTExpr(exprToTExpr(mod(N, 4))), 'N % 4 < 0 ? N % 4 + 4 : N % 4');
    });

    it('keeps Python floor division and modulo when converting to C operators', () => {
      const N = sym('N'), M = sym('M');
      const exprs: Expr[] = [floorDiv(N, M), mod(N, M), floorDiv(N.add(1), 3), mod(mul(2, N), 5), max(N, M).sub(floorDiv(N, 2))];
      const evaluate = (e: TExpr, env: Record<string, number>): number => {
        switch (e.k) {
          case 'num': return e.value;
          case 'bool': return e.value ? 1 : 0;
          case 'name': return env[e.name]!;
          case 'unary': return evalUnary(e.op, evaluate(e.arg, env), e.op === '!' ? allDTypes[0]! : i64);
          case 'binary': {
            const boolOps: BinaryOp[] = ['&&', '||'];
            return evalBinary(e.op, evaluate(e.lhs, env), evaluate(e.rhs, env), boolOps.includes(e.op) ? allDTypes[0]! : i64);
          }
          case 'ternary': return evaluate(e.cond, env) ? evaluate(e.then, env) : evaluate(e.else, env);
          case 'call': return evalCall(e.fn, e.args.map((a) => evaluate(a, env)), i64);
          default: throw new Error(e.k);
        }
      };
      fc.assert(fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -50, max: 50 }).filter((m) => m !== 0), (n, m) => {
        for (const e of exprs) assert.equal(evaluate(exprToTExpr(e), { N: n, M: m }), e.evaluate({ N: n, M: m }), e.toString());
      }));
    });

    it('asks a DSL handle for its expression (duck-typed toTaskletExpr)', () => {
      const handle = { toTaskletExpr: (): TExpr => ({ k: 'index', name: 'A', indices: [int(0)] }) };
      const e = parseTaskletExpr(tpl`${handle} + 1`) as TExpr & { k: 'binary' };
      assert.deepEqual(e.lhs, { k: 'index', name: 'A', indices: [{ k: 'num', value: 0, isFloat: false, pos: { line: 1, column: 1 } }], pos: { line: 1, column: 1 } });
    });

    it('rejects a string with a hint', () => {
      throwsTasklet(() => parseTasklet(tpl`out = ${'a'} + 1`), 'interpolated-string',
        '[interpolated-string] interpolation #1 at 1:7 is the string "a"; text is never pasted into tasklet code\n'
        + '  out = ${…} + 1\n        ^\n  hint: write the name inside the template, or pass a symbol/number');
    });

    it('rejects anything else that is not a value', () => {
      throwsTasklet(() => parseTasklet(tpl`out = a\nx = ${[1]}`), 'bad-interpolation',
        '[bad-interpolation] interpolation #1 at 2:5 is an array, not a number, boolean, symbol or data handle\n'
        + '  x = ${…}\n      ^\n  hint: write the name inside the template, or pass a symbol/number');
      throwsTasklet(() => parseTasklet(tpl`x = ${1} + ${new Map()}`), 'bad-interpolation',
        '[bad-interpolation] interpolation #2 at 1:12 is an object (Map), not a number, boolean, symbol or data handle\n'
        + '  x = ${…} + ${…}\n             ^\n  hint: write the name inside the template, or pass a symbol/number');
      throwsTasklet(() => parseTasklet(tpl`x = ${Infinity}`), 'bad-interpolation',
        '[bad-interpolation] interpolation #1 at 1:5 is Infinity, which tasklet code cannot hold\n'
        + '  x = ${…}\n      ^\n  hint: write the name inside the template, or pass a symbol/number');
      throwsTasklet(() => parseTasklet(tpl`x = ${undefined}`), 'bad-interpolation',
        '[bad-interpolation] interpolation #1 at 1:5 is undefined, not a number, boolean, symbol or data handle\n'
        + '  x = ${…}\n      ^\n  hint: write the name inside the template, or pass a symbol/number');
    });
  });

  describe('syntax errors', () => {
    const defaultHint = '  hint: see the tasklet language: `out = a * b`, `let t = …`, `if (c) { … }`, `for (k in 0:n) { … }`';
    it('names the token, its line:column, the line and a caret', () => {
      throwsTasklet(() => parseTasklet('out = a +)'), 'tasklet-syntax',
        `[tasklet-syntax] unexpected ')', expected an expression at 1:10\n  out = a +)\n           ^\n${defaultHint}`);
      throwsTasklet(() => parseTasklet('x = 1\n\tout = a @ b'), 'tasklet-syntax',
        "[tasklet-syntax] unexpected character '@' at 2:10\n  \tout = a @ b\n  \t        ^\n  hint: tasklet code holds names, numbers and the operators of C");
      throwsTasklet(() => parseTasklet('out = a b'), 'tasklet-syntax',
        `[tasklet-syntax] unexpected 'b', expected a line break or ';' after the statement at 1:9\n  out = a b\n          ^\n${defaultHint}`);
    });

    it('explains missing braces, bad loops and bad targets', () => {
      throwsTasklet(() => parseTasklet('if (c) out = 1'), 'tasklet-syntax',
        "[tasklet-syntax] unexpected 'out', expected '{' at 1:8\n  if (c) out = 1\n         ^\n  hint: put the body in braces: { … }");
      throwsTasklet(() => parseTasklet('if (c) {\n  out = 1\n'), 'tasklet-syntax',
        "[tasklet-syntax] unexpected end of code, expected '}' at 3:1\n  \n  ^\n  hint: close the block with }");
      throwsTasklet(() => parseTasklet('for (k = 0:8) { x = k }'), 'tasklet-syntax',
        "[tasklet-syntax] unexpected '=', expected 'in' at 1:8\n  for (k = 0:8) { x = k }\n         ^\n  hint: loops read: for (k in 0:n) { … }");
      throwsTasklet(() => parseTasklet('out + 1'), 'tasklet-syntax',
        "[tasklet-syntax] unexpected '+', expected an assignment (=, +=, …) at 1:5\n  out + 1\n      ^\n  hint: a statement assigns: out = …");
      throwsTasklet(() => parseTasklet('3 = x'), 'tasklet-syntax',
        "[tasklet-syntax] unexpected '3', expected a statement at 1:1\n  3 = x\n  ^\n  hint: statements are `name = value`, `name[i] = value`, `let`, `if` and `for`");
      throwsTasklet(() => parseTasklet('let if = 1'), 'tasklet-syntax',
        `[tasklet-syntax] unexpected 'if', expected a variable name after let at 1:5\n  let if = 1\n      ^\n${defaultHint}`);
      throwsTasklet(() => parseTasklet('let t: float7 = 1'), 'tasklet-syntax',
        `[tasklet-syntax] unexpected 'float7', expected a type (f64, f32, i64, i32, u8, bool, …) at 1:8\n  let t: float7 = 1\n         ^\n${defaultHint}`);
    });

    it('explains element access, casts and numbers', () => {
      throwsTasklet(() => parseTasklet('out = a[0][1]'), 'tasklet-syntax',
        "[tasklet-syntax] unexpected '[', expected the end of the element access at 1:11\n  out = a[0][1]\n            ^\n  hint: index several dimensions at once: a[i, j]");
      throwsTasklet(() => parseTasklet('out = a[]'), 'tasklet-syntax',
        "[tasklet-syntax] unexpected ']', expected an index at 1:9\n  out = a[]\n          ^\n  hint: write a[i] or a[i, j]");
      throwsTasklet(() => parseTasklet('out = f32(a, b)'), 'tasklet-syntax',
        '[tasklet-syntax] the cast f32(…) takes one value, not 2 at 1:10\n  out = f32(a, b)\n           ^\n  hint: write f32(x)');
      throwsTasklet(() => parseTasklet('out = 2x'), 'tasklet-syntax',
        "[tasklet-syntax] malformed number '2x' at 1:7\n  out = 2x\n        ^\n  hint: numbers are written 12, 1.5, 1e-3 or 0xff");
      throwsTasklet(() => parseTaskletExpr('a + b)'), 'tasklet-syntax',
        `[tasklet-syntax] unexpected ')', expected the end of the expression at 1:6\n  a + b)\n       ^\n${defaultHint}`);
    });
  });

  describe('printing', () => {
    it('uses the fewest parentheses that keep the grouping', () => {
      assert.equal(canon('(a + b) * (c - d)'), '(a + b) * (c - d)');
      assert.equal(canon('(a * b) + (c * d)'), 'a * b + c * d');
      assert.equal(canon('a - (b - c)'), 'a - (b - c)');
      assert.equal(canon('(a - b) - c'), 'a - b - c');
      assert.equal(canon('(-a) ** 2'), '(-a) ** 2');
      assert.equal(canon('(a ** b) ** c'), '(a ** b) ** c');
      assert.equal(canon('a ** (b ** c)'), 'a ** b ** c');
      assert.equal(canon('-(-a)'), '- -a');
      assert.equal(canon('(c ? a : b) ? x : y'), '(c ? a : b) ? x : y');
      assert.equal(canon('c ? (d ? 1 : 2) : (e ? 3 : 4)'), 'c ? d ? 1 : 2 : e ? 3 : 4');
      assert.equal(canon('!(a && b)'), '!(a && b)');
    });

    it('prints floats with a point or an exponent, and integers without', () => {
      assert.equal(printNumber(1, true), '1.0');
      assert.equal(printNumber(0.1, true), '0.1');
      assert.equal(printNumber(1e-7, true), '1e-7');
      assert.equal(printNumber(1e21, true), '1e+21');
      assert.equal(printNumber(1e21, false), '1000000000000000000000');
      assert.equal(printNumber(NaN, true), '0.0 / 0.0');
      assert.equal(printNumber(-Infinity, true), '-1.0 / 0.0');
      assert.equal(printTExpr({ k: 'binary', op: '*', lhs: name('x'), rhs: { k: 'num', value: Infinity, isFloat: true } }), 'x * (1.0 / 0.0)');
    });

    it('prints statements one per line with two-space indentation', () => {
      const src = 'let t: f32 = a\nif (t > 0) {\n  for (k in 0:n:2) {\n    out[k] += t\n  }\n} else if (t < 0) {\n  out[0] = -t\n} else {\n  out[0] = 0\n}';
      assert.equal(printTStmts(parseTasklet(src)), src);
      assert.equal(printTStmts(parseTasklet('x = 1; if (c) {}'), '    '), '    x = 1\n    if (c) {\n    }');
      assert.equal(printTaskletCode({ language: 'tasklet', body: parseTasklet('x=a+1') }), 'x = a + 1');
      assert.equal(printTaskletCode({ language: 'CPP', source: 'out = a;  // raw' }), 'out = a;  // raw');
    });

    it('re-parses what it prints to the same tree (random trees)', () => {
      const names = fc.constantFrom('a', 'b', 'out', 'x1', 'N', '_t');
      const unaryOps: UnaryOp[] = ['-', '+', '!', '~'];
      const binaryOps: BinaryOp[] = ['+', '-', '*', '/', '%', '**', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '&', '|', '^', '<<', '>>'];
      const assignOps: AssignOp[] = ['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>='];
      const { expr } = fc.letrec<{ expr: TExpr }>((tie) => ({
        expr: fc.oneof(
          { maxDepth: 4, depthIdentifier: 'expr' },
          fc.oneof(
            fc.maxSafeInteger().map((v): TExpr => ({ k: 'num', value: Math.abs(v), isFloat: false })),
            fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }).map((v): TExpr => ({ k: 'num', value: v + 0, isFloat: true })),
            fc.boolean().map((value): TExpr => ({ k: 'bool', value })),
            names.map((n): TExpr => ({ k: 'name', name: n })),
          ),
          fc.record({ name: names, indices: fc.array(tie('expr'), { minLength: 1, maxLength: 3 }) }).map((r): TExpr => ({ k: 'index', ...r })),
          fc.record({ op: fc.constantFrom(...unaryOps), arg: tie('expr') }).map((r): TExpr => ({ k: 'unary', ...r })),
          fc.record({ op: fc.constantFrom(...binaryOps), lhs: tie('expr'), rhs: tie('expr') }).map((r): TExpr => ({ k: 'binary', ...r })),
          fc.record({ cond: tie('expr'), then: tie('expr'), else: tie('expr') }).map((r): TExpr => ({ k: 'ternary', ...r })),
          fc.record({ fn: fc.constantFrom('sqrt', 'min', 'pow', 'f'), args: fc.array(tie('expr'), { maxLength: 3 }) }).map((r): TExpr => ({ k: 'call', ...r })),
          fc.record({ dtype: fc.constantFrom(...allDTypes), arg: tie('expr') }).map((r): TExpr => ({ k: 'cast', ...r })),
        ),
      }));
      const target = fc.oneof(
        names.map((n) => ({ k: 'name' as const, name: n })),
        fc.record({ name: names, indices: fc.array(expr, { minLength: 1, maxLength: 2 }) }).map((r) => ({ k: 'index' as const, ...r })),
      );
      const { stmts } = fc.letrec<{ stmts: TStmt[]; stmt: TStmt }>((tie) => ({
        stmts: fc.array(tie('stmt'), { maxLength: 3, depthIdentifier: 'stmt' }),
        stmt: fc.oneof(
          { maxDepth: 3, depthIdentifier: 'stmt' },
          fc.record({ target, op: fc.constantFrom(...assignOps), value: expr }).map((r): TStmt => ({ k: 'assign', ...r })),
          fc.record({ name: names, dtype: fc.option(fc.constantFrom(...allDTypes), { nil: undefined }), value: expr })
            .map(({ dtype, ...r }): TStmt => ({ k: 'let', ...r, ...(dtype ? { dtype } : {}) })),
          fc.record({ cond: expr, then: tie('stmts'), else: tie('stmts') }).map((r): TStmt => ({ k: 'if', ...r })),
          fc.record({ variable: names, begin: expr, end: expr, step: fc.oneof(fc.constant(int(1)), expr), body: tie('stmts') })
            .map((r): TStmt => ({ k: 'for', ...r })),
        ),
      }));
      fc.assert(fc.property(expr, (e) => {
        assert.deepEqual(strip(parseTaskletExpr(printTExpr(e))), strip(e));
      }), { numRuns: 300 });
      fc.assert(fc.property(stmts, (body) => {
        const text = printTStmts(body);
        assert.deepEqual(strip(parseTasklet(text)), strip(body), text);
        assert.equal(printTStmts(parseTasklet(text)), text);
      }), { numRuns: 200 });
    });
  });
});
