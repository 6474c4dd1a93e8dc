// NPBench jacobi_2d: a time loop of two 5-point stencil sweeps, A → B then B → A (a buffer swap per step).
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, fromFunction2, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { jacobi2dPresets } from './presets.js';

export const jacobi2dProgram = () => program('jacobi_2d', { TSTEPS: symbol, N: symbol, A: array(f64, ['N', 'N']), B: array(f64, ['N', 'N']) }, (p, { TSTEPS, N, A, B }) => {
  p.for`t = 1:${TSTEPS}`(() => {
    for (const [from, to] of [[A, B], [B, A]] as const) {
      p.map(`to_${to.name}`)`i = 1:${N} - 1, j = 1:${N} - 1`.tasklet(
        { c: from.at`i, j`, w: from.at`i, j - 1`, e: from.at`i, j + 1`, s: from.at`i + 1, j`, n: from.at`i - 1, j` },
        { o: to.at`i, j` },
      )`o = 0.2 * (c + w + e + s + n)`;
    }
  });
});

export function jacobi2dReference(args: KernelArgs): void {
  const TSTEPS = sizeOf(args, 'TSTEPS'), N = sizeOf(args, 'N');
  const A = arrayOf<Float64Array>(args, 'A'), B = arrayOf<Float64Array>(args, 'B');
  const sweep = (from: Float64Array, to: Float64Array) => {
    for (let i = 1; i < N - 1; i++) {
      for (let j = 1; j < N - 1; j++) {
        const c = i * N + j;
        to[c] = 0.2 * (from[c]! + from[c - 1]! + from[c + 1]! + from[c + N]! + from[c - N]!);
      }
    }
  };
  for (let t = 1; t < TSTEPS; t++) { sweep(A, B); sweep(B, A); }
}

export const jacobi2d = defineKernel<{ TSTEPS: number; N: number }>({
  name: 'jacobi_2d',
  description: 'time loop (p.for) around two 2-D five-point stencil maps that swap buffers',
  sizeNames: ['TSTEPS', 'N'],
  presets: jacobi2dPresets,
  program: jacobi2dProgram,
  // NPBench's PolyBench-style initializer (a later NPBench revision starts B as a copy of A = (i + j + 2) / N)
  init: ({ TSTEPS, N }) => ({
    TSTEPS, N,
    A: fromFunction2(Float64Array, N, N, (i, j) => (i * (j + 2)) / N),
    B: fromFunction2(Float64Array, N, N, (i, j) => (i * (j + 3)) / N),
  }),
  reference: jacobi2dReference,
  outputs: ['A', 'B'],
  flops: ({ TSTEPS, N }) => 2 * (TSTEPS - 1) * 5 * (N - 2) * (N - 2),
  bytes: ({ N }) => 8 * 4 * N * N,
});
