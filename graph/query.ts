// Reading graphs: lookups, neighbours, topological order, scopes, and walks over states and nested SDFGs.
import type { Node, ScopeEntry, ScopeExit } from './nodes.js';
import { isScopeEntry, isScopeExit, scopeObject } from './nodes.js';
import type { ControlFlowBlock, ControlFlowGraph, Edge, InterstateEdge, SDFG, State } from './sdfg.js';

export function nodeById(state: State, id: number): Node | undefined {
  return state.nodes.find((n) => n.id === id);
}

export function inEdges(state: State, node: Node | number): Edge[] {
  const id = typeof node === 'number' ? node : node.id;
  return state.edges.filter((e) => e.dst === id);
}

export function outEdges(state: State, node: Node | number): Edge[] {
  const id = typeof node === 'number' ? node : node.id;
  return state.edges.filter((e) => e.src === id);
}

export function predecessors(state: State, node: Node): Node[] {
  return unique(inEdges(state, node).map((e) => nodeById(state, e.src)!));
}

export function successors(state: State, node: Node): Node[] {
  return unique(outEdges(state, node).map((e) => nodeById(state, e.dst)!));
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Nodes in a topological order (stable: ties by node id), or undefined when the state has a cycle. */
export function topologicalOrder(state: State): Node[] | undefined {
  const indegree = new Map<number, number>(state.nodes.map((n) => [n.id, 0]));
  // Successors in edge order, built once: the walk below is linear in nodes and edges.
  const successorsOf = new Map<number, number[]>();
  for (const e of state.edges) {
    if (!indegree.has(e.dst) || !indegree.has(e.src)) continue;
    indegree.set(e.dst, indegree.get(e.dst)! + 1);
    const list = successorsOf.get(e.src);
    if (list) list.push(e.dst); else successorsOf.set(e.src, [e.dst]);
  }
  const byId = new Map(state.nodes.map((n) => [n.id, n]));
  const ready = state.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id).sort((a, b) => a - b);
  const order: Node[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(byId.get(id)!);
    for (const dst of successorsOf.get(id) ?? []) {
      const left = indegree.get(dst)! - 1;
      indegree.set(dst, left);
      if (left === 0) insertSorted(ready, dst);
    }
  }
  return order.length === state.nodes.length ? order : undefined;
}

function insertSorted(xs: number[], x: number): void {
  let i = 0;
  while (i < xs.length && xs[i]! < x) i++;
  xs.splice(i, 0, x);
}

export function exitOf(state: State, entry: ScopeEntry): ScopeExit | undefined {
  const scope = scopeObject(entry);
  return state.nodes.find((n): n is ScopeExit => isScopeExit(n) && scopeObject(n) === scope);
}

export function entryOf(state: State, exit: ScopeExit): ScopeEntry | undefined {
  const scope = scopeObject(exit);
  return state.nodes.find((n): n is ScopeEntry => isScopeEntry(n) && scopeObject(n) === scope);
}

/**
 * The scope each node lives in: node id → id of the innermost enclosing scope entry (null at the top).
 * An exit belongs to the scope its entry opens. Assumes an acyclic state with matched scopes.
 */
export function scopeDict(state: State): Map<number, number | null> {
  const order = topologicalOrder(state) ?? state.nodes;
  const byId = new Map(state.nodes.map((n) => [n.id, n]));
  // The first entry of each scope object, and each node's first in-edge from an existing node (edge order).
  const entries = new Map<unknown, ScopeEntry>();
  for (const n of state.nodes) if (isScopeEntry(n) && !entries.has(scopeObject(n))) entries.set(scopeObject(n), n);
  const firstPredecessor = new Map<number, Node>();
  for (const e of state.edges) {
    const pred = byId.get(e.src);
    if (pred && !firstPredecessor.has(e.dst)) firstPredecessor.set(e.dst, pred);
  }
  const parent = new Map<number, number | null>();
  for (const node of order) {
    let scope: number | null = null;
    if (isScopeExit(node)) {
      scope = entries.get(scopeObject(node))?.id ?? null;
    } else {
      const pred = firstPredecessor.get(node.id);
      if (pred) {
        if (isScopeEntry(pred)) scope = pred.id;
        else if (isScopeExit(pred)) {
          const entry = entries.get(scopeObject(pred));
          scope = entry ? parent.get(entry.id) ?? null : null;
        } else scope = parent.get(pred.id) ?? null;
      }
    }
    parent.set(node.id, scope);
  }
  return parent;
}

