// The cpp target against the reference interpreter on random inputs, plus building, caching and its errors.
import { printSDFG } from '../../../graph/printer.js';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { AnyTypedArray } from '../../../graph/dtypes.js';
import { ArgumentError, CompilerError, TargetError } from '../../../graph/errors.js';
import type { SDFG } from '../../../graph/sdfg.js';
import type { ArgValue } from '../../../targets/common/arguments.js';
import { compilerInvocations } from '../../../targets/common/native.js';
import { compile } from '../../../targets/compile.js';
import type { CompiledCpp } from '../../../targets/cpp/index.js';
import { openBlasAvailable } from '../../../targets/cpp/build.js';
import { runReference } from '../../../targets/reference/index.js';
import * as P from './programs.js';

type Args = Record<string, ArgValue>;

/** A deterministic stream of values in [-2, 2) on a 1/16 grid (exact in every float type), from a seed. */
function values(seed: number, n: number): number[] {
  let s = (seed >>> 0) || 1;
  return Array.from({ length: n }, () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return ((s % 64) - 32) / 16;
  });
}
const f64s = (seed: number, n: number): Float64Array => Float64Array.from(values(seed, n));

function copyArgs(args: Args): Args {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, ArrayBuffer.isView(v) ? (v as AnyTypedArray).slice() : v]));
}

/** Same containers, equal within a relative tolerance (parallel sums add in another order). */
function assertSameResults(got: Record<string, AnyTypedArray | number>, expected: Record<string, AnyTypedArray | number>, tolerance: number): void {
  assert.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort());
  for (const [name, want] of Object.entries(expected)) {
    const have = got[name]!;
    const pairs: [number, number][] = typeof want === 'number' ? [[have as number, want]]
      : Array.from(want as ArrayLike<number | bigint>, (w, k) => [Number((have as ArrayLike<number | bigint>)[k]), Number(w)]);
    pairs.forEach(([h, w], k) => {
      const ok = Object.is(h, w) || Math.abs(h - w) <= tolerance * Math.max(1, Math.abs(w));
      assert.ok(ok, `${name}[${k}]: got ${h}, expected ${w}`);
    });
  }
}

interface Case {
  readonly name: string;
  readonly make: () => SDFG;
  readonly args: fc.Arbitrary<Args>;
  readonly tolerance?: number;
  readonly blas?: 'openblas' | 'none';
}

const seed = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const size = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max });

