// Writes with write-conflict resolution in device code: plain, warp-aggregated, native atomics, or compare-and-swap loops.
//
// A write is plain when no other thread can touch the element (registers; every thread parameter pins its own
// dimension). Where every thread of a warp hits the same element (the index uses no thread or loop parameter), the
// warp combines its values with shuffles first and one thread makes the atomic update; where neighbouring lanes share
// elements (the index does not use the lane's parameter), lanes are grouped by element (labeled_partition) and each
// group does the same. Otherwise each write is an atomic: atomicAdd / atomicMin / atomicMax where CUDA has one for
// the type, else a CAS loop (sdfg_atomic_combine).
import type { DType } from '../../graph/dtypes.js';
import { isFloat } from '../../graph/dtypes.js';
import type { Memlet, Wcr } from '../../graph/memlet.js';
import { subsetFreeSymbols } from '../../graph/subsets.js';
import { wcrOps } from '../../graph/tasklet-ops.js';
import { typeTaskletExpr } from '../../graph/tasklet-types.js';
import { CLikePrinter } from '../common/c-like.js';
import { type CodeWriter, type ContainerAccess, reservedWords } from '../cpp/emit-context.js';
import { elementRef } from '../cpp/emit-memlet.js';
import { cudaDialect } from './dialect.js';
import { type DeviceFunction, type KernelFrame, cudaUnsupported } from './emit-context.js';

export type DeviceWriteMode = 'plain' | 'warp' | 'partition' | 'atomic';

/** `(a, b) -> a ⊕ b` as a device lambda. */
export function combiner(wcr: Wcr, t: DType): string {
  if (wcr.op !== 'custom') return `[](${t.cuda} a, ${t.cuda} b) -> ${t.cuda} { return ${wcrOps[wcr.op].cuda(['a', 'b'], t)}; }`;
  const [a, b] = wcr.params;
  const env = { inputs: { [a]: { dtype: t, dims: 0 }, [b]: { dtype: t, dims: 0 } }, outputs: {}, symbols: {} };
  const typing = typeTaskletExpr(wcr.body, env);
  const rename = (n: string): string => (reservedWords.has(n) ? `${n}_` : n);
  const printer = new CLikePrinter(cudaDialect, { ...typing, localType: (n) => typing.localType(n) ?? t }, {
    read: rename,
    element: () => { throw cudaUnsupported('a write-conflict lambda reads only its two operands'); },
  });
  return `[](${t.cuda} ${rename(a)}, ${t.cuda} ${rename(b)}) -> ${t.cuda} { return ${printer.exprAs(wcr.body, t)}; }`;
}

/** `target ⊕= value` for one thread. */
export function combineStatement(target: string, value: string, wcr: Wcr, t: DType): string {
  if (wcr.op === 'custom') return `${target} = (${combiner(wcr, t)})(${target}, ${value});`;
  if (t.kind !== 'bool' && wcr.op === 'sum') return `${target} += ${value};`;
  if (t.kind !== 'bool' && wcr.op === 'product') return `${target} *= ${value};`;
  return `${target} = ${wcrOps[wcr.op].cuda([target, value], t)};`;
}

/** CUDA's native atomic for a resolution and type, as a statement, or null where there is none. */
export function nativeAtomic(wcr: Wcr, t: DType, address: string, value: string): string | null {
  const op = wcr.op;
  if (op === 'custom' || op === 'product' || t.kind === 'bool') return null;
  const name = op === 'sum' ? 'atomicAdd' : op === 'min' ? 'atomicMin' : 'atomicMax';
  switch (t.name) {
    case 'int32': case 'uint32': case 'uint64': return `${name}(${address}, ${value});`;
    // Two's complement: adding as unsigned is adding as signed; min/max take long long.
    case 'int64': return op === 'sum'
      ? `atomicAdd(reinterpret_cast<unsigned long long*>(${address}), static_cast<unsigned long long>(${value}));`
      : `${name}(reinterpret_cast<long long*>(${address}), static_cast<long long>(${value}));`;
    case 'float32': case 'float64': case 'float16': return op === 'sum' ? `atomicAdd(${address}, ${value});` : null;
    default: return null;
  }
}

/** One atomic update of `*address` with `value`: native where CUDA has it, else a CAS loop. */
export function atomicStatement(dev: DeviceFunction, wcr: Wcr, t: DType, address: string, value: string): string {
  const native = nativeAtomic(wcr, t, address, value);
  if (native) return native;
  dev.module.features.atomics = true;
  return `sdfg_atomic_combine(${address}, static_cast<${t.cuda}>(${value}), ${combiner(wcr, t)});`;
}

