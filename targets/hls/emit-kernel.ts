// The HLS kernel file: processing-element functions, one function per kernel state (a DATAFLOW region of process
// calls connected by hls::stream), and the top function with its AXI interfaces and the control flow.
import type { DataDesc } from '../../graph/data.js';
import { isScopeEntry, type Node } from '../../graph/nodes.js';
import { exitOf, scopeDict, scopeNodes } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import { subsetFreeSymbols } from '../../graph/subsets.js';
import { forEachStmt, namesRead } from '../../graph/tasklet-ast.js';
import { helpersFor } from '../../graph/tasklet-ops.js';
import { CodeWriter, type ContainerAccess, FunctionContext, ModuleContext, cIdentifier, reservedWords, resolveEmitOptions } from '../cpp/emit-context.js';
import { cIndex } from '../cpp/emit-memlet.js';
import { planTransients } from '../cpp/emit-alloc.js';
import { assignedSymbols } from '../cpp/emit-control-flow.js';
import { cppRuntime } from '../cpp/runtime.js';
import { hlsType } from './dialect.js';
import { emitKernelControlFlow } from './emit-control.js';
import { type ProcessContext, emitProcessBody } from './emit-process.js';
import type { HlsFrame } from './emit-tasklet.js';
import { type HlsPlan, type HlsProcess, type HlsRegion, type HlsStatePlan, hlsUnsupported, isStream } from './plan.js';

/** How a function receives one container: its parameter, the argument a caller passes, and how the body reaches it. */
interface Passing {
  readonly param: string;
  readonly access: ContainerAccess;
}

/** What a kernel function needs from its caller. */
interface Needs {
  readonly containers: Set<string>;
  readonly symbols: Set<string>;
}

/** The emission of one kernel: shared names, the module, where each container lives at kernel level. */
export class KernelContext {
  readonly module: ModuleContext;
  readonly transients: ReturnType<typeof planTransients>;
  /** Symbols the kernel knows: its arguments, then the ones its control flow assigns. */
  readonly kernelSymbols: readonly string[];
  readonly assigned: readonly string[];
  /** Containers the top function declares itself (registers, on-chip arrays, streams crossing states). */
  readonly topLocals: readonly string[];
  readonly functions: string[] = [];

  constructor(readonly plan: HlsPlan) {
    const sdfg = plan.sdfg;
    this.module = new ModuleContext(resolveEmitOptions(), sdfg);
    this.transients = planTransients(sdfg);
    this.assigned = assignedSymbols(sdfg).filter((s) => !plan.symbols.includes(s));
    this.kernelSymbols = [...plan.symbols, ...this.assigned];
    const scopedNames = new Set([...this.transients.scoped.values()].flatMap((m) => [...m.values()].flat()));
    this.topLocals = Object.keys(sdfg.arrays).filter((n) => {
      const d = sdfg.arrays[n]!;
      if (!d.transient || scopedNames.has(n) || d.storage === 'FPGA_Global') return false;
      return d.kind === 'Stream' ? plan.kernelStreams.includes(n) : true;
    });
  }

  get sdfg(): SDFG {
    return this.plan.sdfg;
  }

  cname(name: string): string {
    const c = cIdentifier(name);
    return reservedWords.has(c) ? `${c}_` : c;
  }

  /** The declared type of a stream: `hls::stream<T, DEPTH>`. */
  streamType(name: string): string {
    const desc = this.sdfg.arrays[name]!;
    const depth = desc.kind === 'Stream' ? desc.bufferSize.constantValue() : undefined;
    if (desc.kind !== 'Stream' || depth === undefined || depth < 1) {
      throw hlsUnsupported(`stream ${name} needs a constant buffer size (its FIFO depth)`, { sdfg: this.sdfg.name }, 'give the stream a constant bufferSize');
    }
    return `hls::stream<${hlsType(desc.dtype)}, ${depth}>`;
  }

  /** Elements of a stream array (1 for a single stream). */
  streamCount(desc: DataDesc): number | undefined {
    if (desc.kind !== 'Stream') return undefined;
    let n = 1;
    for (const d of desc.shape) {
      const v = d.constantValue();
      if (v === undefined) return undefined;
      n *= v;
    }
    return n;
  }

