// Library nodes in C++: Reduce as loops (parallel over kept axes), MatMul as loops or a cblas_?gemm call.
import type { DType } from '../../graph/dtypes.js';
import type { Wcr } from '../../graph/memlet.js';
import type { LibraryNode, LibraryOp } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { index, isIndex, subset, type Subset } from '../../graph/subsets.js';
import { type Expr, int, mul, sym } from '../../graph/symbolic.js';
import { wcrOps } from '../../graph/tasklet-ops.js';
import { cNumber } from '../common/c-like.js';
import { CodeWriter, type ContainerAccess, type FunctionContext, type ScopeFrame, nodePath, originComment, unsupported } from './emit-context.js';
import { cIndex, subsetPointer, viewDims, type ViewDim } from './emit-memlet.js';
import { emitWithThreshold } from './emit-scope.js';
import { stridedElement } from './emit-tasklet.js';
import { combineStatement, emitWrite } from './emit-wcr.js';

interface Operand {
  readonly edge: Edge;
  readonly access: ContainerAccess;
  readonly subset: Subset;
}

function operand(fn: FunctionContext, state: State, node: LibraryNode, conn: string | undefined, side: 'in' | 'out'): Operand | undefined {
  const edges = side === 'in' ? inEdges(state, node) : outEdges(state, node);
  const edge = edges.find((e) => e.memlet.data !== null && (conn === undefined || (side === 'in' ? e.dstConn : e.srcConn) === conn));
  if (!edge) return undefined;
  const access = fn.access(edge.memlet.data!, nodePath(fn, state, node));
  if (access.placement === 'stream') throw unsupported(`library node '${node.label}' cannot read or write stream '${edge.memlet.data}'`, nodePath(fn, state, node));
  return { edge, access, subset: edge.memlet.subset ?? subset(index(0)) };
}

function required(found: Operand | undefined, fn: FunctionContext, state: State, node: LibraryNode, what: string): Operand {
  if (found) return found;
  throw unsupported(`library node '${node.label}' has no ${what}`, nodePath(fn, state, node));
}

function openLoop(w: CodeWriter, v: string, size: Expr): void {
  w.open(`for (int64_t ${v} = 0; ${v} < ${cIndex(size)}; ++${v}) {`);
}

export function emitLibraryNode(fn: FunctionContext, frame: ScopeFrame, state: State, node: LibraryNode, w: CodeWriter): void {
  const op = node.op;
  switch (op.name) {
    case 'Reduce': return emitReduce(fn, frame, state, node, op, w);
    case 'MatMul': return emitMatMul(fn, frame, state, node, op, w);
    case 'Unknown':
      throw unsupported(`library node '${node.label}' (${op.classpath}) is not known to the C++ target`, nodePath(fn, state, node),
        'expand it into plain dataflow first');
  }
}

