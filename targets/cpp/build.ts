// Building emitted C++ into a shared library, cached by a hash of the source, the flags and the compiler version.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { TargetError } from '../../graph/errors.js';
import { buildOnce, cacheFolder, compilerVersion, contentHash, hasHeader, runCompiler, writeFileAtomic } from '../common/native.js';
import type { CppProgram } from './emit.js';

/**
 * g++ flags for a kernel library. `-fwrapv`: the tasklet language's integers wrap. `-ffp-contract=off`: no fused
 * multiply-adds, so that results round like the reference interpreter's (pass `flags` to trade that for speed).
 */
export const defaultCppFlags: readonly string[] = ['-O3', '-march=native', '-fopenmp', '-shared', '-fPIC', '-std=c++17', '-fwrapv', '-ffp-contract=off'];

export interface CppBuildOptions {
  /** The C++ compiler (default `$CXX` or g++). */
  compiler?: string;
  /** Replaces the default flags entirely. */
  flags?: readonly string[];
  /** Folder for cached builds (default `.cache/sdfg-ts` in the project, else the OS temp folder). */
  cacheDir?: string;
}

export interface CppBuild {
  readonly library: string;
  readonly sourceFile: string;
  /** True when the library came from the cache and no compiler ran. */
  readonly cached: boolean;
}

export function cppCompiler(options: { compiler?: string } = {}): string {
  return options.compiler ?? process.env['CXX'] ?? 'g++';
}

/** Whether OpenBLAS's `cblas.h` is available to the compiler (checked once per process). */
export function openBlasAvailable(compiler = cppCompiler()): boolean {
  return hasHeader(compiler, 'cblas.h');
}

/** Resolve the `blas` option: 'auto' uses OpenBLAS when its header is there. */
export function resolveBlas(blas: 'auto' | 'openblas' | 'none' | undefined, compiler: string): 'openblas' | 'none' {
  if (blas === 'none') return 'none';
  const available = openBlasAvailable(compiler);
  if (blas === 'openblas' && !available) {
    throw new TargetError({
      code: 'not-available', message: `blas: 'openblas' was asked for, but ${compiler} cannot find cblas.h`,
      hint: "install OpenBLAS (Debian: apt-get install libopenblas-dev) or pass blas: 'auto' or 'none'",
    });
  }
  return available ? 'openblas' : 'none';
}

/** Compile (or find in the cache) the shared library of an emitted program. */
export async function buildCpp(program: CppProgram, name: string, options: CppBuildOptions = {}): Promise<CppBuild> {
  const compiler = cppCompiler(options);
  const flags = [...(options.flags ?? defaultCppFlags)];
  const links = [...program.links];
  const hash = contentHash([program.source, flags.join(' '), links.join(' '), compilerVersion(compiler)]);
  const folder = path.join(cacheFolder('cpp', options.cacheDir), hash);
  const sourceFile = path.join(folder, 'program.cpp');
  if (!existsSync(sourceFile)) writeFileAtomic(sourceFile, program.source);
  const { file, cached } = await buildOnce(folder, 'program.so', (output) => runCompiler({
    compiler, args: [...flags, sourceFile, '-o', output, ...links], sourceFile, what: `program '${name}'`,
  }));
  return { library: file, sourceFile, cached };
}
