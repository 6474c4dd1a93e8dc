// The bench command line: defaults, selection by kernel, preset and target, and every kind of bad argument.
import assert from 'node:assert/strict';
import { BenchUsageError, parseBenchArgs, variantNames } from '../../bench/args.js';
import { kernelList } from '../../kernels/index.js';

const bad = (argv: string[], message: string) => assert.throws(() => parseBenchArgs(argv), (e: unknown) => {
  assert.ok(e instanceof BenchUsageError, `expected a BenchUsageError, got ${String(e)}`);
  assert.equal(e.message, message);
  return true;
});

describe('bench arguments', () => {
  it('defaults: every kernel, preset S, every variant, the protocol\'s 10 runs, results in bench/results', () => {
    const o = parseBenchArgs([]);
    assert.deepEqual(o.kernels, kernelList.map((k) => k.name));
    assert.equal(o.preset, 'S');
    assert.deepEqual(o.variants, variantNames);
    assert.equal(o.reps, 10);
    assert.equal(o.interpreterBudget, 30);
    assert.equal(o.outDir, 'bench/results');
    assert.equal(o.compileTimes, true);
    assert.equal(o.reuseCache, false);
    assert.equal(o.threads, undefined);
    assert.equal(o.help, false);
  });

  it('`--kernel gemm --preset M --target cpp` runs gemm at M as ts (the baseline) and both C++ variants', () => {
    const o = parseBenchArgs(['--kernel', 'gemm', '--preset', 'M', '--target', 'cpp']);
    assert.deepEqual(o.kernels, ['gemm']);
    assert.equal(o.preset, 'M');
    assert.deepEqual(o.variants, ['ts', 'cpp', 'cpp-auto']);
  });

  it('kernels: repeated or comma-separated, dashes and case forgiven, duplicates dropped', () => {
    assert.deepEqual(parseBenchArgs(['-k', 'Jacobi-2D,syrk', '-k', 'gemm', '-k', 'syrk']).kernels, ['jacobi_2d', 'syrk', 'gemm']);
  });

  it('targets and variants combine; table order is fixed whatever the order given', () => {
    assert.deepEqual(parseBenchArgs(['-t', 'blas,reference']).variants, ['ts', 'interpreter', 'openblas']);
    assert.deepEqual(parseBenchArgs(['--variant', 'cpp-auto', '-t', 'ts']).variants, ['ts', 'cpp-auto']);
    assert.deepEqual(parseBenchArgs(['-p', 'test']).preset, 'test');
  });

  it('protocol settings and switches', () => {
    const o = parseBenchArgs(['--reps', '3', '--interp-budget', '2.5', '--threads', '2', '--no-write', '--no-compile-times', '--reuse-cache', '--seed', '0', '--kernel-timeout', '60']);
    assert.deepEqual([o.reps, o.interpreterBudget, o.threads, o.outDir, o.compileTimes, o.reuseCache, o.seed, o.kernelTimeout], [3, 2.5, 2, null, false, true, 0, 60]);
    assert.equal(parseBenchArgs(['--out', '/tmp/x']).outDir, '/tmp/x');
    assert.equal(parseBenchArgs(['-h']).help, true);
  });

  it('rejects unknown kernels, presets, targets and variants with the list of known ones', () => {
    bad(['-k', 'gemmm'], `no kernel named "gemmm"; kernels are ${kernelList.map((k) => k.name).join(', ')}`);
    bad(['-p', 'XL'], 'no preset "XL"; presets are test, S, M, L');
    bad(['-t', 'cuda'], 'no target "cuda"; targets are ts, reference, cpp, blas');
    bad(['--variant', 'fast'], 'no variant "fast"; variants are ts, interpreter, cpp, cpp-auto, openblas');
  });

  it('rejects bad numbers', () => {
    bad(['--reps', '0'], '--reps must be a positive integer, got "0"');
    bad(['--reps', '2.5'], '--reps must be a positive integer, got "2.5"');
    bad(['--interp-budget', 'soon'], '--interp-budget must be a positive number, got "soon"');
    bad(['--threads=-1'], '--threads must be a positive integer, got "-1"');
    bad(['--seed', 'x'], '--seed must be a non-negative integer, got "x"');
  });

  it('rejects unknown options and stray words', () => {
    assert.throws(() => parseBenchArgs(['--fast']), { name: 'BenchUsageError', message: /Unknown option '--fast'/ });
    assert.throws(() => parseBenchArgs(['gemm']), { name: 'BenchUsageError', message: /Unexpected argument 'gemm'/ });
  });
});
