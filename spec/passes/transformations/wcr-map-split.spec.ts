// WcrMapSplit: exact text of a split map, each refusal, and differential runs on generated programs and samples.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, i32, printSDFG } from '../../../index.js';
import { wcrMapSplit } from '../../../passes/transformations/wcr-map-split.js';
import { applyOnce, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { gemm } from '../../../samples/gemm.js';
import { histogram } from '../../../samples/histogram.js';

/** rows[i] += A[i, j] (a sum over the innermost parameter). */
const rowSums = program('row_sums', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), rows: array(f64, ['N']) }, (p, { N, M, A, rows }) => {
  p.map`i = 0:${N}, j = 0:${M}`.tasklet({ a: A.at`i, j` }, { r: rows.at`i`.wcr('+') })`r = a`;
});

/** out[i, k] = max over j of A[i + s, j] * k, with the reduced parameter in the middle and a shifted index. */
function middleReduction(shift: number, op: '+' | 'max') {
  return program('middle', { N: symbol, M: symbol, K: symbol, A: array(f64, ['N', 'M']), out: array(f64, ['N', 'K']) }, (p, { N, M, K, A, out }) => {
    p.map`i = ${shift}:${N}, k = 0:${K}, j = 0:${M}`.tasklet({ a: A.at`i - ${shift}, j` }, { o: out.at`i - ${shift}, k`.wcr(op) })`o = a * k`;
  });
}

describe('WcrMapSplit', () => {
  it('nests a sequential map over the reduced parameters inside a map over the output parameters', () => {
    assert.equal(printSDFG(applyOnce(rowSums.sdfg, wcrMapSplit)), `sdfg row_sums
  symbol M: int64
  symbol N: int64
  array A: float64[N, M]
  array rows: float64[N]
  args A, rows, N, M
  state s0 "map_0"
    n0 map_entry map_0_reduce [j = 0:M] Sequential
    n1 map_exit map_0_reduce
    n2 tasklet tasklet_0 (a -> r) {r = a}
    n3 access A
    n4 access rows
    n5 map_entry map_0 [i = 0:N]
    n6 map_exit map_0
    e0 n3 -> n5.IN_A  A[0:N, 0:M]
    e1 n0.OUT_A -> n2.a  A[i, j]
    e2 n2.r -> n1.IN_rows  rows[i] (wcr sum)
    e3 n6.OUT_rows -> n4  rows[0:N] (volume M*N, wcr sum)
    e4 n5.OUT_A -> n0.IN_A  A[i, 0:M]
    e5 n1.OUT_rows -> n6.IN_rows  rows[i] (volume M, wcr sum)`);
  });

  it('refuses where nothing is reduced, where conflicts would remain, and where the inner loop would lose its innermost parameter', () => {
    const copy = program('copy', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
      p.map`i = 0:${N}, j = 0:${M}`.tasklet({ a: A.at`i, j` }, { b: B.at`i, j`.wcr('+') })`b = a`;
    });
    assert.deepEqual(refusals(copy.sdfg, wcrMapSplit), ['every parameter of map_0 indexes its wcr output: nothing is reduced']);
    const total = program('total', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), s: array(f64, [1]) }, (p, { N, M, A, s }) => {
      p.map`i = 0:${N}, j = 0:${M}`.tasklet({ a: A.at`i, j` }, { o: s.at`0`.wcr('+') })`o = a`;
    });
    assert.deepEqual(refusals(total.sdfg, wcrMapSplit), ['no parameter of map_0 indexes its wcr output: every iteration updates the same elements']);
    const diagonal = program('diagonal', { N: symbol, A: array(f64, ['N', 'N']), d: array(f64, ['N', 'N']) }, (p, { N, A, d }) => {
      p.map`i = 0:${N}, j = 0:${N}, k = 0:${N}`.tasklet({ a: A.at`i, k` }, { o: d.at`i + j, 0`.wcr('+') })`o = a`;
    });
    assert.deepEqual(refusals(diagonal.sdfg, wcrMapSplit), ['d is not written at one element per value of i: conflicts would remain']);
    const columns = program('columns', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), cols: array(f64, ['M']) }, (p, { N, M, A, cols }) => {
      p.map`i = 0:${N}, j = 0:${M}`.tasklet({ a: A.at`i, j` }, { c: cols.at`j`.wcr('+') })`c = a`;
    });
    assert.deepEqual(refusals(columns.sdfg, wcrMapSplit), ['only j indexes the output of map_0, and it walks memory contiguously: kept innermost, it leaves nothing to run in parallel']);
    assert.equal(refusals(columns.sdfg, wcrMapSplit, { order: 'given' }).length, 0);
    assert.ok(refusals(histogram.sdfg, wcrMapSplit).every((r) => r.includes('data-dependent') || r.includes('one dimension')), refusals(histogram.sdfg, wcrMapSplit).join('\n'));
  });

  it('preserves semantics with the reduced parameter anywhere (sum and max, shifted ranges)', () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 5 }), M: fc.integer({ min: 1, max: 5 }), K: fc.integer({ min: 1, max: 4 }), s: fc.integer({ min: 0, max: 2 }), max: fc.boolean() }),
    program: ({ s, max }) => middleReduction(s, max ? 'max' : '+'),
    symbols: ({ N, M, K, s }) => ({ N: N + s, M, K }),
    transform: { transformation: wcrMapSplit, options: { order: 'given' } },
    check: (after) => {
      const maps = after.blocks.flatMap((b) => (b.kind === 'State' ? b.nodes : [])).flatMap((n) => (n.kind === 'MapEntry' ? [n.map.params.join(',')] : []));
      assert.deepEqual(maps.sort(), ['i,k', 'j']);
    },
  }));

  it('keeps the parameter that walks memory in order innermost, also one of the output\'s (gemm: i around k, j)', () => {
    const after = applyOnce(gemm.sdfg, wcrMapSplit);
    const maps = after.blocks.flatMap((b) => (b.kind === 'State' ? b.nodes : [])).flatMap((n) => (n.kind === 'MapEntry' ? [`${n.map.label} [${n.map.params.join(', ')}]`] : []));
    assert.ok(maps.includes('multiply [i]') && maps.includes('multiply_reduce [k, j]'), maps.join('; '));
    const given = applyOnce(gemm.sdfg, wcrMapSplit, { order: 'given' });
    const givenMaps = given.blocks.flatMap((b) => (b.kind === 'State' ? b.nodes : [])).flatMap((n) => (n.kind === 'MapEntry' ? [`${n.map.label} [${n.map.params.join(', ')}]`] : []));
    assert.ok(givenMaps.includes('multiply [i, j]') && givenMaps.includes('multiply_reduce [k]'), givenMaps.join('; '));
  });

  it('preserves semantics of gemm and of an integer sum', () => {
    checkPreservesSemantics({ params: fc.integer({ min: 1, max: 5 }), program: () => gemm, symbols: (n) => ({ NI: n, NJ: n + 1, NK: 3 }), transform: { transformation: wcrMapSplit }, numRuns: 4 });
    const counts = program('counts', { N: symbol, M: symbol, A: array(i32, ['N', 'M']), c: array(i32, ['N']) }, (p, { N, M, A, c }) => {
      p.map`i = 0:${N}, j = 0:${M}`.tasklet({ a: A.at`i, j` }, { o: c.at`i`.wcr('+') })`o = a & 7`;
    });
    checkPreservesSemantics({ params: fc.integer({ min: 1, max: 6 }), program: () => counts, symbols: (n) => ({ N: n, M: 7 - n }), transform: { transformation: wcrMapSplit }, numRuns: 6 });
  });
});
