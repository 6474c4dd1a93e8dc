// `npm run bench`: probe the machine, run every kernel's variants in a worker each, print tables, write JSON and SVG.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cppCompiler } from '../targets/cpp/build.js';
import { compilerVersion, projectRoot } from '../targets/common/native.js';
import { analyze, kernelFigures } from './analysis.js';
import { BenchUsageError, parseBenchArgs, usage, type BenchOptions, type VariantName } from './args.js';
import { failedKernel } from './kernel-bench.js';
import { buildBlasProbe, measureMachine } from './probes.js';
import { describePhase, Progress } from './progress.js';
import { compileLines, firstLine, kernelHeaderLine, kernelLines, machineLines, probeLines, stageErrorLines, summaryLines } from './report.js';
import {
  resultsBasename, resultsJSON, resultsSchema, writeResultFile, type BenchResults, type KernelResult, type MachineInfo, type PhaseMessage,
  type WorkerJob, type WorkerMessage,
} from './results.js';
import { speedupChart } from './svg.js';

const workerFile = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Set by Ctrl-C: the current worker is stopped and what finished so far is reported and written. */
let interrupted = false;
let currentWorker: ReturnType<typeof fork> | null = null;

type WorkerOutcome =
  | { readonly kind: 'result'; readonly result: KernelResult }
  | { readonly kind: 'died'; readonly reason: string; readonly last: PhaseMessage | undefined; readonly stages: KernelResult['stages'] | undefined }
  | { readonly kind: 'interrupted' };

/** The loader flags that let a child run TypeScript (tsx's, as this process got them). */
function workerExecArgv(): string[] {
  return process.execArgv.some((a) => a.includes('tsx')) ? [...process.execArgv] : ['--import', 'tsx'];
}

/** Run one job in a fresh worker; never rejects. */
function runWorker(job: WorkerJob, timeoutS: number, onPhase: (m: PhaseMessage) => void): Promise<WorkerOutcome> {
  return new Promise((resolve) => {
    let result: KernelResult | undefined;
    let last: PhaseMessage | undefined;
    let stages: KernelResult['stages'] | undefined;
    let timedOut = false;
    let stderr = '';
    const child = fork(workerFile, [], { execArgv: workerExecArgv(), stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: projectRoot });
    currentWorker = child;
    // Keep the tail of what the worker prints (compiler noise, a native library's complaints) for a crash report.
    const keep = (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-4000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'phase': last = m; onPhase(m); break;
        case 'stages': stages = m.stages; break;
        case 'result': result = m.result; break;
      }
    });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutS * 1000);
    child.on('error', () => { /* reported through 'close' */ });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      currentWorker = null;
      if (result) return resolve({ kind: 'result', result });
      if (interrupted || signal === 'SIGINT') { interrupted = true; return resolve({ kind: 'interrupted' }); }
      const during = last ? ` while ${describePhase(last)}` : '';
      const how = timedOut ? `timed out after ${timeoutS} s` : signal ? `worker killed by ${signal}` : `worker exited with code ${code}`;
      const tail = stderr.trim() ? `: ${firstLine(stderr.trim().split('\n').slice(-3).join(' | '), 300)}` : '';
      resolve({ kind: 'died', reason: `${how}${during}${tail}`, last, stages });
    });
    child.send(job);
  });
}

/**
 * One kernel, robustly: when a worker dies (a crash in native code, a timeout), the variant it was running is
 * reported as crashed and the kernel runs again without it; a death outside any variant fails the kernel.
 * Compile stages are timed once: a retry keeps the first worker's timings (a second native compile would hit the cache).
 */
async function runKernel(job: WorkerJob, timeoutS: number, progress: Progress): Promise<KernelResult | null> {
  const crashed: Partial<Record<VariantName, string>> = { ...job.crashed };
  let current = job;
  let stages: KernelResult['stages'] | undefined;
  for (let attempt = 0; attempt <= job.variants.length + 1; attempt++) {
    const outcome = await runWorker(current, timeoutS, (m) => progress.status(describePhase(m)));
    if (outcome.kind === 'interrupted') return null;
    if (outcome.kind === 'result') return stages ? { ...outcome.result, stages } : outcome.result;
    if (outcome.stages) stages = outcome.stages;
    const culprit = outcome.last?.variant;
    if (outcome.last?.phase === 'stages' || outcome.last?.phase === 'setup') {
      if (!current.compileTimes || outcome.last.phase === 'setup') return failedKernel(job, outcome.reason);
      stages = { build: { samplesMs: [], error: `the worker died while timing compile stages: ${outcome.reason}` } };
    } else if (!culprit || crashed[culprit]) {
      return { ...failedKernel(job, outcome.reason), ...(stages ? { stages } : {}) };
    } else {
      crashed[culprit] = outcome.reason;
    }
    current = { ...current, crashed: { ...crashed }, compileTimes: false };
  }
  return failedKernel(job, 'the worker kept dying');
}

