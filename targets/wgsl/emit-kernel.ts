// Device maps as compute entry points: the map's parameters spread over the invocation grid (the last one along x),
// each thread walking its share in grid-stride loops, and the map's body printed inside — tasklets, sequential inner
// maps as for-loops, per-thread transients as function variables, copies as element loops.
import { assertNever } from '../../graph/errors.js';
import { isScopeEntry, type MapEntry, type Node } from '../../graph/nodes.js';
import { inEdges, memletPath, nodeById, outEdges, scopeChildren, scopeDict } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import type { Range } from '../../graph/subsets.js';
import { floorDiv, int, mul, sym, type Expr } from '../../graph/symbolic.js';
import { type CodeWriter, type ModuleContext, kernelName, originComment, unsupported } from './emit-context.js';
import { emitCopyLoops } from './emit-copy.js';
import { emitTasklet } from './emit-tasklet.js';
import { planAtomics } from './emit-writes.js';
import { KernelContext, bodyWriter } from './kernel-context.js';

/** Iterations of a range with a constant step: ceil((end - begin) / step), as an expression. */
export function iterations(r: Range, what: string): Expr {
  const step = r.step.constantValue();
  if (step === undefined || step === 0) throw unsupported(`${what} has step ${r.step}, not a non-zero constant`, undefined, 'use a constant step');
  if (step === 1) return r.end.sub(r.begin);
  if (step === -1) return r.begin.sub(r.end);
  const span = step > 0 ? r.end.sub(r.begin) : r.begin.sub(r.end);
  return floorDiv(span.add(Math.abs(step) - 1), Math.abs(step));
}

/** Limits WebGPU guarantees for a workgroup. */
const maxInvocations = 256;
const maxSize = [256, 256, 64] as const;

/** The workgroup size of a device map: its block size with axes that have no parameter set to 1. */
function workgroupOf(k: KernelContext, entry: MapEntry): [number, number, number] {
  const dims = Math.min(entry.map.params.length, 3);
  const block = entry.map.gpuBlockSize ?? [64];
  const size: [number, number, number] = [block[0] ?? 1, dims >= 2 ? block[1] ?? 1 : 1, dims >= 3 ? block[2] ?? 1 : 1];
  const total = size[0] * size[1] * size[2];
  if (size.some((s, d) => !Number.isInteger(s) || s < 1 || s > maxSize[d]!) || total > maxInvocations) {
    throw unsupported(`map '${entry.map.label}' asks for workgroup size [${size.join(', ')}]; WebGPU allows at most [${maxSize.join(', ')}] and ${maxInvocations} invocations`,
      k.path(entry), 'choose smaller block sizes (GPUTransform options blockSize, blockSize2D, blockSize3D)');
  }
  return size;
}

export function emitMapKernel(module: ModuleContext, state: State, entry: MapEntry): void {
  const map = entry.map;
  const entryPoint = module.globals.fresh(kernelName(state, map.label));
  const k = new KernelContext(module, entryPoint, state);
  map.params.forEach((p) => k.bindParam(p, entry));
  planAtomics(k, state, entry);
  const size = workgroupOf(k, entry);
  const counts = map.ranges.map((r, d) => iterations(r, `parameter ${map.params[d]} of map ${map.label}`));
  // x: the last parameter; y: the one before; z: all the others, flattened.
  const n = map.params.length;
  const axes: { axis: 'x' | 'y' | 'z'; dims: number[] }[] = [
    ...(n > 2 ? [{ axis: 'z' as const, dims: Array.from({ length: n - 2 }, (_, d) => d) }] : []),
    ...(n > 1 ? [{ axis: 'y' as const, dims: [n - 2] }] : []),
    { axis: 'x' as const, dims: [n - 1] },
  ];
  const grid: Record<'x' | 'y' | 'z', Expr> = { x: int(1), y: int(1), z: int(1) };
  const w = bodyWriter();
  for (const { axis, dims } of axes) {
    const total = mul(...dims.map((d) => counts[d]!));
    grid[axis] = total;
    const t = k.names.fresh(`t${axis}`);
    const groupSize = size[axis === 'x' ? 0 : axis === 'y' ? 1 : 2];
    w.open(`for (var ${t} = i32(thread.${axis}); ${t} < ${k.expr(total)}; ${t} += i32(groups.${axis}) * ${groupSize}) {`);
    k.params.add(t);
    dims.forEach((d, j) => {
      const inner = mul(int(1), ...dims.slice(j + 1).map((e) => counts[e]!));
      const q = inner.equals(1) ? sym(t) : sym(t).floorDiv(inner);
      const position = j === 0 ? q : q.mod(counts[d]!);
      const r = map.ranges[d]!;
      w.line(`let ${map.params[d]} = ${k.expr(r.begin.add(position.mul(r.step)))};`);
    });
  }
  const inner = bodyWriter();
  emitScopeBody(k, entry.id, scopeDict(state), inner);
  // Per-thread transients start zeroed in every iteration.
  for (const decl of k.localDeclarations()) w.line(decl);
  for (const line of inner.lines) w.line(line.slice(2));
  axes.forEach(() => w.close());
  const ranges = map.params.map((p, d) => `${p} = ${map.ranges[d]!.begin}:${map.ranges[d]!.end}${map.ranges[d]!.step.equals(1) ? '' : `:${map.ranges[d]!.step}`}`);
  k.finish(
    {
      comment: `${originComment(state, entry, 'map')}: [${ranges.join(', ')}]`,
      workgroupSize: size,
      builtins: ['@builtin(global_invocation_id) thread: vec3<u32>', '@builtin(num_workgroups) groups: vec3<u32>'],
    },
    w, { kind: 'map', state, node: entry.id, grid: [grid.x, grid.y, grid.z], gridUnit: 'threads' },
  );
}

