// Propagating memlets through whole SDFGs, and the footprint of one memlet outside the scopes around it.
import assert from 'node:assert/strict';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import type { MapEntry } from '../../../graph/nodes.js';
import type { State } from '../../../graph/sdfg.js';
import { cloneSDFG } from '../../../graph/clone.js';
import { scopeDict } from '../../../graph/query.js';
import { formatSubset, fullSubset } from '../../../graph/subsets.js';
import { footprint, propagateAllMemlets } from '../../../passes/analyses/memlet-propagation.js';
import { jacobi2d } from '../../../samples/jacobi-2d.js';

const nested = program('nested', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N', 'M']) }, (p, { N, M, A, B }) => {
  p.map`i = 0:${N}`.map`j = 1:${M}`.tasklet({ a: A.at`i, j - 1` }, { b: B.at`i, j` })`b = a`;
});

describe('memlet propagation', () => {
  it('recomputes every outer memlet of every state (inside loops too)', () => {
    const spoiled = cloneSDFG(jacobi2d.sdfg);
    for (const block of spoiled.blocks) {
      if (block.kind !== 'LoopRegion') continue;
      for (const state of block.blocks) {
        if (state.kind !== 'State') continue;
        for (const e of state.edges) if (e.memlet.data && e.memlet.subset?.ranges.length === 2 && state.nodes.find((n) => n.id === e.src)?.kind === 'AccessNode') e.memlet = { ...e.memlet, subset: fullSubset([1, 1]) };
      }
    }
    assert.notEqual(printSDFG(spoiled), printSDFG(jacobi2d.sdfg));
    propagateAllMemlets(spoiled);
    assert.equal(printSDFG(spoiled), printSDFG(jacobi2d.sdfg));
  });

  it('gives the footprint of an inner memlet up to a chosen scope or the whole state', () => {
    const state = nested.sdfg.blocks[0] as State;
    const dict = scopeDict(state);
    const tasklet = state.nodes.find((n) => n.kind === 'Tasklet')!;
    const read = state.edges.find((e) => e.dst === tasklet.id)!;
    const [outer, inner] = state.nodes.filter((n): n is MapEntry => n.kind === 'MapEntry');
    assert.equal(formatSubset(footprint(nested.sdfg, state, read.memlet, tasklet, dict, inner!.id)!), 'i, 0:M - 1');
    assert.equal(formatSubset(footprint(nested.sdfg, state, read.memlet, tasklet, dict, outer!.id)!), '0:N, 0:M - 1');
    assert.equal(formatSubset(footprint(nested.sdfg, state, read.memlet, tasklet, dict)!), '0:N, 0:M - 1');
  });
});
