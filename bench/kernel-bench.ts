// One kernel's benchmark (run inside a worker process, bench/worker.ts): validation, then timing in alternation.
//
// Reports PhaseMessages as it goes. Order: inputs → compile stages timed → variants prepared → reference output →
// every variant validated → a warm-up round and `reps` timed rounds in alternation.
import os from 'node:os';
import { compile, TargetError, type Program } from '../index.js';
import { compareOutputs, kernel as kernelByName, type Kernel, type KernelArgs, type KernelArray } from '../kernels/index.js';
import { arrayOf } from '../kernels/kernel.js';
import { emitCpp, type CppProgram } from '../targets/cpp/emit.js';
import { buildCpp, cppCompiler, resolveBlas } from '../targets/cpp/build.js';
import type { SDFG } from '../graph/sdfg.js';
import type { VariantName } from './args.js';
import { programFactories } from './factories.js';
import { loadBlasProbe } from './probes.js';
import type {
  ElementKind, KernelResult, OutputCheck, PhaseMessage, ReferenceName, StageName, StageTiming, VariantResult, VariantStatus, WorkerJob,
  WorkerMessage,
} from './results.js';
import { alternation, scaleEstimate } from './stats.js';

/** Timed repetitions of each JavaScript-side compile stage (builder, autoOptimize, emit), after one cold run. */
export const stageReps = 10;

type Runner = (args: KernelArgs) => void;
export type Prepared = { readonly run: Runner } | { readonly status: Exclude<VariantStatus, 'ok'>; readonly reason: string };

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function phase(p: PhaseMessage['phase'], variant?: VariantName, rep?: number, reps?: number): void {
  send({ type: 'phase', phase: p, ...(variant ? { variant } : {}), ...(rep !== undefined ? { rep, reps } : {}) });
}

export function errorText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function cloneArgs(args: KernelArgs): KernelArgs {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));
}

/** Copy the pristine inputs back into the working buffers (same objects, so native argument checks stay cached). */
function restore(work: KernelArgs, pristine: KernelArgs): void {
  for (const [name, value] of Object.entries(pristine)) {
    if (typeof value === 'number') work[name] = value;
    else (work[name] as KernelArray).set(value as never);
  }
}

function elementKind(k: Kernel, args: KernelArgs): ElementKind {
  const outputs = k.outputs.map((name) => arrayOf(args, name));
  if (outputs.every((a) => a instanceof Float32Array)) return 'f32';
  if (outputs.some((a) => a instanceof Float64Array || a instanceof Float32Array)) return 'f64';
  return 'int';
}

function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

// ---------------------------------------------------------------------------------------------------------------
// Compile stages.

type AutoOptimize = (sdfg: SDFG, device: 'cpu') => { sdfg: SDFG };

/** autoOptimize, loaded lazily: the passes are still being written, and a broken import must not stop the run. */
async function loadAutoOptimize(): Promise<AutoOptimize | string> {
  try {
    await import('../passes/index.js');
    const mod = await import('../passes/auto-optimize.js');
    return mod.autoOptimize as unknown as AutoOptimize;
  } catch (cause) {
    return `autoOptimize cannot be loaded: ${errorText(cause)}`;
  }
}

function repeatStage(fn: () => void): StageTiming {
  const samplesMs: number[] = [];
  let coldMs: number | undefined;
  try {
    coldMs = timeMs(fn);
    for (let i = 0; i < stageReps; i++) samplesMs.push(timeMs(fn));
    return { coldMs, samplesMs };
  } catch (cause) {
    return { ...(coldMs !== undefined ? { coldMs } : {}), samplesMs, error: errorText(cause) };
  }
}

async function nativeStage(program: CppProgram | undefined, name: string, cacheDir: string | undefined): Promise<StageTiming> {
  if (!program) return { samplesMs: [], error: 'nothing was emitted' };
  try {
    const t0 = performance.now();
    const build = await buildCpp(program, name, cacheDir ? { cacheDir } : {});
    return { samplesMs: [performance.now() - t0], cached: build.cached };
  } catch (cause) {
    return { samplesMs: [], error: errorText(cause) };
  }
}

