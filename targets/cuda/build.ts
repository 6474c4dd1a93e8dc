// Building emitted CUDA with nvcc: a shared library per program (cached by a hash of source, flags and nvcc version).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { TargetError } from '../../graph/errors.js';
import { buildOnce, cacheFolder, compilerVersion, contentHash, runCompiler, writeFileAtomic } from '../common/native.js';
import type { CudaProgram } from './emit.js';

export interface CudaBuildOptions {
  /** The nvcc to run (default `$NVCC`, else /usr/local/cuda/bin/nvcc when present, else nvcc on the PATH). */
  nvcc?: string;
  /** The GPU architecture compiled for (default sm_90: H100 and H200). */
  arch?: string;
  /** Replaces the default flags (not the architecture). */
  flags?: readonly string[];
  /** Folder for cached builds (default `.cache/sdfg-ts` in the project, else the OS temp folder). */
  cacheDir?: string;
}

/**
 * nvcc flags of every build. `--fmad=false`: no fused multiply-adds, so that results round like the reference
 * interpreter's; `--expt-relaxed-constexpr`: std::numeric_limits in device code; warning 177 is an unused variable.
 */
export const defaultCudaFlags: readonly string[] = ['-O3', '-std=c++17', '--expt-relaxed-constexpr', '--fmad=false', '-diag-suppress', '177'];

export const DEFAULT_ARCH = 'sm_90';

/** Where the CUDA toolkit lives: `$CUDA_HOME`, else /usr/local/cuda. */
export function cudaHome(): string {
  return process.env['CUDA_HOME'] ?? '/usr/local/cuda';
}

export function nvccPath(options: { nvcc?: string } = {}): string {
  if (options.nvcc) return options.nvcc;
  if (process.env['NVCC']) return process.env['NVCC'];
  const bundled = path.join(cudaHome(), 'bin', 'nvcc');
  return existsSync(bundled) ? bundled : 'nvcc';
}

/** Whether nvcc can be run here (compiling needs no GPU). */
export function nvccAvailable(options: { nvcc?: string } = {}): boolean {
  try {
    compilerVersion(nvccPath(options));
    return true;
  } catch {
    return false;
  }
}

/** Whether cuBLAS's header and library are installed next to nvcc. */
export function cublasAvailable(): boolean {
  const home = cudaHome();
  return existsSync(path.join(home, 'include', 'cublas_v2.h'))
    && ['lib64', path.join('targets', 'x86_64-linux', 'lib')].some((dir) => existsSync(path.join(home, dir, 'libcublas.so')));
}

/** Resolve the `blas` option: 'cublas' must be installed; 'auto' uses it when it is. */
export function resolveCudaBlas(blas: 'auto' | 'cublas' | 'none' | undefined): 'cublas' | 'none' {
  if (blas === 'none' || blas === undefined) return 'none';
  const available = cublasAvailable();
  if (blas === 'cublas' && !available) {
    throw new TargetError({
      code: 'not-available', message: `blas: 'cublas' was asked for, but cuBLAS is not installed in ${cudaHome()}`,
      hint: "install the CUDA toolkit's cuBLAS, or pass blas: 'none' (a MatMul kernel) or 'auto'",
    });
  }
  return available ? 'cublas' : 'none';
}

function nvccVersion(nvcc: string): string {
  try {
    return compilerVersion(nvcc);
  } catch (cause) {
    throw new TargetError({
      code: 'compiler-missing', message: `nvcc cannot be run ('${nvcc}')`, cause,
      hint: 'install the CUDA toolkit (nvcc), set $NVCC or $CUDA_HOME, or pass the `nvcc` option',
    });
  }
}

export interface CudaBuild {
  readonly library: string;
  readonly sourceFile: string;
  readonly cached: boolean;
}

/** Flags for one build: the defaults (or the caller's), the architecture, and what a shared library needs. */
export function cudaFlags(options: CudaBuildOptions): string[] {
  return [...(options.flags ?? defaultCudaFlags), `-arch=${options.arch ?? DEFAULT_ARCH}`];
}

/** Compile (or find in the cache) the shared library of an emitted program. */
export async function buildCuda(program: CudaProgram, name: string, options: CudaBuildOptions = {}): Promise<CudaBuild> {
  const nvcc = nvccPath(options);
  const flags = [...cudaFlags(options), '-Xcompiler', '-fPIC', '-shared'];
  const hash = contentHash([program.source, flags.join(' '), program.links.join(' '), nvccVersion(nvcc)]);
  const folder = path.join(cacheFolder('cuda', options.cacheDir), hash);
  const sourceFile = path.join(folder, 'program.cu');
  if (!existsSync(sourceFile)) writeFileAtomic(sourceFile, program.source);
  const { file, cached } = await buildOnce(folder, 'program.so', (output) => runCompiler({
    compiler: nvcc, args: [...flags, sourceFile, '-o', output, ...program.links], sourceFile, what: `program '${name}'`,
  }));
  return { library: file, sourceFile, cached };
}
