// Command line of `npm run bench`: which kernels, preset, targets and protocol settings, parsed and checked.
import { parseArgs } from 'node:util';
import { kernelList, presetNames, type PresetName } from '../kernels/index.js';

/** The variants a kernel can run as; `ts` (plain TypeScript loops) is the baseline of every ratio. */
export type VariantName = 'ts' | 'interpreter' | 'cpp' | 'cpp-auto' | 'openblas';
export const variantNames: readonly VariantName[] = ['ts', 'interpreter', 'cpp', 'cpp-auto', 'openblas'];

/** What `--target` selects: each target is one or more variants. */
const targetVariants: Readonly<Record<string, readonly VariantName[]>> = {
  ts: ['ts'],
  reference: ['interpreter'],
  interpreter: ['interpreter'],
  cpp: ['cpp', 'cpp-auto'],
  blas: ['openblas'],
  openblas: ['openblas'],
};

export interface BenchOptions {
  readonly kernels: readonly string[];
  readonly preset: PresetName;
  /** Variants to run, in table order; always includes `ts`, the baseline. */
  readonly variants: readonly VariantName[];
  /** Timed runs per variant after the warm-up (the protocol's 10). */
  readonly reps: number;
  /** Seconds the interpreter may take per kernel (validation, warm-up and timed runs together). */
  readonly interpreterBudget: number;
  /** Seconds a kernel may take in all before its worker is stopped. */
  readonly kernelTimeout: number;
  /** OMP_NUM_THREADS and OPENBLAS_NUM_THREADS for the kernels (undefined: leave the environment as it is). */
  readonly threads: number | undefined;
  /** Folder for the JSON and SVG; null: write nothing. */
  readonly outDir: string | null;
  /** Time builder, autoOptimize, emit and the native compiler per kernel. */
  readonly compileTimes: boolean;
  /** Use the shared build cache (native compile times then read "cached") instead of a fresh one. */
  readonly reuseCache: boolean;
  readonly seed: number | undefined;
  readonly help: boolean;
}

export class BenchUsageError extends Error {
  override readonly name = 'BenchUsageError';
}

export const usage = `Usage: npm run bench -- [options]

Runs every kernel (or the chosen ones) as plain TypeScript loops (the baseline), on the interpreter (test and S
only), as generated C++ without and with autoOptimize, and (gemm) as OpenBLAS dgemm; validates each against the
reference, then times them in alternation (one warm-up, median of 10). Writes bench/results/<date>.json and .svg.

Options:
  -k, --kernel NAME[,NAME]   kernels to run (repeatable; default: all). Names as in NPBench: gemm, jacobi_2d, …
  -p, --preset P             test, S, M or L (default S)
  -t, --target T[,T]         ts, reference (the interpreter), cpp (plain and autoOptimized), blas (default: all);
                             ts always runs: it is the baseline of every ratio
      --variant V[,V]        finer: ts, interpreter, cpp, cpp-auto, openblas
      --reps N               timed runs per variant (default 10, the protocol's)
      --interp-budget S      seconds the interpreter may spend per kernel (default 30)
      --kernel-timeout S     seconds before a kernel's worker is stopped (default 3600)
      --threads N            set OMP_NUM_THREADS and OPENBLAS_NUM_THREADS for the kernels
      --out DIR              where results go (default bench/results)
      --no-write             write no files
      --no-compile-times     skip timing the compile stages
      --reuse-cache          use the shared build cache (native compile times may then be cache hits)
      --seed N               seed of the kernels' random inputs
  -h, --help                 this text`;

function positiveNumber(name: string, text: string | undefined, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new BenchUsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Split repeated and comma-separated values: `-k gemm,syrk -k cholesky`. */
function list(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** A kernel name as typed (`jacobi-2d`, `Jacobi_2D`) to the registry's (`jacobi_2d`). */
function kernelName(typed: string): string {
  const normalized = typed.toLowerCase().replaceAll('-', '_');
  const known = kernelList.map((k) => k.name);
  if (!known.includes(normalized)) throw new BenchUsageError(`no kernel named ${JSON.stringify(typed)}; kernels are ${known.join(', ')}`);
  return normalized;
}

function presetName(typed: string | undefined): PresetName {
  if (typed === undefined) return 'S';
  const found = presetNames.find((p) => p.toLowerCase() === typed.toLowerCase());
  if (!found) throw new BenchUsageError(`no preset ${JSON.stringify(typed)}; presets are ${presetNames.join(', ')}`);
  return found;
}

function selectedVariants(targets: readonly string[], variants: readonly string[]): VariantName[] {
  const chosen = new Set<VariantName>(['ts']);
  for (const t of targets) {
    const vs = targetVariants[t.toLowerCase()];
    if (!vs) throw new BenchUsageError(`no target ${JSON.stringify(t)}; targets are ts, reference, cpp, blas`);
    for (const v of vs) chosen.add(v);
  }
  for (const v of variants) {
    const found = variantNames.find((n) => n === v.toLowerCase());
    if (!found) throw new BenchUsageError(`no variant ${JSON.stringify(v)}; variants are ${variantNames.join(', ')}`);
    chosen.add(found);
  }
  if (targets.length === 0 && variants.length === 0) for (const v of variantNames) chosen.add(v);
  return variantNames.filter((v) => chosen.has(v));
}

/** Parse `npm run bench` arguments (without `node` and the script). Throws BenchUsageError on bad input. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        kernel: { type: 'string', short: 'k', multiple: true },
        preset: { type: 'string', short: 'p' },
        target: { type: 'string', short: 't', multiple: true },
        variant: { type: 'string', multiple: true },
        reps: { type: 'string' },
        'interp-budget': { type: 'string' },
        'kernel-timeout': { type: 'string' },
        threads: { type: 'string' },
        out: { type: 'string' },
        'no-write': { type: 'boolean' },
        'no-compile-times': { type: 'boolean' },
        'reuse-cache': { type: 'boolean' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (cause) {
    throw new BenchUsageError(cause instanceof Error ? cause.message : String(cause));
  }
  const v = parsed.values;
  const kernels = list(v.kernel).map(kernelName);
  const seedText = v.seed;
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0)) throw new BenchUsageError(`--seed must be a non-negative integer, got ${JSON.stringify(seedText)}`);
  return {
    kernels: kernels.length > 0 ? [...new Set(kernels)] : kernelList.map((k) => k.name),
    preset: presetName(v.preset),
    variants: selectedVariants(list(v.target), list(v.variant)),
    reps: positiveNumber('reps', v.reps, true) ?? 10,
    interpreterBudget: positiveNumber('interp-budget', v['interp-budget'], false) ?? 30,
    kernelTimeout: positiveNumber('kernel-timeout', v['kernel-timeout'], false) ?? 3600,
    threads: positiveNumber('threads', v.threads, true),
    outDir: v['no-write'] ? null : (v.out ?? 'bench/results'),
    compileTimes: !v['no-compile-times'],
    reuseCache: v['reuse-cache'] ?? false,
    seed,
    help: v.help ?? false,
  };
}
