// Deep copies of SDFGs, blocks and states that keep immutable parts shared and scope objects paired.
//
// Shared, not copied: `Expr`s (immutable class instances), subsets and ranges (frozen), dtypes (singletons
// compared by identity), tasklet ASTs and write-conflict lambdas (readonly trees), source locations.
// Everything mutable is copied, and a MapEntry and its MapExit get one new MapScope between them (likewise
// consume scopes), so `entry.map === exit.map` holds in the copy exactly where it held in the original.
import type { DataDesc } from './data.js';
import type { Memlet } from './memlet.js';
import type { ConsumeScope, LibraryOp, MapScope, Node } from './nodes.js';
import type {
  ConditionalBlock, ControlFlowBlock, ControlFlowGraph, ControlFlowRegion, Edge, InterstateEdge, LoopRegion, SDFG, State,
} from './sdfg.js';
import { assertNever } from './errors.js';

/** Spread defines own properties, so even a key spelt `__proto__` stays a plain key. */
function copyRecord<T>(r: Record<string, T>): Record<string, T> {
  return { ...r };
}

export function cloneSDFG(sdfg: SDFG): SDFG {
  const arrays = Object.fromEntries(Object.entries(sdfg.arrays).map(([k, d]) => [k, cloneDataDesc(d)]));
  const constants = Object.fromEntries(Object.entries(sdfg.constants).map(([k, c]) => [k, { ...c }]));
  return {
    ...sdfg,
    ...cloneCfgFields(sdfg),
    arrays,
    symbols: copyRecord(sdfg.symbols),
    constants,
    argNames: [...sdfg.argNames],
  };
}

export function cloneDataDesc(desc: DataDesc): DataDesc {
  switch (desc.kind) {
    case 'Scalar': return { ...desc };
    case 'Stream': return { ...desc, shape: [...desc.shape] };
    case 'Array': case 'View':
      return { ...desc, shape: [...desc.shape], strides: [...desc.strides], offset: [...desc.offset] };
    default: return assertNever(desc, 'data descriptor');
  }
}

function cloneCfgFields(cfg: ControlFlowGraph): ControlFlowGraph {
  return {
    blocks: cfg.blocks.map(cloneBlock),
    edges: cfg.edges.map(cloneInterstateEdge),
    startBlock: cfg.startBlock,
    nextBlockId: cfg.nextBlockId,
    nextEdgeId: cfg.nextEdgeId,
  };
}

export function cloneInterstateEdge(edge: InterstateEdge): InterstateEdge {
  return { ...edge, assignments: copyRecord(edge.assignments) };
}

/** A block and everything inside it (nested SDFGs included). */
export function cloneBlock<B extends ControlFlowBlock>(block: B): B;
export function cloneBlock(block: ControlFlowBlock): ControlFlowBlock {
  switch (block.kind) {
    case 'State': return cloneState(block);
    case 'LoopRegion': return { ...block, ...cloneCfgFields(block) } satisfies LoopRegion;
    case 'ControlFlowRegion': return cloneRegion(block);
    case 'ConditionalBlock':
      return {
        ...block,
        branches: block.branches.map((b) => ({ condition: b.condition, body: cloneRegion(b.body) })),
      } satisfies ConditionalBlock;
    default: return assertNever(block, 'control-flow block');
  }
}

function cloneRegion(region: ControlFlowRegion): ControlFlowRegion {
  return { ...region, ...cloneCfgFields(region) };
}

/** A state's nodes and edges; entry/exit pairs share their new scope object as the originals did. */
export function cloneState(state: State): State {
  const maps = new Map<MapScope, MapScope>();
  const consumes = new Map<ConsumeScope, ConsumeScope>();
  const mapCopy = (m: MapScope): MapScope => {
    let copy = maps.get(m);
    if (!copy) {
      copy = { ...m, params: [...m.params], ranges: [...m.ranges] };
      if (m.gpuBlockSize) copy.gpuBlockSize = [...m.gpuBlockSize];
      maps.set(m, copy);
    }
    return copy;
  };
  const consumeCopy = (c: ConsumeScope): ConsumeScope => {
    let copy = consumes.get(c);
    if (!copy) consumes.set(c, (copy = { ...c }));
    return copy;
  };
  const cloneNode = (node: Node): Node => {
    const common = { inConnectors: copyRecord(node.inConnectors), outConnectors: copyRecord(node.outConnectors) };
    switch (node.kind) {
      case 'AccessNode': return { ...node, ...common };
      case 'Tasklet': return { ...node, ...common };
      case 'MapEntry': case 'MapExit': return { ...node, ...common, map: mapCopy(node.map) };
      case 'ConsumeEntry': case 'ConsumeExit': return { ...node, ...common, consume: consumeCopy(node.consume) };
      case 'NestedSDFG':
        return { ...node, ...common, sdfg: cloneSDFG(node.sdfg), symbolMapping: copyRecord(node.symbolMapping) };
      case 'LibraryNode': return { ...node, ...common, op: cloneLibraryOp(node.op) };
      default: return assertNever(node, 'node');
    }
  };
  return {
    ...state,
    nodes: state.nodes.map(cloneNode),
    edges: state.edges.map(cloneEdge),
  };
}

export function cloneEdge(edge: Edge): Edge {
  return { ...edge, memlet: cloneMemlet(edge.memlet) };
}

export function cloneMemlet(memlet: Memlet): Memlet {
  return { ...memlet };
}

function cloneLibraryOp(op: LibraryOp): LibraryOp {
  switch (op.name) {
    case 'Reduce': return { ...op, axes: op.axes === null ? null : [...op.axes] };
    case 'MatMul': return { ...op };
    case 'Unknown': return { ...op, attributes: structuredClone(op.attributes) };
    default: return assertNever(op, 'library operation');
  }
}
