// Every sample with a way to make inputs, so tests, the showcase and other targets can run them all alike.
import type { Program } from '../index.js';
import { axpy, axpyPlain } from './axpy.js';
import { gemm, gemmPlain } from './gemm.js';
import { jacobi2d, jacobi2dPlain } from './jacobi-2d.js';
import { softmax, softmaxPlain } from './softmax.js';
import { spmv, spmvPlain } from './spmv.js';
import { histogram, histogramPlain } from './histogram.js';
import { streamPipeline, streamPipelinePlain } from './stream-pipeline.js';
import { blur3, sharpen5, stencilPlain } from './generated-stencil.js';
import { randomArray, seededRandom } from './support.js';

export type SampleArgs = Record<string, Float64Array | Float32Array | Int32Array | number>;

export interface Sample {
  readonly name: string;
  readonly program: Program<unknown>;
  /** Inputs of about `size` elements per dimension, from a seed. */
  inputs(size: number, seed: number): SampleArgs;
  /** The same computation in plain TypeScript loops, in place on `args`. */
  plain(args: SampleArgs): void;
  /** Containers that hold the results. */
  readonly outputs: readonly string[];
  /** Relative tolerance for comparisons (f32 samples need more). */
  readonly rtol: number;
}

const f64s = (n: number, r: () => number) => randomArray(Float64Array, n, r);
const f32s = (n: number, r: () => number) => randomArray(Float32Array, n, r);

function csr(M: number, N: number, r: () => number) {
  const rowptr = new Int32Array(M + 1), cols: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) if (r() < 0.1 || j === i % N) cols.push(j);
    rowptr[i + 1] = cols.length;
  }
  return { rowptr, col: Int32Array.from(cols) };
}

export const samples: readonly Sample[] = [
  {
    name: 'axpy', program: axpy as Program<unknown>, outputs: ['y'], rtol: 1e-12,
    inputs: (n, seed) => { const r = seededRandom(seed); return { a: 1.5, x: f64s(n * n, r), y: f64s(n * n, r) }; },
    plain: (a) => axpyPlain(a.a as number, a.x as Float64Array, a.y as Float64Array),
  },
  {
    name: 'gemm', program: gemm as Program<unknown>, outputs: ['C'], rtol: 1e-10,
    inputs: (n, seed) => { const r = seededRandom(seed); return { NI: n, NJ: n + 1, NK: n + 2, alpha: 1.5, beta: 1.2, A: f64s(n * (n + 2), r), B: f64s((n + 2) * (n + 1), r), C: f64s(n * (n + 1), r) }; },
    plain: (a) => gemmPlain(a.NI as number, a.NJ as number, a.NK as number, a.alpha as number, a.beta as number, a.A as Float64Array, a.B as Float64Array, a.C as Float64Array),
  },
  {
    name: 'jacobi_2d', program: jacobi2d as Program<unknown>, outputs: ['A', 'B'], rtol: 1e-10,
    inputs: (n, seed) => { const r = seededRandom(seed); return { TSTEPS: 4, N: n, A: f64s(n * n, r), B: f64s(n * n, r) }; },
    plain: (a) => jacobi2dPlain(a.TSTEPS as number, a.N as number, a.A as Float64Array, a.B as Float64Array),
  },
  {
    name: 'softmax', program: softmax as Program<unknown>, outputs: ['out'], rtol: 1e-5,
    inputs: (n, seed) => { const r = seededRandom(seed); return { N: n, M: n + 3, x: f32s(n * (n + 3), r), out: new Float32Array(n * (n + 3)) }; },
    plain: (a) => softmaxPlain(a.N as number, a.M as number, a.x as Float32Array, a.out as Float32Array),
  },
  {
    name: 'spmv', program: spmv as Program<unknown>, outputs: ['y'], rtol: 1e-10,
    inputs: (n, seed) => {
      const r = seededRandom(seed), M = n * 4, N = n * 4, { rowptr, col } = csr(M, N, r);
      return { M, N, NNZ: col.length, rowptr, col, val: f64s(col.length, r), x: f64s(N, r), y: new Float64Array(M) };
    },
    plain: (a) => spmvPlain(a.M as number, a.rowptr as Int32Array, a.col as Int32Array, a.val as Float64Array, a.x as Float64Array, a.y as Float64Array),
  },
  {
    name: 'histogram', program: histogram as Program<unknown>, outputs: ['hist'], rtol: 0,
    inputs: (n, seed) => ({ data: f64s(n * n, seededRandom(seed)), hist: new Int32Array(16) }),
    plain: (a) => histogramPlain(a.data as Float64Array, a.hist as Int32Array),
  },
  {
    name: 'stream_pipeline', program: streamPipeline as Program<unknown>, outputs: ['total'], rtol: 1e-10,
    inputs: (n, seed) => ({ x: f64s(n * 4, seededRandom(seed)), total: new Float64Array(1) }),
    plain: (a) => streamPipelinePlain(a.x as Float64Array, a.total as Float64Array),
  },
  {
    name: 'blur3', program: blur3 as Program<unknown>, outputs: ['output'], rtol: 1e-12,
    inputs: (n, seed) => ({ input: f64s(n * n, seededRandom(seed)), output: new Float64Array(n * n) }),
    plain: (a) => stencilPlain([0.25, 0.5, 0.25], a.input as Float64Array, a.output as Float64Array),
  },
  {
    name: 'sharpen5', program: sharpen5 as Program<unknown>, outputs: ['output'], rtol: 1e-6,
    inputs: (n, seed) => ({ input: f32s(n * n, seededRandom(seed)), output: new Float32Array(n * n) }),
    plain: (a) => stencilPlain([-0.5, 0, 2, 0, -0.5], a.input as Float32Array, a.output as Float32Array, Math.fround),
  },
];

/** A deep copy of sample arguments (typed arrays copied, numbers kept). */
export function copyArgs(args: SampleArgs): SampleArgs {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));
}
