// Writes with write-conflict resolution: plain read-modify-write, OpenMP reductions, atomics, or compare-and-swap.
import type { DType } from '../../graph/dtypes.js';
import { isFloat } from '../../graph/dtypes.js';
import type { Memlet, Wcr } from '../../graph/memlet.js';
import { beginsAffineIn, subsetFreeSymbols } from '../../graph/subsets.js';
import { wcrOps } from '../../graph/tasklet-ops.js';
import { typeTaskletExpr } from '../../graph/tasklet-types.js';
import { CLikePrinter, cppDialect } from '../common/c-like.js';
import { type CodeWriter, type ContainerAccess, type FunctionContext, type ParallelFrame, type ScopeFrame, elementKey, reservedWords, unsupported } from './emit-context.js';
import { elementRef } from './emit-memlet.js';

/** How one conflicting write is made safe where it is emitted. */
export type WriteMode = 'plain' | 'reduction' | 'atomic' | 'cas';

/** The value a conflict-resolved accumulation starts from. */
export function wcrIdentity(wcr: Wcr, t: DType, fn: FunctionContext): string {
  if (wcr.op === 'custom') {
    throw unsupported(`a custom write-conflict resolution has no identity to start a partial result from (SDFG '${fn.sdfg.name}')`, undefined,
      'use sum, product, min or max, or write the output unconditionally');
  }
  return wcrOps[wcr.op].identityC(t);
}

/** `[](T a, T b) { return …; }` for a custom resolution, printed from its tasklet-language body. */
export function customCombiner(wcr: Wcr & { op: 'custom' }, t: DType): string {
  const [a, b] = wcr.params;
  const env = { inputs: { [a]: { dtype: t, dims: 0 }, [b]: { dtype: t, dims: 0 } }, outputs: {}, symbols: {} };
  const typing = typeTaskletExpr(wcr.body, env);
  const rename = (n: string): string => (reservedWords.has(n) ? `${n}_` : n);
  const printer = new CLikePrinter(cppDialect, { ...typing, localType: (n) => typing.localType(n) ?? t }, {
    read: rename,
    element: () => { throw unsupported('a write-conflict lambda reads only its two operands'); },
  });
  return `[](${t.c} ${rename(a)}, ${t.c} ${rename(b)}) -> ${t.c} { return ${printer.exprAs(wcr.body, t)}; }`;
}

/** `target ⊕= value` as one statement, for code that runs on one thread at a time. */
export function combineStatement(target: string, value: string, wcr: Wcr, t: DType): string {
  if (wcr.op === 'custom') return `${target} = (${customCombiner(wcr, t)})(${target}, ${value});`;
  if (t.kind !== 'bool' && wcr.op === 'sum') return `${target} += ${value};`;
  if (t.kind !== 'bool' && wcr.op === 'product') return `${target} *= ${value};`;
  return `${target} = ${wcrOps[wcr.op].c([target, value], t)};`;
}

/** OpenMP's reduction operator for a resolution, or null where OpenMP has none (custom, half floats). */
export function openmpReduction(wcr: Wcr, t: DType): '+' | '*' | 'min' | 'max' | '||' | '&&' | null {
  if (wcr.op === 'custom' || t.name === 'float16') return null;
  if (t.kind === 'bool') return wcr.op === 'sum' || wcr.op === 'max' ? '||' : '&&';
  return wcr.op === 'sum' ? '+' : wcr.op === 'product' ? '*' : wcr.op;
}

/** Whether distinct values of the thread-distributed parameters always write distinct elements. */
function exclusivePerThread(memlet: Memlet, parallel: ParallelFrame, inner: ReadonlySet<string>): boolean {
  const ranges = memlet.subset?.ranges ?? [];
  return [...parallel.threadParams].every((p) => ranges.some((r) => beginsAffineIn(r, p, inner)));
}

