// A state's dataflow in C++: nodes in topological order, scope by scope; copies, tasklets, maps, calls, library nodes.
import { type AccessNode, type Node, isScopeEntry, isScopeExit } from '../../graph/nodes.js';
import { inEdges, memletPath, nodeById, outEdges, scopeChildren, scopeDict, scopeNodes } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { assertNever } from '../../graph/errors.js';
import { type CodeWriter, type FunctionContext, type ScopeFrame, nodePath } from './emit-context.js';
import { scopeAllocations } from './emit-alloc.js';
import { cIndex, emitCopy } from './emit-memlet.js';
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
  emitScope(fn, topFrame(fn, state), state, null, dict, w);
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
  for (const node of scopeChildren(state, scope, dict)) emitNode(fn, frame, state, node, dict, w);
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
    if (src?.kind === 'AccessNode') emitCopy(fn, frame, state, e, src.data, node.data, w);
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

function emitNode(fn: FunctionContext, frame: ScopeFrame, state: State, node: Node, dict: Map<number, number | null>, w: CodeWriter): void {
  switch (node.kind) {
    case 'AccessNode':
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
