// Memlets in C++: element offsets from strides, subset views, pointers to subsets, and copies between containers.
import { dataShape, rowMajorStrides } from '../../graph/data.js';
import type { Edge, State } from '../../graph/sdfg.js';
import type { Memlet } from '../../graph/memlet.js';
import { add, mul, type Expr, int, ZERO, sym } from '../../graph/symbolic.js';
import { fullSubset, index, isIndex, rangeSize, subset, type Subset } from '../../graph/subsets.js';
import { emitWrite } from './emit-wcr.js';
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

/**
 * Σ (index_d + offset_d) · stride_d + startOffset: the element's position in the container's buffer. As in DaCe,
 * a descriptor's `offset` is added to every index.
 */
export function linearOffset(access: ContainerAccess, indices: readonly Expr[]): Expr {
  const desc = access.desc;
  if (desc.kind === 'Scalar' || desc.kind === 'Stream') return ZERO;
  const terms = indices.map((i, d) => mul(i.add(desc.offset[d] ?? ZERO), access.strides[d] ?? int(1)));
  return add(int(desc.startOffset), ...terms);
}

/** An lvalue/rvalue naming one element of a container. */
export function elementRef(access: ContainerAccess, indices: readonly Expr[]): string {
  switch (access.placement) {
    case 'value': case 'local': return access.cname;
    case 'scalar-pointer': return `${access.cname}[0]`;
    case 'pointer': return `${access.cname}[${indexText(access, indices)}]`;
    case 'stream': throw unsupported(`stream '${access.cname}' has no elements to index`);
  }
}

const isMonomial = (e: Expr): boolean => e.terms.length === 0 || (e.terms.length === 1 && e.constant === 0);
/** Parentheses around a sum or difference that becomes a factor. */
const factor = (text: string): string => (/ [-+] /.test(text) ? `(${text})` : text);

/**
 * The index of one element. Row-major arrays whose extents are sums (`H - K + 1`) print it nested, as a person would
 * write it (`(i*(H - K + 1) + j)*C + c`): expanded, every product of extents would be multiplied out.
 */
function indexText(access: ContainerAccess, indices: readonly Expr[]): string {
  const desc = access.desc;
  if (desc.kind === 'Array' && indices.length > 1 && desc.startOffset === 0 && desc.offset.every((o) => o.isZero())
    && desc.shape.slice(1).some((extent) => !isMonomial(extent))) {
    const rowMajor = rowMajorStrides(desc.shape);
    if (access.strides.length === rowMajor.length && access.strides.every((stride, d) => stride.equals(rowMajor[d]!))) {
      let text = cIndex(indices[0]!);
      for (let d = 1; d < indices.length; d++) text = `${factor(text)}*${factor(cIndex(desc.shape[d]!))} + ${cIndex(indices[d]!)}`;
      return text;
    }
  }
  return cIndex(linearOffset(access, indices));
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

function sameShape(fn: FunctionContext, a: string, b: string): boolean {
  const sa = dataShape(fn.access(a).desc), sb = dataShape(fn.access(b).desc);
  return sa.length === sb.length && sa.every((d, k) => d.equals(sb[k]!));
}

/**
 * Both sides of a copy from `src` to `dst`: the memlet's subset applies to its data, `otherSubset` to the other
 * container, which otherwise takes the same subset when both have the same shape, else its whole extent.
 */
export function copySides(memlet: Memlet, src: string, dst: string, fn: FunctionContext): { src: Subset; dst: Subset } {
  const own = memlet.subset ?? fullSubset(dataShape(fn.access(memlet.data!).desc));
  const ownData = memlet.data === dst && memlet.data !== src ? dst : src;
  const otherData = ownData === src ? dst : src;
  const other = memlet.otherSubset ?? (sameShape(fn, ownData, otherData) ? own : fullSubset(dataShape(fn.access(otherData).desc)));
  return ownData === src ? { src: own, dst: other } : { src: other, dst: own };
}

/** Emit the copy an edge makes from container `src` to container `dst` (arrays, scalars and streams on either side). */
export function emitCopy(fn: FunctionContext, frame: ScopeFrame, state: State, edge: Edge, src: string, dst: string, w: CodeWriter): void {
  const from = fn.access(src, nodePath(fn, state)), to = fn.access(dst, nodePath(fn, state));
  const sides = copySides(edge.memlet, src, dst, fn);
  w.line(`// copy ${src} -> ${dst} (e${edge.id})`);
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
  const value = from.placement === 'stream' ? `${from.cname}.pop()` : elementRef(from, srcIndex);
  if (to.placement === 'stream') {
    w.line(`${to.cname}.push(${value});`);
  } else {
    const memlet: Memlet = { ...edge.memlet, data: dst, subset: subset(...dstIndex.map((i) => index(i))) };
    emitWrite(fn, frame, to, memlet, value, w, loopVars);
  }
  loopVars.forEach(() => w.close());
  w.close();
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
