// InLocalStorage: exact text of a tile copied into a scope-local buffer, refusals, differential runs on tiled maps.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import { inLocalStorage } from '../../../passes/transformations/in-local-storage.js';
import { mapTiling } from '../../../passes/transformations/map-tiling.js';
import { applyEverywhere, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';

const tiled = () => program('tiled', { A: array(f64, [8, 8]), B: array(f64, [8, 8]) }, (p, { A, B }) => {
  p.map('tiles')`ti = 0:8:4`.map('inner')`i = ti:ti + 4, j = 0:8`.tasklet({ a: A.at`i, j` }, { b: B.at`i, j` })`b = 2 * a`;
});

describe('InLocalStorage', () => {
  it('copies the tile the inner map reads into a buffer of the tile size, and reads that', () => {
    const { sdfg } = tiled();
    assert.equal(applyEverywhere(sdfg, inLocalStorage), 1);
    assert.equal(printSDFG(sdfg), `sdfg tiled
  array A: float64[8, 8]
  array A_local: float64[4, 8] (transient)
  array B: float64[8, 8]
  args A, B
  state s0 "tiles"
    n0 map_entry tiles [ti = 0:8:4]
    n1 map_exit tiles
    n2 map_entry inner [i = ti:ti + 4, j = 0:8]
    n3 map_exit inner
    n4 tasklet tasklet_0 (a -> b) {b = 2 * a}
    n5 access A
    n6 access B
    n7 access A_local
    e0 n5 -> n0.IN_A  A[0:8, 0:8]
    e2 n2.OUT_A_local -> n4.a  A_local[i - ti, j]
    e3 n4.b -> n3.IN_B  B[i, j]
    e4 n3.OUT_B -> n1.IN_B  B[ti:ti + 4, 0:8]
    e5 n1.OUT_B -> n6  B[0:8, 0:8]
    e6 n0.OUT_A -> n7  A_local[0:4, 0:8] (other [ti:ti + 4, 0:8])
    e7 n7 -> n2.IN_A_local  A_local[0:4, 0:8]`);
  });

  describe('refuses', () => {
    it('data the outer map also writes, and containers other than the one asked for', () => {
      const inplace = program('inplace', { A: array(f64, [8]) }, (p, { A }) => {
        p.map('tiles')`ti = 0:8:4`.map('inner')`i = ti:ti + 4`.tasklet({ a: A.at`i` }, { b: A.at`i` })`b = a + 1`;
      });
      assert.deepEqual(refusals(inplace.sdfg, inLocalStorage), ['A is also written inside map tiles']);
      assert.deepEqual(refusals(tiled().sdfg, inLocalStorage, { array: 'Q' }), ['the edge carries A, not Q']);
    });

    it('dynamic accesses', () => {
      const dynamic = program('dynamic', { N: symbol, A: array(f64, ['N', 4]), B: array(f64, ['N']) }, (p, { N, A, B }) => {
        p.map('rows')`r = 0:${N}`.map('cols')`c = 0:4`.tasklet({ a: A.at`r, 0:4`.dynamic() }, { b: B.at`r`.wcr('+') })`b = a[c]`;
      });
      assert.deepEqual(refusals(dynamic.sdfg, inLocalStorage), ['the accesses to A are dynamic']);
    });
  });

  describe('preserves what programs compute', () => {
    it('tiled maps of random sizes and tile sizes', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 9 }), M: fc.integer({ min: 1, max: 5 }), tile: fc.integer({ min: 2, max: 4 }) }),
      program: ({ tile }) => {
        const made = program('scale', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
          p.map`i = 0:${N}, j = 0:${M}`.tasklet({ a: A.at`i, j`, c: A.at`${N} - 1 - i, j` }, { b: B.at`i, j` })`b = 2 * a - c + j`;
        });
        applyEverywhere(made.sdfg, mapTiling, { tileSizes: [tile] });
        return made;
      },
      symbols: ({ N, M }) => ({ N, M }),
      transform: { transformation: inLocalStorage },
      check: (after) => assert.ok(Object.keys(after.arrays).some((n) => n.endsWith('_local'))),
      numRuns: 8,
    }));
  });
});