const cases: Case[] = [
  { name: 'axpy', make: P.axpy, args: fc.tuple(seed, size(1, 40), fc.double({ min: -4, max: 4, noNaN: true })).map(([s, n, a]) => ({ x: f64s(s, n), y: f64s(s + 1, n), a })) },
  { name: 'axpy (parallel path)', make: P.axpy, args: seed.map((s) => ({ x: f64s(s, 20000), y: f64s(s + 1, 20000), a: 0.75 })) },
  { name: 'dot (reductions)', make: P.dot, args: fc.tuple(seed, fc.oneof(size(1, 30), fc.constant(20000))).map(([s, n]) => ({ x: f64s(s, n), y: f64s(s + 2, n), result: 0.5, largest: -100 })), tolerance: 1e-12 },
  { name: 'stencil (loop region)', make: P.stencil, args: fc.tuple(seed, size(3, 10), size(0, 3)).map(([s, n, t]) => ({ A: f64s(s, n * n), T: t })) },
  { name: 'copies between subsets', make: P.copies, args: seed.map((s) => ({ A: f64s(s, 48), B: f64s(s + 1, 8), C: f64s(s + 2, 8), D: f64s(s + 3, 3) })) },
  ...(['none', 'openblas'] as const).flatMap((blas): Case[] => [0, 0.5].map((beta) => ({
    name: `MatMul (beta ${beta}, blas ${blas})`, make: () => P.matmul(beta), blas, tolerance: 1e-12,
    args: fc.tuple(seed, fc.oneof(fc.tuple(size(1, 5), size(1, 5), size(1, 5)), fc.constant([40, 30, 20] as [number, number, number])))
      .map(([s, [m, k, n]]) => ({ A: f64s(s, m * k), B: f64s(s + 1, k * n), C: f64s(s + 2, m * n), M: m, K: k, N: n })),
  }))),
  {
    name: 'a 3-D map accumulating into C[i, j]', make: P.gemmMap,
    args: fc.tuple(seed, fc.oneof(fc.tuple(size(1, 5), size(1, 5), size(1, 5)), fc.constant([40, 30, 20] as [number, number, number])))
      .map(([s, [m, k, n]]) => ({ A: f64s(s, m * k), B: f64s(s + 1, k * n), C: f64s(s + 2, m * n), M: m, K: k, N: n })),
  },
  { name: 'Reduce', make: P.reductions, args: fc.tuple(seed, size(1, 6), size(1, 6)).map(([s, n, m]) => ({ A: f64s(s, n * m).map((v) => v / 2 + 1), rows: f64s(s, n), cols: f64s(s, m), total: 0, N: n, M: m })), tolerance: 1e-12 },
  { name: 'stream producer and consumer', make: P.streams, args: fc.tuple(seed, size(0, 20)).map(([s, n]) => ({ A: f64s(s, n), total: 0.25, count: 3 })) },
  { name: 'nested SDFG', make: P.nested, args: fc.tuple(seed, fc.oneof(fc.tuple(size(1, 5), size(1, 5)), fc.constant([20000, 2] as [number, number]))).map(([s, [n, m]]) => ({ A: f64s(s, n * m), B: f64s(s + 1, n * m), N: n, M: m })) },
  { name: 'conditional block', make: P.conditional, args: fc.tuple(seed, size(1, 8), fc.double({ min: -1, max: 1, noNaN: true })).map(([s, n, flag]) => ({ A: f64s(s, n), flag })) },
  { name: 'interstate-edge loop (goto)', make: P.stateMachine, args: fc.tuple(seed, size(0, 8)).map(([s, n]) => ({ A: f64s(s, n) })) },
  {
    name: 'atomics in a parallel map', make: P.histogram,
    args: fc.tuple(seed, size(1, 8)).map(([s, b]) => ({
      idx: Int32Array.from(values(s, 20000), (v) => Math.abs(Math.round(v * 16)) % b), val: f64s(s + 1, 20000),
      count: new BigInt64Array(b), low: new Float64Array(b).fill(9), high: new Float64Array(b).fill(-9),
    })),
  },
  { name: 'views of a row and of the whole array', make: P.views, args: fc.tuple(seed, size(2, 5), size(1, 5)).map(([s, n, m]) => ({ A: f64s(s, n * m), N: n, M: m })) },
  { name: 'array connectors and private transients', make: P.rows, args: fc.tuple(seed, fc.oneof(size(1, 5), fc.constant(20000)), size(1, 6)).map(([s, n, m]) => ({ A: f64s(s, n * m), x: f64s(s + 1, m), y: f64s(s + 2, n), N: n, M: m })) },
  {
    name: 'integer semantics', make: P.integers,
    args: fc.tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 20 }), seed).map(([bytes, s]) => ({
      a: Uint8Array.from(bytes), b: Int32Array.from(values(s, bytes.length), (v) => Math.round(v * 1e8)),
      c: Int32Array.from(values(s + 1, bytes.length), (v) => Math.round(v * 2)), d: BigInt64Array.from(values(s + 2, bytes.length), (v) => BigInt(Math.round(v * 2 ** 40))),
    })),
  },
];

