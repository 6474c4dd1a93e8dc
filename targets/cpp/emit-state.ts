// A state's dataflow in C++: nodes in topological order, scope by scope; copies, tasklets, maps, calls, library nodes.
import { type AccessNode, type Node, isScopeEntry, isScopeExit } from '../../graph/nodes.js';
import { inEdges, memletPath, nodeById, outEdges, scopeChildren, scopeDict, scopeNodes } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { assertNever } from '../../graph/errors.js';
import { type CodeWriter, type FunctionContext, type ScopeFrame, nodePath, unsupported } from './emit-context.js';
import { scopeAllocations } from './emit-alloc.js';
import { cIndex, emitCopy, subsetPointer, viewDims } from './emit-memlet.js';
import { dataShape, rowMajorStrides } from '../../graph/data.js';
import { fullSubset } from '../../graph/subsets.js';
import { int } from '../../graph/symbolic.js';
import { emitConsume, emitMap } from './emit-scope.js';
import { emitTasklet } from './emit-tasklet.js';
import { emitLibraryNode } from './emit-library.js';
import { emitNestedCall } from './emit-nested.js';

/** The frame at a state's top level. */
function topFrame(fn: FunctionContext, state: State): ScopeFrame {
  return { state, parallel: null, inParallel: fn.calledInParallel, params: [], consumed: new Map(), privateData: new Set() };
}

export function emitState(fn: FunctionContext, state: State, w: CodeWriter): void {
  w.line(`// state "${state.label}"`);
  const dict = scopeDict(state);
  for (const node of state.nodes) {
    if (node.kind === 'AccessNode' && node.setzero) zeroContainer(fn, state, node, w);
  }
  // Views are bound before anything reads or writes through them, which may precede their access node.
  const bound = new Set<string>();
  for (const node of scopeChildren(state, null, dict)) {
    if (node.kind !== 'AccessNode' || fn.sdfg.arrays[node.data]?.kind !== 'View') continue;
    const line = bindView(fn, state, node);
    if (!bound.has(line)) w.line(line);
    bound.add(line);
  }
  emitScope(fn, topFrame(fn, state), state, null, dict, w);
}

/**
 * Point a view at the subset it views. Like the reference interpreter: when the subset and the view have the same
 * extents once unit dimensions are dropped, the view keeps the subset's strides; otherwise the subset is taken to be
 * contiguous and the view is row-major.
 */
function bindView(fn: FunctionContext, state: State, node: AccessNode): string {
  const path = nodePath(fn, state, node);
  const edge = [...inEdges(state, node).filter((e) => nodeById(state, e.src)?.kind === 'AccessNode'),
    ...outEdges(state, node).filter((e) => nodeById(state, e.dst)?.kind === 'AccessNode')].find((e) => e.memlet.data !== null);
  if (!edge) throw unsupported(`view '${node.data}' is not connected to the data it views`, path);
  const other = nodeById(state, edge.src === node.id ? edge.dst : edge.src) as AccessNode;
  const viewed = fn.access(other.data, path);
  const view = fn.access(node.data, path);
  const desc = view.desc;
  if (viewed.placement !== 'pointer' || desc.kind !== 'View') throw unsupported(`view '${node.data}' must view an array`, path);
  const s = edge.memlet.data === other.data && edge.memlet.subset ? edge.memlet.subset
    : edge.memlet.otherSubset ?? fullSubset(dataShape(viewed.desc));
  const window = viewDims(viewed, s).filter((d) => !d.size.equals(1));
  const wanted = desc.shape.filter((d) => !d.equals(1));
  let k = 0;
  const strides = window.length === wanted.length ? desc.shape.map((d) => (d.equals(1) ? int(0) : window[k++]!.stride)) : rowMajorStrides(desc.shape);
  fn.containers.set(node.data, { ...view, strides });
  return `${view.cname} = ${subsetPointer(viewed, s)};  // view "${node.data}" of ${other.data}`;
}

