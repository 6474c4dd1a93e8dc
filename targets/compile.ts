// `compile(program, { target })`: the one entry point from a program (or SDFG) to something runnable on a target.
import type { AnyTypedArray } from '../graph/dtypes.js';
import { TargetError } from '../graph/errors.js';
import { type ProgramLike, type SDFG, sdfgOf } from '../graph/sdfg.js';
import type { ArgValue } from './common/arguments.js';
import { compileCpp, type CompiledCpp, type CppCompileOptions } from './cpp/index.js';
import { runReference } from './reference/index.js';
import { compileCuda, type CompiledCuda, type CudaCompileOptions } from './cuda/index.js';
import { compileWgsl, type CompiledWgsl, type WgslCompileOptions } from './wgsl/index.js';
import { compileHls, type CompiledHls, type HlsCompileOptions } from './hls/index.js';
import { cpuStages, portableStages, type Stage } from '../passes/auto-optimize.js';
import { optimizedSDFG as optimizeFor } from './common/optimize.js';
import type { Pipeline } from '../passes/pipeline.js';
import '../passes/index.js';

export type { ProgramLike };

export type TargetName = 'reference' | 'cpp' | 'cuda' | 'hls' | 'wgsl';

export interface CompileOptionsBase {
  /**
   * Transformations to run first (on a copy; the program is not changed): 'auto' for autoOptimize, a pipeline
   * (transformation names or steps with options), or 'none' (the default).
   */
  optimize?: 'auto' | 'none' | Pipeline;
}

export type CompileOptions =
  | (CompileOptionsBase & { target: 'cpp' } & CppCompileOptions)
  | (CompileOptionsBase & { target: 'reference' })
  | (CompileOptionsBase & { target: 'wgsl' } & WgslCompileOptions)
  | (CompileOptionsBase & { target: 'hls' } & HlsCompileOptions)
  | ({ target: 'cuda' } & CudaCompileOptions);

export interface CompiledReference {
  readonly target: 'reference';
  run(args: Readonly<Record<string, ArgValue>>): Record<string, AnyTypedArray | number>;
}

export type Compiled = CompiledCpp | CompiledReference | CompiledWgsl | CompiledCuda | CompiledHls;

export { sdfgOf };

/** The graph a target compiles (see targets/common/optimize.ts); 'auto' means the CPU stages unless a target says. */
export function optimizedSDFG(sdfg: SDFG, optimize: CompileOptionsBase['optimize'], auto: readonly Stage[] = cpuStages): SDFG {
  return optimizeFor(sdfg, optimize, auto);
}

export function compile(program: ProgramLike, options: CompileOptions & { target: 'cpp' }): Promise<CompiledCpp>;
export function compile(program: ProgramLike, options: CompileOptions & { target: 'reference' }): Promise<CompiledReference>;
export function compile(program: ProgramLike, options: CompileOptions & { target: 'wgsl' }): Promise<CompiledWgsl>;
export function compile(program: ProgramLike, options: CompileOptions & { target: 'cuda' }): Promise<CompiledCuda>;
export function compile(program: ProgramLike, options: CompileOptions & { target: 'hls' }): Promise<CompiledHls>;
export function compile(program: ProgramLike, options: CompileOptions): Promise<Compiled>;
export async function compile(program: ProgramLike, options: CompileOptions): Promise<Compiled> {
  switch (options.target) {
    // autoOptimize validates its result: emitting it need not validate it again.
    case 'cpp': return compileCpp(optimizedSDFG(sdfgOf(program), options.optimize), options, options.optimize === 'auto');
    case 'reference': {
      const sdfg = optimizedSDFG(sdfgOf(program), options.optimize);
      return { target: 'reference', run: (args) => runReference(sdfg, args) };
    }
    // WebGPU kernels hold no nested SDFGs: 'auto' means the stages every target can run.
    case 'wgsl': return compileWgsl(optimizedSDFG(sdfgOf(program), options.optimize, portableStages), options);
    // The FPGA lowering streams plain maps: 'auto' means the stages every target can run (then `pipeline` for the FPGA).
    case 'hls': return compileHls(optimizedSDFG(sdfgOf(program), options.optimize, portableStages), options);
    // The CUDA target runs its own optimization stages before and after the GPU lowering.
    case 'cuda': return compileCuda(sdfgOf(program), options);
    default: {
      const target: unknown = (options as { target: unknown }).target;
      throw new TargetError({
        code: 'unknown-target', message: `unknown target ${JSON.stringify(target)}`,
        hint: "targets: 'reference', 'cpp', 'cuda', 'hls', 'wgsl'",
      });
    }
  }
}
