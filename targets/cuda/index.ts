// The CUDA target's public surface: compile an SDFG into a loaded program (nvcc, cached), plus emit/lower/check helpers.
import type { SDFG } from '../../graph/sdfg.js';
import type { Pipeline } from '../../passes/pipeline.js';
import type { ArgValue } from '../common/arguments.js';
import type { EntryParam } from '../cpp/emit.js';
import type { RunResult } from '../cpp/run.js';
import { buildCuda, resolveCudaBlas, type CudaBuildOptions } from './build.js';
import { emitCuda } from './emit.js';
import type { LaunchSite } from './emit-context.js';
import { type CudaLoweringOptions, optimizeForGpu } from './lower.js';
import { loadCuda } from './run.js';

export { emitCuda, type CudaProgram, type CudaEmitOptions } from './emit.js';
export { buildCuda, cublasAvailable, defaultCudaFlags, nvccAvailable, nvccPath, type CudaBuildOptions } from './build.js';
export { checkCudaPrograms, combinedSource, type CheckOptions, type CheckReport, type NamedProgram } from './check.js';
export { gpuOptimizationStages, gpuStages, lowerForCuda, optimizeForGpu, type CudaLoweringOptions } from './lower.js';
export { buildCudaHarness, runCudaHarness } from './harness.js';
export { cudaDialect } from './dialect.js';

export interface CudaCompileOptions extends CudaBuildOptions, CudaLoweringOptions {
  /** Transformations before lowering: 'auto' (autoOptimize's target-neutral stages), a pipeline, or 'none' (default). */
  optimize?: 'auto' | 'none' | Pipeline;
  /** MatMul through cuBLAS: 'cublas' (required), 'auto' (when installed), or 'none' (a kernel, the default). */
  blas?: 'auto' | 'cublas' | 'none';
  /** Time every kernel launch with events; read with `profile()` after a run. */
  profile?: boolean;
  /** Streams independent dataflow in one state may use (default 4; 1: one stream). */
  streams?: number;
}

export interface CompiledCuda {
  readonly target: 'cuda';
  /** Run on typed arrays (written in place) and numbers; returns every non-transient container. Needs a GPU. */
  run(args: Readonly<Record<string, ArgValue>>): RunResult;
  /** Kernel times of the last run by launch site (with `profile: true`). */
  profile(): { site: LaunchSite; milliseconds: number }[];
  /** CUDA devices visible here (0 without a GPU or driver). */
  deviceCount(): number;
  readonly source: string;
  readonly sourceFile: string;
  readonly library: string;
  readonly entryName: string;
  readonly params: readonly EntryParam[];
  /** The graph as lowered for the GPU (what the source was emitted from). */
  readonly lowered: SDFG;
  /** True when the library came from the cache (no compiler ran). */
  readonly cached: boolean;
}

/** Lower, emit and build with nvcc; works wherever nvcc is (a GPU is needed only to run). */
export async function compileCuda(sdfg: SDFG, options: CudaCompileOptions = {}): Promise<CompiledCuda> {
  const optimized = optimizeForGpu(sdfg, options.optimize);
  const program = emitCuda(optimized, { ...options, blas: resolveCudaBlas(options.blas) });
  const build = await buildCuda(program, sdfg.name, options);
  const runner = loadCuda(optimized, build.library, program.entryName, program.params, program.launches);
  return {
    target: 'cuda', run: runner.run, profile: runner.profile, deviceCount: runner.deviceCount,
    source: program.source, sourceFile: build.sourceFile, library: build.library, entryName: program.entryName, params: program.params,
    lowered: program.lowered, cached: build.cached,
  };
}
