// MapExpansion: a multi-dimensional map becomes nested one-dimensional maps, outermost first.
import type { MapScope } from '../../graph/nodes.js';
import type { SDFG } from '../../graph/sdfg.js';
import { defineTransformation } from '../framework.js';
import { type MapCandidate, describeMapCandidate, mapCandidates, mustResolveMap, repropagate, resolveMap } from './helpers.js';
import { addMapNodes, wrapInOuterMap } from './helpers-scope.js';

function canApply(_sdfg: SDFG, c: MapCandidate): true | string {
  const found = resolveMap(c.state, c.entry);
  if (typeof found === 'string') return found;
  if (found.entry.map.params.length < 2) return `${found.entry.map.label} has only one dimension`;
  return true;
}

/**
 * The original entry and exit become the innermost map (so the body's edges stay as they are); new
 * maps wrap it for the other dimensions. The outermost keeps the label and schedule; the inner ones
 * run sequentially inside it, as loops.
 */
function apply(sdfg: SDFG, c: MapCandidate): void {
  const { entry, exit } = mustResolveMap(c.state, c.entry);
  const map = entry.map;
  const { params, ranges, label, schedule } = map;
  const last = params.length - 1;
  map.params = [params[last]!];
  map.ranges = [ranges[last]!];
  map.label = `${label}_${params[last]}`;
  map.schedule = 'Sequential';
  map.collapse = 1;
  entry.label = exit.label = map.label;
  let inner = { entry, exit };
  for (let d = last - 1; d >= 0; d--) {
    const scope: MapScope = {
      label: d === 0 ? label : `${label}_${params[d]}`, params: [params[d]!], ranges: [ranges[d]!],
      schedule: d === 0 ? schedule : 'Sequential', unroll: false, collapse: 1,
    };
    const outer = addMapNodes(c.state, scope, entry);
    wrapInOuterMap(c.state, inner.entry, inner.exit, outer);
    inner = outer;
  }
  repropagate(sdfg, c.state);
}

export const mapExpansion = defineTransformation<MapCandidate, Record<string, never>>({
  name: 'MapExpansion',
  summary: 'Expand a multi-dimensional map into nested one-dimensional maps',
  modifies: ['nodes', 'edges', 'memlets', 'schedules'],
  defaults: {},
  candidates: (sdfg) => mapCandidates(sdfg),
  canApply,
  apply,
  describe: describeMapCandidate,
});
