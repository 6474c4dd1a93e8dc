// NPBench cholesky: in-place A = L·Lᵀ, row by row; each entry needs a dot product of just-written data (a sum over k).
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, sizeOf, arrayOf, pyMod, type KernelArgs } from './kernel.js';
import { choleskyPresets } from './presets.js';

export const choleskyProgram = () => program('cholesky', { N: symbol, A: array(f64, ['N', 'N']) }, (p, { N, A }) => {
  p.tasklet({ a: A.at`0, 0` }, { o: A.at`0, 0` }, 'first_pivot')`o = sqrt(a)`;
  // row i depends on rows < i, and entry (i, j) on entries (i, < j): both loops are sequential
  p.for`i = 1:${N}`((i) => {
    p.for`j = 0:${i}`((j) => {
      p.map('dot_ij')`k = 0:${j}`.tasklet({ a: A.at`${i}, k`, b: A.at`${j}, k` }, { o: A.at`${i}, ${j}`.wcr('+') })`o = -(a * b)`;
      p.tasklet({ a: A.at`${i}, ${j}`, d: A.at`${j}, ${j}` }, { o: A.at`${i}, ${j}` }, 'divide')`o = a / d`;
    });
    p.map('dot_ii')`k = 0:${i}`.tasklet({ a: A.at`${i}, k` }, { o: A.at`${i}, ${i}`.wcr('+') })`o = -(a * a)`;
    p.tasklet({ a: A.at`${i}, ${i}` }, { o: A.at`${i}, ${i}` }, 'pivot')`o = sqrt(a)`;
  });
});

export function choleskyReference(args: KernelArgs): void {
  const N = sizeOf(args, 'N'), A = arrayOf<Float64Array>(args, 'A');
  A[0] = Math.sqrt(A[0]!);
  for (let i = 1; i < N; i++) {
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = 0; k < j; k++) s += A[i * N + k]! * A[j * N + k]!;
      A[i * N + j] = (A[i * N + j]! - s) / A[j * N + j]!;
    }
    let s = 0;
    for (let k = 0; k < i; k++) s += A[i * N + k]! * A[i * N + k]!;
    A[i * N + i] = Math.sqrt(A[i * N + i]! - s);
  }
}

/** NPBench's input: a lower-triangular L with a unit diagonal, then A = L·Lᵀ (positive definite). */
function choleskyInit({ N }: { N: number }): KernelArgs {
  const L = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j <= i; j++) L[i * N + j] = pyMod(-j, N) / N + 1;
    L[i * N + i] = 1.0;
  }
  const A = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += L[i * N + k]! * L[j * N + k]!;
      A[i * N + j] = s;
    }
  }
  return { N, A };
}

export const cholesky = defineKernel<{ N: number }>({
  name: 'cholesky',
  description: 'Cholesky factorization in place: sequential loops over i and j, dot products of varying length (maps with sums), sqrt',
  sizeNames: ['N'],
  presets: choleskyPresets,
  program: choleskyProgram,
  init: choleskyInit,
  reference: choleskyReference,
  outputs: ['A'],
  flops: ({ N }) => (N * N * N) / 3 + N * N,
  bytes: ({ N }) => 8 * 2 * N * N,
});
