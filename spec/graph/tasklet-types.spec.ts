// Tasklet typing: literal adaptation, promotion, conversions, name resolution, and every diagnostic's exact text.
import assert from 'node:assert/strict';
import { bool, f16, f32, f64, i32, i64, u32, u8, type DType } from '../../graph/dtypes.js';
import { InternalError, TaskletError } from '../../graph/errors.js';
import type { TExpr, TStmt } from '../../graph/tasklet-ast.js';
import { typeTasklet, typeTaskletExpr, type TaskletTypeEnv } from '../../graph/tasklet-types.js';
import { parseTasklet, parseTaskletExpr } from '../../dsl/tasklet-parser.js';

const env: TaskletTypeEnv = {
  inputs: {
    a: { dtype: f32, dims: 0 }, d: { dtype: f64, dims: 0 }, b: { dtype: i32, dims: 0 }, c: { dtype: u8, dims: 0 },
    l: { dtype: i64, dims: 0 }, u: { dtype: u32, dims: 0 }, h: { dtype: f16, dims: 0 }, flag: { dtype: bool, dims: 0 },
    arr: { dtype: f64, dims: 2 }, v: { dtype: i32, dims: 1 },
  },
  outputs: {
    out: { dtype: f32, dims: 0 }, oi: { dtype: i32, dims: 0 }, ob: { dtype: bool, dims: 0, dynamic: true },
    oc: { dtype: u8, dims: 0, dynamic: true }, vout: { dtype: f64, dims: 1, dynamic: true },
  },
  symbols: { N: i64, M: i32 },
};

/** The outputs a statement test does not write are dynamic, so only `out` and `oi` must be written. */
const writeBoth = '\nout = 0\noi = 0';