function machineInfo(): MachineInfo {
  let compiler: string;
  try { compiler = compilerVersion(cppCompiler()); } catch { compiler = `${cppCompiler()} (cannot be run)`; }
  return {
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    ompNumThreads: process.env['OMP_NUM_THREADS'] ?? null,
    openblasNumThreads: process.env['OPENBLAS_NUM_THREADS'] ?? null,
    node: process.version,
    compiler,
    platform: `${os.platform()} ${os.release()}`,
  };
}

function writeResults(results: BenchResults, options: BenchOptions, progress: Progress): void {
  if (!options.outDir) return;
  const analysis = analyze(results);
  const base = path.resolve(options.outDir, resultsBasename(new Date(results.startedAt)));
  writeResultFile(`${base}.json`, resultsJSON({ ...results, analysis }));
  const reps = results.options.reps;
  const chart = speedupChart(analysis, {
    title: `sdfg-ts: speed-up over plain TypeScript loops, preset ${results.preset}`,
    subtitle: `median of ${reps} runs in alternation · ${results.machine.cpu}, ${results.machine.cores} cores, OMP_NUM_THREADS=${results.machine.ompNumThreads ?? 'unset'} · load ${results.loadavg.start.map((l) => l.toFixed(2)).join(' ')} · ${results.startedAt}${results.interrupted ? ' · interrupted' : ''}`,
  });
  writeResultFile(`${base}.svg`, chart);
  const shown = path.relative(process.cwd(), base);
  progress.print([`wrote ${shown.startsWith('..') ? base : shown}.json and .svg`]);
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (cause) {
    if (!(cause instanceof BenchUsageError)) throw cause;
    process.stderr.write(`${cause.message}\n\n${usage}\n`);
    return 2;
  }
  if (options.help) { process.stdout.write(`${usage}\n`); return 0; }
  if (options.threads !== undefined) {
    // set before any OpenMP or OpenBLAS library is loaded here, and inherited by every worker
    process.env['OMP_NUM_THREADS'] = String(options.threads);
    process.env['OPENBLAS_NUM_THREADS'] = String(options.threads);
  }

  const progress = new Progress();
  const cacheDir = options.reuseCache ? undefined : mkdtempSync(path.join(os.tmpdir(), 'sdfg-ts-bench-'));
  const cleanup = () => { if (cacheDir) rmSync(cacheDir, { recursive: true, force: true }); };
  process.on('exit', cleanup);
  process.on('SIGINT', () => {
    if (interrupted) { currentWorker?.kill('SIGKILL'); process.exit(130); }
    interrupted = true;
    currentWorker?.kill('SIGTERM');
    progress.print(['', 'interrupted: stopping (Ctrl-C again to quit at once)'], process.stderr);
  });

  const results: BenchResults = {
    schema: resultsSchema, startedAt: new Date().toISOString(), finishedAt: '', preset: options.preset,
    argv: process.argv.slice(2), options, interrupted: false, machine: machineInfo(), probes: null,
    loadavg: { start: os.loadavg(), end: os.loadavg() }, kernels: [],
  };
  progress.print(machineLines(results));

  progress.status('measuring memory bandwidth and peak flops');
  results.probes = await measureMachine();
  progress.print([...probeLines(results.probes), '']);
  let probesLibrary: string | null = null;
  if (options.variants.includes('openblas') && options.kernels.includes('gemm')) {
    const blas = await buildBlasProbe();
    if (typeof blas === 'string') probesLibrary = blas;
    else progress.print([`OpenBLAS yardstick unavailable: ${firstLine(blas.error)}`]);
  }

  progress.print([kernelHeaderLine()]);
  for (const [index, name] of options.kernels.entries()) {
    if (interrupted) break;
    progress.kernel(index, options.kernels.length, name);
    const job: WorkerJob = {
      kernel: name, preset: options.preset, variants: options.variants, crashed: {}, reps: options.reps,
      interpreterBudget: options.interpreterBudget, compileTimes: options.compileTimes, cacheDir, probesLibrary, seed: options.seed,
    };
    const result = await runKernel(job, options.kernelTimeout, progress);
    if (!result) break;
    results.kernels.push(result);
    progress.print(kernelLines(result, kernelFigures(result, results.probes)));
  }
  progress.done();

  results.interrupted = interrupted;
  results.finishedAt = new Date().toISOString();
  results.loadavg.end = os.loadavg();
  const analysis = analyze(results);
  const lines = [''];
  if (options.compileTimes && results.kernels.length > 0) {
    lines.push(...compileLines(analysis));
    const errors = stageErrorLines(results);
    if (errors.length > 0) lines.push('stage errors:', ...errors);
    lines.push('');
  }
  lines.push(...summaryLines(results, analysis));
  progress.print(lines);
  writeResults(results, options, progress);
  return interrupted ? 130 : 0;
}

main().then((code) => { process.exitCode = code; }, (cause: unknown) => {
  process.stderr.write(`bench failed: ${cause instanceof Error ? cause.stack ?? cause.message : String(cause)}\n`);
  process.exitCode = 1;
});
