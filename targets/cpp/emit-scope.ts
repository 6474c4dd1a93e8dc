// Map and consume scopes in C++: loop nests, OpenMP parallel loops with a serial path for small work, stream loops.
import type { ConsumeEntry, MapEntry, MapScope, Node } from '../../graph/nodes.js';
import { inEdges } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import type { Memlet, Wcr } from '../../graph/memlet.js';
import { paramAssumptions } from '../../graph/propagate.js';
import { type Assumptions, proveEqual } from '../../graph/symbolic-compare.js';
import { rangeSize, subsetFreeSymbols, type Range } from '../../graph/subsets.js';
import { mul, type Expr } from '../../graph/symbolic.js';
import {
  type ArrayReduction, CodeWriter, type ContainerAccess, type FunctionContext, type ParallelFrame, type ScopeFrame, elementKey, nodePath,
  originComment, unsupported,
} from './emit-context.js';
import { emitWrite, openmpReduction, wcrIdentity } from './emit-wcr.js';
import { cIndex } from './emit-memlet.js';
import { printCondition } from './emit-interstate.js';

/** Emits what lies inside a scope (its children) with the frame they see. */
export type ScopeBody = (frame: ScopeFrame, w: CodeWriter) => void;

/** Declarations a scope makes for its private transients: once per thread (or before the loops), and per iteration. */
export interface ScopeAllocations {
  readonly data: readonly string[];
  /** Lines run once per thread (or once before a serial loop nest). */
  readonly perThread: readonly string[];
  readonly perThreadFree: readonly string[];
  /** Lines at the top of every iteration. */
  readonly perIteration: readonly string[];
}

type Parallelism = 'parallel' | 'serial';

function scheduleOf(fn: FunctionContext, state: State, entry: MapEntry, frame: ScopeFrame): Parallelism {
  const map = entry.map;
  switch (map.schedule) {
    case 'Default': case 'CPU_Multicore': case 'CPU_Persistent':
      return frame.inParallel ? 'serial' : 'parallel';
    case 'Sequential': case 'Unrolled':
      return 'serial';
    case 'GPU_Device': case 'GPU_ThreadBlock': case 'GPU_Persistent': case 'FPGA_Device': case 'MPI':
      throw unsupported(`map '${map.label}' has schedule ${map.schedule}, which the C++ target cannot run`, nodePath(fn, state, entry),
        'use the target that schedule belongs to, or set the schedule to Default, CPU_Multicore or Sequential');
  }
}

/** How many leading dimensions have ranges independent of the map's earlier parameters (OpenMP collapse needs that). */
export function rectangularDepth(map: MapScope): number {
  let depth = 1;
  while (depth < map.params.length) {
    const earlier = new Set(map.params.slice(0, depth));
    const r = map.ranges[depth]!;
    const free = [...r.begin.freeSymbols(), ...r.end.freeSymbols(), ...r.step.freeSymbols()];
    if (free.some((s) => earlier.has(s))) break;
    depth++;
  }
  return depth;
}

/**
 * How many leading dimensions to share among threads. Collapsing turns the inner indices into divisions of a flat
 * counter and stops the compiler vectorizing the innermost loop, so collapse only while the leading dimensions are
 * provably too short to keep the threads busy (a constant extent below 64). Fewer parallel dimensions are always
 * safe: the conflict analysis only needs the parallel parameters to be a prefix of the conflict-free ones.
 */
export function parallelDepth(map: MapScope, maxDepth: number): number {
  let depth = 1;
  let extent = rangeSize(map.ranges[0]!).constantValue();
  while (depth < maxDepth && extent !== undefined && extent < 64) {
    const next = rangeSize(map.ranges[depth]!).constantValue();
    extent = next === undefined ? undefined : extent * next;
    depth++;
  }
  return depth;
}