describe('targets/cpp run: against the reference interpreter', function () {
  const compiled = new Map<string, CompiledCpp>();

  before(async function () {
    this.timeout(240_000);
    await Promise.all(cases.map(async (c) => {
      compiled.set(c.name, await compile(c.make(), { target: 'cpp', blas: c.blas ?? 'none' }));
    }));
  });

  for (const c of cases) {
    it(c.name, function () {
      if (c.blas === 'openblas' && !openBlasAvailable()) this.skip();
      const program = compiled.get(c.name)!;
      const sdfg = c.make();
      fc.assert(fc.property(c.args, (args) => {
        const expected = runReference(sdfg, copyArgs(args));
        assertSameResults(program.run(copyArgs(args)), expected, c.tolerance ?? 0);
      }), { numRuns: 4 });
    });
  }

  it('runs raw CPP tasklets', async () => {
    const program = await compile(P.rawCpp(), { target: 'cpp' });
    const d = BigInt64Array.from([5n, -7n, 2n ** 40n]);
    assert.deepEqual(program.run({ d }), { d: BigInt64Array.from([15n, -22n, 3n * 2n ** 40n - 2n]) });
  });

  it('takes a program object holding the SDFG, and checks arguments like the reference', async () => {
    const program = await compile({ sdfg: P.axpy() }, { target: 'cpp' });
    assert.throws(() => program.run({ x: new Float32Array(3), y: new Float64Array(3), a: 1 }),
      (e: unknown) => e instanceof ArgumentError && e.code === 'wrong-dtype' && e.summary === 'x expects Float64Array (float64), got Float32Array');
  });
});

describe('targets/cpp build', () => {
  let cacheDir: string;
  before(() => { cacheDir = mkdtempSync(path.join(os.tmpdir(), 'sdfg-cpp-cache-')); });
  after(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('compiles once per source: the second compile of a program hits the cache', async () => {
    const first = await compile(P.axpy(), { target: 'cpp', cacheDir });
    assert.equal(first.cached, false);
    assert.ok(first.library.startsWith(path.join(cacheDir, 'cpp')));
    const before = compilerInvocations();
    const second = await compile(P.axpy(), { target: 'cpp', cacheDir });
    assert.equal(second.cached, true);
    assert.equal(compilerInvocations(), before);
    assert.equal(second.library, first.library);
    const changed = await compile(P.axpy(), { target: 'cpp', cacheDir, flags: ['-O2', '-fopenmp', '-shared', '-fPIC', '-std=c++17'] });
    assert.equal(changed.cached, false);
    assert.notEqual(changed.library, first.library);
  });

  it('reports a compiler failure as a CompilerError with the output and the generated file', async () => {
    const error = await compile(P.rawCpp('w = v * ;'), { target: 'cpp', cacheDir }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof CompilerError);
    assert.equal(error.code, 'compiler-failed');
    assert.ok(error.summary.startsWith(`g++ failed to compile program 'raw_cpp' (${error.sourceFile}):\n`), error.summary);
    assert.match(error.compilerOutput, /error: expected primary-expression before ';' token/);
    assert.ok(existsSync(error.sourceFile) && error.sourceFile.endsWith('program.cpp'));
    assert.equal(existsSync(path.join(path.dirname(error.sourceFile), 'program.so')), false);
  });

  it('uses OpenBLAS for MatMul when asked and available', async function () {
    if (!openBlasAvailable()) this.skip();
    const program = await compile(P.matmul(), { target: 'cpp', cacheDir, blas: 'auto' });
    assert.match(program.source, /cblas_dgemm/);
  });

  it('optimizes a copy of the program first when asked, leaving the program as it was', async () => {
    const program = P.axpy();
    const before = printSDFG(program);
    const optimized = await compile(program, { target: 'cpp', cacheDir, optimize: 'auto' });
    assert.equal(printSDFG(program), before);
    const x = Float64Array.from({ length: 50 }, (_, i) => i), y = new Float64Array(50).fill(1);
    const expected = runReference(program, { a: 2, x, y: y.slice() });
    assert.deepEqual(optimized.run({ a: 2, x, y }), expected);
    await assert.rejects(compile(program, { target: 'cpp', optimize: 'fast' as never }), (e: unknown) => e instanceof TargetError && e.code === 'bad-option'
      && e.summary === `optimize must be 'auto', 'none' or a list of transformations, got "fast"`);
  });

  it('rejects unknown targets and runs the reference target', async () => {
    await assert.rejects(compile(P.axpy(), { target: 'fortran' } as never), (e: unknown) => e instanceof TargetError && e.code === 'unknown-target'
      && e.summary === 'unknown target "fortran"');
    const reference = await compile(P.axpy(), { target: 'reference' });
    const y = Float64Array.from([1, 2]);
    reference.run({ x: Float64Array.from([1, 1]), y, a: 3 });
    assert.deepEqual([...y], [4, 5]);
  });
});
