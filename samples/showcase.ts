// `npm start`: build programs, optimize, emit and compile C++, run, check against the interpreter, print timings.
import { compile } from '../index.js';
import { samples, copyArgs, type Sample, type SampleArgs } from './catalogue.js';
import { maxViolation } from './support.js';

/** Sizes for the timed runs (per sample's `inputs(size)`), and a small size for the interpreter check. */
const timedSize: Record<string, number> = {
  axpy: 1500, gemm: 200, jacobi_2d: 400, softmax: 300, spmv: 3000, histogram: 1500, stream_pipeline: 200, blur3: 1500, sharpen5: 1500,
};
const checkSize = 6;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Time `run` on fresh copies of the inputs: one warm-up, then the median of `repeats`. */
function time(run: (args: SampleArgs) => void, args: SampleArgs, repeats = 5): number {
  const samplesMs: number[] = [];
  for (let k = 0; k <= repeats; k++) {
    const copy = copyArgs(args);
    const start = performance.now();
    run(copy);
    if (k > 0) samplesMs.push(performance.now() - start);
  }
  return median(samplesMs);
}

function check(sample: Sample, expected: SampleArgs, actual: SampleArgs): string {
  const worst = Math.max(...sample.outputs.map((o) => maxViolation(expected[o] as ArrayLike<number>, actual[o] as ArrayLike<number>, sample.rtol)));
  return worst === 0 ? 'ok' : `MISMATCH (${worst.toExponential(2)})`;
}

async function main(): Promise<void> {
  const optimize = await optimizationLevel();
  console.log(`sdfg-ts showcase — C++/OpenMP target${optimize === 'auto' ? ' after autoOptimize' : ''}\n`);
  const rows: string[][] = [['program', 'check', 'compile ms', 'plain TS ms', 'C++ ms', 'speed-up']];
  let failed = 0;
  for (const sample of samples) {
    const t0 = performance.now();
    const native = await compile(sample.program, { target: 'cpp', ...(optimize === 'auto' ? { optimize } : {}) } as never);
    const compileMs = performance.now() - t0;
    // correctness first: the interpreter is the oracle
    const small = sample.inputs(checkSize, 42);
    const expected = copyArgs(small), actual = copyArgs(small);
    sample.program.run(expected as never);
    native.run(actual as never);
    const verdict = check(sample, expected, actual);
    if (verdict !== 'ok') failed++;
    const big = sample.inputs(timedSize[sample.name] ?? 100, 7);
    const plainMs = time((a) => sample.plain(a), big);
    const nativeMs = time((a) => { native.run(a as never); }, big);
    rows.push([sample.name, verdict, compileMs.toFixed(0), plainMs.toFixed(2), nativeMs.toFixed(2), `${(plainMs / nativeMs).toFixed(1)}×`]);
    process.stdout.write('.');
  }
  process.stdout.write('\n\n');
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) console.log(row.map((cell, c) => (c === 0 || c === 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  console.log(`\n${samples.length - failed}/${samples.length} programs match the reference interpreter.`);
  if (failed) process.exitCode = 1;
}

/** 'auto' once the optimizer is wired into compile; plain emission otherwise. */
async function optimizationLevel(): Promise<'auto' | 'none'> {
  try {
    const { compile: c } = await import('../index.js');
    await c(samples[0]!.program, { target: 'cpp', optimize: 'auto' } as never);
    return 'auto';
  } catch {
    return 'none';
  }
}

await main();
