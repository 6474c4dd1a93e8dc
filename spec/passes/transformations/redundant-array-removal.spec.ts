// RedundantArrayRemoval: exact text after removing a copied-in and a copied-out transient (offset memlets), refusals, differential runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { redundantArrayRemoval } from '../../../passes/transformations/redundant-array-removal.js';
import { stateFusion } from '../../../passes/transformations/state-fusion.js';
import { applyEverywhere, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';

/** The builder makes one state per operation: fuse them so that the copy and its use share a state. */
function fusedProgram(made: { sdfg: SDFG }): SDFG {
  applyEverywhere(made.sdfg, stateFusion);
  return made.sdfg;
}

function copyIn(offset: number) {
  return program('copy_in', { N: symbol, A: array(f64, ['N + 2']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
    const T = p.transient('T', f64, [N]);
    p.copy(A.at`${offset}:${N} + ${offset}`, T);
    p.map('use')`i = 0:${N}`.tasklet({ t: T.at`i` }, { b: B.at`i` })`b = t + 1`;
  });
}

function copyOut(offset: number) {
  return program('copy_out', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N + 2']) }, (p, { N, A, B }) => {
    const T = p.transient('T', f64, [N]);
    p.map('make')`i = 0:${N}`.tasklet({ a: A.at`i` }, { t: T.at`i` })`t = a * 3`;
    p.copy(T, B.at`${offset}:${N} + ${offset}`);
  });
}

describe('RedundantArrayRemoval', () => {
  it('removes a transient filled by a copy: its readers read the source, offset', () => {
    const sdfg = fusedProgram(copyIn(1));
    applyEverywhere(sdfg, redundantArrayRemoval);
    assert.equal(printSDFG(sdfg), `sdfg copy_in
  symbol N: int64
  array A: float64[N + 2]
  array B: float64[N]
  args A, B, N
  state s0 "copy_0"
    n0 access A
    n2 map_entry use [i = 0:N]
    n3 map_exit use
    n4 tasklet tasklet_0 (t -> b) {b = t + 1}
    n6 access B
    e1 n0 -> n2.IN_A  A[1:N + 1]
    e2 n2.OUT_A -> n4.t  A[i + 1]
    e3 n4.b -> n3.IN_B  B[i]
    e4 n3.OUT_B -> n6  B[0:N]`);
  });

  it('removes a transient copied out whole: its producers write the destination, offset', () => {
    const sdfg = fusedProgram(copyOut(2));
    applyEverywhere(sdfg, redundantArrayRemoval);
    assert.equal(printSDFG(sdfg), `sdfg copy_out
  symbol N: int64
  array A: float64[N]
  array B: float64[N + 2]
  args A, B, N
  state s0 "make"
    n0 map_entry make [i = 0:N]
    n1 map_exit make
    n2 tasklet tasklet_0 (a -> t) {t = a * 3}
    n3 access A
    n6 access B
    e0 n3 -> n0.IN_A  A[0:N]
    e1 n0.OUT_A -> n2.a  A[i]
    e2 n2.t -> n1.IN_B  B[i + 2]
    e3 n1.OUT_B -> n6  B[2:N + 2]`);
  });

  describe('refuses', () => {
    it('a transient used in another state', () => {
      assert.deepEqual(refusals(copyIn(0).sdfg, redundantArrayRemoval), ['T cannot go (T has 2 access nodes) and A cannot go (A is not transient)']);
    });

    it('a copy of part of the transient', () => {
      const part = program('part', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
        const T = p.transient('T', f64, [N]);
        p.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { t: T.at`i` })`t = a`;
        p.copy(T.at`0:${N} - 1`, B.at`1:${N}`);
      });
      assert.deepEqual(refusals(fusedProgram(part), redundantArrayRemoval), ['B cannot go (B is not transient) and T cannot go (the copy does not take all of T)']);
    });

    it('writes that resolve conflicts, and writes that may not cover the transient', () => {
      const wcr = program('wcr', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
        const T = p.transient('T', f64, [N]);
        p.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { t: T.at`i`.wcr('+') })`t = a`;
        p.copy(T, B);
      });
      assert.deepEqual(refusals(fusedProgram(wcr), redundantArrayRemoval), ['B cannot go (B is not transient) and T cannot go (a write to T resolves conflicts (wcr))']);
      const sparse = program('sparse', { N: symbol, A: array(f64, ['N']), B: array(f64, ['2*N']) }, (p, { N, A, B }) => {
        const T = p.transient('T', f64, [N.mul(2)]);
        p.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { t: T.at`2*i` })`t = a`;
        p.copy(T, B);
      });
      assert.deepEqual(refusals(fusedProgram(sparse), redundantArrayRemoval), ['B cannot go (B is not transient) and T cannot go (the writes to T may not cover all of it)']);
    });
  });

  describe('preserves what programs compute', () => {
    it('copies in and out at random offsets', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 7 }), offset: fc.integer({ min: 0, max: 2 }), out: fc.boolean() }),
      program: ({ offset, out }) => fusedProgram(out ? copyOut(offset) : copyIn(offset)),
      symbols: ({ N }) => ({ N }),
      transform: { transformation: redundantArrayRemoval },
      check: (after) => assert.equal('T' in after.arrays, false),
      numRuns: 20,
    }));
  });
});