/**
 * Time each stage from a program to a native library: builder → graph (a fresh program from the kernel's factory),
 * autoOptimize, emit (plain and optimized graphs), and the native compiler (once each: a fresh cache folder
 * makes it a real compile, and `compile()` later finds the library there).
 */
async function timeStages(k: Kernel, job: WorkerJob): Promise<Partial<Record<StageName, StageTiming>>> {
  const factory = programFactories[k.name];
  let program: Program = k.build();
  const build = factory ? repeatStage(() => { program = factory(); }) : { samplesMs: [], error: 'no program factory: the kernel builds once, lazily' };
  const stages: Partial<Record<StageName, StageTiming>> = { build };

  const blas = resolveBlas('auto', cppCompiler());
  let plain: CppProgram | undefined;
  stages.emit = repeatStage(() => { plain = emitCpp(program.sdfg, { blas }); });
  const optimize = await loadAutoOptimize();
  let optimized: SDFG | undefined;
  if (typeof optimize === 'string') stages.optimize = { samplesMs: [], error: optimize };
  else stages.optimize = repeatStage(() => { optimized = optimize(program.sdfg, 'cpu').sdfg; });
  let auto: CppProgram | undefined;
  if (optimized) {
    const graph = optimized;
    // As compile(…, { optimize: 'auto' }) does: autoOptimize has just validated the graph.
    stages.emitAuto = repeatStage(() => { auto = emitCpp(graph, { blas, assumeValid: true }); });
  } else {
    stages.emitAuto = { samplesMs: [], error: 'autoOptimize did not run' };
  }
  stages.native = await nativeStage(plain, program.sdfg.name, job.cacheDir);
  stages.nativeAuto = await nativeStage(auto, program.sdfg.name, job.cacheDir);
  return stages;
}

// ---------------------------------------------------------------------------------------------------------------
// Variants.

function compiledRunner(compiled: { run(args: Readonly<Record<string, unknown>>): unknown }): Runner {
  return (args) => { compiled.run(args); };
}

async function prepareNative(k: Kernel, job: WorkerJob, optimize: boolean): Promise<Prepared> {
  const cache = job.cacheDir ? { cacheDir: job.cacheDir } : {};
  try {
    const compiled = await compile(k.build(), { target: 'cpp', ...(optimize ? { optimize: 'auto' as const } : {}), ...cache });
    return { run: compiledRunner(compiled as never) };
  } catch (cause) {
    return compileFailure(cause);
  }
}

/** A variant whose compile threw: 'unavailable' when the target or pass says it is not there yet, else 'failed'. */
export function compileFailure(cause: unknown): Prepared {
  if (cause instanceof TargetError && cause.code === 'not-available') return { status: 'unavailable', reason: cause.summary };
  return { status: 'failed', reason: errorText(cause) };
}

function prepareBlas(k: Kernel, job: WorkerJob): Prepared {
  if (!job.probesLibrary) return { status: 'unavailable', reason: 'the OpenBLAS yardstick could not be built' };
  try {
    const blas = loadBlasProbe(job.probesLibrary);
    return {
      run: (args) => blas.gemm(
        args['NI'] as number, args['NJ'] as number, args['NK'] as number, args['alpha'] as number, args['beta'] as number,
        arrayOf<Float64Array>(args, 'A'), arrayOf<Float64Array>(args, 'B'), arrayOf<Float64Array>(args, 'C'),
      ),
    };
  } catch (cause) {
    return { status: 'failed', reason: errorText(cause) };
  }
}

/**
 * The interpreter's plan at this preset. It runs at test and S only; at S its time is estimated from the test preset
 * (scaled by the work) and it runs only within the budget: as the reference when one run fits, timed when a
 * validation run, a warm-up and every timed run fit.
 */