function throwsTasklet(fn: () => unknown, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof TaskletError, `expected a TaskletError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    return true;
  });
}

/** Type a body; with `withSource`, errors show the line and a caret. */
function check(src: string, withSource = false): ReturnType<typeof typeTasklet> {
  return typeTasklet(parseTasklet(src), env, withSource ? { source: src } : {});
}

describe('graph/tasklet-types', () => {
  describe('expression types', () => {
    // [expression, its type, the type its operands meet at]
    const table: [string, DType, DType][] = [
      // literals adapt to the other operand
      ['a * 2', f32, f32], ['a * 0.5', f32, f32], ['b * 0.5', f64, f64], ['b + 1', i32, i32], ['c + 1', u8, u8],
      ['c + 300', i32, i32], ['c + -1', i32, i32], ['u + -1', u32, u32], ['h * 2', f16, f16], ['h * 0.5', f16, f16],
      ['l * 2', i64, i64], ['N + 1', i64, i64], ['M * 2', i32, i32], ['a * -1', f32, f32],
      // lone literals
      ['2 + 3', i32, i32], ['2 + 3.0', f64, f64], ['3000000000 + 1', i64, i64], ['-2147483648', i32, i32], ['1.5', f64, f64],
      // promotion
      ['l + b', i64, i64], ['b + c', i32, i32], ['c + c', u8, u8], ['u + b', u32, u32], ['a + d', f64, f64],
      ['a + l', f32, f32], ['h + a', f32, f32], ['N * b', i64, i64],
      // comparisons and logic
      ['a < 1', bool, f32], ['b == c', bool, i32], ['flag == true', bool, bool], ['flag && b > 0', bool, bool], ['!flag', bool, bool],
      // integer-only operators
      ['b << 2', i32, i32], ['l >> 1', i64, i64], ['c & 15', u8, u8], ['~c', u8, u8], ['-c', u8, u8], ['b % 3', i32, i32],
      // functions: float functions of integers compute in f64
      ['sqrt(a)', f32, f32], ['sqrt(b)', f64, f64], ['sqrt(2)', f64, f64], ['pow(a, 2)', f32, f32], ['min(b, l)', i64, i64],
      ['min(c, 1)', u8, u8], ['max(b, 1.5)', f64, f64], ['abs(b)', i32, i32], ['isnan(a)', bool, f32], ['fma(a, a, 1)', f32, f32],
      ['a ** 2', f32, f32], ['b ** 2', i32, i32],
      // casts: the operand type is the value's own
      ['f32(d)', f32, f64], ['i32(2.5)', i32, f64], ['bool(b)', bool, i32], ['u8(300)', u8, i32],
      // conditional expressions
      ['flag ? a : 1', f32, f32], ['flag ? 1 : 2.5', f64, f64], ['flag ? b : l', i64, i64],
      // element access
      ['arr[b, N]', f64, f64], ['v[0]', i32, i32],
    ];
    for (const [src, type, operand] of table) {
      it(`${src}: ${type.short} (operands ${operand.short})`, () => {
        const e = parseTaskletExpr(src);
        const typing = typeTaskletExpr(e, env);
        assert.equal(typing.typeOf(e).short, type.short);
        assert.equal(typing.operandTypeOf(e).short, operand.short);
        assert.equal(typing.type.short, type.short);
      });
    }

    it('gives an adapted literal the type it adapted to', () => {
      const e = parseTaskletExpr('a * 2 + b') as TExpr & { k: 'binary' };
      const typing = typeTaskletExpr(e, env);
      const product = e.lhs as TExpr & { k: 'binary' };
      assert.equal(typing.typeOf(product.rhs), f32);
      assert.equal(typing.typeOf(e), f32);
      const neg = parseTaskletExpr('a * -1') as TExpr & { k: 'binary' };
      const t2 = typeTaskletExpr(neg, env);
      assert.equal(t2.typeOf(neg.rhs), f32);
      assert.equal(t2.typeOf((neg.rhs as TExpr & { k: 'unary' }).arg), f32);
      const index = parseTaskletExpr('v[0]') as TExpr & { k: 'index' };
      assert.equal(typeTaskletExpr(index, env).typeOf(index.indices[0]!), i32);
    });

    it('keys types by node identity', () => {
      const e = parseTaskletExpr('a + 1');
      const typing = typeTaskletExpr(e, env);
      assert.throws(() => typing.typeOf(parseTaskletExpr('a + 1')), (err: unknown) => err instanceof InternalError && err.code === 'untyped-node');
    });
  });

  describe('statements', () => {
    it('types locals, loop variables and compound assignments', () => {
      const body = parseTasklet('let t = 1\nlet s = 2.5\nlet w: f32 = 1\nlet x = a\nout = w\nout += b\nfor (k in 0:N) { vout[k] = k }\noi = t');
      const typing = typeTasklet(body, env);
      assert.equal(typing.localType('t'), i32);
      assert.equal(typing.localType('s'), f64);
      assert.equal(typing.localType('w'), f32);
      assert.equal(typing.localType('x'), f32);
      assert.equal(typing.localType('k'), undefined);
      assert.equal(typing.typeOf((body[2] as TStmt & { k: 'let' }).value), f32);
      assert.equal(typing.assignOperandType(body[5] as TStmt & { k: 'assign' }), f32);
      const loop = body[6] as TStmt & { k: 'for' };
      assert.equal(typing.typeOf(loop.begin), i64);
      assert.equal(typing.typeOf(loop.step), i64);
      assert.equal(typing.typeOf((loop.body[0] as TStmt & { k: 'assign' }).value), i64);
    });

    it('accepts the implicit conversions', () => {
      check('oi = l\nout = b\nout = flag\nout = 0.5\noc = 255\noi = c\nout = h');
      check('ob = b > 0' + writeBoth);
      check('if (flag) { let t = 1\n oi = t } else { let t = 2\n oi = t }\nout = 1');
    });

    it('lets an output be read once it is written on every path', () => {
      check('out = 1\nout += a\noi = 0\noi <<= 2');
      check('if (flag) { out = 1 } else { out = 2 }\nlet t = out\noi = 0');
      check('if (flag) { out = 1 }\noi = 0'); // written on one path only: fine (at least once in the code)
    });
  });

  describe('diagnostics', () => {
    it('narrowing', () => {
      throwsTasklet(() => check('oi = a', true), 'narrowing',
        "[narrowing] cannot assign f32 to 'oi' (i32) without a cast at 1:4\n  oi = a\n     ^\n  hint: this conversion loses precision: write i32(…) to convert explicitly");
      throwsTasklet(() => check('out = d'), 'narrowing',
        "[narrowing] cannot assign f64 to 'out' (f32) without a cast at 1:5\n  hint: this conversion loses precision: write f32(…) to convert explicitly");
      throwsTasklet(() => check('out = b * 0.5'), 'narrowing',
        "[narrowing] cannot assign f64 to 'out' (f32) without a cast at 1:5\n  hint: this conversion loses precision: write f32(…) to convert explicitly");
      throwsTasklet(() => check('oi = 2.5'), 'narrowing',
        "[narrowing] cannot assign the float literal 2.5 to 'oi' (i32) at 1:4\n  hint: write an integer, or convert explicitly: i32(…)");
      throwsTasklet(() => check('oc = 300'), 'narrowing',
        "[narrowing] the literal 300 does not fit 'oc' (u8) at 1:4\n  hint: convert explicitly to wrap it: u8(300)");
      throwsTasklet(() => check('let t: f32 = d'), 'narrowing',
        "[narrowing] cannot assign f64 to 't' (f32) without a cast at 1:5\n  hint: this conversion loses precision: write f32(…) to convert explicitly");
      throwsTasklet(() => check('oi = 0\noi += 1.5'), 'narrowing',
        "[narrowing] cannot assign f64 to 'oi' (i32) without a cast at 2:4\n  hint: this conversion loses precision: write i32(…) to convert explicitly");
    });

    it('type-mismatch', () => {
      throwsTasklet(() => check('out = b + flag', true), 'type-mismatch',
        "[type-mismatch] operator '+' needs numbers, not bool at 1:9\n  out = b + flag\n          ^\n  hint: convert explicitly: i32(flag) or f64(flag)");
      throwsTasklet(() => check('out = flag + 1'), 'type-mismatch',
        "[type-mismatch] operator '+' needs numbers, not bool at 1:12\n  hint: convert explicitly: i32(flag) or f64(flag)");
      throwsTasklet(() => check('ob = flag == 1'), 'type-mismatch',
        "[type-mismatch] operator '==' mixes bool and the int literal 1 at 1:11\n  hint: compare like with like: bool(x) or i32(flag)");
      throwsTasklet(() => check('oi = b << 1.5'), 'type-mismatch',
        "[type-mismatch] operator '<<' needs integers, not the float literal 1.5 at 1:8\n  hint: convert explicitly: i32(x)");
      throwsTasklet(() => check('out = a << 1'), 'type-mismatch',
        "[type-mismatch] operator '<<' needs integers, not f32 at 1:9\n  hint: convert explicitly: i32(x)");
      throwsTasklet(() => check('out = ~a'), 'type-mismatch',
        "[type-mismatch] operator '~' needs integers, not f32 at 1:7\n  hint: convert explicitly: i32(x)");
      throwsTasklet(() => check('ob = flag && b'), 'type-mismatch',
        "[type-mismatch] operator '&&' needs bool operands, not i32 at 1:11\n  hint: compare explicitly: x != 0");
      throwsTasklet(() => check('out = sqrt(flag)'), 'type-mismatch',
        "[type-mismatch] function 'sqrt' needs numbers, not bool at 1:7\n  hint: convert explicitly: i32(flag) or f64(flag)");
      throwsTasklet(() => check('out = flag ? a : flag'), 'type-mismatch',
        "[type-mismatch] the conditional '?:' mixes bool and f32 at 1:12\n  hint: compare like with like: bool(x) or i32(flag)");
      throwsTasklet(() => check('ob = b'), 'type-mismatch',
        "[type-mismatch] cannot assign i32 to 'ob' (bool) at 1:4\n  hint: compare explicitly (x != 0) or convert: bool(x)");
      throwsTasklet(() => check('ob = 1'), 'type-mismatch',
        "[type-mismatch] cannot assign a number to 'ob' (bool) at 1:4\n  hint: write true or false");
      throwsTasklet(() => check('out = v[1.5]'), 'type-mismatch',
        "[type-mismatch] index 1 of 'v' is f64, not an integer at 1:9\n  hint: convert explicitly: i64(x)");
      throwsTasklet(() => check('out = arr[0, flag]'), 'type-mismatch',
        "[type-mismatch] index 2 of 'arr' is bool, not an integer at 1:14\n  hint: convert explicitly: i64(x)");
      throwsTasklet(() => check('for (k in 0:a) { }'), 'type-mismatch',
        "[type-mismatch] the loop's end is f32, not an integer at 1:13\n  hint: convert explicitly: i64(x)");
      throwsTasklet(() => check('for (k in 0.5:4) { }'), 'type-mismatch',
        "[type-mismatch] the loop's begin is a float, not an integer at 1:11\n  hint: loops count with integers");
    });

    it('wrong-index-count', () => {
      throwsTasklet(() => check('out = arr[0]', true), 'wrong-index-count',
        "[wrong-index-count] 'arr' has 2 dimensions but 1 index was given at 1:7\n  out = arr[0]\n        ^\n  hint: write arr[i, j]");
      throwsTasklet(() => check('out = v[0, 1]'), 'wrong-index-count',
        "[wrong-index-count] 'v' has 1 dimension but 2 indices were given at 1:7\n  hint: write v[i]");
      throwsTasklet(() => check('out = arr + 1'), 'wrong-index-count',
        "[wrong-index-count] 'arr' is an array with 2 dimensions and needs 2 indices at 1:7\n  hint: write arr[i, j]");
      throwsTasklet(() => check('vout = 1'), 'wrong-index-count',
        "[wrong-index-count] 'vout' is an array with 1 dimension and needs an index at 1:1\n  hint: write vout[i]");
      throwsTasklet(() => check('out = a[0]'), 'wrong-index-count',
        "[wrong-index-count] 'a' is a scalar connector and takes no index at 1:7\n  hint: write a");
      throwsTasklet(() => check('let t = 1\nout = t[0]'), 'wrong-index-count',
        "[wrong-index-count] 't' is a local variable and takes no index at 2:7\n  hint: write t");
      throwsTasklet(() => check('out = N[0]'), 'wrong-index-count',
        "[wrong-index-count] 'N' is a symbol and takes no index at 1:7\n  hint: write N");
    });

    it('unknown-name, unknown-function, wrong-arity', () => {
      throwsTasklet(() => check('out = x + 1', true), 'unknown-name',
        "[unknown-name] unknown name 'x' at 1:7\n  out = x + 1\n        ^\n  hint: did you mean 'a'? names in scope: a, d, b, c, l, u, h, flag, arr, v, out, oi, ob, oc, vout, N, M");
      throwsTasklet(() => check('ouf = 1'), 'unknown-name',
        "[unknown-name] unknown name 'ouf' at 1:1\n  hint: did you mean 'out'? names in scope: a, d, b, c, l, u, h, flag, arr, v, out, oi, ob, oc, vout, N, M");
      throwsTasklet(() => check('out = zzz[1]'), 'unknown-name',
        "[unknown-name] unknown name 'zzz' at 1:7\n  hint: names in scope: a, d, b, c, l, u, h, flag, arr, v, out, oi, ob, oc, vout, N, M");
      throwsTasklet(() => check('out = sqr(a)'), 'unknown-function',
        "[unknown-function] unknown function 'sqr' at 1:7\n  hint: did you mean 'sqrt'? functions: sqrt, exp, exp2, log, log2, log10, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh, floor, ceil, trunc, round, pow, atan2, fma, isnan, isinf, abs, min, max, clamp, sign; casts: f64(x), f32(x), i32(x), …");
      throwsTasklet(() => check('out = pow(a)'), 'wrong-arity', "[wrong-arity] 'pow' takes 2 arguments, not 1 at 1:7");
      throwsTasklet(() => check('out = sqrt(a, a)'), 'wrong-arity', "[wrong-arity] 'sqrt' takes 1 argument, not 2 at 1:7");
    });

    it('assign-to-input, assign-to-read-only', () => {
      throwsTasklet(() => check('a = 1', true), 'assign-to-input',
        "[assign-to-input] cannot assign to the input connector 'a' at 1:1\n  a = 1\n  ^\n  hint: write results to an output connector, or copy it into a local: let t = a");
      throwsTasklet(() => check('v[0] = 1'), 'assign-to-input',
        "[assign-to-input] cannot assign to the input connector 'v' at 1:1\n  hint: write results to an output connector, or copy it into a local: let t = v");
      throwsTasklet(() => check('for (k in 0:4) { k = 1 }'), 'assign-to-read-only',
        "[assign-to-read-only] cannot assign to the loop variable 'k' at 1:18\n  hint: copy it into a local: let t = …");
      throwsTasklet(() => check('N = 1'), 'assign-to-read-only',
        "[assign-to-read-only] cannot assign to the symbol 'N' at 1:1\n  hint: symbols are fixed while the program runs; use a local");
    });

    it('output-not-written, output-read-before-write', () => {
      throwsTasklet(() => check('out = 1'), 'output-not-written',
        "[output-not-written] output connector 'oi' is never written\n  hint: assign it (oi = …), or mark its memlet dynamic if it is written only sometimes");
      throwsTasklet(() => check('out = out + 1\noi = 0', true), 'output-read-before-write',
        "[output-read-before-write] output 'out' is read before it is written at 1:7\n  out = out + 1\n        ^\n  hint: outputs start undefined: assign out first, or read the value from an input connector");
      throwsTasklet(() => check('if (flag) { out = 1 }\noi = i32(out)'), 'output-read-before-write',
        "[output-read-before-write] output 'out' is read before it is written at 2:10\n  hint: outputs start undefined: assign out first, or read the value from an input connector");
      throwsTasklet(() => check('oi += 1\nout = 0'), 'output-read-before-write',
        "[output-read-before-write] output 'oi' is read before it is written at 1:4\n  hint: outputs start undefined: assign oi = … before '+='");
    });

    it('not-a-condition', () => {
      throwsTasklet(() => check('if (b) { out = 1 }' + writeBoth, true), 'not-a-condition',
        "[not-a-condition] the condition of 'if' is i32, not bool at 1:5\n  if (b) { out = 1 }\n      ^\n  hint: compare explicitly: x != 0");
      throwsTasklet(() => check('out = b ? 1 : 2'), 'not-a-condition',
        "[not-a-condition] the condition of '?:' is i32, not bool at 1:7\n  hint: compare explicitly: x != 0");
    });

    it('shadowing, redeclared, zero-step, literal-out-of-range', () => {
      throwsTasklet(() => check('let a = 1', true), 'shadowing',
        "[shadowing] let 'a' would hide the input connector 'a' at 1:5\n  let a = 1\n      ^\n  hint: choose another name");
      throwsTasklet(() => check('let out = 1'), 'shadowing', "[shadowing] let 'out' would hide the output connector 'out' at 1:5\n  hint: choose another name");
      throwsTasklet(() => check('for (N in 0:4) { }'), 'shadowing', "[shadowing] loop variable 'N' would hide the symbol 'N' at 1:1\n  hint: choose another name");
      throwsTasklet(() => check('let t = 1\nif (flag) { let t = 2 }'), 'shadowing',
        "[shadowing] let 't' would hide the local 't' (declared at 1:5) at 2:17\n  hint: choose another name");
      throwsTasklet(() => check('if (flag) { let t = 1 } else { let t = 2.5 }'), 'redeclared',
        "[redeclared] local 't' was declared as i32 at 1:17 and is declared as f64 at 1:36\n  hint: give it the same type, or another name");
      throwsTasklet(() => check('for (k in 0:8:0) { }'), 'zero-step',
        "[zero-step] the loop step is 0 at 1:15\n  hint: a loop steps by a non-zero amount: for (k in 0:n:2)");
      throwsTasklet(() => check('let t = 10000000000000000000000'), 'literal-out-of-range',
        '[literal-out-of-range] integer literal 10000000000000000000000 does not fit i64 at 1:9\n  hint: write it as a float (with a decimal point)');
    });

    it('names the graph path and the user\'s line', () => {
      const src = 'out = q';
      assert.throws(() => typeTasklet(parseTasklet(src), env, {
        source: src, path: { sdfg: 'axpy', state: 'main', node: 'mul' }, loc: { file: '/tmp/user.ts', line: 12, column: 3 },
      }), (e: unknown) => {
        assert.ok(e instanceof TaskletError);
        assert.equal(e.message.split('\n').slice(0, 4).join('\n'), "[unknown-name] unknown name 'q' at 1:7\n  out = q\n        ^\n  in axpy / main / mul");
        assert.match(e.message, /\n {2}at \/tmp\/user\.ts:12:3\n/);
        assert.deepEqual(e.path, { sdfg: 'axpy', state: 'main', node: 'mul' });
        return true;
      });
    });
  });
});
