// Data dependence: whether two scopes of a state, or two states, touch the same elements with at least one write.
import type { ScopeEntry } from '../../graph/nodes.js';
import { scopeDict } from '../../graph/query.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { type Subset, intersectSubsets } from '../../graph/subsets.js';
import type { Assumptions } from '../../graph/symbolic-compare.js';
import { type AccessSets, accessSets } from './access-sets.js';

export type DependenceKind = 'read-after-write' | 'write-after-read' | 'write-after-write';

/** One dependence of `second` on `first` through a container; `certain` when the overlap is proven, else possible. */
export interface Dependence {
  readonly data: string;
  readonly kind: DependenceKind;
  readonly certain: boolean;
}

/** true: provably overlap; false: provably disjoint; undefined: cannot tell. */
function overlap(as: readonly Subset[], bs: readonly Subset[], assumptions: Assumptions): boolean | undefined {
  let unknown = false;
  for (const a of as) {
    for (const b of bs) {
      if (a.ranges.length !== b.ranges.length) { unknown = true; continue; }
      const common = intersectSubsets(a, b, assumptions);
      if (common) return true;
      if (common === undefined) unknown = true;
    }
  }
  return unknown ? undefined : false;
}

/** The dependences of the accesses `second` on the accesses `first` (which runs before it). */
export function dependences(first: AccessSets, second: AccessSets, assumptions: Assumptions = {}): Dependence[] {
  const found: Dependence[] = [];
  const check = (kind: DependenceKind, from: Map<string, Subset[]>, to: Map<string, Subset[]>): void => {
    for (const [data, subsets] of from) {
      const others = to.get(data);
      if (!others) continue;
      const o = overlap(subsets, others, assumptions);
      if (o !== false) found.push({ data, kind, certain: o === true });
    }
  };
  check('read-after-write', first.writes, second.reads);
  check('write-after-read', first.reads, second.writes);
  check('write-after-write', first.writes, second.writes);
  return found;
}

/** Dependences between two scopes of one state, each seen from outside itself. */
export function scopeDependences(sdfg: SDFG, state: State, first: ScopeEntry, second: ScopeEntry, assumptions: Assumptions = {}): Dependence[] {
  const dict = scopeDict(state);
  return dependences(accessSets(sdfg, state, first, dict), accessSets(sdfg, state, second, dict), assumptions);
}

/** Dependences of state `second` on state `first`. */
export function stateDependences(sdfg: SDFG, first: State, second: State, assumptions: Assumptions = {}): Dependence[] {
  return dependences(accessSets(sdfg, first), accessSets(sdfg, second), assumptions);
}
