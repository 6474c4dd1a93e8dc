// The body of a processing element in HLS C++: map scopes as loop nests (PIPELINE on the innermost loop, UNROLL on
// unrolled maps, interleaved partial results for accumulations), consume scopes as stream loops, copies as pipelined
// loops, and the on-chip buffers of each scope.
import type { DataDesc } from '../../graph/data.js';
import type { AccessNode, ConsumeEntry, MapEntry, Node } from '../../graph/nodes.js';
import { inEdges, memletPath, nodeById, outEdges, scopeChildren } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { fullSubset, isIndex, rangeSize, type Range, type Subset } from '../../graph/subsets.js';
import { sym, type Expr } from '../../graph/symbolic.js';
import { dataShape } from '../../graph/data.js';
import { wcrOps } from '../../graph/tasklet-ops.js';
import { type CodeWriter, type ContainerAccess, type FunctionContext, nodePath, originComment } from '../cpp/emit-context.js';
import { cIndex, copySides, elementRef } from '../cpp/emit-memlet.js';
import { printCondition } from '../cpp/emit-interstate.js';
import { combineStatement } from '../cpp/emit-wcr.js';
import { hlsType } from './dialect.js';
import { type HlsFrame, emitTasklet, streamRef } from './emit-tasklet.js';
import { type Accumulation, analyzeConsume, analyzeMap, isUnrolledMap } from './loops.js';
import { type HlsProcess, hlsUnsupported, sourceData } from './plan.js';

/** What emitting one processing element needs besides the frame. */
export interface ProcessContext {
  readonly fn: FunctionContext;
  readonly state: State;
  readonly dict: Map<number, number | null>;
  /** Scope entry id → transients private to that scope (declared in its loop body). */
  readonly scoped: ReadonlyMap<number, readonly string[]>;
}

function loopHeader(label: string, param: string, r: Range): string {
  const step = r.step.constantValue();
  const test = step !== undefined && step < 0 ? '>' : '<';
  const increment = step === 1 ? `++${param}` : `${param} += ${cIndex(r.step)}`;
  return `${label}: for (int64_t ${param} = ${cIndex(r.begin)}; ${param} ${test} ${cIndex(r.end)}; ${increment}) {`;
}

/** Whether some access to `data` happens inside an unrolled map (its buffer then needs one register per element). */
function accessedUnrolled(ctx: ProcessContext, data: string): boolean {
  const unrolledAround = (id: number): boolean => {
    for (let p = ctx.dict.get(id) ?? null; p !== null; p = ctx.dict.get(p) ?? null) {
      const n = nodeById(ctx.state, p);
      if (n?.kind === 'MapEntry' && isUnrolledMap(n.map)) return true;
    }
    return false;
  };
  return ctx.state.edges.some((e) => e.memlet.data === data && (unrolledAround(e.src) || unrolledAround(e.dst)));
}

/** Declare the on-chip buffers and registers private to a scope. */
function declareLocals(ctx: ProcessContext, entryId: number, w: CodeWriter): void {
  for (const name of ctx.scoped.get(entryId) ?? []) {
    const desc = ctx.fn.sdfg.arrays[name]!;
    const cname = ctx.fn.fresh(name);
    switch (desc.kind) {
      case 'Scalar':
        ctx.fn.containers.set(name, { cname, desc, placement: 'local', strides: [] });
        w.line(`${hlsType(desc.dtype)} ${cname};`);
        break;
      case 'Array': {
        const size = desc.totalSize.add(desc.startOffset).constantValue();
        if (size === undefined) {
          throw hlsUnsupported(`the on-chip buffer ${name} has ${desc.totalSize.toString()} elements; HLS needs buffers of constant size`,
            { sdfg: ctx.fn.sdfg.name, state: ctx.state.label }, 'tile the map with constant tile sizes before the buffer is introduced');
        }
        ctx.fn.containers.set(name, { cname, desc, placement: 'pointer', strides: desc.strides });
        w.line(`${hlsType(desc.dtype)} ${cname}[${Math.max(size, 1)}];  // on-chip buffer`);
        if (accessedUnrolled(ctx, name)) w.line(`#pragma HLS ARRAY_PARTITION variable=${cname} complete`);
        break;
      }
      case 'Stream': case 'View':
        throw hlsUnsupported(`${desc.kind.toLowerCase()} ${name} cannot live inside a scope on the FPGA`, { sdfg: ctx.fn.sdfg.name, state: ctx.state.label });
    }
  }
}