  /** A stream (or array of streams) declared in a function body, with its depth pragma. */
  declareStream(fn: FunctionContext, name: string, w: CodeWriter): void {
    const desc = this.sdfg.arrays[name]!;
    const cname = this.cname(name);
    fn.reserve(cname);
    fn.containers.set(name, { cname, desc, placement: 'stream', strides: [] });
    const count = this.streamCount(desc);
    if (count === undefined) throw hlsUnsupported(`the array of streams ${name} needs a constant shape`, { sdfg: this.sdfg.name });
    const depth = (desc as { bufferSize: { toString(): string } }).bufferSize.toString();
    if (count === 1 && (desc as { shape: unknown[] }).shape.length === 1) {
      w.line(`${this.streamType(name)} ${cname}("${name}");`);
    } else {
      w.line(`${this.streamType(name)} ${cname}[${count}];`);
      w.line(`SDFG_NAME_STREAMS(${cname}, "${name}");`);
    }
    w.line(`#pragma HLS STREAM variable=${cname} depth=${depth}`);
  }

  /** How a sub-function takes a container, given how the kernel holds it. */
  passing(name: string): Passing {
    const desc = this.sdfg.arrays[name]!;
    const cname = this.cname(name);
    const t = hlsType(desc.dtype);
    if (desc.kind === 'Stream') {
      const count = this.streamCount(desc);
      const single = count === 1 && desc.shape.length === 1;
      return { param: single ? `${this.streamType(name)}& ${cname}` : `${this.streamType(name)} ${cname}[${count}]`, access: { cname, desc, placement: 'stream', strides: [] } };
    }
    if (!desc.transient && desc.kind === 'Scalar') return { param: `const ${t} ${cname}`, access: { cname, desc, placement: 'value', strides: [] } };
    if (desc.kind === 'Scalar') return { param: `${t}* ${cname}`, access: { cname, desc, placement: 'scalar-pointer', strides: [] } };
    const strides = desc.kind === 'Array' || desc.kind === 'View' ? desc.strides : [];
    return { param: `${t}* ${cname}`, access: { cname, desc, placement: 'pointer', strides } };
  }

  /** The argument passing a container from a caller that reaches it through `access`. */
  argument(access: ContainerAccess): string {
    return access.placement === 'local' ? `&${access.cname}` : access.cname;
  }

  /** A function of the kernel with containers and symbols as parameters (in declaration order). */
  signature(fn: FunctionContext, needs: Needs, extra: string[] = []): { params: string[]; args: (caller: FunctionContext) => string[] } {
    const containers = Object.keys(this.sdfg.arrays).filter((n) => needs.containers.has(n));
    const symbols = this.kernelSymbols.filter((s) => needs.symbols.has(s));
    const params = [...extra];
    for (const name of containers) {
      const p = this.passing(name);
      fn.reserve(p.access.cname);
      fn.containers.set(name, p.access);
      params.push(p.param);
    }
    for (const s of symbols) {
      fn.symbols.add(s);
      fn.reserve(s);
      params.push(`int64_t ${s}`);
    }
    return { params, args: (caller) => [...containers.map((n) => this.argument(caller.access(n))), ...symbols] };
  }
}

/** Every symbol a set of nodes and edges mentions (ranges, subsets, tasklet code, container layouts). */
function symbolsOf(sdfg: SDFG, nodes: readonly Node[], edges: readonly Edge[], containers: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const addAll = (xs: Iterable<string>): void => { for (const x of xs) out.add(x); };
  for (const n of nodes) {
    if (n.kind === 'MapEntry') for (const r of n.map.ranges) addAll([...r.begin.freeSymbols(), ...r.end.freeSymbols(), ...r.step.freeSymbols()]);
    if (n.kind === 'ConsumeEntry' && n.consume.condition) addAll(namesRead(n.consume.condition));
    if (n.kind === 'Tasklet' && n.code.language === 'tasklet') {
      forEachStmt(n.code.body, (s) => {
        if (s.k === 'assign') addAll(namesRead(s.value)), addAll(namesRead(s.target));
        if (s.k === 'let') addAll(namesRead(s.value));
        if (s.k === 'if') addAll(namesRead(s.cond));
        if (s.k === 'for') [s.begin, s.end, s.step].forEach((e) => addAll(namesRead(e)));
      });
    }
  }
  for (const e of edges) {
    if (e.memlet.subset) addAll(subsetFreeSymbols(e.memlet.subset));
    if (e.memlet.otherSubset) addAll(subsetFreeSymbols(e.memlet.otherSubset));
  }
  for (const name of containers) {
    const d = sdfg.arrays[name];
    if (d && (d.kind === 'Array' || d.kind === 'View')) for (const x of [...d.strides, ...d.offset, d.totalSize]) addAll(x.freeSymbols());
  }
  return out;
}

