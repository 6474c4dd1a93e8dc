// ReduceExpansion: a Reduce library node becomes a map over its input writing the output with the reduction's wcr,
// after a state that initializes the output with the identity (so the maps can be optimized further).
import { addEdge, addNode, removeNode } from '../../graph/construct.js';
import { makeMemlet } from '../../graph/memlet.js';
import type { MapScope } from '../../graph/nodes.js';
import { nodeById } from '../../graph/query.js';
import type { SDFG } from '../../graph/sdfg.js';
import { index, subset } from '../../graph/subsets.js';
import { sym } from '../../graph/symbolic.js';
import type { TExpr } from '../../graph/tasklet-ast.js';
import { defineTransformation } from '../framework.js';
import { type StateRef, freshSymbolName, repropagate, statesOf } from './helpers.js';
import { addMapNodes } from './helpers-scope.js';
import { type ReducePattern, addInitState, outputIndex, outputTouchedBefore, reducePattern } from './helpers-reduce.js';

export interface ReduceCandidate extends StateRef {
  readonly node: number;
}

function* candidates(sdfg: SDFG): Generator<ReduceCandidate> {
  for (const ref of statesOf(sdfg)) {
    for (const n of ref.state.nodes) if (n.kind === 'LibraryNode' && n.op.name === 'Reduce') yield { ...ref, node: n.id };
  }
}

function canApply(sdfg: SDFG, c: ReduceCandidate): true | string {
  const p = reducePattern(sdfg, c.state, nodeById(c.state, c.node));
  if (typeof p === 'string') return p;
  if (p.init !== null) return outputTouchedBefore(c.state, p) ?? true;
  return true;
}

function expand(sdfg: SDFG, c: ReduceCandidate, p: ReducePattern): void {
  const { state } = c;
  const inData = p.input.memlet.data!, outData = p.output.memlet.data!;
  const ranges = p.input.memlet.subset!.ranges;
  const params = ranges.map((_, d) => freshSymbolName(sdfg, state, `r${d}`));
  const map: MapScope = { label: p.node.label, params, ranges: [...ranges], schedule: 'Default', unroll: false, collapse: 1 };
  const { entry, exit } = addMapNodes(state, map, p.node);
  const [inType, outType] = [sdfg.arrays[inData]!.dtype, sdfg.arrays[outData]!.dtype];
  const value: TExpr = inType === outType ? { k: 'name', name: 'inp' } : { k: 'cast', dtype: outType, arg: { k: 'name', name: 'inp' } };
  const loc = p.node.loc ? { loc: p.node.loc } : {};
  const tasklet = addNode(state, {
    kind: 'Tasklet', label: `${p.node.label}_combine`, inConnectors: { inp: null }, outConnectors: { out: null },
    code: { language: 'tasklet', body: [{ k: 'assign', target: { k: 'name', name: 'out' }, op: '=', value }] }, ...loc,
  });
  const at = params.map((q) => sym(q));
  entry.inConnectors[`IN_${inData}`] = null;
  entry.outConnectors[`OUT_${inData}`] = null;
  exit.inConnectors[`IN_${outData}`] = null;
  exit.outConnectors[`OUT_${outData}`] = null;
  addEdge(state, nodeById(state, p.input.src)!, p.input.srcConn, entry, `IN_${inData}`, { ...p.input.memlet }, p.input.loc);
  addEdge(state, entry, `OUT_${inData}`, tasklet, 'inp', makeMemlet(inData, subset(...at.map((x) => index(x)))), p.input.loc);
  addEdge(state, tasklet, 'out', exit, `IN_${outData}`, makeMemlet(outData, outputIndex(p, at), { wcr: p.op.wcr }), p.output.loc);
  addEdge(state, exit, `OUT_${outData}`, nodeById(state, p.output.dst)!, p.output.dstConn, { ...p.output.memlet, wcr: p.op.wcr }, p.output.loc);
  removeNode(state, p.node);
  repropagate(sdfg, state);
}

function apply(sdfg: SDFG, c: ReduceCandidate): void {
  const p = reducePattern(sdfg, c.state, nodeById(c.state, c.node)) as ReducePattern;
  if (p.init !== null) addInitState(sdfg, c.state, p, p.init);
  expand(sdfg, c, p);
}

function describe(c: ReduceCandidate): string {
  return `${nodeById(c.state, c.node)?.label ?? `n${c.node}`} in state ${c.state.label}`;
}

export const reduceExpansion = defineTransformation<ReduceCandidate, Record<string, never>>({
  name: 'ReduceExpansion',
  summary: 'Expand a Reduce library node into an identity-initializing map and a map that accumulates with wcr',
  modifies: ['nodes', 'edges', 'memlets', 'control-flow'],
  defaults: {},
  candidates,
  canApply,
  apply,
  describe,
});
