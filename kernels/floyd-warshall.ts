// NPBench floyd_warshall (i32): all-pairs shortest paths: a sequential loop over k around a min-plus 2-D map.
import { program, symbol, array, i32 } from '../index.js';
import { defineKernel, fromFunction2, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { floydWarshallPresets } from './presets.js';

export const floydWarshallProgram = () => program('floyd_warshall', { N: symbol, path: array(i32, ['N', 'N']) }, (p, { N, path }) => {
  // row k and column k are copied out first, so the map reads nothing it writes (they would not change anyway)
  const rowK = p.transient('row_k', i32, [N]), colK = p.transient('col_k', i32, [N]);
  p.for`k = 0:${N}`((k) => {
    p.copy(path.at`${k}, 0:${N}`, rowK);
    p.copy(path.at`0:${N}, ${k}`, colK);
    p.map('relax')`i = 0:${N}, j = 0:${N}`.tasklet(
      { d: path.at`i, j`, a: colK.at`i`, b: rowK.at`j` }, { o: path.at`i, j` },
    )`o = min(d, a + b)`;
  });
});

export function floydWarshallReference(args: KernelArgs): void {
  const N = sizeOf(args, 'N'), path = arrayOf<Int32Array>(args, 'path');
  for (let k = 0; k < N; k++) {
    for (let i = 0; i < N; i++) {
      const a = path[i * N + k]!;
      for (let j = 0; j < N; j++) path[i * N + j] = Math.min(path[i * N + j]!, a + path[k * N + j]!);
    }
  }
}

function floydWarshallInit({ N }: { N: number }): KernelArgs {
  const path = fromFunction2(Int32Array, N, N, (i, j) => ((i * j) % 7) + 1);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if ((i + j) % 13 === 0 || (i + j) % 7 === 0 || (i + j) % 11 === 0) path[i * N + j] = 999;
    }
  }
  return { N, path };
}

export const floydWarshall = defineKernel<{ N: number }>({
  name: 'floyd_warshall',
  description: 'i32 all-pairs shortest paths: p.for over k, copies of row/column k, a min-plus 2-D map',
  sizeNames: ['N'],
  presets: floydWarshallPresets,
  program: floydWarshallProgram,
  init: floydWarshallInit,
  reference: floydWarshallReference,
  outputs: ['path'],
  flops: ({ N }) => 2 * N * N * N,
  bytes: ({ N }) => 4 * 2 * N * N,
});
