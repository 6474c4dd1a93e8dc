// LoopToMap: exact text of converted loops (plain, nested, with wcr), refusals with their reasons, differential runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG, sym, type ArrayHandle, type Expr } from '../../../index.js';
import { cloneSDFG } from '../../../graph/clone.js';
import type { LoopRegion, SDFG } from '../../../graph/sdfg.js';
import { walkBlocks } from '../../../graph/query.js';
import { loopToMap } from '../../../passes/transformations/loop-to-map.js';
import { stateFusion } from '../../../passes/transformations/state-fusion.js';
import { applyEverywhere, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { jacobi2d } from '../../../samples/jacobi-2d.js';

const converted = (sdfg: SDFG): string => {
  applyEverywhere(sdfg, loopToMap);
  return printSDFG(sdfg);
};
const loops = (sdfg: SDFG): LoopRegion[] => [...walkBlocks(sdfg)].filter((b): b is LoopRegion => b.kind === 'LoopRegion');

describe('LoopToMap', () => {
  it('turns a loop with independent iterations into a map over the loop variable', () => {
    const ind = program('ind', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
      p.for`i = 0:${N}`((i) => { p.tasklet({ b: B.at`${i}` }, { a: A.at`${i}` })`a = b + 1`; });
    });
    assert.equal(converted(ind.sdfg), `sdfg ind
  symbol N: int64
  array A: float64[N]
  array B: float64[N]
  args A, B, N
  state s0 "tasklet_0"
    n0 tasklet tasklet_0 (b -> a) {a = b + 1}
    n1 access B
    n2 access A
    n3 map_entry loop_i_0 [i = 0:N]
    n4 map_exit loop_i_0
    e2 n1 -> n3.IN_B  B[0:N]
    e3 n3.OUT_B -> n0.b  B[i]
    e4 n0.a -> n4.IN_A  A[i]
    e5 n4.OUT_A -> n2  A[0:N]`);
  });

  it('converts nested loops inside out, nesting the maps', () => {
    const nested = program('nested', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
      p.for`i = 0:${N}`((i) => {
        p.for`j = 0:${M}`((j) => { p.tasklet({ b: B.at`${i}, ${j}` }, { a: A.at`${i}, ${j}` })`a = b + 1`; });
      });
    });
    assert.deepEqual(refusals(nested.sdfg, loopToMap), ['the body of loop loop_i_0 is a LoopRegion, not a state']);
    assert.equal(converted(nested.sdfg), `sdfg nested
  symbol M: int64
  symbol N: int64
  array A: float64[N, M]
  array B: float64[N, M]
  args A, B, N, M
  state s0 "tasklet_0"
    n0 tasklet tasklet_0 (b -> a) {a = b + 1}
    n1 access B
    n2 access A
    n3 map_entry loop_j_0 [j = 0:M]
    n4 map_exit loop_j_0
    n5 map_entry loop_i_0 [i = 0:N]
    n6 map_exit loop_i_0
    e3 n3.OUT_B -> n0.b  B[i, j]
    e4 n0.a -> n4.IN_A  A[i, j]
    e6 n1 -> n5.IN_B  B[0:N, 0:M]
    e7 n5.OUT_B -> n3.IN_B  B[i, 0:M]
    e8 n4.OUT_A -> n6.IN_A  A[i, 0:M]
    e9 n6.OUT_A -> n2  A[0:N, 0:M]`);
  });

  it('keeps conflicting writes that resolve with a wcr', () => {
    const acc = program('acc', { N: symbol, x: array(f64, ['N']), s: array(f64, [1]) }, (p, { N, x, s }) => {
      p.for`i = 0:${N}`((i) => { p.tasklet({ v: x.at`${i}` }, { r: s.at`0`.wcr('+') })`r = v`; });
    });
    assert.match(converted(acc.sdfg), /e4 n0\.r -> n4\.IN_s {2}s\[0\] \(wcr sum\)\n {4}e5 n4\.OUT_s -> n2 {2}s\[0\] \(volume N, wcr sum\)$/);
  });

  describe('refuses', () => {
    it('a loop-carried dependence (seidel-like A[i] = A[i - 1])', () => {
      const seidel = program('seidel', { N: symbol, A: array(f64, ['N']) }, (p, { N, A }) => {
        p.for`i = 1:${N}`((i) => { p.tasklet({ b: A.at`${i} - 1` }, { a: A.at`${i}` })`a = b + 1`; });
      });
      assert.deepEqual(refusals(seidel.sdfg, loopToMap), ['loop-carried dependence on A: written at A[i], read at A[i - 1]']);
    });

    it('an accumulation without wcr', () => {
      const acc = program('acc', { N: symbol, x: array(f64, ['N']), s: array(f64, [1]) }, (p, { N, x, s }) => {
        p.for`i = 0:${N}`((i) => { p.tasklet({ v: x.at`${i}`, o: s.at`0` }, { r: s.at`0` })`r = o + v`; });
      });
      assert.deepEqual(refusals(acc.sdfg, loopToMap), ['loop-carried dependence on s: written at s[0], read at s[0]']);
    });

    it('a body of several states, and a time loop whose fused body rewrites the same elements every iteration', () => {
      const j = cloneSDFG(jacobi2d.sdfg);
      assert.deepEqual(refusals(j, loopToMap), ['the body of loop loop_t_0 has 2 blocks']);
      applyEverywhere(j, stateFusion);
      assert.deepEqual(refusals(j, loopToMap), ['loop-carried dependence on A: written at A[1:N - 1, 1:N - 1], read at A[0:N, 0:N]']);
    });

    it('a while loop, a symbolic step, a bound that reads data', () => {
      const wh = program('wh', { N: symbol, A: array(f64, ['N']) }, (p, { N, A }) => {
        const k = p.symbol('k');
        p.while`${k} < ${N}`(() => { p.tasklet({}, { a: A.at`0` })`a = 1`; p.assign('k', k.add(1)); });
      });
      assert.deepEqual(refusals(wh.sdfg, loopToMap), ['loop while_0 has no loop variable']);
      const ind = program('ind', { N: symbol, S: symbol, A: array(f64, ['N']) }, (p, { N, A }) => {
        p.for`i = 0:${N}`((i) => { p.tasklet({}, { a: A.at`${i}` })`a = 1`; });
      });
      const loop = loops(ind.sdfg)[0]!;
      loop.update = { k: 'binary', op: '+', lhs: { k: 'name', name: 'i' }, rhs: { k: 'name', name: 'S' } };
      assert.deepEqual(refusals(ind.sdfg, loopToMap), ['the update of i does not add a constant']);
      loop.update = { k: 'binary', op: '+', lhs: { k: 'name', name: 'i' }, rhs: { k: 'num', value: 1, isFloat: false } };
      loop.condition = { k: 'binary', op: '<', lhs: { k: 'name', name: 'i' }, rhs: { k: 'index', name: 'A', indices: [{ k: 'num', value: 0, isFloat: false }] } };
      assert.deepEqual(refusals(ind.sdfg, loopToMap), ['the bound of i is not a symbolic expression']);
      loop.condition = { k: 'binary', op: '>', lhs: { k: 'name', name: 'i' }, rhs: { k: 'name', name: 'N' } };
      assert.deepEqual(refusals(ind.sdfg, loopToMap), ['the step 1 moves i away from its bound']);
    });

    it('a loop variable read after the loop', () => {
      const after = program('after', { N: symbol, A: array(f64, ['N']) }, (p, { N, A }) => {
        p.for`i = 0:${N}`((i) => { p.tasklet({}, { a: A.at`${i}` })`a = 1`; });
        p.tasklet({}, { a: A.at`0` })`a = 2`;
      });
      after.sdfg.symbols.k = after.sdfg.symbols.i!;
      after.sdfg.edges[0]!.assignments = { k: { k: 'name', name: 'i' } };
      assert.deepEqual(refusals(after.sdfg, loopToMap), ['the loop variable i is used outside the loop (an interstate edge)']);
    });
  });

  describe('preserves what programs compute', () => {
    type Body = { read: 'same' | 'reverse' | 'shift'; step: 1 | 2 | -1; map: boolean };
    /** A loop over i (up by 1 or 2, or down) reading another array at a related index, optionally with an inner map. */
    function loopProgram({ read, step, map }: Body) {
      return program('loop', { N: symbol, M: symbol, A: array(f64, ['N + 1', 'M']), B: array(f64, ['N + 1', 'M']) }, (p, { N, M, A, B }) => {
        const range = step === -1 ? p.for`i = ${N} - 1:-1:-1` : step === 2 ? p.for`i = 0:${N}:2` : p.for`i = 0:${N}`;
        range((i) => {
          const row = (h: ArrayHandle, col: Expr | number) => (read === 'reverse' ? h.at`${N} - 1 - ${i}, ${col}` : read === 'shift' ? h.at`${i} + 1, ${col}` : h.at`${i}, ${col}`);
          if (map) p.map`j = 0:${M}`.tasklet({ b: row(B, sym('j')), a0: A.at`${i}, j` }, { a: A.at`${i}, j` })`a = a0 + b * j`;
          else p.tasklet({ b: row(B, 0) }, { a: A.at`${i}, 0` })`a = 2 * b + ${i}`;
        });
      });
    }
    it('loops with tasklet or map bodies, steps 1, 2 and -1', () => checkPreservesSemantics({
      params: fc.record({
        N: fc.integer({ min: 1, max: 6 }), M: fc.integer({ min: 1, max: 4 }),
        body: fc.record({ read: fc.constantFrom('same', 'reverse', 'shift'), step: fc.constantFrom(1, 2, -1), map: fc.boolean() }) as fc.Arbitrary<Body>,
      }),
      program: ({ body }) => loopProgram(body),
      symbols: ({ N, M }) => ({ N, M }),
      transform: { transformation: loopToMap },
      check: (after) => assert.equal(loops(after).length, 0),
      numRuns: 20,
    }));

    it('converts exactly the loops whose iterations do not read what others write', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 2, max: 7 }), offset: fc.constantFrom(-2, -1, 0, 1, 2), step: fc.constantFrom(1, 2) }),
      program: ({ offset, step }) => program('self', { N: symbol, A: array(f64, ['N + 4']) }, (p, { N, A }) => {
        (step === 2 ? p.for`i = 2:${N} + 2:2` : p.for`i = 2:${N} + 2`)((i) => {
          p.tasklet({ b: A.at`${i} + ${offset}` }, { a: A.at`${i}` })`a = b * 0.5 + 1`;
        });
      }),
      symbols: ({ N }) => ({ N }),
      transform: { transformation: loopToMap },
      minApplied: 0,
      check: (after, { offset }) => assert.equal(loops(after).length, offset === 0 ? 0 : 1),
      numRuns: 15,
    }));

    it('nested loops and wcr accumulations', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 5 }), M: fc.integer({ min: 1, max: 5 }) }),
      program: () => program('sums', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), rows: array(f64, ['N']), total: array(f64, [1]) }, (p, { N, M, A, rows, total }) => {
        p.for`i = 0:${N}`((i) => {
          p.for`j = 0:${M}`((j) => { p.tasklet({ a: A.at`${i}, ${j}` }, { r: rows.at`${i}`.wcr('+'), t: total.at`0`.wcr('+') })`r = a; t = a * a`; });
        });
      }),
      symbols: ({ N, M }) => ({ N, M }),
      transform: { transformation: loopToMap },
      check: (after) => assert.equal(loops(after).length, 0),
      numRuns: 8,
    }));
  });
});
