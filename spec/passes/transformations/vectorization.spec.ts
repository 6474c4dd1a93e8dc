// Vectorization: the SIMD mark in the text form, what it refuses (strides, data-dependent access, reductions), and runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { vectorization } from '../../../passes/transformations/vectorization.js';
import { applyOnce, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { axpy } from '../../../samples/axpy.js';
import { gemm } from '../../../samples/gemm.js';
import { histogram } from '../../../samples/histogram.js';
import { blur3, sharpen5 } from '../../../samples/generated-stencil.js';

function widths(sdfg: SDFG): (number | undefined)[] {
  return sdfg.blocks.flatMap((b) => (b.kind === 'State' ? b.nodes.flatMap((n) => (n.kind === 'MapEntry' ? [n.map.vectorWidth] : [])) : []));
}

describe('Vectorization', () => {
  it('marks the map with the SIMD width', () => {
    assert.equal(printSDFG(applyOnce(axpy.sdfg, vectorization)), `sdfg axpy
  symbol N: int64
  scalar a: float64
  array x: float64[N]
  array y: float64[N]
  args a, x, y, N
  state s0 "map_0"
    n0 map_entry map_0 [i = 0:N] vector 8
    n1 map_exit map_0
    n2 tasklet tasklet_0 (a, xi, yi -> out) {out = a * xi + yi}
    n3 access x
    n4 access y
    n5 access a
    n6 access y
    e0 n3 -> n0.IN_x  x[0:N]
    e1 n0.OUT_x -> n2.xi  x[i]
    e2 n4 -> n0.IN_y  y[0:N]
    e3 n0.OUT_y -> n2.yi  y[i]
    e4 n5 -> n0.IN_a  a[0] (volume N)
    e5 n0.OUT_a -> n2.a  a[0]
    e6 n2.out -> n1.IN_y  y[i]
    e7 n1.OUT_y -> n6  y[0:N]`);
  });

  it('refuses data-dependent access, non-unit strides and reductions along the vectorized dimension', () => {
    assert.deepEqual(refusals(histogram.sdfg, vectorization), ['connector h writes hist dynamically (data-dependent access)']);
    const column = program('column', { N: symbol, A: array(f64, ['N', 'N']), B: array(f64, ['N', 'N']) }, (p, { N, A, B }) => {
      p.map`i = 0:${N}, j = 0:${N}`.tasklet({ a: A.at`j, i` }, { b: B.at`i, j` })`b = a`;
    });
    assert.deepEqual(refusals(column.sdfg, vectorization), ['A[j, i] is not a unit-stride access along j']);
    const strided = program('strided', { N: symbol, A: array(f64, ['2 * N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
      p.map`i = 0:${N}`.tasklet({ a: A.at`2 * i` }, { b: B.at`i` })`b = a`;
    });
    assert.deepEqual(refusals(strided.sdfg, vectorization), ['A[2*i] is not a unit-stride access along i']);
    assert.deepEqual(refusals(gemm.sdfg, vectorization), ['B[k, j] is not a unit-stride access along k']);
    const rowSum = program('row_sum', { N: symbol, A: array(f64, ['N', 'N']), s: array(f64, ['N']) }, (p, { N, A, s }) => {
      p.map`i = 0:${N}, j = 0:${N}`.tasklet({ a: A.at`i, j` }, { o: s.at`i`.wcr('+') })`o = a`;
    });
    assert.deepEqual(refusals(rowSum.sdfg, vectorization), ['the write to s[i] is a reduction along j']);
  });

  it('refuses custom wcr lambdas, GPU maps, bodies that are not one tasklet, and bad widths', () => {
    const custom = program('custom', { N: symbol, x: array(f64, ['N']) }, (p, { N, x }) => {
      p.map`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: x.at`i`.wcr`a * b + 1` })`o = v`;
    });
    assert.deepEqual(refusals(custom.sdfg, vectorization), ['the write to x uses a custom wcr lambda']);
    const gpu = program('gpu', { N: symbol, x: array(f64, ['N']) }, (p, { N, x }) => {
      p.map`i = 0:${N}`.schedule('GPU_Device').tasklet({}, { o: x.at`i` })`o = 1`;
    });
    assert.deepEqual(refusals(gpu.sdfg, vectorization), ['map_0 is scheduled GPU_Device']);
    const nest = program('nest', { N: symbol, x: array(f64, ['N', 'N']) }, (p, { N, x }) => {
      p.map`i = 0:${N}`.map`j = 0:${N}`.tasklet({ v: x.at`i, j` }, { o: x.at`i, j` })`o = v + 1`;
    });
    assert.deepEqual(refusals(nest.sdfg, vectorization), ['the body of map_0 is not a single tasklet']);
    assert.deepEqual(refusals(axpy.sdfg, vectorization, { width: 1 }), ['the vector width must be an integer of at least 2, got 1']);
    assert.deepEqual(refusals(applyOnce(axpy.sdfg, vectorization), vectorization), ['map_0 is already vectorized']);
    const short = program('short', { x: array(f64, [3]) }, (p, { x }) => {
      p.map`i = 0:3`.tasklet({}, { o: x.at`i` })`o = i`;
    });
    assert.deepEqual(refusals(short.sdfg, vectorization), ['i has fewer than 8 iterations']);
  });

  it('leaves what the samples compute unchanged', () => {
    const cases = [
      { sdfg: axpy.sdfg, symbols: (n: number) => ({ N: n + 8 }), maps: 1 },
      { sdfg: blur3.sdfg, symbols: (n: number) => ({ N: n + 10 }), maps: 4 },
      { sdfg: sharpen5.sdfg, symbols: (n: number) => ({ N: n + 12 }), maps: 4 },
    ];
    for (const { sdfg, symbols, maps } of cases) {
      checkPreservesSemantics({
        params: fc.integer({ min: 0, max: 20 }), program: () => sdfg, symbols, transform: { transformation: vectorization, options: { width: 4 } }, numRuns: 3,
        check: (after) => assert.deepEqual(widths(after), Array(maps).fill(4)),
      });
    }
  });
});
