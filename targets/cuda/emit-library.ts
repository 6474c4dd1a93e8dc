// Library nodes on the device: Reduce expanded into reduction kernels (warp shuffles, block reductions), MatMul as a
// kernel (one thread per result, the reference's summation order) or a cuBLAS call when asked for.
import type { DType } from '../../graph/dtypes.js';
import type { Wcr } from '../../graph/memlet.js';
import type { LibraryNode, LibraryOp } from '../../graph/nodes.js';
import type { State } from '../../graph/sdfg.js';
import type { Subset } from '../../graph/subsets.js';
import { type Expr, mul, sym } from '../../graph/symbolic.js';
import { wcrOps } from '../../graph/tasklet-ops.js';
import { CodeWriter, type FunctionContext, nodePath, originComment } from '../cpp/emit-context.js';
import { cIndex, elementRef, viewDims, type ViewDim } from '../cpp/emit-memlet.js';
import { outputIndex, reducePattern, type ReducePattern } from '../../passes/transformations/helpers-reduce.js';
import { cudaNumber } from './dialect.js';
import { atomicStatement, combineStatement, combiner } from './emit-atomic.js';
import { type CudaModule, cudaUnsupported } from './emit-context.js';
import { emitTimedLaunch } from './emit-kernel.js';
import { emitMatMul } from './emit-matmul.js';
import { LIBRARY_BLOCK, type LibraryKernel, libraryKernel, operandsOf, unflatten } from './library-kernel.js';

export function emitDeviceLibraryNode(module: CudaModule, host: FunctionContext, state: State, node: LibraryNode, stream: string, w: CodeWriter): void {
  const op = node.op;
  switch (op.name) {
    case 'Reduce': return emitReduce(module, host, state, node, op, stream, w);
    case 'MatMul': return emitMatMul(module, host, state, node, op, stream, w);
    case 'Unknown':
      throw cudaUnsupported(`library node '${node.label}' (${op.classpath}) is not known to the CUDA target`, nodePath(host, state, node), 'expand it into plain dataflow first');
  }
}

/** `a = a ⊕ b` for one thread, through the reduction's combiner. */
const fold = (acc: string, value: string, wcr: Wcr, t: DType): string => combineStatement(acc, value, wcr, t);

/** Shuffle-down reduction over a full warp (every lane holds a partial result). */
function warpShuffle(acc: string, wcr: Wcr, t: DType, w: CodeWriter): void {
  const carrier = t.bytes < 4 ? (t.kind === 'unsigned' || t.kind === 'bool' ? 'unsigned int' : 'int') : null;
  const shuffled = carrier ? `static_cast<${t.cuda}>(__shfl_down_sync(0xffffffffu, static_cast<${carrier}>(${acc}), offset))` : `__shfl_down_sync(0xffffffffu, ${acc}, offset)`;
  w.line(`// warp reduction: each step halves the lanes holding partial results (shuffles, no shared memory)`);
  w.line(`for (int offset = 16; offset > 0; offset /= 2) ${fold(acc, shuffled, wcr, t)}`);
}

interface ReduceShape {
  readonly p: ReducePattern;
  readonly inDims: ViewDim[];
  readonly kept: number[];
  readonly axes: number[];
  readonly t: DType;
  readonly start: string;
}

/** Load of the input element at the per-dimension coordinates `vars` (one per input dimension). */
function inputElement(k: LibraryKernel, s: ReduceShape, vars: readonly string[]): string {
  const access = k.access(s.p.input.memlet.data!);
  const at = s.p.input.memlet.subset!.ranges.map((r, d) => r.begin.add(sym(vars[d]!).mul(r.step)));
  const value = elementRef(access, at);
  return access.desc.dtype.name === s.t.name ? value : `static_cast<${s.t.cuda}>(${value})`;
}

function outputTarget(k: LibraryKernel, s: ReduceShape, vars: readonly string[]): string {
  const inRanges = s.p.input.memlet.subset!.ranges;
  const at = inRanges.map((r, d) => (s.kept.includes(d) ? r.begin.add(sym(vars[d]!)) : r.begin));
  const out: Subset = outputIndex(s.p, at);
  return elementRef(k.access(s.p.output.memlet.data!), out.ranges.map((r) => r.begin));
}

