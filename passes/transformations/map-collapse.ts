// MapCollapse: a map nested directly in another (nothing else between them) joins it as extra dimensions.
import type { SDFG } from '../../graph/sdfg.js';
import { scopeDict } from '../../graph/query.js';
import { defineTransformation } from '../framework.js';
import {
  type MapCandidate, carriedDependence, describeMapCandidate, directlyNestedMap, mapCandidates, mustResolveMap, pruneConnectors, repropagate, resolveMap,
} from './helpers.js';
import { dissolveMap } from './helpers-scope.js';

function canApply(_sdfg: SDFG, c: MapCandidate): true | string {
  const found = resolveMap(c.state, c.entry);
  if (typeof found === 'string') return found;
  const outer = found.entry.map;
  const inner = directlyNestedMap(c.state, found.entry, scopeDict(c.state));
  if (!inner) return `${outer.label} does not hold exactly one map and nothing else`;
  for (const [d, r] of inner.entry.map.ranges.entries()) {
    const uses = outer.params.filter((p) => [r.begin, r.end, r.step].some((e) => e.freeSymbols().has(p)));
    if (uses.length) return `the range of ${inner.entry.map.params[d]} depends on ${uses.join(', ')}`;
  }
  const clash = inner.entry.map.params.find((p) => outer.params.includes(p));
  if (clash !== undefined) return `both maps have a parameter named ${clash}`;
  // Joining a sequential inner map to a parallel outer one runs its iterations in parallel.
  if (inner.entry.map.schedule !== outer.schedule) {
    const carried = carriedDependence(c.state, inner.entry, inner.exit);
    if (carried) return carried;
  }
  return true;
}

function apply(sdfg: SDFG, c: MapCandidate): void {
  const { entry, exit } = mustResolveMap(c.state, c.entry);
  const inner = directlyNestedMap(c.state, entry)!;
  const map = entry.map;
  map.params = [...map.params, ...inner.entry.map.params];
  map.ranges = [...map.ranges, ...inner.entry.map.ranges];
  map.collapse = map.params.length;
  dissolveMap(c.state, inner.entry, inner.exit);
  pruneConnectors(c.state, entry);
  pruneConnectors(c.state, exit);
  repropagate(sdfg, c.state);
}

export const mapCollapse = defineTransformation<MapCandidate, Record<string, never>>({
  name: 'MapCollapse',
  summary: 'Collapse a map nested directly in another into one multi-dimensional map',
  modifies: ['nodes', 'edges', 'memlets'],
  defaults: {},
  candidates: (sdfg) => mapCandidates(sdfg),
  canApply,
  apply,
  describe: describeMapCandidate,
});