/** Fold the reduced axes of every kept index: from the identity, else (custom operations) from the first element. */
function emitReduce(fn: FunctionContext, frame: ScopeFrame, state: State, node: LibraryNode, op: LibraryOp & { name: 'Reduce' }, w: CodeWriter): void {
  const input = required(operand(fn, state, node, undefined, 'in'), fn, state, node, 'input');
  const output = required(operand(fn, state, node, undefined, 'out'), fn, state, node, 'output');
  const t = output.access.desc.dtype;
  const inDims = viewDims(input.access, input.subset);
  const axes = op.axes ?? inDims.map((_, d) => d);
  const kept = inDims.map((_, d) => d).filter((d) => !axes.includes(d));
  const keptVars = kept.map((d) => fn.fresh(`r${d}`));
  const reducedVars = axes.map((d) => fn.fresh(`r${d}`));
  const varOf = (d: number): string => keptVars[kept.indexOf(d)] ?? reducedVars[axes.indexOf(d)]!;
  const firstFlag = op.identity === null && op.wcr.op === 'custom' ? fn.fresh('first') : null;
  const start = op.identity !== null ? cNumber(op.identity, t) : op.wcr.op === 'custom' ? null : wcrOps[op.wcr.op].identityC(t);
  const reducedVolume = mul(...axes.map((d) => inDims[d]!.size));
  const ompOp = op.wcr.op === 'custom' || t.name === 'float16' || t.kind === 'bool' ? null
    : op.wcr.op === 'sum' ? '+' : op.wcr.op === 'product' ? '*' : op.wcr.op;
  const simdOp = firstFlag === null ? ompOp : null;

  w.line(originComment(state, node, 'library Reduce'));
  w.open('{');
  const pointer = fn.fresh('reduce_in');
  w.line(`const ${input.access.desc.dtype.c}* __restrict__ ${pointer} = ${subsetPointer(input.access, input.subset)};`);
  const element = stridedElement(pointer, inDims, inDims.map((_, d) => varOf(d)));
  const outIndices = outputIndices(output.subset, kept.map((d) => inDims[d]!.size), keptVars);
  const emitFold = (inner: CodeWriter, acc: string, writeFrame: ScopeFrame, parallelReduce: boolean, simd = simdOp !== null): void => {
    if (!parallelReduce) inner.line(`${t.c} ${acc}${start !== null ? ` = ${start}` : ''};`);
    if (firstFlag) inner.line(`bool ${firstFlag} = true;`);
    axes.forEach((d, k) => {
      // The innermost reduced loop folds in SIMD lanes (OpenMP may reassociate a declared reduction; the compiler
      // may not on its own for floating point). Under a `parallel for simd` reduction the enclosing pragma covers it.
      if (simd && k === axes.length - 1) inner.line(`#pragma omp simd reduction(${simdOp}:${acc})`);
      openLoop(inner, reducedVars[k]!, inDims[d]!.size);
    });
    if (firstFlag) inner.line(`if (${firstFlag}) { ${acc} = ${element}; ${firstFlag} = false; continue; }`);
    inner.line(combineStatement(acc, element, op.wcr as Wcr, t));
    axes.forEach(() => inner.close());
    if (parallelReduce) return;
    const guard = op.identity === null && reducedVolume.constantValue() === undefined;
    if (guard) inner.open(`if (${cIndex(reducedVolume)} > 0) {`);
    emitWrite(fn, writeFrame, output.access, { ...output.edge.memlet, subset: subset(...outIndices.map((i) => index(i))) }, acc, inner);
    if (guard) inner.close();
  };

  const canParallelize = !frame.inParallel;
  const keptWork = mul(...kept.map((d) => inDims[d]!.size));
  const work = mul(keptWork, reducedVolume);
  if (kept.length > 0 && canParallelize) {
    const threadFrame: ScopeFrame = {
      ...frame, inParallel: true, params: [...frame.params, ...keptVars],
      parallel: { threadParams: new Set(keptVars), outerParams: frame.params, reductions: new Map() },
    };
    const loops = (inner: CodeWriter, f: ScopeFrame): void => {
      kept.forEach((d, k) => openLoop(inner, keptVars[k]!, inDims[d]!.size));
      emitFold(inner, fn.fresh('acc'), f, false);
      kept.forEach(() => inner.close());
    };
    emitWithThreshold(fn, w, work, () => {
      w.line(`#pragma omp parallel for${kept.length > 1 ? ` collapse(${kept.length})` : ''}`);
      loops(w, threadFrame);
    }, () => loops(w, frame));
  } else if (kept.length === 0 && canParallelize && ompOp !== null && axes.length > 0) {
    const acc = fn.fresh('acc');
    w.line(`${t.c} ${acc} = ${start};`);
    emitWithThreshold(fn, w, work, () => {
      w.line(`#pragma omp parallel for simd${axes.length > 1 ? ` collapse(${axes.length})` : ''} reduction(${ompOp}:${acc})`);
      emitFold(w, acc, frame, true, false);
    }, () => emitFold(w, acc, frame, true));
    const guard = op.identity === null && reducedVolume.constantValue() === undefined;
    if (guard) w.open(`if (${cIndex(reducedVolume)} > 0) {`);
    emitWrite(fn, frame, output.access, { ...output.edge.memlet, subset: subset(...outIndices.map((i) => index(i))) }, acc, w);
    if (guard) w.close();
  } else {
    kept.forEach((d, k) => openLoop(w, keptVars[k]!, inDims[d]!.size));
    emitFold(w, fn.fresh('acc'), { ...frame, params: [...frame.params, ...keptVars] }, false);
    kept.forEach(() => w.close());
  }
  w.close();
}

/**
 * Output indices for the kept index `vars`: dimension by dimension when the output's non-single dimensions
 * match the kept sizes, else through the row-major position (the output may keep reduced axes as 1).
 */
