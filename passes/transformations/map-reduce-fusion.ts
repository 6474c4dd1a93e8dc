// MapReduceFusion: a map writing a transient that a Reduce node then folds into the output becomes one map writing
// the output with the reduction's wcr (after a state that initializes the output with the identity).
import { removeNode } from '../../graph/construct.js';
import { nodeById, outEdges, inEdges } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import { formatSubset, isIndex, subsetsEqual } from '../../graph/subsets.js';
import type { Expr } from '../../graph/symbolic.js';
import type { MapEntry, MapExit } from '../../graph/nodes.js';
import { entryOf } from '../../graph/query.js';
import { defineTransformation } from '../framework.js';
import { type StateRef, accessCount, addConnectorPair, freshConnector, pruneConnectors, repropagate, statesOf } from './helpers.js';
import { type ReducePattern, addInitState, outputIndex, outputTouchedBefore, reducePattern } from './helpers-reduce.js';

/** The map's exit, the transient between them, and the Reduce node, by ids. */
export interface MapReduceCandidate extends StateRef {
  readonly mapExit: number;
  readonly access: number;
  readonly reduce: number;
}

interface Pattern {
  map: { entry: MapEntry; exit: MapExit };
  reduce: ReducePattern;
  /** The exit's edge into the transient and the inner edge writing one element per iteration. */
  outer: Edge;
  write: Edge;
}

function* candidates(sdfg: SDFG): Generator<MapReduceCandidate> {
  for (const ref of statesOf(sdfg)) {
    for (const n of ref.state.nodes) {
      if (n.kind !== 'LibraryNode' || n.op.name !== 'Reduce') continue;
      for (const e of inEdges(ref.state, n)) {
        const access = nodeById(ref.state, e.src);
        if (access?.kind !== 'AccessNode') continue;
        for (const w of inEdges(ref.state, access)) {
          if (nodeById(ref.state, w.src)?.kind === 'MapExit') yield { ...ref, mapExit: w.src, access: access.id, reduce: n.id };
        }
      }
    }
  }
}

/** Each index of the write is one parameter plus a constant, each parameter used once: one element per iteration, each once. */
function writesEachElementOnce(write: Edge, params: readonly string[]): boolean {
  const used = new Set<string>();
  for (const r of write.memlet.subset!.ranges) {
    const names = [...r.begin.freeSymbols()].filter((s) => params.includes(s));
    if (names.length !== 1 || used.has(names[0]!) || !r.begin.linearCoefficient(names[0]!)?.equals(1)) return false;
    used.add(names[0]!);
  }
  return used.size === params.length;
}

function findPattern(sdfg: SDFG, state: State, c: MapReduceCandidate): Pattern | string {
  const [exit, access] = [nodeById(state, c.mapExit), nodeById(state, c.access)];
  const reduce = reducePattern(sdfg, state, nodeById(state, c.reduce));
  if (typeof reduce === 'string') return reduce;
  if (exit?.kind !== 'MapExit' || access?.kind !== 'AccessNode') return `the pattern n${c.mapExit} -> n${c.access} -> n${c.reduce} is gone from state ${state.label}`;
  const entry = entryOf(state, exit);
  if (entry?.kind !== 'MapEntry') return `${exit.map.label} has no entry`;
  const label = exit.map.label, data = access.data;
  if (!sdfg.arrays[data]?.transient) return `${data} is not transient`;
  if (accessCount(sdfg, data) !== 1) return `${data} is accessed elsewhere`;
  const outers = inEdges(state, access);
  if (outers.length !== 1 || outers[0]!.src !== exit.id) return `${data} has other writers besides ${label}`;
  if (outEdges(state, access).some((e) => e !== reduce.input)) return `${data} has other readers besides ${reduce.node.label}`;
  const outer = outers[0]!;
  const writes = inEdges(state, exit).filter((e) => e.dstConn === `IN_${outer.srcConn?.slice(4)}`);
  if (writes.length !== 1) return `${label} writes ${data} from ${writes.length} places`;
  const write = writes[0]!;
  if (write.memlet.wcr || outer.memlet.wcr) return `${label} writes ${data} with write-conflict resolution`;
  if (!write.memlet.subset?.ranges.every(isIndex)) return `${label} writes more than one element of ${data} per iteration`;
  if (!writesEachElementOnce(write, exit.map.params)) return `${label} does not write each element of ${data}[${formatSubset(write.memlet.subset)}] exactly once`;
  if (!outer.memlet.subset || !subsetsEqual(outer.memlet.subset, reduce.input.memlet.subset!)) {
    return `${label} writes ${data}[${outer.memlet.subset ? formatSubset(outer.memlet.subset) : '?'}] but ${reduce.node.label} reads ${data}[${formatSubset(reduce.input.memlet.subset!)}]`;
  }
  return { map: { entry, exit }, reduce, outer, write };
}

function canApply(sdfg: SDFG, c: MapReduceCandidate): true | string {
  const p = findPattern(sdfg, c.state, c);
  if (typeof p === 'string') return p;
  if (p.reduce.init !== null) return outputTouchedBefore(c.state, p.reduce) ?? true;
  return true;
}

function apply(sdfg: SDFG, c: MapReduceCandidate): void {
  const { state } = c;
  const p = findPattern(sdfg, state, c) as Pattern;
  const { reduce, write, outer } = p;
  if (reduce.init !== null) addInitState(sdfg, state, reduce, reduce.init);
  const outData = reduce.output.memlet.data!;
  const transient = write.memlet.data!;
  const at: Expr[] = write.memlet.subset!.ranges.map((r) => r.begin);
  const name = freshConnector(p.map.exit, outData);
  addConnectorPair(p.map.exit, name);
  write.memlet = { ...write.memlet, data: outData, subset: outputIndex(reduce, at), wcr: reduce.op.wcr };
  write.dstConn = `IN_${name}`;
  outer.srcConn = `OUT_${name}`;
  outer.dst = reduce.output.dst;
  outer.dstConn = reduce.output.dstConn;
  outer.memlet = { ...reduce.output.memlet, wcr: reduce.op.wcr };
  removeNode(state, nodeById(state, c.access)!);
  removeNode(state, reduce.node);
  delete sdfg.arrays[transient];
  pruneConnectors(state, p.map.exit);
  repropagate(sdfg, state);
}

function describe(c: MapReduceCandidate): string {
  const label = (id: number): string => {
    const n = nodeById(c.state, id);
    return n?.kind === 'MapExit' ? n.map.label : n?.label ?? `n${id}`;
  };
  return `${label(c.mapExit)} -> ${label(c.access)} -> ${label(c.reduce)} in state ${c.state.label}`;
}

export const mapReduceFusion = defineTransformation<MapReduceCandidate, Record<string, never>>({
  name: 'MapReduceFusion',
  summary: 'Fuse a map and the Reduce of its transient output into one map writing with wcr',
  modifies: ['nodes', 'edges', 'memlets', 'descriptors', 'control-flow'],
  defaults: {},
  candidates,
  canApply,
  apply,
  describe,
});
