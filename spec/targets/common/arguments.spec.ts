// Tests of argument checking and binding: every ArgumentError code with its exact message, and symbol inference.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bindArguments, describeData, freeSymbolsOf } from '../../../targets/common/arguments.js';
import { createSDFG, addState, addInterstateEdge } from '../../../graph/construct.js';
import { makeArray, makeScalar, makeStream } from '../../../graph/data.js';
import { bool, f32, f64, i32, i64, i8, u64 } from '../../../graph/dtypes.js';
import { ArgumentError } from '../../../graph/errors.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { sym } from '../../../graph/symbolic.js';

const N = sym('N'), M = sym('M');

/** A program taking A: f64[N, M], x: f64[M], alpha: f64, with symbols N and M. */
function program(): SDFG {
  const sdfg = createSDFG('prog');
  sdfg.symbols = { N: i64, M: i64 };
  sdfg.arrays.A = makeArray(f64, [N, M]);
  sdfg.arrays.x = makeArray(f64, [M]);
  sdfg.arrays.alpha = makeScalar(f64);
  sdfg.arrays.tmp = makeArray(f64, [N], { transient: true });
  sdfg.argNames = ['A', 'x', 'alpha', 'N', 'M'];
  return sdfg;
}

function throwsArg(run: () => unknown, code: string, message: string, hint?: string): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof ArgumentError, `expected an ArgumentError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.summary, message);
    if (hint !== undefined) assert.equal(e.hint, hint);
    return true;
  });
}

describe('targets/common/arguments', () => {
  describe('describeData', () => {
    it('names arrays, scalars and streams with dtype and shape', () => {
      const sdfg = program();
      assert.equal(describeData('A', sdfg.arrays.A!), 'array A: float64[N, M]');
      assert.equal(describeData('alpha', sdfg.arrays.alpha!), 'scalar alpha: float64');
      assert.equal(describeData('S', makeStream(f32, 4)), 'stream S: float32');
      assert.equal(describeData('S', makeStream(f32, 4, { shape: [3] })), 'stream S: float32[3]');
    });
  });

  describe('binding', () => {
    it('binds arrays as given, scalars as numbers, and infers symbols from lengths', () => {
      const A = new Float64Array(12), x = new Float64Array(4);
      const bound = bindArguments(program(), { A, x, alpha: 2 });
      assert.deepEqual(bound.symbols, { N: 3, M: 4 });
      assert.equal(bound.data.A, A);
      assert.equal(bound.data.x, x);
      assert.equal(bound.data.alpha, 2);
      assert.equal('tmp' in bound.data, false);
    });

    it('accepts explicit symbols that agree with the lengths, and bigint symbols', () => {
      const bound = bindArguments(program(), { A: new Float64Array(12), x: new Float64Array(4), alpha: 1, N: 3, M: 4n });
      assert.deepEqual(bound.symbols, { N: 3, M: 4 });
    });

    it('accepts booleans for bool scalars and bigints for 64-bit integer scalars', () => {
      const sdfg = createSDFG('s');
      sdfg.arrays.flag = makeScalar(bool);
      sdfg.arrays.big = makeScalar(i64);
      sdfg.arrays.B = makeArray(u64, [2]);
      const B = new BigUint64Array(2);
      const bound = bindArguments(sdfg, { flag: true, big: 5n, B });
      assert.deepEqual(bound.data, { flag: 1, big: 5, B });
    });

    it('infers affine lengths with offsets and coefficients (2*N + 1)', () => {
      const sdfg = createSDFG('s');
      sdfg.symbols = { N: i32 };
      sdfg.arrays.A = makeArray(f32, [N.mul(2).add(1)]);
      assert.deepEqual(bindArguments(sdfg, { A: new Float32Array(9) }).symbols, { N: 4 });
    });

    it('iterates: M from x, then N from A once M is known', () => {
      // A comes first in argument order and has two unknowns until x gives M.
      fc.assert(fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 20 }), (n, m) => {
        const bound = bindArguments(program(), { A: new Float64Array(n * m), x: new Float64Array(m), alpha: 0 });
        assert.deepEqual(bound.symbols, { N: n, M: m });
      }));
    });

    it('does not ask for symbols the program assigns itself', () => {
      const sdfg = program();
      sdfg.symbols.t = i64;
      const s0 = addState(sdfg, 's0'), s1 = addState(sdfg, 's1');
      addInterstateEdge(sdfg, s0, s1, { assignments: { t: { k: 'num', value: 0, isFloat: false } } });
      assert.deepEqual(freeSymbolsOf(sdfg).sort(), ['M', 'N']);
    });
  });

  describe('errors', () => {
    const good = () => ({ A: new Float64Array(12), x: new Float64Array(4), alpha: 1 });

    it('missing-argument names the container and what it is', () => {
      const { x, alpha } = good();
      throwsArg(() => bindArguments(program(), { x, alpha }), 'missing-argument', 'missing argument for array A: float64[N, M]');
      throwsArg(() => bindArguments(program(), { A: good().A, x }), 'missing-argument', 'missing argument for scalar alpha: float64');
    });

    it('unknown-argument with a did-you-mean hint when close', () => {
      throwsArg(() => bindArguments(program(), { ...good(), alpah: 1 }), 'unknown-argument', "unknown argument 'alpha'".replace('alpha', 'alpah'), "did you mean 'alpha'?");
      throwsArg(() => bindArguments(program(), { ...good(), n: 3 }), 'unknown-argument', "unknown argument 'n'", "did you mean 'N'?");
      throwsArg(() => bindArguments(program(), { ...good(), zzzzzz: 1 }), 'unknown-argument', "unknown argument 'zzzzzz'", 'the program takes A, x, alpha, N, M');
      throwsArg(() => bindArguments(program(), { ...good(), tmp: new Float64Array(3) }), 'unknown-argument', "unknown argument 'tmp'", 'tmp is transient: the program allocates it itself');
    });

    it('wrong-dtype for the wrong typed-array class or a scalar value of the wrong type', () => {
      throwsArg(() => bindArguments(program(), { ...good(), A: new Float32Array(12) }), 'wrong-dtype', 'A expects Float64Array (float64), got Float32Array');
      const sdfg = createSDFG('s');
      sdfg.arrays.B = makeArray(i64, [2]);
      sdfg.arrays.k = makeScalar(i8);
      sdfg.arrays.flag = makeScalar(bool);
      sdfg.arrays.y = makeScalar(f64);
      const B = new BigInt64Array(2);
      throwsArg(() => bindArguments(sdfg, { B: new Float64Array(2), k: 1, flag: true, y: 0 }), 'wrong-dtype', 'B expects BigInt64Array (int64), got Float64Array');
      throwsArg(() => bindArguments(sdfg, { B, k: 300, flag: true, y: 0 }), 'wrong-dtype', 'k expects an integer (int8: -128 to 127), got 300');
      throwsArg(() => bindArguments(sdfg, { B, k: 1.5, flag: true, y: 0 }), 'wrong-dtype', 'k expects an integer (int8: -128 to 127), got 1.5');
      throwsArg(() => bindArguments(sdfg, { B, k: 1, flag: 2, y: 0 }), 'wrong-dtype', 'flag expects a boolean (bool), got 2');
      throwsArg(() => bindArguments(sdfg, { B, k: 1, flag: false, y: true }), 'wrong-dtype', 'y expects a number (float64), got boolean');
      throwsArg(() => bindArguments(sdfg, { B, k: 1, flag: false, y: 1n }), 'wrong-dtype', 'y expects a number (float64), got bigint');
    });

    it('wrong-kind for scalars given as arrays, arrays as numbers, and symbols as arrays', () => {
      throwsArg(() => bindArguments(program(), { ...good(), alpha: new Float64Array(1) }), 'wrong-kind',
        'alpha must be a number (scalar alpha: float64), got Float64Array', 'scalars are passed as plain values, not arrays');
      throwsArg(() => bindArguments(program(), { ...good(), A: 3 }), 'wrong-kind',
        'A must be a typed array (array A: float64[N, M]), got number', 'pass a Float64Array');
      throwsArg(() => bindArguments(program(), { ...good(), A: [1, 2] as unknown as Float64Array }), 'wrong-kind',
        'A must be a typed array (array A: float64[N, M]), got Array', 'wrap it: new Float64Array([...])');
      throwsArg(() => bindArguments(program(), { ...good(), N: new Int32Array(1) }), 'wrong-kind',
        'N must be an integer (symbol N: int64), got Int32Array');
    });

    it('wrong-length with the expression, its value and the bindings', () => {
      throwsArg(() => bindArguments(program(), { ...good(), A: new Float64Array(10) }), 'wrong-length',
        'A has 10 elements, expected N*M, which no non-negative integer N gives (M=4)');
      const sdfg = program();
      sdfg.arrays.B = makeArray(f64, [N]);
      throwsArg(() => bindArguments(sdfg, { ...good(), B: new Float64Array(5) }), 'wrong-length',
        'A has 12 elements, expected N*M = 20 (N=5, M=4)');
      sdfg.arrays.C = makeArray(f64, [4, 2]);
      throwsArg(() => bindArguments(sdfg, { ...good(), B: new Float64Array(3), C: new Float64Array(7) }), 'wrong-length',
        'C has 7 elements, expected 8');
      const padded = createSDFG('p');
      padded.arrays.P = makeArray(f64, [N.add(1), M]);
      throwsArg(() => bindArguments(padded, { P: new Float64Array(10), N: 2, M: 3 }), 'symbol-mismatch',
        'symbols N=2, M=3 contradict the length of P: P has 10 elements, expected (N + 1)*M = 9 (N=2, M=3)');
    });

    it('wrong-length for the spec example: A has 10 elements, expected N*M = 12 (N=3, M=4)', () => {
      const sdfg = program();
      sdfg.arrays.y = makeArray(f64, [N]);
      throwsArg(() => bindArguments(sdfg, { ...good(), A: new Float64Array(10), y: new Float64Array(3) }), 'wrong-length',
        'A has 10 elements, expected N*M = 12 (N=3, M=4)');
    });

    it('bad-symbol for non-integer or negative sizes', () => {
      throwsArg(() => bindArguments(program(), { ...good(), N: 2.5 }), 'bad-symbol', 'symbol N must be an integer, got 2.5');
      throwsArg(() => bindArguments(program(), { ...good(), N: true as unknown as number }), 'bad-symbol', 'symbol N must be an integer, got true');
      throwsArg(() => bindArguments(program(), { ...good(), N: -3 }), 'bad-symbol',
        'symbol N must not be negative (it sizes array A: float64[N, M]), got -3');
    });

    it('symbol-mismatch when an explicit symbol contradicts a length', () => {
      throwsArg(() => bindArguments(program(), { ...good(), N: 2 }), 'symbol-mismatch',
        'symbol N=2 contradicts the length of A: A has 12 elements, expected N*M = 8 (N=2, M=4)',
        'leave N out to infer it from the arrays, or pass A with 8 elements');
    });

    it('cannot-infer-symbol with a hint to pass it', () => {
      const sdfg = createSDFG('s');
      sdfg.symbols = { N: i64, K: i64 };
      sdfg.arrays.A = makeArray(f64, [N, N]);
      // N*N grows with N: 9 elements give N = 3; 10 elements fit no N
      assert.deepEqual(bindArguments(sdfg, { A: new Float64Array(9), K: 1 }).symbols, { N: 3, K: 1 });
      throwsArg(() => bindArguments(sdfg, { A: new Float64Array(10), K: 1 }), 'wrong-length',
        'A has 10 elements, expected N*N, which no non-negative integer N gives');
      throwsArg(() => bindArguments(sdfg, { A: new Float64Array(9), N: 3 }), 'cannot-infer-symbol',
        "cannot infer symbol K: no array argument's length uses it", 'pass K explicitly');
      assert.deepEqual(bindArguments(sdfg, { A: new Float64Array(9), N: 3, K: 0 }).symbols, { N: 3, K: 0 });
      const two = createSDFG('t');
      two.symbols = { N: i64, M: i64 };
      two.arrays.A = makeArray(f64, [N, M]);
      throwsArg(() => bindArguments(two, { A: new Float64Array(6) }), 'cannot-infer-symbol',
        'cannot infer symbol N: every array whose length uses it has another unknown symbol', 'pass N explicitly');
    });

    it('attaches the caller location', () => {
      const loc = { file: 'user.ts', line: 3, column: 7 };
      assert.throws(() => bindArguments(program(), {}, { loc }), (e: unknown) => e instanceof ArgumentError && e.loc === loc);
    });
  });
});