/** The containers and symbols a process uses from outside (its private buffers are its own). */
function processNeeds(k: KernelContext, p: HlsProcess): Needs & { scoped: Map<number, string[]> } {
  const state = p.state;
  const dict = scopeDict(state);
  const members = isScopeEntry(p.root) ? [p.root, ...scopeNodes(state, p.root, dict), exitOf(state, p.root)!] : [p.root];
  const ids = new Set(members.map((n) => n.id));
  const edges = p.copy ? [p.copy] : state.edges.filter((e) => ids.has(e.src) || ids.has(e.dst));
  const scoped = new Map<number, string[]>();
  for (const [entry, names] of k.transients.scoped.get(state) ?? []) if (ids.has(entry)) scoped.set(entry, names);
  const own = new Set([...scoped.values()].flat());
  const containers = new Set([...p.reads, ...p.writes, ...edges.flatMap((e) => (e.memlet.data ? [e.memlet.data] : []))].filter((n) => !own.has(n) && n in k.sdfg.arrays));
  const symbols = symbolsOf(k.sdfg, members, edges, new Set([...containers, ...own]));
  if (p.replicas) symbols.delete(p.replicas.param);
  return { containers, symbols, scoped };
}

/** A function of the kernel as its callers see it: what it needs, and the arguments a caller passes. */
interface Callable {
  readonly needs: Needs;
  readonly args: (caller: FunctionContext) => string[];
}

/** One processing element as a static function. */
function emitProcessFunction(k: KernelContext, p: HlsProcess): Callable {
  const needs = processNeeds(k, p);
  const fn = new FunctionContext(k.module, k.sdfg, false);
  const extra = p.replicas ? [`int64_t ${p.replicas.param}`] : [];
  const { params, args } = k.signature(fn, needs, extra);
  const body = new CodeWriter(1);
  const ctx: ProcessContext = { fn, state: p.state, dict: scopeDict(p.state), scoped: needs.scoped };
  const frame: HlsFrame = {
    state: p.state, parallel: null, inParallel: false, params: p.replicas ? [p.replicas.param] : [], consumed: new Map(), privateData: new Set(), accumulators: new Map(),
  };
  emitProcessBody(ctx, frame, p, body);
  const what = p.kind === 'copy' ? 'a copy' : `${p.kind} "${p.root.label}" (n${p.root.id})`;
  const replicated = p.replicas ? `, replicated ${p.replicas.count} times over ${p.replicas.param}` : '';
  k.functions.push([
    `// processing element ${p.name} (${p.role}${replicated}): state "${p.state.label}", ${what}`,
    `static void ${p.name}(${params.join(', ')}) {`,
    ...body.lines,
    '}',
  ].join('\n'));
  return { needs, args };
}

const union = (parts: readonly Needs[], declared: readonly string[]): Needs => ({
  containers: new Set(parts.flatMap((n) => [...n.containers]).filter((c) => !declared.includes(c))),
  symbols: new Set(parts.flatMap((n) => [...n.symbols])),
});

const isConcurrent = (r: HlsRegion): boolean => r.processes.length > 1 || r.processes.some((p) => p.replicas);

/** The calls of a region's processes: plain calls in order, or the threads of a DATAFLOW region. */
function emitRegionCalls(fn: FunctionContext, region: HlsRegion, callables: ReadonlyMap<HlsProcess, Callable>, label: string, w: CodeWriter): void {
  const call = (p: HlsProcess): string => `${p.name}(${[...(p.replicas ? [p.replicas.param] : []), ...callables.get(p)!.args(fn)].join(', ')})`;
  if (!isConcurrent(region)) {
    for (const p of region.processes) w.line(`${call(p)};`);
    return;
  }
  w.line(`SDFG_DATAFLOW_BEGIN("${label.replace(/["\\]/g, '')}");`);
  for (const p of region.processes) {
    if (!p.replicas) { w.line(`SDFG_PROCESS(${call(p)});`); continue; }
    const r = p.replicas.map.map.ranges[0]!;
    const v = p.replicas.param;
    w.open(`for (int64_t ${v} = ${cIndex(r.begin)}; ${v} < ${cIndex(r.end)}; ${v} += ${cIndex(r.step)}) {`);
    w.line('#pragma HLS UNROLL');
    w.line(`SDFG_PROCESS_COPY(${v}, ${call(p)});`);
    w.close();
  }
  w.line('SDFG_DATAFLOW_END();');
}

