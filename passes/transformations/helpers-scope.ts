// Structural scope surgery: wrapping a map in a new outer map, removing a map around its body, merging two maps.
import { addEdge, addNode, removeNode } from '../../graph/construct.js';
import { cloneMemlet } from '../../graph/clone.js';
import { emptyMemlet } from '../../graph/memlet.js';
import type { MapEntry, MapExit, MapScope, Node } from '../../graph/nodes.js';
import { inEdges, nodeById, outEdges } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { addConnectorPair, freshConnector, pruneConnectors } from './helpers.js';

/** A new entry/exit pair for `map` (sharing it), with the location of `like`. */
export function addMapNodes(state: State, map: MapScope, like?: Node): { entry: MapEntry; exit: MapExit } {
  const loc = like?.loc ? { loc: like.loc } : {};
  const entry = addNode(state, { kind: 'MapEntry', map, label: map.label, inConnectors: {}, outConnectors: {}, ...loc }) as MapEntry;
  const exit = addNode(state, { kind: 'MapExit', map, label: map.label, inConnectors: {}, outConnectors: {}, ...loc }) as MapExit;
  return { entry, exit };
}

/** The connector base an edge uses on a scope node's outer side (`IN_x` → `x`), or undefined for a plain one. */
function connectorBase(conn: string | null, prefix: 'IN_' | 'OUT_'): string | undefined {
  return conn?.startsWith(prefix) ? conn.slice(prefix.length) : undefined;
}

/**
 * Put `outer` (a new entry/exit pair) around the map `entry`/`exit`: every edge into the entry now enters
 * the outer entry and passes through it; likewise out of the exit. Memlets are copied; propagate afterwards.
 */
export function wrapInOuterMap(state: State, entry: MapEntry, exit: MapExit, outer: { entry: MapEntry; exit: MapExit }): void {
  let emptyIn = false;
  for (const e of inEdges(state, entry)) {
    e.dst = outer.entry.id;
    const base = connectorBase(e.dstConn, 'IN_') ?? (e.dstConn === null ? undefined : e.dstConn);
    if (base === undefined) {
      if (!emptyIn) addEdge(state, outer.entry, null, entry, null, emptyMemlet(), e.loc);
      emptyIn = true;
      continue;
    }
    const innerConn = e.dstConn!;
    const name = freshConnector(outer.entry, base);
    addConnectorPair(outer.entry, name);
    e.dstConn = `IN_${name}`;
    addEdge(state, outer.entry, `OUT_${name}`, entry, innerConn, cloneMemlet(e.memlet), e.loc);
  }
  if (!emptyIn && !state.edges.some((e) => e.src === outer.entry.id)) addEdge(state, outer.entry, null, entry, null, emptyMemlet());
  let emptyOut = false;
  for (const e of outEdges(state, exit)) {
    e.src = outer.exit.id;
    const base = connectorBase(e.srcConn, 'OUT_');
    if (base === undefined) {
      if (!emptyOut) addEdge(state, exit, null, outer.exit, null, emptyMemlet(), e.loc);
      emptyOut = true;
      continue;
    }
    const name = freshConnector(outer.exit, base);
    addConnectorPair(outer.exit, name);
    const innerConn = e.srcConn!;
    e.srcConn = `OUT_${name}`;
    addEdge(state, exit, innerConn, outer.exit, `IN_${name}`, cloneMemlet(e.memlet), e.loc);
  }
  if (!emptyOut && !state.edges.some((e) => e.dst === outer.exit.id)) addEdge(state, exit, null, outer.exit, null, emptyMemlet());
}

/**
 * Remove a map's entry and exit, connecting what flowed through them directly: an outer edge `A -> entry.IN_x`
 * and inner edges `entry.OUT_x -> n` become `A -> n` with the inner memlet; likewise at the exit. Empty
 * ordering edges into the entry order the body after their sources.
 */
