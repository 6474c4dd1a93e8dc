// NPBench spmv: y = A·x for A in CSR form: a map over rows whose tasklet loops over the row's data-dependent range.
import { program, symbol, array, f64, u32 } from '../index.js';
import { defineKernel, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { spmvPresets } from './presets.js';
import { seeded } from './random.js';

export const spmvProgram = () => program('spmv', {
  M: symbol, N: symbol, nnz: symbol,
  A_row: array(u32, ['M + 1']), A_col: array(u32, ['nnz']), A_val: array(f64, ['nnz']), x: array(f64, ['N']), y: array(f64, ['M']),
}, (p, { M, A_row, A_col, A_val, x, y }) => {
  // the row's extent comes from data, so the loop over its entries lives in the tasklet; rows are independent
  p.map('rows')`i = 0:${M}`.tasklet(
    { begin: A_row.at`i`, end: A_row.at`i + 1`, cols: A_col, vals: A_val, xs: x }, { out: y.at`i` },
  )`
    let sum = 0.0
    for (k in begin:end) {
      sum += vals[k] * xs[cols[k]]
    }
    out = sum
  `;
});

export function spmvReference(args: KernelArgs): void {
  const M = sizeOf(args, 'M');
  const rows = arrayOf<Uint32Array>(args, 'A_row'), cols = arrayOf<Uint32Array>(args, 'A_col');
  const vals = arrayOf<Float64Array>(args, 'A_val'), x = arrayOf<Float64Array>(args, 'x'), y = arrayOf<Float64Array>(args, 'y');
  for (let i = 0; i < M; i++) {
    let sum = 0;
    for (let k = rows[i]!; k < rows[i + 1]!; k++) sum += vals[k]! * x[cols[k]!]!;
    y[i] = sum;
  }
}

/** A random M×N CSR matrix with exactly `nnz` distinct entries (like SciPy's `sparse.random`), columns sorted per row. */
function randomCSR(M: number, N: number, nnz: number, seed?: number) {
  if (nnz > M * N) throw new RangeError(`spmv: nnz = ${nnz} exceeds M·N = ${M * N}`);
  const rng = seeded(seed);
  const x = rng.float64Array(N);
  const positions = new Set<number>();
  while (positions.size < nnz) positions.add(rng.integer(0, M * N));
  const sorted = Float64Array.from(positions).sort();
  const A_row = new Uint32Array(M + 1), A_col = new Uint32Array(nnz), A_val = rng.float64Array(nnz);
  sorted.forEach((pos, k) => {
    const row = Math.floor(pos / N);
    A_col[k] = pos - row * N;
    A_row[row + 1]! += 1;
  });
  for (let i = 0; i < M; i++) A_row[i + 1]! += A_row[i]!;
  return { A_row, A_col, A_val, x };
}

export const spmv = defineKernel<{ M: number; N: number; nnz: number }>({
  name: 'spmv',
  description: 'CSR sparse matrix × vector: a map over rows; data-dependent loop bounds and indirect reads x[col[k]] in the tasklet',
  sizeNames: ['M', 'N', 'nnz'],
  presets: spmvPresets,
  program: spmvProgram,
  init: ({ M, N, nnz }, seed) => ({ M, N, nnz, ...randomCSR(M, N, nnz, seed), y: new Float64Array(M) }),
  reference: spmvReference,
  outputs: ['y'],
  flops: ({ nnz }) => 2 * nnz,
  bytes: ({ M, N, nnz }) => 4 * (M + 1) + 12 * nnz + 8 * N + 8 * M,
});
