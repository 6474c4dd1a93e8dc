// What the Reduce rewrites share: reading a Reduce node's pattern, where each input element lands in the output,
// and the state that initializes the output with the identity before wcr writes accumulate into it.
import type { DType } from '../../graph/dtypes.js';
import { addEdge, addNode } from '../../graph/construct.js';
import { emptyMemlet, makeMemlet, type Wcr } from '../../graph/memlet.js';
import type { LibraryNode, LibraryOp, MapScope, Node } from '../../graph/nodes.js';
import { inEdges, nodeById, outEdges, scopeDict } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import { type Range, type Subset, formatSubset, index, isIndex, rangeSize, subset } from '../../graph/subsets.js';
import { type Expr, sym } from '../../graph/symbolic.js';
import { proveEqual } from '../../graph/symbolic-compare.js';
import { wcrIdentity } from '../../graph/tasklet-ops.js';
import type { TExpr } from '../../graph/tasklet-ast.js';
import { printWcr } from '../../graph/printer.js';
import { freshSymbolName, insertStateBefore, reaches } from './helpers.js';
import { addMapNodes } from './helpers-scope.js';

export type ReduceOp = LibraryOp & { name: 'Reduce' };

export interface ReducePattern {
  readonly node: LibraryNode;
  readonly op: ReduceOp;
  readonly input: Edge;
  readonly output: Edge;
  /** Dimensions of the input subset that are kept (not reduced), in order. */
  readonly kept: number[];
  /** The value to write into the output first; null when the output's memlet already accumulates. */
  readonly init: number | null;
}

/** The output element for an input element: kept dimensions land in the output subset, offset from the input's begin. */
export function outputIndex(p: ReducePattern, at: readonly Expr[]): Subset {
  const inRanges = p.input.memlet.subset!.ranges;
  const out = p.output.memlet.subset!.ranges;
  if (p.kept.length === 0) return subset(...out.map((r) => index(r.begin)));
  if (out.length === p.kept.length) {
    return subset(...p.kept.map((d, j) => index(out[j]!.begin.add(at[d]!.sub(inRanges[d]!.begin)))));
  }
  // The output keeps the reduced dimensions as single elements.
  return subset(...out.map((r, d) => index(p.kept.includes(d) ? r.begin.add(at[d]!.sub(inRanges[d]!.begin)) : r.begin)));
}

function sameSize(a: Range, b: Range): boolean {
  return proveEqual(rangeSize(a), rangeSize(b)) === true;
}

/** Check a Reduce node and read its pattern, or say why a rewrite cannot handle it. */
export function reducePattern(sdfg: SDFG, state: State, node: Node | undefined): ReducePattern | string {
  if (node?.kind !== 'LibraryNode' || node.op.name !== 'Reduce') return 'the node is not a Reduce library node';
  const op = node.op;
  const ins = inEdges(state, node).filter((e) => e.memlet.data !== null);
  const outs = outEdges(state, node).filter((e) => e.memlet.data !== null);
  if (ins.length !== 1 || outs.length !== 1) return `${node.label} does not have exactly one input and one output`;
  const [input, output] = [ins[0]!, outs[0]!];
  if ((scopeDict(state).get(node.id) ?? null) !== null) return `${node.label} is inside a scope`;
  const inSubset = input.memlet.subset, outSubset = output.memlet.subset;
  if (!inSubset || !outSubset) return `a memlet of ${node.label} has no subset`;
  if (inSubset.ranges.some((r) => !r.step.equals(1))) return `the input ${input.memlet.data}[${formatSubset(inSubset)}] of ${node.label} is strided`;
  const n = inSubset.ranges.length;
  const axes = op.axes ?? [...Array(n).keys()];
  const kept = [...Array(n).keys()].filter((d) => !axes.includes(d));
  const out = outSubset.ranges;
  const fits = kept.length === 0 ? out.every((r) => proveEqual(rangeSize(r), 1) === true)
    : out.length === kept.length
    ? kept.every((d, j) => sameSize(inSubset.ranges[d]!, out[j]!))
    : out.length === n && out.every((r, d) => (kept.includes(d) ? sameSize(inSubset.ranges[d]!, r) : proveEqual(rangeSize(r), 1) === true));
  if (!fits) return `the output ${output.memlet.data}[${formatSubset(outSubset)}] of ${node.label} does not match the kept dimensions of ${input.memlet.data}[${formatSubset(inSubset)}]`;
  const outDesc = sdfg.arrays[output.memlet.data!];
  if (!outDesc || outDesc.kind === 'Stream' || sdfg.arrays[input.memlet.data!]?.kind === 'Stream') return `${node.label} reads or writes a stream`;
  const init = initialValue(op, outDesc.dtype, output.memlet.wcr);
  if (typeof init === 'string') return `${node.label}: ${init}`;
  return { node, op, input, output, kept, init };
}

