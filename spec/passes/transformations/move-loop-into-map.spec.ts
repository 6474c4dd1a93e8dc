// MoveLoopIntoMap: the loop moved into the map as a nested SDFG (exact text), each refusal, and differential runs on
// generated recurrences and on the kernels that have the pattern (deriche, vadv).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, scalar, f64, printSDFG } from '../../../index.js';
import { moveLoopIntoMap } from '../../../passes/transformations/move-loop-into-map.js';
import { applyOnce, assertSameBehaviour, checkPreservesSemantics, refusals, applyEverywhere } from '../../support/transformation-harness.js';
import { cloneSDFG } from '../../../graph/clone.js';
import { kernelList } from '../../../kernels/index.js';

/** y[i, t] = c·y[i, t - 1] + x[i, t + shift]: a recurrence along t, independent along i. */
function recurrence(shift: number) {
  return program('recurrence', { N: symbol, T: symbol, x: array(f64, ['N', 'T']), y: array(f64, ['N', 'T']) }, (p, { N, T, x, y }) => {
    p.for`t = 1:${T} - ${shift}`((t) => {
      p.map('step')`i = 0:${N}`.tasklet({ prev: y.at`i, ${t} - 1`, xi: x.at`i, ${t} + ${shift}` }, { o: y.at`i, ${t}` })`o = 0.5 * prev + xi`;
    });
  });
}

