// Memlets in C++: element offsets from strides, subset views, pointers to subsets, and copies between containers.
import { dataShape } from '../../graph/data.js';
import type { Edge, State } from '../../graph/sdfg.js';
import type { AccessNode } from '../../graph/nodes.js';
import { add, mul, type Expr, int, ZERO, sym } from '../../graph/symbolic.js';
import { fullSubset, isIndex, rangeSize, type Subset } from '../../graph/subsets.js';
import { type CodeWriter, type ContainerAccess, type FunctionContext, type ScopeFrame, nodePath, unsupported } from './emit-context.js';

/** C text of an integer expression used as an index: no outer parentheses. */
export function cIndex(e: Expr): string {
  const text = e.toC();
  return text.startsWith('(') && closesAtEnd(text) ? text.slice(1, -1) : text;
}

function closesAtEnd(text: string): boolean {
  let depth = 0;
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '(') depth++;
    else if (text[k] === ')' && --depth === 0) return k === text.length - 1;
  }
  return false;
}

/** Σ (index_d - offset_d) · stride_d + startOffset: the element's position in the container's buffer. */
export function linearOffset(access: ContainerAccess, indices: readonly Expr[]): Expr {
  const desc = access.desc;
  if (desc.kind === 'Scalar' || desc.kind === 'Stream') return ZERO;
  const terms = indices.map((i, d) => mul(i.sub(desc.offset[d] ?? ZERO), access.strides[d] ?? int(1)));
  return add(int(desc.startOffset), ...terms);
}

/** An lvalue/rvalue naming one element of a container. */
export function elementRef(access: ContainerAccess, indices: readonly Expr[]): string {
  switch (access.placement) {
    case 'value': case 'local': return access.cname;
    case 'scalar-pointer': return `${access.cname}[0]`;
    case 'pointer': return `${access.cname}[${cIndex(linearOffset(access, indices))}]`;
    case 'stream': throw unsupported(`stream '${access.cname}' has no elements to index`);
  }
}

/** A pointer to the first element of a subset. */
export function subsetPointer(access: ContainerAccess, s: Subset | null): string {
  switch (access.placement) {
    case 'value': case 'local': return `&${access.cname}`;
    case 'scalar-pointer': return access.cname;
    case 'pointer': {
      const offset = s ? linearOffset(access, s.ranges.map((r) => r.begin)) : ZERO;
      return offset.isZero() ? access.cname : `${access.cname} + ${cIndex(offset)}`;
    }
    case 'stream': throw unsupported(`stream '${access.cname}' cannot be passed as a pointer`);
  }
}

/** One dimension of a subset as seen through a connector: its extent and the element stride between neighbours. */
export interface ViewDim {
  readonly size: Expr;
  readonly stride: Expr;
  /** The dimension of the container it walks. */
  readonly dim: number;
}

/** The dimensions of `s` in `access`, squeezed of single indices when `rank` asks for fewer dimensions. */
export function viewDims(access: ContainerAccess, s: Subset, rank?: number): ViewDim[] {
  const all = s.ranges.map((r, d): ViewDim => ({ size: rangeSize(r), stride: mul(access.strides[d] ?? int(1), r.step), dim: d }));
  if (rank === undefined || rank === all.length) return all;
  const kept = all.filter((_, d) => !isIndex(s.ranges[d]!));
  if (kept.length === rank) return kept;
  if (rank === 0 && kept.length === 0) return [];
  throw unsupported(`a subset with ${all.length} dimensions (${kept.length} after dropping single indices) cannot be seen as ${rank}-dimensional`);
}

/** The subset a memlet touches in the container `data` of one end of a copy edge. */
export function copySides(edge: Edge, src: AccessNode, dst: AccessNode, fn: FunctionContext): { src: Subset; dst: Subset } {
  const m = edge.memlet;
  const full = (data: string): Subset => fullSubset(dataShape(fn.access(data).desc));
  if (m.data === src.data && m.subset) return { src: m.subset, dst: m.otherSubset ?? full(dst.data) };
  if (m.data === dst.data && m.subset) return { src: m.otherSubset ?? full(src.data), dst: m.subset };
  return { src: full(src.data), dst: full(dst.data) };
}

/** Emit the copy an edge between two access nodes makes (arrays, scalars and streams on either side). */
export function emitCopy(fn: FunctionContext, frame: ScopeFrame, state: State, edge: Edge, src: AccessNode, dst: AccessNode, w: CodeWriter): void {
  const from = fn.access(src.data, nodePath(fn, state, src)), to = fn.access(dst.data, nodePath(fn, state, dst));
  const sides = copySides(edge, src, dst, fn);
  w.line(`// copy ${src.data} -> ${dst.data} (e${edge.id})`);
  if (from.placement === 'stream' && to.placement === 'stream') {
    w.line(`while (!${from.cname}.empty()) ${to.cname}.push(${from.cname}.pop());`);
    return;
  }
  const dims = copyDims(sides.src, sides.dst);
  const loopVars = dims.map(() => fn.fresh('c'));
  w.open('{');
  loopVars.forEach((v, k) => w.open(`for (int64_t ${v} = 0; ${v} < ${cIndex(dims[k]!)}; ++${v}) {`));
  const vars = loopVars.map((v) => sym(v));
  const srcIndex = indexInto(sides.src, dims, vars), dstIndex = indexInto(sides.dst, dims, vars);
  if (from.placement === 'stream') {
    w.line(`if (${from.cname}.empty()) break;`);
    w.line(`${elementRef(to, dstIndex)} = ${from.cname}.pop();`);
  } else if (to.placement === 'stream') {
    w.line(`${to.cname}.push(${elementRef(from, srcIndex)});`);
  } else {
    w.line(`${elementRef(to, dstIndex)} = ${elementRef(from, srcIndex)};`);
  }
  loopVars.forEach(() => w.close());
  w.close();
  void frame;
}

/**
 * The iteration space of a copy: the squeezed shape both sides share, or (when they differ, a reshape)
 * one flat dimension of the volume, each side recovering its own indices in row-major order.
 */
function copyDims(src: Subset, dst: Subset): Expr[] {
  const a = squeezedSizes(src), b = squeezedSizes(dst);
  if (a.length === b.length && a.every((s, k) => s.equals(b[k]!))) return a;
  return [mul(...a)];
}

function squeezedSizes(s: Subset): Expr[] {
  return s.ranges.filter((r) => !isIndex(r)).map(rangeSize);
}

/** Container indices of the element at iteration `vars` of a copy over `dims`. */
function indexInto(s: Subset, dims: readonly Expr[], vars: readonly Expr[]): Expr[] {
  const sizes = squeezedSizes(s);
  let position: Expr[];
  if (sizes.length === dims.length) position = [...vars];
  else {
    // A reshape: split the flat index into this side's row-major coordinates.
    const flat = vars[0]!;
    position = sizes.map((_, k) => {
      const inner = mul(...sizes.slice(k + 1));
      const q = inner.equals(1) ? flat : flat.floorDiv(inner);
      return k === 0 ? q : q.mod(sizes[k]!);
    });
  }
  let next = 0;
  return s.ranges.map((r) => (isIndex(r) ? r.begin : r.begin.add(position[next++]!.mul(r.step))));
}
