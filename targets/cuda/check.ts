// Checking emitted CUDA without a GPU: `nvcc -ptx` over many programs at once, one namespace per program in a few
// translation units compiled side by side, each unit cached by its content hash (a repeated check runs no compiler).
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CompilerError } from '../../graph/errors.js';
import { cacheFolder, compilerVersion, contentHash, runCompiler, writeFileAtomic } from '../common/native.js';
import { type CudaBuildOptions, cudaFlags, nvccPath } from './build.js';
import type { CudaProgram } from './emit.js';
import { type CudaFeatures, CUDA_PROGRAM_MARKER, cudaRuntime, noFeatures } from './runtime.js';

export interface NamedProgram {
  readonly name: string;
  readonly program: CudaProgram;
}

export interface CheckOptions extends CudaBuildOptions {
  /** Translation units compiled at the same time (default 2). */
  jobs?: number;
}

export interface CheckReport {
  /** Translation units compiled by this call, and those found already checked. */
  readonly compiled: number;
  readonly cached: number;
}

/** Programs in one translation unit: the prelude once, each program in its own namespace (entries lose C linkage). */
export function combinedSource(programs: readonly NamedProgram[]): { source: string; firstLine: Map<number, string> } {
  const features: CudaFeatures = noFeatures();
  for (const { program } of programs) for (const k of Object.keys(features) as (keyof CudaFeatures)[]) features[k] ||= program.features[k];
  const helpers = [...new Set(programs.map(({ program }) => program.helpers).filter(Boolean))];
  const parts = [cudaRuntime(features), ...helpers, CUDA_PROGRAM_MARKER];
  const firstLine = new Map<number, string>();
  let line = parts.join('\n').split('\n').length;
  programs.forEach(({ name, program }, k) => {
    const text = [`namespace sdfg_check_${k} {  // ${name}`, program.program.replace(/extern "C" /g, ''), '}', ''].join('\n');
    firstLine.set(line, name);
    parts.push(text);
    line += text.split('\n').length - 1;
  });
  return { source: parts.join('\n'), firstLine };
}

/** The program a compiler message's line number falls in. */
function programsNamed(output: string, file: string, firstLine: Map<number, string>): string[] {
  const starts = [...firstLine.keys()].sort((a, b) => a - b);
  const names = new Set<string>();
  const pattern = new RegExp(`${path.basename(file).replace(/\./g, '\\.')}\\((\\d+)\\): error`, 'g');
  for (const m of output.matchAll(pattern)) {
    const at = Number(m[1]);
    const start = [...starts].reverse().find((s) => s <= at);
    if (start !== undefined) names.add(firstLine.get(start)!);
  }
  return [...names];
}

/**
 * `nvcc -ptx` for every program (syntax, types, device code generation for the architecture). Rejects with a
 * CompilerError naming the programs whose code failed.
 */
export async function checkCudaPrograms(programs: readonly NamedProgram[], options: CheckOptions = {}): Promise<CheckReport> {
  const nvcc = nvccPath(options);
  const flags = cudaFlags(options);
  const jobs = Math.max(1, Math.min(options.jobs ?? 2, programs.length));
  const groups = Array.from({ length: jobs }, (_, k) => programs.filter((_, i) => i % jobs === k));
  const folder = cacheFolder('cuda-check', options.cacheDir);
  const version = compilerVersion(nvcc);
  let compiled = 0, cached = 0;
  await Promise.all(groups.map(async (group) => {
    const { source, firstLine } = combinedSource(group);
    const hash = contentHash(['ptx', source, flags.join(' '), version]);
    const stamp = path.join(folder, `${hash}.ok`);
    if (existsSync(stamp)) {
      cached++;
      return;
    }
    const sourceFile = path.join(folder, `${hash}.cu`);
    writeFileAtomic(sourceFile, source);
    try {
      await runCompiler({ compiler: nvcc, args: ['-ptx', ...flags, sourceFile, '-o', '/dev/null'], sourceFile, what: `${group.length} programs` });
    } catch (error) {
      if (!(error instanceof CompilerError)) throw error;
      const names = programsNamed(error.compilerOutput, sourceFile, firstLine);
      throw new CompilerError({
        code: 'compiler-failed', message: `nvcc -ptx failed for ${names.length ? names.join(', ') : 'the programs'} (${sourceFile}):\n${error.compilerOutput.split('\n').slice(0, 30).join('\n')}`,
        hint: 'each program sits in its own namespace in the file; its line numbers point into it', compilerOutput: error.compilerOutput, sourceFile,
      });
    }
    writeFileSync(stamp, '');
    compiled++;
  }));
  return { compiled, cached };
}
