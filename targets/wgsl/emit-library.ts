// Library nodes on the device: Reduce as a workgroup tree reduction in shared memory (one workgroup per output
// element), MatMul as one thread per output element summing over the inner dimension in order.
import type { DType } from '../../graph/dtypes.js';
import type { Edge, State } from '../../graph/sdfg.js';
import type { LibraryNode, LibraryOp } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import { rangeSize, type Subset } from '../../graph/subsets.js';
import { int, mul, sym, type Expr } from '../../graph/symbolic.js';
import { castValue, type BuiltinWcrOp } from '../../graph/tasklet-ops.js';
import { type CodeWriter, type ModuleContext, kernelName, originComment, unsupported } from './emit-context.js';
import { combineText, wcrIdentity, writeElement } from './emit-writes.js';
import { wgslNumber } from './expressions.js';
import { KernelContext, bodyWriter, type ViewDim } from './kernel-context.js';

interface Operand {
  readonly edge: Edge;
  readonly data: string;
  readonly subset: Subset;
}

function operand(k: KernelContext, node: LibraryNode, conn: string | undefined, side: 'in' | 'out'): Operand | undefined {
  const edges = side === 'in' ? inEdges(k.state, node) : outEdges(k.state, node);
  const edge = edges.find((e) => e.memlet.data !== null && (conn === undefined || (side === 'in' ? e.dstConn : e.srcConn) === conn));
  if (!edge) return undefined;
  const data = edge.memlet.data!;
  return { edge, data, subset: edge.memlet.subset ?? { ranges: k.shape(data).map((s) => ({ begin: int(0), end: s, step: int(1) })) } };
}

function required(k: KernelContext, node: LibraryNode, found: Operand | undefined, what: string): Operand {
  if (found) return found;
  throw unsupported(`library node '${node.label}' has no ${what}`, k.path(node));
}

/** `let` lines binding the row-major position of `flat` in `sizes` to fresh names; returns them as symbols. */
function decompose(k: KernelContext, w: CodeWriter, flat: string, sizes: readonly Expr[], base: string): Expr[] {
  return sizes.map((size, d) => {
    const inner = mul(int(1), ...sizes.slice(d + 1));
    const q = inner.equals(1) ? sym(flat) : sym(flat).floorDiv(inner);
    const v = k.names.fresh(`${base}${d}`);
    k.params.add(v);
    w.line(`let ${v} = ${k.expr(d === 0 ? q : q.mod(size))};`);
    return sym(v);
  });
}

/** Container indices of a subset's element at `positions` (one per subset dimension). */
function indicesOf(s: Subset, positions: readonly Expr[]): Expr[] {
  return s.ranges.map((r, d) => r.begin.add(positions[d]!.mul(r.step)));
}

export function emitLibraryKernel(module: ModuleContext, state: State, node: LibraryNode): void {
  const op = node.op;
  switch (op.name) {
    case 'Reduce': return emitReduce(module, state, node, op);
    case 'MatMul': return emitMatMul(module, state, node, op);
    case 'Unknown':
      throw unsupported(`library node '${node.label}' (${op.classpath}) is not known to the WGSL target`, { sdfg: module.sdfg.name, state: state.label, node: node.label },
        'expand it into plain dataflow first');
  }
}

