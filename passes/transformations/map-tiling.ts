// MapTiling: `i = b:e:s` becomes an outer map over tile starts `i_tile = b:e:T*s` and an inner map `i = i_tile:Min(i_tile + T*s, e):s`.
import type { MapEntry, MapScope, ScheduleType } from '../../graph/nodes.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { range, rangeSize, type Range } from '../../graph/subsets.js';
import { min, sym } from '../../graph/symbolic.js';
import { proveLessEqual } from '../../graph/symbolic-compare.js';
import { scopeDict, nodeById } from '../../graph/query.js';
import { defineTransformation } from '../framework.js';
import {
  type MapCandidate, describeMapCandidate, directlyNestedMap, freshSymbolName, mapCandidates, mustResolveMap, repropagate, resolveMap,
} from './helpers.js';
import { addMapNodes, wrapInOuterMap } from './helpers-scope.js';

export interface MapTilingOptions {
  /** Tile size per dimension; dimensions past the list use its last entry; 1 leaves a dimension untiled. */
  tileSizes: number[];
}

function tileSizeOf(options: MapTilingOptions, d: number): number {
  return options.tileSizes[Math.min(d, options.tileSizes.length - 1)]!;
}

/** Whether a map is one half of an earlier tiling: the inner map starts at its parent's parameters, or the outer holds such a map. */
function alreadyTiled(state: State, entry: MapEntry): boolean {
  const dict = scopeDict(state);
  const startsAtParams = (inner: MapScope, outer: MapScope): boolean => inner.ranges.some((r) => outer.params.includes(r.begin.symbolName() ?? ''));
  const nested = directlyNestedMap(state, entry, dict);
  if (nested && startsAtParams(nested.entry.map, entry.map)) return true;
  const parentId = dict.get(entry.id) ?? null;
  const parent = parentId === null ? undefined : nodeById(state, parentId);
  return parent?.kind === 'MapEntry' && directlyNestedMap(state, parent, dict)?.entry === entry && startsAtParams(entry.map, parent.map);
}

/** Dimensions worth tiling: tile size above 1 and more iterations than one tile (when that is provable). */
function tiledDims(map: MapScope, options: MapTilingOptions): number[] {
  return map.params.map((_, d) => d).filter((d) => {
    const t = tileSizeOf(options, d);
    return t > 1 && proveLessEqual(rangeSize(map.ranges[d]!), t) !== true;
  });
}

function canApply(_sdfg: SDFG, c: MapCandidate, options: MapTilingOptions): true | string {
  const bad = options.tileSizes.find((t) => !Number.isInteger(t) || t < 1);
  if (options.tileSizes.length === 0 || bad !== undefined) return `tile sizes must be positive integers, got [${options.tileSizes.join(', ')}]`;
  const found = resolveMap(c.state, c.entry);
  if (typeof found === 'string') return found;
  const { map } = found.entry;
  for (const [d, r] of map.ranges.entries()) {
    const step = r.step.constantValue();
    if (step === undefined || step <= 0) return `the step of ${map.params[d]} is ${r.step.toString()}, not a positive constant`;
  }
  if (alreadyTiled(c.state, found.entry)) return `${map.label} is already tiled`;
  if (tiledDims(map, options).length === 0) return `every dimension of ${map.label} fits in one tile`;
  return true;
}

/** The inner map keeps a CPU map's loops sequential: the parallelism is in the outer map over tiles. */
function innerSchedule(schedule: ScheduleType): ScheduleType {
  return schedule === 'Default' || schedule === 'CPU_Multicore' ? 'Sequential' : schedule;
}

function apply(sdfg: SDFG, c: MapCandidate, options: MapTilingOptions): void {
  const { entry, exit } = mustResolveMap(c.state, c.entry);
  const map = entry.map;
  const dims = tiledDims(map, options);
  const outerParams: string[] = [];
  const outerRanges: Range[] = [];
  const innerRanges = [...map.ranges];
  for (const d of dims) {
    const r = map.ranges[d]!;
    const tile = r.step.mul(tileSizeOf(options, d));
    const param = freshSymbolName(sdfg, c.state, `${map.params[d]}_tile`);
    outerParams.push(param);
    outerRanges.push(range(r.begin, r.end, tile));
    innerRanges[d] = range(sym(param), min(sym(param).add(tile), r.end), r.step);
  }
  const outerMap: MapScope = { label: `${map.label}_tiles`, params: outerParams, ranges: outerRanges, schedule: map.schedule, unroll: false, collapse: 1 };
  map.ranges = innerRanges;
  map.schedule = innerSchedule(map.schedule);
  map.collapse = 1;
  wrapInOuterMap(c.state, entry, exit, addMapNodes(c.state, outerMap, entry));
  repropagate(sdfg, c.state);
}

export const mapTiling = defineTransformation<MapCandidate, MapTilingOptions>({
  name: 'MapTiling',
  summary: 'Tile a map: an outer map over tiles and an inner map over the elements of one tile',
  modifies: ['nodes', 'edges', 'memlets', 'schedules'],
  defaults: { tileSizes: [64] },
  candidates: (sdfg) => mapCandidates(sdfg),
  canApply,
  apply,
  describe: describeMapCandidate,
});
