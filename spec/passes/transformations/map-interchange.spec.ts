// MapInterchange: exact text of permuted and swapped maps, its refusals, and differential runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import { mapInterchange } from '../../../passes/transformations/map-interchange.js';
import { applyOnce, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { gemm } from '../../../samples/gemm.js';
import { axpy } from '../../../samples/axpy.js';

const add2 = program('add2', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
  p.map`i = 0:${N}, j = 0:${M}`.tasklet({ a: A.at`i, j` }, { b: B.at`i, j` })`b = a + j`;
});
const nested = program('nested', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
  p.map`i = 0:${N}`.map`j = 1:${M}`.tasklet({ a: A.at`i, j - 1` }, { b: B.at`i, j` })`b = a * i`;
});

function cube(shift: number) {
  return program('cube', { N: symbol, M: symbol, K: symbol, A: array(f64, ['N', 'M', 'K']), s: array(f64, ['N']) }, (p, { N, M, K, A, s }) => {
    p.map`i = ${shift}:${N}, j = 0:${M}, k = 0:${K}`.tasklet({ x: A.at`i, j, k` }, { y: s.at`i`.wcr('+') })`y = x * (j + 1) - k`;
  });
}

describe('MapInterchange', () => {
  it('swaps the two outermost dimensions of a map', () => {
    assert.equal(printSDFG(applyOnce(add2.sdfg, mapInterchange)), `sdfg add2
  symbol M: int64
  symbol N: int64
  array A: float64[N, M]
  array B: float64[N, M]
  args A, B, N, M
  state s0 "map_0"
    n0 map_entry map_0 [j = 0:M, i = 0:N]
    n1 map_exit map_0
    n2 tasklet tasklet_0 (a -> b) {b = a + j}
    n3 access A
    n4 access B
    e0 n3 -> n0.IN_A  A[0:N, 0:M]
    e1 n0.OUT_A -> n2.a  A[i, j]
    e2 n2.b -> n1.IN_B  B[i, j]
    e3 n1.OUT_B -> n4  B[0:N, 0:M]`);
  });

  it('swaps a map with the map nested directly in it', () => {
    assert.equal(printSDFG(applyOnce(nested.sdfg, mapInterchange)), `sdfg nested
  symbol M: int64
  symbol N: int64
  array A: float64[N, M]
  array B: float64[N, M]
  args A, B, N, M
  state s0 "map_0"
    n0 map_entry map_0 [j = 1:M]
    n1 map_exit map_0
    n2 map_entry map_1 [i = 0:N]
    n3 map_exit map_1
    n4 tasklet tasklet_0 (a -> b) {b = a * i}
    n5 access A
    n6 access B
    e0 n5 -> n0.IN_A  A[0:N, 0:M - 1]
    e1 n0.OUT_A -> n2.IN_A  A[0:N, j - 1]
    e2 n2.OUT_A -> n4.a  A[i, j - 1]
    e3 n4.b -> n3.IN_B  B[i, j]
    e4 n3.OUT_B -> n1.IN_B  B[0:N, j]
    e5 n1.OUT_B -> n6  B[0:N, 1:M]`);
  });

  it('refuses orders that are not permutations or change nothing, and one-dimensional maps', () => {
    assert.deepEqual(refusals(add2.sdfg, mapInterchange, { order: [0, 0] }), ['the order [0, 0] is not a permutation of the 2 dimensions of map_0']);
    assert.deepEqual(refusals(add2.sdfg, mapInterchange, { order: [0, 1] }), ['the order [0, 1] leaves map_0 as it is']);
    assert.deepEqual(refusals(nested.sdfg, mapInterchange, { order: [0, 1, 2] }), ['swapping two nested maps takes the order [1, 0], got [0, 1, 2]']);
    assert.deepEqual(refusals(axpy.sdfg, mapInterchange), []);
  });

  it('refuses a triangular nest and a sequential map whose iterations depend on each other', () => {
    const triangular = program('tri', { N: symbol, A: array(f64, ['N', 'N']), B: array(f64, ['N', 'N']) }, (p, { N, A, B }) => {
      p.map`i = 0:${N}`.map`j = 0:${N} - i`.tasklet({ a: A.at`i, j` }, { b: B.at`i, j` })`b = a`;
    });
    assert.deepEqual(refusals(triangular.sdfg, mapInterchange), ['the range of j depends on i']);
    const scan = program('scan', { N: symbol, M: symbol, A: array(f64, ['N', 'M']) }, (p, { N, M, A }) => {
      p.map`i = 0:${N}, j = 1:${M}`.schedule('Sequential').tasklet({ a: A.at`i, j - 1` }, { b: A.at`i, j` })`b = a + 1`;
    });
    assert.deepEqual(refusals(scan.sdfg, mapInterchange), ['map_0 is Sequential and reads A where other iterations write it']);
  });

  it('preserves semantics for every permutation of a 3-D map', () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 4 }), M: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 4 }), shift: fc.integer({ min: 0, max: 2 }), order: fc.constantFrom([1, 0, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1], [0, 2, 1]) }),
    program: ({ shift }) => cube(shift),
    symbols: ({ N, M, K, shift }) => ({ N: N + shift, M, K }),
    transform: { transformation: mapInterchange, limit: 1 },
    optionsFor: ({ order }) => ({ order }),
  }));

  it('preserves semantics of swapped nested maps and of the samples', () => {
    checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 6 }), M: fc.integer({ min: 1, max: 6 }) }),
      program: () => nested, symbols: ({ N, M }) => ({ N, M: M + 1 }), transform: { transformation: mapInterchange }, mode: 'each', numRuns: 6,
    });
    checkPreservesSemantics({
      params: fc.integer({ min: 1, max: 5 }), program: () => gemm, symbols: (n) => ({ NI: n, NJ: n + 2, NK: 3 }),
      transform: { transformation: mapInterchange }, mode: 'each', numRuns: 4,
    });
  });
});
