// Read and write sets of states and scopes, seen from outside the scopes around each access.
import assert from 'node:assert/strict';
import { program, symbol, array, f64 } from '../../../index.js';
import type { MapEntry } from '../../../graph/nodes.js';
import type { State } from '../../../graph/sdfg.js';
import { allStates } from '../../../graph/query.js';
import { type Subset, formatSubset } from '../../../graph/subsets.js';
import { accessSets, stateAccessSets } from '../../../passes/analyses/access-sets.js';
import { analyze } from '../../../passes/analysis.js';
import { jacobi2d } from '../../../samples/jacobi-2d.js';
import { gemm } from '../../../samples/gemm.js';

const show = (m: Map<string, Subset[]>): string[] => [...m].map(([k, v]) => `${k}: ${v.map(formatSubset).join(' | ')}`);

describe('access sets', () => {
  it('propagates every stencil access of a state out of its map', () => {
    const [toB] = [...allStates(jacobi2d.sdfg)];
    const sets = accessSets(jacobi2d.sdfg, toB!);
    assert.deepEqual(show(sets.reads), ['A: 1:N - 1, 1:N - 1 | 1:N - 1, 0:N - 2 | 1:N - 1, 2:N | 2:N, 1:N - 1 | 0:N - 2, 1:N - 1']);
    assert.deepEqual(show(sets.writes), ['B: 1:N - 1, 1:N - 1']);
  });

  it('counts a write with wcr as a read as well, and caches the sets of every state', () => {
    const sets = analyze(gemm.sdfg, stateAccessSets);
    const multiply = [...allStates(gemm.sdfg)][1]!;
    assert.deepEqual(show(sets.get(multiply)!.writes), ['C: 0:NI, 0:NJ']);
    assert.deepEqual(show(sets.get(multiply)!.reads), ['A: 0:NI, 0:NK', 'B: 0:NK, 0:NJ', 'alpha: 0', 'C: 0:NI, 0:NJ']);
    assert.equal(analyze(gemm.sdfg, stateAccessSets), sets);
  });

  it('gives a scope its accesses in the coordinates outside it, and a nested scope in those of its parent', () => {
    const nested = program('nested', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
      p.map`i = 0:${N}`.map`j = 1:${M}`.tasklet({ a: A.at`i, j - 1` }, { b: B.at`i, j` })`b = a`;
    });
    const state = nested.sdfg.blocks[0] as State;
    const [outer, inner] = state.nodes.filter((n): n is MapEntry => n.kind === 'MapEntry');
    assert.deepEqual(show(accessSets(nested.sdfg, state, inner!).reads), ['A: i, 0:M - 1']);
    assert.deepEqual(show(accessSets(nested.sdfg, state, outer!).writes), ['B: 0:N, 1:M']);
    assert.deepEqual(show(accessSets(nested.sdfg, state).reads), ['A: 0:N, 0:M - 1']);
  });

  it('reads the source and writes the destination of a copy between containers', () => {
    const copy = program('copy', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']) }, (p, { A, B }) => {
      p.copy(A, B);
    });
    const sets = accessSets(copy.sdfg, copy.sdfg.blocks[0] as State);
    assert.deepEqual([show(sets.reads), show(sets.writes)], [['A: 0:N'], ['B: 0:N']]);
  });
});