function chooseMode(fn: FunctionContext, frame: ScopeFrame, access: ContainerAccess, memlet: Memlet, localVars: readonly string[]): WriteMode {
  const data = memlet.data!;
  if (!frame.inParallel || frame.privateData.has(data)) return 'plain';
  const t = access.desc.dtype;
  const parallel = frame.parallel;
  if (parallel) {
    const outer = new Set(parallel.outerParams);
    const inner = new Set([...frame.params.filter((p) => !outer.has(p)), ...localVars]);
    const touched = memlet.subset ? subsetFreeSymbols(memlet.subset) : new Set<string>();
    const single = access.desc.kind === 'Scalar' || (memlet.subset?.ranges.every((r) => r.end.sub(r.begin).equals(1)) ?? true);
    if (single && [...touched].every((s) => !inner.has(s)) && openmpReduction(memlet.wcr!, t)) return 'reduction';
    if (exclusivePerThread(memlet, parallel, inner)) return 'plain';
    // A per-thread copy of the whole array, combined by OpenMP when the loop ends: conflicts cost nothing.
    const copy = parallel.arrayReductions?.get(data);
    if (copy && copy.owner === fn && copy.op === openmpReduction(memlet.wcr!, t)) {
      copy.used = true;
      return 'plain';
    }
  }
  const atomicOp = memlet.wcr!.op === 'sum' || memlet.wcr!.op === 'product';
  return atomicOp && t.kind !== 'bool' && (isFloat(t) ? t.name !== 'float16' : true) ? 'atomic' : 'cas';
}

/**
 * Write `value` to the element a memlet names, resolving conflicts as the surrounding schedule requires.
 * `localVars` are loop variables of the write itself (an array output combined element by element).
 */
export function emitWrite(
  fn: FunctionContext, frame: ScopeFrame, access: ContainerAccess, memlet: Memlet, value: string, w: CodeWriter,
  localVars: readonly string[] = [],
): void {
  const indices = memlet.subset?.ranges.map((r) => r.begin) ?? [];
  const target = elementRef(access, indices);
  const wcr = memlet.wcr ?? access.wcr ?? null;
  if (!wcr) {
    w.line(`${target} = ${value};`);
    return;
  }
  const t = access.desc.dtype;
  const accumulator = frame.localSums?.get(elementKey(memlet.data!, indices));
  if (accumulator !== undefined) {
    w.line(combineStatement(accumulator, value, wcr, t));
    return;
  }
  const mode = chooseMode(fn, frame, access, { ...memlet, wcr }, localVars);
  switch (mode) {
    case 'plain':
      w.line(combineStatement(target, value, wcr, t));
      return;
    case 'reduction': {
      const variable = reductionVariable(fn, frame.parallel!, target, t, openmpReduction(wcr, t)!);
      w.line(combineStatement(variable, value, wcr, t));
      return;
    }
    case 'atomic':
      w.line('#pragma omp atomic');
      w.line(`${target} ${wcr.op === 'sum' ? '+=' : '*='} ${value};`);
      return;
    case 'cas': {
      fn.module.features.atomics = true;
      const combine = wcr.op === 'custom' ? customCombiner(wcr, t) : `[](${t.c} a, ${t.c} b) -> ${t.c} { return ${wcrOps[wcr.op].c(['a', 'b'], t)}; }`;
      w.line(`sdfg_atomic_update(&${target}, static_cast<${t.c}>(${value}), ${combine});`);
      return;
    }
  }
}

/** The reduction variable of a parallel map for one target element (one per element, shared by its writers). */
function reductionVariable(fn: FunctionContext, parallel: ParallelFrame, target: string, t: DType, op: NonNullable<ReturnType<typeof openmpReduction>>): string {
  const found = parallel.reductions.get(target);
  if (found) return found.cname;
  const cname = fn.fresh(`${target.replace(/\[.*$/, '')}_reduced`);
  parallel.reductions.set(target, { cname, dtype: t, op, target });
  return cname;
}
