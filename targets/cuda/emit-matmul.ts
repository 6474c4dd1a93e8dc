// MatMul on the device: a kernel with one thread per element of C (summing over the inner dimension in order, as the
// reference interpreter does), or cublas?gemm when the program is compiled with blas: 'cublas'.
import type { DType } from '../../graph/dtypes.js';
import type { LibraryNode, LibraryOp } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { isIndex } from '../../graph/subsets.js';
import { type Expr, int } from '../../graph/symbolic.js';
import { CodeWriter, type ContainerAccess, type FunctionContext, nodePath, originComment } from '../cpp/emit-context.js';
import { cIndex, subsetPointer, viewDims, type ViewDim } from '../cpp/emit-memlet.js';
import { cudaNumber } from './dialect.js';
import { type CudaModule, cudaUnsupported } from './emit-context.js';
import { emitTimedLaunch } from './emit-kernel.js';
import { libraryKernel, operandsOf } from './library-kernel.js';

interface Matrix { readonly rows: ViewDim; readonly cols: ViewDim }

const unit: ViewDim = { size: int(1), stride: int(0), dim: -1 };

/** `(M, K)` of a 2-D operand, `(1, K)` of a vector on the left, `(K, 1)` on the right. */
function matrixOf(access: ContainerAccess, edge: Edge, side: 'left' | 'right'): Matrix {
  const s = edge.memlet.subset!;
  const dims = viewDims(access, s, s.ranges.filter((r) => !isIndex(r)).length);
  if (dims.length === 2) return { rows: dims[0]!, cols: dims[1]! };
  if (dims.length === 1) return side === 'left' ? { rows: unit, cols: dims[0]! } : { rows: dims[0]!, cols: unit };
  if (dims.length === 0) return { rows: unit, cols: unit };
  throw cudaUnsupported(`MatMul operands must be 1-D or 2-D, got ${dims.length} dimensions`);
}

/** `p[i * rs + j * cs]` for a matrix view. */
function at(pointer: string, m: Matrix, i: string, j: string): string {
  const term = (v: string, d: ViewDim): string => (d.dim < 0 ? '' : d.stride.equals(1) ? v : `${v} * ${d.stride.toC()}`);
  return `${pointer}[${[term(i, m.rows), term(j, m.cols)].filter(Boolean).join(' + ') || '0'}]`;
}

function operand(state: State, node: LibraryNode, conn: string, side: 'in' | 'out'): Edge | undefined {
  return (side === 'in' ? inEdges(state, node) : outEdges(state, node)).find((e) => e.memlet.data !== null && (side === 'in' ? e.dstConn : e.srcConn) === conn);
}

export function emitMatMul(module: CudaModule, host: FunctionContext, state: State, node: LibraryNode, op: LibraryOp & { name: 'MatMul' }, stream: string, w: CodeWriter): void {
  const path = nodePath(host, state, node);
  const need = (e: Edge | undefined, what: string): Edge => {
    if (e) return e;
    throw cudaUnsupported(`MatMul '${node.label}' has no ${what}`, path);
  };
  const ea = need(operand(state, node, '_a', 'in'), 'input _a'), eb = need(operand(state, node, '_b', 'in'), 'input _b');
  const ec = need(operand(state, node, '_c', 'out'), 'output _c');
  const ecin = operand(state, node, '_cin', 'in') ?? ec;
  if (ec.memlet.wcr) throw cudaUnsupported(`MatMul '${node.label}' writes with conflict resolution, which the CUDA target does not support`, path);
  const t = host.access(ec.memlet.data!, path).desc.dtype;
  const hostMatrix = (e: Edge, side: 'left' | 'right'): Matrix => matrixOf(host.access(e.memlet.data!, path), e, side);
  const A = hostMatrix(ea, 'left'), B = hostMatrix(eb, 'right');
  // A vector result is a column (A is a matrix) or a row (A is a vector).
  const resultSide = ea.memlet.subset!.ranges.filter((r) => !isIndex(r)).length === 2 ? 'right' : 'left';
  const C = hostMatrix(ec, resultSide), Cin = hostMatrix(ecin, resultSide);
  w.line(originComment(state, node, 'library MatMul'));
  if (module.options.blas === 'cublas' && emitCublas(module, host, t, op, { a: ea, b: eb, c: ec, cin: ecin }, A, B, C, stream, w)) return;

  const k = libraryKernel(module, host, state, node, operandsOf(node, [ea, eb, ecin, ec].filter((e, i, all) => all.indexOf(e) === i)), 'matmul');
  const p = (e: Edge): string => subsetPointer(k.access(e.memlet.data!), e.memlet.subset);
  const body = new CodeWriter(1);
  body.line('const int64_t j = static_cast<int64_t>(blockIdx.x) * 16 + threadIdx.x;');
  body.line('const int64_t i = static_cast<int64_t>(blockIdx.y) * 16 + threadIdx.y;');
  body.line(`if (i >= ${cIndex(A.rows.size)} || j >= ${cIndex(B.cols.size)}) return;`);
  body.line(`const ${t.cuda}* a = ${p(ea)};`);
  body.line(`const ${t.cuda}* b = ${p(eb)};`);
  body.line(`${t.cuda} sum = 0;`);
  body.line(`for (int64_t l = 0; l < ${cIndex(A.cols.size)}; ++l) sum += ${at('a', A, 'i', 'l')} * ${at('b', B, 'l', 'j')};`);
  const scaled = op.alpha === 1 ? 'sum' : `${cudaNumber(op.alpha, t)} * sum`;
  const value = op.beta === 0 ? scaled : `${scaled} + ${cudaNumber(op.beta, t)} * ${at(p(ecin).includes(' ') ? `(${p(ecin)})` : p(ecin), Cin, 'i', 'j')}`;
  body.line(`${at(p(ec).includes(' ') ? `(${p(ec)})` : p(ec), C, 'i', 'j')} = ${value};`);
  module.kernels.push([
    `// MatMul "${node.label}" (state "${state.label}", n${node.id}): one thread per element of C, blocks of 16 x 16`,
    `__global__ void __launch_bounds__(256) ${k.name}(${k.declarations.join(', ')}) {`,
    ...body.lines,
    '}',
  ].join('\n'));
  w.open('{');
  w.line(`const int64_t rows = ${cIndex(A.rows.size)}, cols = ${cIndex(B.cols.size)};`);
  w.open('if (rows > 0 && cols > 0) {');
  w.line('const dim3 grid(static_cast<unsigned int>((cols + 15) / 16), static_cast<unsigned int>((rows + 15) / 16));');
  emitTimedLaunch(module, state, k.name, stream, w, `${k.name}<<<grid, dim3(16, 16), 0, ${stream}>>>(${k.argumentsList.join(', ')});`);
  w.close();
  w.close();
}

