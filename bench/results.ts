// The shape of a benchmark run's results (the JSON written under bench/results/) and the messages of its workers.
import { renameSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BenchOptions, VariantName } from './args.js';
import type { PresetName } from '../kernels/index.js';

export const resultsSchema = 'sdfg-ts-bench/1';

/**
 * ok: validated and timed. failed: did not compile, threw, or gave wrong results (never timed). unavailable: the
 * target or pass is not there yet. skipped: not run by choice (budget, preset, kernel). crashed: its worker died.
 */
export type VariantStatus = 'ok' | 'failed' | 'unavailable' | 'skipped' | 'crashed';

export interface OutputCheck {
  readonly output: string;
  readonly ok: boolean;
  readonly maxViolation: number;
  readonly relativeL2: number;
}

export interface VariantResult {
  readonly variant: VariantName;
  readonly status: VariantStatus;
  readonly reason?: string;
  /** The outputs compared against the reference before timing. */
  readonly validation?: { readonly against: ReferenceName; readonly outputs: readonly OutputCheck[] };
  readonly warmupMs?: number;
  /** Timed runs, in the order they ran (sample i of every variant belongs to the same alternation round). */
  readonly samplesMs: readonly number[];
}

export type ReferenceName = 'interpreter' | 'ts';

/** The compile pipeline, stage by stage: builder → graph, autoOptimize, emit (plain/optimized), native compiler. */
export type StageName = 'build' | 'optimize' | 'emit' | 'emitAuto' | 'native' | 'nativeAuto';
export const stageNames: readonly StageName[] = ['build', 'optimize', 'emit', 'emitAuto', 'native', 'nativeAuto'];

export interface StageTiming {
  /** Milliseconds per repetition (one for the native compiler). */
  readonly samplesMs: readonly number[];
  /** The first run, before `samplesMs` (first use in this worker: module loading, JIT), kept apart. */
  readonly coldMs?: number;
  readonly error?: string;
  /** Native compile found its library in the cache (only with --reuse-cache). */
  readonly cached?: boolean;
}

export type ElementKind = 'f64' | 'f32' | 'int';

export interface KernelResult {
  readonly kernel: string;
  readonly sizes: Readonly<Record<string, number>>;
  readonly flops: number;
  readonly bytes: number;
  /** The element type of the outputs, which picks the peak the floor uses. */
  readonly elements: ElementKind;
  /** What every variant was validated against. */
  readonly reference: ReferenceName;
  readonly loadavg: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly stages: Partial<Record<StageName, StageTiming>>;
  readonly variants: readonly VariantResult[];
  /** The kernel could not be set up at all (inputs, program): every variant then reads failed. */
  readonly error?: string;
}

export interface Measurement {
  /** Seconds of each repetition. */
  readonly samplesS: readonly number[];
  /** The best rate (bytes or flops per second): the machine's capability, which a floor needs. */
  readonly best: number;
  readonly median: number;
}

export interface Probes {
  /** Bytes per second of `c[i] = a[i] + b[i]` over 10 M doubles (24 bytes per element), all threads. */
  readonly bandwidth: Measurement | { readonly error: string };
  /** Flops per second of an FMA loop over registers, all threads. */
  readonly peakF64: Measurement | { readonly error: string };
  readonly peakF32: Measurement | { readonly error: string };
  /** OpenMP's thread count inside the probes. */
  readonly threads: number;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly ompNumThreads: string | null;
  readonly openblasNumThreads: string | null;
  readonly node: string;
  readonly compiler: string;
  readonly platform: string;
}

export interface BenchResults {
  readonly schema: typeof resultsSchema;
  readonly startedAt: string;
  finishedAt: string;
  readonly preset: PresetName;
  readonly argv: readonly string[];
  readonly options: BenchOptions;
  interrupted: boolean;
  readonly machine: MachineInfo;
  probes: Probes | null;
  readonly loadavg: { readonly start: readonly number[]; end: readonly number[] };
  readonly kernels: KernelResult[];
}

// ---------------------------------------------------------------------------------------------------------------
// Parent ↔ worker messages.

/** What a worker is asked to do: one kernel, its variants, the protocol settings. */
export interface WorkerJob {
  readonly kernel: string;
  readonly preset: PresetName;
  readonly variants: readonly VariantName[];
  /** Variants that crashed an earlier worker for this kernel: reported as crashed, not run again. */
  readonly crashed: Readonly<Partial<Record<VariantName, string>>>;
  readonly reps: number;
  readonly interpreterBudget: number;
  readonly compileTimes: boolean;
  /** The build cache folder (fresh per run unless --reuse-cache). */
  readonly cacheDir: string | undefined;
  /** The compiled probes library (OpenBLAS dgemm), or null when it could not be built. */
  readonly probesLibrary: string | null;
  readonly seed: number | undefined;
}

/** What a worker is doing: drives the progress line, and names the culprit when the worker dies. */
export interface PhaseMessage {
  readonly type: 'phase';
  readonly phase: 'setup' | 'stages' | 'compile' | 'estimate' | 'reference' | 'validate' | 'run';
  readonly variant?: VariantName;
  readonly rep?: number;
  readonly reps?: number;
}

export interface ResultMessage {
  readonly type: 'result';
  readonly result: KernelResult;
}

/** Compile stage timings, sent as soon as they are measured: a worker that dies later does not lose them. */
export interface StagesMessage {
  readonly type: 'stages';
  readonly stages: Partial<Record<StageName, StageTiming>>;
}

export type WorkerMessage = PhaseMessage | StagesMessage | ResultMessage;

// ---------------------------------------------------------------------------------------------------------------
// Files.

/** `2025-06-01_14-03-22`: sortable, and safe in every file system. */
export function resultsBasename(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}_${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`;
}

/** JSON has no Infinity or NaN: they become strings, so that nothing is lost silently. */
export function resultsJSON(results: unknown): string {
  return JSON.stringify(results, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value), 2);
}

/** Write a file through a temporary name (bench/results/*.tmp is ignored by git), so a Ctrl-C never leaves half a file. */
export function writeResultFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
