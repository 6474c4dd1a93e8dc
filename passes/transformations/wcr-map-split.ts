// WcrMapSplit: a map that sums (or min/max/…) into an output over some of its parameters becomes a map over the
// output's parameters around a sequential map over the reduced ones, so each output element has one writer.
import type { Edge } from '../../graph/sdfg.js';
import type { MapEntry, MapExit, MapScope } from '../../graph/nodes.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { beginsAffineIn, rangeSize } from '../../graph/subsets.js';
import { scopeNodes } from '../../graph/query.js';
import { defineTransformation } from '../framework.js';
import { type MapCandidate, describeMapCandidate, mapCandidates, mustResolveMap, repropagate, resolveMap } from './helpers.js';
import { addMapNodes, wrapInOuterMap } from './helpers-scope.js';

/** The edges into a map's exit that write with a write-conflict resolution. */
function wcrWrites(state: State, exit: MapExit): Edge[] {
  return state.edges.filter((e) => e.dst === exit.id && e.memlet.data !== null && e.memlet.wcr);
}

/**
 * Whether a write names one element per value of `param`: some dimension is the single index `c·param + rest`
 * (c a nonzero constant) where `rest` mentions none of `others`.
 */
export function writeIsExclusiveIn(edge: Edge, param: string, others: ReadonlySet<string>): boolean {
  return (edge.memlet.subset?.ranges ?? []).some((r) => rangeSize(r).equals(1) && beginsAffineIn(r, param, others));
}

interface Split { readonly outer: number[]; readonly inner: number[] }

export interface WcrMapSplitOptions {
  /**
   * 'contiguous' (default): the parameter that walks the most memlets along their last (contiguous) dimension ends
   * up innermost, also when it indexes the output (`C[i, j] += A[i, k] * B[k, j]` becomes i around k, j). 'given':
   * the output's parameters outside, the reduced ones inside, each in the map's order.
   */
  readonly order: 'contiguous' | 'given';
}

/** The parameter indexing the last dimension of the most memlets in the map's body (ties: the later parameter). */
function contiguousParameter(state: State, entry: MapEntry, exit: MapExit): string {
  const params = entry.map.params;
  const counts = new Map(params.map((p) => [p, 0]));
  const inside = new Set([entry.id, exit.id, ...scopeNodes(state, entry).map((n) => n.id)]);
  for (const e of state.edges) {
    if (e.memlet.data === null || !e.memlet.subset || e.src === exit.id || e.dst === entry.id || !inside.has(e.src) || !inside.has(e.dst)) continue;
    const last = e.memlet.subset.ranges[e.memlet.subset.ranges.length - 1];
    for (const s of last?.begin.freeSymbols() ?? []) if (counts.has(s)) counts.set(s, counts.get(s)! + 1);
  }
  return params.reduce((best, p) => (counts.get(p)! >= counts.get(best)! ? p : best), params[0]!);
}

/** Dimensions of the map that the conflicting writes index (outer) and those they reduce over (inner). */
function splitOf(state: State, entry: MapEntry, exit: MapExit, options: WcrMapSplitOptions): Split | string {
  const map = entry.map;
  const label = map.label;
  if (map.params.length < 2) return `${label} has only one dimension`;
  const writes = wcrWrites(state, exit);
  if (writes.length === 0) return `${label} writes nothing with a wcr`;
  const indexed = new Set<string>();
  for (const e of writes) {
    if (e.memlet.dynamic) return `${label} writes ${e.memlet.data} at data-dependent places`;
    for (const r of e.memlet.subset?.ranges ?? []) for (const s of [...r.begin.freeSymbols(), ...r.end.freeSymbols()]) indexed.add(s);
  }
  let outer = map.params.flatMap((p, d) => (indexed.has(p) ? [d] : []));
  let inner = map.params.flatMap((p, d) => (indexed.has(p) ? [] : [d]));
  if (inner.length === 0) return `every parameter of ${label} indexes its wcr output: nothing is reduced`;
  if (outer.length === 0) return `no parameter of ${label} indexes its wcr output: every iteration updates the same elements`;
  if (options.order === 'contiguous') {
    // The inner loop should walk memory in order: the contiguous parameter goes last, even from among the output's.
    const d = map.params.indexOf(contiguousParameter(state, entry, exit));
    if (outer.includes(d)) {
      outer = outer.filter((x) => x !== d);
      if (outer.length === 0) {
        return `only ${map.params[d]} indexes the output of ${label}, and it walks memory contiguously: kept innermost, it leaves nothing to run in parallel`;
      }
    }
    inner = [...inner.filter((x) => x !== d), d];
  }
  const params = new Set(map.params);
  for (const e of writes) {
    for (const d of outer) {
      const p = map.params[d]!;
      const others = new Set([...params].filter((q) => q !== p));
      if (!writeIsExclusiveIn(e, p, others)) return `${e.memlet.data} is not written at one element per value of ${p}: conflicts would remain`;
    }
  }
  const innerParams = new Set(inner.map((d) => map.params[d]!));
  for (const d of outer) {
    const uses = [...map.ranges[d]!.begin.freeSymbols(), ...map.ranges[d]!.end.freeSymbols(), ...map.ranges[d]!.step.freeSymbols()];
    const used = uses.find((s) => innerParams.has(s));
    if (used !== undefined) return `the range of ${map.params[d]} depends on the inner parameter ${used}`;
  }
  return { outer, inner };
}

function canApply(_sdfg: SDFG, c: MapCandidate, options: WcrMapSplitOptions): true | string {
  const found = resolveMap(c.state, c.entry);
  if (typeof found === 'string') return found;
  const split = splitOf(c.state, found.entry, found.exit, options);
  return typeof split === 'string' ? split : true;
}

/** The original entry and exit keep the body and become the inner, sequential map; a new map wraps them. */
function apply(sdfg: SDFG, c: MapCandidate, options: WcrMapSplitOptions): void {
  const { entry, exit } = mustResolveMap(c.state, c.entry);
  const split = splitOf(c.state, entry, exit, options) as Split;
  const map = entry.map;
  const { params, ranges, label, schedule } = map;
  const outerScope: MapScope = {
    label, params: split.outer.map((d) => params[d]!), ranges: split.outer.map((d) => ranges[d]!), schedule, unroll: false, collapse: 1,
  };
  map.params = split.inner.map((d) => params[d]!);
  map.ranges = split.inner.map((d) => ranges[d]!);
  map.label = `${label}_reduce`;
  map.schedule = 'Sequential';
  map.collapse = 1;
  delete map.vectorWidth;
  entry.label = exit.label = map.label;
  const outer = addMapNodes(c.state, outerScope, entry);
  wrapInOuterMap(c.state, entry, exit, outer);
  repropagate(sdfg, c.state);
}

export const wcrMapSplit = defineTransformation<MapCandidate, WcrMapSplitOptions>({
  name: 'WcrMapSplit',
  summary: 'Split a map reducing into its output (wcr) into a map over the output\'s parameters around a sequential map over the reduced ones',
  modifies: ['nodes', 'edges', 'memlets', 'schedules'],
  defaults: { order: 'contiguous' },
  candidates: (sdfg) => mapCandidates(sdfg),
  canApply,
  apply,
  describe: describeMapCandidate,
});
