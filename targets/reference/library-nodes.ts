// Running library nodes directly, without expanding them: Reduce over axes and MatMul (matrix and vector cases).
import type { DType } from '../../graph/dtypes.js';
import { type GraphPath, TargetError, assertNever } from '../../graph/errors.js';
import type { Memlet } from '../../graph/memlet.js';
import type { LibraryNode, LibraryOp } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import type { State } from '../../graph/sdfg.js';
import { castValue, evalBinary } from '../../graph/tasklet-ops.js';
import { type ArrayRef, indices, load, subView, volumeOf } from './buffers.js';
import type { Scope } from './dataflow.js';
import { nodePath } from './dataflow.js';
import type { Frame } from './frame.js';
import { combine, connectorView, resolveMemlet, writeElement } from './memlets.js';

interface Operand {
  readonly ref: ArrayRef;
  readonly memlet: Memlet;
}

const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** The view on a connector's memlet: all subset dimensions (`squeeze` false) or without single indices. */
function operand(frame: Frame, state: State, node: LibraryNode, conn: string | undefined, side: 'in' | 'out', squeeze: boolean, scope: Scope, path: GraphPath): Operand | undefined {
  const edges = side === 'in' ? inEdges(state, node) : outEdges(state, node);
  const edge = edges.find((e) => e.memlet.data !== null && (conn === undefined || (side === 'in' ? e.dstConn : e.srcConn) === conn));
  if (!edge) return undefined;
  const { container, spans, subset } = resolveMemlet(frame, edge.memlet, scope.symbols, path);
  if (container.kind !== 'array') {
    throw new TargetError({ code: 'unsupported-node', path, message: `library node ${node.label} cannot read or write stream ${container.name}` });
  }
  const ref = squeeze ? connectorView(container, spans, subset, path) : subView(container, spans, null, path);
  return { ref, memlet: edge.memlet };
}

function required(found: Operand | undefined, node: LibraryNode, what: string, path: GraphPath): Operand {
  if (found) return found;
  throw new TargetError({ code: 'missing-connector', path, message: `library node ${node.label} has no ${what}` });
}

function shapeMismatch(node: LibraryNode, message: string, path: GraphPath): TargetError {
  return new TargetError({ code: 'shape-mismatch', path, message: `${node.op.name} ${node.label}: ${message}` });
}

/** Fold the reduced axes of each output element, in row-major order, starting from the identity or the first element. */
function reduce(frame: Frame, state: State, node: LibraryNode, op: LibraryOp & { name: 'Reduce' }, scope: Scope, path: GraphPath): void {
  const input = required(operand(frame, state, node, undefined, 'in', false, scope, path), node, 'input', path);
  const output = required(operand(frame, state, node, undefined, 'out', false, scope, path), node, 'output', path);
  const inShape = input.ref.shape;
  const axes = op.axes ?? inShape.map((_, d) => d);
  const bad = axes.find((a) => !Number.isInteger(a) || a < 0 || a >= inShape.length);
  if (bad !== undefined) throw shapeMismatch(node, `axis ${bad} does not exist in an input of shape ${shapeText(inShape)}`, path);
  const kept = inShape.map((_, d) => d).filter((d) => !axes.includes(d));
  const keptShape = kept.map((d) => inShape[d]!);
  // The output may drop the reduced axes or keep them as 1: only the element count has to match.
  if (volumeOf(keptShape) !== volumeOf(output.ref.shape)) {
    throw shapeMismatch(node, `reducing axes [${axes.join(', ')}] of shape ${shapeText(inShape)} gives ${volumeOf(keptShape)} elements, but the output has shape ${shapeText(output.ref.shape)}`, path);
  }
  const t: DType = output.ref.dtype;
  const outIndices = [...indices(output.ref.shape)];
  const reducedShape = axes.map((a) => inShape[a]!);
  let k = 0;
  for (const keptIdx of indices(keptShape)) {
    let acc = op.identity === null ? undefined : castValue(op.identity, t);
    for (const reducedIdx of indices(reducedShape)) {
      const idx = new Array<number>(inShape.length);
      kept.forEach((d, j) => { idx[d] = keptIdx[j]!; });
      axes.forEach((d, j) => { idx[d] = reducedIdx[j]!; });
      const v = castValue(load(input.ref, idx, path), t);
      acc = acc === undefined ? v : castValue(combine(frame, op.wcr, t, acc, v, path), t);
    }
    // Nothing to reduce and no identity: the output element keeps its value.
    if (acc !== undefined) writeElement(frame, output.ref, outIndices[k]!, acc, output.memlet.wcr, path);
    k++;
  }
}

