// RedundantArrayRemoval: a transient that only relays a copy is removed, its accesses redirected (offset) to the other side.
//
// Two shapes, tried in this order on a copy edge `A -> B` between access nodes:
//   B is a transient filled entirely by the copy and only read afterwards: B's readers read A instead.
//   A is a transient written entirely by its producers and only copied out whole: its producers write B.
// The transient must have that one access node in the whole SDFG, and the other side must not change
// while the transient would have held its copy.
import { removeEdge, removeNode } from '../../graph/construct.js';
import { dataShape } from '../../graph/data.js';
import type { Memlet } from '../../graph/memlet.js';
import type { AccessNode, Node } from '../../graph/nodes.js';
import { isScopeEntry, isScopeExit } from '../../graph/nodes.js';
import { nodeById } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import { type Subset, fullSubset, offsetSubset, rangeSize, subsetsEqual } from '../../graph/subsets.js';
import { ONE } from '../../graph/symbolic.js';
import { proveEqual } from '../../graph/symbolic-compare.js';
import { defineTransformation } from '../framework.js';
import { accessCount, statesOf } from './helpers.js';
import { subsetOn } from './loop-to-map.js';
import { writesExactly } from './out-local-storage.js';

export interface CopyCandidate {
  readonly sdfg: SDFG;
  readonly state: State;
  /** The copy edge between two access nodes. */
  readonly edge: number;
}

function* candidates(root: SDFG): Generator<CopyCandidate> {
  for (const { sdfg, state } of statesOf(root)) {
    for (const e of state.edges) {
      if (e.memlet.data === null) continue;
      const [src, dst] = [nodeById(state, e.src), nodeById(state, e.dst)];
      if (src?.kind === 'AccessNode' && dst?.kind === 'AccessNode') yield { sdfg, state, edge: e.id };
    }
  }
}

interface Copy { readonly edge: Edge; readonly src: AccessNode; readonly dst: AccessNode; readonly srcSubset: Subset; readonly dstSubset: Subset }

function resolveCopy(c: CopyCandidate): Copy | string {
  const edge = c.state.edges.find((e) => e.id === c.edge);
  if (!edge) return `edge e${c.edge} is no longer in state ${c.state.label}`;
  const [src, dst] = [nodeById(c.state, edge.src), nodeById(c.state, edge.dst)];
  if (src?.kind !== 'AccessNode' || dst?.kind !== 'AccessNode') return `edge e${c.edge} is not a copy between access nodes`;
  const srcSubset = subsetOn(c.sdfg, edge.memlet, src.data, dst.data);
  const dstSubset = subsetOn(c.sdfg, edge.memlet, dst.data, src.data);
  if (!srcSubset || !dstSubset) return `the copy ${src.data} -> ${dst.data} names an unknown container`;
  return { edge, src, dst, srcSubset, dstSubset };
}

/** Why the whole of `transient` cannot stand for `other[otherSubset]` element for element, if it cannot. */
function sameShapeAs(sdfg: SDFG, transient: string, other: string, otherSubset: Subset): string | undefined {
  const shape = dataShape(sdfg.arrays[transient]!);
  if (otherSubset.ranges.length !== shape.length) return `the copy changes the rank (${other} has ${otherSubset.ranges.length} dimensions, ${transient} ${shape.length})`;
  for (const [d, r] of otherSubset.ranges.entries()) {
    if (!r.step.equals(ONE)) return `the copy uses a step on ${other}`;
    if (proveEqual(rangeSize(r), shape[d]!) !== true) return `the copy does not cover dimension ${d} of ${transient}`;
  }
  return undefined;
}

/** The first reason why `name` is not a transient used only at `node`, if any. */
function onlyHere(sdfg: SDFG, name: string): string | undefined {
  const desc = sdfg.arrays[name];
  if (!desc?.transient) return `${name} is not transient`;
  if (desc.kind !== 'Array' && desc.kind !== 'Scalar') return `${name} is a ${desc.kind}`;
  const count = accessCount(sdfg, name);
  if (count !== 1) return `${name} has ${count} access nodes`;
  return undefined;
}