/** Row-major C = A·B as column-major Cᵀ = Bᵀ·Aᵀ; false when cuBLAS cannot take the layouts (then a kernel runs). */
function emitCublas(
  module: CudaModule, host: FunctionContext, t: DType, op: { alpha: number; beta: number }, e: { a: Edge; b: Edge; c: Edge; cin: Edge },
  A: Matrix, B: Matrix, C: Matrix, stream: string, w: CodeWriter,
): boolean {
  if (t.name !== 'float64' && t.name !== 'float32') return false;
  if ([A, B, C].some((m) => m.rows.dim < 0 || m.cols.dim < 0)) return false;
  const layout = (m: Matrix): { op: string; ld: Expr } | null => {
    if (m.cols.stride.equals(1)) return { op: 'CUBLAS_OP_N', ld: m.rows.stride };
    if (m.rows.stride.equals(1)) return { op: 'CUBLAS_OP_T', ld: m.cols.stride };
    return null;
  };
  const la = layout(A), lb = layout(B);
  if (!la || !lb || !C.cols.stride.equals(1)) return false;
  module.features.cublas = true;
  const ptr = (edge: Edge): string => subsetPointer(host.access(edge.memlet.data!), edge.memlet.subset);
  w.open('{');
  w.line(`const ${t.cuda} alpha = ${cudaNumber(op.alpha, t)}, beta = ${cudaNumber(op.beta, t)};`);
  if (op.beta !== 0 && e.cin !== e.c) {
    // cuBLAS updates C in place: bring C_in into C first.
    w.line(`SDFG_CUDA_CHECK(cudaMemcpy2DAsync(${ptr(e.c)}, sizeof(${t.cuda}) * (${cIndex(C.rows.stride)}), ${ptr(e.cin)}, sizeof(${t.cuda}) * (${cIndex(C.rows.stride)}),`);
    w.line(`    sizeof(${t.cuda}) * (${cIndex(C.cols.size)}), ${cIndex(C.rows.size)}, cudaMemcpyDeviceToDevice, ${stream}));`);
  }
  const gemm = t.name === 'float64' ? 'cublasDgemm' : 'cublasSgemm';
  w.line(`if (cublasSetStream(sdfg_cublas, ${stream}) != CUBLAS_STATUS_SUCCESS) { sdfg_cuda_fail(cudaErrorUnknown, "cublasSetStream", __LINE__); goto sdfg_cleanup; }`);
  w.line(`const cublasStatus_t status = ${gemm}(sdfg_cublas, ${lb.op}, ${la.op}, ${cIndex(B.cols.size)}, ${cIndex(A.rows.size)}, ${cIndex(A.cols.size)},`);
  w.line(`    &alpha, ${ptr(e.b)}, ${cIndex(lb.ld)}, ${ptr(e.a)}, ${cIndex(la.ld)}, &beta, ${ptr(e.c)}, ${cIndex(C.rows.stride)});`);
  w.line(`if (status != CUBLAS_STATUS_SUCCESS) { sdfg_cuda_fail(cudaErrorUnknown, "${gemm}", __LINE__); goto sdfg_cleanup; }`);
  w.close();
  return true;
}
