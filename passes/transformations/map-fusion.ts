// MapFusion: producer map -> access node -> consumer map over the same ranges, where the consumer reads what the
// producer wrote in the same iteration, becomes one map; the intermediate shrinks to a scope-local value when unused elsewhere.
import { makeArray, makeScalar } from '../../graph/data.js';
import type { AccessNode, MapEntry, MapExit } from '../../graph/nodes.js';
import { addEdge, addNode, removeNode } from '../../graph/construct.js';
import { entryOf, exitOf, inEdges, nodeById, outEdges, scopeDict } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import {
  type Subset, formatSubset, index, offsetSubset, subset, subsetShape, subsetsEqual, subsSubset,
} from '../../graph/subsets.js';
import { type Expr, sym } from '../../graph/symbolic.js';
import { proveLessEqual } from '../../graph/symbolic-compare.js';
import { paramAssumptions } from '../../graph/propagate.js';
import { cloneMemlet } from '../../graph/clone.js';
import { defineTransformation } from '../framework.js';
import {
  type StateRef, accessCount, formatMapRanges, pruneConnectors, rangesEqual, rawCodeReading, reaches, repropagate, scopeData,
  statesOf, substituteInScope,
} from './helpers.js';
import { mergeMapInto } from './helpers-scope.js';

/** Producer exit -> intermediate access node -> consumer entry, by node ids. */
export interface MapFusionCandidate extends StateRef {
  readonly producerExit: number;
  readonly access: number;
  readonly consumerEntry: number;
}

interface Pattern {
  producer: { entry: MapEntry; exit: MapExit };
  consumer: { entry: MapEntry; exit: MapExit };
  access: AccessNode;
  /** The producer's exit edge into the access node and the single inner edge feeding it. */
  outer: Edge;
  write: Edge;
  /** Edges from the access node into the consumer's entry. */
  reads: Edge[];
}

function* candidates(sdfg: SDFG): Generator<MapFusionCandidate> {
  for (const ref of statesOf(sdfg)) {
    for (const node of ref.state.nodes) {
      if (node.kind !== 'AccessNode') continue;
      const producers = new Set(inEdges(ref.state, node).map((e) => nodeById(ref.state, e.src)).filter((n) => n?.kind === 'MapExit').map((n) => n!.id));
      const consumers = new Set(outEdges(ref.state, node).map((e) => nodeById(ref.state, e.dst)).filter((n) => n?.kind === 'MapEntry').map((n) => n!.id));
      for (const p of producers) for (const c of consumers) yield { ...ref, producerExit: p, access: node.id, consumerEntry: c };
    }
  }
}

function findPattern(state: State, c: MapFusionCandidate): Pattern | string {
  const [pExit, access, cEntry] = [nodeById(state, c.producerExit), nodeById(state, c.access), nodeById(state, c.consumerEntry)];
  if (pExit?.kind !== 'MapExit' || access?.kind !== 'AccessNode' || cEntry?.kind !== 'MapEntry') return `the pattern n${c.producerExit} -> n${c.access} -> n${c.consumerEntry} is gone from state ${state.label}`;
  const pEntry = entryOf(state, pExit), cExit = exitOf(state, cEntry);
  if (pEntry?.kind !== 'MapEntry' || cExit?.kind !== 'MapExit') return 'a map of the pattern lacks its entry or exit';
  const outers = state.edges.filter((e) => e.src === pExit.id && e.dst === access.id);
  const reads = state.edges.filter((e) => e.src === access.id && e.dst === cEntry.id);
  if (outers.length !== 1 || reads.length === 0) return `the pattern n${c.producerExit} -> n${c.access} -> n${c.consumerEntry} is gone from state ${state.label}`;
  const outer = outers[0]!;
  const writes = state.edges.filter((e) => e.dst === pExit.id && e.dstConn === `IN_${outer.srcConn?.slice(4)}`);
  if (writes.length !== 1) return `${pEntry.map.label} writes ${access.data} from ${writes.length} places`;
  return { producer: { entry: pEntry, exit: pExit }, consumer: { entry: cEntry, exit: cExit }, access, outer, write: writes[0]!, reads };
}

