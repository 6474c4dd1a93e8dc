// Translating DaCe's Python into the tasklet language (python-translate.ts) and printing it back (python-print.ts).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bool, f32, f64, i32, i64, u16, u8, type DType } from '../../../graph/dtypes.js';
import type { TExpr } from '../../../graph/tasklet-ast.js';
import { printTExpr, printTStmts } from '../../../graph/tasklet-print.js';
import type { ConnectorInfo } from '../../../graph/tasklet-types.js';
import { pythonExpr, pythonStatements } from '../../../graph/dace/python-print.js';
import {
  type TranslateEnv, translateAssignmentValue, translateExpression, translateTasklet, translateWcr,
} from '../../../graph/dace/python-translate.js';

const s = (dtype: DType): ConnectorInfo => ({ dtype, dims: 0 });

function env(inputs: Record<string, ConnectorInfo | DType>, outputs: Record<string, ConnectorInfo | DType>, symbols: Record<string, DType> = {}): TranslateEnv {
  const info = (r: Record<string, ConnectorInfo | DType>): Record<string, ConnectorInfo> =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, 'dims' in v ? v : s(v)]));
  return { inputs: info(inputs), outputs: info(outputs), symbols };
}

/** The translation printed in tasklet syntax, or the reason it failed prefixed by `!`. */
function tr(code: string, e: TranslateEnv): string {
  const r = translateTasklet(code, e);
  return r.ok ? printTStmts(r.body) : `! ${r.reason}`;
}

const binary = env({ __in1: f64, __in2: f64 }, { __out: f64 });