/** Each workgroup folds whole output elements: its threads stride over the reduced elements, then halve in shared memory. */
function emitReduce(module: ModuleContext, state: State, node: LibraryNode, op: LibraryOp & { name: 'Reduce' }): void {
  const entryPoint = module.globals.fresh(kernelName(state, node.label));
  const k = new KernelContext(module, entryPoint, state);
  const path = k.path(node);
  const input = required(k, node, operand(k, node, undefined, 'in'), 'input');
  const output = required(k, node, operand(k, node, undefined, 'out'), 'output');
  const dtype: DType = k.sdfg.arrays[output.data]!.dtype;
  const t = k.demote(dtype);
  const inDims = input.subset.ranges.map(rangeSize);
  const axes = op.axes ?? inDims.map((_, d) => d);
  const bad = axes.find((a) => !Number.isInteger(a) || a < 0 || a >= inDims.length);
  if (bad !== undefined) throw unsupported(`Reduce '${node.label}': axis ${bad} does not exist in a ${inDims.length}-dimensional input`, path);
  if (op.identity === null && op.wcr.op === 'custom') {
    throw unsupported(`Reduce '${node.label}' with a custom operation needs an identity on the device`, path, 'give the reduction an identity');
  }
  const kept = inDims.map((_, d) => d).filter((d) => !axes.includes(d));
  const outputs = mul(int(1), ...kept.map((d) => inDims[d]!));
  const reduced = mul(int(1), ...axes.map((d) => inDims[d]!));
  const size = module.options.reduceWorkgroupSize;
  const identity = op.identity !== null ? wgslNumber(castValue(op.identity, t), t) : wcrIdentity(op.wcr.op as BuiltinWcrOp, t);
  const partial = module.globals.fresh(`${entryPoint}_partial`);
  k.declarations.push(`var<workgroup> ${partial}: array<${t.wgsl}, ${size}>;`, '');
  const combine = (a: string, b: string): string => combineText(k, op.wcr, dtype, a, b);

  const w = bodyWriter();
  const o = k.names.fresh('out');
  const r = k.names.fresh('r');
  k.params.add(o);
  k.params.add(r);
  w.open(`for (var ${o} = i32(group.x); ${o} < ${k.expr(outputs)}; ${o} += i32(groups.x)) {`);
  const keptPositions = decompose(k, w, o, kept.map((d) => inDims[d]!), 'k');
  w.line(`var acc: ${t.wgsl} = ${identity};`);
  w.open(`for (var ${r} = i32(lane); ${r} < ${k.expr(reduced)}; ${r} += ${size}) {`);
  const reducedPositions = decompose(k, w, r, axes.map((d) => inDims[d]!), 'a');
  const positions = inDims.map((_, d) => (kept.includes(d) ? keptPositions[kept.indexOf(d)]! : reducedPositions[axes.indexOf(d)]!));
  const element = k.load(input.data, k.expr(k.linearOffset(input.data, indicesOf(input.subset, positions))), path);
  const inType = k.elementType(input.data, path);
  w.line(`acc = ${combine('acc', inType.name === t.name ? element : `${t.wgsl}(${element})`)};`);
  w.close();
  w.line(`${partial}[lane] = acc;`);
  w.line('workgroupBarrier();');
  w.open(`for (var width = ${size / 2}u; width > 0u; width = width / 2u) {`);
  w.open('if (lane < width) {');
  w.line(`${partial}[lane] = ${combine(`${partial}[lane]`, `${partial}[lane + width]`)};`);
  w.close();
  w.line('workgroupBarrier();');
  w.close();
  // Nothing reduced and no identity: the reference leaves the output element as it was.
  const guard = op.identity === null && reduced.constantValue() === undefined ? ` && ${k.expr(reduced)} > 0` : '';
  w.open(`if (lane == 0u${guard}) {`);
  const outPositions = decompose(k, w, o, output.subset.ranges.map(rangeSize), 'o');
  const outIndex = k.expr(k.linearOffset(output.data, indicesOf(output.subset, outPositions)));
  const outType = k.elementType(output.data, path);
  w.append(writeElement(k, output.data, outIndex, output.edge.memlet.wcr, outType.name === t.name ? `${partial}[0]` : `${outType.wgsl}(${partial}[0])`, path));
  w.close();
  // The next output element reuses the shared array.
  w.line('workgroupBarrier();');
  w.close();
  k.finish(
    {
      comment: `${originComment(state, node, 'library Reduce')}: ${op.wcr.op} over axes [${axes.join(', ')}]`,
      workgroupSize: [size, 1, 1],
      builtins: ['@builtin(local_invocation_index) lane: u32', '@builtin(workgroup_id) group: vec3<u32>', '@builtin(num_workgroups) groups: vec3<u32>'],
    },
    w, { kind: 'reduce', state, node: node.id, grid: [outputs, int(1), int(1)], gridUnit: 'workgroups' },
  );
}

/** `(rows, cols)` of a matrix operand; a vector is a row (left operand) or a column (right operand). */
function matrix(dims: readonly ViewDim[], side: 'left' | 'right', fail: () => never): { rows: ViewDim; cols: ViewDim } {
  const unit: ViewDim = { size: int(1), stride: int(0), dim: -1 };
  if (dims.length === 2) return { rows: dims[0]!, cols: dims[1]! };
  if (dims.length === 1) return side === 'left' ? { rows: unit, cols: dims[0]! } : { rows: dims[0]!, cols: unit };
  if (dims.length === 0) return { rows: unit, cols: unit };
  return fail();
}

