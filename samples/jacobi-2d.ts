// A 2-D five-point stencil in a time loop, swapping two buffers each step.
import { program, symbol, array, f64 } from '../index.js';

export const jacobi2d = program('jacobi_2d', { TSTEPS: symbol, N: symbol, A: array(f64, ['N', 'N']), B: array(f64, ['N', 'N']) }, (p, { TSTEPS, N, A, B }) => {
  p.for`t = 1:${TSTEPS}`(() => {
    p.map('to_B')`i = 1:${N} - 1, j = 1:${N} - 1`.tasklet(
      { c: A.at`i, j`, w: A.at`i, j - 1`, e: A.at`i, j + 1`, s: A.at`i + 1, j`, n: A.at`i - 1, j` },
      { out: B.at`i, j` },
    )`out = 0.2 * (c + w + e + s + n)`;
    p.map('to_A')`i = 1:${N} - 1, j = 1:${N} - 1`.tasklet(
      { c: B.at`i, j`, w: B.at`i, j - 1`, e: B.at`i, j + 1`, s: B.at`i + 1, j`, n: B.at`i - 1, j` },
      { out: A.at`i, j` },
    )`out = 0.2 * (c + w + e + s + n)`;
  });
});

export function jacobi2dPlain(TSTEPS: number, N: number, A: Float64Array, B: Float64Array): void {
  const sweep = (from: Float64Array, to: Float64Array) => {
    for (let i = 1; i < N - 1; i++) {
      for (let j = 1; j < N - 1; j++) {
        to[i * N + j] = 0.2 * (from[i * N + j]! + from[i * N + j - 1]! + from[i * N + j + 1]! + from[(i + 1) * N + j]! + from[(i - 1) * N + j]!);
      }
    }
  };
  for (let t = 1; t < TSTEPS; t++) { sweep(A, B); sweep(B, A); }
}
