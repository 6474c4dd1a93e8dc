// Writes with write-conflict resolution in WGSL: read-modify-write where no two threads share an element, else
// atomics — atomicAdd/Min/Max on i32 and u32, and a compare-exchange loop on the bits for everything else (f32 sums,
// products, custom lambdas).
import type { DType } from '../../graph/dtypes.js';
import type { GraphPath } from '../../graph/errors.js';
import type { Wcr } from '../../graph/memlet.js';
import type { MapEntry } from '../../graph/nodes.js';
import { scopeNodes } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { formatSubset, isIndex, rangeSize, type Subset } from '../../graph/subsets.js';
import { proveLessEqual } from '../../graph/symbolic-compare.js';
import { wcrOps, type BuiltinWcrOp } from '../../graph/tasklet-ops.js';
import { typeTaskletExpr } from '../../graph/tasklet-types.js';
import { unsupported } from './emit-context.js';
import { WgslCodePrinter, wgslNumber } from './expressions.js';
import type { KernelContext } from './kernel-context.js';

const simple = (text: string): boolean => /^[\w.]+(\[[^\]]*\])?$/.test(text) || /^[\w<>]+\([^()]*\)$/.test(text);
const operand = (text: string): string => (simple(text) ? text : `(${text})`);

/** `a ⊕ b` in WGSL for a resolution over values of `dtype` (the container's declared type). */
export function combineText(k: KernelContext, wcr: Wcr, dtype: DType, a: string, b: string): string {
  const t = k.demote(dtype);
  if (wcr.op !== 'custom') return wcrOps[wcr.op].wgsl([operand(a), operand(b)], t);
  const [pa, pb] = wcr.params;
  const env = { inputs: { [pa]: { dtype, dims: 0 }, [pb]: { dtype, dims: 0 } }, outputs: {}, symbols: {} };
  const typing = typeTaskletExpr(wcr.body, env);
  const printer = new WgslCodePrinter(typing, k.demote, {
    read: (name) => (name === pa ? operand(a) : name === pb ? operand(b) : name),
    element: () => { throw unsupported('a write-conflict lambda reads only its two operands'); },
  });
  return printer.exprAs(wcr.body, t);
}

/** The value a partial result of a resolution starts from. */
export function identityText(k: KernelContext, wcr: Wcr, dtype: DType, path: GraphPath): string {
  if (wcr.op === 'custom') {
    throw unsupported('a custom write-conflict resolution has no identity to start a partial result from', path,
      'use sum, product, min or max, or write the output on every path');
  }
  return wcrIdentity(wcr.op, k.demote(dtype));
}

/** The identity of a built-in resolution in WGSL; float infinities through a call (not a constant expression). */
export function wcrIdentity(op: BuiltinWcrOp, t: DType): string {
  if (t.name === 'float32' && (op === 'min' || op === 'max')) return wgslNumber(op === 'min' ? Infinity : -Infinity, t);
  return wcrOps[op].identityWgsl(t);
}

/**
 * Statements writing `value` (of the element type) to the element at `index`, combining under `wcr` when given:
 * plainly where the kernel owns the element, atomically where threads may share it.
 */
export function writeElement(k: KernelContext, data: string, index: string, wcr: Wcr | null, value: string, path: GraphPath): string[] {
  if (!wcr) return [k.store(data, index, value, path)];
  const dtype = k.sdfg.arrays[data]!.dtype;
  if (!k.atomic.has(data)) return [k.store(data, index, combineText(k, wcr, dtype, k.load(data, index, path), value), path)];
  const element = k.elementType(data, path);
  const ref = k.atomicRef(data, index);
  const builtin = wcr.op === 'sum' ? 'atomicAdd' : wcr.op === 'min' ? 'atomicMin' : wcr.op === 'max' ? 'atomicMax' : undefined;
  if (builtin && element.name !== 'float32') return [`${builtin}(${ref}, ${value});`];
  // Compare-exchange until no other thread changed the element between our read and our write.
  const isFloat = element.name === 'float32';
  const asValue = (bits: string): string => (isFloat ? `bitcast<f32>(${bits})` : bits);
  const asBits = (v: string): string => (isFloat ? `bitcast<u32>(${v})` : v);
  return [
    '{',
    `  let incoming = ${value};`,
    `  var old = atomicLoad(${ref});`,
    '  loop {',
    `    let swap = atomicCompareExchangeWeak(${ref}, old, ${asBits(combineText(k, wcr, dtype, asValue('old'), 'incoming'))});`,
    '    if (swap.exchanged) { break; }',
    '    old = swap.old_value;',
    '  }',
    '}',
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Which writes need atomics.

/**
 * Whether distinct iterations of the device map write distinct elements: every parameter that takes more than one
 * value indexes a dimension of its own (`c·p + symbols`), so two threads never meet on an element.
 */
function ownedPerThread(k: KernelContext, s: Subset, params: readonly string[]): boolean {
  if (!s.ranges.every(isIndex)) return false;
  const taken = new Set<number>();
  const symbols = (name: string): boolean => name in k.sdfg.symbols || name in k.sdfg.constants || k.module.hostSymbols.has(name);
  return params.every((p) => {
    const d = s.ranges.findIndex((r, dim) => {
      if (taken.has(dim)) return false;
      const c = r.begin.linearCoefficient(p)?.constantValue();
      return c !== undefined && c !== 0 && [...r.begin.freeSymbols()].every((x) => x === p || (!params.includes(x) && symbols(x)));
    });
    if (d < 0) return false;
    taken.add(d);
    return true;
  });
}

/** Decide, before printing a device map's kernel, which buffers it must update through atomics. */
export function planAtomics(k: KernelContext, state: State, entry: MapEntry): void {
  const map = entry.map;
  const varying = map.params.filter((_, d) => proveLessEqual(rangeSize(map.ranges[d]!), 1) !== true);
  const inside = new Set(scopeNodes(state, entry).map((n) => n.id));
  const writes = new Map<string, Edge[]>();
  for (const e of state.edges) {
    const data = e.memlet.data;
    if (!data || !inside.has(e.src) || !k.buffer(data) || !e.memlet.wcr) continue;
    const src = state.nodes.find((n) => n.id === e.src);
    if (src?.kind !== 'Tasklet' && src?.kind !== 'AccessNode') continue;
    writes.set(data, [...(writes.get(data) ?? []), e]);
  }
  for (const [data, edges] of writes) {
    const subsets = new Set(edges.map((e) => (e.memlet.subset ? formatSubset(e.memlet.subset) : '')));
    const shared = subsets.size > 1 || edges.some((e) => e.memlet.dynamic || !e.memlet.subset || !ownedPerThread(k, e.memlet.subset, varying));
    if (shared) k.atomic.add(data);
  }
}
