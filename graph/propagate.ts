// Memlet propagation: the subset a scope touches, from the subsets its inside touches for every parameter value.
import type { Range, Subset } from './subsets.js';
import { range, subset, subsetVolume, rangeSize, toInclusiveEnd, fullSubset } from './subsets.js';
import type { Assumptions, SymbolBounds } from './symbolic-compare.js';
import { bounds } from './symbolic-compare.js';
import { type Expr, mul } from './symbolic.js';

/** Bounds of each parameter of a scope, for symbolic comparisons (inclusive). */
export function paramAssumptions(params: readonly string[], ranges: readonly Range[], outer: Assumptions = {}): Assumptions {
  const result: Record<string, SymbolBounds> = { ...outer };
  params.forEach((p, d) => {
    const r = ranges[d]!;
    result[p] = { lo: r.begin, hi: toInclusiveEnd(r) };
  });
  return result;
}

/**
 * The bounding subset of `inner` over all values of `params` in `ranges`: per dimension the lowest
 * begin and the highest end. Falls back to the whole container (`shape`) in a dimension whose
 * bounds cannot be found symbolically.
 */
export function propagateSubset(
  inner: Subset, params: readonly string[], ranges: readonly Range[], shape?: readonly Expr[],
): Subset {
  const assumptions = paramAssumptions(params, ranges);
  const paramSet = new Set(params);
  const whole = shape ? fullSubset(shape) : undefined;
  return subset(...inner.ranges.map((r, d) => {
    const touches = [...r.begin.freeSymbols(), ...r.end.freeSymbols()].some((s) => paramSet.has(s));
    if (!touches) return r;
    const lo = bounds(r.begin, assumptions).lo;
    const hi = bounds(r.end.sub(1), assumptions).hi;
    if (lo && hi && !hasAny(lo, paramSet) && !hasAny(hi, paramSet)) return range(lo, hi.add(1));
    if (whole) return whole.ranges[d]!;
    return r;
  }));
}

function hasAny(e: Expr, names: Set<string>): boolean {
  for (const s of e.freeSymbols()) if (names.has(s)) return true;
  return false;
}

/** Elements moved by a scope: the inner volume times the number of iterations. */
export function propagateVolume(innerVolume: Expr, ranges: readonly Range[]): Expr {
  return mul(innerVolume, ...ranges.map(rangeSize));
}

export { subsetVolume };

import type { SDFG, State, Edge } from './sdfg.js';
import type { ScopeEntry, ScopeExit } from './nodes.js';
import { isScopeEntry, isScopeExit } from './nodes.js';
import { scopeDict, nodeById, exitOf } from './query.js';
import { boundingUnion } from './subsets.js';
import { dataShape } from './data.js';
import { add, int } from './symbolic.js';
import type { Memlet } from './memlet.js';

function scopeParams(entry: ScopeEntry): { params: string[]; ranges: Range[] } {
  if (entry.kind === 'MapEntry') return { params: entry.map.params, ranges: entry.map.ranges };
  return { params: [entry.consume.peIndex], ranges: [range(0, entry.consume.numPes)] };
}

function depthOf(id: number, dict: Map<number, number | null>): number {
  let depth = 0;
  for (let p = dict.get(id) ?? null; p !== null; p = dict.get(p) ?? null) depth++;
  return depth;
}

/** The outer memlet that covers the given inner ones for all iterations of a scope. */
function coverMemlet(sdfg: SDFG, inner: readonly Memlet[], entry: ScopeEntry, keepWcr: boolean, outerData: string | null): Memlet | undefined {
  // Inner memlets name the outer container, or (for a copy into a scope-local buffer) the buffer, with the
  // outer container's elements in otherSubset.
  const data = outerData ?? inner.find((m) => m.data !== null)?.data ?? null;
  if (data === null) return undefined;
  const withData = inner
    .map((m) => (m.data === data ? m : m.otherSubset ? { ...m, data, subset: m.otherSubset, otherSubset: m.subset } : m))
    .filter((m) => m.data === data && m.subset !== null);
  if (withData.length === 0) return undefined;
  const desc = sdfg.arrays[data];
  const shape = desc ? dataShape(desc) : undefined;
  const { params, ranges } = scopeParams(entry);
  let cover: Subset | undefined;
  let volume: Expr = int(0);
  let dynamic = false;
  for (const m of withData) {
    const outer = propagateSubset(m.subset!, params, ranges, shape);
    cover = cover ? boundingUnion(cover, outer) : outer;
    // a volume that varies with the scope's parameters (a tile's ragged edge) is bounded by the covered subset
    const varies = [...m.volume.freeSymbols()].some((s) => params.includes(s));
    volume = add(volume, varies ? subsetVolume(outer) : propagateVolume(m.volume, ranges));
    dynamic ||= m.dynamic;
  }
  const wcr = keepWcr ? withData.find((m) => m.wcr)?.wcr ?? null : null;
  return { data, subset: cover!, otherSubset: null, volume, dynamic, wcr };
}

/** The container an outer edge carries: the access node at its far end, else what the edge already names. */
function outerDataOf(state: State, farEnd: number, current: Memlet): string | null {
  const node = nodeById(state, farEnd);
  return node?.kind === 'AccessNode' ? node.data : current.data;
}

/**
 * Recompute the memlets on the outer side of every scope in a state from the memlets inside it,
 * innermost scopes first (entry `IN_x` from the `OUT_x` edges; exit `OUT_x` from the `IN_x` edges).
 */
export function propagateMemletsInState(sdfg: SDFG, state: State): void {
  const dict = scopeDict(state);
  const entries = state.nodes.filter(isScopeEntry).sort((a, b) => depthOf(b.id, dict) - depthOf(a.id, dict));
  for (const entry of entries) {
    for (const inEdge of state.edges.filter((e) => e.dst === entry.id && e.dstConn?.startsWith('IN_'))) {
      const inner = state.edges.filter((e) => e.src === entry.id && e.srcConn === 'OUT_' + inEdge.dstConn!.slice(3));
      const cover = coverMemlet(sdfg, inner.map((e) => e.memlet), entry, false, outerDataOf(state, inEdge.src, inEdge.memlet));
      if (cover) inEdge.memlet = cover;
    }
    const exit: ScopeExit | undefined = exitOf(state, entry);
    if (!exit) continue;
    for (const outEdge of state.edges.filter((e) => e.src === exit.id && e.srcConn?.startsWith('OUT_'))) {
      const inner = state.edges.filter((e) => e.dst === exit.id && e.dstConn === 'IN_' + outEdge.srcConn!.slice(4));
      const cover = coverMemlet(sdfg, inner.map((e) => e.memlet), entry, true, outerDataOf(state, outEdge.dst, outEdge.memlet));
      if (cover) outEdge.memlet = cover;
    }
  }
}

/** Propagate memlets in every state of an SDFG (not into nested SDFGs). */
export function propagateMemlets(sdfg: SDFG, states: Iterable<State>): void {
  for (const state of states) propagateMemletsInState(sdfg, state);
}

export type { Edge };
export { isScopeExit, nodeById };