/** C = alpha * A @ B + beta * C_in, accumulated in C's type in the order a plain loop would. */
function matmul(frame: Frame, state: State, node: LibraryNode, op: LibraryOp & { name: 'MatMul' }, scope: Scope, path: GraphPath): void {
  const a = required(operand(frame, state, node, '_a', 'in', true, scope, path), node, 'input _a', path).ref;
  const b = required(operand(frame, state, node, '_b', 'in', true, scope, path), node, 'input _b', path).ref;
  const c = required(operand(frame, state, node, '_c', 'out', true, scope, path), node, 'output _c', path);
  const cin = operand(frame, state, node, '_cin', 'in', true, scope, path)?.ref ?? c.ref;
  if (a.shape.length < 1 || a.shape.length > 2 || b.shape.length < 1 || b.shape.length > 2) {
    throw shapeMismatch(node, `operands must be 1-D or 2-D, got ${shapeText(a.shape)} and ${shapeText(b.shape)}`, path);
  }
  const [m, kA] = a.shape.length === 2 ? [a.shape[0]!, a.shape[1]!] : [1, a.shape[0]!];
  const [kB, n] = b.shape.length === 2 ? [b.shape[0]!, b.shape[1]!] : [b.shape[0]!, 1];
  if (kA !== kB) throw shapeMismatch(node, `inner dimensions differ: ${shapeText(a.shape)} @ ${shapeText(b.shape)}`, path);
  const resultShape = [...(a.shape.length === 2 ? [m] : []), ...(b.shape.length === 2 ? [n] : [])];
  if (volumeOf(resultShape) !== volumeOf(c.ref.shape) || volumeOf(resultShape) !== volumeOf(cin.shape)) {
    throw shapeMismatch(node, `${shapeText(a.shape)} @ ${shapeText(b.shape)} gives ${shapeText(resultShape)}, but the output has shape ${shapeText(c.ref.shape)}`, path);
  }
  const t = c.ref.dtype;
  // A vector operand is indexed by the inner dimension only.
  const elementOfA = (i: number, l: number): number => castValue(load(a, a.shape.length === 2 ? [i, l] : [l], path), t);
  const elementOfB = (l: number, j: number): number => castValue(load(b, b.shape.length === 2 ? [l, j] : [l], path), t);
  const outIndices = [...indices(c.ref.shape)];
  const inIndices = [...indices(cin.shape)];
  const alpha = castValue(op.alpha, t), beta = castValue(op.beta, t);
  let k = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = castValue(0, t);
      for (let l = 0; l < kA; l++) {
        acc = evalBinary('+', acc, evalBinary('*', elementOfA(i, l), elementOfB(l, j), t), t);
      }
      let value = op.alpha === 1 ? acc : evalBinary('*', alpha, acc, t);
      if (op.beta !== 0) value = evalBinary('+', value, evalBinary('*', beta, castValue(load(cin, inIndices[k]!, path), t), t), t);
      writeElement(frame, c.ref, outIndices[k]!, value, c.memlet.wcr, path);
      k++;
    }
  }
}

export function runLibraryNode(frame: Frame, state: State, node: LibraryNode, scope: Scope): void {
  const path = nodePath(frame, state, node);
  const op = node.op;
  switch (op.name) {
    case 'Reduce': return reduce(frame, state, node, op, scope, path);
    case 'MatMul': return matmul(frame, state, node, op, scope, path);
    case 'Unknown':
      throw new TargetError({
        code: 'unsupported-node', path, ...(node.loc ? { loc: node.loc } : {}),
        message: `library node ${node.label} (${op.classpath}) is not known to the reference interpreter`,
        hint: 'expand it into plain dataflow before running, or replace it with a known library node',
      });
    default: return assertNever(op, 'library operation');
  }
}