interface InterpreterPlan {
  /** Runs the interpreter for the reference output (null: the TypeScript loops are the reference). */
  readonly reference: Runner | null;
  /** The timed variant's fate. */
  readonly timed: Prepared;
}

function interpreterPlan(k: Kernel, job: WorkerJob): InterpreterPlan {
  if (job.preset === 'M' || job.preset === 'L') {
    return { reference: null, timed: { status: 'skipped', reason: `the interpreter runs at test and S only (at ${job.preset} C++ is validated against the TypeScript loops)` } };
  }
  const program = k.build();
  const run: Runner = (args) => { program.run(args); };
  if (job.crashed.interpreter) return { reference: null, timed: { status: 'crashed', reason: job.crashed.interpreter } };
  if (job.preset === 'test') return { reference: run, timed: { run } };
  phase('estimate', 'interpreter');
  let perRun: number;
  try {
    const small = k.presets.test, args = k.init(small, job.seed);
    program.run(cloneArgs(args));
    const seconds = timeMs(() => program.run(args)) / 1000;
    const sizes = k.presets[job.preset];
    perRun = scaleEstimate(seconds, { flops: k.flops(small), bytes: k.bytes(small) }, { flops: k.flops(sizes), bytes: k.bytes(sizes) }, 1);
  } catch (cause) {
    return { reference: null, timed: { status: 'failed', reason: errorText(cause) } };
  }
  const budget = formatSeconds(job.interpreterBudget);
  if (perRun > job.interpreterBudget) {
    return { reference: null, timed: { status: 'skipped', reason: `too slow (est. ${formatSeconds(perRun)} per run > ${budget} budget); validated against ts instead` } };
  }
  const runs = job.reps + 2;
  if (perRun * runs > job.interpreterBudget) {
    return { reference: run, timed: { status: 'skipped', reason: `too slow to time (est. ${formatSeconds(perRun)} × ${runs} runs > ${budget} budget); used as the reference` } };
  }
  return { reference: run, timed: { run } };
}

function formatSeconds(s: number): string {
  return s >= 100 ? `${s.toFixed(0)} s` : `${s.toPrecision(2)} s`;
}

async function prepare(k: Kernel, job: WorkerJob, variant: VariantName, interpreter: InterpreterPlan): Promise<Prepared> {
  const crashed = job.crashed[variant];
  if (crashed) return { status: 'crashed', reason: crashed };
  if (variant === 'cpp' || variant === 'cpp-auto') phase('compile', variant);
  switch (variant) {
    case 'ts': return { run: (args) => k.reference(args) };
    case 'interpreter': return interpreter.timed;
    case 'cpp': return prepareNative(k, job, false);
    case 'cpp-auto': return prepareNative(k, job, true);
    case 'openblas': return prepareBlas(k, job);
  }
}

function failedOutputs(checks: readonly OutputCheck[]): string {
  return checks.filter((c) => !c.ok)
    .map((c) => `${c.output}: max violation ${c.maxViolation.toPrecision(3)}, relative L2 ${c.relativeL2.toPrecision(3)}`).join('; ');
}

// ---------------------------------------------------------------------------------------------------------------
// The kernel.

