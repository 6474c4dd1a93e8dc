// Copies in host code between host and device memory: one cudaMemcpyAsync for contiguous data, pitched 2-D copies
// (looped over outer dimensions) for boxes of rows, on the state's stream.
import { CodeWriter, type ContainerAccess, type FunctionContext, nodePath } from '../cpp/emit-context.js';
import { cIndex, copySides, elementRef, linearOffset, subsetPointer } from '../cpp/emit-memlet.js';
import { nodeById } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { isIndex, rangeSize, type Subset } from '../../graph/subsets.js';
import { type Expr, int, mul, sym } from '../../graph/symbolic.js';
import { combineStatement } from './emit-atomic.js';
import { type CudaModule, cudaUnsupported } from './emit-context.js';
import { emitTimedLaunch } from './emit-kernel.js';
import { LIBRARY_BLOCK, libraryKernel, unflatten } from './library-kernel.js';

type Side = 'Host' | 'Device';

/** Device memory is what lowering placed in GPU_Global; everything else the host function sees is host memory. */
export function sideOf(access: ContainerAccess): Side {
  return access.desc.storage === 'GPU_Global' ? 'Device' : 'Host';
}

interface Dim { readonly size: Expr; readonly stride: Expr }

/** The dimensions of a subset with more than one element, each with its element stride in the container. */
function dimsOf(access: ContainerAccess, s: Subset): Dim[] {
  return s.ranges.flatMap((r, d) => (isIndex(r) ? [] : [{ size: rangeSize(r), stride: mul(access.strides[d] ?? int(1), r.step) }]));
}

/** Whether the dims cover one run of consecutive elements (row-major, each dimension the full span of the next). */
function contiguous(dims: readonly Dim[]): boolean {
  return dims.every((d, k) => d.stride.equals(k === dims.length - 1 ? int(1) : mul(dims[k + 1]!.stride, dims[k + 1]!.size)));
}

/** Emit the copy an access → access edge makes from `src` to `dst`. */
export function emitHostCopy(module: CudaModule, fn: FunctionContext, state: State, edge: Edge, src: string, dst: string, stream: string, w: CodeWriter): void {
  const path = nodePath(fn, state);
  const from = fn.access(src, path), to = fn.access(dst, path);
  if (from.placement === 'stream' || to.placement === 'stream') throw cudaUnsupported(`the copy ${src} -> ${dst} involves a stream`, path);
  if (from.desc.dtype.name !== to.desc.dtype.name) {
    throw cudaUnsupported(`the copy ${src} -> ${dst} converts ${from.desc.dtype.name} to ${to.desc.dtype.name}`, path, 'convert in a map instead');
  }
  const sides = copySides(edge.memlet, src, dst, fn);
  if (edge.memlet.wcr) {
    // A combining copy reads its target too: only a kernel can do it, so both sides must be on the device.
    if (sideOf(from) === 'Device' && sideOf(to) === 'Device') {
      return emitCopyKernel(module, fn, state, edge, { src, dst, sides, a: dimsOf(from, sides.src), b: dimsOf(to, sides.dst) }, stream, w);
    }
    throw cudaUnsupported(`the copy ${src} -> ${dst} between host and device combines with a write-conflict resolution`, path, 'write through a map instead');
  }
  const kind = `cudaMemcpy${sideOf(from)}To${sideOf(to)}`;
  const t = from.desc.dtype.cuda;
  const a = dimsOf(from, sides.src), b = dimsOf(to, sides.dst);
  w.line(`// copy ${src} -> ${dst} (e${edge.id}, ${kind.slice('cudaMemcpy'.length)})`);
  if (contiguous(a) && contiguous(b)) {
    const volume = mul(...a.map((d) => d.size));
    w.line(`SDFG_CUDA_CHECK(cudaMemcpyAsync(${subsetPointer(to, sides.dst)}, ${subsetPointer(from, sides.src)}, sizeof(${t}) * (${cIndex(volume)}), ${kind}, ${stream}));`);
    return;
  }
  const sameShape = a.length === b.length && a.every((d, k) => d.size.equals(b[k]!.size));
  if (!sameShape || a.length < 2 || !a[a.length - 1]!.stride.equals(1) || !b[b.length - 1]!.stride.equals(1)) {
    if (sideOf(from) === 'Device' && sideOf(to) === 'Device') return emitCopyKernel(module, fn, state, edge, { src, dst, sides, a, b }, stream, w);
    throw cudaUnsupported(`the copy ${src} -> ${dst} between host and device is not made of contiguous rows of the same shape on both sides`, path,
      'copy whole arrays, or boxes whose innermost dimension is contiguous');
  }
  // Boxes of rows: a pitched 2-D copy for the last two dimensions, looped over the ones before.
  const outer = a.slice(0, -2).map(() => fn.fresh('c'));
  w.open('{');
  outer.forEach((v, k) => w.open(`for (int64_t ${v} = 0; ${v} < ${cIndex(a[k]!.size)}; ++${v}) {`));
  const at = (access: ContainerAccess, s: Subset, dims: Dim[]): string => {
    const shift = outer.reduce<Expr>((acc, v, k) => acc.add(sym(v).mul(dims[k]!.stride)), int(0));
    const base = linearOffset(access, s.ranges.map((r) => r.begin)).add(shift);
    return base.isZero() ? access.cname : `${access.cname} + ${cIndex(base)}`;
  };
  const [rows, row] = [a[a.length - 2]!, a[a.length - 1]!];
  w.line(`SDFG_CUDA_CHECK(cudaMemcpy2DAsync(${at(to, sides.dst, b)}, sizeof(${t}) * (${cIndex(b[b.length - 2]!.stride)}), ${at(from, sides.src, a)}, sizeof(${t}) * (${cIndex(rows.stride)}),`);
  w.line(`    sizeof(${t}) * (${cIndex(row.size)}), ${cIndex(rows.size)}, ${kind}, ${stream}));`);
  outer.forEach(() => w.close());
  w.close();
}

