// OutLocalStorage: exact text of a tile written through a scope-local buffer, refusals, differential runs on tiled maps.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import { inLocalStorage } from '../../../passes/transformations/in-local-storage.js';
import { outLocalStorage } from '../../../passes/transformations/out-local-storage.js';
import { mapTiling } from '../../../passes/transformations/map-tiling.js';
import { applyEverywhere, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';

const tiled = () => program('tiled', { A: array(f64, [8, 8]), B: array(f64, [8, 8]) }, (p, { A, B }) => {
  p.map('tiles')`ti = 0:8:4`.map('inner')`i = ti:ti + 4, j = 0:8`.tasklet({ a: A.at`i, j` }, { b: B.at`i, j` })`b = 2 * a`;
});

describe('OutLocalStorage', () => {
  it('writes the tile the inner map produces to a buffer, copied out after the inner map', () => {
    const { sdfg } = tiled();
    assert.equal(applyEverywhere(sdfg, outLocalStorage), 1);
    assert.equal(printSDFG(sdfg), `sdfg tiled
  array A: float64[8, 8]
  array B: float64[8, 8]
  array B_local: float64[4, 8] (transient)
  args A, B
  state s0 "tiles"
    n0 map_entry tiles [ti = 0:8:4]
    n1 map_exit tiles
    n2 map_entry inner [i = ti:ti + 4, j = 0:8]
    n3 map_exit inner
    n4 tasklet tasklet_0 (a -> b) {b = 2 * a}
    n5 access A
    n6 access B
    n7 access B_local
    e0 n5 -> n0.IN_A  A[0:8, 0:8]
    e1 n0.OUT_A -> n2.IN_A  A[ti:ti + 4, 0:8]
    e2 n2.OUT_A -> n4.a  A[i, j]
    e3 n4.b -> n3.IN_B_local  B_local[i - ti, j]
    e5 n1.OUT_B -> n6  B[0:8, 0:8]
    e6 n3.OUT_B_local -> n7  B_local[0:4, 0:8]
    e7 n7 -> n1.IN_B  B_local[0:4, 0:8] (other [ti:ti + 4, 0:8])`);
  });

  describe('refuses', () => {
    it('writes with wcr, writes that may skip elements of the tile, data the outer map also reads', () => {
      const wcr = program('wcr', { A: array(f64, [8, 8]), B: array(f64, [8]) }, (p, { A, B }) => {
        p.map('tiles')`ti = 0:8:4`.map('inner')`i = ti:ti + 4, j = 0:8`.tasklet({ a: A.at`i, j` }, { b: B.at`i`.wcr('+') })`b = a`;
      });
      assert.deepEqual(refusals(wcr.sdfg, outLocalStorage), ['the writes to B resolve conflicts (wcr)']);
      const sparse = program('sparse', { A: array(f64, [8]), B: array(f64, [16]) }, (p, { A, B }) => {
        p.map('tiles')`ti = 0:8:4`.map('inner')`i = ti:ti + 4`.tasklet({ a: A.at`i` }, { b: B.at`2*i` })`b = a`;
      });
      assert.deepEqual(refusals(sparse.sdfg, outLocalStorage), ['the inner map inner may not write all of its tile of B']);
      const inplace = program('inplace', { A: array(f64, [8]) }, (p, { A }) => {
        p.map('tiles')`ti = 0:8:4`.map('inner')`i = ti:ti + 4`.tasklet({ a: A.at`i` }, { b: A.at`i` })`b = a + 1`;
      });
      assert.deepEqual(refusals(inplace.sdfg, outLocalStorage), ['A is also read inside map tiles']);
    });
  });

  describe('preserves what programs compute', () => {
    it('tiled maps of random sizes, with and without a local copy of the input', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 9 }), M: fc.integer({ min: 1, max: 5 }), tile: fc.integer({ min: 2, max: 4 }), local: fc.boolean() }),
      program: ({ tile, local }) => {
        const made = program('scale', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
          p.map`i = 0:${N}, j = 0:${M}`.tasklet({ a: A.at`i, j` }, { b: B.at`i, j` })`b = 2 * a + i - j`;
        });
        applyEverywhere(made.sdfg, mapTiling, { tileSizes: [tile] });
        if (local) applyEverywhere(made.sdfg, inLocalStorage);
        return made;
      },
      symbols: ({ N, M }) => ({ N, M }),
      transform: { transformation: outLocalStorage },
      check: (after) => assert.ok('B_local' in after.arrays),
      numRuns: 8,
    }));
  });
});
