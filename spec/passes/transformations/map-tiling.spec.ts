// MapTiling: exact text of a tiled map, its refusals, and differential runs on generated programs and the samples.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import { mapTiling } from '../../../passes/transformations/map-tiling.js';
import { applyOnce, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { axpy } from '../../../samples/axpy.js';
import { gemm } from '../../../samples/gemm.js';
import { jacobi2d } from '../../../samples/jacobi-2d.js';
import { blur3 } from '../../../samples/generated-stencil.js';

const scale = program('scale', { x: array(f64, [10]), y: array(f64, [10]) }, (p, { x, y }) => {
  p.map`i = 0:10`.tasklet({ a: x.at`i` }, { b: y.at`i` })`b = 2 * a`;
});

/** y[i] = x[i - b] + i over i = b:N:s, with the offsets and steps drawn at random. */
function strided(begin: number, step: number) {
  return program('strided', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
    p.map`i = ${begin}:${N}:${step}`.tasklet({ a: x.at`i - ${begin}` }, { b: y.at`i` })`b = a + i`;
  });
}

function grid(rowOffset: number) {
  return program('grid', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
    p.map`i = ${rowOffset}:${N}, j = 0:${M}`.tasklet({ a: A.at`i - ${rowOffset}, j` }, { b: B.at`i, j` })`b = a * j`;
  });
}

describe('MapTiling', () => {
  it('splits a map into a map over tiles and a map within a tile', () => {
    assert.equal(printSDFG(applyOnce(scale.sdfg, mapTiling, { tileSizes: [4] })), `sdfg scale
  array x: float64[10]
  array y: float64[10]
  args x, y
  state s0 "map_0"
    n0 map_entry map_0 [i = i_tile:Min(10, i_tile + 4)] Sequential
    n1 map_exit map_0
    n2 tasklet tasklet_0 (a -> b) {b = 2 * a}
    n3 access x
    n4 access y
    n5 map_entry map_0_tiles [i_tile = 0:10:4]
    n6 map_exit map_0_tiles
    e0 n3 -> n5.IN_x  x[0:10]
    e1 n0.OUT_x -> n2.a  x[i]
    e2 n2.b -> n1.IN_y  y[i]
    e3 n6.OUT_y -> n4  y[0:10]
    e4 n5.OUT_x -> n0.IN_x  x[i_tile:Min(10, i_tile + 4)]
    e5 n1.OUT_y -> n6.IN_y  y[i_tile:Min(10, i_tile + 4)]`);
  });

  it('refuses a map that fits in one tile, bad tile sizes, and a map tiled already', () => {
    assert.deepEqual(refusals(scale.sdfg, mapTiling, { tileSizes: [16] }), ['every dimension of map_0 fits in one tile']);
    assert.deepEqual(refusals(scale.sdfg, mapTiling, { tileSizes: [0] }), ['tile sizes must be positive integers, got [0]']);
    const tiled = applyOnce(scale.sdfg, mapTiling, { tileSizes: [4] });
    assert.deepEqual(refusals(tiled, mapTiling, { tileSizes: [2] }), ['map_0 is already tiled', 'map_0_tiles is already tiled']);
  });

  it('refuses a negative step', () => {
    const down = program('down', { x: array(f64, [10]) }, (p, { x }) => {
      p.map`i = 9:-1:-1`.tasklet({}, { b: x.at`i` })`b = i`;
    });
    assert.deepEqual(refusals(down.sdfg, mapTiling, { tileSizes: [4] }), ['the step of i is -1, not a positive constant']);
  });

  it('preserves semantics for random offsets, steps and tile sizes (1-D)', () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 23 }), begin: fc.integer({ min: 0, max: 3 }), step: fc.integer({ min: 1, max: 3 }), tile: fc.integer({ min: 2, max: 6 }) }),
    program: ({ begin, step }) => strided(begin, step),
    symbols: ({ N, begin }) => ({ N: N + begin }),
    transform: { transformation: mapTiling },
    optionsFor: ({ tile }) => ({ tileSizes: [tile] }),
  }));

  it('preserves semantics with a tile size per dimension (2-D)', () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 9 }), M: fc.integer({ min: 1, max: 9 }), offset: fc.integer({ min: 0, max: 2 }), ti: fc.integer({ min: 2, max: 4 }), tj: fc.integer({ min: 1, max: 4 }) }),
    program: ({ offset }) => grid(offset),
    symbols: ({ N, M, offset }) => ({ N: N + offset, M }),
    transform: { transformation: mapTiling },
    optionsFor: ({ ti, tj }) => ({ tileSizes: [ti, tj] }),
  }));

  it('preserves semantics of the samples (every map tiled)', () => {
    const cases = [
      { sdfg: axpy.sdfg, symbols: (n: number) => ({ N: n }) },
      { sdfg: gemm.sdfg, symbols: (n: number) => ({ NI: n, NJ: n + 1, NK: 3 }) },
      { sdfg: jacobi2d.sdfg, symbols: (n: number) => ({ N: n + 2, TSTEPS: 3 }) },
      { sdfg: blur3.sdfg, symbols: (n: number) => ({ N: n + 2 }) },
    ];
    for (const { sdfg, symbols } of cases) {
      checkPreservesSemantics({ params: fc.integer({ min: 1, max: 9 }), program: () => sdfg, symbols, transform: { transformation: mapTiling, options: { tileSizes: [3, 2] } }, numRuns: 4 });
    }
  });
});