/** `setzero`: the container starts this state zeroed. */
function zeroContainer(fn: FunctionContext, state: State, node: AccessNode, w: CodeWriter): void {
  const access = fn.access(node.data, nodePath(fn, state, node));
  const desc = access.desc;
  if (access.placement === 'pointer' && (desc.kind === 'Array' || desc.kind === 'View')) {
    w.line(`std::memset(${access.cname}, 0, sizeof(${desc.dtype.c}) * (${cIndex(desc.totalSize.add(desc.startOffset))}));`);
  } else if (access.placement === 'local') {
    w.line(`${access.cname} = 0;`);
  } else if (access.placement === 'scalar-pointer') {
    w.line(`${access.cname}[0] = 0;`);
  }
}

/** Emit the nodes directly inside `scope` (null: the top level), recursing into nested scopes. */
export function emitScope(fn: FunctionContext, frame: ScopeFrame, state: State, scope: number | null, dict: Map<number, number | null>, w: CodeWriter): void {
  for (const node of scopeChildren(state, scope, dict)) emitNode(fn, frame, state, node, scope, dict, w);
}

/** Copies into an access node (from another one, or from outside its scope) and out of it to outside its scope. */
function emitAccessCopies(fn: FunctionContext, frame: ScopeFrame, state: State, node: AccessNode, w: CodeWriter): void {
  const pathEnd = (edge: Edge, which: 'first' | 'last'): string | undefined => {
    const chain = memletPath(state, edge);
    const end = which === 'first' ? nodeById(state, chain[0]!.src) : nodeById(state, chain[chain.length - 1]!.dst);
    return end?.kind === 'AccessNode' ? end.data : undefined;
  };
  for (const e of inEdges(state, node)) {
    if (e.memlet.data === null) continue;
    const src = nodeById(state, e.src);
    if (src?.kind === 'AccessNode' && fn.sdfg.arrays[src.data]?.kind !== 'View') emitCopy(fn, frame, state, e, src.data, node.data, w);
    else if (src && isScopeEntry(src)) {
      const origin = pathEnd(e, 'first');
      if (origin && origin !== node.data) emitCopy(fn, frame, state, e, origin, node.data, w);
    }
  }
  for (const e of outEdges(state, node)) {
    const dst = nodeById(state, e.dst);
    if (e.memlet.data === null || !dst || !isScopeExit(dst)) continue;
    const target = pathEnd(e, 'last');
    if (target && target !== node.data) emitCopy(fn, frame, state, e, node.data, target, w);
  }
}

function emitNode(fn: FunctionContext, frame: ScopeFrame, state: State, node: Node, scope: number | null, dict: Map<number, number | null>, w: CodeWriter): void {
  switch (node.kind) {
    case 'AccessNode':
      if (fn.sdfg.arrays[node.data]?.kind === 'View') {
        if (scope !== null) w.line(bindView(fn, state, node));
        return;
      }
      emitAccessCopies(fn, frame, state, node, w);
      return;
    case 'Tasklet':
      emitTasklet(fn, frame, state, node, w);
      return;
    case 'MapEntry': {
      const allocations = scopeAllocations(fn, state, node.id);
      const inside = scopeNodes(state, node, dict);
      emitMap(fn, frame, state, node, inside, allocations, (f, inner) => emitScope(fn, f, state, node.id, dict, inner), w);
      return;
    }
    case 'ConsumeEntry': {
      const allocations = scopeAllocations(fn, state, node.id);
      emitConsume(fn, frame, state, node, allocations, (f, inner) => emitScope(fn, f, state, node.id, dict, inner), w);
      return;
    }
    case 'MapExit': case 'ConsumeExit':
      return;
    case 'NestedSDFG':
      emitNestedCall(fn, frame, state, node, w);
      return;
    case 'LibraryNode':
      emitLibraryNode(fn, frame, state, node, w);
      return;
    default:
      assertNever(node, 'node');
  }
}
