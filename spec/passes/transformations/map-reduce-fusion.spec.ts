// MapReduceFusion: exact text of a map fused with the Reduce of its output, refusals, and differential runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, int, printSDFG, type Expr } from '../../../index.js';
import type { SDFG, State } from '../../../graph/sdfg.js';
import type { Wcr } from '../../../graph/memlet.js';
import { makeMemlet } from '../../../graph/memlet.js';
import { addEdge, addNode } from '../../../graph/construct.js';
import { dataShape } from '../../../graph/data.js';
import { fullSubset } from '../../../graph/subsets.js';
import { validate } from '../../../graph/validate.js';
import { mapReduceFusion } from '../../../passes/transformations/map-reduce-fusion.js';
import { applyOnce, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';

type Op = 'sum' | 'product' | 'min' | 'max';

/** Append `Reduce(t) -> out` to the state where the builder left the map writing `t` (the builder puts library nodes in states of their own). */
function appendReduce(sdfg: SDFG, axes: number[] | null, wcr: Wcr, identity: number | null, accumulate = false): SDFG {
  const state = sdfg.blocks[0] as State;
  const t = state.nodes.find((n) => n.kind === 'AccessNode' && n.data === 't')!;
  const reduce = addNode(state, {
    kind: 'LibraryNode', label: 'reduce_0', op: { name: 'Reduce', axes, wcr, identity }, implementation: null, schedule: 'Default',
    inConnectors: { _in: null }, outConnectors: { _out: null },
  });
  const out = addNode(state, { kind: 'AccessNode', label: 'out', data: 'out', setzero: false, inConnectors: {}, outConnectors: {} });
  addEdge(state, t, null, reduce, '_in', makeMemlet('t', fullSubset(dataShape(sdfg.arrays.t!))));
  addEdge(state, reduce, '_out', out, null, makeMemlet('out', fullSubset(dataShape(sdfg.arrays.out!)), accumulate ? { wcr } : {}));
  validate(sdfg);
  return sdfg;
}

/** out = reduce(t) where t[i, j] = A[i, j] * A[i, j] over a map shifted by `shift`. */
function squares(axes: number[] | null, op: Op, identity: number | null, shift = 0, accumulate = false): SDFG {
  const outShape = axes === null || axes.length === 2 ? [1] : axes[0] === 1 ? ['N'] : ['M'];
  const made = program('squares', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), out: array(f64, outShape) }, (p, { N, M, A }) => {
    const t = p.transient('t', f64, [N, M]);
    const r: Record<string, [Expr, Expr]> = { i: [int(shift), N.add(shift)], j: [int(0), M] };
    p.state('s', (b) => { b.map(r).tasklet({ a: A.at`i - ${shift}, j` }, { o: t.at`i - ${shift}, j` })`o = a * a + j`; });
  });
  return appendReduce(made.sdfg, axes, { op }, identity, accumulate);
}

describe('MapReduceFusion', () => {
  it('writes the reduction directly from the map with wcr, after an identity-initializing state', () => {
    assert.equal(printSDFG(applyOnce(squares([1], 'sum', 0), mapReduceFusion)), `sdfg squares
  symbol M: int64
  symbol N: int64
  array A: float64[N, M]
  array out: float64[N]
  args A, out, N, M
  start s1
  state s0 "s"
    n0 map_entry map_0 [i = 0:N, j = 0:M]
    n1 map_exit map_0
    n2 tasklet tasklet_0 (a -> o) {o = a * a + j}
    n3 access A
    n6 access out
    e0 n3 -> n0.IN_A  A[0:N, 0:M]
    e1 n0.OUT_A -> n2.a  A[i, j]
    e2 n2.o -> n1.IN_out  out[i] (wcr sum)
    e3 n1.OUT_out -> n6  out[0:N] (volume M*N, wcr sum)
  state s1 "reduce_0_init"
    n0 tasklet reduce_0_identity (-> out) {out = 0.0}
    n1 access out
    n2 map_entry reduce_0_init [o0 = 0:N]
    n3 map_exit reduce_0_init
    e0 n2 -> n0  (empty)
    e1 n0.out -> n3.IN_out  out[o0]
    e2 n3.OUT_out -> n1  out[0:N]
  edge s1 -> s0`);
  });

  it('refuses a transient read elsewhere and a map that writes only part of what the Reduce reads', () => {
    const shared = squares([1], 'sum', 0);
    const state = shared.blocks[0] as State;
    const t = state.nodes.find((n) => n.kind === 'AccessNode' && n.data === 't')!;
    const copy = addNode(state, { kind: 'AccessNode', label: 'A', data: 'A', setzero: false, inConnectors: {}, outConnectors: {} });
    addEdge(state, t, null, copy, null, makeMemlet('t', fullSubset(dataShape(shared.arrays.t!))));
    assert.deepEqual(refusals(shared, mapReduceFusion), ['t has other readers besides reduce_0']);
    const partial = program('partial', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), out: array(f64, ['N']) }, (p, { N, M, A }) => {
      const t = p.transient('t', f64, [N, M]);
      p.state('s', (b) => { b.map`i = 1:${N}, j = 0:${M}`.tasklet({ a: A.at`i, j` }, { o: t.at`i, j` })`o = a`; });
    });
    assert.deepEqual(refusals(appendReduce(partial.sdfg, [1], { op: 'sum' }, 0), mapReduceFusion), ['map_0 writes t[1:N, 0:M] but reduce_0 reads t[0:N, 0:M]']);
  });

  it('refuses a map writing with wcr and a map writing the same element twice', () => {
    const twice = program('twice', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), out: array(f64, ['N']) }, (p, { N, M, A }) => {
      const t = p.transient('t', f64, [N, M]);
      p.state('s', (b) => { b.map`i = 0:${N}, j = 0:${M}, k = 0:2`.tasklet({ a: A.at`i, j` }, { o: t.at`i, j`.wcr('+') })`o = a`; });
    });
    assert.deepEqual(refusals(appendReduce(twice.sdfg, [1], { op: 'sum' }, 0), mapReduceFusion), ['map_0 writes t with write-conflict resolution']);
    const diagonal = program('diagonal', { N: symbol, A: array(f64, ['N', 'N']), out: array(f64, ['N']) }, (p, { N, A }) => {
      const t = p.transient('t', f64, [N, N]);
      p.state('s', (b) => { b.map`i = 0:${N}`.tasklet({ a: A.at`i, i` }, { o: t.at`i, i` })`o = a`; });
    });
    assert.deepEqual(refusals(appendReduce(diagonal.sdfg, [1], { op: 'sum' }, 0), mapReduceFusion), ['map_0 does not write each element of t[i, i] exactly once']);
  });

  it('preserves semantics for random axes, operators, identities and shifts', () => checkPreservesSemantics({
    params: fc.record({
      N: fc.integer({ min: 1, max: 5 }), M: fc.integer({ min: 1, max: 5 }), shift: fc.integer({ min: 0, max: 2 }),
      axes: fc.constantFrom<number[] | null>([0], [1], [0, 1], null), op: fc.constantFrom<Op>('sum', 'product', 'min', 'max'),
      identity: fc.constantFrom<number | null>(null, 0.5), accumulate: fc.boolean(),
    }).filter(({ identity, accumulate }) => !(accumulate && identity !== null)),
    program: ({ axes, op, identity, shift, accumulate }) => squares(axes, op, identity, shift, accumulate),
    symbols: ({ N, M }) => ({ N, M }),
    transform: { transformation: mapReduceFusion },
    check: (after) => assert.ok(!('t' in after.arrays)),
    numRuns: 20,
  }));
});
