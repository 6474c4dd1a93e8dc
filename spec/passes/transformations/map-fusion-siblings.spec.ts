// MapFusionSiblings: exact text of two independent maps fused, refusals, and differential runs on generated programs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, int, printSDFG, type Expr } from '../../../index.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { mapFusionSiblings } from '../../../passes/transformations/map-fusion-siblings.js';
import { applyOnce, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';

const sib = program('sib', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']), C: array(f64, ['N']) }, (p, { N, A, B, C }) => {
  p.state('s', (s) => {
    s.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { o: B.at`i` })`o = a * 2`;
    s.map`j = 0:${N}`.tasklet({ a: A.at`j` }, { o: C.at`j` })`o = a + j`;
  });
});

/** `count` independent 2-D maps over the same square ranges, every other one with its parameters swapped, each writing its own output. */
function siblings(count: number, shift: number) {
  const square = array(f64, ['N + 2', 'N + 2']);
  return program('siblings', { N: symbol, A: square, O0: square, O1: square, O2: square, O3: square }, (p, { N, A, O0, O1, O2, O3 }) => {
    const r: [Expr, Expr] = [int(shift), N.add(shift)];
    const outputs = [O0, O1, O2, O3];
    p.state('s', (s) => {
      for (let k = 0; k < count; k++) {
        const ranges: Record<string, [Expr, Expr]> = k % 2 ? { j: r, i: r } : { i: r, j: r };
        s.map(ranges).tasklet({ a: A.at`i, j` }, { o: outputs[k]!.at`i, j` })`o = a * ${k + 1} + i - j`;
      }
    });
  });
}

function mapCount(sdfg: SDFG): number {
  return sdfg.blocks.reduce((n, b) => n + (b.kind === 'State' ? b.nodes.filter((x) => x.kind === 'MapEntry').length : 0), 0);
}

describe('MapFusionSiblings', () => {
  it('fuses two independent maps of the same ranges', () => {
    assert.equal(printSDFG(applyOnce(sib.sdfg, mapFusionSiblings)), `sdfg sib
  symbol N: int64
  array A: float64[N]
  array B: float64[N]
  array C: float64[N]
  args A, B, C, N
  state s0 "s"
    n0 map_entry map_0_map_1 [i = 0:N]
    n1 map_exit map_0_map_1
    n2 tasklet tasklet_0 (a -> o) {o = a * 2}
    n3 access A
    n4 access B
    n7 tasklet tasklet_1 (a -> o) {o = a + i}
    n8 access A
    n9 access C
    e0 n3 -> n0.IN_A  A[0:N]
    e1 n0.OUT_A -> n2.a  A[i]
    e2 n2.o -> n1.IN_B  B[i]
    e3 n1.OUT_B -> n4  B[0:N]
    e4 n8 -> n0.IN_A_1  A[0:N]
    e5 n0.OUT_A_1 -> n7.a  A[i]
    e6 n7.o -> n1.IN_C  C[i]
    e7 n1.OUT_C -> n9  C[0:N]`);
  });

  it('refuses dependent maps and different ranges', () => {
    const dependent = program('dependent', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
      const t = p.transient('t', f64, [N]);
      p.state('s', (s) => {
        s.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { o: t.at`i` })`o = a`;
        s.map`i = 0:${N}`.tasklet({ a: t.at`i` }, { o: B.at`i` })`o = a`;
      });
    });
    assert.deepEqual(refusals(dependent.sdfg, mapFusionSiblings), ['map_1 depends on map_0 (a path leads from one to the other)']);
    const shifted = program('shifted', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']), C: array(f64, ['N']) }, (p, { N, A, B, C }) => {
      p.state('s', (s) => {
        s.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { o: B.at`i` })`o = a`;
        s.map`i = 1:${N}`.tasklet({ a: A.at`i` }, { o: C.at`i` })`o = a`;
      });
    });
    assert.deepEqual(refusals(shifted.sdfg, mapFusionSiblings), ['the ranges differ: map_0 [i = 0:N] and map_1 [i = 1:N]']);
  });

  it('refuses maps in different scopes and maps of different dimensions', () => {
    const scopes = program('scopes', { N: symbol, A: array(f64, ['N', 'N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
      p.state('s', (s) => {
        s.map`i = 0:${N}`.map`j = 0:${N}`.tasklet({ a: A.at`i, j` }, { o: B.at`i`.wcr('+') })`o = a`;
      });
    });
    assert.deepEqual(refusals(scopes.sdfg, mapFusionSiblings), [], 'maps in different scopes are not even candidates');
    const state = scopes.sdfg.blocks[0]!;
    if (state.kind !== 'State') throw new Error('expected a state');
    const [outer, inner] = state.nodes.filter((n) => n.kind === 'MapEntry').map((n) => n.id);
    assert.equal(mapFusionSiblings.canApply(scopes.sdfg, { sdfg: scopes.sdfg, state, first: outer!, second: inner! }, {}), 'map_0 and map_1 are in different scopes');
    const dims = program('dims', { N: symbol, A: array(f64, ['N', 'N']), B: array(f64, ['N']), C: array(f64, ['N', 'N']) }, (p, { N, A, B, C }) => {
      p.state('s', (s) => {
        s.map`i = 0:${N}`.tasklet({ a: A.at`i, 0` }, { o: B.at`i` })`o = a`;
        s.map`i = 0:${N}, j = 0:${N}`.tasklet({ a: A.at`i, j` }, { o: C.at`i, j` })`o = a`;
      });
    });
    assert.deepEqual(refusals(dims.sdfg, mapFusionSiblings), ['map_0 has 1 dimensions and map_1 has 2']);
  });

  it('preserves semantics of several independent maps, fused into one', () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 5 }), count: fc.integer({ min: 2, max: 4 }), shift: fc.integer({ min: 0, max: 2 }) }),
    program: ({ count, shift }) => siblings(count, shift),
    symbols: ({ N }) => ({ N }),
    transform: { transformation: mapFusionSiblings },
    check: (after) => assert.equal(mapCount(after), 1),
  }));
});