/** C = alpha · A @ B (+ beta · C_in): a thread per element of C, the inner sum in order, as the reference does. */
function emitMatMul(module: ModuleContext, state: State, node: LibraryNode, op: LibraryOp & { name: 'MatMul' }): void {
  const entryPoint = module.globals.fresh(kernelName(state, node.label));
  const k = new KernelContext(module, entryPoint, state);
  const path = k.path(node);
  const a = required(k, node, operand(k, node, '_a', 'in'), 'input _a');
  const b = required(k, node, operand(k, node, '_b', 'in'), 'input _b');
  const c = required(k, node, operand(k, node, '_c', 'out'), 'output _c');
  const cin = operand(k, node, '_cin', 'in') ?? c;
  const fail = (): never => { throw unsupported(`MatMul '${node.label}': operands must be 1-D or 2-D`, path); };
  const A = matrix(k.viewDims(a.data, a.subset, true), 'left', fail), B = matrix(k.viewDims(b.data, b.subset, true), 'right', fail);
  const dtype = k.sdfg.arrays[c.data]!.dtype;
  const t = k.demote(dtype);
  const [i, j, l] = ['i', 'j', 'l'].map((n) => { const v = k.names.fresh(n); k.params.add(v); return v; }) as [string, string, string];
  const at = (o: Operand, m: { rows: ViewDim; cols: ViewDim }, row: string, col: string): string => {
    const base = k.linearOffset(o.data, o.subset.ranges.map((r) => r.begin));
    const terms = [[row, m.rows], [col, m.cols]].filter(([, d]) => (d as ViewDim).dim >= 0)
      .map(([v, d]) => ((d as ViewDim).stride.equals(1) ? v as string : `${v as string} * ${k.operand((d as ViewDim).stride)}`));
    const element = k.load(o.data, [...(base.isZero() ? [] : [k.expr(base)]), ...terms].join(' + ') || '0', path);
    const et = k.elementType(o.data, path);
    return et.name === t.name ? element : `${t.wgsl}(${element})`;
  };
  const w = bodyWriter();
  const [ty, tx] = [k.names.fresh('ty'), k.names.fresh('tx')];
  w.open(`for (var ${ty} = i32(thread.y); ${ty} < ${k.expr(A.rows.size)}; ${ty} += i32(groups.y) * 8) {`);
  w.line(`let ${i} = ${ty};`);
  w.open(`for (var ${tx} = i32(thread.x); ${tx} < ${k.expr(B.cols.size)}; ${tx} += i32(groups.x) * 8) {`);
  w.line(`let ${j} = ${tx};`);
  w.line(`var acc: ${t.wgsl} = ${wgslNumber(0, t)};`);
  w.open(`for (var ${l}: i32 = 0; ${l} < ${k.expr(A.cols.size)}; ${l} += 1) {`);
  w.line(`acc = acc + ${at(a, A, i, l)} * ${at(b, B, l, j)};`);
  w.close();
  let value = op.alpha === 1 ? 'acc' : `${wgslNumber(castValue(op.alpha, t), t)} * acc`;
  if (op.beta !== 0) {
    const flat = `${i} * ${k.operand(B.cols.size)} + ${j}`;
    const position = k.names.fresh('p');
    k.params.add(position);
    w.line(`let ${position} = ${flat};`);
    const inAt = decompose(k, w, position, cin.subset.ranges.map(rangeSize), 'q');
    const element = k.load(cin.data, k.expr(k.linearOffset(cin.data, indicesOf(cin.subset, inAt))), path);
    value = `${value} + ${wgslNumber(castValue(op.beta, t), t)} * ${element}`;
  }
  const position = k.names.fresh('flat');
  k.params.add(position);
  w.line(`let ${position} = ${i} * ${k.operand(B.cols.size)} + ${j};`);
  const outAt = decompose(k, w, position, c.subset.ranges.map(rangeSize), 'o');
  const outType = k.elementType(c.data, path);
  w.append(writeElement(k, c.data, k.expr(k.linearOffset(c.data, indicesOf(c.subset, outAt))), c.edge.memlet.wcr, outType.name === t.name ? value : `${outType.wgsl}(${value})`, path));
  w.close();
  w.close();
  k.finish(
    {
      comment: `${originComment(state, node, 'library MatMul')}`,
      workgroupSize: [8, 8, 1],
      builtins: ['@builtin(global_invocation_id) thread: vec3<u32>', '@builtin(num_workgroups) groups: vec3<u32>'],
    },
    w, { kind: 'matmul', state, node: node.id, grid: [B.cols.size, A.rows.size, int(1)], gridUnit: 'threads' },
  );
}