/** Partial results of the accumulations that start before one loop: declarations now, the final combine later. */
function openAccumulations(ctx: ProcessContext, group: readonly Accumulation[], accumulators: Map<Edge, { target: string; dtype: DataDesc['dtype'] }>, w: CodeWriter): { slot: string | null; close: (out: CodeWriter) => void } {
  const fn = ctx.fn;
  const slot = group.some((a) => a.partials > 1) ? fn.fresh('partial_slot') : null;
  const finals: ((out: CodeWriter) => void)[] = [];
  for (const a of group) {
    const data = a.edge.memlet.data!;
    const t = hlsType(a.dtype);
    const partial = fn.fresh(`${data}_partial`);
    const identity = wcrOps[a.wcr.op].identityC(a.dtype);
    w.line(`// ${a.tasklet.label} accumulates into ${data}: ${a.partials} interleaved partial result${a.partials > 1 ? 's' : ''} hide the combine's latency (${a.latency} cycles), so the pipeline keeps II=1`);
    if (a.partials > 1) {
      const k = fn.fresh(`${partial}_k`);
      w.line(`${t} ${partial}[${a.partials}];`);
      w.line(`#pragma HLS ARRAY_PARTITION variable=${partial} complete`);
      w.open(`for (int64_t ${k} = 0; ${k} < ${a.partials}; ++${k}) {`);
      w.line('#pragma HLS UNROLL');
      w.line(`${partial}[${k}] = ${identity};`);
      w.close();
      accumulators.set(a.edge, { target: `${partial}[${slot}]`, dtype: a.dtype });
    } else {
      w.line(`${t} ${partial} = ${identity};`);
      accumulators.set(a.edge, { target: partial, dtype: a.dtype });
    }
    finals.push((out) => {
      const access = fn.access(data);
      const target = elementRef(access, a.edge.memlet.subset!.ranges.map((r) => r.begin));
      if (a.partials === 1) { out.line(combineStatement(target, partial, a.wcr, a.dtype)); return; }
      const total = fn.fresh(`${data}_total`), k = fn.fresh(`${partial}_k`);
      out.open('{');
      out.line(`${t} ${total} = ${partial}[0];`);
      out.open(`for (int64_t ${k} = 1; ${k} < ${a.partials}; ++${k}) {`);
      out.line('#pragma HLS UNROLL');
      out.line(combineStatement(total, `${partial}[${k}]`, a.wcr, a.dtype));
      out.close();
      out.line(combineStatement(target, total, a.wcr, a.dtype));
      out.close();
    });
  }
  if (slot) w.line(`int64_t ${slot} = 0;`);
  return { slot, close: (out) => finals.forEach((f) => f(out)) };
}

/** A map: its loops, pragmas, partial results, private buffers, and its body. */
export function emitMap(ctx: ProcessContext, frame: HlsFrame, entry: MapEntry, w: CodeWriter): void {
  const map = entry.map;
  const info = analyzeMap(ctx.fn.sdfg, ctx.state, entry, ctx.dict);
  const summary = info.unrolled ? 'unrolled' : info.pipelined ? `pipelined, estimated II=${info.ii}` : 'loops around the pipelined ones inside';
  w.line(`${originComment(ctx.state, entry, 'map')}: ${summary}`);
  const accumulators = new Map(frame.accumulators);
  const closing: ((out: CodeWriter) => void)[] = map.params.map(() => () => {});
  const slots: { name: string; partials: number }[] = [];
  const braces = info.accumulations.some((a) => a.firstParam === 0);
  if (braces) w.open('{');
  map.params.forEach((param, d) => {
    const group = info.accumulations.filter((a) => a.firstParam === d);
    if (group.length) {
      const { slot, close } = openAccumulations(ctx, group, accumulators, w);
      if (slot) slots.push({ name: slot, partials: Math.max(...group.map((a) => a.partials)) });
      closing[d] = close;
    }
    w.open(loopHeader(ctx.fn.fresh(`${map.label}_${param}`), param, map.ranges[d]!));
    if (info.unrolled) w.line('#pragma HLS UNROLL');
    if (info.pipelined && d === map.params.length - 1) w.line('#pragma HLS PIPELINE II=1');
  });
  declareLocals(ctx, entry.id, w);
  emitScope(ctx, { ...frame, params: [...frame.params, ...map.params], accumulators }, entry.id, w);
  for (const s of slots) w.line(`${s.name} = ${s.name} == ${s.partials - 1} ? 0 : ${s.name} + 1;`);
  for (let d = map.params.length - 1; d >= 0; d--) {
    w.close();
    closing[d]!(w);
  }
  if (braces) w.close();
}

