// NPBench seidel_2d: in-place Gauss–Seidel sweeps; each row adds its neighbours (a map), then scans left to right.
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, fromFunction2, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { seidel2dPresets } from './presets.js';

export const seidel2dProgram = () => program('seidel_2d', { TSTEPS: symbol, N: symbol, A: array(f64, ['N', 'N']) }, (p, { TSTEPS, N, A }) => {
  // the neighbours that are already final when row i is swept, summed in parallel before the sequential scan
  const partial = p.transient('partial', f64, [N]);
  p.for`t = 0:${TSTEPS} - 1`(() => {
    p.for`i = 1:${N} - 1`((i) => {
      p.map('neighbours')`j = 1:${N} - 1`.tasklet({
        nw: A.at`${i} - 1, j - 1`, n: A.at`${i} - 1, j`, ne: A.at`${i} - 1, j + 1`, c: A.at`${i}, j`, e: A.at`${i}, j + 1`,
        sw: A.at`${i} + 1, j - 1`, s: A.at`${i} + 1, j`, se: A.at`${i} + 1, j + 1`,
      }, { o: partial.at`j` })`o = c + (nw + n + ne + e + sw + s + se)`;
      // A[i, j] depends on the A[i, j - 1] just written: a true recurrence
      p.for`j = 1:${N} - 1`((j) => {
        p.tasklet({ s: partial.at`${j}`, w: A.at`${i}, ${j} - 1` }, { o: A.at`${i}, ${j}` }, 'scan')`o = (s + w) / 9.0`;
      });
    });
  });
});

export function seidel2dReference(args: KernelArgs): void {
  const TSTEPS = sizeOf(args, 'TSTEPS'), N = sizeOf(args, 'N'), A = arrayOf<Float64Array>(args, 'A');
  for (let t = 0; t < TSTEPS - 1; t++) {
    for (let i = 1; i < N - 1; i++) {
      for (let j = 1; j < N - 1; j++) {
        const c = i * N + j;
        A[c] = (A[c - N - 1]! + A[c - N]! + A[c - N + 1]! + A[c - 1]! + A[c]! + A[c + 1]! + A[c + N - 1]! + A[c + N]! + A[c + N + 1]!) / 9.0;
      }
    }
  }
}

export const seidel2d = defineKernel<{ TSTEPS: number; N: number }>({
  name: 'seidel_2d',
  description: 'in-place Gauss–Seidel: time and row loops, a neighbour-sum map per row, then a sequential scan along the row',
  sizeNames: ['TSTEPS', 'N'],
  presets: seidel2dPresets,
  program: seidel2dProgram,
  init: ({ TSTEPS, N }) => ({ TSTEPS, N, A: fromFunction2(Float64Array, N, N, (i, j) => (i * (j + 2) + 2) / N) }),
  reference: seidel2dReference,
  outputs: ['A'],
  flops: ({ TSTEPS, N }) => (TSTEPS - 1) * 9 * (N - 2) * (N - 2),
  bytes: ({ N }) => 8 * 2 * N * N,
});
