// Sparse matrix × vector in CSR form: data-dependent loop bounds and indirect reads x[col[k]].
import { program, symbol, array, f64, i32 } from '../index.js';

export const spmv = program('spmv', {
  M: symbol, N: symbol, NNZ: symbol,
  rowptr: array(i32, ['M + 1']), col: array(i32, ['NNZ']), val: array(f64, ['NNZ']), x: array(f64, ['N']), y: array(f64, ['M']),
}, (p, { M, rowptr, col, val, x, y }) => {
  p.map('rows')`i = 0:${M}`.tasklet(
    { begin: rowptr.at`i`, end: rowptr.at`i + 1`, cols: col, vals: val, xs: x },
    { out: y.at`i` },
  )`
    let sum = 0.0
    for (k in begin:end) {
      sum += vals[k] * xs[cols[k]]
    }
    out = sum
  `;
});

export function spmvPlain(M: number, rowptr: Int32Array, col: Int32Array, val: Float64Array, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < M; i++) {
    let sum = 0;
    for (let k = rowptr[i]!; k < rowptr[i + 1]!; k++) sum += val[k]! * x[col[k]!]!;
    y[i] = sum;
  }
}
