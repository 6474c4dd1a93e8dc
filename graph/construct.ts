// Creating and editing graphs: SDFGs, blocks, interstate edges, nodes and dataflow edges.
import type { Memlet } from './memlet.js';
import type { Node } from './nodes.js';
import type {
  ConditionalBlock, ControlFlowBlock, ControlFlowGraph, ControlFlowRegion, Edge, InterstateEdge, LoopRegion, SDFG, State,
} from './sdfg.js';
import type { SourceLocation } from './source-location.js';
import type { TExpr } from './tasklet-ast.js';
import { InternalError } from './errors.js';

export const TRUE_CONDITION: TExpr = Object.freeze({ k: 'bool', value: true });

export function isTrueCondition(e: TExpr): boolean {
  return e.k === 'bool' && e.value;
}

function emptyGraph(): ControlFlowGraph {
  return { blocks: [], edges: [], startBlock: null, nextBlockId: 0, nextEdgeId: 0 };
}

export function createSDFG(name: string, loc?: SourceLocation): SDFG {
  return { kind: 'SDFG', name, arrays: {}, symbols: {}, constants: {}, argNames: [], ...emptyGraph(), ...(loc ? { loc } : {}) };
}

function addBlock<B extends ControlFlowBlock>(cfg: ControlFlowGraph, make: (id: number) => B): B {
  const block = make(cfg.nextBlockId++);
  cfg.blocks.push(block);
  if (cfg.startBlock === null) cfg.startBlock = block.id;
  return block;
}

export function addState(cfg: ControlFlowGraph, label: string, loc?: SourceLocation): State {
  return addBlock(cfg, (id) => ({ kind: 'State', id, label, nodes: [], edges: [], nextNodeId: 0, nextEdgeId: 0, ...(loc ? { loc } : {}) }));
}

export function createRegion(label: string, id = 0, loc?: SourceLocation): ControlFlowRegion {
  return { kind: 'ControlFlowRegion', id, label, ...emptyGraph(), ...(loc ? { loc } : {}) };
}

export function addRegion(cfg: ControlFlowGraph, label: string, loc?: SourceLocation): ControlFlowRegion {
  return addBlock(cfg, (id) => createRegion(label, id, loc));
}

export function addLoopRegion(
  cfg: ControlFlowGraph, label: string,
  loop: { loopVariable: string | null; init: TExpr | null; condition: TExpr; update: TExpr | null; inverted?: boolean },
  loc?: SourceLocation,
): LoopRegion {
  return addBlock(cfg, (id) => ({
    kind: 'LoopRegion', id, label, ...emptyGraph(),
    loopVariable: loop.loopVariable, init: loop.init, condition: loop.condition, update: loop.update,
    inverted: loop.inverted ?? false, ...(loc ? { loc } : {}),
  }));
}

export function addConditionalBlock(cfg: ControlFlowGraph, label: string, loc?: SourceLocation): ConditionalBlock {
  return addBlock(cfg, (id) => ({ kind: 'ConditionalBlock', id, label, branches: [], ...(loc ? { loc } : {}) }));
}

/** Add a branch to a conditional block; returns its body region. */
export function addBranch(block: ConditionalBlock, condition: TExpr | null, loc?: SourceLocation): ControlFlowRegion {
  const body = createRegion(`${block.label}_branch${block.branches.length}`, block.branches.length, loc);
  block.branches.push({ condition, body });
  return body;
}

export function addInterstateEdge(
  cfg: ControlFlowGraph, src: ControlFlowBlock, dst: ControlFlowBlock,
  options: { condition?: TExpr; assignments?: Record<string, TExpr>; loc?: SourceLocation } = {},
): InterstateEdge {
  const edge: InterstateEdge = {
    id: cfg.nextEdgeId++, src: src.id, dst: dst.id,
    condition: options.condition ?? TRUE_CONDITION, assignments: options.assignments ?? {},
    ...(options.loc ? { loc: options.loc } : {}),
  };
  cfg.edges.push(edge);
  return edge;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewNode = DistributiveOmit<Node, 'id'>;

export function addNode<N extends NewNode>(state: State, node: N): N & { readonly id: number } {
  const withId = { ...node, id: state.nextNodeId++ } as unknown as N & { readonly id: number };
  state.nodes.push(withId as unknown as Node);
  return withId;
}

export function addEdge(
  state: State, src: Node, srcConn: string | null, dst: Node, dstConn: string | null, memlet: Memlet, loc?: SourceLocation,
): Edge {
  const edge: Edge = { id: state.nextEdgeId++, src: src.id, srcConn, dst: dst.id, dstConn, memlet, ...(loc ? { loc } : {}) };
  state.edges.push(edge);
  return edge;
}

export function removeEdge(state: State, edge: Edge): void {
  const at = state.edges.indexOf(edge);
  if (at < 0) throw new InternalError({ code: 'internal', message: `edge ${edge.id} is not in state ${state.label}` });
  state.edges.splice(at, 1);
}

/** Remove a node and every edge touching it. */
export function removeNode(state: State, node: Node): void {
  state.nodes = state.nodes.filter((n) => n !== node);
  state.edges = state.edges.filter((e) => e.src !== node.id && e.dst !== node.id);
}

export function removeBlock(cfg: ControlFlowGraph, block: ControlFlowBlock): void {
  cfg.blocks = cfg.blocks.filter((b) => b !== block);
  cfg.edges = cfg.edges.filter((e) => e.src !== block.id && e.dst !== block.id);
  if (cfg.startBlock === block.id) cfg.startBlock = cfg.blocks[0]?.id ?? null;
}
