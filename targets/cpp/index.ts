// The C++ target's public surface: compile an SDFG into a loaded native program, plus emit/export helpers.
import type { SDFG } from '../../graph/sdfg.js';
import type { ArgValue } from '../common/arguments.js';
import { buildCpp, cppCompiler, resolveBlas, type CppBuildOptions } from './build.js';
import { emitCpp, type EntryParam } from './emit.js';
import { loadCpp, type RunResult } from './run.js';

export { emitCpp, entryParams, PROGRAM_MARKER, type CppProgram, type EntryParam, type EmitOptions } from './emit.js';
export { buildCpp, defaultCppFlags, openBlasAvailable, type CppBuildOptions } from './build.js';
export { runSanitized, type SanitizeOptions } from './sanitize.js';
export { exportAddon } from './export-addon.js';

export interface CppCompileOptions extends CppBuildOptions {
  /** MatMul through OpenBLAS: 'auto' (default) when cblas.h is found, 'openblas' (required), or 'none' (loops). */
  blas?: 'auto' | 'openblas' | 'none';
  /** Estimated iterations below which parallel maps run serially. */
  parallelThreshold?: number;
}

export interface CompiledCpp {
  readonly target: 'cpp';
  /** Run on typed arrays (written in place) and numbers; returns every non-transient container. */
  run(args: Readonly<Record<string, ArgValue>>): RunResult;
  readonly source: string;
  readonly sourceFile: string;
  readonly library: string;
  readonly entryName: string;
  readonly params: readonly EntryParam[];
  /** True when the library came from the cache (no compiler ran). */
  readonly cached: boolean;
}

/** `validated`: the graph comes straight from autoOptimize, which validated it last thing. */
export async function compileCpp(sdfg: SDFG, options: CppCompileOptions = {}, validated = false): Promise<CompiledCpp> {
  const compiler = cppCompiler(options);
  const blas = resolveBlas(options.blas ?? 'auto', compiler);
  const program = emitCpp(sdfg, { blas, assumeValid: validated, ...(options.parallelThreshold !== undefined ? { parallelThreshold: options.parallelThreshold } : {}) });
  const build = await buildCpp(program, sdfg.name, options);
  const run = loadCpp(sdfg, build.library, program.entryName, program.params);
  return {
    target: 'cpp', run, source: program.source, sourceFile: build.sourceFile, library: build.library,
    entryName: program.entryName, params: program.params, cached: build.cached,
  };
}
