// NPBench gemm: C = alpha·A·B + beta·C, as NPBench writes it: a MatMul library node (A @ B) and an elementwise map.
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, fromFunction2, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { gemmPresets } from './presets.js';

export const gemmProgram = () => program('gemm', {
  NI: symbol, NJ: symbol, NK: symbol, alpha: f64, beta: f64,
  C: array(f64, ['NI', 'NJ']), A: array(f64, ['NI', 'NK']), B: array(f64, ['NK', 'NJ']),
}, (p, { NI, NJ, alpha, beta, A, B, C }) => {
  // A @ B as a library node: each target expands it to its fastest implementation (OpenBLAS's dgemm on CPUs)
  const product = p.transient('AB', f64, [NI, NJ]);
  p.matmul(A, B, product);
  p.map('combine')`i = 0:${NI}, j = 0:${NJ}`
    .tasklet({ ab: product.at`i, j`, c: C.at`i, j` }, { out: C.at`i, j` })`out = ${alpha} * ab + ${beta} * c`;
});

export function gemmReference(args: KernelArgs): void {
  const [NI, NJ, NK] = [sizeOf(args, 'NI'), sizeOf(args, 'NJ'), sizeOf(args, 'NK')];
  const alpha = sizeOf(args, 'alpha'), beta = sizeOf(args, 'beta');
  const A = arrayOf<Float64Array>(args, 'A'), B = arrayOf<Float64Array>(args, 'B'), C = arrayOf<Float64Array>(args, 'C');
  for (let i = 0; i < NI; i++) {
    for (let j = 0; j < NJ; j++) C[i * NJ + j]! *= beta;
    for (let k = 0; k < NK; k++) {
      const aik = alpha * A[i * NK + k]!;
      for (let j = 0; j < NJ; j++) C[i * NJ + j] = C[i * NJ + j]! + aik * B[k * NJ + j]!;
    }
  }
}

export const gemm = defineKernel<{ NI: number; NJ: number; NK: number }>({
  name: 'gemm',
  description: 'C = alpha A B + beta C: a MatMul library node into a transient and a 2-D elementwise map, C updated in place',
  sizeNames: ['NI', 'NJ', 'NK'],
  presets: gemmPresets,
  program: gemmProgram,
  init: ({ NI, NJ, NK }) => ({
    NI, NJ, NK, alpha: 1.5, beta: 1.2,
    C: fromFunction2(Float64Array, NI, NJ, (i, j) => ((i * j + 1) % NI) / NI),
    A: fromFunction2(Float64Array, NI, NK, (i, k) => ((i * (k + 1)) % NK) / NK),
    B: fromFunction2(Float64Array, NK, NJ, (k, j) => ((k * (j + 2)) % NJ) / NJ),
  }),
  reference: gemmReference,
  outputs: ['C'],
  flops: ({ NI, NJ, NK }) => NI * NJ * (2 * NK + 1),
  bytes: ({ NI, NJ, NK }) => 8 * (NI * NK + NK * NJ + 2 * NI * NJ),
});
