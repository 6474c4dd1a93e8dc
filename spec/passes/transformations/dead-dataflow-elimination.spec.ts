// DeadDataflowElimination: exact text after removing dead writes, empty states and containers; refusals; differential runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, i64, printSDFG, type ArrayHandle } from '../../../index.js';
import { addInterstateEdge, addLoopRegion, addNode, addState, createSDFG } from '../../../graph/construct.js';
import { makeArray, makeStream } from '../../../graph/data.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { type DeadCode, deadDataflowElimination } from '../../../passes/transformations/dead-dataflow-elimination.js';
import { applyEverywhere, checkPreservesSemantics, verdicts } from '../../support/transformation-harness.js';

/** Verdicts for the candidates of one kind, as `describe: verdict`. */
function reasons(sdfg: SDFG, kind: DeadCode['kind']): string[] {
  return verdicts(sdfg, deadDataflowElimination)
    .filter((v) => (v.candidate as DeadCode).kind === kind)
    .map((v) => `${deadDataflowElimination.describe(v.candidate as DeadCode)}: ${v.verdict === true ? 'applies' : v.verdict}`);
}

describe('DeadDataflowElimination', () => {
  it('removes a map that only writes a transient nobody reads, then its empty state and the container', () => {
    const dead = program('dead', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
      const T = p.transient('T', f64, [N]);
      p.map('scratch')`i = 0:${N}`.tasklet({ a: A.at`i` }, { t: T.at`i` })`t = a * a`;
      p.map('live')`i = 0:${N}`.tasklet({ a: A.at`i` }, { b: B.at`i` })`b = a + 1`;
    });
    assert.deepEqual(reasons(dead.sdfg, 'dead-data'), ['writes to T: applies']);
    assert.equal(applyEverywhere(dead.sdfg, deadDataflowElimination), 3);
    assert.equal(printSDFG(dead.sdfg), `sdfg dead
  symbol N: int64
  array A: float64[N]
  array B: float64[N]
  args A, B, N
  state s1 "live"
    n0 map_entry live [i = 0:N]
    n1 map_exit live
    n2 tasklet tasklet_1 (a -> b) {b = a + 1}
    n3 access A
    n4 access B
    e0 n3 -> n0.IN_A  A[0:N]
    e1 n0.OUT_A -> n2.a  A[i]
    e2 n2.b -> n1.IN_B  B[i]
    e3 n1.OUT_B -> n4  B[0:N]`);
  });

  it('bypasses an empty state, keeping the assignments of the edges into it', () => {
    const sdfg = createSDFG('g');
    sdfg.symbols.k = i64;
    const [a, empty, b] = [addState(sdfg, 'a'), addState(sdfg, 'empty'), addState(sdfg, 'b')];
    for (const s of [a, b]) addNode(s, { kind: 'Tasklet', label: `t_${s.label}`, inConnectors: {}, outConnectors: {}, code: { language: 'tasklet', body: [] } });
    addInterstateEdge(sdfg, a, empty, { assignments: { k: { k: 'num', value: 1, isFloat: false } } });
    addInterstateEdge(sdfg, empty, b);
    applyEverywhere(sdfg, deadDataflowElimination);
    assert.equal(printSDFG(sdfg).split('\n').filter((l) => l.includes('edge') || l.includes('state')).join('\n'), `  state s0 "a"
  state s2 "b"
  edge s0 -> s2 assign k = 1`);
  });

  describe('refuses', () => {
    it('containers that are read, not transient, or streams; writes with other effects', () => {
      const both = program('both', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
        const T = p.transient('T', f64, [N]);
        const U = p.transient('U', f64, [N]);
        p.map('two')`i = 0:${N}`.tasklet({ a: A.at`i` }, { t: T.at`i`, b: B.at`i` })`t = a * a; b = a`;
        p.map('make')`i = 0:${N}`.tasklet({ a: A.at`i` }, { u: U.at`i` })`u = a`;
        p.map('use')`i = 0:${N}`.tasklet({ u: U.at`i` }, { b: B.at`i` })`b = u`;
      });
      both.sdfg.arrays.Q = makeStream(f64, 4);
      assert.deepEqual(reasons(both.sdfg, 'dead-data'), [
        'writes to T: every write to T has other effects', 'writes to U: U is read in state use', 'writes to Q: Q is a stream',
      ]);
      assert.deepEqual(reasons(both.sdfg, 'unused-container'), ['container T: T is used', 'container U: U is used', 'container Q: applies']);
    });

    it('empty states that branch, loop, have a conditional exit or are alone in a loop body', () => {
      const sdfg = createSDFG('g');
      sdfg.arrays.A = makeArray(f64, [1]);
      const [a, b, c] = [addState(sdfg, 'a'), addState(sdfg, 'b'), addState(sdfg, 'c')];
      addInterstateEdge(sdfg, a, b);
      addInterstateEdge(sdfg, a, c);
      addInterstateEdge(sdfg, b, c, { condition: { k: 'bool', value: false } });
      const loop = addLoopRegion(sdfg, 'loop', { loopVariable: null, init: null, condition: { k: 'bool', value: false }, update: null });
      addInterstateEdge(sdfg, c, loop);
      addState(loop, 'body');
      assert.deepEqual(reasons(sdfg, 'empty-state'), [
        'empty state a: state a branches (2 outgoing edges)', 'empty state b: the edge out of state b has a condition',
        'empty state c: applies',
        'empty state body: state body is the only block of its graph',
      ]);
    });
  });

  describe('preserves what programs compute', () => {
    type Op = { target: number; source: number };
    /** Maps over two outputs and three transients; transients nobody reads afterwards are dead. */
    function randomProgram(ops: Op[]) {
      return program('random_dead', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
        const ts = [0, 1, 2].map((k) => p.transient(`T${k}`, f64, [N]));
        const all: ArrayHandle[] = [A, B, ...ts];
        ops.forEach((o, k) => {
          const [dst, src] = [all[1 + (o.target % 4)]!, all[o.source % 5]!];
          const read = src === dst ? src.at`i` : src.at`${N} - 1 - i`;
          p.map(`op${k}`)`i = 0:${N}`.tasklet({ x: read }, { y: dst.at`i` })`y = x * 0.5 + ${k}`;
        });
      });
    }
    it('random programs with dead transients', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 6 }), ops: fc.array(fc.record({ target: fc.nat(3), source: fc.nat(4) }), { minLength: 1, maxLength: 6 }) }),
      program: ({ ops }) => randomProgram(ops),
      symbols: ({ N }) => ({ N }),
      transform: { transformation: deadDataflowElimination },
      minApplied: 0,
      check: (after) => {
        // Whatever is left is read somewhere: nothing else could be removed.
        assert.deepEqual(verdicts(after, deadDataflowElimination).filter((v) => v.verdict === true), []);
      },
      numRuns: 25,
    }));
  });
});
