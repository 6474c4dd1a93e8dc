// Native probes of the machine's physical limits (memory bandwidth, peak flops) and OpenBLAS dgemm, built with g++.
import path from 'node:path';
import koffi from 'koffi';
import { cppCompiler, openBlasAvailable } from '../targets/cpp/build.js';
import { buildOnce, cacheFolder, compilerVersion, contentHash, runCompiler, writeFileAtomic } from '../targets/common/native.js';
import type { Measurement, Probes } from './results.js';
import { median } from './stats.js';

/** Elements of the bandwidth probe's arrays (BENCH.md: a 10 M-element double add, 240 MB per pass). */
export const bandwidthElements = 10_000_000;

/** Independent FMA chains per thread: enough to cover the FMA latency on every pipe. */
const chains = 12;

// GCC vector extensions keep the probe independent of intrinsics headers; -march=native picks the widest registers.
const probeSource = `// sdfg-ts bench probes: memory bandwidth (STREAM-like add) and peak FMA throughput.
#include <cstdlib>
#include <cstring>
#include <omp.h>

typedef double v8d __attribute__((vector_size(64)));
typedef float v16f __attribute__((vector_size(64)));

static volatile double sink;

extern "C" int probe_threads(void) { return omp_get_max_threads(); }

// c = a + b over n doubles, reps + 1 times (the first is dropped: it warms the TLB); seconds per pass.
extern "C" void probe_add(long n, int reps, double *seconds) {
  size_t bytes = ((size_t)n * sizeof(double) + 63) / 64 * 64;
  double *a = (double *)aligned_alloc(64, bytes), *b = (double *)aligned_alloc(64, bytes), *c = (double *)aligned_alloc(64, bytes);
  // first touch in parallel, with the same static schedule as the timed loop, so pages sit near their thread
  #pragma omp parallel for schedule(static)
  for (long i = 0; i < n; i++) { a[i] = 1.0 + i % 7; b[i] = 2.0; c[i] = 0.0; }
  for (int r = -1; r < reps; r++) {
    double t0 = omp_get_wtime();
    #pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) c[i] = a[i] + b[i];
    double t1 = omp_get_wtime();
    if (r >= 0) seconds[r] = t1 - t0;
  }
  sink = c[n / 2];
  free(a); free(b); free(c);
}

template <typename V, typename S>
static double fma_loop(long iters) {
  double t0 = omp_get_wtime();
  double total = 0;
  #pragma omp parallel reduction(+ : total)
  {
    V zero = {};
    V m = zero + (S)0.9999999, c = zero + (S)1e-7;
    V acc[${chains}];
    for (int k = 0; k < ${chains}; k++) acc[k] = zero + (S)(k + omp_get_thread_num());
    for (long i = 0; i < iters; i++) {
      #pragma GCC unroll ${chains}
      for (int k = 0; k < ${chains}; k++) acc[k] = acc[k] * m + c;
    }
    for (int k = 0; k < ${chains}; k++) for (unsigned l = 0; l < sizeof(V) / sizeof(S); l++) total += acc[k][l];
  }
  double t1 = omp_get_wtime();
  sink = total;
  return t1 - t0;
}

// Seconds of iters rounds of ${chains} vector FMAs per thread.
extern "C" double probe_fma_f64(long iters) { return fma_loop<v8d, double>(iters); }
extern "C" double probe_fma_f32(long iters) { return fma_loop<v16f, float>(iters); }
`;

/** Flops of one probe_fma call per thread: chains × lanes × 2 (multiply and add) per iteration. */
export function fmaFlopsPerThread(iters: number, lanes: number): number {
  return iters * chains * lanes * 2;
}

const blasSource = `// sdfg-ts bench: OpenBLAS dgemm called directly, the yardstick of the gemm kernel.
#include <cblas.h>

extern "C" void bench_dgemm(long ni, long nj, long nk, double alpha, double beta, const double *a, const double *b, double *c) {
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ni, nj, nk, alpha, a, nk, b, nj, beta, c, nj);
}

extern "C" int bench_openblas_threads(void) { return openblas_get_num_threads(); }
`;

