// StateFusion: two states joined by a plain edge (no condition, no assignments, nothing else in or out) become one.
//
// Soundness rests on ordering: in the fused state, everything the second state does to a container must run
// after everything the first state did to it whenever either side writes. The second state's first read of a
// container the first state last wrote is merged into that write's access node (DaCe's picture: `T -> X -> R`);
// every other ordering that is not already a path gets an empty memlet between the two top-level nodes.
import { addEdge } from '../../graph/construct.js';
import { emptyMemlet } from '../../graph/memlet.js';
import type { AccessNode, Node } from '../../graph/nodes.js';
import { isScopeEntry, isScopeExit } from '../../graph/nodes.js';
import { isTrueCondition } from '../../graph/construct.js';
import {
  allSDFGs, entryOf, exitOf, inInterstateEdges, nodeById, outInterstateEdges, scopeDict, walkBlocks,
} from '../../graph/query.js';
import type { ControlFlowGraph, Edge, InterstateEdge, SDFG, State } from '../../graph/sdfg.js';
import { InternalError } from '../../graph/errors.js';
import { defineTransformation } from '../framework.js';
import { reaches } from './helpers.js';

export interface StatePairCandidate {
  readonly sdfg: SDFG;
  readonly cfg: ControlFlowGraph;
  readonly first: State;
  readonly second: State;
}

/** Every control-flow graph of an SDFG and of the SDFGs nested in it: the SDFG itself, loop bodies, regions, branches. */
export function* controlFlowGraphs(root: SDFG): Generator<{ sdfg: SDFG; cfg: ControlFlowGraph }> {
  for (const sdfg of allSDFGs(root)) {
    yield { sdfg, cfg: sdfg };
    for (const block of walkBlocks(sdfg)) if (block.kind !== 'State' && block.kind !== 'ConditionalBlock') yield { sdfg, cfg: block };
  }
}

function* candidates(root: SDFG): Generator<StatePairCandidate> {
  for (const { sdfg, cfg } of controlFlowGraphs(root)) {
    for (const edge of cfg.edges) {
      const first = cfg.blocks.find((b) => b.id === edge.src);
      const second = cfg.blocks.find((b) => b.id === edge.dst);
      if (first?.kind === 'State' && second?.kind === 'State' && first !== second) yield { sdfg, cfg, first, second };
    }
  }
}

/** How a node touches a container: `at` is the top-level node that must come before (first state) or after (second). */
interface Touch { readonly data: string; readonly at: Node; readonly write: boolean }

function outermostScope(state: State, node: Node, dict: Map<number, number | null>): Node | undefined {
  let outer: number | null = dict.get(node.id) ?? null;
  let found: Node | undefined;
  while (outer !== null) {
    found = nodeById(state, outer);
    outer = dict.get(outer) ?? null;
  }
  return found;
}

const carriesData = (e: Edge): boolean => e.memlet.data !== null;

/**
 * What the first state does to each container, as the top-level nodes after which it is done: a write is
 * done at its access node, a read once the reader (a whole scope, for a map) has run.
 */
function touchesDone(state: State): Touch[] {
  const dict = scopeDict(state);
  const touches: Touch[] = [];
  const done = (n: Node): Node => (isScopeEntry(n) ? exitOf(state, n) ?? n : n);
  for (const n of state.nodes) {
    if (n.kind !== 'AccessNode') continue;
    const writes = state.edges.some((e) => e.dst === n.id && carriesData(e));
    const readers = state.edges.filter((e) => e.src === n.id && carriesData(e));
    const outer = outermostScope(state, n, dict);
    if (outer) {
      const at = done(outer);
      if (writes) touches.push({ data: n.data, at, write: true });
      if (readers.length) touches.push({ data: n.data, at, write: false });
      continue;
    }
    if (writes) touches.push({ data: n.data, at: n, write: true });
    for (const e of readers) touches.push({ data: n.data, at: done(nodeById(state, e.dst)!), write: false });
  }
  return touches;
}

