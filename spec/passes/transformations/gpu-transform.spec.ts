// GPUTransform: the lowered graph's exact text, schedules and block sizes, device copies of only what the device reads
// and writes, its refusals, and differential runs of every sample (reference interpreter before and after).
import assert from 'node:assert/strict';
import { program, symbol, array, scalar, f64, f32, i32, printSDFG } from '../../../index.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { allStates } from '../../../graph/query.js';
import { getTransformation } from '../../../passes/framework.js';
import { gpuTransform, isGpuLowered } from '../../../passes/transformations/gpu-transform.js';
import { applyOnce, assertSameBehaviour, refusals } from '../../support/transformation-harness.js';
import { samples } from '../../../samples/catalogue.js';
import { axpy } from '../../../samples/axpy.js';
import { softmax } from '../../../samples/softmax.js';
import { streamPipeline } from '../../../samples/stream-pipeline.js';

function maps(sdfg: SDFG): { label: string; schedule: string; block: number[] | undefined }[] {
  return [...allStates(sdfg)].flatMap((s) => s.nodes.flatMap((n) => (n.kind === 'MapEntry' ? [{ label: n.map.label, schedule: n.map.schedule, block: n.map.gpuBlockSize }] : [])));
}

const nested = program('nested', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N']) }, (p, { N, M, A, B }) => {
  p.map('rows')`i = 0:${N}`.scope((m) => {
    m.map('cols')`j = 0:${M}`.tasklet({ a: A.at`i, j` }, { b: B.at`i`.wcr('+') })`b = a`;
  });
});

const cube = program('cube', { N: symbol, A: array(f32, ['N', 'N', 'N']) }, (p, { N, A }) => {
  p.map`i = 0:${N}, j = 0:${N}, k = 0:${N}`.tasklet({}, { a: A.at`i, j, k` })`a = 1`;
});

const scalars = program('scalars', { N: symbol, s: f64, total: scalar(f64), x: array(f64, ['N']) }, (p, { N, s, total, x }) => {
  p.tasklet({ v: x.at`0` }, { o: total }, 'first')`o = v * ${s}`;
  p.map`i = 0:${N}`.tasklet({ t: total }, { o: x.at`i` })`o = t`;
});

