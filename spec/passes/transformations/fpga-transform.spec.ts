// FPGATransform: exact text of a lowered program (device maps, FPGA_Global copies, copy states), schedules and storage
// of nested maps and transients, refusals with their reasons, differential runs on random programs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { allStates } from '../../../graph/query.js';
import { cloneSDFG } from '../../../graph/clone.js';
import { FPGA_COPY_IN, FPGA_COPY_OUT, fpgaTransform, isFpgaLowered } from '../../../passes/transformations/fpga-transform.js';
import { applyEverywhere, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';

const axpy = () => program('axpy', { N: symbol, a: f64, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, a, x, y }) => {
  p.map('axpy')`i = 0:${N}`.tasklet({ s: a, xi: x.at`i`, yi: y.at`i` }, { o: y.at`i` })`o = s * xi + yi`;
});

/** Rows of x summed into y through a transient, in a time loop, with an inner map and a scope-local buffer. */
const rows = () => program('rows', { T: symbol, N: symbol, M: symbol, x: array(f64, ['N', 'M']), y: array(f64, ['N']) }, (p, { T, N, M, x, y }) => {
  const tmp = p.transient('tmp', f64, [N]);
  p.for`t = 0:${T}`(() => {
    p.map('rows')`i = 0:${N}`.map('cols')`j = 0:${M}`.tasklet({ v: x.at`i, j` }, { s: tmp.at`i`.wcr('+') })`s = v`;
    p.map('acc')`i = 0:${N}`.tasklet({ s: tmp.at`i`, o: y.at`i` }, { r: y.at`i` })`r = o + 0.5 * s`;
  });
});

const lower = (sdfg: SDFG): SDFG => {
  const copy = cloneSDFG(sdfg);
  assert.equal(applyEverywhere(copy, fpgaTransform), 1);
  return copy;
};

describe('FPGATransform', () => {
  it('moves the data to FPGA_Global copies with host <-> device copy states, and makes the map a device map', () => {
    const plain = program('scale', { N: symbol, a: f64, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, a, x, y }) => {
      p.map('scale')`i = 0:${N}`.tasklet({ s: a, xi: x.at`i` }, { o: y.at`i` })`o = s * xi`;
    });
    assert.equal(printSDFG(lower(plain.sdfg)), `sdfg scale
  symbol N: int64
  scalar a: float64
  array fpga_x: float64[N] (transient, storage FPGA_Global, lifetime SDFG)
  array fpga_y: float64[N] (transient, storage FPGA_Global, lifetime SDFG)
  array x: float64[N]
  array y: float64[N]
  args a, x, y, N
  start s1
  state s0 "scale"
    n0 map_entry scale [i = 0:N] FPGA_Device
    n1 map_exit scale
    n2 tasklet tasklet_0 (s, xi -> o) {o = s * xi}
    n3 access a
    n4 access fpga_x
    n5 access fpga_y
    e0 n3 -> n0.IN_a  a[0] (volume N)
    e1 n0.OUT_a -> n2.s  a[0]
    e2 n4 -> n0.IN_x  fpga_x[0:N]
    e3 n0.OUT_x -> n2.xi  fpga_x[i]
    e4 n2.o -> n1.IN_y  fpga_y[i]
    e5 n1.OUT_y -> n5  fpga_y[0:N]
  state s1 "${FPGA_COPY_IN}"
    n0 access x
    n1 access fpga_x
    n2 access y
    n3 access fpga_y
    e0 n0 -> n1  x[0:N] (other [0:N])
    e1 n2 -> n3  y[0:N] (other [0:N])
  state s2 "${FPGA_COPY_OUT}"
    n0 access fpga_y
    n1 access y
    e0 n0 -> n1  fpga_y[0:N] (other [0:N])
  edge s1 -> s0
  edge s0 -> s2`);
  });

  it('schedules nested maps sequentially, keeps loops on the device, and places transients on the device', () => {
    const sdfg = lower(rows().sdfg);
    const maps = [...allStates(sdfg)].flatMap((s) => s.nodes.flatMap((n) => (n.kind === 'MapEntry' ? [`${n.map.label} ${n.map.schedule}`] : [])));
    assert.deepEqual(maps.sort(), ['acc FPGA_Device', 'cols Sequential', 'rows FPGA_Device']);
    assert.equal(sdfg.arrays.tmp!.storage, 'FPGA_Global');
    assert.ok(isFpgaLowered(sdfg));
    assert.ok(!isFpgaLowered(rows().sdfg));
  });

  it('keeps an unrolled top-level map unrolled and makes the maps inside it the replicated device maps', () => {
    const replicated = program('replicated', { x: array(f64, [4, 8]), y: array(f64, [4, 8]) }, (p, { x, y }) => {
      p.map('lanes')`u = 0:4`.schedule('Unrolled').map('work')`i = 0:8`.tasklet({ a: x.at`u, i` }, { b: y.at`u, i` })`b = a + 1`;
    });
    const sdfg = lower(replicated.sdfg);
    const maps = [...allStates(sdfg)].flatMap((s) => s.nodes.flatMap((n) => (n.kind === 'MapEntry' ? [`${n.map.label} ${n.map.schedule}`] : [])));
    assert.deepEqual(maps.sort(), ['lanes Unrolled', 'work FPGA_Device']);
  });

  describe('refuses', () => {
    it('a graph already lowered', () => {
      assert.deepEqual(refusals(lower(rows().sdfg), fpgaTransform), ['rows is already lowered for the FPGA: tmp is in FPGA_Global storage']);
    });

    it('library nodes, GPU maps and stream arguments, with what to do', () => {
      const mm = program('mm', { A: array(f64, [4, 4]), B: array(f64, [4, 4]), C: array(f64, [4, 4]) }, (p, { A, B, C }) => p.matmul(A, B, C));
      assert.deepEqual(refusals(mm.sdfg, fpgaTransform), ['library node matmul_0 (MatMul) must be expanded first (e.g. ReduceExpansion)']);
      const gpu = program('gpu', { x: array(f64, [4]) }, (p, { x }) => {
        p.map('g')`i = 0:4`.schedule('GPU_Device').tasklet({ a: x.at`i` }, { b: x.at`i` })`b = a + 1`;
      });
      assert.deepEqual(refusals(gpu.sdfg, fpgaTransform), ['map g is scheduled GPU_Device']);
      const streamed = program('streamed', { N: symbol, x: array(f64, ['N']) }, (p, { N, x }) => {
        const q = p.stream('q', f64, { transient: false });
        p.map('push')`i = 0:${N}`.tasklet({ a: x.at`i` }, { o: q.push })`o = a`;
      });
      assert.deepEqual(refusals(streamed.sdfg, fpgaTransform), ['stream q is an argument: the host passes arrays (make the stream transient)']);
    });
  });

  describe('preserves what programs compute', () => {
    it('a map with a host scalar', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 16 }) }),
      program: () => axpy(),
      symbols: ({ N }) => ({ N }),
      transform: { transformation: fpgaTransform },
    }));

    it('a time loop of nested maps, a reduction into a transient, and an in-place update', () => checkPreservesSemantics({
      params: fc.record({ T: fc.integer({ min: 0, max: 3 }), N: fc.integer({ min: 1, max: 6 }), M: fc.integer({ min: 1, max: 6 }) }),
      program: () => rows(),
      symbols: ({ T, N, M }) => ({ T, N, M }),
      transform: { transformation: fpgaTransform },
    }));
  });
});
