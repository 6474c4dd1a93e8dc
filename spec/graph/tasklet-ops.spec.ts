// Tasklet operators and math functions: C evaluation semantics, casts, wcr ops, and each target's spelling.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bool, f16, f32, f64, i16, i32, i64, i8, u16, u32, u64, u8, type DType } from '../../graph/dtypes.js';
import { TargetError, TaskletError } from '../../graph/errors.js';
import {
  binaryOps, castValue, evalBinary, evalCall, evalUnary, evalWcrOp, f16round, helpersFor, isMathFunction,
  mathFunctions, unaryOps, wcrIdentity, wcrOps, type SpellingTarget,
} from '../../graph/tasklet-ops.js';

const targets: readonly SpellingTarget[] = ['c', 'cuda', 'hls', 'wgsl'];

function throwsCode(fn: () => unknown, kind: typeof TaskletError | typeof TargetError, code: string, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    return true;
  });
}

describe('graph/tasklet-ops', () => {
  describe('the table', () => {
    it('defines every operator and function once, with all four spellings side by side', () => {
      for (const def of [...Object.values(binaryOps), ...Object.values(unaryOps), ...Object.values(mathFunctions), ...Object.values(wcrOps)]) {
        for (const t of targets) assert.equal(typeof def[t], 'function');
      }
      assert.equal(Object.keys(binaryOps).length, 19);
      assert.ok(isMathFunction('sqrt') && isMathFunction('atan2') && !isMathFunction('toString') && !isMathFunction('f32'));
    });

    it('states the result type of each operator', () => {
      assert.equal(binaryOps['+'].resultType(u8), u8);
      assert.equal(binaryOps['<'].resultType(f64), bool);
      assert.equal(binaryOps['&&'].resultType(bool), bool);
      assert.equal(binaryOps['<<'].resultType(i64), i64);
      assert.equal(unaryOps['!'].resultType(bool), bool);
      assert.equal(mathFunctions['isnan']!.resultType(f32), bool);
      assert.equal(mathFunctions['sqrt']!.resultType(f32), f32);
      assert.equal(binaryOps['&&'].shortCircuit, true);
      assert.equal(binaryOps['&'].shortCircuit, false);
    });
  });

  describe('evaluation (C semantics)', () => {
    const cases: [string, number, number, DType, number][] = [
      // integer division truncates toward zero; the remainder takes the dividend's sign
      ['/', -7, 2, i32, -3], ['/', 7, -2, i32, -3], ['%', -7, 2, i32, -1], ['%', 7, -2, i32, 1],
      ['/', -2147483648, -1, i32, -2147483648],
      // wrap-around to the width of the type
      ['+', 2147483647, 1, i32, -2147483648], ['*', 65536, 65536, i32, 0],
      ['*', 123456789, 987654321, i32, Math.imul(123456789, 987654321)],
      ['+', 250, 10, u8, 4], ['-', 0, 1, u8, 255], ['*', 16, 16, u8, 0], ['-', 0, 1, u32, 4294967295],
      ['+', 32767, 1, i16, -32768], ['+', 127, 1, i8, -128], ['+', 65535, 1, u16, 0],
      ['+', 2 ** 53, 2 ** 53, i64, 2 ** 54], ['*', 2 ** 62, 2, i64, -(2 ** 63)],
      ['*', 3037000500, 3037000500, i64, Number(BigInt.asIntN(64, 3037000500n * 3037000500n))],
      ['/', 2 ** 60, 3, i64, Number(2n ** 60n / 3n)],
      // floats: IEEE, rounded to the type
      ['/', 1, 0, f64, Infinity], ['%', -7.5, 2, f64, -1.5], ['/', -7, 2, f64, -3.5],
      ['+', Math.fround(0.1), Math.fround(0.2), f32, Math.fround(Math.fround(0.1) + Math.fround(0.2))],
      ['+', 0.1, 0.2, f64, 0.1 + 0.2],
      // shifts: counts modulo the width C computes in; >> is arithmetic on signed types
      ['<<', 1, 31, i32, -2147483648], ['<<', 1, 32, i32, 1], ['>>', -8, 1, i32, -4],
      ['>>', 0x80000000, 4, u32, 0x08000000], ['<<', 0xff, 4, u8, 0xf0], ['<<', 1, 40, i64, 2 ** 40],
      ['>>', -(2 ** 40), 3, i64, -(2 ** 37)],
      // bitwise
      ['&', 0xf0f0, 0xff00, i32, 0xf000], ['^', -1, 1, i32, -2], ['|', 2 ** 40, 1, i64, 2 ** 40 + 1],
      ['&', 0xffffffff, 0xf0000000, u32, 0xf0000000],
      // integer power by squaring, wrapping; negative exponents truncate 1/a^|b|
      ['**', 2, 10, i32, 1024], ['**', 2, 31, i32, -2147483648], ['**', 3, 5, u8, 243], ['**', 3, 6, u8, 217],
      ['**', 2, -1, i32, 0], ['**', -1, -3, i32, -1], ['**', 1, -5, i32, 1], ['**', 3, 40, i64, Number(BigInt.asIntN(64, 3n ** 40n))],
      ['**', 2, 0.5, f64, Math.SQRT2],
      // comparisons and logic give 0|1
      ['<', 1, 2, i32, 1], ['>=', 1, 2, i32, 0], ['==', NaN, NaN, f64, 0], ['!=', NaN, NaN, f64, 1],
      ['<', NaN, 1, f64, 0], ['&&', 1, 0, bool, 0], ['||', 0, 1, bool, 1], ['==', 1, 1, bool, 1],
    ];
    for (const [op, a, b, t, expected] of cases) {
      it(`${a} ${op} ${b} in ${t.short} is ${expected}`, () => {
        assert.equal(evalBinary(op as keyof typeof binaryOps, a, b, t), expected);
      });
    }

    it('never yields -0 for integers', () => {
      assert.ok(Object.is(evalBinary('%', -8, 2, i32), 0));
      assert.ok(Object.is(evalBinary('%', -8, 2, i64), 0));
      assert.ok(Object.is(evalBinary('*', -0, 5, i64), 0));
    });

    it('rejects integer division by zero (undefined in C)', () => {
      const message = '[division-by-zero] integer division by zero\n  hint: guard the divisor (C leaves this undefined)';
      throwsCode(() => evalBinary('/', 1, 0, i32), TaskletError, 'division-by-zero', message);
      throwsCode(() => evalBinary('%', 1, 0, u8), TaskletError, 'division-by-zero',
        '[division-by-zero] integer remainder by zero\n  hint: guard the divisor (C leaves this undefined)');
      throwsCode(() => evalBinary('**', 0, -1, i32), TaskletError, 'division-by-zero',
        '[division-by-zero] integer power by zero\n  hint: guard the divisor (C leaves this undefined)');
    });

    it('matches exact two\'s-complement arithmetic (BigInt) for i32, u8 and i64', () => {
      const ops: [('+' | '-' | '*'), (x: bigint, y: bigint) => bigint][] = [['+', (x, y) => x + y], ['-', (x, y) => x - y], ['*', (x, y) => x * y]];
      fc.assert(fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (a, b) => {
        for (const [op, big] of ops) assert.equal(evalBinary(op, a, b, i32), Number(BigInt.asIntN(32, big(BigInt(a), BigInt(b)))));
      }));
      fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, b) => {
        for (const [op, big] of ops) assert.equal(evalBinary(op, a, b, u8), Number(BigInt.asUintN(8, big(BigInt(a), BigInt(b)))));
      }));
      fc.assert(fc.property(fc.maxSafeInteger(), fc.maxSafeInteger(), (a, b) => {
        for (const [op, big] of ops) assert.equal(evalBinary(op, a, b, i64), Number(BigInt.asIntN(64, big(BigInt(a), BigInt(b)))));
        if (b !== 0) assert.equal(evalBinary('/', a, b, i64), Number(BigInt(a) / BigInt(b)));
      }));
    });

    it('evaluates unary operators', () => {
      assert.equal(evalUnary('-', -2147483648, i32), -2147483648);
      assert.equal(evalUnary('-', 1, u32), 4294967295);
      assert.equal(evalUnary('-', 1.5, f64), -1.5);
      assert.equal(evalUnary('+', 7, i8), 7);
      assert.equal(evalUnary('~', 0, i32), -1);
      assert.equal(evalUnary('~', 0, u8), 255);
      assert.equal(evalUnary('~', 5, i64), -6);
      assert.equal(evalUnary('~', 0, u32), 4294967295);
      assert.equal(evalUnary('!', 0, bool), 1);
      assert.equal(evalUnary('!', 1, bool), 0);
    });
  });

  describe('castValue (C conversions)', () => {
    const cases: [number, DType, number][] = [
      [3.7, i32, 3], [-3.7, i32, -3], [NaN, i32, 0], [Infinity, i32, 0], [-Infinity, i64, 0],
      [300, u8, 44], [-1, u8, 255], [-1, u32, 4294967295], [2 ** 31, i32, -(2 ** 31)], [2 ** 63, i64, -(2 ** 63)],
      [65536 + 5, u16, 5], [200, i8, -56], [-1.9, u8, 255],
      [2.5, bool, 1], [0, bool, 0], [NaN, bool, 1], [-0, bool, 0],
      [0.1, f32, Math.fround(0.1)], [1e40, f32, Infinity], [1.5, f64, 1.5], [7, f64, 7],
      [1 / 3, f16, 0.333251953125], [65519, f16, 65504], [65520, f16, Infinity], [2 ** -25, f16, 0], [3 * 2 ** -26, f16, 2 ** -24],
    ];
    for (const [x, t, expected] of cases) {
      it(`${x} → ${t.short} is ${expected}`, () => assert.equal(castValue(x, t), expected));
    }

    it('truncates -0.5 to +0, not -0', () => {
      assert.ok(Object.is(castValue(-0.5, i32), 0));
      assert.ok(Object.is(castValue(-0.5, i64), 0));
    });

    it('rounds to half precision with ties to even, like Math.fround does for single', () => {
      assert.equal(f16round(1 + 2 ** -11), 1); // halfway between 1 and 1 + 2^-10: to even
      assert.equal(f16round(1 + 3 * 2 ** -11), 1 + 2 ** -9);
      assert.equal(f16round(-2.0009765625), -2);
      assert.equal(f16round(1024.5), 1024);
      fc.assert(fc.property(fc.integer({ min: -2048, max: 2048 }), (n) => f16round(n) === n));
    });
  });

  describe('math functions', () => {
    const cases: [string, number[], DType, number][] = [
      ['sqrt', [2], f64, Math.SQRT2], ['sqrt', [2], f32, Math.fround(Math.SQRT2)],
      ['round', [2.5], f64, 3], ['round', [-2.5], f64, -3], ['round', [0.49999999999999994], f64, 0], ['round', [-0.4], f64, -0],
      ['floor', [-1.5], f64, -2], ['ceil', [-1.5], f64, -1], ['trunc', [-1.5], f64, -1],
      ['min', [NaN, 1], f64, NaN], ['min', [1, NaN], f64, 1], ['max', [2, 3], i32, 3], ['min', [-1, 4], i64, -1],
      ['abs', [-2147483648], i32, -2147483648], ['abs', [-3], i32, 3], ['abs', [-0.5], f32, 0.5],
      ['sign', [-5], i32, -1], ['sign', [0], f64, 0], ['sign', [2.5], f64, 1], ['sign', [NaN], f64, 0],
      ['isnan', [NaN], f64, 1], ['isnan', [1], f64, 0], ['isinf', [-Infinity], f32, 1], ['isinf', [1e308], f64, 0],
      ['clamp', [5, 0, 3], i32, 3], ['clamp', [-5, 0, 3], i32, 0], ['clamp', [2, 0, 3], f64, 2],
      ['fma', [2, 3, 4], f64, 10], ['pow', [2, 10], f64, 1024], ['log10', [100], f64, 2], ['exp2', [3], f32, 8],
      ['atan2', [1, 1], f64, Math.PI / 4], ['log', [Math.E], f64, 1],
    ];
    for (const [fn, args, t, expected] of cases) {
      it(`${fn}(${args.join(', ')}) in ${t.short} is ${expected}`, () => assert.ok(Object.is(evalCall(fn, args, t), expected), `got ${evalCall(fn, args, t)}`));
    }

    it('rejects an unknown function', () => {
      throwsCode(() => evalCall('sqr', [1], f64), TaskletError, 'unknown-function',
        `[unknown-function] unknown function 'sqr'\n  hint: known functions: ${Object.keys(mathFunctions).join(', ')}; casts are written f32(x), i32(x), …`);
    });
  });

  describe('write-conflict resolution', () => {
    it('combines like the operator it stands for', () => {
      assert.equal(evalWcrOp('sum', 250, 10, u8), 4);
      assert.equal(evalWcrOp('sum', 1.5, 2, f64), 3.5);
      assert.equal(evalWcrOp('product', 3, 4, i32), 12);
      assert.equal(evalWcrOp('min', 3, 1, f64), 1);
      assert.equal(evalWcrOp('max', 3, 1, i32), 3);
      assert.equal(evalWcrOp('sum', 1, 1, bool), 1);
    });

    it('starts from an identity', () => {
      assert.equal(wcrIdentity('sum', f64), 0);
      assert.equal(wcrIdentity('product', i32), 1);
      assert.equal(wcrIdentity('min', f64), Infinity);
      assert.equal(wcrIdentity('max', f32), -Infinity);
      assert.equal(wcrIdentity('min', i32), 2147483647);
      assert.equal(wcrIdentity('max', i32), -2147483648);
      assert.equal(wcrIdentity('min', u8), 255);
      assert.equal(wcrIdentity('max', u8), 0);
      assert.equal(wcrIdentity('max', i64), -(2 ** 63));
      assert.equal(wcrIdentity('min', i64), 2 ** 63 - 1024); // the largest double that is an i64
      const samples: [DType, fc.Arbitrary<number>][] = [
        [i32, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })], [u8, fc.integer({ min: 0, max: 255 })],
        [f64, fc.double({ noNaN: true })], [i64, fc.maxSafeInteger()],
      ];
      for (const [t, values] of samples) {
        fc.assert(fc.property(values, (x) => {
          for (const op of ['sum', 'product', 'min', 'max'] as const) assert.ok(evalWcrOp(op, wcrIdentity(op, t), x, t) === x, `${op} ${t.short} ${x}`);
        }));
      }
    });

    it('spells the combination and the identity per target', () => {
      assert.equal(wcrOps.sum.c(['a', 'b'], f64), 'a + b');
      assert.equal(wcrOps.min.c(['a', 'b'], f64), 'std::min<double>(a, b)');
      assert.equal(wcrOps.max.wgsl(['a', 'b'], f32), 'max(a, b)');
      assert.equal(wcrOps.min.identityC(f32), 'std::numeric_limits<float>::infinity()');
      assert.equal(wcrOps.max.identityC(f64), '-std::numeric_limits<double>::infinity()');
      assert.equal(wcrOps.max.identityC(i32), 'std::numeric_limits<int32_t>::lowest()');
      assert.equal(wcrOps.product.identityC(i64), 'int64_t(1)');
      assert.equal(wcrOps.min.identityWgsl(f32), 'f32(bitcast<f32>(0x7f800000u))');
      assert.equal(wcrOps.max.identityWgsl(i32), 'i32(-2147483648)');
      assert.equal(wcrOps.sum.identityWgsl(u32), 'u32(0)');
    });
  });

  describe('spellings', () => {
    const spell = (def: { c: unknown; cuda: unknown; hls: unknown; wgsl: unknown }, args: string[], t: DType): Record<SpellingTarget, string> => {
      const out = {} as Record<SpellingTarget, string>;
      for (const target of targets) {
        const f = def[target] as (a: string[], t: DType) => string;
        try { out[target] = f(args, t); } catch (e) { out[target] = e instanceof TargetError ? `<${e.code}>` : `<${String(e)}>`; }
      }
      return out;
    };
    const ab = ['a', 'b'];

    it('arithmetic', () => {
      assert.deepEqual(spell(binaryOps['+'], ab, f64), { c: 'a + b', cuda: 'a + b', hls: 'a + b', wgsl: '<wgsl-unsupported-type>' });
      assert.deepEqual(spell(binaryOps['+'], ab, u8), { c: '(uint8_t)(a + b)', cuda: '(uint8_t)(a + b)', hls: '(uint8_t)(a + b)', wgsl: '<wgsl-unsupported-type>' });
      assert.deepEqual(spell(binaryOps['*'], ab, f16), { c: '(_Float16)(a * b)', cuda: 'a * b', hls: '(_Float16)(a * b)', wgsl: 'a * b' });
      assert.deepEqual(spell(binaryOps['%'], ab, f32), { c: 'std::fmod(a, b)', cuda: 'fmodf(a, b)', hls: 'std::fmod(a, b)', wgsl: 'a % b' });
      assert.deepEqual(spell(binaryOps['%'], ab, f64), { c: 'std::fmod(a, b)', cuda: 'fmod(a, b)', hls: 'std::fmod(a, b)', wgsl: '<wgsl-unsupported-type>' });
      assert.deepEqual(spell(binaryOps['%'], ab, i32), { c: 'a % b', cuda: 'a % b', hls: 'a % b', wgsl: 'a % b' });
      assert.deepEqual(spell(binaryOps['**'], ab, f32), { c: 'std::pow(a, b)', cuda: 'powf(a, b)', hls: 'std::pow(a, b)', wgsl: 'pow(a, b)' });
      assert.deepEqual(spell(binaryOps['**'], ab, i32), { c: 'sdfg_ipow(a, b)', cuda: 'sdfg_ipow(a, b)', hls: 'sdfg_ipow(a, b)', wgsl: 'sdfg_ipow_i32(a, b)' });
      assert.deepEqual(spell(binaryOps['**'], ab, u32), { c: 'sdfg_ipow(a, b)', cuda: 'sdfg_ipow(a, b)', hls: 'sdfg_ipow(a, b)', wgsl: 'sdfg_ipow_u32(a, b)' });
    });

    it('comparisons, logic and shifts', () => {
      assert.deepEqual(spell(binaryOps['<='], ab, u8), { c: 'a <= b', cuda: 'a <= b', hls: 'a <= b', wgsl: '<wgsl-unsupported-type>' });
      assert.deepEqual(spell(binaryOps['&&'], ab, bool), { c: 'a && b', cuda: 'a && b', hls: 'a && b', wgsl: 'a && b' });
      assert.deepEqual(spell(binaryOps['<<'], ab, i32), { c: 'a << b', cuda: 'a << b', hls: 'a << b', wgsl: 'a << u32(b)' });
      assert.deepEqual(spell(binaryOps['>>'], ab, u16), { c: '(uint16_t)(a >> b)', cuda: '(uint16_t)(a >> b)', hls: '(uint16_t)(a >> b)', wgsl: '<wgsl-unsupported-type>' });
    });

    it('unary operators', () => {
      assert.deepEqual(spell(unaryOps['-'], ['x'], u32), { c: '-x', cuda: '-x', hls: '-x', wgsl: '0u - x' });
      assert.deepEqual(spell(unaryOps['-'], ['x'], i8), { c: '(int8_t)(-x)', cuda: '(int8_t)(-x)', hls: '(int8_t)(-x)', wgsl: '<wgsl-unsupported-type>' });
      assert.deepEqual(spell(unaryOps['+'], ['x'], f32), { c: 'x', cuda: 'x', hls: 'x', wgsl: 'x' });
      assert.deepEqual(spell(unaryOps['!'], ['x'], bool), { c: '!x', cuda: '!x', hls: '!x', wgsl: '!x' });
      assert.deepEqual(spell(unaryOps['~'], ['x'], u32), { c: '~x', cuda: '~x', hls: '~x', wgsl: '~x' });
    });

    it('math functions', () => {
      const m = mathFunctions;
      assert.deepEqual(spell(m['sqrt']!, ['x'], f64), { c: 'std::sqrt(x)', cuda: 'sqrt(x)', hls: 'std::sqrt(x)', wgsl: '<wgsl-unsupported-type>' });
      assert.deepEqual(spell(m['sqrt']!, ['x'], f32), { c: 'std::sqrt(x)', cuda: 'sqrtf(x)', hls: 'std::sqrt(x)', wgsl: 'sqrt(x)' });
      assert.deepEqual(spell(m['sqrt']!, ['x'], f16), {
        c: '((_Float16)std::sqrt((float)x))', cuda: '__float2half(sqrtf(__half2float(x)))', hls: '((_Float16)std::sqrt((float)x))', wgsl: 'sqrt(x)',
      });
      assert.deepEqual(spell(m['abs']!, ['x'], i32), { c: 'std::abs(x)', cuda: 'abs(x)', hls: 'std::abs(x)', wgsl: 'abs(x)' });
      assert.deepEqual(spell(m['abs']!, ['x'], i8), { c: '((int8_t)std::abs(x))', cuda: '((int8_t)abs(x))', hls: '((int8_t)std::abs(x))', wgsl: '<wgsl-unsupported-type>' });
      assert.deepEqual(spell(m['abs']!, ['x'], u32), { c: 'x', cuda: 'x', hls: 'x', wgsl: 'abs(x)' });
      assert.deepEqual(spell(m['abs']!, ['x'], i64), { c: 'std::abs(x)', cuda: 'llabs(x)', hls: 'std::abs(x)', wgsl: '<wgsl-unsupported-type>' });
      assert.deepEqual(spell(m['abs']!, ['x'], f32), { c: 'std::abs(x)', cuda: 'fabsf(x)', hls: 'std::abs(x)', wgsl: 'abs(x)' });
      assert.deepEqual(spell(m['min']!, ab, i64), { c: 'std::min<int64_t>(a, b)', cuda: 'min(a, b)', hls: 'std::min<int64_t>(a, b)', wgsl: '<wgsl-unsupported-type>' });
      assert.deepEqual(spell(m['max']!, ab, f32), { c: 'std::max<float>(a, b)', cuda: 'max(a, b)', hls: 'std::max<float>(a, b)', wgsl: 'max(a, b)' });
      assert.deepEqual(spell(m['pow']!, ab, f64), { c: 'std::pow(a, b)', cuda: 'pow(a, b)', hls: 'std::pow(a, b)', wgsl: '<wgsl-unsupported-type>' });
      assert.equal(m['log10']!.wgsl(['x'], f32), '(log2(x) * 0.30102999566398120)');
      assert.equal(m['round']!.wgsl(['x'], f32), '(trunc(x) + select(f32(0), sign(x), abs(x - trunc(x)) >= f32(0.5)))');
      assert.equal(m['round']!.cuda(['x'], f32), 'roundf(x)');
      assert.deepEqual(spell(m['isnan']!, ['x'], f32), {
        c: 'std::isnan(x)', cuda: 'isnan(x)', hls: 'std::isnan(x)', wgsl: '((bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u)',
      });
      assert.equal(m['isinf']!.wgsl(['x'], f16), '((bitcast<u32>(f32(x)) & 0x7fffffffu) == 0x7f800000u)');
      assert.deepEqual(spell(m['sign']!, ['x'], i32), {
        c: '((int32_t)((x > 0) - (x < 0)))', cuda: '((int32_t)((x > 0) - (x < 0)))', hls: '((int32_t)((x > 0) - (x < 0)))', wgsl: 'sign(x)',
      });
      assert.equal(m['sign']!.wgsl(['x'], u32), 'min(x, 1u)');
      assert.equal(m['clamp']!.c(['x', 'lo', 'hi'], f64), 'std::clamp<double>(x, lo, hi)');
      assert.equal(m['fma']!.cuda(['a', 'b', 'c'], f32), 'fmaf(a, b, c)');
    });

    it('says which types WGSL lacks', () => {
      throwsCode(() => binaryOps['+'].wgsl(ab, i64), TargetError, 'wgsl-unsupported-type',
        '[wgsl-unsupported-type] WGSL has no i64 (int64) type\n  hint: use i32, u32, f32 or f16 data for the WebGPU target, or cast in the tasklet');
      throwsCode(() => mathFunctions['exp']!.wgsl(['x'], f64), TargetError, 'wgsl-unsupported-type',
        '[wgsl-unsupported-type] WGSL has no f64 (float64) type\n  hint: use i32, u32, f32 or f16 data for the WebGPU target, or cast in the tasklet');
    });

    it('brings the helpers that the emitted code calls', () => {
      assert.match(helpersFor('c', 'out = sdfg_ipow(a, b);'), /^template <typename T, typename E>\nstatic inline T sdfg_ipow/);
      assert.match(helpersFor('cuda', 'out = sdfg_ipow(a, b);'), /static __host__ __device__ inline T sdfg_ipow/);
      assert.equal(helpersFor('c', 'out = a + b;'), '');
      assert.match(helpersFor('wgsl', 'let x = sdfg_ipow_u32(a, b);'), /^fn sdfg_ipow_u32\(base: u32, exponent: u32\) -> u32 \{/);
      assert.equal(helpersFor('wgsl', 'let x = sdfg_ipow_u32(a, b);').includes('sdfg_ipow_i32'), false);
    });
  });
});