/** What the second state does to each container, as the top-level nodes before which nothing of it has happened. */
function touchesStart(state: State): Touch[] {
  const dict = scopeDict(state);
  const touches: Touch[] = [];
  const start = (n: Node): Node => (isScopeExit(n) ? entryOf(state, n) ?? n : n);
  for (const n of state.nodes) {
    if (n.kind !== 'AccessNode') continue;
    const writers = state.edges.filter((e) => e.dst === n.id && carriesData(e));
    const reads = state.edges.some((e) => e.src === n.id && carriesData(e));
    const outer = outermostScope(state, n, dict);
    if (outer) {
      if (writers.length) touches.push({ data: n.data, at: outer, write: true });
      if (reads) touches.push({ data: n.data, at: outer, write: false });
      continue;
    }
    if (reads) touches.push({ data: n.data, at: n, write: false });
    for (const e of writers) {
      const writer = nodeById(state, e.src)!;
      // A copy from another access node happens when this node runs.
      touches.push({ data: n.data, at: writer.kind === 'AccessNode' ? n : start(writer), write: true });
    }
  }
  return touches;
}

const accessNodes = (state: State): AccessNode[] => state.nodes.filter((n): n is AccessNode => n.kind === 'AccessNode');

function canApply(sdfg: SDFG, c: StatePairCandidate): true | string {
  const { cfg, first, second } = c;
  if (!cfg.blocks.includes(first) || !cfg.blocks.includes(second)) return 'the states are no longer in the graph';
  const out = outInterstateEdges(cfg, first);
  const into = inInterstateEdges(cfg, second);
  if (out.length !== 1) return `state ${first.label} has ${out.length} outgoing edges`;
  if (into.length !== 1) return `state ${second.label} has ${into.length} incoming edges`;
  const edge = out[0]!;
  if (edge.dst !== second.id) return `state ${first.label} is not followed by state ${second.label}`;
  if (!isTrueCondition(edge.condition)) return `the edge ${first.label} -> ${second.label} has a condition`;
  const assigned = Object.keys(edge.assignments);
  if (assigned.length) return `the edge ${first.label} -> ${second.label} assigns ${assigned.join(', ')}`;
  if (cfg.startBlock === second.id) return `state ${second.label} is the start block`;
  const firstData = new Set(accessNodes(first).map((n) => n.data));
  const secondData = new Set(accessNodes(second).map((n) => n.data));
  for (const state of [first, second]) {
    for (const n of accessNodes(state)) {
      const desc = sdfg.arrays[n.data];
      // Writes through a view alias another container, which the access nodes do not show.
      if (desc?.kind === 'View') return `state ${state.label} uses view ${n.data}`;
    }
  }
  for (const data of firstData) {
    if (!secondData.has(data)) continue;
    if (sdfg.arrays[data]?.kind === 'Stream') return `${data} is a stream used in both states`;
  }
  for (const n of accessNodes(second)) {
    // setzero clears a container once per state execution: merged, the second clear would be lost.
    if (n.setzero && firstData.has(n.data)) return `${n.data} is zeroed (setzero) in state ${second.label} and used in state ${first.label}`;
  }
  return true;
}

/** Move the second state's nodes and edges into the first, with fresh ids; returns old id → moved node. */
function moveNodes(first: State, second: State): Map<number, Node> {
  const moved = new Map<number, Node>();
  for (const n of second.nodes) {
    const copy = { ...n, id: first.nextNodeId++ } as Node;
    first.nodes.push(copy);
    moved.set(n.id, copy);
  }
  for (const e of second.edges) {
    first.edges.push({ ...e, id: first.nextEdgeId++, src: moved.get(e.src)!.id, dst: moved.get(e.dst)!.id });
  }
  return moved;
}

/**
 * Merge the second state's only source node of each container into the first state's node of it: the only
 * top-level one, or else the only written sink. Returns merged node → the node it became.
 */