function outputIndices(out: Subset, keptSizes: readonly Expr[], vars: readonly string[]): Expr[] {
  const outer = out.ranges.map((r, d) => ({ r, d })).filter(({ r }) => !isIndex(r));
  const sizes = keptSizes.map((s, k) => ({ s, k })).filter(({ s }) => !s.equals(1));
  if (outer.length === sizes.length) {
    const position = new Map(outer.map(({ d }, k) => [d, sym(vars[sizes[k]!.k]!)]));
    return out.ranges.map((r, d) => (position.has(d) ? r.begin.add(position.get(d)!.mul(r.step)) : r.begin));
  }
  let flat: Expr = int(0);
  keptSizes.forEach((s, k) => { flat = flat.mul(s).add(sym(vars[k]!)); });
  const outSizes = out.ranges.map((r) => r.end.sub(r.begin));
  return out.ranges.map((r, d) => {
    const inner = mul(...outSizes.slice(d + 1));
    const q = inner.equals(1) ? flat : flat.floorDiv(inner);
    return r.begin.add((d === 0 ? q : q.mod(outSizes[d]!)).mul(r.step));
  });
}

/** `(M, K)` of a 2-D operand or `(1, K)` of a vector (and `(K, N)` / `(K, 1)` for the right operand). */
function matrixDims(dims: readonly ViewDim[], side: 'left' | 'right'): { rows: ViewDim; cols: ViewDim } {
  const unit: ViewDim = { size: int(1), stride: int(0), dim: -1 };
  if (dims.length === 2) return { rows: dims[0]!, cols: dims[1]! };
  if (dims.length === 0) return { rows: unit, cols: unit };
  if (dims.length === 1) return side === 'left' ? { rows: unit, cols: dims[0]! } : { rows: dims[0]!, cols: unit };
  throw unsupported(`MatMul operands must be 1-D or 2-D, got ${dims.length} dimensions`);
}

function squeezed(o: Operand): ViewDim[] {
  return viewDims(o.access, o.subset, o.subset.ranges.filter((r) => !isIndex(r)).length);
}

/** C = alpha · A @ B (+ beta · C_in), summing over the inner dimension in order, as the reference does. */
function emitMatMul(fn: FunctionContext, frame: ScopeFrame, state: State, node: LibraryNode, op: LibraryOp & { name: 'MatMul' }, w: CodeWriter): void {
  const a = required(operand(fn, state, node, '_a', 'in'), fn, state, node, 'input _a');
  const b = required(operand(fn, state, node, '_b', 'in'), fn, state, node, 'input _b');
  const c = required(operand(fn, state, node, '_c', 'out'), fn, state, node, 'output _c');
  const cin = operand(fn, state, node, '_cin', 'in') ?? c;
  const t = c.access.desc.dtype;
  const A = matrixDims(squeezed(a), 'left'), B = matrixDims(squeezed(b), 'right');
  const cDims = squeezed(c), cinDims = squeezed(cin);
  const C = cDims.length === 2 ? { rows: cDims[0]!, cols: cDims[1]! } : matrixDims(cDims, squeezed(a).length === 2 ? 'right' : 'left');
  const Cin = cinDims.length === 2 ? { rows: cinDims[0]!, cols: cinDims[1]! } : matrixDims(cinDims, squeezed(a).length === 2 ? 'right' : 'left');
  if (c.edge.memlet.wcr) throw unsupported(`MatMul '${node.label}' writes with conflict resolution, which the C++ target does not support`, nodePath(fn, state, node));

  w.line(originComment(state, node, 'library MatMul'));
  w.open('{');
  const pa = fn.fresh('mm_a'), pb = fn.fresh('mm_b'), pc = fn.fresh('mm_c'), pcin = fn.fresh('mm_cin');
  w.line(`const ${t.c}* ${pa} = ${subsetPointer(a.access, a.subset)};`);
  w.line(`const ${t.c}* ${pb} = ${subsetPointer(b.access, b.subset)};`);
  w.line(`${t.c}* ${pc} = ${subsetPointer(c.access, c.subset)};`);
  if (op.beta !== 0) w.line(`const ${t.c}* ${pcin} = ${subsetPointer(cin.access, cin.subset)};`);
  if (!(fn.module.options.blas === 'openblas' && emitGemm(fn, w, t, op, { pa, pb, pc, pcin }, A, B, C, Cin, squeezed(a).length === 2 && squeezed(b).length === 2))) {
    emitMatMulLoops(fn, frame, w, t, op, { pa, pb, pc, pcin }, A, B, C, Cin);
  }
  w.close();
}

type Matrix = { rows: ViewDim; cols: ViewDim };
interface Pointers { pa: string; pb: string; pc: string; pcin: string }

const at = (p: string, m: Matrix, i: string, j: string): string => {
  const term = (v: string, d: ViewDim): string => (d.dim < 0 ? '' : d.stride.equals(1) ? v : `${v} * ${d.stride.toC()}`);
  return `${p}[${[term(i, m.rows), term(j, m.cols)].filter(Boolean).join(' + ') || '0'}]`;
};

