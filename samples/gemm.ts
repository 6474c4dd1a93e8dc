// C = alpha·A·B + beta·C as two maps: a scaling map and a 3-D map whose sum over k resolves write conflicts.
import { program, symbol, array, f64 } from '../index.js';

export const gemm = program('gemm', {
  NI: symbol, NJ: symbol, NK: symbol, alpha: f64, beta: f64,
  A: array(f64, ['NI', 'NK']), B: array(f64, ['NK', 'NJ']), C: array(f64, ['NI', 'NJ']),
}, (p, { NI, NJ, NK, alpha, beta, A, B, C }) => {
  p.map('scale')`i = 0:${NI}, j = 0:${NJ}`.tasklet({ c: C.at`i, j` }, { out: C.at`i, j` })`out = ${beta} * c`;
  p.map('multiply')`i = 0:${NI}, j = 0:${NJ}, k = 0:${NK}`
    .tasklet({ a: A.at`i, k`, b: B.at`k, j` }, { out: C.at`i, j`.wcr('+') })`out = ${alpha} * a * b`;
});

export function gemmPlain(NI: number, NJ: number, NK: number, alpha: number, beta: number, A: Float64Array, B: Float64Array, C: Float64Array): void {
  for (let i = 0; i < NI; i++) {
    for (let j = 0; j < NJ; j++) C[i * NJ + j]! *= beta;
    for (let k = 0; k < NK; k++) {
      const aik = alpha * A[i * NK + k]!;
      for (let j = 0; j < NJ; j++) C[i * NJ + j] = C[i * NJ + j]! + aik * B[k * NJ + j]!;
    }
  }
}