function commonChecks(sdfg: SDFG, copy: Copy): string | undefined {
  const [a, b] = [sdfg.arrays[copy.src.data], sdfg.arrays[copy.dst.data]];
  if (!a || !b) return `the copy ${copy.src.data} -> ${copy.dst.data} names an unknown container`;
  if (copy.edge.memlet.wcr) return `the copy ${copy.src.data} -> ${copy.dst.data} resolves conflicts (wcr)`;
  if (a.dtype !== b.dtype) return `the copy converts ${a.dtype.name} to ${b.dtype.name}`;
  for (const [name, desc] of [[copy.src.data, a], [copy.dst.data, b]] as const) {
    if (desc.kind === 'Stream' || desc.kind === 'View') return `${name} is a ${desc.kind}`;
  }
  return undefined;
}

/** Why the destination of the copy cannot be removed (its readers reading the source instead), if it cannot. */
function destinationVerdict(sdfg: SDFG, state: State, copy: Copy): string | undefined {
  const { src, dst } = copy;
  const reason = onlyHere(sdfg, dst.data);
  if (reason) return reason;
  if (state.edges.some((e) => e.dst === dst.id && e !== copy.edge)) return `${dst.data} has other writers`;
  if (!subsetsEqual(copy.dstSubset, fullSubset(dataShape(sdfg.arrays[dst.data]!)))) return `the copy does not fill all of ${dst.data}`;
  const shape = sameShapeAs(sdfg, dst.data, src.data, copy.srcSubset);
  if (shape) return shape;
  const rewritten = state.nodes.some((n) => n !== src && n.kind === 'AccessNode' && n.data === src.data && state.edges.some((e) => e.dst === n.id));
  if (rewritten) return `${src.data} is written again in state ${state.label}`;
  return undefined;
}

/** Why the source of the copy cannot be removed (its producers writing the destination instead), if it cannot. */
function sourceVerdict(sdfg: SDFG, state: State, copy: Copy): string | undefined {
  const { src, dst } = copy;
  const reason = onlyHere(sdfg, src.data);
  if (reason) return reason;
  if (state.edges.some((e) => e.src === src.id && e !== copy.edge)) return `${src.data} has other readers`;
  if (src.setzero) return `${src.data} is zeroed (setzero) before it is written`;
  if (!subsetsEqual(copy.srcSubset, fullSubset(dataShape(sdfg.arrays[src.data]!)))) return `the copy does not take all of ${src.data}`;
  const shape = sameShapeAs(sdfg, src.data, dst.data, copy.dstSubset);
  if (shape) return shape;
  const writes = state.edges.filter((e) => e.dst === src.id && e.memlet.data !== null);
  if (writes.length !== 1) return `${src.data} has ${writes.length} writers`;
  const write = writes[0]!;
  if (memletTree(state, write, 'backward').some((e) => e.memlet.wcr)) return `a write to ${src.data} resolves conflicts (wcr)`;
  const written = subsetOn(sdfg, write.memlet, src.data, undefined);
  if (!written || !subsetsEqual(written, fullSubset(dataShape(sdfg.arrays[src.data]!))) || !writesExactly(state, write)) return `the writes to ${src.data} may not cover all of it`;
  if (state.nodes.some((n) => n !== dst && n.kind === 'AccessNode' && n.data === dst.data)) return `${dst.data} is accessed elsewhere in state ${state.label}`;
  return undefined;
}

type Plan = { readonly remove: 'destination' | 'source'; readonly copy: Copy };

function plan(c: CopyCandidate): Plan | string {
  const copy = resolveCopy(c);
  if (typeof copy === 'string') return copy;
  const common = commonChecks(c.sdfg, copy);
  if (common) return common;
  const asDestination = destinationVerdict(c.sdfg, c.state, copy);
  if (!asDestination) return { remove: 'destination', copy };
  const asSource = sourceVerdict(c.sdfg, c.state, copy);
  if (!asSource) return { remove: 'source', copy };
  return `${copy.dst.data} cannot go (${asDestination}) and ${copy.src.data} cannot go (${asSource})`;
}

/** Rename a scope connector pair `IN_old`/`OUT_old` to the new container's name where that name is free. */
function renameConnector(state: State, node: Node, conn: string, to: string): void {
  const base = conn.replace(/^(IN|OUT)_/, '');
  if (`IN_${to}` in node.inConnectors || `OUT_${to}` in node.outConnectors || !(`IN_${base}` in node.inConnectors)) return;
  delete node.inConnectors[`IN_${base}`];
  delete node.outConnectors[`OUT_${base}`];
  node.inConnectors[`IN_${to}`] = null;
  node.outConnectors[`OUT_${to}`] = null;
  for (const e of state.edges) {
    if (e.dst === node.id && e.dstConn === `IN_${base}`) e.dstConn = `IN_${to}`;
    if (e.src === node.id && e.srcConn === `OUT_${base}`) e.srcConn = `OUT_${to}`;
  }
}