/** A consume scope: pop the stream while it holds elements (and the quiescence condition does not hold). */
function emitConsume(ctx: ProcessContext, frame: HlsFrame, entry: ConsumeEntry, w: CodeWriter): void {
  const scope = entry.consume;
  const input = inEdges(ctx.state, entry).find((e) => e.memlet.data !== null && ctx.fn.sdfg.arrays[e.memlet.data]?.kind === 'Stream');
  if (!input) throw hlsUnsupported(`consume scope ${scope.label} has no input stream`, nodePath(ctx.fn, ctx.state, entry));
  const stream = ctx.fn.access(input.memlet.data!);
  const element = ctx.fn.fresh(`${input.memlet.data}_element`);
  const info = analyzeConsume(ctx.fn.sdfg, ctx.state, entry, ctx.dict);
  w.line(`${originComment(ctx.state, entry, 'consume')}: ${info.pipelined ? `pipelined, estimated II=${info.ii}` : 'not pipelined'}`);
  const params = [...frame.params, scope.peIndex];
  const stop = scope.condition ? ` && !(${printCondition(ctx.fn, scope.condition, { params })})` : '';
  const ref = streamRef(stream, input.memlet.subset);
  w.open(`while (!${ref}.empty()${stop}) {`);
  if (info.pipelined) w.line('#pragma HLS PIPELINE II=1');
  w.line(`const ${hlsType(stream.desc.dtype)} ${element} = ${ref}.read();`);
  w.line(`const int64_t ${scope.peIndex} = 0;`);
  declareLocals(ctx, entry.id, w);
  emitScope(ctx, { ...frame, params, consumed: new Map([...frame.consumed, [input.memlet.data!, element]]) }, entry.id, w);
  w.close();
}

/** Sizes of a subset's dimensions that are not single indices. */
const squeezed = (s: Subset): Expr[] => s.ranges.filter((r) => !isIndex(r)).map(rangeSize);

/** Container indices of the element at loop variables `vars` of a copy (one variable per kept dimension). */
function indexInto(s: Subset, vars: readonly Expr[]): Expr[] {
  let next = 0;
  return s.ranges.map((r) => (isIndex(r) ? r.begin : r.begin.add(vars[next++]!.mul(r.step))));
}

/** The subset of an array side of a copy that has a stream on the other side. */
function arraySide(access: ContainerAccess, name: string, edge: Edge): Subset {
  const m = edge.memlet;
  return m.data === name ? m.subset ?? fullSubset(dataShape(access.desc)) : m.otherSubset ?? fullSubset(dataShape(access.desc));
}

/** A copy between containers (arrays, scalars, streams) as a pipelined loop nest. */
export function emitCopy(ctx: ProcessContext, frame: HlsFrame, edge: Edge, src: string, dst: string, w: CodeWriter): void {
  const fn = ctx.fn;
  const from = fn.access(src, nodePath(fn, ctx.state)), to = fn.access(dst, nodePath(fn, ctx.state));
  w.line(`// copy ${src} -> ${dst} (e${edge.id})`);
  const [fromStream, toStream] = [from.placement === 'stream', to.placement === 'stream'];
  if (fromStream && toStream) {
    w.line(`while (!${streamRef(from, null)}.empty()) ${streamRef(to, null)}.write(${streamRef(from, null)}.read());`);
    return;
  }
  const sides = fromStream ? { src: null, dst: arraySide(to, dst, edge) }
    : toStream ? { src: arraySide(from, src, edge), dst: null } : copySides(edge.memlet, src, dst, fn);
  const dims = squeezed(sides.src ?? sides.dst!);
  if (sides.src && sides.dst && (squeezed(sides.dst).length !== dims.length || !squeezed(sides.dst).every((s, k) => s.equals(dims[k]!)))) {
    throw hlsUnsupported(`the copy ${src} -> ${dst} reshapes its data, which the hls target does not print`, nodePath(fn, ctx.state), 'copy between subsets of the same shape');
  }
  const vars = dims.map(() => fn.fresh('c'));
  w.open('{');
  vars.forEach((v, k) => {
    w.open(`${fn.fresh(`copy_${v}`)}: for (int64_t ${v} = 0; ${v} < ${cIndex(dims[k]!)}; ++${v}) {`);
    if (k === vars.length - 1) w.line('#pragma HLS PIPELINE II=1');
  });
  const at = vars.map((v) => sym(v));
  const value = fromStream ? `${streamRef(from, null)}.read()` : elementRef(from, indexInto(sides.src!, at));
  if (toStream) w.line(`${streamRef(to, null)}.write(${value});`);
  else {
    const target = elementRef(to, indexInto(sides.dst!, at));
    w.line(edge.memlet.wcr ? combineStatement(target, value, edge.memlet.wcr, to.desc.dtype) : `${target} = ${value};`);
  }
  vars.forEach(() => w.close());
  w.close();
  void frame;
}

