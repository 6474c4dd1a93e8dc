// One kernel's benchmark in-process (no native compiles here): reference choice, validation, alternation, failures.
import assert from 'node:assert/strict';
import { TargetError, CompilerError } from '../../index.js';
import { benchKernel, compileFailure, failedKernel } from '../../bench/kernel-bench.js';
import { describePhase } from '../../bench/progress.js';
import type { WorkerJob } from '../../bench/results.js';

const job = (over: Partial<WorkerJob>): WorkerJob => ({
  kernel: 'crc16', preset: 'test', variants: ['ts', 'interpreter'], crashed: {}, reps: 2, interpreterBudget: 30,
  compileTimes: false, cacheDir: undefined, probesLibrary: null, seed: undefined, ...over,
});

describe('bench kernel runs', () => {
  it('at test: the interpreter is the reference; every variant validated, then a warm-up and `reps` timed runs', async () => {
    const r = await benchKernel(job({}));
    assert.equal(r.kernel, 'crc16');
    assert.equal(r.reference, 'interpreter');
    assert.equal(r.elements, 'int');
    assert.deepEqual(r.sizes, { N: 24 });
    assert.deepEqual(r.variants.map((v) => [v.variant, v.status, v.samplesMs.length, v.validation?.against]), [
      ['ts', 'ok', 2, 'interpreter'], ['interpreter', 'ok', 2, 'interpreter'],
    ]);
    assert.ok(r.variants.every((v) => typeof v.warmupMs === 'number' && v.validation!.outputs.every((o) => o.ok)));
    assert.deepEqual(r.stages, {});
  });

  it('at M: the interpreter is skipped and the TypeScript loops are the reference', async () => {
    const r = await benchKernel(job({ preset: 'M', reps: 1 }));
    assert.equal(r.reference, 'ts');
    const interp = r.variants.find((v) => v.variant === 'interpreter')!;
    assert.equal(interp.status, 'skipped');
    assert.equal(interp.reason, 'the interpreter runs at test and S only (at M C++ is validated against the TypeScript loops)');
    assert.equal(r.variants.find((v) => v.variant === 'ts')!.samplesMs.length, 1);
  });

  it('a variant that crashed an earlier worker is reported, not run; openblas only appears for gemm', async () => {
    const r = await benchKernel(job({ variants: ['ts', 'cpp', 'openblas'], crashed: { cpp: 'worker killed by SIGSEGV while validating cpp' } }));
    assert.deepEqual(r.variants.map((v) => [v.variant, v.status, v.reason]), [
      ['ts', 'ok', undefined], ['cpp', 'crashed', 'worker killed by SIGSEGV while validating cpp'],
    ]);
  });

  it('the OpenBLAS yardstick without its library is unavailable', async () => {
    const r = await benchKernel(job({ kernel: 'gemm', variants: ['ts', 'openblas'] }));
    assert.deepEqual(r.variants.map((v) => [v.variant, v.status]), [['ts', 'ok'], ['openblas', 'unavailable']]);
  });

  it('a compile that says not-available marks the variant unavailable; any other error fails it', () => {
    const na = new TargetError({ code: 'not-available', message: "optimize: 'auto' is not available yet" });
    assert.deepEqual(compileFailure(na), { status: 'unavailable', reason: "optimize: 'auto' is not available yet" });
    const cc = new CompilerError({ code: 'compiler-failed', message: 'g++ failed', compilerOutput: 'x', sourceFile: 'p.cpp' });
    assert.deepEqual(compileFailure(cc), { status: 'failed', reason: '[compiler-failed] g++ failed' });
    assert.deepEqual(compileFailure('boom'), { status: 'failed', reason: 'boom' });
  });

  it('a kernel that cannot be set up fails every variant with the reason', () => {
    const r = failedKernel(job({ kernel: 'syrk', variants: ['ts', 'cpp', 'openblas'] }), 'out of memory');
    assert.equal(r.error, 'out of memory');
    assert.deepEqual(r.variants.map((v) => [v.variant, v.status, v.reason]), [['ts', 'failed', 'out of memory'], ['cpp', 'failed', 'out of memory']]);
  });

  it('phases read as words in the progress line and in crash reports', () => {
    assert.equal(describePhase({ type: 'phase', phase: 'run', variant: 'cpp', rep: -1, reps: 10 }), 'running cpp (warm-up)');
    assert.equal(describePhase({ type: 'phase', phase: 'run', variant: 'cpp', rep: 2, reps: 10 }), 'running cpp 3/10');
    assert.equal(describePhase({ type: 'phase', phase: 'validate', variant: 'cpp-auto' }), 'validating cpp-auto');
  });
});
