// Liveness of transients: which states access each transient, and whether its value may still be read later.
import type { SDFG, State } from '../../graph/sdfg.js';
import { allStates, outEdges } from '../../graph/query.js';
import type { Analysis } from '../analysis.js';
import { statesAfter } from './control-flow-order.js';

export interface TransientUse {
  /** States with an access node of the transient, in block order. */
  readonly states: State[];
  readonly readIn: Set<State>;
  readonly writtenIn: Set<State>;
}

/** Every transient of the SDFG (not of nested ones) with the states that read and write it. */
export const transientUses: Analysis<Map<string, TransientUse>> = {
  name: 'transient-uses',
  dependsOn: ['nodes', 'edges', 'descriptors', 'control-flow'],
  compute(sdfg) {
    const uses = new Map<string, TransientUse>();
    for (const [name, desc] of Object.entries(sdfg.arrays)) if (desc.transient) uses.set(name, { states: [], readIn: new Set(), writtenIn: new Set() });
    for (const state of allStates(sdfg)) {
      for (const n of state.nodes) {
        if (n.kind !== 'AccessNode') continue;
        const use = uses.get(n.data);
        if (!use) continue;
        if (!use.states.includes(state)) use.states.push(state);
        if (outEdges(state, n).some((e) => e.memlet.data !== null)) use.readIn.add(state);
        if (state.edges.some((e) => e.dst === n.id && e.memlet.data !== null)) use.writtenIn.add(state);
      }
    }
    return uses;
  },
};

/**
 * Whether the value of `data` after `state` may be read later: always for non-transients (the caller sees
 * them), otherwise when a state that may run afterwards reads it (conservatively, even if it rewrites it first).
 */
export function isLiveAfter(sdfg: SDFG, data: string, state: State, uses: Map<string, TransientUse> = transientUses.compute(sdfg)): boolean {
  const desc = sdfg.arrays[data];
  if (!desc) return false;
  if (!desc.transient) return true;
  const use = uses.get(data);
  if (!use) return false;
  const later = statesAfter(sdfg, state);
  return [...use.readIn].some((s) => later.has(s));
}

/** Transients accessed in exactly one state: candidates for scope-local storage. */
export function singleStateTransients(uses: Map<string, TransientUse>): Map<string, State> {
  const result = new Map<string, State>();
  for (const [name, use] of uses) if (use.states.length === 1) result.set(name, use.states[0]!);
  return result;
}