export async function benchKernel(job: WorkerJob): Promise<KernelResult> {
  const start = os.loadavg();
  const k = kernelByName(job.kernel);
  const sizes = k.presets[job.preset];
  phase('setup');
  const pristine = k.init(sizes, job.seed);
  const work = cloneArgs(pristine);
  const base = { kernel: k.name, sizes, flops: k.flops(sizes), bytes: k.bytes(sizes), elements: elementKind(k, pristine) };

  phase('stages');
  const stages = job.compileTimes ? await timeStages(k, job) : {};
  if (job.compileTimes) send({ type: 'stages', stages });

  const variants = job.variants.filter((v) => v !== 'openblas' || k.name === 'gemm');
  const interpreter = interpreterPlan(k, job);
  const prepared = new Map<VariantName, Prepared>();
  for (const v of variants) prepared.set(v, await prepare(k, job, v, interpreter));

  // The reference output: the interpreter's where it runs (test, S within budget), else the TypeScript loops'.
  let reference: ReferenceName = 'ts';
  const expected = cloneArgs(pristine);
  if (interpreter.reference) {
    phase('reference', 'interpreter');
    try {
      const seconds = timeMs(() => interpreter.reference!(expected)) / 1000;
      reference = 'interpreter';
      const timed = prepared.get('interpreter');
      if (timed && 'run' in timed && seconds * (job.reps + 1) > job.interpreterBudget) {
        prepared.set('interpreter', { status: 'skipped', reason: `too slow to time (one run took ${formatSeconds(seconds)}; budget ${formatSeconds(job.interpreterBudget)}); used as the reference` });
      }
    } catch (cause) {
      if (prepared.has('interpreter')) prepared.set('interpreter', { status: 'failed', reason: errorText(cause) });
      restore(expected, pristine);
    }
  }
  if (reference === 'ts') k.reference(expected);

  const results = new Map<VariantName, { status: VariantStatus; reason?: string; validation?: VariantResult['validation']; warmupMs?: number; samplesMs: number[] }>();
  const runners = new Map<VariantName, Runner>();
  for (const v of variants) {
    const p = prepared.get(v)!;
    if (!('run' in p)) { results.set(v, { status: p.status, reason: p.reason, samplesMs: [] }); continue; }
    if (v === reference) {
      // it made the reference output: running it again would only repeat it (at M, gemm's loops take a minute)
      const outputs = k.outputs.map((output) => ({ output, ok: true, maxViolation: 0, relativeL2: 0 }));
      results.set(v, { status: 'ok', validation: { against: reference, outputs }, samplesMs: [] });
      runners.set(v, p.run);
      continue;
    }
    phase('validate', v);
    restore(work, pristine);
    try {
      p.run(work);
    } catch (cause) {
      results.set(v, { status: 'failed', reason: errorText(cause), samplesMs: [] });
      continue;
    }
    const outputs = Object.entries(compareOutputs(k, expected, work)).map(([output, c]) => ({ output, ...c }));
    const validation = { against: reference, outputs };
    if (outputs.every((c) => c.ok)) {
      results.set(v, { status: 'ok', validation, samplesMs: [] });
      runners.set(v, p.run);
    } else {
      results.set(v, { status: 'failed', reason: `wrong results against the ${reference} reference (${failedOutputs(outputs)})`, validation, samplesMs: [] });
    }
  }

  // Timing: a warm-up round, then `reps` rounds; every round runs every validated variant once, in order.
  for (const { rep, variant } of alternation([...runners.keys()], job.reps)) {
    const run = runners.get(variant);
    const entry = results.get(variant)!;
    if (!run) continue;
    phase('run', variant, rep, job.reps);
    restore(work, pristine);
    try {
      const ms = timeMs(() => run(work));
      if (rep < 0) entry.warmupMs = ms;
      else entry.samplesMs.push(ms);
    } catch (cause) {
      runners.delete(variant);
      Object.assign(entry, { status: 'failed', reason: `threw while timed: ${errorText(cause)}`, samplesMs: [] });
    }
  }

  return {
    ...base, reference, stages,
    loadavg: { start, end: os.loadavg() },
    variants: variants.map((variant) => ({ variant, ...results.get(variant)! })),
  };
}

/** A result for a kernel that could not even be set up: every variant failed with the same reason. */
export function failedKernel(job: WorkerJob, reason: string): KernelResult {
  const k = kernelByName(job.kernel);
  const sizes = k.presets[job.preset];
  return {
    kernel: k.name, sizes, flops: k.flops(sizes), bytes: k.bytes(sizes), elements: 'f64', reference: 'ts',
    loadavg: { start: os.loadavg(), end: os.loadavg() }, stages: {}, error: reason,
    variants: job.variants.filter((v) => v !== 'openblas' || k.name === 'gemm').map((variant) => ({ variant, status: 'failed', reason, samplesMs: [] })),
  };
}
