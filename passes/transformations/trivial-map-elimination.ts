// TrivialMapElimination: a map dimension with exactly one iteration is removed (its parameter replaced by the
// range's begin everywhere inside); a map left without dimensions is removed, its body lifted into the parent scope.
import type { SDFG } from '../../graph/sdfg.js';
import { rangeSize } from '../../graph/subsets.js';
import type { Expr } from '../../graph/symbolic.js';
import { proveEqual } from '../../graph/symbolic-compare.js';
import { defineTransformation } from '../framework.js';
import {
  type MapCandidate, describeMapCandidate, mapCandidates, mustResolveMap, rawCodeReading, repropagate, resolveMap, substituteInScope,
} from './helpers.js';
import { dissolveMap } from './helpers-scope.js';
import type { MapScope } from '../../graph/nodes.js';

function trivialDims(map: MapScope): number[] {
  return map.ranges.map((r, d) => (proveEqual(rangeSize(r), 1) === true ? d : -1)).filter((d) => d >= 0);
}

function canApply(_sdfg: SDFG, c: MapCandidate): true | string {
  const found = resolveMap(c.state, c.entry);
  if (typeof found === 'string') return found;
  const map = found.entry.map;
  const dims = trivialDims(map);
  if (dims.length === 0) return `no dimension of ${map.label} has exactly one iteration`;
  const raw = rawCodeReading(c.state, found.entry, dims.map((d) => map.params[d]!));
  return raw ?? true;
}

function apply(sdfg: SDFG, c: MapCandidate): void {
  const { entry, exit } = mustResolveMap(c.state, c.entry);
  const map = entry.map;
  const dims = trivialDims(map);
  const bindings: Record<string, Expr> = {};
  for (const d of dims) bindings[map.params[d]!] = map.ranges[d]!.begin;
  // The innermost dimension is the one a SIMD width was chosen for.
  if (dims.includes(map.params.length - 1)) delete map.vectorWidth;
  map.params = map.params.filter((_, d) => !dims.includes(d));
  map.ranges = map.ranges.filter((_, d) => !dims.includes(d));
  map.collapse = Math.max(1, Math.min(map.collapse, map.params.length));
  substituteInScope(c.state, entry, bindings);
  if (map.params.length === 0) dissolveMap(c.state, entry, exit);
  repropagate(sdfg, c.state);
}

export const trivialMapElimination = defineTransformation<MapCandidate, Record<string, never>>({
  name: 'TrivialMapElimination',
  summary: 'Remove map dimensions with a single iteration, and maps left with none',
  modifies: ['nodes', 'edges', 'memlets'],
  defaults: {},
  candidates: (sdfg) => mapCandidates(sdfg),
  canApply,
  apply,
  describe: describeMapCandidate,
});