/** What the output must hold before the first wcr write: the identity, or null when the output already accumulates. */
function initialValue(op: ReduceOp, dtype: DType, outputWcr: Wcr | null): number | null | string {
  const neutral = op.wcr.op === 'custom' ? null : wcrIdentity(op.wcr.op, dtype);
  if (outputWcr) {
    if (outputWcr.op !== op.wcr.op || outputWcr.op === 'custom') return `its output accumulates with wcr ${printWcr(outputWcr)}, unlike the reduction's ${printWcr(op.wcr)}`;
    if (op.identity !== null && op.identity !== neutral) return `its identity ${op.identity} is not neutral for the accumulating output`;
    return null;
  }
  // Without an identity the fold starts at the first element; starting at the neutral element gives the same.
  if (op.identity !== null) return op.identity;
  if (neutral === null) return 'a custom wcr needs an identity to start from';
  return neutral;
}

/** The output container is touched in the state before the reduction: an init state in front would clobber that. */
export function outputTouchedBefore(state: State, p: ReducePattern): string | undefined {
  const data = p.output.memlet.data!;
  const outNode = nodeById(state, p.output.dst)!;
  if (inEdges(state, outNode).length > 1) return `${data} has other writers besides ${p.node.label}`;
  const other = state.nodes.find((n) => n.kind === 'AccessNode' && n.data === data && n !== outNode && !reaches(state, outNode.id, n.id));
  return other ? `${data} is also accessed in state ${state.label} outside the result of ${p.node.label}` : undefined;
}

function literal(value: number, dtype: DType): TExpr {
  return { k: 'num', value, isFloat: dtype.kind === 'float' || !Number.isInteger(value) };
}

/** A map in a new state before `state` writing `value` to every element of the reduction's output subset. */
export function addInitState(sdfg: SDFG, state: State, p: ReducePattern, value: number): State {
  const data = p.output.memlet.data!;
  const dtype = sdfg.arrays[data]!.dtype;
  const init = insertStateBefore(sdfg, state, `${p.node.label}_init`);
  const target = p.output.memlet.subset!;
  const loc = p.node.loc ? { loc: p.node.loc } : {};
  const tasklet = addNode(init, {
    kind: 'Tasklet', label: `${p.node.label}_identity`, inConnectors: {}, outConnectors: { out: null },
    code: { language: 'tasklet', body: [{ k: 'assign', target: { k: 'name', name: 'out' }, op: '=', value: literal(value, dtype) }] }, ...loc,
  });
  const access = addNode(init, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {}, ...loc });
  // A single element needs no map around the tasklet.
  if (target.ranges.every(isIndex)) {
    addEdge(init, tasklet, 'out', access, null, makeMemlet(data, target), p.node.loc);
    return init;
  }
  const params = target.ranges.map((_, d) => freshSymbolName(sdfg, init, `o${d}`));
  const map: MapScope = { label: `${p.node.label}_init`, params, ranges: [...target.ranges], schedule: 'Default', unroll: false, collapse: 1 };
  const { entry, exit } = addMapNodes(init, map, p.node);
  exit.inConnectors[`IN_${data}`] = null;
  exit.outConnectors[`OUT_${data}`] = null;
  addEdge(init, entry, null, tasklet, null, emptyMemlet(), p.node.loc);
  addEdge(init, tasklet, 'out', exit, `IN_${data}`, makeMemlet(data, subset(...params.map((q) => index(sym(q))))), p.node.loc);
  addEdge(init, exit, `OUT_${data}`, access, null, makeMemlet(data, target), p.node.loc);
  return init;
}
