// A standalone executable of a CUDA program (nvcc, linked with the CUDA runtime): reads its arguments from files, runs
// the entry, writes the results back — the C++ target's sanitizer harness around an entry that stops on CUDA errors.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { buildOnce, cacheFolder, compilerVersion, contentHash, runCompiler, writeFileAtomic } from '../common/native.js';
import { harnessMain } from '../cpp/sanitize.js';
import type { CppProgram } from '../cpp/emit.js';
import { type CudaBuildOptions, cudaFlags, nvccPath } from './build.js';
import type { CudaProgram } from './emit.js';

/** Exit code of a harness whose run hit a CUDA error (after printing the message). */
export const HARNESS_CUDA_ERROR = 4;

/** The program's source plus a `main`: a checked wrapper with the entry's parameters calls it. */
export function harnessSource(program: CudaProgram): string {
  const wrapper = 'sdfg_harness_entry';
  const params = program.params.map((p, k) => `${p.cType} p${k}`);
  const lines = [
    program.source,
    '// ---- harness ----',
    `static void ${wrapper}(${params.join(', ')}) {`,
    `  if (${program.entryName}(${program.params.map((_, k) => `p${k}`).join(', ')}) != 0) {`,
    '    std::fprintf(stderr, "%s\\n", sdfg_cuda_last_error());',
    `    std::exit(${HARNESS_CUDA_ERROR});`,
    '  }',
    '}',
  ];
  const asCpp: CppProgram = { source: '', entryName: wrapper, params: program.params, links: program.links, features: { streams: false, atomics: false, blas: false } };
  return `${lines.join('\n')}\n#include <cstdlib>\n${harnessMain(asCpp)}`;
}

export interface CudaHarness {
  readonly executable: string;
  readonly sourceFile: string;
  readonly cached: boolean;
}

/** Compile and link the harness executable (cached like the libraries); `-lcudart` links the CUDA runtime. */
export async function buildCudaHarness(program: CudaProgram, name: string, options: CudaBuildOptions = {}): Promise<CudaHarness> {
  const nvcc = nvccPath(options);
  const source = harnessSource(program);
  const flags = [...cudaFlags(options), '-lcudart'];
  const hash = contentHash(['harness', source, flags.join(' '), program.links.join(' '), compilerVersion(nvcc)]);
  const folder = path.join(cacheFolder('cuda', options.cacheDir), hash);
  const sourceFile = path.join(folder, 'harness.cu');
  if (!existsSync(sourceFile)) writeFileAtomic(sourceFile, source);
  const { file, cached } = await buildOnce(folder, 'harness', (output) => runCompiler({
    compiler: nvcc, args: [...flags, sourceFile, '-o', output, ...program.links], sourceFile, what: `the harness of '${name}'`,
  }));
  return { executable: file, sourceFile, cached };
}

/** Run a harness on argument files in `input`, results to `output`; resolves with its exit code and what it printed. */
export function runCudaHarness(executable: string, input: string, output: string): Promise<{ code: number; report: string }> {
  return new Promise((resolve) => {
    execFile(executable, [input, output], { maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, report: `${stderr}${stdout}`.trim() });
    });
  });
}