/** `inner` lies within `outer` (same point, or a part of what one iteration wrote). */
function within(inner: Subset, outer: Subset, p: Pattern): boolean {
  if (subsetsEqual(inner, outer)) return true;
  if (inner.ranges.length !== outer.ranges.length) return false;
  const assumptions = paramAssumptions(p.producer.entry.map.params, p.producer.entry.map.ranges);
  return inner.ranges.every((r, d) => {
    const o = outer.ranges[d]!;
    return r.step.equals(1) && o.step.equals(1)
      && proveLessEqual(o.begin, r.begin, assumptions) === true && proveLessEqual(r.end, o.end, assumptions) === true;
  });
}

/** Every permutation of 0..n-1 in lexicographic order (the identity first, so it is preferred). */
function permutations(n: number): number[][] {
  const go = (rest: number[]): number[][] => (rest.length === 0 ? [[]] : rest.flatMap((x) => go(rest.filter((y) => y !== x)).map((p) => [x, ...p])));
  return go([...Array(n).keys()]);
}

/** Inner consumer edges reading the intermediate, one iteration's worth each. */
function innerReads(state: State, p: Pattern): Edge[] {
  return p.reads.flatMap((r) => state.edges.filter((e) => e.src === p.consumer.entry.id && e.srcConn === `OUT_${r.dstConn?.slice(3)}`));
}

/**
 * The renaming of the consumer's parameters to the producer's under which the ranges agree and every
 * read of the intermediate lies within the producer's write; or why there is none.
 */
function matchParams(state: State, p: Pattern): Record<string, Expr> | string {
  const [pm, cm] = [p.producer.entry.map, p.consumer.entry.map];
  if (pm.params.length !== cm.params.length) return `${pm.label} has ${pm.params.length} dimensions and ${cm.label} has ${cm.params.length}`;
  const reads = innerReads(state, p);
  const written = p.write.memlet.subset!;
  let rangesAgree = false;
  let firstMismatch: Edge | undefined;
  for (const perm of permutations(pm.params.length)) {
    if (!perm.every((k, d) => rangesEqual(cm.ranges[d]!, pm.ranges[k]!))) continue;
    rangesAgree = true;
    const bindings: Record<string, Expr> = {};
    cm.params.forEach((param, d) => { bindings[param] = sym(pm.params[perm[d]!]!); });
    const bad = reads.find((r) => !r.memlet.subset || !within(subsSubset(r.memlet.subset, bindings), written, p));
    if (!bad) return bindings;
    firstMismatch ??= bad;
  }
  if (!rangesAgree) return `the ranges differ: ${pm.label} ${formatMapRanges(pm)} and ${cm.label} ${formatMapRanges(cm)}`;
  const read = firstMismatch!.memlet.subset;
  return `${cm.label} reads ${p.access.data}[${read ? formatSubset(read) : '?'}] where ${pm.label} writes ${p.access.data}[${formatSubset(written)}]: not the same element`;
}

function canApply(sdfg: SDFG, c: MapFusionCandidate): true | string {
  const p = findPattern(c.state, c);
  if (typeof p === 'string') return p;
  const { state } = c;
  const [pm, cm, data] = [p.producer.entry.map, p.consumer.entry.map, p.access.data];
  const dict = scopeDict(state);
  if ((dict.get(p.producer.entry.id) ?? null) !== (dict.get(p.consumer.entry.id) ?? null)) return `${pm.label} and ${cm.label} are in different scopes`;
  const desc = sdfg.arrays[data];
  if (!desc) return `${data} is not a container of ${sdfg.name}`;
  if (desc.kind === 'Stream' || desc.kind === 'View') return `${data} is a ${desc.kind.toLowerCase()}`;
  const otherWriter = inEdges(state, p.access).find((e) => e !== p.outer);
  if (otherWriter) return `${data} is also written by ${nodeById(state, otherWriter.src)?.label ?? `n${otherWriter.src}`}`;
  const wcr = p.write.memlet.wcr ?? p.outer.memlet.wcr;
  if (wcr) return `${pm.label} writes ${data} with write-conflict resolution (wcr ${wcr.op})`;
  if (!p.write.memlet.subset) return `${pm.label} writes ${data} without a subset`;
  const matched = matchParams(state, p);
  if (typeof matched === 'string') return matched;
  const renamed = Object.entries(matched).filter(([k, v]) => v.symbolName() !== k).map(([k]) => k);
  const raw = renamed.length ? rawCodeReading(state, p.consumer.entry, renamed, dict) : undefined;
  if (raw) return raw;
  if (reaches(state, p.producer.exit.id, p.consumer.entry.id, new Set(p.reads))) return `another path leads from ${pm.label} to ${cm.label}`;
  const producerReads = scopeData(state, p.producer.entry, 'in');
  const producerWrites = scopeData(state, p.producer.exit, 'out');
  for (const d of scopeData(state, p.consumer.exit, 'out')) {
    if (producerReads.has(d)) return `${cm.label} writes ${d}, which ${pm.label} reads`;
    if (producerWrites.has(d)) return `both ${pm.label} and ${cm.label} write ${d}`;
  }
  return true;
}