/**
 * The edges a memlet travels from `start` through scope nodes: forward through entries (`OUT_x` fans out to
 * every reader) or backward through exits (every writer into `IN_x`).
 */
export function memletTree(state: State, start: Edge, direction: 'forward' | 'backward'): Edge[] {
  const tree: Edge[] = [];
  const todo = [start];
  while (todo.length) {
    const e = todo.pop()!;
    tree.push(e);
    if (direction === 'forward') {
      const dst = nodeById(state, e.dst);
      if (dst && isScopeEntry(dst) && e.dstConn?.startsWith('IN_')) {
        todo.push(...state.edges.filter((x) => x.src === dst.id && x.srcConn === 'OUT_' + e.dstConn!.slice(3)));
      }
    } else {
      const src = nodeById(state, e.src);
      if (src && isScopeExit(src) && e.srcConn?.startsWith('OUT_')) {
        todo.push(...state.edges.filter((x) => x.dst === src.id && x.dstConn === 'IN_' + e.srcConn!.slice(4)));
      }
    }
  }
  return tree;
}

/**
 * Memlets along the trees of `edges` that name `from` now name `to` at `offset` (from's coordinates + offset);
 * copies naming the far side get their `from`-side subset made explicit.
 */
function redirect(sdfg: SDFG, state: State, edges: Edge[], from: string, to: string, offset: Subset, direction: 'forward' | 'backward'): void {
  const tree = [...new Set(edges.flatMap((e) => memletTree(state, e, direction)))];
  const scopes = new Map<Node, string>();
  for (const e of tree) {
    const m: Memlet = e.memlet;
    if (m.data === from) {
      e.memlet = { ...m, data: to, subset: offsetSubset(m.subset ?? fullSubset(dataShape(sdfg.arrays[from]!)), offset) };
    } else if (m.data !== null) {
      const far = m.data;
      const own = subsetOn(sdfg, m, from, far);
      if (own) e.memlet = { ...m, otherSubset: offsetSubset(own, offset) };
    }
    const scopeEnd = direction === 'forward' ? nodeById(state, e.dst) : nodeById(state, e.src);
    const conn = direction === 'forward' ? e.dstConn : e.srcConn;
    if (scopeEnd && (isScopeEntry(scopeEnd) || isScopeExit(scopeEnd)) && conn) scopes.set(scopeEnd, conn);
  }
  for (const [node, conn] of scopes) if (conn === `IN_${from}` || conn === `OUT_${from}`) renameConnector(state, node, conn, to);
}

function apply(_root: SDFG, c: CopyCandidate): void {
  const { remove, copy } = plan(c) as Plan;
  const { state, sdfg } = c;
  const [gone, kept, keptSubset] = remove === 'destination'
    ? [copy.dst, copy.src, copy.srcSubset] : [copy.src, copy.dst, copy.dstSubset];
  const moving = state.edges.filter((e) => e !== copy.edge && (remove === 'destination' ? e.src === gone.id : e.dst === gone.id));
  removeEdge(state, copy.edge);
  redirect(sdfg, state, moving, gone.data, kept.data, keptSubset, remove === 'destination' ? 'forward' : 'backward');
  for (const e of moving) {
    if (remove === 'destination') e.src = kept.id;
    else e.dst = kept.id;
  }
  removeNode(state, gone);
  delete sdfg.arrays[gone.data];
}

export const redundantArrayRemoval = defineTransformation<CopyCandidate, Record<string, never>>({
  name: 'RedundantArrayRemoval',
  summary: 'Remove a transient that only relays a whole copy, redirecting its accesses to the other container',
  modifies: ['nodes', 'edges', 'memlets', 'descriptors'],
  defaults: {},
  candidates: (sdfg) => candidates(sdfg),
  canApply: (_sdfg, c) => {
    const p = plan(c);
    return typeof p === 'string' ? p : true;
  },
  apply,
  describe: (c) => {
    const e = c.state.edges.find((x) => x.id === c.edge);
    const [s, d] = e ? [nodeById(c.state, e.src), nodeById(c.state, e.dst)] : [];
    const name = (n: Node | undefined): string => (n?.kind === 'AccessNode' ? n.data : '?');
    return `${name(s)} -> ${name(d)} in state ${c.state.label}`;
  },
});
