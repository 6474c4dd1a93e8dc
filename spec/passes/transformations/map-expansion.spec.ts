// MapExpansion: exact text of an expanded map, its refusals, and differential runs on generated programs and the samples.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import { mapExpansion } from '../../../passes/transformations/map-expansion.js';
import { applyOnce, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { axpy } from '../../../samples/axpy.js';
import { gemm } from '../../../samples/gemm.js';
import { jacobi2d } from '../../../samples/jacobi-2d.js';
import { softmax } from '../../../samples/softmax.js';

const add2 = program('add2', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
  p.map`i = 0:${N}, j = 0:${M}`.tasklet({ a: A.at`i, j` }, { b: B.at`i, j` })`b = a + j`;
});

/** B[i, j, k] = A[i - a, j - b, k] * i - k over a 3-D map with shifted ranges. */
function cube(a: number, b: number) {
  return program('cube', { N: symbol, M: symbol, K: symbol, A: array(f64, ['N', 'M', 'K']), B: array(f64, ['N', 'M', 'K']) }, (p, { N, M, K, A, B }) => {
    p.map`i = ${a}:${N}, j = ${b}:${M}, k = 0:${K}`.tasklet({ x: A.at`i - ${a}, j - ${b}, k` }, { y: B.at`i, j, k` })`y = x * i - k`;
  });
}

describe('MapExpansion', () => {
  it('nests one map per dimension, the inner ones sequential', () => {
    assert.equal(printSDFG(applyOnce(add2.sdfg, mapExpansion)), `sdfg add2
  symbol M: int64
  symbol N: int64
  array A: float64[N, M]
  array B: float64[N, M]
  args A, B, N, M
  state s0 "map_0"
    n0 map_entry map_0_j [j = 0:M] Sequential
    n1 map_exit map_0_j
    n2 tasklet tasklet_0 (a -> b) {b = a + j}
    n3 access A
    n4 access B
    n5 map_entry map_0 [i = 0:N]
    n6 map_exit map_0
    e0 n3 -> n5.IN_A  A[0:N, 0:M]
    e1 n0.OUT_A -> n2.a  A[i, j]
    e2 n2.b -> n1.IN_B  B[i, j]
    e3 n6.OUT_B -> n4  B[0:N, 0:M]
    e4 n5.OUT_A -> n0.IN_A  A[i, 0:M]
    e5 n1.OUT_B -> n6.IN_B  B[i, 0:M]`);
  });

  it('refuses a one-dimensional map and a candidate whose map is gone', () => {
    assert.deepEqual(refusals(axpy.sdfg, mapExpansion), ['map_0 has only one dimension']);
    const state = add2.sdfg.blocks[0]!;
    assert.equal(state.kind, 'State');
    if (state.kind !== 'State') return;
    assert.equal(mapExpansion.canApply(add2.sdfg, { sdfg: add2.sdfg, state, entry: 42 }, {}), 'node n42 is not a map entry in state map_0');
  });

  it('preserves semantics of 3-D maps with shifted ranges', () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 5 }), M: fc.integer({ min: 1, max: 5 }), K: fc.integer({ min: 1, max: 5 }), a: fc.integer({ min: 0, max: 2 }), b: fc.integer({ min: 0, max: 2 }) }),
    program: ({ a, b }) => cube(a, b),
    symbols: ({ N, M, K, a, b }) => ({ N: N + a, M: M + b, K }),
    transform: { transformation: mapExpansion },
    check: (after) => {
      for (const block of after.blocks) if (block.kind === 'State') for (const n of block.nodes) if (n.kind === 'MapEntry') assert.equal(n.map.params.length, 1);
    },
  }));

  it('preserves semantics of the samples', () => {
    const cases = [
      { sdfg: gemm.sdfg, symbols: (n: number) => ({ NI: n, NJ: n + 1, NK: 2 }) },
      { sdfg: jacobi2d.sdfg, symbols: (n: number) => ({ N: n + 2, TSTEPS: 2 }) },
      { sdfg: softmax.sdfg, symbols: (n: number) => ({ N: n, M: 3 }) },
    ];
    for (const { sdfg, symbols } of cases) checkPreservesSemantics({ params: fc.integer({ min: 1, max: 6 }), program: () => sdfg, symbols, transform: { transformation: mapExpansion }, numRuns: 4 });
  });
});
