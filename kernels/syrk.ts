// NPBench syrk: C = alpha·A·Aᵀ + beta·C on the lower triangle: triangular map bounds (j < i+1) and a sum over k.
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, fromFunction2, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { syrkPresets } from './presets.js';

export const syrkProgram = () => program('syrk', {
  M: symbol, N: symbol, alpha: f64, beta: f64, C: array(f64, ['N', 'N']), A: array(f64, ['N', 'M']),
}, (p, { M, N, alpha, beta, C, A }) => {
  // a map's ranges cannot depend on its own parameters, so the triangle is a map nested in a map over rows
  p.map('scale')`i = 0:${N}`.map`j = 0:i + 1`.tasklet({ c: C.at`i, j` }, { o: C.at`i, j` })`o = ${beta} * c`;
  p.map('update')`i = 0:${N}`.map`j = 0:i + 1, k = 0:${M}`.tasklet(
    { a: A.at`i, k`, b: A.at`j, k` }, { o: C.at`i, j`.wcr('+') },
  )`o = ${alpha} * a * b`;
});

export function syrkReference(args: KernelArgs): void {
  const M = sizeOf(args, 'M'), N = sizeOf(args, 'N'), alpha = sizeOf(args, 'alpha'), beta = sizeOf(args, 'beta');
  const C = arrayOf<Float64Array>(args, 'C'), A = arrayOf<Float64Array>(args, 'A');
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) C[i * N + j]! *= beta;
    for (let k = 0; k < M; k++) {
      const aik = alpha * A[i * M + k]!;
      for (let j = 0; j <= i; j++) C[i * N + j]! += aik * A[j * M + k]!;
    }
  }
}

export const syrk = defineKernel<{ M: number; N: number }>({
  name: 'syrk',
  description: 'symmetric rank-k update of the lower triangle: nested maps with triangular bounds, a sum (wcr) over k',
  sizeNames: ['M', 'N'],
  presets: syrkPresets,
  program: syrkProgram,
  init: ({ M, N }) => ({
    M, N, alpha: 1.5, beta: 1.2,
    C: fromFunction2(Float64Array, N, N, (i, j) => ((i * j + 2) % N) / M),
    A: fromFunction2(Float64Array, N, M, (i, j) => ((i * j + 1) % N) / N),
  }),
  reference: syrkReference,
  outputs: ['C'],
  flops: ({ M, N }) => (N * (N + 1) / 2) * (3 * M + 1),
  bytes: ({ M, N }) => 8 * (N * M + N * (N + 1)),
});
