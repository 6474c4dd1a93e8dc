// StreamingMemory: exact text of reader/writer processing elements, refusals, differential runs after FPGATransform.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { cloneSDFG } from '../../../graph/clone.js';
import { fpgaTransform } from '../../../passes/transformations/fpga-transform.js';
import { streamingMemory } from '../../../passes/transformations/streaming-memory.js';
import { applyEverywhere, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';

/** The graph after FPGATransform (StreamingMemory works on FPGA_Global arrays and FPGA_Device maps). */
function lowered(made: { sdfg: SDFG }): SDFG {
  const sdfg = cloneSDFG(made.sdfg);
  assert.equal(applyEverywhere(sdfg, fpgaTransform), 1);
  return sdfg;
}

const scale = () => program('scale', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
  p.map('scale')`i = 0:${N}`.tasklet({ a: x.at`i` }, { b: y.at`i` })`b = 3 * a`;
});

/** A 2-D map reading two elements of x per iteration and updating y in place. */
const update = () => program('update', { N: symbol, M: symbol, x: array(f64, ['N', 'M']), y: array(f64, ['N', 'M']) }, (p, { N, M, x, y }) => {
  p.map('update')`i = 0:${N}, j = 0:${M}`.tasklet({ a: x.at`i, j`, b: x.at`${N} - 1 - i, j`, c: y.at`i, j` }, { o: y.at`i, j` })`o = c + a * b`;
});

describe('StreamingMemory', () => {
  it('puts a reader and a writer processing element between off-chip memory and the map', () => {
    const sdfg = lowered(scale());
    assert.equal(applyEverywhere(sdfg, streamingMemory, { depth: 2 }), 2);
    const text = printSDFG(sdfg);
    assert.equal(text.split('\n  state s1')[0], `sdfg scale
  symbol N: int64
  array fpga_x: float64[N] (transient, storage FPGA_Global, lifetime SDFG)
  array fpga_y: float64[N] (transient, storage FPGA_Global, lifetime SDFG)
  array x: float64[N]
  stream x_to_a: float64 (buffer 2, transient, storage FPGA_Local)
  array y: float64[N]
  stream y_from_b: float64 (buffer 2, transient, storage FPGA_Local)
  args x, y, N
  start s1
  state s0 "scale"
    n0 map_entry scale [i = 0:N] FPGA_Device
    n1 map_exit scale
    n2 tasklet tasklet_0 (a -> b) {b = 3 * a}
    n3 access fpga_x
    n4 access fpga_y
    n5 access x_to_a
    n6 map_entry read_x_a [i = 0:N] FPGA_Device
    n7 map_exit read_x_a
    n8 tasklet read_x_a_move (v -> o) {o = v}
    n9 access y_from_b
    n10 map_entry write_y_b [i = 0:N] FPGA_Device
    n11 map_exit write_y_b
    n12 tasklet write_y_b_move (v -> o) {o = v}
    e4 n3 -> n6.IN_fpga_x  fpga_x[0:N]
    e5 n6.OUT_fpga_x -> n8.v  fpga_x[i]
    e6 n8.o -> n7.IN_x_to_a  x_to_a[0] (dynamic)
    e7 n7.OUT_x_to_a -> n5  x_to_a[0] (volume N, dynamic)
    e8 n5 -> n0.IN_x_to_a  x_to_a[0] (volume N, dynamic)
    e9 n0.OUT_x_to_a -> n2.a  x_to_a[0] (dynamic)
    e10 n2.b -> n1.IN_y_from_b  y_from_b[0] (dynamic)
    e11 n1.OUT_y_from_b -> n9  y_from_b[0] (volume N, dynamic)
    e12 n9 -> n10.IN_y_from_b  y_from_b[0] (volume N, dynamic)
    e13 n10.OUT_y_from_b -> n12.v  y_from_b[0] (dynamic)
    e14 n12.o -> n11.IN_fpga_y  fpga_y[i]
    e15 n11.OUT_fpga_y -> n4  fpga_y[0:N]`);
  });

  it('gives every element a map reads its own stream, and streams an element-wise in-place update', () => {
    const sdfg = lowered(update());
    assert.equal(applyEverywhere(sdfg, streamingMemory), 3);
    const streams = Object.entries(sdfg.arrays).filter(([, d]) => d.kind === 'Stream').map(([n]) => n).sort();
    assert.deepEqual(streams, ['x_to_a', 'x_to_b', 'y_from_o', 'y_to_c']);
  });

  describe('refuses', () => {
    it('graphs not lowered for the FPGA: arrays off FPGA_Global', () => {
      assert.deepEqual(refusals(scale().sdfg, streamingMemory), ['x is not an off-chip (FPGA_Global) array', 'y is not an off-chip (FPGA_Global) array']);
    });

    it('windows, conflict resolution, and an in-place update of other elements', () => {
      const window = program('window', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
        p.map('window')`i = 1:${N} - 1`.tasklet({ w: x.at`i - 1:i + 2` }, { b: y.at`i` })`b = w[0] + w[2]`;
      });
      assert.ok(refusals(lowered(window), streamingMemory).includes('tasklet_0 reads more than one element of fpga_x per iteration'));
      const summed = program('summed', { N: symbol, x: array(f64, ['N']), s: array(f64, [1]) }, (p, { N, x, s }) => {
        p.map('sum')`i = 0:${N}`.tasklet({ a: x.at`i` }, { o: s.at`0`.wcr('+') })`o = a`;
      });
      assert.ok(refusals(lowered(summed), streamingMemory).includes('tasklet_0 writes fpga_s with conflict resolution (a read-modify-write)'));
      const shift = program('shift', { N: symbol, x: array(f64, ['N']) }, (p, { N, x }) => {
        p.map('shift')`i = 0:${N} - 1`.tasklet({ a: x.at`i + 1` }, { o: x.at`i` })`o = a`;
      });
      assert.ok(refusals(lowered(shift), streamingMemory).includes('map shift reads and writes fpga_x at different elements; streams would reorder them'));
    });

    it('its own reader and writer elements (they only move data already)', () => {
      const sdfg = lowered(scale());
      applyEverywhere(sdfg, streamingMemory);
      assert.deepEqual(refusals(sdfg, streamingMemory).filter((r) => r.includes('only moves')),
        ['map read_x_a only moves fpga_x into a stream already (it is a reader)', 'map write_y_b only moves fpga_y out of a stream already (it is a writer)']);
    });

    it('an output assigned on some paths only', () => {
      const maybe = program('maybe', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
        p.map('maybe')`i = 0:${N}`.tasklet({ a: x.at`i` }, { b: y.at`i` })`if (a > 0) { b = a }`;
      });
      assert.ok(refusals(lowered(maybe), streamingMemory).includes('tasklet_0 does not assign b exactly once on every path (a stream is pushed once per iteration)'));
    });
  });

  describe('preserves what programs compute', () => {
    it('1-D maps of random length and stream depth', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 12 }), depth: fc.integer({ min: 1, max: 8 }) }),
      program: () => lowered(scale()),
      symbols: ({ N }) => ({ N }),
      transform: { transformation: streamingMemory },
      optionsFor: ({ depth }) => ({ depth }),
      minApplied: 2,
    }));

    it('2-D in-place updates reading two elements per iteration', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 6 }), M: fc.integer({ min: 1, max: 6 }) }),
      program: () => lowered(update()),
      symbols: ({ N, M }) => ({ N, M }),
      transform: { transformation: streamingMemory },
      minApplied: 3,
    }));
  });
});