/** Iterations of the map's first `depth` dimensions times those of maps nested inside (when independent of them). */
function estimatedWork(state: State, map: MapScope, depth: number, inside: readonly Node[]): Expr {
  const sizes = map.ranges.slice(0, map.params.length).map(rangeSize);
  const own = sizes.filter((s, d) => d < depth || ![...s.freeSymbols()].some((x) => map.params.includes(x)));
  const nested = inside.filter((n): n is MapEntry => n.kind === 'MapEntry').flatMap((n) => n.map.ranges.map(rangeSize))
    .filter((s) => ![...s.freeSymbols()].some((x) => map.params.includes(x) || state.nodes.some((n) => n.kind === 'MapEntry' && n.map.params.includes(x))));
  return mul(...own, ...nested);
}

/**
 * How many leading parameters to distribute over threads. Conflict-resolved writes inside that index with a
 * prefix of the parameters (C[i, j] in a map over i, j, k) keep the rest inside each thread, so that a thread
 * owns the elements it updates and needs no atomics. Otherwise all parameters.
 */
function conflictFreeDepth(state: State, entry: MapEntry, inside: readonly Node[]): number {
  const params = entry.map.params;
  const ids = new Set(inside.map((n) => n.id));
  const used = new Set<string>();
  let writes = false;
  for (const e of state.edges) {
    if (!e.memlet.wcr || !e.memlet.subset || !ids.has(e.src)) continue;
    writes = true;
    for (const s of subsetFreeSymbols(e.memlet.subset)) used.add(s);
  }
  let prefix = 0;
  while (prefix < params.length && used.has(params[prefix]!)) prefix++;
  return writes && prefix > 0 ? prefix : params.length;
}

function loopHeader(param: string, r: Range): string {
  const step = r.step.constantValue();
  const test = step !== undefined && step < 0 ? '>' : '<';
  const increment = step === 1 ? `++${param}` : `${param} += ${cIndex(r.step)}`;
  return `for (int64_t ${param} = ${cIndex(r.begin)}; ${param} ${test} ${cIndex(r.end)}; ${increment}) {`;
}

/** Marks the line of a SIMD pragma so it can be dropped when the loop body turns out to need atomics. */
const SIMD_PRAGMA = '#pragma omp simd';

/** Placeholder for the SIMD reduction pragma of a loop nest with accumulators, decided once its body is known. */
const ACCUMULATE_MARK = '#pragma sdfg accumulate';

function openLoops(map: MapScope, w: CodeWriter, unroll: boolean, simdFrom = map.params.length, innermost?: string): void {
  map.params.forEach((p, d) => {
    const r = map.ranges[d]!;
    const size = rangeSize(r).constantValue();
    if (unroll && size !== undefined && size <= 64) w.line(`#pragma GCC unroll ${Math.max(size, 1)}`);
    if (innermost !== undefined && d === map.params.length - 1) w.line(innermost);
    // Vectorization marked the innermost dimension: a SIMD loop, unless an enclosing pragma already covers it.
    else if (map.vectorWidth !== undefined && d === map.params.length - 1 && d >= simdFrom) w.line(SIMD_PRAGMA);
    w.open(loopHeader(p, r));
  });
}