const probeFlags = ['-O3', '-march=native', '-fopenmp', '-ffp-contract=fast', '-shared', '-fPIC', '-std=c++17'];

/** Compile a probe source (cached by content hash in the project's cache); returns the library's path. */
async function buildProbe(name: string, source: string, links: readonly string[]): Promise<string> {
  const compiler = cppCompiler();
  const hash = contentHash([source, probeFlags.join(' '), links.join(' '), compilerVersion(compiler)]);
  const folder = path.join(cacheFolder('bench'), `${name}-${hash}`);
  const sourceFile = path.join(folder, `${name}.cpp`);
  writeFileAtomic(sourceFile, source);
  const { file } = await buildOnce(folder, `${name}.so`, (output) => runCompiler({
    compiler, args: [...probeFlags, sourceFile, '-o', output, ...links], sourceFile, what: `bench probe '${name}'`,
  }));
  return file;
}

/** The OpenBLAS yardstick library, or an error message saying why there is none. */
export async function buildBlasProbe(): Promise<string | { error: string }> {
  if (!openBlasAvailable()) return { error: 'cblas.h not found (Debian: apt-get install libopenblas-dev)' };
  try {
    return await buildProbe('openblas-gemm', blasSource, ['-lopenblas']);
  } catch (cause) {
    return { error: message(cause) };
  }
}

export interface BlasGemm {
  gemm(ni: number, nj: number, nk: number, alpha: number, beta: number, a: Float64Array, b: Float64Array, c: Float64Array): void;
  threads(): number;
}

/** Load the OpenBLAS yardstick (in the worker that times it). */
export function loadBlasProbe(library: string): BlasGemm {
  const lib = koffi.load(library);
  const gemm = lib.func('bench_dgemm', 'void', ['long', 'long', 'long', 'double', 'double', 'void *', 'void *', 'void *']);
  const threads = lib.func('bench_openblas_threads', 'int', []);
  return { gemm: (...args) => { gemm(...args); }, threads: () => threads() as number };
}

function measurement(samplesS: readonly number[], workPerSample: number): Measurement {
  const rates = samplesS.map((s) => workPerSample / s);
  return { samplesS, best: Math.max(...rates), median: median(rates) };
}

function message(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Measure bandwidth and peak flops with all threads (OMP_NUM_THREADS as set). Takes about two seconds.
 * Each measurement reports the best rate (a floor is a bound, so it takes the machine at its best) and the median.
 */
export async function measureMachine(reps = 10): Promise<Probes> {
  let library: string;
  try {
    library = await buildProbe('probes', probeSource, []);
  } catch (cause) {
    const error = { error: message(cause) };
    return { bandwidth: error, peakF64: error, peakF32: error, threads: 0 };
  }
  const lib = koffi.load(library);
  const threads = lib.func('probe_threads', 'int', [])() as number;
  const add = lib.func('probe_add', 'void', ['long', 'int', 'void *']);
  const fma64 = lib.func('probe_fma_f64', 'double', ['long']);
  const fma32 = lib.func('probe_fma_f32', 'double', ['long']);

  const seconds = new Float64Array(reps);
  add(bandwidthElements, reps, seconds);
  const bandwidth = measurement([...seconds], 3 * 8 * bandwidthElements);

  // about 0.1 s per call on a core doing 40 GFlop/s; one call first to wake the cores up
  const iters = 20_000_000;
  const peak = (fn: (iters: number) => unknown, lanes: number): Measurement => {
    fn(iters / 10);
    const samples = Array.from({ length: Math.max(3, Math.ceil(reps / 2)) }, () => fn(iters) as number);
    return measurement(samples, fmaFlopsPerThread(iters, lanes) * threads);
  };
  return { bandwidth, peakF64: peak(fma64, 8), peakF32: peak(fma32, 16), threads };
}