/** Zero a scope-local container (an access node marked setzero). */
function zeroLocal(ctx: ProcessContext, node: AccessNode, w: CodeWriter): void {
  const access = ctx.fn.access(node.data);
  const desc = access.desc;
  if (access.placement === 'local') { w.line(`${access.cname} = 0;`); return; }
  const size = desc.kind === 'Array' ? cIndex(desc.totalSize) : '1';
  const k = ctx.fn.fresh('z');
  w.open(`for (int64_t ${k} = 0; ${k} < ${size}; ++${k}) {`);
  w.line('#pragma HLS PIPELINE II=1');
  w.line(`${access.cname}[${k}] = 0;`);
  w.close();
}

/** Copies into an access node inside a scope (from its scope's outer data) and out of it (to outer data). */
function emitAccessNode(ctx: ProcessContext, frame: HlsFrame, node: AccessNode, w: CodeWriter): void {
  const state = ctx.state;
  if (ctx.fn.sdfg.arrays[node.data]?.kind === 'View') throw hlsUnsupported(`view ${node.data} cannot be printed as HLS`, nodePath(ctx.fn, state, node));
  if (node.setzero) zeroLocal(ctx, node, w);
  const end = (e: Edge, first: boolean): string | undefined => {
    const chain = memletPath(state, e);
    const n = nodeById(state, first ? chain[0]!.src : chain[chain.length - 1]!.dst);
    return n?.kind === 'AccessNode' ? n.data : undefined;
  };
  for (const e of inEdges(state, node)) {
    if (e.memlet.data === null) continue;
    const src = nodeById(state, e.src);
    if (src?.kind === 'AccessNode') emitCopy(ctx, frame, e, src.data, node.data, w);
    else if (src?.kind === 'MapEntry' || src?.kind === 'ConsumeEntry') {
      const origin = end(e, true);
      if (origin && origin !== node.data) emitCopy(ctx, frame, e, origin, node.data, w);
    }
  }
  for (const e of outEdges(state, node)) {
    const dst = nodeById(state, e.dst);
    if (e.memlet.data === null || (dst?.kind !== 'MapExit' && dst?.kind !== 'ConsumeExit')) continue;
    const target = end(e, false);
    if (target && target !== node.data) emitCopy(ctx, frame, e, node.data, target, w);
  }
}

/** The nodes directly inside a scope, in topological order. */
export function emitScope(ctx: ProcessContext, frame: HlsFrame, scope: number, w: CodeWriter): void {
  for (const node of scopeChildren(ctx.state, scope, ctx.dict)) emitNode(ctx, frame, node, w);
}

function emitNode(ctx: ProcessContext, frame: HlsFrame, node: Node, w: CodeWriter): void {
  switch (node.kind) {
    case 'AccessNode': return emitAccessNode(ctx, frame, node, w);
    case 'Tasklet': return emitTasklet(ctx.fn, frame, node, w);
    case 'MapEntry': return emitMap(ctx, frame, node, w);
    case 'ConsumeEntry': return emitConsume(ctx, frame, node, w);
    case 'MapExit': case 'ConsumeExit': return;
    case 'NestedSDFG': case 'LibraryNode':
      throw hlsUnsupported(`${node.label} (${node.kind}) cannot be printed as HLS`, nodePath(ctx.fn, ctx.state, node));
  }
}

/** The whole body of a processing element's function. */
export function emitProcessBody(ctx: ProcessContext, frame: HlsFrame, p: HlsProcess, w: CodeWriter): void {
  switch (p.kind) {
    case 'map': return emitMap(ctx, frame, p.root as MapEntry, w);
    case 'consume': return emitConsume(ctx, frame, p.root as ConsumeEntry, w);
    case 'tasklet': return emitNode(ctx, frame, p.root, w);
    case 'copy': return emitCopy(ctx, frame, p.copy!, sourceData(ctx.state, p.copy!), (p.root as AccessNode).data, w);
  }
}