/** A function running regions one after the other: a state's, or one region's when its state has several. */
function emitRunner(
  k: KernelContext, name: string, comment: string, regions: readonly HlsRegion[], streams: readonly string[],
  callables: ReadonlyMap<HlsProcess, Callable>, nested: ReadonlyMap<HlsRegion, Callable & { name: string }>,
): Callable {
  const parts = regions.flatMap((r) => { const sub = nested.get(r); return sub ? [sub.needs] : r.processes.map((p) => callables.get(p)!.needs); });
  const needs = union(parts, streams);
  const fn = new FunctionContext(k.module, k.sdfg, false);
  const { params, args } = k.signature(fn, needs);
  const w = new CodeWriter(1);
  if (regions.length === 1 && isConcurrent(regions[0]!)) w.line('#pragma HLS DATAFLOW');
  for (const s of streams) k.declareStream(fn, s, w);
  for (const r of regions) {
    const sub = nested.get(r);
    if (sub) w.line(`${sub.name}(${sub.args(fn).join(', ')});`);
    else emitRegionCalls(fn, r, callables, comment, w);
  }
  k.functions.push([`// ${comment}`, `static void ${name}(${params.join(', ')}) {`, ...w.lines, '}'].join('\n'));
  return { needs, args };
}

/** The functions of one kernel state; returns how the top function calls it. */
function emitStateFunctions(k: KernelContext, sp: HlsStatePlan): Callable {
  const callables = new Map<HlsProcess, Callable>();
  for (const r of sp.regions) for (const p of r.processes) callables.set(p, emitProcessFunction(k, p));
  const label = `state "${sp.state.label}" (s${sp.state.id})`;
  const nested = new Map<HlsRegion, Callable & { name: string }>();
  sp.regions.forEach((r, index) => {
    if (sp.regions.length === 1 || r.functionName === sp.functionName) return;
    const made = emitRunner(k, r.functionName, `${label}, dataflow region ${index}: ${r.processes.length} processing elements`, [r], r.streams, callables, new Map());
    nested.set(r, { ...made, name: r.functionName });
  });
  const count = sp.regions.reduce((n, r) => n + r.processes.length, 0);
  const comment = `${label}: ${count} processing element${count === 1 ? '' : 's'} in ${sp.regions.length} dataflow region${sp.regions.length === 1 ? '' : 's'}`;
  return emitRunner(k, sp.functionName, comment, sp.regions, sp.streams, callables, nested);
}

export interface KernelSource {
  readonly source: string;
  readonly header: string;
  /** The top function's parameters, in order: ports, host scalars, symbols. */
  readonly topParams: readonly { readonly name: string; readonly kind: 'port' | 'scalar' | 'symbol'; readonly decl: string }[];
}

const dataflowMacros = String.raw`// Dataflow regions: with sdfg-ts's simulation hls_stream.h every process runs on its own thread, as on hardware,
// so back-pressure and feedback behave as they will on the FPGA; for synthesis they are plain calls.
#if defined(SDFG_HLS_THREADED_DATAFLOW) && !defined(__SYNTHESIS__)
#define SDFG_DATAFLOW_BEGIN(name) hls_sim::region sdfg_region(name)
#define SDFG_PROCESS(call) sdfg_region.spawn(#call, [&] { call; })
#define SDFG_PROCESS_COPY(index, call) sdfg_region.spawn(#call, [&, index] { call; })
#define SDFG_DATAFLOW_END() sdfg_region.join()
#define SDFG_NAME_STREAMS(streams, name) hls_sim::name_streams(streams, name)
#else
#define SDFG_DATAFLOW_BEGIN(name)
#define SDFG_PROCESS(call) call
#define SDFG_PROCESS_COPY(index, call) call
#define SDFG_DATAFLOW_END()
#define SDFG_NAME_STREAMS(streams, name)
#endif`;

/** Index helpers of the C++ runtime (floor division, modulo, min, max), without its C++17 heap allocator. */
export function indexHelpers(): string {
  const runtime = cppRuntime({ streams: false, atomics: false, blas: false }).split('\n// Heap storage')[0]!.trimEnd();
  // The glibc vector-math declarations serve CPU SIMD loops; HLS tools have no use for them.
  const vectorMath = /\n\/\/ Loops calling math functions[\s\S]*?\n#endif\n(?=\n)/;
  return runtime.replace(vectorMath, '');
}