/** Reduce: one warp per output element (kept dimensions), or, for a full reduction, the whole grid with atomics. */
function emitReduce(module: CudaModule, host: FunctionContext, state: State, node: LibraryNode, op: LibraryOp & { name: 'Reduce' }, stream: string, w: CodeWriter): void {
  const path = nodePath(host, state, node);
  const p = reducePattern(host.sdfg, state, node);
  if (typeof p === 'string') throw cudaUnsupported(`Reduce '${node.label}' cannot run on the GPU: ${p}`, path);
  const inAccess = host.access(p.input.memlet.data!, path);
  const inDims = viewDims(inAccess, p.input.memlet.subset!);
  const axes = op.axes ?? inDims.map((_, d) => d);
  const t = host.access(p.output.memlet.data!, path).desc.dtype;
  const custom = op.wcr.op === 'custom';
  const start = op.identity !== null ? cudaNumber(op.identity, t) : custom ? '' : wcrOps[op.wcr.op as 'sum'].identityC(t);
  const shape: ReduceShape = { p, inDims, kept: p.kept, axes, t, start };
  const k = libraryKernel(module, host, state, node, operandsOf(node, [p.input, p.output]), 'reduce');
  const keptVolume = mul(...p.kept.map((d) => inDims[d]!.size));
  const reducedVolume = mul(...axes.map((d) => inDims[d]!.size));
  if (custom && op.identity === null) return emitSerialReduce(k, shape, keptVolume, reducedVolume, state, node, stream, w);
  const body = new CodeWriter(1);
  const vars = inDims.map((_, d) => k.dev.fn.fresh(`r${d}`));
  const reducedDims = axes.map((d) => inDims[d]!), reducedVars = axes.map((d) => vars[d]!);
  const keptDims = p.kept.map((d) => inDims[d]!), keptVars = p.kept.map((d) => vars[d]!);
  const load = inputElement(k, shape, vars);
  const guard = op.identity === null && reducedVolume.constantValue() === undefined ? `${cIndex(reducedVolume)} > 0` : null;
  const writeBack = (acc: string): string => {
    const target = outputTarget(k, shape, vars);
    // The output accumulates (wcr on its memlet): fold into it; otherwise the reduction replaces it.
    return p.init === null ? combineStatement(target, acc, op.wcr, t) : `${target} = ${acc};`;
  };
  let blocks: string;
  let description: string;
  if (p.kept.length > 0) {
    description = `one warp per output element, lanes striding over the ${cIndex(reducedVolume)} reduced elements`;
    const warps = LIBRARY_BLOCK / 32;
    body.line(`const int64_t output = static_cast<int64_t>(blockIdx.x) * ${warps} + threadIdx.x / 32;`);
    body.line('const int lane = threadIdx.x % 32;');
    body.line(`if (output >= ${cIndex(keptVolume)}) return;  // the whole warp leaves together`);
    unflatten('output', keptDims.map((d) => d.size), keptVars, body);
    body.line(`${t.cuda} acc = ${start};`);
    body.open(`for (int64_t flat = lane; flat < ${cIndex(reducedVolume)}; flat += 32) {`);
    unflatten('flat', reducedDims.map((d) => d.size), reducedVars, body);
    body.line(fold('acc', load, op.wcr, t));
    body.close();
    warpShuffle('acc', op.wcr, t, body);
    body.line(`if (lane == 0${guard ? ` && ${guard}` : ''}) ${writeBack('acc')}`);
    blocks = `sdfg_floordiv(${cIndex(keptVolume)} + ${warps - 1}, ${warps})`;
  } else {
    description = 'grid-stride partial results per thread, warp shuffles, one value per warp in shared memory, one atomic per block';
    body.line(`${t.cuda} acc = ${start};`);
    body.open(`for (int64_t flat = static_cast<int64_t>(blockIdx.x) * ${LIBRARY_BLOCK} + threadIdx.x; flat < ${cIndex(reducedVolume)}; flat += static_cast<int64_t>(gridDim.x) * ${LIBRARY_BLOCK}) {`);
    unflatten('flat', reducedDims.map((d) => d.size), reducedVars, body);
    body.line(fold('acc', load, op.wcr, t));
    body.close();
    warpShuffle('acc', op.wcr, t, body);
    body.line(`__shared__ ${t.cuda} partial[${LIBRARY_BLOCK / 32}];`);
    body.line('if (threadIdx.x % 32 == 0) partial[threadIdx.x / 32] = acc;');
    body.line('__syncthreads();');
    body.open('if (threadIdx.x < 32) {');
    body.line(`acc = threadIdx.x < ${LIBRARY_BLOCK / 32} ? partial[threadIdx.x] : ${start};`);
    warpShuffle('acc', op.wcr, t, body);
    body.line(`if (threadIdx.x == 0${guard ? ` && ${guard}` : ''}) ${atomicStatement(k.dev, op.wcr, t, `&${outputTarget(k, shape, vars)}`, 'acc')}`);
    body.close();
    blocks = `min(sdfg_floordiv(${cIndex(reducedVolume)} + ${LIBRARY_BLOCK - 1}, ${LIBRARY_BLOCK}), 4096)`;
  }
  module.kernels.push([
    `// Reduce "${node.label}" (state "${state.label}", n${node.id}): ${description}`,
    `__global__ void __launch_bounds__(${LIBRARY_BLOCK}) ${k.name}(${k.declarations.join(', ')}) {`,
    ...body.lines,
    '}',
  ].join('\n'));
  w.line(`${originComment(state, node, 'library Reduce')}: kernel ${k.name}`);
  w.open('{');
  if (p.kept.length === 0 && p.init !== null) {
    // Blocks combine into the output atomically: it starts from the reduction's initial value.
    const target = elementRef(host.access(p.output.memlet.data!, path), p.output.memlet.subset!.ranges.map((r) => r.begin));
    w.line(`const ${t.cuda} initial = ${cudaNumber(p.init, t)};`);
    w.line(`SDFG_CUDA_CHECK(cudaMemcpyAsync(&${target}, &initial, sizeof(${t.cuda}), cudaMemcpyHostToDevice, ${stream}));`);
  }
  w.line(`const int64_t blocks = ${blocks};`);
  w.open('if (blocks > 0) {');
  w.line('SDFG_CUDA_CHECK(sdfg_grid_fits(blocks));');
  emitTimedLaunch(module, state, k.name, stream, w, `${k.name}<<<static_cast<unsigned int>(blocks), ${LIBRARY_BLOCK}, 0, ${stream}>>>(${k.argumentsList.join(', ')});`);
  w.close();
  w.close();
}