/** A device-to-device copy of any layout: one thread per element, each side indexed in its own (row-major) shape. */
function emitCopyKernel(
  module: CudaModule, fn: FunctionContext, state: State, edge: Edge, copy: { src: string; dst: string; sides: { src: Subset; dst: Subset }; a: Dim[]; b: Dim[] },
  stream: string, w: CodeWriter,
): void {
  const where = nodeById(state, edge.dst)!;
  const k = libraryKernel(module, fn, state, where, [
    { data: copy.src, subset: copy.sides.src, written: false }, { data: copy.dst, subset: copy.sides.dst, written: true },
  ], 'copy');
  const volume = mul(...copy.a.map((d) => d.size));
  const body = new CodeWriter(1);
  body.line(`const int64_t flat = static_cast<int64_t>(blockIdx.x) * ${LIBRARY_BLOCK} + threadIdx.x;`);
  body.line(`if (flat >= ${cIndex(volume)}) return;`);
  const element = (data: string, s: Subset, dims: Dim[], prefix: string): string => {
    const vars = dims.map((_, d) => k.dev.fn.fresh(`${prefix}${d}`));
    unflatten('flat', dims.map((d) => d.size), vars, body);
    let next = 0;
    return elementRef(k.access(data), s.ranges.map((r) => (isIndex(r) ? r.begin : r.begin.add(sym(vars[next++]!).mul(r.step)))));
  };
  const from = element(copy.src, copy.sides.src, copy.a, 's'), to = element(copy.dst, copy.sides.dst, copy.b, 'd');
  // Distinct threads write distinct elements of the target: combining needs no atomics.
  const wcr = edge.memlet.wcr;
  body.line(wcr ? combineStatement(to, from, wcr, k.access(copy.dst).desc.dtype) : `${to} = ${from};`);
  module.kernels.push([
    `// copy ${copy.src} -> ${copy.dst}${wcr ? ` combining with ${wcr.op}` : ''} (state "${state.label}", e${edge.id}): one thread per element`,
    `__global__ void __launch_bounds__(${LIBRARY_BLOCK}) ${k.name}(${k.declarations.join(', ')}) {`,
    ...body.lines,
    '}',
  ].join('\n'));
  w.open('{');
  w.line(`const int64_t blocks = sdfg_floordiv(${cIndex(volume)} + ${LIBRARY_BLOCK - 1}, ${LIBRARY_BLOCK});`);
  w.open('if (blocks > 0) {');
  w.line('SDFG_CUDA_CHECK(sdfg_grid_fits(blocks));');
  emitTimedLaunch(module, state, k.name, stream, w, `${k.name}<<<static_cast<unsigned int>(blocks), ${LIBRARY_BLOCK}, 0, ${stream}>>>(${k.argumentsList.join(', ')});`);
  w.close();
  w.close();
}
