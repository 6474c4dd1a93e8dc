// Every sample runs on the reference interpreter and matches its plain TypeScript twin on random inputs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { axpy, axpyPlain } from '../../samples/axpy.js';
import { gemm, gemmPlain } from '../../samples/gemm.js';
import { jacobi2d, jacobi2dPlain } from '../../samples/jacobi-2d.js';
import { softmax, softmaxPlain } from '../../samples/softmax.js';
import { spmv, spmvPlain } from '../../samples/spmv.js';
import { histogram, histogramPlain } from '../../samples/histogram.js';
import { streamPipeline, streamPipelinePlain } from '../../samples/stream-pipeline.js';
import { blur3, sharpen5, stencilPlain } from '../../samples/generated-stencil.js';
import { maxViolation, randomArray, seededRandom } from '../../samples/support.js';

const close = (ref: ArrayLike<number>, val: ArrayLike<number>, rtol = 1e-10) => assert.equal(maxViolation(ref, val, rtol), 0, `max violation ${maxViolation(ref, val, rtol)}`);
const runs = { numRuns: 8 };

describe('samples on the reference interpreter', () => {
  it('axpy', () => fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: -4, max: 4, noNaN: true }), fc.integer(), (n, a, seed) => {
    const r = seededRandom(seed);
    const x = randomArray(Float64Array, n, r), y = randomArray(Float64Array, n, r);
    const expected = y.slice();
    axpyPlain(a, x, expected);
    axpy.run({ a, x, y });
    close(expected, y);
  }), runs));

  it('gemm', () => fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (NI, NJ, NK, seed) => {
    const r = seededRandom(seed);
    const A = randomArray(Float64Array, NI * NK, r), B = randomArray(Float64Array, NK * NJ, r), C = randomArray(Float64Array, NI * NJ, r);
    const expected = C.slice();
    gemmPlain(NI, NJ, NK, 1.5, 1.2, A, B, expected);
    gemm.run({ NI, NJ, NK, alpha: 1.5, beta: 1.2, A, B, C });
    close(expected, C);
  }), runs));

  it('jacobi_2d', () => fc.assert(fc.property(fc.integer({ min: 3, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.integer(), (N, TSTEPS, seed) => {
    const r = seededRandom(seed);
    const A = randomArray(Float64Array, N * N, r), B = randomArray(Float64Array, N * N, r);
    const [eA, eB] = [A.slice(), B.slice()];
    jacobi2dPlain(TSTEPS, N, eA, eB);
    jacobi2d.run({ TSTEPS, A, B });  // N inferred from N*N elements
    close(eA, A); close(eB, B);
  }), runs));

  it('softmax (f32)', () => fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer(), (N, M, seed) => {
    const r = seededRandom(seed);
    const x = randomArray(Float32Array, N * M, r), out = new Float32Array(N * M), expected = new Float32Array(N * M);
    softmaxPlain(N, M, x, expected);
    softmax.run({ N, M, x, out });
    close(expected, out, 1e-5);
  }), runs));

  it('spmv', () => fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer(), (M, N, seed) => {
    const r = seededRandom(seed);
    const rowptr = new Int32Array(M + 1), cols: number[] = [];
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) if (r() < 0.4) cols.push(j);
      rowptr[i + 1] = cols.length;
    }
    const col = Int32Array.from(cols), val = randomArray(Float64Array, cols.length, r), x = randomArray(Float64Array, N, r);
    const y = new Float64Array(M), expected = new Float64Array(M);
    spmvPlain(M, rowptr, col, val, x, expected);
    spmv.run({ M, N, NNZ: cols.length, rowptr, col, val, x, y });
    close(expected, y);
  }), runs));

  it('histogram', () => fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 7 }), fc.integer(), (N, BINS, seed) => {
    const r = seededRandom(seed);
    const data = randomArray(Float64Array, N, r), hist = new Int32Array(BINS), expected = new Int32Array(BINS);
    histogramPlain(data, expected);
    histogram.run({ data, hist });
    assert.deepEqual([...hist], [...expected]);
  }), runs));

  it('stream pipeline', () => fc.assert(fc.property(fc.integer({ min: 1, max: 30 }), fc.integer(), (N, seed) => {
    const x = randomArray(Float64Array, N, seededRandom(seed)), total = new Float64Array(1), expected = new Float64Array(1);
    streamPipelinePlain(x, expected);
    streamPipeline.run({ x, total });
    close(expected, total);
  }), runs));

  it('stencils generated from configuration', () => fc.assert(fc.property(fc.integer({ min: 5, max: 30 }), fc.integer(), (N, seed) => {
    const r = seededRandom(seed);
    const input = randomArray(Float64Array, N, r), output = new Float64Array(N), expected = new Float64Array(N);
    stencilPlain([0.25, 0.5, 0.25], input, expected);
    blur3.run({ input, output });
    close(expected, output);
    const in32 = randomArray(Float32Array, N, r), out32 = new Float32Array(N), exp32 = new Float32Array(N);
    stencilPlain([-0.5, 0, 2, 0, -0.5], in32, exp32, Math.fround);
    sharpen5.run({ input: in32, output: out32 });
    close(exp32, out32, 1e-6);
  }), runs));
});
