// NPBench gemver: a rank-2 update of A, then x += beta·Aᵀy + z and w += alpha·A·x (products along opposite axes, in order).
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, fromFunction1, fromFunction2, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { gemverPresets } from './presets.js';

export const gemverProgram = () => program('gemver', {
  N: symbol, alpha: f64, beta: f64, A: array(f64, ['N', 'N']),
  u1: array(f64, ['N']), v1: array(f64, ['N']), u2: array(f64, ['N']), v2: array(f64, ['N']),
  w: array(f64, ['N']), x: array(f64, ['N']), y: array(f64, ['N']), z: array(f64, ['N']),
}, (p, { N, alpha, beta, A, u1, v1, u2, v2, w, x, y, z }) => {
  p.map('rank2_update')`i = 0:${N}, j = 0:${N}`.tasklet(
    { a: A.at`i, j`, p1: u1.at`i`, q1: v1.at`j`, p2: u2.at`i`, q2: v2.at`j` }, { o: A.at`i, j` },
  )`o = a + (p1 * q1 + p2 * q2)`;
  // x += beta * y @ A + z: the sum runs over the rows of A
  p.map('transposed_product')`i = 0:${N}, j = 0:${N}`.tasklet({ a: A.at`i, j`, yi: y.at`i` }, { o: x.at`j`.wcr('+') })`o = ${beta} * yi * a`;
  p.map('add_z')`j = 0:${N}`.tasklet({ xj: x.at`j`, zj: z.at`j` }, { o: x.at`j` })`o = xj + zj`;
  // w += alpha * A @ x: the sum runs over the columns
  p.map('product')`i = 0:${N}, j = 0:${N}`.tasklet({ a: A.at`i, j`, xj: x.at`j` }, { o: w.at`i`.wcr('+') })`o = ${alpha} * a * xj`;
});

export function gemverReference(args: KernelArgs): void {
  const N = sizeOf(args, 'N'), alpha = sizeOf(args, 'alpha'), beta = sizeOf(args, 'beta');
  const [A, u1, v1, u2, v2, w, x, y, z] = ['A', 'u1', 'v1', 'u2', 'v2', 'w', 'x', 'y', 'z'].map((n) => arrayOf<Float64Array>(args, n)) as Float64Array[];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) A[i * N + j]! += u1[i]! * v1[j]! + u2[i]! * v2[j]!;
  }
  for (let i = 0; i < N; i++) {
    const by = beta * y[i]!;
    for (let j = 0; j < N; j++) x[j]! += by * A[i * N + j]!;
  }
  for (let j = 0; j < N; j++) x[j]! += z[j]!;
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += A[i * N + j]! * x[j]!;
    w[i]! += alpha * s;
  }
}

export const gemver = defineKernel<{ N: number }>({
  name: 'gemver',
  description: 'rank-2 update (2-D map), then two matrix-vector products along opposite axes (maps with sums into x[j] and w[i])',
  sizeNames: ['N'],
  presets: gemverPresets,
  program: gemverProgram,
  init: ({ N }) => {
    const fn = N;
    return {
      N, alpha: 1.5, beta: 1.2,
      A: fromFunction2(Float64Array, N, N, (i, j) => ((i * j) % N) / N),
      u1: fromFunction1(Float64Array, N, (i) => i),
      u2: fromFunction1(Float64Array, N, (i) => (i + 1) / fn / 2.0),
      v1: fromFunction1(Float64Array, N, (i) => (i + 1) / fn / 4.0),
      v2: fromFunction1(Float64Array, N, (i) => (i + 1) / fn / 6.0),
      w: new Float64Array(N),
      x: new Float64Array(N),
      y: fromFunction1(Float64Array, N, (i) => (i + 1) / fn / 8.0),
      z: fromFunction1(Float64Array, N, (i) => (i + 1) / fn / 9.0),
    };
  },
  reference: gemverReference,
  outputs: ['A', 'x', 'w'],
  flops: ({ N }) => 10 * N * N + N,
  bytes: ({ N }) => 8 * (2 * N * N + 9 * N),
});
