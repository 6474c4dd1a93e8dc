// MapInterchange: reorder the dimensions of a multi-dimensional map, or swap a map with the one nested directly in it.
import type { SDFG } from '../../graph/sdfg.js';
import { nodeById, scopeDict } from '../../graph/query.js';
import { defineTransformation } from '../framework.js';
import {
  type MapCandidate, carriedDependence, directlyNestedMap, mapEntriesOf, mustResolveMap, repropagate, resolveMap, statesOf,
} from './helpers.js';

export interface MapInterchangeOptions {
  /** New order of the dimensions (`order[k]` is the old index of the new k-th one); empty: swap the two outermost. */
  order: number[];
}

/** `nested`: swap the map with the map nested directly inside it; otherwise permute its own dimensions. */
export interface InterchangeCandidate extends MapCandidate {
  readonly nested: boolean;
}

function* candidates(sdfg: SDFG): Generator<InterchangeCandidate> {
  for (const ref of statesOf(sdfg)) {
    for (const entry of mapEntriesOf(ref.state)) {
      if (entry.map.params.length >= 2) yield { ...ref, entry: entry.id, nested: false };
      if (directlyNestedMap(ref.state, entry)) yield { ...ref, entry: entry.id, nested: true };
    }
  }
}

function isPermutation(order: readonly number[], n: number): boolean {
  return order.length === n && [...order].sort((a, b) => a - b).every((v, k) => v === k);
}

function canApply(_sdfg: SDFG, c: InterchangeCandidate, options: MapInterchangeOptions): true | string {
  const found = resolveMap(c.state, c.entry);
  if (typeof found === 'string') return found;
  const map = found.entry.map;
  if (!c.nested) {
    const n = map.params.length;
    if (n < 2) return `${map.label} has only one dimension`;
    const order = options.order.length ? options.order : [1, 0, ...map.params.slice(2).map((_, k) => k + 2)];
    if (!isPermutation(order, n)) return `the order [${options.order.join(', ')}] is not a permutation of the ${n} dimensions of ${map.label}`;
    if (order.every((v, k) => v === k)) return `the order [${order.join(', ')}] leaves ${map.label} as it is`;
    return carriedDependence(c.state, found.entry, found.exit) ?? true;
  }
  if (options.order.length && !(options.order.length === 2 && options.order[0] === 1 && options.order[1] === 0)) {
    return `swapping two nested maps takes the order [1, 0], got [${options.order.join(', ')}]`;
  }
  const inner = directlyNestedMap(c.state, found.entry, scopeDict(c.state));
  if (!inner) return `${map.label} does not hold exactly one map and nothing else`;
  for (const [d, r] of inner.entry.map.ranges.entries()) {
    const uses = map.params.filter((p) => [r.begin, r.end, r.step].some((e) => e.freeSymbols().has(p)));
    if (uses.length) return `the range of ${inner.entry.map.params[d]} depends on ${uses.join(', ')}`;
  }
  return carriedDependence(c.state, found.entry, found.exit) ?? carriedDependence(c.state, inner.entry, inner.exit) ?? true;
}

function apply(sdfg: SDFG, c: InterchangeCandidate, options: MapInterchangeOptions): void {
  const { entry } = mustResolveMap(c.state, c.entry);
  const map = entry.map;
  if (!c.nested) {
    const order = options.order.length ? options.order : [1, 0, ...map.params.slice(2).map((_, k) => k + 2)];
    map.params = order.map((k) => map.params[k]!);
    map.ranges = order.map((k) => map.ranges[k]!);
    return;
  }
  const inner = directlyNestedMap(c.state, entry)!.entry.map;
  [map.params, inner.params] = [inner.params, map.params];
  [map.ranges, inner.ranges] = [inner.ranges, map.ranges];
  repropagate(sdfg, c.state);
}

function describe(c: InterchangeCandidate): string {
  const entry = nodeById(c.state, c.entry);
  const label = entry?.kind === 'MapEntry' ? entry.map.label : `n${c.entry}`;
  return `${label}${c.nested ? ' and the map inside it' : ''} in state ${c.state.label}`;
}

export const mapInterchange = defineTransformation<InterchangeCandidate, MapInterchangeOptions>({
  name: 'MapInterchange',
  summary: 'Reorder the dimensions of a map, or swap a map with the map nested directly in it',
  modifies: ['nodes', 'memlets'],
  defaults: { order: [] },
  candidates,
  canApply,
  apply,
  describe,
});
