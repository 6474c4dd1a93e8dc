// Symbol ranges: loop variables of the enclosing loops, map parameters of the enclosing scopes, tasklet bounds as expressions.
import assert from 'node:assert/strict';
import { program, symbol, array, f64 } from '../../../index.js';
import type { LoopRegion, State } from '../../../graph/sdfg.js';
import { allStates } from '../../../graph/query.js';
import { formatRange } from '../../../graph/subsets.js';
import { analyze } from '../../../passes/analysis.js';
import { assumptionsAt, loopRange, symbolRanges, taskletToExpr } from '../../../passes/analyses/symbol-ranges.js';
import { jacobi2d } from '../../../samples/jacobi-2d.js';

const text = (a: Record<string, { lo?: unknown; hi?: unknown }>): string[] => Object.entries(a).map(([k, v]) => `${k}: ${String(v.lo)} .. ${String(v.hi)}`);

describe('symbol ranges', () => {
  it('bounds the loop variable in every state of the loop body', () => {
    const ranges = analyze(jacobi2d.sdfg, symbolRanges);
    assert.deepEqual([...ranges].map(([s, a]) => `${s.label} ${text(a).join(', ')}`), ['to_B t: 1 .. TSTEPS - 1', 'to_A t: 1 .. TSTEPS - 1']);
  });

  it('adds the parameters of the maps around a node', () => {
    const ranges = analyze(jacobi2d.sdfg, symbolRanges);
    const state = [...allStates(jacobi2d.sdfg)][0] as State;
    const tasklet = state.nodes.find((n) => n.kind === 'Tasklet')!;
    assert.deepEqual(text(assumptionsAt(ranges, state, tasklet)), ['t: 1 .. TSTEPS - 1', 'i: 1 .. N - 2', 'j: 1 .. N - 2']);
  });

  it('reads counting-down loops and refuses loops of other shapes', () => {
    const down = program('down', { N: symbol, A: array(f64, ['N']) }, (p, { N, A }) => {
      p.for`k = ${N} - 1:-1:-1`(() => { p.map`i = 0:${N}`.tasklet({}, { o: A.at`i` })`o = k`; });
    });
    const loop = down.sdfg.blocks.find((b): b is LoopRegion => b.kind === 'LoopRegion')!;
    assert.equal(formatRange(loopRange(loop)!), 'N - 1:-1:-1');
    const odd = { ...loop, update: { k: 'binary', op: '*', lhs: { k: 'name', name: 'k' }, rhs: { k: 'num', value: 2, isFloat: false } } } as LoopRegion;
    assert.equal(loopRange(odd), undefined);
  });

  it('turns integer tasklet expressions into symbolic ones and gives up on the rest', () => {
    const e = taskletToExpr({ k: 'binary', op: '-', lhs: { k: 'call', fn: 'min', args: [{ k: 'name', name: 'N' }, { k: 'num', value: 4, isFloat: false }] }, rhs: { k: 'unary', op: '-', arg: { k: 'name', name: 'i' } } });
    assert.equal(e?.toString(), 'Min(4, N) + i');
    assert.equal(taskletToExpr({ k: 'num', value: 1.5, isFloat: true }), undefined);
    assert.equal(taskletToExpr({ k: 'binary', op: '/', lhs: { k: 'name', name: 'N' }, rhs: { k: 'num', value: 2, isFloat: false } }), undefined);
  });
});