describe('MoveLoopIntoMap', () => {
  it('puts the loop, its map dissolved, in a nested SDFG inside the map', () => {
    assert.equal(printSDFG(applyOnce(recurrence(0).sdfg, moveLoopIntoMap)), `sdfg recurrence
  symbol N: int64
  symbol T: int64
  array x: float64[N, T]
  array y: float64[N, T]
  args x, y, N, T
  state s1 "loop_t_0_in_step"
    n0 map_entry step [i = 0:N]
    n1 map_exit step
    n2 nested_sdfg loop_t_0_i (x, y -> y) with N = N, T = T, i = i
      sdfg loop_t_0_i
        symbol N: int64
        symbol T: int64
        symbol i: int64
        symbol t: int64
        array x: float64[N, T]
        array y: float64[N, T]
        args x, y
        loop l0 "loop_t_0" for (t = 1; t < T; t = t + 1)
          state s0 "step"
            n2 tasklet tasklet_0 (prev, xi -> o) {o = 0.5 * prev + xi}
            n3 access y
            n4 access x
            n5 access y
            e6 n3 -> n2.prev  y[i, t - 1]
            e7 n4 -> n2.xi  x[i, t]
            e8 n2.o -> n5  y[i, t]
    n3 access x
    n4 access y
    n5 access y
    e0 n3 -> n0.IN_x  x[0:N, 0:T] (volume N**2*T)
    e1 n0.OUT_x -> n2.x  x[0:N, 0:T]
    e2 n4 -> n0.IN_y  y[0:N, 0:T] (volume N**2*T)
    e3 n0.OUT_y -> n2.y  y[0:N, 0:T]
    e4 n2.y -> n1.IN_y  y[0:N, 0:T]
    e5 n1.OUT_y -> n5  y[0:N, 0:T] (volume N**2*T)`);
  });

  it('refuses loops of another shape, and maps whose iterations share what they write', () => {
    const two = program('two', { N: symbol, T: symbol, y: array(f64, ['N', 'T']), z: array(f64, ['N']) }, (p, { N, T, y, z }) => {
      p.for`t = 0:${T}`((t) => {
        p.map('a')`i = 0:${N}`.tasklet({}, { o: y.at`i, ${t}` })`o = 1.0`;
        p.map('b')`i = 0:${N}`.tasklet({}, { o: z.at`i` })`o = 2.0`;
      });
    });
    assert.deepEqual(refusals(two.sdfg, moveLoopIntoMap), ['the body of loop loop_t_0 is not a single state']);
    const none = program('none', { T: symbol, s: scalar(f64) }, (p, { T, s }) => {
      p.for`t = 0:${T}`(() => { p.tasklet({ a: s }, { b: s })`b = a + 1.0`; });
    });
    assert.deepEqual(refusals(none.sdfg, moveLoopIntoMap), ['the body of loop loop_t_0 holds 0 maps at its top level, not one']);
    const neighbours = program('neighbours', { N: symbol, T: symbol, y: array(f64, ['N', 'T']) }, (p, { N, T, y }) => {
      p.for`t = 1:${T}`((t) => {
        p.map('blur')`i = 1:${N} - 1`.tasklet({ l: y.at`i - 1, ${t} - 1`, r: y.at`i + 1, ${t} - 1` }, { o: y.at`i, ${t}` })`o = l + r`;
      });
    });
    assert.deepEqual(refusals(neighbours.sdfg, moveLoopIntoMap), ['the iterations of map blur do not touch disjoint parts of y: t would carry values between them']);
    const diagonal = program('diagonal', { N: symbol, T: symbol, y: array(f64, ['N', 'T']) }, (p, { N, T, y }) => {
      p.for`t = 0:${T}`((t) => { p.map('d')`i = 0:${N}`.tasklet({}, { o: y.at`(i + ${t}) % ${N}, ${t}` })`o = 1.0`; });
    });
    assert.deepEqual(refusals(diagonal.sdfg, moveLoopIntoMap), ['the iterations of map d do not touch disjoint parts of y: t would carry values between them']);
    const growing = program('growing', { T: symbol, y: array(f64, ['T', 'T']) }, (p, { T, y }) => {
      p.for`t = 0:${T}`((t) => { p.map('g')`i = 0:${t}`.tasklet({}, { o: y.at`i, ${t}` })`o = 1.0`; });
    });
    assert.deepEqual(refusals(growing.sdfg, moveLoopIntoMap), ['the range of map g depends on t']);
    const sums = program('sums', { N: symbol, T: symbol, y: array(f64, ['N', 'T']), s: array(f64, ['N']) }, (p, { N, T, y, s }) => {
      p.for`t = 0:${T}`((t) => { p.map('sum')`i = 0:${N}`.tasklet({ v: y.at`i, ${t}` }, { o: s.at`i`.wcr('+') })`o = v`; });
    });
    assert.deepEqual(refusals(sums.sdfg, moveLoopIntoMap), ['map sum writes s with a write-conflict resolution']);
    const columns = program('columns', { N: symbol, T: symbol, y: array(f64, ['T', 'N']) }, (p, { N, T, y }) => {
      p.for`t = 1:${T}`((t) => { p.map('c')`i = 0:${N}`.tasklet({ v: y.at`${t} - 1, i` }, { o: y.at`${t}, i` })`o = 2.0 * v`; });
    });
    assert.deepEqual(refusals(columns.sdfg, moveLoopIntoMap), ['i indexes the contiguous dimension of y: the loop over t would stride through memory']);
    assert.deepEqual(refusals(columns.sdfg, moveLoopIntoMap, { keepContiguous: false }), []);
    // A loop whose bound is read from data (as DaCe files may hold) stays where it is: the nested SDFG could not see it.
    const bounded = cloneSDFG(program('bounded', { N: symbol, T: symbol, y: array(f64, ['N', 'T']), s: scalar(f64) }, (p, { N, T, y }) => {
      p.for`t = 0:${T}`((t) => { p.map('m')`i = 0:${N}`.tasklet({}, { o: y.at`i, ${t}` })`o = 1.0`; });
    }).sdfg);
    const loop = bounded.blocks.find((b) => b.kind === 'LoopRegion')!;
    assert.equal(loop.kind, 'LoopRegion');
    if (loop.kind === 'LoopRegion' && loop.condition.k === 'binary') loop.condition = { ...loop.condition, rhs: { k: 'name', name: 's' } };
    assert.deepEqual(refusals(bounded, moveLoopIntoMap), ['the header of loop loop_t_0 reads s']);
  });

  it('preserves what recurrences compute (random sizes, shifted reads)', () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 5 }), T: fc.integer({ min: 1, max: 6 }), shift: fc.integer({ min: 0, max: 1 }) }),
    program: ({ shift }) => recurrence(shift),
    symbols: ({ N, T, shift }) => ({ N, T: T + shift }),
    transform: { transformation: moveLoopIntoMap },
    check: (after) => assert.ok(!('t' in after.symbols), 'the loop variable left the outer SDFG'),
  }));

  it('preserves what deriche and vadv compute (both sweeps of each)', () => {
    for (const name of ['deriche', 'vadv']) {
      const kernel = kernelList.find((k) => k.name === name)!;
      const before = kernel.build('test').sdfg;
      const after = cloneSDFG(before);
      assert.equal(applyEverywhere(after, moveLoopIntoMap, { keepContiguous: false }), name === 'deriche' ? 4 : 2);
      // By default deriche's column sweeps stay (they would stride); vadv's sweeps carry a 2-D column along k and move.
      assert.equal(applyEverywhere(cloneSDFG(before), moveLoopIntoMap), 2);
      for (const seed of [1, 2]) assertSameBehaviour(before, after, kernel.init(kernel.presets.test, seed) as never, { rtol: 1e-12 });
    }
  });
});