describe('graph/dace/python-translate', () => {
  describe('tasklets', () => {
    it("translates the DaCe frontend's arithmetic, comparisons and math calls", () => {
      assert.equal(tr('__out = (__in1 + __in2)', binary), '__out = __in1 + __in2');
      assert.equal(tr('__out = ((- 0.25) * __in2)', binary), '__out = -0.25 * __in2');
      assert.equal(tr('__out = (2.0 ** __in2)', binary), '__out = 2.0 ** __in2');
      assert.equal(tr('__out = exp(__in1)\n__out = sqrt(__out)', binary), '__out = exp(__in1)\n__out = sqrt(__out)');
      assert.equal(tr('__out = math.fabs(__in1) + math.log(__in2, 2) + math.pi', binary), '__out = abs(__in1) + log(__in2) / log(2) + 3.141592653589793');
      assert.equal(tr('__out = min(__in1, __in2, 0.0)', binary), '__out = min(min(__in1, __in2), 0.0)');
      assert.equal(tr('__out = (__in1 > 0)', env({ __in1: f64 }, { __out: bool })), '__out = __in1 > 0');
      assert.equal(tr('__out = (dace.float64(0) if __incond else __in2)', env({ __incond: bool, __in2: f64 }, { __out: f64 })), '__out = __incond ? f64(0) : __in2');
      assert.equal(tr('o = ((ai * xi) + yi)', env({ ai: f64, xi: f64, yi: f64 }, { o: f64 })), 'o = ai * xi + yi');
    });

    it('casts as DaCe\'s C++ does: dace/numpy types, and float/int as C\'s float and int', () => {
      const e = env({ a: f64, n: i64 }, { o: f64 });
      assert.equal(tr('o = dace.float32(a) + np.float64(n) + numpy.int64(a)', e), 'o = f32(a) + f64(n) + i64(a)');
      assert.equal(tr('o = 1.0 if dace.bool_(n) else 0.0', e), 'o = bool(n) ? 1.0 : 0.0');
      assert.equal(tr('o = float(a) + int(a)', e), 'o = f32(a) + i32(a)');
      assert.equal(tr('__out = ((crc & 1) ^ dace.uint16((cur_byte & 1)))', env({}, { __out: u16 }, { crc: i64, cur_byte: i64 })), '__out = crc & 1 ^ u16(cur_byte & 1)');
    });

    it("keeps C's operators: `/` and `%` as C's, `//` floored only for floats", () => {
      const ints = env({ a: i32, b: i32 }, { o: i32 });
      assert.equal(tr('o = a / b + a % b + a // b', ints), 'o = a / b + a % b + a / b');
      assert.equal(tr('__out = __in1 // __in2', binary), '__out = floor(__in1 / __in2)');
      assert.equal(tr('o = a // 2\no //= b', ints), 'o = a / 2\no = o / b');
    });

    it('converts on assignment as C does, with the cast the tasklet language asks for', () => {
      assert.equal(tr('o = a', env({ a: f64 }, { o: f32 })), 'o = f32(a)');
      assert.equal(tr('o = (- 1.7976931348623157e+308)', env({}, { o: f32 })), 'o = -1.7976931348623157e+308');
      assert.equal(tr('o = 1.5', env({}, { o: i32 })), 'o = i32(1.5)');
      assert.equal(tr('o = a', env({ a: i32 }, { o: bool })), 'o = a != 0');
      assert.equal(tr('o = a', env({ a: u8 }, { o: i64 })), 'o = a');
    });

    it('declares locals at their first assignment, typed where a cast gives the type', () => {
      const e = env({ a: f64, b: u8 }, { o: f64 });
      assert.equal(tr('t = a * 2\nt += 1\nc = dace.int32(b)\no = t + c', e), 'let t = a * 2\nt += 1\nlet c: i32 = b\no = t + c');
      assert.equal(tr('t = dace.float32(a)\no = t', e), 'let t = f32(a)\no = t');
    });

    it('translates if/elif/else, for-range loops, and Python truthiness', () => {
      const e = env({ a: f64, n: i32, v: { dtype: f64, dims: 1 } }, { o: f64 });
      assert.equal(tr('if a > 0 and n:\n    o = a\nelif not n:\n    o = 0\nelse:\n    o = -a', e),
        'if (a > 0 && n != 0) {\n  o = a\n} else if (!(n != 0)) {\n  o = 0\n} else {\n  o = -a\n}');
      assert.equal(tr('o = 0\nfor k in range(n):\n    o += v[k]', e), 'o = 0\nfor (k in 0:n) {\n  o += v[k]\n}');
      assert.equal(tr('__out = __arr[__inp0]', env({ __arr: { dtype: f64, dims: 1 }, __inp0: i32 }, { __out: f64 })), '__out = __arr[__inp0]');
    });

    it('says why code outside the subset is kept raw', () => {
      const e = env({ a: f64, b: f64 }, { o: f64 });
      assert.equal(tr('o = a @ b', e), '! matrix multiplication (@) is not in the tasklet language (line 1, column 5)');
      assert.equal(tr('o = a[1:3]', env({ a: { dtype: f64, dims: 1 } }, { o: f64 })), '! slicing a[…] is not in the tasklet language (line 1, column 5)');
      assert.equal(tr('o = foo(a)', e), '! the function foo is not in the tasklet language (line 1, column 5)');
      assert.equal(tr('o = a if a is None else b', e), "! the 'is' operator is not in the tasklet language (line 1, column 10)");
      assert.equal(tr('print(a)', e), '! an expression statement has no effect in the tasklet language (line 1, column 1)');
      assert.equal(tr('while a:\n    o = a', e), "! 'while' statements are not in the tasklet language (line 1, column 1)");
      assert.equal(tr('a = 1\no = a', e), "! 'a' is an input connector, so it cannot be assigned (line 1, column 1)");
      assert.equal(tr("o = 'x'", e), "! the string 'x' is not a value in the tasklet language (line 1, column 5)");
      assert.equal(tr('o = max(a, b, key=abs)', e), '! keyword arguments (key) are not in the tasklet language (line 1, column 5)');
      assert.equal(tr('o, p = a, b', e), '! assigning to several targets at once is not in the tasklet language (line 1, column 1)');
      assert.equal(tr('for k in items:\n    o = a', e), '! only `for v in range(…)` loops are in the tasklet language (line 1, column 1)');
      assert.equal(tr('o = zz', e), "! unknown name 'zz' at 1:5");
      assert.equal(tr('o = (a', e), "! tasklet code: expected ')' but found the end of the line at line 1, column 7");
    });
  });

  describe('control-flow expressions and lambdas', () => {
    const control = env({ arr: { dtype: i64, dims: 1 }, data: { dtype: u8, dims: 1 } }, {}, { N: i64, crc: i64, bins: i64, i: i64, t: i64 });
    const ex = (code: string): string => printTExpr(translateExpression(code, control));

    it('reads interstate conditions and assignments over symbols and data', () => {
      assert.equal(ex('(N > 0)'), 'N > 0');
      assert.equal(ex('(Min(bins - 1, arr[0]))'), 'min(bins - 1, arr[0])');
      assert.equal(ex('((((~(crc))) & (65535)))'), '~crc & 65535');
      assert.equal(ex('(((((crc) >> (1))) ^ (33800)))'), 'crc >> 1 ^ 33800');
      assert.equal(ex('(data[i])'), 'data[i]');
      assert.equal(ex('((t % 2) == 0)'), 't % 2 == 0');
    });

    it('reads the SymPy spellings DaCe may leave in conditions', () => {
      assert.equal(ex('And(Eq(N, 1), Not(Ne(t, 2)))'), 'N == 1 && !(t != 2)');
      assert.equal(ex('Or(Lt(N, t), Ge(N, 3))'), 'N < t || N >= 3');
      assert.equal(ex('Mod(N, 3) + int_floor(N, 2) + int_ceil(N, 4) + Abs(t)'), 'N % 3 + N / 2 + -(-N / 4) + abs(t)');
    });

    it('reads loop statements as the value assigned to the loop variable', () => {
      assert.equal(printTExpr(translateAssignmentValue('t = (t + 1)', 't', control)), 't + 1');
      assert.throws(() => translateAssignmentValue('k = 0', 't', control), /assigns k, not the loop variable t/);
      assert.throws(() => translateAssignmentValue('t = 0; k = 1', 't', control), /is not a single assignment to t/);
    });

    it('reads write-conflict lambdas as built-in operations where they are one', () => {
      assert.deepEqual(translateWcr('(lambda a, b: (a + b))'), { op: 'sum' });
      assert.deepEqual(translateWcr('lambda x, y: y * x'), { op: 'product' });
      assert.deepEqual(translateWcr('(lambda x, y: min(x, y))'), { op: 'min' });
      assert.deepEqual(translateWcr('(lambda a, b: max(b, a))'), { op: 'max' });
      const custom = translateWcr('lambda a, b: a * b + 1');
      assert.equal(custom.op, 'custom');
      if (custom.op === 'custom') assert.equal(printTExpr(custom.body), 'a * b + 1');
      assert.throws(() => translateWcr('lambda a: a'), /is not a lambda of two parameters/);
    });
  });

  describe('printing back to Python', () => {
    it('prints statements, blocks and spellings DaCe reads', () => {
      const r = translateTasklet('t = dace.int32(b)\nif t > 2 and not c:\n    o = (a if c else -a)\nelse:\n    o = 0\n    for k in range(0, 4, 2):\n        o += dace.float32(k)', env({ a: f64, b: u8, c: bool }, { o: f64 }));
      assert.ok(r.ok);
      assert.equal(pythonStatements(r.body), [
        't = dace.int32(b)', 'if ((t > 2) and (not c)):', '    o = (a if c else (-a))', 'else:', '    o = 0',
        '    for k in range(0, 4, 2):', '        o += dace.float32(k)',
      ].join('\n'));
    });

    // Random expressions over f64 inputs survive print → parse → translate unchanged.
    const leaf = fc.oneof(
      fc.constantFrom<TExpr>({ k: 'name', name: 'a' }, { k: 'name', name: 'b' }, { k: 'bool', value: true }),
      fc.nat(1000).map((value): TExpr => ({ k: 'num', value, isFloat: false })),
      fc.double({ min: 0, max: 1e6, noNaN: true }).map((value): TExpr => ({ k: 'num', value, isFloat: true })),
    );
    const numeric = fc.letrec<{ e: TExpr; cond: TExpr }>((tie) => ({
      e: fc.oneof({ depthSize: 'small', withCrossShrink: true },
        leaf.filter((l) => l.k !== 'bool'),
        fc.tuple(fc.constantFrom('+', '-', '*', '/', '**', '%'), tie('e'), tie('e')).map(([op, lhs, rhs]): TExpr => ({ k: 'binary', op: op as '+', lhs, rhs })),
        tie('e').map((arg): TExpr => ({ k: 'unary', op: '-', arg })),
        fc.tuple(tie('cond'), tie('e'), tie('e')).map(([cond, t, e]): TExpr => ({ k: 'ternary', cond, then: t, else: e })),
        fc.tuple(fc.constantFrom('min', 'max', 'atan2'), tie('e'), tie('e')).map(([fn, x, y]): TExpr => ({ k: 'call', fn, args: [x, y] })),
        tie('e').map((arg): TExpr => ({ k: 'cast', dtype: f32, arg })),
      ),
      cond: fc.oneof(
        fc.tuple(fc.constantFrom('<', '<=', '==', '!=', '>', '>='), tie('e'), tie('e')).map(([op, lhs, rhs]): TExpr => ({ k: 'binary', op: op as '<', lhs, rhs })),
        fc.tuple(fc.constantFrom('&&', '||'), tie('cond'), tie('cond')).map(([op, lhs, rhs]): TExpr => ({ k: 'binary', op: op as '&&', lhs, rhs })),
        tie('cond').map((arg): TExpr => ({ k: 'unary', op: '!', arg })),
      ),
    }));

    it('prints expressions that translate back to themselves', () => {
      const e = env({ a: f64, b: f64 }, {});
      fc.assert(fc.property(numeric.e, (x) => {
        const back = translateExpression(pythonExpr(x), e);
        assert.equal(printTExpr(back), printTExpr(x));
      }), { numRuns: 300 });
    });
  });
});