/** Whether distinct threads always write distinct elements: each parameter that tells threads apart pins a dimension of its own. */
function exclusivePerThread(memlet: Memlet, varying: ReadonlySet<string>, inner: ReadonlySet<string>): boolean {
  const ranges = memlet.subset?.ranges ?? [];
  const used = new Set<number>();
  return [...varying].every((p) => {
    const d = ranges.findIndex((r, k) => {
      if (used.has(k)) return false;
      const coefficient = r.begin.linearCoefficient(p)?.constantValue();
      if (coefficient === undefined || coefficient === 0) return false;
      return [...r.begin.freeSymbols()].every((s) => s === p || (!varying.has(s) && !inner.has(s)));
    });
    if (d >= 0) used.add(d);
    return d >= 0;
  });
}

/** cooperative_groups::reduce's operator for a resolution, or null (custom operations, types shuffles do not take). */
function groupOperator(wcr: Wcr, t: DType): string | null {
  if (t.bytes < 4 || t.kind === 'bool' || wcr.op === 'custom') return null;
  switch (wcr.op) {
    case 'sum': return `cg::plus<${t.cuda}>()`;
    case 'min': return `cg::less<${t.cuda}>()`;
    case 'max': return `cg::greater<${t.cuda}>()`;
    case 'product': return `[](${t.cuda} a, ${t.cuda} b) { return a * b; }`;
  }
}

export function chooseWriteMode(dev: DeviceFunction, frame: KernelFrame, data: string, memlet: Memlet, localVars: readonly string[]): DeviceWriteMode {
  const memory = dev.memory.get(data) ?? 'global';
  if (memory === 'register') return 'plain';
  // Shared memory is private to a block: only the threads of one block can collide there.
  const varying = new Set(memory === 'shared' ? frame.threadParams : [...frame.gridParams, ...frame.threadParams]);
  const inner = new Set([...frame.loopParams, ...localVars]);
  if (exclusivePerThread(memlet, varying, inner)) return 'plain';
  const touched = memlet.subset ? subsetFreeSymbols(memlet.subset) : new Set<string>();
  const sameForWarp = [...touched].every((s) => !frame.threadParams.has(s) && !inner.has(s));
  const t = dev.fn.access(data).desc.dtype;
  if (!groupOperator(memlet.wcr!, t) || (isFloat(t) && t.bytes < 4) || memlet.dynamic) return 'atomic';
  if (sameForWarp) return 'warp';
  const sharedByLanes = frame.laneParam !== null && ![...touched].some((s) => s === frame.laneParam || inner.has(s));
  return sharedByLanes ? 'partition' : 'atomic';
}

/**
 * Write `value` to the element a memlet names, resolving conflicts with the other threads as needed.
 * `localVars` are loop variables of the write itself (an array output combined element by element).
 */
export function emitDeviceWrite(
  dev: DeviceFunction, frame: KernelFrame, access: ContainerAccess, memlet: Memlet, value: string, w: CodeWriter, localVars: readonly string[] = [],
): void {
  const target = elementRef(access, memlet.subset?.ranges.map((r) => r.begin) ?? []);
  const wcr = memlet.wcr ?? access.wcr ?? null;
  if (!wcr) return w.line(`${target} = ${value};`);
  const t = access.desc.dtype;
  const mode = chooseWriteMode(dev, frame, memlet.data!, { ...memlet, wcr }, localVars);
  switch (mode) {
    case 'plain': return w.line(combineStatement(target, value, wcr, t));
    case 'atomic': return w.line(atomicStatement(dev, wcr, t, `&${target}`, value));
    case 'warp': {
      // Every thread of the warp updates the same element: combine across the active threads, one atomic per warp.
      dev.module.features.groups = true;
      w.open('{');
      w.line('const cg::coalesced_group warp = cg::coalesced_threads();');
      w.line(`const ${t.cuda} combined = cg::reduce(warp, static_cast<${t.cuda}>(${value}), ${groupOperator(wcr, t)});`);
      w.line(`if (warp.thread_rank() == 0) ${atomicStatement(dev, wcr, t, `&${target}`, 'combined')}`);
      return w.close();
    }
    case 'partition': {
      // Lanes of a warp that update the same element combine first: one atomic per element and warp.
      dev.module.features.groups = true;
      w.open('{');
      w.line(`${t.cuda}* const address = &${target};`);
      w.line('const cg::coalesced_group same = cg::labeled_partition(cg::coalesced_threads(), reinterpret_cast<unsigned long long>(address));');
      w.line(`const ${t.cuda} combined = cg::reduce(same, static_cast<${t.cuda}>(${value}), ${groupOperator(wcr, t)});`);
      w.line(`if (same.thread_rank() == 0) ${atomicStatement(dev, wcr, t, 'address', 'combined')}`);
      return w.close();
    }
  }
}