/** Print the kernel of a plan: kernel.cpp and its header. */
export function emitKernel(plan: HlsPlan): KernelSource {
  const k = new KernelContext(plan);
  const sdfg = plan.sdfg;
  const top = new FunctionContext(k.module, sdfg, false);
  const topParams: KernelSource['topParams'][number][] = [];
  for (const name of plan.ports) {
    const desc = sdfg.arrays[name]!;
    const cname = k.cname(name);
    top.reserve(cname);
    const strides = desc.kind === 'Array' || desc.kind === 'View' ? desc.strides : [];
    top.containers.set(name, { cname, desc, placement: desc.kind === 'Scalar' ? 'scalar-pointer' : 'pointer', strides });
    topParams.push({ name, kind: 'port', decl: `${hlsType(desc.dtype)}* ${cname}` });
  }
  for (const name of plan.hostScalars) {
    const desc = sdfg.arrays[name]!;
    const cname = k.cname(name);
    top.reserve(cname);
    top.containers.set(name, { cname, desc, placement: 'value', strides: [] });
    topParams.push({ name, kind: 'scalar', decl: `${hlsType(desc.dtype)} ${cname}` });
  }
  for (const s of plan.symbols) {
    top.symbols.add(s);
    top.reserve(s);
    topParams.push({ name: s, kind: 'symbol', decl: `int64_t ${s}` });
  }
  const calls = new Map<State, (caller: FunctionContext) => string[]>();
  for (const sp of plan.states.values()) calls.set(sp.state, emitStateFunctions(k, sp).args);

  const body = new CodeWriter(1);
  plan.ports.forEach((name, n) => body.line(`#pragma HLS INTERFACE m_axi port=${k.cname(name)} offset=slave bundle=gmem${n}`));
  for (const p of topParams.filter((q) => q.kind !== 'port')) body.line(`#pragma HLS INTERFACE s_axilite port=${k.cname(p.name)}`);
  body.line('#pragma HLS INTERFACE s_axilite port=return');
  emitTopLocals(k, top, body);
  emitKernelControlFlow(top, plan.kernel, (state, fn) => `${plan.states.get(state)!.functionName}(${calls.get(state)!(fn).join(', ')});`, body);

  const signature = `void ${plan.topName}(${topParams.map((p) => p.decl).join(', ')})`;
  const program = [
    ...k.functions.flatMap((f) => [f, '']),
    `// top function of SDFG "${sdfg.name}": the kernel`,
    `${signature} {`,
    ...body.lines,
    '}',
  ].join('\n');
  const helpers = helpersFor('hls', program);
  const source = [
    `// SDFG "${sdfg.name}": Vitis HLS C++ generated by sdfg-ts. Top function: ${plan.topName}.`,
    '#include <cstdint>',
    '#include <hls_stream.h>',
    indexHelpers(),
    ...(helpers ? [`#include <type_traits>\n${helpers}`] : []),
    '',
    dataflowMacros,
    '',
    program,
    '',
  ].join('\n');
  const guard = `SDFG_${cIdentifier(sdfg.name).toUpperCase()}_KERNEL_H`;
  const header = [
    `// SDFG "${sdfg.name}": the top function of the HLS kernel, for the host code and the testbench.`,
    `#ifndef ${guard}`, `#define ${guard}`, '#include <cstdint>', '', `${signature};`, '', `#endif  // ${guard}`, '',
  ].join('\n');
  return { source, header, topParams };
}

/** Locals of the top function: assigned symbols, registers, on-chip arrays and the streams that cross states. */
function emitTopLocals(k: KernelContext, top: FunctionContext, w: CodeWriter): void {
  if (k.assigned.length) {
    for (const s of k.assigned) { top.symbols.add(s); top.reserve(s); }
    w.line(`int64_t ${k.assigned.map((s) => `${s} = 0`).join(', ')};`);
  }
  for (const name of k.topLocals) {
    const desc = k.sdfg.arrays[name]!;
    const cname = k.cname(name);
    if (desc.kind === 'Stream') { k.declareStream(top, name, w); continue; }
    top.reserve(cname);
    if (desc.kind === 'Scalar') {
      top.containers.set(name, { cname, desc, placement: 'local', strides: [] });
      w.line(`${hlsType(desc.dtype)} ${cname} = 0;`);
      continue;
    }
    const size = desc.totalSize.add(desc.startOffset).constantValue();
    if (size === undefined) throw hlsUnsupported(`the on-chip array ${name} needs a constant size`, { sdfg: k.sdfg.name }, 'keep large arrays in FPGA_Global storage');
    top.containers.set(name, { cname, desc, placement: 'pointer', strides: desc.kind === 'View' ? desc.strides : desc.strides });
    w.line(`${hlsType(desc.dtype)} ${cname}[${Math.max(size, 1)}] = {};  // on-chip`);
  }
}

export { isStream };
