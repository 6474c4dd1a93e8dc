// Which scope every node of a state is in, computed from reachability so that malformed graphs still get an answer.
import type { Edge } from '../sdfg.js';
import type { Node, ScopeEntry, ScopeExit } from '../nodes.js';
import { isScopeEntry, isScopeExit, scopeObject } from '../nodes.js';
import type { StateInfo } from './context.js';

export interface ScopeAnalysis {
  /** Matched pairs, found by the scope object entry and exit share. */
  readonly exitOf: ReadonlyMap<number, ScopeExit>;
  readonly entryOf: ReadonlyMap<number, ScopeEntry>;
  readonly unmatchedEntries: readonly ScopeEntry[];
  readonly unmatchedExits: readonly ScopeExit[];
  /** Innermost enclosing entry id of each node (null at the top); a matched exit maps to its own entry. */
  readonly parent: ReadonlyMap<number, number | null>;
  /** The scope the source end of an edge is in: an entry's inside, an exit's outside. */
  srcSide(e: Edge): number | null;
  /** The scope the destination end of an edge is in: an exit's inside, an entry's outside. */
  dstSide(e: Edge): number | null;
  /**
   * The deeper of the two ends' scopes: where the edge's memlet lives (map parameters are in scope there).
   * The two are the same except on an edge that crosses a scope boundary.
   */
  innerSide(e: Edge): number | null;
  /** The scope entries around a scope, innermost first (the scope itself included). */
  enclosing(scope: number | null): ScopeEntry[];
  /** The entry id of the scope a node is directly in (an exit: the scope around its entry). */
  outerOf(node: Node): number | null;
}

/**
 * A node is inside a matched scope (entry E, exit X) when it is reachable from E without passing X and
 * reaches X without passing E. Dead ends reached only from inside and sources feeding only the inside
 * count as inside too. An edge that bypasses the entry or exit then shows up as one whose two ends are
 * in different scopes, instead of silently moving nodes between scopes the way propagation would.
 */
export function analyzeScopes(st: StateInfo): ScopeAnalysis {
  const exitOf = new Map<number, ScopeExit>(), entryOf = new Map<number, ScopeEntry>();
  const unmatchedEntries: ScopeEntry[] = [], unmatchedExits: ScopeExit[] = [];
  const byScope = new Map<object, { entry?: ScopeEntry; exit?: ScopeExit }>();
  for (const n of st.nodeList) {
    if (!isScopeEntry(n) && !isScopeExit(n)) continue;
    const key = scopeObject(n);
    const slot = byScope.get(key) ?? {};
    byScope.set(key, slot);
    if (isScopeEntry(n)) { if (slot.entry) unmatchedEntries.push(n); else slot.entry = n; }
    else if (slot.exit) unmatchedExits.push(n);
    else slot.exit = n;
  }
  for (const { entry, exit } of byScope.values()) {
    if (entry && exit) { exitOf.set(entry.id, exit); entryOf.set(exit.id, entry); }
    else if (entry) unmatchedEntries.push(entry);
    else if (exit) unmatchedExits.push(exit);
  }

  const members = new Map<number, Set<number>>();
  for (const [entryId, exit] of exitOf) members.set(entryId, scopeMembers(st, entryId, exit.id));

  // Outer scopes first, so that inner ones overwrite: nested members are subsets of their parents'.
  const parent = new Map<number, number | null>(st.nodeList.map((n) => [n.id, null]));
  for (const [entryId, inside] of [...members].sort((a, b) => b[1].size - a[1].size)) {
    for (const id of inside) parent.set(id, entryId);
  }
  for (const [exitId, entry] of entryOf) parent.set(exitId, entry.id);

  const outerOf = (node: Node): number | null => {
    const entry = entryOf.get(node.id);
    return entry ? parent.get(entry.id) ?? null : parent.get(node.id) ?? null;
  };
  const enclosing = (scope: number | null): ScopeEntry[] => {
    const chain: ScopeEntry[] = [];
    const seen = new Set<number>();
    for (let s = scope; s !== null && !seen.has(s); s = parent.get(s) ?? null) {
      seen.add(s);
      const n = st.node(s);
      if (n && isScopeEntry(n)) chain.push(n);
    }
    return chain;
  };
  const srcSide = (e: Edge): number | null => (exitOf.has(e.src) ? e.src : outerOf(st.node(e.src)!));
  const dstSide = (e: Edge): number | null => entryOf.get(e.dst)?.id ?? parent.get(e.dst) ?? null;
  const innerSide = (e: Edge): number | null => {
    const s = srcSide(e), d = dstSide(e);
    return s === d || enclosing(d).length >= enclosing(s).length ? d : s;
  };
  return { exitOf, entryOf, unmatchedEntries, unmatchedExits, parent, enclosing, outerOf, srcSide, dstSide, innerSide };
}

/** The nodes strictly inside one matched scope (neither its entry nor its exit). */
function scopeMembers(st: StateInfo, entry: number, exit: number): Set<number> {
  const forward = reach(entry, exit, (id) => st.outEdges(id).map((e) => e.dst));
  const backward = reach(exit, entry, (id) => st.inEdges(id).map((e) => e.src));
  const inside = new Set([...forward].filter((id) => backward.has(id)));
  const position = st.orderIndex;
  // In a cyclic state "only fed from inside" is ill-defined; the core alone is the answer there.
  if (!position) return inside;
  // Only the few nodes outside the core are candidates; visiting them in topological order (sinks) and
  // reverse order (sources) lets a chain of them join one after another, without walking the whole state.
  const byOrder = (ids: Iterable<number>): number[] => [...ids].filter((id) => !inside.has(id)).sort((a, b) => position.get(a)! - position.get(b)!);
  for (const id of byOrder(forward)) {
    if (canBeLocal(st, st.node(id)!) && st.inEdges(id).every((e) => e.src === entry || inside.has(e.src))) inside.add(id);
  }
  for (const id of byOrder(backward).reverse()) {
    if (canBeLocal(st, st.node(id)!) && st.outEdges(id).every((e) => e.dst === exit || inside.has(e.dst))) inside.add(id);
  }
  return inside;
}

/**
 * Whether a dead end (or a source) next to a scope's inside may belong to it. Scratch data and code may;
 * an argument container may not: its accesses must pass the scope's entry or exit to be seen outside.
 */
function canBeLocal(st: StateInfo, n: Node): boolean {
  return n.kind !== 'AccessNode' || st.desc(n.data)?.transient !== false;
}

/** Nodes reachable from `start` (excluded) without expanding `stop` (excluded). */
function reach(start: number, stop: number, next: (id: number) => number[]): Set<number> {
  const seen = new Set<number>();
  const todo = [start];
  while (todo.length) {
    for (const m of next(todo.pop()!)) {
      if (m === stop || m === start || seen.has(m)) continue;
      seen.add(m);
      todo.push(m);
    }
  }
  return seen;
}