/** OpenMP forbids atomics inside SIMD loops. */
function needsAtomics(lines: readonly string[]): boolean {
  return lines.some((l) => /#pragma omp atomic|sdfg_atomic/.test(l));
}

/** Drop SIMD pragmas from a loop nest whose body needs atomics. */
function dropSimdIfAtomic(lines: string[]): void {
  if (!needsAtomics(lines)) return;
  for (let k = lines.length - 1; k >= 0; k--) if (lines[k]!.trim() === SIMD_PRAGMA) lines.splice(k, 1);
}

function closeLoops(map: MapScope, w: CodeWriter): void {
  map.params.forEach(() => w.close());
}

/** A map: plain loops, or an OpenMP parallel loop nest (with a serial twin below the work threshold). */
export function emitMap(
  fn: FunctionContext, frame: ScopeFrame, state: State, entry: MapEntry, inside: readonly Node[],
  allocations: ScopeAllocations, body: ScopeBody, w: CodeWriter,
): void {
  const map = entry.map;
  const mode = scheduleOf(fn, state, entry, frame);
  w.line(originComment(state, entry, 'map'));
  const params = [...frame.params, ...map.params];
  const privateData = new Set([...frame.privateData, ...(mode === 'parallel' ? allocations.data : [])]);

  const serialLoops = (out: CodeWriter): void => {
    const sums = accumulations(fn, state, entry, inside);
    // Braces only where declarations need a scope of their own.
    const braces = allocations.perThread.length > 0 || mode === 'serial' || sums.length > 0;
    if (braces) out.open('{');
    out.append(allocations.perThread);
    const accumulators = new Map(sums.map((a) => [a.key, fn.fresh(`${a.data}_sum`)]));
    for (const a of sums) out.line(`${a.access.desc.dtype.c} ${accumulators.get(a.key)} = ${wcrIdentity(a.wcr, a.access.desc.dtype, fn)};`);
    const loops = new CodeWriter();
    openLoops(map, loops, map.schedule === 'Unrolled' || map.unroll, 0, sums.length > 0 ? ACCUMULATE_MARK : undefined);
    loops.append(allocations.perIteration);
    body({ ...frame, params, ...(sums.length > 0 ? { localSums: new Map([...frame.localSums ?? [], ...accumulators]) } : {}) }, loops);
    closeLoops(map, loops);
    dropSimdIfAtomic(loops.lines);
    // The innermost loop folds the accumulators in SIMD lanes, unless its body holds atomics or other OpenMP constructs.
    const clean = !loops.lines.some((l) => /#pragma omp|sdfg_atomic/.test(l) && l.trim() !== ACCUMULATE_MARK);
    const byOp = new Map<string, string[]>();
    for (const a of sums) byOp.set(a.op, [...byOp.get(a.op) ?? [], accumulators.get(a.key)!]);
    const pragma = `#pragma omp simd${[...byOp].map(([op, names]) => ` reduction(${op}:${names.join(', ')})`).join('')}`;
    for (let k = loops.lines.length - 1; k >= 0; k--) {
      if (loops.lines[k]!.trim() !== ACCUMULATE_MARK) continue;
      if (clean) loops.lines[k] = loops.lines[k]!.replace(ACCUMULATE_MARK, pragma); else loops.lines.splice(k, 1);
    }
    out.append(loops.lines);
    for (const a of sums) emitWrite(fn, frame, a.access, a.memlet, accumulators.get(a.key)!, out);
    out.append(allocations.perThreadFree);
    if (braces) out.close();
  };
  if (mode === 'serial') return serialLoops(w);

  const depth = parallelDepth(map, Math.min(rectangularDepth(map), conflictFreeDepth(state, entry, inside)));
  const work = estimatedWork(state, map, depth, inside);
  const copies = privatizableArrays(fn, state, entry, inside);
  const parallel = (): void => {
    if (copies.size === 0) {
      emitParallelLoops(frame, map, depth, params, privateData, allocations, body, w);
      return;
    }
    // Per-thread copies live on each thread's stack: only while they are small; atomics otherwise.
    const bytes = [...copies.keys()].map((d) => fn.sdfg.arrays[d]!).map((desc) => (desc.kind === 'Array' ? desc.totalSize.mul(desc.dtype.bytes) : null));
    const total = bytes.every((b) => b !== null) ? bytes.reduce((a, b) => a!.add(b!))! : null;
    const fits = total?.constantValue();
    if (total === null || fits !== undefined) {
      emitParallelLoops(frame, map, depth, params, privateData, allocations, body, w, fits !== undefined && fits <= PRIVATE_COPY_BYTES ? copies : undefined);
      return;
    }
    const withCopies = new CodeWriter();
    // Only writes that would otherwise conflict use a copy: without any, one loop nest serves every size.
    if (!emitParallelLoops(frame, map, depth, params, privateData, allocations, body, withCopies, copies)) {
      // No write needed a copy: that loop nest is the plain one already.
      w.append(withCopies.lines);
      return;
    }
    w.open(`if (${cIndex(total)} <= ${PRIVATE_COPY_BYTES}) {`);
    w.append(withCopies.lines);
    w.middle('} else {');
    emitParallelLoops(frame, map, depth, params, privateData, allocations, body, w);
    w.close();
  };
  emitWithThreshold(fn, w, work, parallel, () => serialLoops(w));
}

/** A container that a scope updates with write-conflict resolution, with every edge inside the scope naming it. */
interface ScopeUpdate {
  readonly data: string;
  readonly access: ContainerAccess;
  /** The one operator OpenMP can reduce all the updates with (not the logical ones), else null. */
  readonly op: '+' | '*' | 'min' | 'max' | null;
  readonly writes: readonly Edge[];
  readonly reads: readonly Edge[];
}

/** The pointer-held containers a map's body updates with a resolution: what per-thread copies and local sums start from. */
function scopeUpdates(fn: FunctionContext, state: State, entry: MapEntry, inside: readonly Node[]): ScopeUpdate[] {
  const exit = state.nodes.find((n) => n.kind === 'MapExit' && n.map === entry.map);
  if (!exit) return [];
  const ids = new Set([...inside.map((n) => n.id), entry.id, exit.id]);
  const edges = state.edges.filter((e) => e.memlet.data !== null && ids.has(e.src) && ids.has(e.dst) && e.src !== exit.id && e.dst !== entry.id);
  const updates: ScopeUpdate[] = [];
  for (const data of new Set(edges.filter((e) => e.memlet.wcr).map((e) => e.memlet.data!))) {
    const access = fn.containers.get(data);
    if (!access || access.placement !== 'pointer') continue;
    const touching = edges.filter((e) => e.memlet.data === data);
    const writes = touching.filter((e) => e.memlet.wcr);
    const ops = new Set(writes.map((e) => openmpReduction(e.memlet.wcr!, access.desc.dtype)));
    const op = ops.size === 1 ? [...ops][0]! : null;
    updates.push({ data, access, op: op === '||' || op === '&&' ? null : op, writes, reads: touching.filter((e) => !e.memlet.wcr) });
  }
  return updates;
}

interface Accumulation {
  readonly key: string;
  readonly data: string;
  readonly access: ContainerAccess;
  readonly memlet: Memlet;
  readonly wcr: Wcr;
  readonly op: '+' | '*' | 'min' | 'max';
}

/**
 * Elements a sequential map only updates, each with one reducible resolution at one place that none of the map's
 * parameters moves (`C[i, j] += …` over `k`), written by tasklets: the loop nest sums them in a local variable,
 * which the compiler keeps in a register and may fold in SIMD lanes, and writes once after.
 */
function accumulations(fn: FunctionContext, state: State, entry: MapEntry, inside: readonly Node[]): Accumulation[] {
  const byId = new Map(state.nodes.map((n) => [n.id, n]));
  const moving = new Set([...entry.map.params, ...inside.flatMap((n) => (n.kind === 'MapEntry' ? n.map.params : []))]);
  const assumptions = paramAssumptions(entry.map.params, entry.map.ranges);
  const found: Accumulation[] = [];
  for (const { data, access, op, writes, reads } of scopeUpdates(fn, state, entry, inside)) {
    const first = writes[0]!.memlet;
    if (op === null || !first.subset || first.dynamic) continue;
    const indices = first.subset.ranges.map((r) => r.begin);
    const key = elementKey(data, indices);
    const same = writes.every((e) => e.memlet.subset !== null && !e.memlet.dynamic
      && e.memlet.subset.ranges.every((r) => rangeSize(r).equals(1)) && elementKey(data, e.memlet.subset.ranges.map((r) => r.begin)) === key
      && byId.get(e.src)?.kind === 'Tasklet' && byId.get(e.dst)?.kind === 'MapExit');
    if (!same || indices.some((i) => [...i.freeSymbols()].some((s) => moving.has(s)))) continue;
    // Reads of the container are fine where they provably never touch the element (cholesky's A[i, k], k < j, next
    // to its sum into A[i, j]): the sum is then invisible to them, before and after.
    if (!reads.every((e) => apart(e.memlet, indices, assumptions))) continue;
    found.push({ key, data, access, memlet: first, wcr: first.wcr!, op });
  }
  return found;
}

/** Whether a read of single elements provably never names the element at `indices` (differs in some dimension). */
function apart(m: Memlet, indices: readonly Expr[], assumptions: Assumptions): boolean {
  if (!m.subset || m.dynamic || m.subset.ranges.length !== indices.length) return false;
  return m.subset.ranges.some((r, d) => rangeSize(r).equals(1) && proveEqual(r.begin, indices[d]!, assumptions) === false);
}

/** Most bytes of arrays a thread copies for array reductions (they are allocated on its stack). */
const PRIVATE_COPY_BYTES = 256 * 1024;

/**
 * Arrays that the map's body only updates with one reducible resolution (sum, product, min, max) and never reads:
 * each thread may update a private copy, and OpenMP combines the copies when the loop ends.
 */
function privatizableArrays(fn: FunctionContext, state: State, entry: MapEntry, inside: readonly Node[]): Map<string, ArrayReduction> {
  const found = new Map<string, ArrayReduction>();
  const byId = new Map(state.nodes.map((n) => [n.id, n]));
  for (const { data, access, op, writes, reads } of scopeUpdates(fn, state, entry, inside)) {
    const desc = access.desc;
    if (op === null || reads.length > 0 || desc.kind !== 'Array' || (desc.transient && fn.scopedTransients.get(state)?.get(entry.id)?.includes(data))) continue;
    // A nested SDFG writes through its own pointer, not the thread's copy.
    if (writes.some((e) => byId.get(e.src)?.kind === 'NestedSDFG' || byId.get(e.dst)?.kind === 'NestedSDFG')) continue;
    found.set(data, { cname: access.cname, length: cIndex(desc.totalSize), op, owner: fn, used: false });
  }
  return found;
}

/** The OpenMP loop nest: reductions declared around it, per-thread storage inside a parallel region when needed. */
function emitParallelLoops(
  frame: ScopeFrame, map: MapScope, depth: number, params: string[], privateData: Set<string>, allocations: ScopeAllocations,
  body: ScopeBody, w: CodeWriter, copies?: ReadonlyMap<string, ArrayReduction>,
): boolean {
  const arrayReductions = new Map([...copies ?? []].map(([data, copy]) => [data, { ...copy, used: false }]));
  const parallel: ParallelFrame = { threadParams: new Set(map.params.slice(0, depth)), outerParams: frame.params, reductions: new Map(), arrayReductions };
  // The body is printed first: it tells which reduction variables the parallel loop needs.
  const inner = new CodeWriter();
  // No unroll pragmas here: nothing may stand between loops that OpenMP collapses.
  openLoops(map, inner, false, depth);
  inner.append(allocations.perIteration);
  body({ ...frame, params, parallel, inParallel: true, privateData }, inner);
  closeLoops(map, inner);
  dropSimdIfAtomic(inner.lines);

  const reductions = [...parallel.reductions.values()];
  // A reduction already adds in another order than the serial loop: let each thread vectorize it too, when nothing
  // in the body is atomic (OpenMP forbids atomics in simd regions).
  const vectorizedParallelLoop = map.vectorWidth !== undefined && depth === map.params.length && !needsAtomics(inner.lines);
  // Not with per-thread array copies: a SIMD reduction would copy the array once per lane.
  const copying = [...arrayReductions.values()].some((a) => a.used);
  const simd = (reductions.length > 0 || vectorizedParallelLoop) && !copying && !inner.lines.some((l) => /#pragma omp atomic|sdfg_atomic_update|#pragma omp/.test(l));
  const clauses = [
    simd ? ' simd' : '',
    depth > 1 ? ` collapse(${depth})` : '',
    ...['+', '*', 'min', 'max', '||', '&&'].map((op) => {
      const vars = [
        ...reductions.filter((r) => r.op === op).map((r) => r.cname),
        ...[...arrayReductions.values()].filter((a) => a.used && a.op === op).map((a) => `${a.cname}[0:${a.length}]`),
      ];
      return vars.length ? ` reduction(${op}:${vars.join(', ')})` : '';
    }),
  ].join('');
  if (reductions.length) w.open('{');
  for (const r of reductions) w.line(`${r.dtype.c} ${r.cname} = ${r.target};`);
  if (allocations.perThread.length) {
    w.line('#pragma omp parallel');
    w.open('{');
    w.append(allocations.perThread);
    w.line(`#pragma omp for${clauses}`);
    w.append(inner.lines);
    w.append(allocations.perThreadFree);
    w.close();
  } else {
    w.line(`#pragma omp parallel for${clauses}`);
    w.append(inner.lines);
  }
  for (const r of reductions) w.line(`${r.target} = ${r.cname};`);
  if (reductions.length) w.close();
  return [...arrayReductions.values()].some((a) => a.used);
}

/**
 * Run `parallel` code above the work threshold and `serial` code below it: decided here when the work is
 * a constant, at run time otherwise (a parallel region costs microseconds; small instances stay on this thread).
 */
export function emitWithThreshold(fn: FunctionContext, w: CodeWriter, work: Expr, parallel: () => void, serial: () => void): void {
  const threshold = fn.module.options.parallelThreshold;
  const constantWork = work.constantValue();
  if (constantWork !== undefined) {
    if (constantWork >= threshold) parallel();
    else serial();
    return;
  }
  w.open(`if (${cIndex(work)} >= ${threshold}) {`);
  parallel();
  w.middle('} else {');
  serial();
  w.close();
}

/** A consume scope: pop the stream until it is empty (or the quiescence condition holds), one element per iteration. */
export function emitConsume(
  fn: FunctionContext, frame: ScopeFrame, state: State, entry: ConsumeEntry, allocations: ScopeAllocations, body: ScopeBody, w: CodeWriter,
): void {
  const scope = entry.consume;
  const streamEdge = inEdges(state, entry).find((e) => e.memlet.data !== null && fn.access(e.memlet.data).placement === 'stream');
  if (!streamEdge) throw unsupported(`consume scope '${scope.label}' has no input stream`, nodePath(fn, state, entry));
  const stream = fn.access(streamEdge.memlet.data!);
  const element = fn.fresh(`${streamEdge.memlet.data}_element`);
  w.line(originComment(state, entry, 'consume'));
  w.open('{');
  w.append(allocations.perThread);
  const stop = scope.condition ? ` && !(${printCondition(fn, scope.condition, frame)})` : '';
  w.open(`while (!${stream.cname}.empty()${stop}) {`);
  w.line(`const ${stream.desc.dtype.c} ${element} = ${stream.cname}.pop();`);
  w.line(`const int64_t ${scope.peIndex} = 0;`);
  w.append(allocations.perIteration);
  const consumed = new Map(frame.consumed);
  consumed.set(streamEdge.memlet.data!, element);
  body({ ...frame, consumed, params: [...frame.params, scope.peIndex] }, w);
  w.close();
  w.append(allocations.perThreadFree);
  w.close();
}
