// MapCollapse: exact text of a collapsed pair of maps, its refusals, and differential runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { mapCollapse } from '../../../passes/transformations/map-collapse.js';
import { mapExpansion } from '../../../passes/transformations/map-expansion.js';
import { applyEverywhere, applyOnce, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { gemm } from '../../../samples/gemm.js';
import { jacobi2d } from '../../../samples/jacobi-2d.js';

const nested = program('nested', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
  p.map`i = 0:${N}`.map`j = 1:${M}`.tasklet({ a: A.at`i, j - 1` }, { b: B.at`i, j` })`b = a * i`;
});

/** Two or three nested maps with shifted ranges; the innermost body reads all parameters. */
function deep(depth: 2 | 3, shift: number) {
  return program('deep', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
    const outer = p.map`i = ${shift}:${N}`;
    const middle = depth === 3 ? outer.map`j = 0:${M}`.map`k = 0:2` : outer.map`j = 0:${M}`;
    middle.tasklet({ a: A.at`i - ${shift}, j` }, { b: B.at`i, j`.wcr('+') })`b = a + i * j`;
  });
}

describe('MapCollapse', () => {
  it('joins a directly nested map as extra dimensions', () => {
    assert.equal(printSDFG(applyOnce(nested.sdfg, mapCollapse)), `sdfg nested
  symbol M: int64
  symbol N: int64
  array A: float64[N, M]
  array B: float64[N, M]
  args A, B, N, M
  state s0 "map_0"
    n0 map_entry map_0 [i = 0:N, j = 1:M] collapse 2
    n1 map_exit map_0
    n4 tasklet tasklet_0 (a -> b) {b = a * i}
    n5 access A
    n6 access B
    e0 n5 -> n0.IN_A  A[0:N, 0:M - 1]
    e5 n1.OUT_B -> n6  B[0:N, 1:M]
    e6 n0.OUT_A -> n4.a  A[i, j - 1]
    e7 n4.b -> n1.IN_B  B[i, j]`);
  });

  it('refuses a triangular nest, a map with more than a map inside, and a sequential inner map with carried writes', () => {
    const triangular = program('tri', { N: symbol, A: array(f64, ['N', 'N']), B: array(f64, ['N', 'N']) }, (p, { N, A, B }) => {
      p.map`i = 0:${N}`.map`j = 0:${N} - i`.tasklet({ a: A.at`i, j` }, { b: B.at`i, j` })`b = a`;
    });
    assert.deepEqual(refusals(triangular.sdfg, mapCollapse), ['the range of j depends on i', 'map_1 does not hold exactly one map and nothing else']);
    const carried = program('carried', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N']) }, (p, { N, M, A, B }) => {
      p.map`i = 0:${N}`.map`j = 0:${M}`.schedule('Sequential').tasklet({ a: A.at`i, j` }, { b: B.at`i` })`b = a`;
    });
    assert.deepEqual(refusals(carried.sdfg, mapCollapse), ['map_1 is Sequential and every value of j writes B at the same place', 'map_1 does not hold exactly one map and nothing else']);
  });

  it('preserves semantics of random nests (collapsed to one map)', () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 6 }), M: fc.integer({ min: 1, max: 6 }), shift: fc.integer({ min: 0, max: 2 }), depth: fc.constantFrom(2 as const, 3 as const) }),
    program: ({ depth, shift }) => deep(depth, shift),
    symbols: ({ N, M, shift }) => ({ N: N + shift, M }),
    transform: { transformation: mapCollapse },
    check: (after, { depth }) => {
      const entries = after.blocks.flatMap((b) => (b.kind === 'State' ? b.nodes.filter((n) => n.kind === 'MapEntry') : []));
      assert.equal(entries.length, 1);
      assert.equal(entries[0]!.kind === 'MapEntry' && entries[0]!.map.params.length, depth);
    },
  }));

  it('preserves semantics of the samples expanded and collapsed again', () => {
    const roundTrip = (sdfg: SDFG): number => applyEverywhere(sdfg, mapExpansion) + applyEverywhere(sdfg, mapCollapse);
    const cases = [
      { sdfg: gemm.sdfg, symbols: (n: number) => ({ NI: n, NJ: n + 1, NK: 2 }) },
      { sdfg: jacobi2d.sdfg, symbols: (n: number) => ({ N: n + 2, TSTEPS: 2 }) },
    ];
    for (const { sdfg, symbols } of cases) checkPreservesSemantics({ params: fc.integer({ min: 1, max: 6 }), program: () => sdfg, symbols, transform: roundTrip, numRuns: 4 });
  });
});
