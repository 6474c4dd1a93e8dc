// `compile(program, { target })`: the one entry point from a program (or SDFG) to something runnable on a target.
import type { AnyTypedArray } from '../graph/dtypes.js';
import { TargetError } from '../graph/errors.js';
import type { SDFG } from '../graph/sdfg.js';
import type { ArgValue } from './common/arguments.js';
import { compileCpp, type CompiledCpp, type CppCompileOptions } from './cpp/index.js';
import { runReference } from './reference/index.js';

/** Anything holding an SDFG: a program built with the DSL, or the graph itself. */
export type ProgramLike = SDFG | { readonly sdfg: SDFG };

export type TargetName = 'reference' | 'cpp' | 'cuda' | 'hls' | 'wgsl';

export interface CompileOptionsBase {
  /** Transformation pipeline to run first; only 'none' (the default) exists until the passes are wired in. */
  optimize?: string;
}

export type CompileOptions =
  | (CompileOptionsBase & { target: 'cpp' } & CppCompileOptions)
  | (CompileOptionsBase & { target: 'reference' })
  | (CompileOptionsBase & { target: 'cuda' | 'hls' | 'wgsl' });

export interface CompiledReference {
  readonly target: 'reference';
  run(args: Readonly<Record<string, ArgValue>>): Record<string, AnyTypedArray | number>;
}

export type Compiled = CompiledCpp | CompiledReference;

export function sdfgOf(program: ProgramLike): SDFG {
  return 'kind' in program && program.kind === 'SDFG' ? program : (program as { sdfg: SDFG }).sdfg;
}

export function compile(program: ProgramLike, options: CompileOptions & { target: 'cpp' }): Promise<CompiledCpp>;
export function compile(program: ProgramLike, options: CompileOptions & { target: 'reference' }): Promise<CompiledReference>;
export function compile(program: ProgramLike, options: CompileOptions): Promise<Compiled>;
export async function compile(program: ProgramLike, options: CompileOptions): Promise<Compiled> {
  const sdfg = sdfgOf(program);
  if (options.optimize !== undefined && options.optimize !== 'none') {
    throw new TargetError({
      code: 'not-available',
      message: `optimize: '${options.optimize}' is not available yet: the transformation pipeline is not wired into compile`,
      hint: "leave optimize out (or pass 'none')",
    });
  }
  switch (options.target) {
    case 'cpp': return compileCpp(sdfg, options);
    case 'reference': return { target: 'reference', run: (args) => runReference(sdfg, args) };
    case 'cuda': case 'hls': case 'wgsl':
      throw new TargetError({ code: 'not-available', message: `the ${options.target} target is not available yet`, hint: "use target: 'cpp' or 'reference'" });
    default: {
      const target: unknown = (options as { target: unknown }).target;
      throw new TargetError({
        code: 'unknown-target', message: `unknown target ${JSON.stringify(target)}`,
        hint: "targets: 'reference', 'cpp', 'cuda', 'hls', 'wgsl'",
      });
    }
  }
}
