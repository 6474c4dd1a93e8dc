// GPUThreadBlocks: the split graph's exact text, tile shapes by dimension, block sizes (map's own, option, defaults),
// refusals with their reasons, and differential runs on random ranges, steps and block sizes.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, i32, printSDFG } from '../../../index.js';
import type { MapScope } from '../../../graph/nodes.js';
import { allStates } from '../../../graph/query.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { range } from '../../../graph/subsets.js';
import { sym } from '../../../graph/symbolic.js';
import { getTransformation } from '../../../passes/framework.js';
import { gpuTransform } from '../../../passes/transformations/gpu-transform.js';
import { gpuThreadBlocks, threadBlockSize } from '../../../passes/transformations/gpu-thread-blocks.js';
import { applyEverywhere, applyOnce, assertSameBehaviour, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { samples } from '../../../samples/catalogue.js';

function maps(sdfg: SDFG): MapScope[] {
  return [...allStates(sdfg)].flatMap((s) => s.nodes.flatMap((n) => (n.kind === 'MapEntry' ? [n.map] : [])));
}

const brief = (m: MapScope): string => `${m.label} [${m.params.map((p, d) => `${p} = ${m.ranges[d]!.begin}:${m.ranges[d]!.end}:${m.ranges[d]!.step}`).join(', ')}] ${m.schedule} ${JSON.stringify(m.gpuBlockSize)}`;

const double = program('double', { N: symbol, x: array(f64, ['N']) }, (p, { N, x }) => {
  p.map`i = 0:${N}`.tasklet({ a: x.at`i` }, { b: x.at`i` })`b = 2 * a`;
});

const strided = program('strided', { N: symbol, M: symbol, A: array(f64, ['N', 'M']) }, (p, { N, M, A }) => {
  p.map`i = 0:${N}, j = 1:${M}:2`.tasklet({ a: A.at`i, j` }, { b: A.at`i, j` })`b = 2 * a`;
});

const four = program('four', { N: symbol, A: array(i32, ['N', 'N', 'N', 'N']) }, (p, { N, A }) => {
  p.map`a = 0:${N}, b = 0:${N}, c = 0:${N}, d = 0:${N}`.tasklet({}, { o: A.at`a, b, c, d` })`o = a + b + c + d`;
});

/** The graph after GPUTransform: device maps with GPUTransform's block sizes. */
const onDevice = (sdfg: SDFG, options = {}): SDFG => applyOnce(sdfg, gpuTransform, options);

describe('GPUThreadBlocks', () => {
  it('is registered under its name', () => {
    assert.equal(getTransformation('GPUThreadBlocks'), gpuThreadBlocks);
  });

  it('splits a 1-D device map into tiles of 64 and a thread-block map clipped at the end', () => {
    const split = applyOnce(onDevice(double.sdfg), gpuThreadBlocks);
    const mapState = printSDFG(split).split('  state s1')[0]!.split('\n');
    assert.equal(mapState.filter((l) => /^\s+(n\d+ map|e\d+)/.test(l)).join('\n'), `    n0 map_entry map_0_threads [i = i_blk:Min(N, i_blk + 64)] GPU_ThreadBlock block [64]
    n1 map_exit map_0_threads
    n5 map_entry map_0 [i_blk = 0:N:64] GPU_Device block [64]
    n6 map_exit map_0
    e0 n3 -> n5.IN_x  gpu_x[0:N]
    e1 n0.OUT_x -> n2.a  gpu_x[i]
    e2 n2.b -> n1.IN_x  gpu_x[i]
    e3 n6.OUT_x -> n4  gpu_x[0:N]
    e4 n5.OUT_x -> n0.IN_x  gpu_x[i_blk:Min(N, i_blk + 64)]
    e5 n1.OUT_x -> n6.IN_x  gpu_x[i_blk:Min(N, i_blk + 64)]`);
  });

  it('tiles the last parameter along x and the one before along y, keeping steps', () => {
    const split = applyOnce(onDevice(strided.sdfg), gpuThreadBlocks);
    assert.deepEqual(maps(split).map(brief), [
      'map_0_threads [i = i_blk:Min(N, i_blk + 8):1, j = j_blk:Min(M, j_blk + 16):2] GPU_ThreadBlock [8,8]',
      'map_0 [i_blk = 0:N:8, j_blk = 1:M:16] GPU_Device [8,8]',
    ]);
  });

  it('keeps parameters before the last three whole in the device map (one block per value)', () => {
    const split = applyOnce(onDevice(four.sdfg), gpuThreadBlocks);
    assert.deepEqual(maps(split).map(brief), [
      'map_0_threads [b = b_blk:Min(N, b_blk + 4):1, c = c_blk:Min(N, c_blk + 4):1, d = d_blk:Min(N, d_blk + 4):1] GPU_ThreadBlock [4,4,4]',
      'map_0 [a = 0:N:1, b_blk = 0:N:4, c_blk = 0:N:4, d_blk = 0:N:4] GPU_Device [4,4,4]',
    ]);
  });

  it("takes the map's own block size first, then the option, then GPUTransform's default for the dimensions", () => {
    const device = onDevice(double.sdfg);
    const map = maps(device)[0]!;
    assert.deepEqual(threadBlockSize(map, { blockSize: [] }), [64]);
    map.gpuBlockSize = [128];
    assert.deepEqual(threadBlockSize(map, { blockSize: [32] }), [128]);
    delete map.gpuBlockSize;
    assert.deepEqual(threadBlockSize(map, { blockSize: [32] }), [32]);
    assert.deepEqual(threadBlockSize(map, { blockSize: [] }), [64]);
    assert.deepEqual(maps(applyOnce(onDevice(double.sdfg, { blockSize: [256] }), gpuThreadBlocks)).map((m) => m.gpuBlockSize), [[256], [256]]);
  });

  it('refuses maps that are not device maps, already split, nested, with non-constant steps or too many threads', () => {
    assert.deepEqual(refusals(double.sdfg, gpuThreadBlocks), ['map_0 is scheduled Default, not GPU_Device']);
    assert.deepEqual(refusals(applyOnce(onDevice(double.sdfg), gpuThreadBlocks), gpuThreadBlocks),
      ['map_0_threads is scheduled GPU_ThreadBlock, not GPU_Device', 'map_0 already has a GPU_ThreadBlock map inside']);
    const symbolic = onDevice(double.sdfg);
    const first = maps(symbolic)[0]!;
    first.ranges = [range(first.ranges[0]!.begin, first.ranges[0]!.end, sym('N'))];
    assert.deepEqual(refusals(symbolic, gpuThreadBlocks), ['the step of i is N, not a positive constant']);
    const big = onDevice(strided.sdfg);
    maps(big)[0]!.gpuBlockSize = [64, 32];
    assert.deepEqual(refusals(big, gpuThreadBlocks), ["a block of [64, 32] has 2048 threads, more than CUDA's 1024"]);
    maps(big)[0]!.gpuBlockSize = [0, 4];
    assert.deepEqual(refusals(big, gpuThreadBlocks), ['block sizes must be positive integers, got [0, 4]']);
    const nested = program('nested', { N: symbol, A: array(f64, ['N', 'N']) }, (p, { N, A }) => {
      p.map('rows')`i = 0:${N}`.scope((m) => {
        m.map('cols')`j = 0:${N}`.tasklet({}, { o: A.at`i, j` })`o = 1`;
      });
    });
    const inner = onDevice(nested.sdfg);
    maps(inner).find((m) => m.label === 'cols')!.schedule = 'GPU_Device';
    assert.deepEqual(refusals(inner, gpuThreadBlocks), ['cols is nested in another scope (dynamic parallelism is not supported)']);
  });

  it('preserves what a map computes for random ranges, steps and block sizes (reference interpreter)', () => {
    checkPreservesSemantics({
      params: fc.record({
        begin: fc.integer({ min: 0, max: 5 }), extra: fc.integer({ min: 0, max: 40 }), step: fc.integer({ min: 1, max: 4 }),
        rows: fc.integer({ min: 1, max: 5 }), x: fc.integer({ min: 1, max: 16 }), y: fc.integer({ min: 1, max: 4 }),
      }),
      program: ({ begin, step, x, y }) => {
        const made = program('tiles', { N: symbol, R: symbol, A: array(f64, ['R', 'N']), B: array(f64, ['R', 'N']) }, (p, { N, R, A, B }) => {
          p.map`r = 0:${R}, i = ${begin}:${N}:${step}`.tasklet({ a: A.at`r, i` }, { b: B.at`r, i` })`b = a * 3 + r + i`;
        });
        const device = onDevice(made.sdfg);
        for (const m of maps(device)) m.gpuBlockSize = [x, y];
        return device;
      },
      symbols: ({ begin, extra, rows }) => ({ N: begin + extra, R: rows }),
      transform: { transformation: gpuThreadBlocks },
      check: (after) => assert.deepEqual(maps(after).map((m) => m.schedule), ['GPU_ThreadBlock', 'GPU_Device']),
      numRuns: 25,
    });
  });

  it('preserves what every sample computes after GPUTransform (reference interpreter)', () => {
    for (const sample of samples) {
      if (sample.name === 'stream_pipeline') continue;
      const split = onDevice(sample.program.sdfg);
      assert.ok(applyEverywhere(split, gpuThreadBlocks) > 0, sample.name);
      assertSameBehaviour(sample.program.sdfg, split, sample.inputs(9, 1));
    }
  });
});
