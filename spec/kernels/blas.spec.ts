// The BLAS building blocks on the reference interpreter against their TypeScript twins, in f64 and f32, alone and composed.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, f32 } from '../../index.js';
import { blas, compareArrays, seeded } from '../../kernels/index.js';

const runs = { numRuns: 6 };
const dtypes = [f64, f32] as const;
const dim = fc.integer({ min: 1, max: 5 });
const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function close(expected: ArrayLike<number>, actual: ArrayLike<number>, what: string): void {
  const c = compareArrays(expected, actual);
  assert.ok(c.ok, `${what}: max violation ${c.maxViolation}, relative L2 ${c.relativeL2}`);
}

function randomArray(dtype: blas.FloatDType, n: number, s: number) {
  const rng = seeded(s);
  return dtype === f64 ? rng.float64Array(n) : rng.float32Array(n);
}

describe('kernels/blas', () => {
  for (const dtype of dtypes) {
    describe(dtype.short, () => {
      it('axpy', () => fc.assert(fc.property(dim, seed, (N, s) => {
        const x = randomArray(dtype, N, s), y = randomArray(dtype, N, s + 1), expected = y.slice();
        blas.axpyReference(dtype, 1.5, x, expected);
        blas.axpy(dtype).run({ N, a: 1.5, x, y } as never);
        close(expected, y, 'axpy');
      }), runs));

      it('dot', () => fc.assert(fc.property(dim, seed, (N, s) => {
        const x = randomArray(dtype, N, s), y = randomArray(dtype, N, s + 1), result = new dtype.array(1);
        blas.dot(dtype).run({ N, x, y, result } as never);
        close([blas.dotReference(dtype, x, y)], result, 'dot');
      }), runs));

      for (const transpose of [false, true]) {
        it(`gemv${transpose ? ' (transposed)' : ''}`, () => fc.assert(fc.property(dim, dim, seed, (M, N, s) => {
          const A = randomArray(dtype, M * N, s), x = randomArray(dtype, transpose ? M : N, s + 1), y = randomArray(dtype, transpose ? N : M, s + 2);
          const expected = y.slice();
          blas.gemvReference(dtype, transpose, M, N, 1.5, 1.2, A, x, expected);
          blas.gemv(dtype, { transpose }).run({ M, N, alpha: 1.5, beta: 1.2, A, x, y } as never);
          close(expected, y, 'gemv');
        }), runs));
      }

      const variants: blas.GemmOptions[] = [{}, { transA: true }, { transB: true }, { transA: true, transB: true }, { implementation: 'matmul' }];
      for (const options of variants) {
        it(`gemm ${JSON.stringify(options)}`, () => fc.assert(fc.property(dim, dim, dim, seed, (M, N, K, s) => {
          const A = randomArray(dtype, M * K, s), B = randomArray(dtype, K * N, s + 1), C = randomArray(dtype, M * N, s + 2);
          const expected = C.slice();
          blas.gemmReference(dtype, options, M, N, K, 1.5, 1.2, A, B, expected);
          blas.gemm(dtype, options).run({ M, N, K, alpha: 1.5, beta: 1.2, A, B, C } as never);
          close(expected, C, 'gemm');
        }), runs));
      }
    });
  }

  it('names programs by operation and dtype', () => {
    assert.equal(blas.gemm(f32, { transB: true }).name, 'gemm_tb_f32');
    assert.equal(blas.gemv(f64, { transpose: true }).name, 'gemv_t_f64');
    assert.equal(blas.axpy(f64, { name: 'my_axpy' }).name, 'my_axpy');
  });

  it('rejects the MatMul implementation with a transpose', () => {
    assert.throws(() => blas.gemm(f64, { transA: true, implementation: 'matmul' }), {
      name: 'RangeError', message: 'gemm: the MatMul implementation takes A and B untransposed; use implementation "map" for transposes',
    });
  });

  it('composes as nested programs: s = ‖alpha·A·x + beta·y‖²', () => {
    const composed = program('gemv_then_dot', {
      M: symbol, N: symbol, alpha: f64, beta: f64, A: array(f64, ['M', 'N']), x: array(f64, ['N']), y: array(f64, ['M']), s: array(f64, [1]),
    }, (p, { alpha, beta, A, x, y, s }) => {
      p.call(blas.gemv(f64), { A, x, y, alpha, beta });
      p.call(blas.dot(f64), { x: y, y, result: s });
    });
    fc.assert(fc.property(dim, dim, seed, (M, N, sd) => {
      const A = randomArray(f64, M * N, sd) as Float64Array, x = randomArray(f64, N, sd + 1) as Float64Array, y = randomArray(f64, M, sd + 2) as Float64Array;
      const expected = y.slice(), s = new Float64Array(1);
      composed.run({ M, N, alpha: 1.5, beta: 1.2, A, x, y, s });
      blas.gemvReference(f64, false, M, N, 1.5, 1.2, A, x, expected);
      close(expected, y, 'y');
      close([blas.dotReference(f64, expected, expected)], s, 's');
    }), runs);
  });
});
