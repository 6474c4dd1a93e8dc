// ReduceExpansion: exact text of an expanded Reduce (init state + wcr map), refusals, differential runs over shapes, axes and ops.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, f32, printSDFG } from '../../../index.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { reduceExpansion } from '../../../passes/transformations/reduce-expansion.js';
import { applyOnce, assertSameBehaviour, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { makeArray } from '../../../graph/data.js';
import { softmax } from '../../../samples/softmax.js';

const rowSum = program('row_sum', { N: symbol, M: symbol, x: array(f64, ['N', 'M']), y: array(f64, ['N']) }, (p, { x, y }) => {
  p.reduce(x, y, { op: '+', axes: [1], identity: 0 });
});
const total = program('total', { N: symbol, x: array(f64, ['N']), y: array(f64, [1]) }, (p, { x, y }) => {
  p.reduce(x, y, { op: 'max' });
});

type Op = '+' | '*' | 'min' | 'max';
/** A Reduce over a 3-D input along `axes`, keeping the other dimensions in order (or all as a one-element output). */
function reduction(axes: readonly number[], op: Op, identity: number | undefined, accumulate: boolean) {
  const kept = [0, 1, 2].filter((d) => !axes.includes(d));
  const sizes = ['N', 'M', 'K'];
  const outShape = kept.length ? kept.map((d) => sizes[d]!) : [1];
  return program('reduction', { N: symbol, M: symbol, K: symbol, x: array(f64, sizes), y: array(f64, outShape) }, (p, { x, y }) => {
    p.reduce(x, accumulate ? y.all.wcr(op) : y, { op, axes, ...(identity === undefined ? {} : { identity }) });
  });
}

function libraryNodes(sdfg: SDFG): number {
  return sdfg.blocks.reduce((n, b) => n + (b.kind === 'State' ? b.nodes.filter((x) => x.kind === 'LibraryNode').length : 0), 0);
}

describe('ReduceExpansion', () => {
  it('expands a Reduce into an identity-initializing state and a map accumulating with wcr', () => {
    assert.equal(printSDFG(applyOnce(rowSum.sdfg, reduceExpansion)), `sdfg row_sum
  symbol M: int64
  symbol N: int64
  array x: float64[N, M]
  array y: float64[N]
  args x, y, N, M
  start s1
  state s0 "reduce_0"
    n1 access x
    n2 access y
    n3 map_entry reduce_0 [r0 = 0:N, r1 = 0:M]
    n4 map_exit reduce_0
    n5 tasklet reduce_0_combine (inp -> out) {out = inp}
    e2 n1 -> n3.IN_x  x[0:N, 0:M]
    e3 n3.OUT_x -> n5.inp  x[r0, r1]
    e4 n5.out -> n4.IN_y  y[r0] (wcr sum)
    e5 n4.OUT_y -> n2  y[0:N] (volume M*N, wcr sum)
  state s1 "reduce_0_init"
    n0 tasklet reduce_0_identity (-> out) {out = 0.0}
    n1 access y
    n2 map_entry reduce_0_init [o0 = 0:N]
    n3 map_exit reduce_0_init
    e0 n2 -> n0  (empty)
    e1 n0.out -> n3.IN_y  y[o0]
    e2 n3.OUT_y -> n1  y[0:N]
  edge s1 -> s0`);
  });

  it('starts a reduction without identity from the neutral element, in a plain tasklet for one element', () => {
    assert.equal(printSDFG(applyOnce(total.sdfg, reduceExpansion)), `sdfg total
  symbol N: int64
  array x: float64[N]
  array y: float64[1]
  args x, y, N
  start s1
  state s0 "reduce_0"
    n1 access x
    n2 access y
    n3 map_entry reduce_0 [r0 = 0:N]
    n4 map_exit reduce_0
    n5 tasklet reduce_0_combine (inp -> out) {out = inp}
    e2 n1 -> n3.IN_x  x[0:N]
    e3 n3.OUT_x -> n5.inp  x[r0]
    e4 n5.out -> n4.IN_y  y[0] (wcr max)
    e5 n4.OUT_y -> n2  y[0] (volume N, wcr max)
  state s1 "reduce_0_init"
    n0 tasklet reduce_0_identity (-> out) {out = -1.0 / 0.0}
    n1 access y
    e0 n0.out -> n1  y[0]
  edge s1 -> s0`);
  });

  it('refuses a custom wcr without identity and an output accumulating with another operator', () => {
    const custom = program('custom', { N: symbol, x: array(f64, ['N']), y: array(f64, [1]) }, (p, { x, y }) => {
      p.reduce(x, y, { op: '+' });
    });
    const node = custom.sdfg.blocks.flatMap((b) => (b.kind === 'State' ? b.nodes : [])).find((n) => n.kind === 'LibraryNode')!;
    if (node.kind === 'LibraryNode' && node.op.name === 'Reduce') node.op.wcr = { op: 'custom', params: ['a', 'b'], body: { k: 'name', name: 'a' } };
    assert.deepEqual(refusals(custom.sdfg, reduceExpansion), ['reduce_0: a custom wcr needs an identity to start from']);
    const mixed = program('mixed', { N: symbol, x: array(f64, ['N']), y: array(f64, [1]) }, (p, { x, y }) => {
      p.reduce(x, y.all.wcr('max'), { op: '+' });
    });
    assert.deepEqual(refusals(mixed.sdfg, reduceExpansion), ['reduce_0: its output accumulates with wcr max, unlike the reduction\'s sum']);
  });

  it('refuses an output read in the same state before the reduction', () => {
    const state = program('reads', { N: symbol, x: array(f64, ['N']), y: array(f64, [1]) }, (p, { x, y }) => {
      p.reduce(x, y, { op: '+' });
    });
    const s = state.sdfg.blocks[0]!;
    if (s.kind !== 'State') throw new Error('expected a state');
    s.nodes.push({ kind: 'AccessNode', id: s.nextNodeId++, label: 'y', data: 'y', setzero: false, inConnectors: {}, outConnectors: {} });
    assert.deepEqual(refusals(state.sdfg, reduceExpansion), ['y is also accessed in state reduce_0 outside the result of reduce_0']);
  });

  it('preserves semantics for random axes, operators, identities and accumulating outputs', () => checkPreservesSemantics({
    params: fc.record({
      N: fc.integer({ min: 1, max: 4 }), M: fc.integer({ min: 1, max: 4 }), K: fc.integer({ min: 1, max: 4 }),
      axes: fc.subarray([0, 1, 2], { minLength: 1 }), op: fc.constantFrom<Op>('+', '*', 'min', 'max'),
      identity: fc.option(fc.constantFrom(0.5, -0.25), { nil: undefined }), accumulate: fc.boolean(),
    }).filter(({ identity, accumulate }) => !(accumulate && identity !== undefined)),
    program: ({ axes, op, identity, accumulate }) => reduction(axes, op, identity, accumulate),
    symbols: ({ N, M, K }) => ({ N, M, K }),
    transform: { transformation: reduceExpansion },
    check: (after) => assert.equal(libraryNodes(after), 0),
    numRuns: 20,
  }));

  it('preserves semantics of the softmax sample (f32)', () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 4 }), M: fc.integer({ min: 1, max: 6 }) }),
    program: () => softmax, symbols: (s) => s, transform: { transformation: reduceExpansion }, numRuns: 5,
  }));

  it('casts when the output type differs from the input type (as graphs from JSON may have it)', () => {
    const narrow = program('narrow', { N: symbol, x: array(f64, ['N']), y: array(f64, [1]) }, (p, { x, y }) => {
      p.reduce(x, y, { op: '+', identity: 0 });
    });
    narrow.sdfg.arrays.y = makeArray(f32, [1]);
    const after = applyOnce(narrow.sdfg, reduceExpansion);
    assert.match(printSDFG(after), /\{out = f32\(inp\)\}/);
    assertSameBehaviour(narrow.sdfg, after, { N: 5, x: new Float64Array([0.5, 1.25, -2, 3, 0.125]), y: new Float32Array(1) });
  });
});
