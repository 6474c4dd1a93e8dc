// Transients in C++: where each one lives (whole function or one scope) and how it is declared and freed.
import { isScopeEntry } from '../../graph/nodes.js';
import { allStates, scopeDict } from '../../graph/query.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { type FunctionContext, type ContainerAccess, unsupported } from './emit-context.js';
import { cIndex } from './emit-memlet.js';
import type { ScopeAllocations } from './emit-scope.js';

/** Where each transient is allocated: for the whole function, or inside one scope of one state. */
export interface TransientPlan {
  readonly functionLevel: string[];
  /** state → scope entry id → transients private to that scope. */
  readonly scoped: Map<State, Map<number, string[]>>;
}

/** The innermost scope enclosing both scopes (null: the state's top level). */
function commonScope(a: number | null, b: number | null, dict: Map<number, number | null>): number | null {
  const ancestors = new Set<number>();
  for (let s = a; s !== null; s = dict.get(s) ?? null) ancestors.add(s);
  for (let s = b; s !== null; s = dict.get(s) ?? null) if (ancestors.has(s)) return s;
  return null;
}

/** A transient accessed only inside one scope of one state lives there; every other transient lives in the function. */
export function planTransients(sdfg: SDFG): TransientPlan {
  const seen = new Map<string, { state: State; scope: number | null } | 'many'>();
  for (const state of allStates(sdfg)) {
    const dict = scopeDict(state);
    for (const node of state.nodes) {
      if (node.kind !== 'AccessNode') continue;
      const desc = sdfg.arrays[node.data];
      if (!desc?.transient) continue;
      const scope = dict.get(node.id) ?? null;
      const before = seen.get(node.data);
      if (before === undefined) seen.set(node.data, { state, scope });
      else if (before === 'many' || before.state !== state) seen.set(node.data, 'many');
      else seen.set(node.data, { state, scope: commonScope(before.scope, scope, dict) });
    }
  }
  const plan: TransientPlan = { functionLevel: [], scoped: new Map() };
  for (const [name, desc] of Object.entries(sdfg.arrays)) {
    if (!desc.transient) continue;
    const where = seen.get(name);
    const entry = where && where !== 'many' && where.scope !== null ? where.state.nodes.find((n) => n.id === where.scope) : undefined;
    if (where && where !== 'many' && entry && isScopeEntry(entry) && desc.kind !== 'Stream' && desc.kind !== 'View') {
      const byScope = plan.scoped.get(where.state) ?? new Map<number, string[]>();
      byScope.set(entry.id, [...(byScope.get(entry.id) ?? []), name]);
      plan.scoped.set(where.state, byScope);
    } else {
      plan.functionLevel.push(name);
    }
  }
  return plan;
}

interface Declaration {
  readonly lines: string[];
  readonly free: string[];
  readonly onStack: boolean;
}

/**
 * Declare a transient and register how code reaches it. Arrays of constant size up to the stack limit are local
 * arrays; larger ones come from the heap, 64-byte aligned. With `zero`, the storage starts zeroed (as the
 * reference interpreter's does).
 */
export function declareTransient(fn: FunctionContext, name: string, zero: boolean): Declaration {
  const desc = fn.sdfg.arrays[name]!;
  const cname = fn.fresh(name);
  const t = desc.dtype.c;
  const register = (access: Omit<ContainerAccess, 'cname' | 'desc'>): void => {
    fn.containers.set(name, { cname, desc, ...access });
  };
  switch (desc.kind) {
    case 'Scalar':
      register({ placement: 'local', strides: [] });
      return { lines: [`${t} ${cname}${zero ? '{}' : ''};`], free: [], onStack: true };
    case 'Stream': {
      if (desc.shape.length !== 1 || !desc.shape[0]!.equals(1)) {
        throw unsupported(`stream '${name}' is an array of streams; the C++ target handles single streams`, { sdfg: fn.sdfg.name });
      }
      fn.module.features.streams = true;
      register({ placement: 'stream', strides: [] });
      return { lines: [`sdfg_stream<${t}> ${cname}(${cIndex(desc.bufferSize)});`], free: [], onStack: false };
    }
    case 'View':
      // Bound to the memory it views where its access node is (see emit-state.ts).
      register({ placement: 'pointer', strides: desc.strides });
      return { lines: [`${t}* ${cname} = nullptr;`], free: [], onStack: true };
    case 'Array': {
      register({ placement: 'pointer', strides: desc.strides });
      const elements = desc.totalSize.add(desc.startOffset);
      const known = elements.constantValue();
      if (known !== undefined && known * desc.dtype.bytes <= fn.module.options.stackLimitBytes) {
        return { lines: [`alignas(64) ${t} ${cname}[${Math.max(known, 1)}]${zero ? ' = {}' : ''};`], free: [], onStack: true };
      }
      const bytes = `sizeof(${t}) * (${cIndex(elements)})`;
      const lines = [`${t}* __restrict__ ${cname} = static_cast<${t}*>(sdfg_alloc(${bytes}));`];
      if (zero) lines.push(`std::memset(${cname}, 0, ${bytes});`);
      return { lines, free: [`std::free(${cname});`], onStack: false };
    }
  }
}

/** Declarations of the transients private to one scope: small ones per iteration, large ones per thread. */
export function scopeAllocations(fn: FunctionContext, state: State, entryId: number): ScopeAllocations {
  const names = fn.scopedTransients.get(state)?.get(entryId) ?? [];
  const perThread: string[] = [], perThreadFree: string[] = [], perIteration: string[] = [];
  for (const name of names) {
    const d = declareTransient(fn, name, false);
    if (d.onStack) perIteration.push(...d.lines);
    else {
      perThread.push(...d.lines);
      perThreadFree.push(...d.free);
    }
  }
  return { data: names, perThread, perThreadFree, perIteration };
}