export function dissolveMap(state: State, entry: MapEntry, exit: MapExit): void {
  const outerIn = inEdges(state, entry);
  const innerOut = outEdges(state, entry).filter((e) => e.dst !== exit.id);
  const innerIn = inEdges(state, exit).filter((e) => e.src !== entry.id);
  const outerOut = outEdges(state, exit);
  const connect = (src: number, srcConn: string | null, dst: number, dstConn: string | null, memlet: Edge['memlet'], loc: Edge['loc']): void => {
    if (memlet.data === null && state.edges.some((e) => e.src === src && e.dst === dst)) return;
    addEdge(state, nodeById(state, src)!, srcConn, nodeById(state, dst)!, dstConn, cloneMemlet(memlet), loc);
  };
  for (const outer of outerIn) {
    const base = connectorBase(outer.dstConn, 'IN_');
    if (base === undefined) {
      // An ordering edge into the entry orders the whole body after its source.
      for (const dst of new Set(innerOut.map((e) => e.dst))) connect(outer.src, outer.srcConn, dst, null, emptyMemlet(), outer.loc);
      continue;
    }
    for (const inner of innerOut.filter((e) => e.srcConn === `OUT_${base}`)) connect(outer.src, outer.srcConn, inner.dst, inner.dstConn, inner.memlet, inner.loc);
  }
  for (const outer of outerOut) {
    const base = connectorBase(outer.srcConn, 'OUT_');
    if (base === undefined) {
      for (const src of new Set(innerIn.map((e) => e.src))) connect(src, null, outer.dst, outer.dstConn, emptyMemlet(), outer.loc);
      continue;
    }
    for (const inner of innerIn.filter((e) => e.dstConn === `IN_${base}`)) connect(inner.src, inner.srcConn, outer.dst, outer.dstConn, inner.memlet, inner.loc);
  }
  removeNode(state, entry);
  removeNode(state, exit);
  mergeSelfCopies(state);
}

/**
 * After a scope is dissolved, a write `x -> (access A) -> (access A)` may copy a container onto itself:
 * merge the second access node into the first.
 */
function mergeSelfCopies(state: State): void {
  for (;;) {
    const edge = state.edges.find((e) => {
      const [src, dst] = [nodeById(state, e.src), nodeById(state, e.dst)];
      return src?.kind === 'AccessNode' && dst?.kind === 'AccessNode' && src.data === dst.data && e.memlet.data === src.data && e.memlet.otherSubset === null;
    });
    if (!edge) return;
    const [keep, drop] = [nodeById(state, edge.src)!, nodeById(state, edge.dst)!];
    state.edges = state.edges.filter((e) => e !== edge);
    for (const e of state.edges) {
      if (e.src === drop.id) e.src = keep.id;
      if (e.dst === drop.id) e.dst = keep.id;
    }
    removeNode(state, drop);
  }
}

/**
 * Merge the map `from` into `into` (same parameters by now): `from`'s outer inputs enter `into`'s entry,
 * its outputs leave `into`'s exit, and its body hangs off `into`'s entry and exit. `from`'s nodes are removed.
 */
export function mergeMapInto(state: State, into: { entry: MapEntry; exit: MapExit }, from: { entry: MapEntry; exit: MapExit }): void {
  const moveInput = (outer: Edge): void => {
    const base = connectorBase(outer.dstConn, 'IN_');
    const inner = outEdges(state, from.entry).filter((e) => (base === undefined ? e.srcConn === null : e.srcConn === `OUT_${base}`));
    if (base === undefined) {
      outer.dst = into.entry.id;
      for (const e of inner) { e.src = into.entry.id; }
      return;
    }
    const name = freshConnector(into.entry, base);
    addConnectorPair(into.entry, name);
    outer.dst = into.entry.id;
    outer.dstConn = `IN_${name}`;
    for (const e of inner) { e.src = into.entry.id; e.srcConn = `OUT_${name}`; }
  };
  const moveOutput = (outer: Edge): void => {
    const base = connectorBase(outer.srcConn, 'OUT_');
    const inner = inEdges(state, from.exit).filter((e) => (base === undefined ? e.dstConn === null : e.dstConn === `IN_${base}`));
    if (base === undefined) {
      outer.src = into.exit.id;
      for (const e of inner) { e.dst = into.exit.id; }
      return;
    }
    const name = freshConnector(into.exit, base);
    addConnectorPair(into.exit, name);
    outer.src = into.exit.id;
    outer.srcConn = `OUT_${name}`;
    for (const e of inner) { e.dst = into.exit.id; e.dstConn = `IN_${name}`; }
  };
  for (const e of inEdges(state, from.entry)) moveInput(e);
  for (const e of outEdges(state, from.exit)) moveOutput(e);
  // Whatever still touches `from` is inner plumbing without an outer side (empty edges): reattach it.
  for (const e of state.edges) {
    if (e.src === from.entry.id) { e.src = into.entry.id; e.srcConn = null; }
    if (e.dst === from.exit.id) { e.dst = into.exit.id; e.dstConn = null; }
  }
  // An empty entry -> exit edge only kept an empty body connected; drop it once there is a body.
  if (hasBody(state, into)) state.edges = state.edges.filter((e) => !(e.src === into.entry.id && e.dst === into.exit.id && e.memlet.data === null));
  removeNode(state, from.entry);
  removeNode(state, from.exit);
  pruneConnectors(state, into.entry);
  pruneConnectors(state, into.exit);
}

/** Whether a map entry has a successor other than its own exit. */
function hasBody(state: State, map: { entry: MapEntry; exit: MapExit }): boolean {
  return state.edges.some((e) => e.src === map.entry.id && e.dst !== map.exit.id);
}