/** Nodes directly inside a scope (entry id) or at the top level (null), in topological order. */
export function scopeChildren(state: State, scope: number | null, dict = scopeDict(state)): Node[] {
  const order = topologicalOrder(state) ?? state.nodes;
  return order.filter((n) => dict.get(n.id) === scope && !(isScopeExit(n) && entryOf(state, n)?.id === scope));
}

/** All nodes nested (at any depth) inside a scope entry, excluding the entry and its exit. */
export function scopeNodes(state: State, entry: ScopeEntry, dict = scopeDict(state)): Node[] {
  const inside = (id: number): boolean => {
    let p = dict.get(id) ?? null;
    while (p !== null) {
      if (p === entry.id) return true;
      p = dict.get(p) ?? null;
    }
    return false;
  };
  const exit = exitOf(state, entry);
  return state.nodes.filter((n) => n !== exit && n !== entry && inside(n.id));
}

/** Every block of a control-flow graph, depth-first into regions (not into nested SDFGs). */
export function* walkBlocks(cfg: ControlFlowGraph): Generator<ControlFlowBlock> {
  for (const block of cfg.blocks) {
    yield block;
    switch (block.kind) {
      case 'State': break;
      case 'LoopRegion': case 'ControlFlowRegion': yield* walkBlocks(block); break;
      case 'ConditionalBlock': for (const b of block.branches) { yield b.body; yield* walkBlocks(b.body); } break;
    }
  }
}

/** Every state of a control-flow graph, depth-first into regions (not into nested SDFGs). */
export function* allStates(cfg: ControlFlowGraph): Generator<State> {
  for (const block of walkBlocks(cfg)) if (block.kind === 'State') yield block;
}

/** The SDFG and every SDFG nested in it, depth-first. */
export function* allSDFGs(sdfg: SDFG): Generator<SDFG> {
  yield sdfg;
  for (const state of allStates(sdfg)) {
    for (const n of state.nodes) if (n.kind === 'NestedSDFG') yield* allSDFGs(n.sdfg);
  }
}

export function blockById(cfg: ControlFlowGraph, id: number): ControlFlowBlock | undefined {
  return cfg.blocks.find((b) => b.id === id);
}

export function outInterstateEdges(cfg: ControlFlowGraph, block: ControlFlowBlock): InterstateEdge[] {
  return cfg.edges.filter((e) => e.src === block.id);
}

export function inInterstateEdges(cfg: ControlFlowGraph, block: ControlFlowBlock): InterstateEdge[] {
  return cfg.edges.filter((e) => e.dst === block.id);
}

/** The data container an access node, or a memlet-carrying edge, refers to. */
export function accessNodesOf(state: State, data: string): Node[] {
  return state.nodes.filter((n) => n.kind === 'AccessNode' && n.data === data);
}

/**
 * The chain of edges a memlet follows through scope nodes, outermost first:
 * `A -> MapEntry(IN_a/OUT_a) -> tasklet` gives both edges for either one.
 */
export function memletPath(state: State, edge: Edge): Edge[] {
  const path = [edge];
  // walk backwards through scope nodes
  let first = edge;
  for (;;) {
    const src = nodeById(state, first.src);
    if (!src || !(isScopeEntry(src) || isScopeExit(src)) || !first.srcConn?.startsWith('OUT_')) break;
    const inConn = 'IN_' + first.srcConn.slice(4);
    const prev = state.edges.find((e) => e.dst === src.id && e.dstConn === inConn);
    if (!prev) break;
    path.unshift(prev);
    first = prev;
  }
  let last = edge;
  for (;;) {
    const dst = nodeById(state, last.dst);
    if (!dst || !(isScopeEntry(dst) || isScopeExit(dst)) || !last.dstConn?.startsWith('IN_')) break;
    const outConn = 'OUT_' + last.dstConn.slice(3);
    const next = state.edges.filter((e) => e.src === dst.id && e.srcConn === outConn);
    if (next.length !== 1) break;
    path.push(next[0]!);
    last = next[0]!;
  }
  return path;
}