function mergeReads(first: State, firstNodes: Set<Node>, secondNodes: Set<Node>): Map<Node, Node> {
  const dict = scopeDict(first);
  const merged = new Map<Node, Node>();
  const group = (keep: (n: AccessNode) => boolean): Map<string, AccessNode[]> => {
    const groups = new Map<string, AccessNode[]>();
    for (const n of first.nodes) if (n.kind === 'AccessNode' && (dict.get(n.id) ?? null) === null && keep(n)) groups.set(n.data, [...(groups.get(n.data) ?? []), n]);
    return groups;
  };
  const hasIn = (n: Node): boolean => first.edges.some((e) => e.dst === n.id);
  const hasOut = (n: Node): boolean => first.edges.some((e) => e.src === n.id);
  const before = group((n) => firstNodes.has(n));
  const writtenSinks = group((n) => firstNodes.has(n) && hasIn(n) && !hasOut(n));
  const sources = group((n) => secondNodes.has(n) && !hasIn(n) && hasOut(n));
  // Writes inside a scope finish at its exit, which may follow the top-level node: no merging into that one.
  const nested = new Set(first.nodes.filter((n) => n.kind === 'AccessNode' && firstNodes.has(n) && (dict.get(n.id) ?? null) !== null).map((n) => (n as AccessNode).data));
  for (const [data, [source, ...more]] of sources) {
    if (!source || more.length) continue;
    const only = before.get(data);
    const sinks = writtenSinks.get(data);
    const target = only?.length === 1 && !nested.has(data) ? only[0] : sinks?.length === 1 ? sinks[0] : undefined;
    if (!target) continue;
    for (const e of first.edges) if (e.src === source.id) e.src = target.id;
    first.nodes = first.nodes.filter((n) => n !== source);
    merged.set(source, target);
  }
  return merged;
}

function apply(_sdfg: SDFG, c: StatePairCandidate): void {
  const { cfg, first, second } = c;
  // Writes first: a read of the first state usually reaches the next write's access node already.
  const before = touchesDone(first).sort((a, b) => Number(b.write) - Number(a.write));
  const after = touchesStart(second);
  const firstNodes = new Set(first.nodes);
  const moved = moveNodes(first, second);
  const secondNodes = new Set(moved.values());
  const merged = mergeReads(first, firstNodes, secondNodes);
  // Reads of a node merged away now hang off the node it was merged into.
  const resolve = (n: Node): Node => {
    const m = moved.get(n.id)!;
    return merged.get(m) ?? m;
  };
  const ordered = new Set<string>();
  for (const a of before) {
    for (const b of after) {
      if (a.data !== b.data || (!a.write && !b.write)) continue;
      const to = resolve(b.at);
      if (to === a.at) continue;
      const key = `${a.at.id}->${to.id}`;
      if (ordered.has(key)) continue;
      ordered.add(key);
      if (!reaches(first, a.at.id, to.id)) addEdge(first, a.at, null, to, null, emptyMemlet());
    }
  }
  const joining = cfg.edges.find((e) => e.src === first.id && e.dst === second.id);
  if (!joining) throw new InternalError({ code: 'internal', message: `no edge ${first.label} -> ${second.label}` });
  cfg.edges = cfg.edges.filter((e) => e !== joining);
  for (const e of cfg.edges as InterstateEdge[]) if (e.src === second.id) e.src = first.id;
  cfg.blocks = cfg.blocks.filter((b) => b !== second);
}

export const stateFusion = defineTransformation<StatePairCandidate, Record<string, never>>({
  name: 'StateFusion',
  summary: 'Merge two states joined by a plain edge into one, ordering conflicting accesses by dataflow',
  modifies: ['nodes', 'edges', 'control-flow'],
  defaults: {},
  candidates: (sdfg) => candidates(sdfg),
  canApply,
  apply,
  describe: (c) => `${c.first.label} + ${c.second.label}`,
});
