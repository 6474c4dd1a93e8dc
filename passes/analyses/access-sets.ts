// Read and write sets: which elements of which containers a state, or one scope in it, reads and writes.
import type { ScopeEntry } from '../../graph/nodes.js';
import { allStates, nodeById, scopeDict, scopeNodes } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import type { Subset } from '../../graph/subsets.js';
import type { Analysis } from '../analysis.js';
import { footprint } from './memlet-propagation.js';

/** Container → the subsets touched (one per access, in the coordinates outside the scope or state). */
export interface AccessSets {
  readonly reads: Map<string, Subset[]>;
  readonly writes: Map<string, Subset[]>;
}

function add(into: Map<string, Subset[]>, data: string, s: Subset | undefined): void {
  if (!s) return;
  const list = into.get(data);
  if (list) list.push(s);
  else into.set(data, [s]);
}

/** Nodes whose edges are actual reads and writes: computations, and access nodes copying into each other. */
function isComputation(kind: string): boolean {
  return kind === 'Tasklet' || kind === 'LibraryNode' || kind === 'NestedSDFG';
}

/**
 * Reads and writes of a scope (entry given: in the coordinates outside it) or of the whole state (null).
 * Reads are the memlets into computations (tasklets, library nodes, nested SDFGs), writes the memlets out of
 * them (a write with wcr also reads); a copy between two access nodes reads its source and writes its destination. Edges between access
 * nodes and scope nodes only carry data through: the computations inside account for it.
 */
export function accessSets(sdfg: SDFG, state: State, scope: ScopeEntry | null = null, dict = scopeDict(state)): AccessSets {
  const sets: AccessSets = { reads: new Map(), writes: new Map() };
  const inside = scope === null ? null : new Set(scopeNodes(state, scope, dict).map((n) => n.id));
  const within = (id: number): boolean => inside === null || inside.has(id);
  const record = (e: Edge, at: number, into: Map<string, Subset[]>, data: string | null, subset: Subset | null): void => {
    if (data === null || !subset) return;
    add(into, data, footprint(sdfg, state, { ...e.memlet, data, subset }, nodeById(state, at)!, dict, scope?.id ?? null));
  };
  for (const e of state.edges) {
    const [src, dst] = [nodeById(state, e.src), nodeById(state, e.dst)];
    if (!src || !dst || e.memlet.data === null) continue;
    if (isComputation(dst.kind) && within(dst.id)) record(e, dst.id, sets.reads, e.memlet.data, e.memlet.subset);
    if (isComputation(src.kind) && within(src.id)) {
      record(e, src.id, sets.writes, e.memlet.data, e.memlet.subset);
      // A write with conflict resolution combines with what is there: it reads it too.
      if (e.memlet.wcr) record(e, src.id, sets.reads, e.memlet.data, e.memlet.subset);
    }
    if (src.kind === 'AccessNode' && dst.kind === 'AccessNode' && within(src.id)) {
      // The memlet names one side; otherSubset (or the same subset) the other.
      const other = e.memlet.otherSubset ?? e.memlet.subset;
      const [readSubset, writeSubset] = e.memlet.data === src.data ? [e.memlet.subset, other] : [other, e.memlet.subset];
      record(e, src.id, sets.reads, src.data, readSubset);
      record(e, dst.id, sets.writes, dst.data, writeSubset);
    }
  }
  return sets;
}

/** The read and write sets of every state of the SDFG (not of nested SDFGs). */
export const stateAccessSets: Analysis<Map<State, AccessSets>> = {
  name: 'state-access-sets',
  dependsOn: ['nodes', 'edges', 'memlets', 'control-flow'],
  compute(sdfg) {
    const result = new Map<State, AccessSets>();
    for (const state of allStates(sdfg)) result.set(state, accessSets(sdfg, state));
    return result;
  },
};
