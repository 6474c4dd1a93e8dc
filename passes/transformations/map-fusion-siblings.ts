// MapFusionSiblings: two independent maps of the same ranges in the same scope of a state become one map.
import type { SDFG } from '../../graph/sdfg.js';
import { nodeById, scopeDict } from '../../graph/query.js';
import type { Expr } from '../../graph/symbolic.js';
import { sym } from '../../graph/symbolic.js';
import { defineTransformation } from '../framework.js';
import {
  type StateRef, formatMapRanges, mapEntriesOf, mustResolveMap, rangesEqual, rawCodeReading, reaches, repropagate, resolveMap,
  scopeData, statesOf, substituteInScope,
} from './helpers.js';
import { mergeMapInto } from './helpers-scope.js';

/** Two map entries of one state, by ids (`first` has the smaller id). */
export interface SiblingCandidate extends StateRef {
  readonly first: number;
  readonly second: number;
}

function* candidates(sdfg: SDFG): Generator<SiblingCandidate> {
  for (const ref of statesOf(sdfg)) {
    const entries = mapEntriesOf(ref.state);
    const dict = scopeDict(ref.state);
    for (const a of entries) {
      for (const b of entries) {
        if (a.id < b.id && (dict.get(a.id) ?? null) === (dict.get(b.id) ?? null)) yield { ...ref, first: a.id, second: b.id };
      }
    }
  }
}

/** The renaming of the second map's parameters to the first's under which their ranges agree. */
function matchRanges(c: SiblingCandidate): Record<string, Expr> | string {
  const a = mustResolveMap(c.state, c.first).entry.map, b = mustResolveMap(c.state, c.second).entry.map;
  if (a.params.length !== b.params.length) return `${a.label} has ${a.params.length} dimensions and ${b.label} has ${b.params.length}`;
  const free = new Set(a.params.map((_, k) => k));
  const bindings: Record<string, Expr> = {};
  for (const [d, r] of b.ranges.entries()) {
    const k = [...free].find((j) => rangesEqual(r, a.ranges[j]!));
    if (k === undefined) return `the ranges differ: ${a.label} ${formatMapRanges(a)} and ${b.label} ${formatMapRanges(b)}`;
    free.delete(k);
    bindings[b.params[d]!] = sym(a.params[k]!);
  }
  return bindings;
}

function canApply(_sdfg: SDFG, c: SiblingCandidate): true | string {
  const first = resolveMap(c.state, c.first), second = resolveMap(c.state, c.second);
  if (typeof first === 'string') return first;
  if (typeof second === 'string') return second;
  const [a, b] = [first.entry.map.label, second.entry.map.label];
  const dict = scopeDict(c.state);
  if ((dict.get(first.entry.id) ?? null) !== (dict.get(second.entry.id) ?? null)) return `${a} and ${b} are in different scopes`;
  if (reaches(c.state, first.exit.id, second.entry.id)) return `${b} depends on ${a} (a path leads from one to the other)`;
  if (reaches(c.state, second.exit.id, first.entry.id)) return `${a} depends on ${b} (a path leads from one to the other)`;
  const bindings = matchRanges(c);
  if (typeof bindings === 'string') return bindings;
  const [readsA, writesA] = [scopeData(c.state, first.entry, 'in'), scopeData(c.state, first.exit, 'out')];
  const [readsB, writesB] = [scopeData(c.state, second.entry, 'in'), scopeData(c.state, second.exit, 'out')];
  for (const d of writesB) {
    if (writesA.has(d)) return `both ${a} and ${b} write ${d}`;
    if (readsA.has(d)) return `${b} writes ${d}, which ${a} reads`;
  }
  for (const d of writesA) if (readsB.has(d)) return `${a} writes ${d}, which ${b} reads`;
  const renamed = Object.entries(bindings).filter(([k, v]) => v.symbolName() !== k).map(([k]) => k);
  return (renamed.length ? rawCodeReading(c.state, second.entry, renamed, dict) : undefined) ?? true;
}

function apply(sdfg: SDFG, c: SiblingCandidate): void {
  const first = mustResolveMap(c.state, c.first), second = mustResolveMap(c.state, c.second);
  substituteInScope(c.state, second.entry, matchRanges(c) as Record<string, Expr>);
  const map = first.entry.map;
  map.label = `${map.label}_${second.entry.map.label}`;
  first.entry.label = first.exit.label = map.label;
  mergeMapInto(c.state, first, second);
  repropagate(sdfg, c.state);
}

function describe(c: SiblingCandidate): string {
  const label = (id: number): string => {
    const n = nodeById(c.state, id);
    return n?.kind === 'MapEntry' ? n.map.label : `n${id}`;
  };
  return `${label(c.first)} and ${label(c.second)} in state ${c.state.label}`;
}

export const mapFusionSiblings = defineTransformation<SiblingCandidate, Record<string, never>>({
  name: 'MapFusionSiblings',
  summary: 'Fuse two independent maps of the same ranges in one state into one map',
  modifies: ['nodes', 'edges', 'memlets'],
  defaults: {},
  candidates,
  canApply,
  apply,
  describe,
});
