// Building an HLS project for C-simulation: the files in a folder named by their content hash, compiled with g++
// against the project's own hls_stream.h into a shared library (and, on demand, the testbench executable).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOnce, cacheFolder, compilerVersion, contentHash, runCompiler, writeFileAtomic } from '../common/native.js';
import { cppCompiler } from '../cpp/build.js';

/** The simulation header (targets/hls/include/hls_stream.h). */
export const simulationHeaderPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'include', 'hls_stream.h');

let header: string | undefined;
export function simulationHeader(): string {
  header ??= readFileSync(simulationHeaderPath, 'utf8');
  return header;
}

/** The files of an HLS project, by their names in the project folder. */
export interface HlsFiles {
  readonly 'kernel.cpp': string;
  readonly 'kernel.h': string;
  readonly 'host.cpp': string;
  readonly 'testbench.cpp': string;
  readonly 'run_hls.tcl': string;
  readonly 'report.txt': string;
}

export interface HlsBuildOptions {
  /** The C++ compiler for C-simulation (default `$CXX` or g++). */
  compiler?: string;
  /** Replaces the default C-simulation flags. */
  flags?: readonly string[];
  /** Folder for cached builds (default `.cache/sdfg-ts` in the project, else the OS temp folder). */
  cacheDir?: string;
}

/**
 * C-simulation flags: `-Wno-unknown-pragmas` for the HLS pragmas, `-pthread` for the dataflow threads, `-fwrapv` and
 * `-ffp-contract=off` so that integers wrap and results round like the reference interpreter's.
 */
export const defaultHlsFlags: readonly string[] = ['-std=c++17', '-O1', '-Wno-unknown-pragmas', '-pthread', '-fwrapv', '-ffp-contract=off'];

export interface HlsProject {
  /** The folder holding the files, include/hls_stream.h and the build outputs. */
  readonly folder: string;
  readonly files: HlsFiles;
  readonly compiler: string;
  readonly flags: readonly string[];
}

/** Write the project's files into the cache folder of their content (once). */
export function writeProject(files: HlsFiles, options: HlsBuildOptions = {}): HlsProject {
  const compiler = cppCompiler(options);
  const flags = [...(options.flags ?? defaultHlsFlags)];
  const hash = contentHash([...Object.values(files), simulationHeader(), flags.join(' '), compilerVersion(compiler)]);
  const folder = path.join(cacheFolder('hls', options.cacheDir), hash);
  for (const [name, text] of [...Object.entries(files), ['include/hls_stream.h', simulationHeader()]] as [string, string][]) {
    const file = path.join(folder, name);
    if (!existsSync(file)) writeFileAtomic(file, text);
  }
  return { folder, files, compiler, flags };
}

function compileJob(project: HlsProject, output: string, sources: string[], extra: string[], what: string) {
  return runCompiler({
    compiler: project.compiler,
    args: [...project.flags, ...extra, '-I', path.join(project.folder, 'include'), ...sources.map((s) => path.join(project.folder, s)), '-o', output],
    sourceFile: path.join(project.folder, 'kernel.cpp'),
    what,
  });
}

/** The C-simulation library: kernel and host code, loaded like the C++ target's. */
export async function buildSimulation(project: HlsProject, name: string): Promise<{ library: string; cached: boolean }> {
  const { file, cached } = await buildOnce(project.folder, 'csim.so', (output) =>
    compileJob(project, output, ['kernel.cpp', 'host.cpp'], ['-shared', '-fPIC'], `the C-simulation of '${name}'`));
  return { library: file, cached };
}

/** The testbench executable: `testbench <folder>` reads inputs, runs the kernel, writes outputs. */
export async function buildTestbench(project: HlsProject, name: string): Promise<{ executable: string; cached: boolean }> {
  const { file, cached } = await buildOnce(project.folder, 'testbench', (output) =>
    compileJob(project, output, ['kernel.cpp', 'host.cpp', 'testbench.cpp'], [], `the testbench of '${name}'`));
  return { executable: file, cached };
}