/** i-l-j loops accumulating one row at a time (vectorizes over j; the sum over l keeps the reference's order). */
function emitMatMulLoops(fn: FunctionContext, frame: ScopeFrame, w: CodeWriter, t: DType, op: { alpha: number; beta: number }, p: Pointers, A: Matrix, B: Matrix, C: Matrix, Cin: Matrix): void {
  const [i, j, l, row, a] = [fn.fresh('i'), fn.fresh('j'), fn.fresh('l'), fn.fresh('row'), fn.fresh('a_il')];
  const n = B.cols.size;
  const body = (inner: CodeWriter): void => {
    openLoop(inner, i, A.rows.size);
    inner.line(`for (int64_t ${j} = 0; ${j} < ${cIndex(n)}; ++${j}) ${row}[${j}] = 0;`);
    openLoop(inner, l, A.cols.size);
    inner.line(`const ${t.c} ${a} = ${at(p.pa, A, i, l)};`);
    inner.line(`for (int64_t ${j} = 0; ${j} < ${cIndex(n)}; ++${j}) ${row}[${j}] += ${a} * ${at(p.pb, B, l, j)};`);
    inner.close();
    const scaled = op.alpha === 1 ? `${row}[${j}]` : `${cNumber(op.alpha, t)} * ${row}[${j}]`;
    const value = op.beta === 0 ? scaled : `${scaled} + ${cNumber(op.beta, t)} * ${at(p.pcin, Cin, i, j)}`;
    inner.line(`for (int64_t ${j} = 0; ${j} < ${cIndex(n)}; ++${j}) ${at(p.pc, C, i, j)} = ${value};`);
    inner.close();
  };
  const allocate = `${t.c}* ${row} = static_cast<${t.c}*>(sdfg_alloc(sizeof(${t.c}) * (${cIndex(n)})));`;
  const work = mul(A.rows.size, A.cols.size, n);
  const serial = (): void => {
    w.open('{');
    w.line(allocate);
    body(w);
    w.line(`std::free(${row});`);
    w.close();
  };
  if (frame.inParallel) return serial();
  emitWithThreshold(fn, w, work, () => {
    w.line('#pragma omp parallel');
    w.open('{');
    w.line(allocate);
    w.line('#pragma omp for');
    body(w);
    w.line(`std::free(${row});`);
    w.close();
  }, serial);
}

/** `cblas_?gemm` for float/double matrices with a unit stride in one dimension; false when BLAS cannot take them. */
function emitGemm(fn: FunctionContext, w: CodeWriter, t: DType, op: { alpha: number; beta: number }, p: Pointers, A: Matrix, B: Matrix, C: Matrix, Cin: Matrix, matrices: boolean): boolean {
  if (!matrices || (t.name !== 'float64' && t.name !== 'float32')) return false;
  const layout = (m: Matrix): { trans: string; ld: Expr } | null => {
    if (m.cols.stride.equals(1)) return { trans: 'CblasNoTrans', ld: m.rows.stride };
    if (m.rows.stride.equals(1)) return { trans: 'CblasTrans', ld: m.cols.stride };
    return null;
  };
  const la = layout(A), lb = layout(B);
  if (!la || !lb || !C.cols.stride.equals(1)) return false;
  fn.module.features.blas = true;
  const prefix = t.name === 'float64' ? 'cblas_dgemm' : 'cblas_sgemm';
  if (op.beta !== 0 && p.pcin) {
    // BLAS updates C in place: bring C_in into C first when they are different memory.
    w.open(`if (${p.pcin} != ${p.pc}) {`);
    w.line(`for (int64_t i = 0; i < ${cIndex(C.rows.size)}; ++i) for (int64_t j = 0; j < ${cIndex(C.cols.size)}; ++j) ${at(p.pc, C, 'i', 'j')} = ${at(p.pcin, Cin, 'i', 'j')};`);
    w.close();
  }
  w.line(`${prefix}(CblasRowMajor, ${la.trans}, ${lb.trans}, ${cIndex(A.rows.size)}, ${cIndex(B.cols.size)}, ${cIndex(A.cols.size)},`);
  w.line(`    ${cNumber(op.alpha, t)}, ${p.pa}, ${cIndex(la.ld)}, ${p.pb}, ${cIndex(lb.ld)}, ${cNumber(op.beta, t)}, ${p.pc}, ${cIndex(C.rows.stride)});`);
  return true;
}