/** A custom reduction without identity folds from each output's first element: one thread per output element. */
function emitSerialReduce(k: LibraryKernel, s: ReduceShape, keptVolume: Expr, reducedVolume: Expr, state: State, node: LibraryNode, stream: string, w: CodeWriter): void {
  const module = k.dev.module;
  const vars = s.inDims.map((_, d) => k.dev.fn.fresh(`r${d}`));
  const body = new CodeWriter(1);
  body.line(`const int64_t output = static_cast<int64_t>(blockIdx.x) * ${LIBRARY_BLOCK} + threadIdx.x;`);
  body.line(`if (output >= ${cIndex(keptVolume)} || ${cIndex(reducedVolume)} <= 0) return;`);
  unflatten('output', s.kept.map((d) => s.inDims[d]!.size), s.kept.map((d) => vars[d]!), body);
  body.line(`${s.t.cuda} acc{};`);
  body.open(`for (int64_t flat = 0; flat < ${cIndex(reducedVolume)}; ++flat) {`);
  unflatten('flat', s.axes.map((d) => s.inDims[d]!.size), s.axes.map((d) => vars[d]!), body);
  body.line(`acc = flat == 0 ? ${inputElement(k, s, vars)} : (${combiner(s.p.op.wcr, s.t)})(acc, ${inputElement(k, s, vars)});`);
  body.close();
  const target = outputTarget(k, s, vars);
  body.line(s.p.init === null ? combineStatement(target, 'acc', s.p.op.wcr, s.t) : `${target} = acc;`);
  module.kernels.push([
    `// Reduce "${node.label}" (state "${state.label}", n${node.id}): one thread per output element, folding from the first element`,
    `__global__ void __launch_bounds__(${LIBRARY_BLOCK}) ${k.name}(${k.declarations.join(', ')}) {`,
    ...body.lines,
    '}',
  ].join('\n'));
  w.line(`${originComment(state, node, 'library Reduce')}: kernel ${k.name}`);
  w.open('{');
  w.line(`const int64_t blocks = sdfg_floordiv(${cIndex(keptVolume)} + ${LIBRARY_BLOCK - 1}, ${LIBRARY_BLOCK});`);
  w.open('if (blocks > 0) {');
  w.line('SDFG_CUDA_CHECK(sdfg_grid_fits(blocks));');
  emitTimedLaunch(module, state, k.name, stream, w, `${k.name}<<<static_cast<unsigned int>(blocks), ${LIBRARY_BLOCK}, 0, ${stream}>>>(${k.argumentsList.join(', ')});`);
  w.close();
  w.close();
}