describe('GPUTransform', () => {
  it('is registered under its name', () => {
    assert.equal(getTransformation('GPUTransform'), gpuTransform);
  });

  it('lowers axpy: a device map, device copies of x and y, copy-in of both and copy-out of y only', () => {
    const lowered = applyOnce(axpy.sdfg, gpuTransform);
    assert.equal(printSDFG(lowered), `sdfg axpy
  symbol N: int64
  scalar a: float64
  array gpu_x: float64[N] (transient, storage GPU_Global, lifetime SDFG)
  array gpu_y: float64[N] (transient, storage GPU_Global, lifetime SDFG)
  array x: float64[N]
  array y: float64[N]
  args a, x, y, N
  start s1
  state s0 "map_0"
    n0 map_entry map_0 [i = 0:N] GPU_Device block [64]
    n1 map_exit map_0
    n2 tasklet tasklet_0 (a, xi, yi -> out) {out = a * xi + yi}
    n3 access gpu_x label "x"
    n4 access gpu_y label "y"
    n5 access a
    n6 access gpu_y label "y"
    e0 n3 -> n0.IN_x  gpu_x[0:N]
    e1 n0.OUT_x -> n2.xi  gpu_x[i]
    e2 n4 -> n0.IN_y  gpu_y[0:N]
    e3 n0.OUT_y -> n2.yi  gpu_y[i]
    e4 n5 -> n0.IN_a  a[0] (volume N)
    e5 n0.OUT_a -> n2.a  a[0]
    e6 n2.out -> n1.IN_y  gpu_y[i]
    e7 n1.OUT_y -> n6  gpu_y[0:N]
  state s1 "gpu_copy_in"
    n0 access x
    n1 access gpu_x
    n2 access y
    n3 access gpu_y
    e0 n0 -> n1  x[0:N] (other [0:N])
    e1 n2 -> n3  y[0:N] (other [0:N])
  state s2 "gpu_copy_out"
    n0 access gpu_y
    n1 access y
    e0 n0 -> n1  gpu_y[0:N] (other [0:N])
  edge s1 -> s0
  edge s0 -> s2`);
    assert.ok(isGpuLowered(lowered));
    assert.ok(!isGpuLowered(axpy.sdfg));
  });

  it('gives device maps a block size by dimension (64, [8, 8], [4, 4, 4]) and makes inner maps sequential', () => {
    assert.deepEqual(maps(applyOnce(nested.sdfg, gpuTransform)), [
      { label: 'rows', schedule: 'GPU_Device', block: [64] }, { label: 'cols', schedule: 'Sequential', block: undefined },
    ]);
    assert.deepEqual(maps(applyOnce(cube.sdfg, gpuTransform)).map((m) => m.block), [[4, 4, 4]]);
    const gemmLike = samples.find((s) => s.name === 'gemm')!.program.sdfg;
    assert.deepEqual(maps(applyOnce(gemmLike, gpuTransform)).map((m) => m.block), [[8, 8], [4, 4, 4]]);
    assert.deepEqual(maps(applyOnce(cube.sdfg, gpuTransform, { blockSize3D: [16, 4, 2] })).map((m) => m.block), [[16, 4, 2]]);
  });

  it('moves transients to device memory in place and copies out only what the device writes', () => {
    const lowered = applyOnce(softmax.sdfg, gpuTransform);
    const storage = Object.fromEntries(Object.entries(lowered.arrays).map(([n, d]) => [n, `${d.transient ? 'transient ' : ''}${d.storage}`]));
    assert.deepEqual(storage, {
      e: 'transient GPU_Global', row_max: 'transient GPU_Global', row_sum: 'transient GPU_Global',
      x: 'Default', out: 'Default', gpu_x: 'transient GPU_Global', gpu_out: 'transient GPU_Global',
    });
    const copies = [...allStates(lowered)].filter((s) => s.label.startsWith('gpu_copy')).map((s) => `${s.label}: ${s.edges.map((e) => e.memlet.data).join(', ')}`);
    // `out` is overwritten entirely by the normalize map: its old values never matter, so it is not copied in.
    assert.deepEqual(copies, ['gpu_copy_in: x', 'gpu_copy_out: gpu_out']);
    const libraries = [...allStates(lowered)].flatMap((s) => s.nodes.flatMap((n) => (n.kind === 'LibraryNode' ? [n.schedule] : [])));
    assert.deepEqual(libraries, ['GPU_Device', 'GPU_Device']);
  });

  it('wraps a top-level tasklet in a one-thread device map; read-only scalars stay on the host, written ones get a device copy', () => {
    const lowered = applyOnce(scalars.sdfg, gpuTransform);
    assert.deepEqual(maps(lowered), [{ label: 'first_device', schedule: 'GPU_Device', block: [1] }, { label: 'map_0', schedule: 'GPU_Device', block: [64] }]);
    assert.equal(lowered.arrays['gpu_s'], undefined);
    assert.equal(lowered.arrays['gpu_total']?.storage, 'GPU_Global');
    assert.equal(lowered.arrays['gpu_total']?.kind, 'Scalar');
    assertSameBehaviour(scalars.sdfg, lowered, { N: 5, s: 3, total: 0, x: new Float64Array([2, 1, 1, 1, 1]) });
  });

  it('refuses streams, lowered graphs, control flow that reads data, and bad block sizes', () => {
    assert.deepEqual(refusals(streamPipeline.sdfg, gpuTransform), ['stream queue has no GPU lowering (streams and consume scopes run on CPUs and FPGAs)']);
    assert.deepEqual(refusals(applyOnce(axpy.sdfg, gpuTransform), gpuTransform), ['axpy is already lowered for the GPU: gpu_x is in GPU_Global storage']);
    const reads = program('reads', { N: symbol, x: array(i32, ['N']) }, (p, { N, x }) => {
      p.if`${N} > 0`(() => { p.map`i = 0:${N}`.tasklet({}, { o: x.at`i` })`o = 1`; });
    });
    const branch = reads.sdfg.blocks.find((b) => b.kind === 'ConditionalBlock')!;
    assert.equal(branch.kind, 'ConditionalBlock');
    branch.branches[0]!.condition = { k: 'binary', op: '>', lhs: { k: 'index', name: 'x', indices: [{ k: 'num', value: 0, isFloat: false }] }, rhs: { k: 'num', value: 0, isFloat: false } };
    assert.deepEqual(refusals(reads.sdfg, gpuTransform), [`conditional ${branch.label} reads x: control flow runs on the host and may only read symbols`]);
    assert.deepEqual(refusals(axpy.sdfg, gpuTransform, { blockSize2D: [8] }), ['option blockSize2D must be 2 positive integers, got [8]']);
    assert.deepEqual(refusals(axpy.sdfg, gpuTransform, { blockSize: [0] }), ['option blockSize must be 1 positive integer, got [0]']);
  });

  it('preserves what every sample computes (reference interpreter before and after, random inputs)', () => {
    for (const sample of samples) {
      if (sample.name === 'stream_pipeline') continue;
      const lowered = applyOnce(sample.program.sdfg, gpuTransform);
      for (const seed of [1, 2]) assertSameBehaviour(sample.program.sdfg, lowered, sample.inputs(4 + seed, seed));
    }
  });
});