/** The nodes directly inside a scope, in order. */
export function emitScopeBody(k: KernelContext, scope: number, dict: Map<number, number | null>, w: CodeWriter): void {
  for (const node of scopeChildren(k.state, scope, dict)) emitNode(k, node, dict, w);
}

function emitNode(k: KernelContext, node: Node, dict: Map<number, number | null>, w: CodeWriter): void {
  switch (node.kind) {
    case 'AccessNode': return emitAccessCopies(k, node, w);
    case 'Tasklet': return emitTasklet(k, node, w);
    case 'MapEntry': return emitSequentialMap(k, node, dict, w);
    case 'MapExit': case 'ConsumeExit': return;
    case 'ConsumeEntry':
      throw unsupported(`consume scope '${node.consume.label}' cannot run on the device`, k.path(node));
    case 'NestedSDFG':
      throw unsupported(`nested SDFG '${node.label}' inside a device map is not supported by the WGSL target yet`, k.path(node),
        'inline the nested SDFG into the map (or build the map body without p.call)');
    case 'LibraryNode':
      throw unsupported(`library node '${node.label}' inside a device map is not supported by the WGSL target`, k.path(node),
        'use the library node at the top level of a state, or expand it into a map');
    default: return assertNever(node, 'node');
  }
}

/** A map inside a device map: loops in the thread, one per parameter. */
function emitSequentialMap(k: KernelContext, entry: MapEntry, dict: Map<number, number | null>, w: CodeWriter): void {
  const map = entry.map;
  w.line(originComment(k.state, entry, `${map.schedule.toLowerCase()} map`));
  map.params.forEach((p, d) => {
    const r = map.ranges[d]!;
    iterations(r, `parameter ${p} of map ${map.label}`);
    k.bindParam(p, entry);
    const step = r.step.constantValue()!;
    w.open(`for (var ${p}: i32 = ${k.expr(r.begin)}; ${p} ${step > 0 ? '<' : '>'} ${k.expr(r.end)}; ${p} += ${step}) {`);
  });
  emitScopeBody(k, entry.id, dict, w);
  map.params.forEach(() => w.close());
}

/** Copies into an access node (from another one, or from outside the scope) and out of it to outside the scope. */
function emitAccessCopies(k: KernelContext, node: Node & { kind: 'AccessNode' }, w: CodeWriter): void {
  const state = k.state;
  const pathEnd = (edge: Edge, which: 'first' | 'last'): string | undefined => {
    const chain = memletPath(state, edge);
    const end = which === 'first' ? nodeById(state, chain[0]!.src) : nodeById(state, chain[chain.length - 1]!.dst);
    return end?.kind === 'AccessNode' ? end.data : undefined;
  };
  for (const e of inEdges(state, node)) {
    if (e.memlet.data === null) continue;
    const src = nodeById(state, e.src);
    if (src?.kind === 'AccessNode') emitCopyLoops(k, e, src.data, node.data, w);
    else if (src && isScopeEntry(src)) {
      const origin = pathEnd(e, 'first');
      if (origin && origin !== node.data) emitCopyLoops(k, e, origin, node.data, w);
    }
  }
  for (const e of outEdges(state, node)) {
    const dst = nodeById(state, e.dst);
    if (e.memlet.data === null || !dst || dst.kind !== 'MapExit') continue;
    const target = pathEnd(e, 'last');
    if (target && target !== node.data) emitCopyLoops(k, e, node.data, target, w);
  }
}
