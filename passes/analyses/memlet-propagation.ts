// Memlet propagation over whole SDFGs, and the footprint of a memlet seen from outside the scopes around it.
import type { Memlet } from '../../graph/memlet.js';
import type { Node, ScopeEntry } from '../../graph/nodes.js';
import { dataShape } from '../../graph/data.js';
import { propagateMemletsInState, propagateSubset } from '../../graph/propagate.js';
import { allSDFGs, allStates, nodeById } from '../../graph/query.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { type Range, type Subset, range } from '../../graph/subsets.js';

/** Recompute every scope's outer memlets in every state of the SDFG and of the SDFGs nested in it. */
export function propagateAllMemlets(sdfg: SDFG): void {
  for (const inner of allSDFGs(sdfg)) for (const state of allStates(inner)) propagateMemletsInState(inner, state);
}

/** The parameters a scope entry defines and their ranges (a consume scope: its processing-element index). */
export function scopeParams(entry: ScopeEntry): { params: readonly string[]; ranges: readonly Range[] } {
  if (entry.kind === 'MapEntry') return { params: entry.map.params, ranges: entry.map.ranges };
  return { params: [entry.consume.peIndex], ranges: [range(0, entry.consume.numPes)] };
}

/**
 * The subset of `memlet` touched over all iterations of the scopes enclosing `node`, from the innermost
 * out to (and including) `upTo`, or to the top of the state when `upTo` is null.
 */
export function footprint(
  sdfg: SDFG, state: State, memlet: Memlet, node: Node, dict: Map<number, number | null>, upTo: number | null = null,
): Subset | undefined {
  if (memlet.data === null || !memlet.subset) return undefined;
  const desc = sdfg.arrays[memlet.data];
  const shape = desc ? dataShape(desc) : undefined;
  let subset = memlet.subset;
  for (let scope = dict.get(node.id) ?? null; scope !== null; scope = dict.get(scope) ?? null) {
    const entry = nodeById(state, scope) as ScopeEntry;
    const { params, ranges } = scopeParams(entry);
    subset = propagateSubset(subset, params, ranges, shape);
    if (scope === upTo) break;
  }
  return subset;
}