/** The intermediate is only this access node's, and nothing else reads it: it can live inside the fused map. */
function staysLocal(sdfg: SDFG, state: State, p: Pattern): boolean {
  const desc = sdfg.arrays[p.access.data]!;
  return desc.transient && accessCount(sdfg, p.access.data) === 1 && outEdges(state, p.access).every((e) => e.dst === p.consumer.entry.id);
}

/** Make a scope-local intermediate as small as one iteration's write: a scalar, or an array of the written shape. */
function shrink(sdfg: SDFG, state: State, data: string, written: Subset, params: readonly string[]): void {
  const shape = subsetShape(written);
  // A write whose size depends on the iteration keeps the full container.
  if (shape.some((s) => params.some((q) => s.freeSymbols().has(q)))) return;
  const old = sdfg.arrays[data]!;
  const scalar = shape.every((s) => s.equals(1));
  sdfg.arrays[data] = scalar
    ? makeScalar(old.dtype, { transient: true, storage: 'Register' })
    : makeArray(old.dtype, shape, { transient: true });
  for (const e of state.edges) {
    if (e.memlet.data !== data || !e.memlet.subset) continue;
    e.memlet = {
      ...e.memlet,
      subset: scalar ? subset(index(0)) : offsetSubset(e.memlet.subset, written, true),
    };
  }
}

function apply(sdfg: SDFG, c: MapFusionCandidate): void {
  const { state } = c;
  const p = findPattern(state, c) as Pattern;
  const bindings = matchParams(state, p) as Record<string, Expr>;
  const local = staysLocal(sdfg, state, p);
  const data = p.access.data;
  const written = p.write.memlet.subset!;
  substituteInScope(state, p.consumer.entry, bindings);
  // The value now passes through an access node inside the fused map.
  const inner = addNode(state, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {}, ...(p.access.loc ? { loc: p.access.loc } : {}) });
  const exitConn = p.write.dstConn;
  p.write.dst = inner.id;
  p.write.dstConn = null;
  for (const r of innerReads(state, p)) { r.src = inner.id; r.srcConn = null; }
  state.edges = state.edges.filter((e) => !p.reads.includes(e));
  if (local) {
    removeNode(state, p.access);
    pruneConnectors(state, p.producer.exit);
  } else {
    // Other readers still need the whole intermediate: keep writing it through the exit.
    addEdge(state, inner, null, p.producer.exit, exitConn, cloneMemlet(p.write.memlet), p.write.loc);
  }
  pruneConnectors(state, p.consumer.entry);
  mergeMapInto(state, p.producer, p.consumer);
  const pm = p.producer.entry.map;
  pm.label = `${pm.label}_${p.consumer.entry.map.label}`;
  p.producer.entry.label = p.producer.exit.label = pm.label;
  if (local) shrink(sdfg, state, data, written, pm.params);
  repropagate(sdfg, state);
}

function describe(c: MapFusionCandidate): string {
  const label = (id: number): string => {
    const n = nodeById(c.state, id);
    return n?.kind === 'MapEntry' || n?.kind === 'MapExit' ? n.map.label : n?.label ?? `n${id}`;
  };
  return `${label(c.producerExit)} -> ${label(c.access)} -> ${label(c.consumerEntry)} in state ${c.state.label}`;
}

export const mapFusion = defineTransformation<MapFusionCandidate, Record<string, never>>({
  name: 'MapFusion',
  summary: 'Fuse a producer map and a consumer map of the same ranges through their intermediate data',
  modifies: ['nodes', 'edges', 'memlets', 'descriptors'],
  defaults: {},
  candidates,
  canApply,
  apply,
  describe,
});
