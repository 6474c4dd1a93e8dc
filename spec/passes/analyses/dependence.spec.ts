// Data dependence between scopes of a state and between states: kinds, and whether the overlap is proven.
import assert from 'node:assert/strict';
import { program, symbol, array, f64 } from '../../../index.js';
import type { MapEntry } from '../../../graph/nodes.js';
import type { State } from '../../../graph/sdfg.js';
import { allStates } from '../../../graph/query.js';
import { int, sym } from '../../../graph/symbolic.js';
import { scopeDependences, stateDependences } from '../../../passes/analyses/dependence.js';
import { gemm } from '../../../samples/gemm.js';

function maps(state: State): MapEntry[] {
  return state.nodes.filter((n): n is MapEntry => n.kind === 'MapEntry');
}

describe('dependence', () => {
  it('finds the dependences of gemm\'s multiply on its scale (wcr accumulates: read-after-write too)', () => {
    const [scale, multiply] = [...allStates(gemm.sdfg)];
    assert.deepEqual(stateDependences(gemm.sdfg, scale!, multiply!), [
      { data: 'C', kind: 'read-after-write', certain: false },
      { data: 'C', kind: 'write-after-read', certain: false },
      { data: 'C', kind: 'write-after-write', certain: false },
    ]);
    const positive = { NI: { lo: int(1), hi: sym('NI') }, NJ: { lo: int(1), hi: sym('NJ') } };
    assert.ok(stateDependences(gemm.sdfg, scale!, multiply!, positive).every((d) => d.certain));
  });

  it('separates producer/consumer scopes from independent ones, and disjoint halves', () => {
    const prog = program('deps', { N: symbol, A: array(f64, ['2 * N']), B: array(f64, ['2 * N']) }, (p, { N, A, B }) => {
      const t = p.transient('t', f64, [N]);
      p.state('s', (s) => {
        s.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { o: t.at`i` })`o = a`;
        s.map`i = 0:${N}`.tasklet({ x: t.at`i` }, { o: B.at`i` })`o = x`;
        s.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { o: B.at`${N} + i` })`o = a`;
      });
    });
    const state = prog.sdfg.blocks[0] as State;
    const [producer, consumer, other] = maps(state);
    assert.deepEqual(scopeDependences(prog.sdfg, state, producer!, consumer!), [{ data: 't', kind: 'read-after-write', certain: false }]);
    assert.deepEqual(scopeDependences(prog.sdfg, state, producer!, other!), []);
    assert.deepEqual(scopeDependences(prog.sdfg, state, consumer!, other!), [], 'B[0:N] and B[N:2N] are disjoint');
  });
});
