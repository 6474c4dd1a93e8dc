// StreamingMemory: the off-chip reads (writes) of an FPGA processing element become a reader (writer) processing
// element that walks the same loops and moves each element through a stream, so that memory access and compute run
// as separate pipelines connected by FIFOs:
//
//   A -> map[IN_A] -> tasklet.a  (a = A[i, k])      becomes   A -> read_A_a map -> A_to_a (stream) -> map -> tasklet.a
//
// It applies to an `FPGA_Global` array read (or written) by a top-level `FPGA_Device` map whose every leaf memlet
// moves one element per iteration (no wcr, not dynamic) to (from) a tasklet; each leaf gets its own stream. A map
// that also writes the array it reads qualifies only element-wise: one read and one write of the same element.
import { addEdge, addNode, removeEdge, removeNode } from '../../graph/construct.js';
import { makeStream } from '../../graph/data.js';
import { makeMemlet, type Memlet } from '../../graph/memlet.js';
import type { AccessNode, MapEntry, MapExit, MapScope, Node, Tasklet } from '../../graph/nodes.js';
import { propagateMemletsInState } from '../../graph/propagate.js';
import { exitOf, inEdges, memletPath, nodeById, outEdges, scopeDict } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import { index, isIndex, subset, subsetsEqual } from '../../graph/subsets.js';
import { forEachStmt, namesRead, type TStmt } from '../../graph/tasklet-ast.js';
import { defineTransformation } from '../framework.js';
import { addConnectorPair, freshConnector, freshDataName, pruneConnectors, reaches, statesOf, type StateRef } from './helpers.js';
import { addMapNodes } from './helpers-scope.js';
import { memletTree } from './redundant-array-removal.js';

export interface StreamingMemoryCandidate extends StateRef {
  /** The edge between the off-chip array's access node and the map (A -> entry, or exit -> A). */
  readonly edge: number;
  readonly direction: 'read' | 'write';
}

export interface StreamingOptions {
  /** FIFO depth of the new streams. */
  depth: number;
}

/** One leaf of the memlet tree: the tasklet connector, its memlet and the maps it lies in (outermost first). */
interface Leaf {
  readonly edge: Edge;
  readonly tasklet: Tasklet;
  readonly conn: string;
  readonly memlet: Memlet;
  readonly maps: readonly MapEntry[];
}

/**
 * Whether a tasklet's body reads the connector `name` on every path: a top-level statement reads it, outside branches
 * and loops (conservative). A stream connector is popped once per execution, which matches only such reads.
 */
export function readsOnEveryPath(body: readonly TStmt[], name: string): boolean {
  return body.some((s) => (s.k === 'assign' && (namesRead(s.value).has(name) || s.op !== '=' && s.target.k === 'name' && s.target.name === name))
    || (s.k === 'let' && namesRead(s.value).has(name)));
}

/**
 * Whether a tasklet's body assigns the scalar connector `name` exactly once, unconditionally, at its top level: a
 * stream connector pushes once per execution, which matches only such writes.
 */
export function assignsOnceOnEveryPath(body: readonly TStmt[], name: string): boolean {
  let top = 0, nested = 0;
  body.forEach((s) => { if (s.k === 'assign' && s.target.k === 'name' && s.target.name === name) top++; });
  forEachStmt(body, (s) => { if (s.k === 'assign' && s.target.k === 'name' && s.target.name === name) nested++; });
  return top === 1 && nested === 1;
}

/** Why a tasklet's connector cannot become a stream connector, if it cannot. */
export function streamableConnector(t: Tasklet, conn: string, direction: 'read' | 'write'): string | undefined {
  if (t.code.language !== 'tasklet') return `${t.label} is raw ${t.code.language} code`;
  if (direction === 'read' && !readsOnEveryPath(t.code.body, conn)) return `${t.label} reads ${conn} on some paths only (a stream is popped on every one)`;
  if (direction === 'write' && !assignsOnceOnEveryPath(t.code.body, conn)) return `${t.label} does not assign ${conn} exactly once on every path (a stream is pushed once per iteration)`;
  return undefined;
}

/** Reads first: a map that updates an array in place has its read streamed before its write. */
function* candidates(root: SDFG): Generator<StreamingMemoryCandidate> {
  for (const direction of ['read', 'write'] as const) {
    for (const ref of statesOf(root)) {
      for (const e of ref.state.edges) {
        const [src, dst] = [nodeById(ref.state, e.src), nodeById(ref.state, e.dst)];
        if (direction === 'read' && src?.kind === 'AccessNode' && dst?.kind === 'MapEntry') yield { ...ref, edge: e.id, direction };
        if (direction === 'write' && src?.kind === 'MapExit' && dst?.kind === 'AccessNode') yield { ...ref, edge: e.id, direction };
      }
    }
  }
}

/** The leaves of the tree below (read) or above (write) the candidate edge, or why they cannot stream. */
function leavesOf(state: State, edge: Edge, direction: 'read' | 'write', data: string): Leaf[] | string {
  const tree = memletTree(state, edge, direction === 'read' ? 'forward' : 'backward');
  const leaves: Leaf[] = [];
  for (const e of tree) {
    const end = nodeById(state, direction === 'read' ? e.dst : e.src);
    if (end?.kind === 'MapEntry' || end?.kind === 'MapExit') continue;
    if (end?.kind !== 'Tasklet') return `${data} is ${direction === 'read' ? 'read' : 'written'} by ${end?.label ?? 'a node'} (${end?.kind}), not by a tasklet`;
    const m = e.memlet;
    if (m.data !== data || !m.subset || !m.subset.ranges.every(isIndex)) return `${end.label} ${direction === 'read' ? 'reads' : 'writes'} more than one element of ${data} per iteration`;
    if (m.dynamic) return `${end.label} accesses ${data} a data-dependent number of times`;
    if (m.wcr) return `${end.label} writes ${data} with conflict resolution (a read-modify-write)`;
    const conn = (direction === 'read' ? e.dstConn : e.srcConn) ?? data;
    const why = streamableConnector(end, conn, direction);
    if (why) return why;
    const path = memletPath(state, e);
    const scopes = (direction === 'read' ? path.slice(0, -1).map((x) => nodeById(state, x.dst)) : path.slice(1).map((x) => nodeById(state, x.src)).reverse());
    const maps = scopes.map((n) => (n?.kind === 'MapExit' ? n.map : n?.kind === 'MapEntry' ? n.map : undefined));
    if (maps.some((m2) => m2 === undefined)) return `${data} reaches ${end.label} through a scope that is not a map`;
    const entries = maps.map((m2) => state.nodes.find((n): n is MapEntry => n.kind === 'MapEntry' && n.map === m2)!);
    leaves.push({ edge: e, tasklet: end, conn: (direction === 'read' ? e.dstConn : e.srcConn) ?? data, memlet: m, maps: entries });
  }
  return leaves.length ? leaves : `${data} reaches no tasklet`;
}

interface Resolved {
  readonly edge: Edge;
  readonly access: AccessNode;
  readonly entry: MapEntry;
  readonly leaves: Leaf[];
}

function resolve(sdfg: SDFG, c: StreamingMemoryCandidate): Resolved | string {
  const { state } = c;
  const edge = state.edges.find((e) => e.id === c.edge);
  if (!edge) return `edge e${c.edge} is no longer in state ${state.label}`;
  const [src, dst] = [nodeById(state, edge.src), nodeById(state, edge.dst)];
  const access = c.direction === 'read' ? src : dst;
  const scopeNode = c.direction === 'read' ? dst : src;
  if (access?.kind !== 'AccessNode' || (scopeNode?.kind !== 'MapEntry' && scopeNode?.kind !== 'MapExit')) return `edge e${c.edge} does not connect an access node and a map`;
  const desc = sdfg.arrays[access.data];
  if (desc?.kind !== 'Array' || desc.storage !== 'FPGA_Global') return `${access.data} is not an off-chip (FPGA_Global) array`;
  const map = scopeNode.map;
  const entry = state.nodes.find((n): n is MapEntry => n.kind === 'MapEntry' && n.map === map)!;
  if (map.schedule !== 'FPGA_Device' || (scopeDict(state).get(entry.id) ?? null) !== null) return `map ${map.label} is not a top-level FPGA_Device map (a processing element)`;
  if (edge.memlet.data !== access.data) return `the memlet on e${c.edge} names ${edge.memlet.data ?? 'nothing'}, not ${access.data}`;
  const leaves = leavesOf(state, edge, c.direction, access.data);
  if (typeof leaves === 'string') return leaves;
  if (leaves.every((l) => isMover(sdfg, state, l, c.direction))) {
    return `map ${map.label} only moves ${access.data} ${c.direction === 'read' ? 'into' : 'out of'} a stream already (it is a ${c.direction === 'read' ? 'reader' : 'writer'})`;
  }
  return inPlaceProblem(state, c.direction, access, entry, leaves) ?? { edge, access, entry, leaves };
}

/**
 * Whether a leaf is a plain move between the array and a stream (`o = v`): the reader and writer elements this
 * transformation makes are such maps, and streaming them again would only add another identical mover.
 */
function isMover(sdfg: SDFG, state: State, leaf: Leaf, direction: 'read' | 'write'): boolean {
  const t = leaf.tasklet;
  if (t.code.language !== 'tasklet' || t.code.body.length !== 1) return false;
  const stmt = t.code.body[0]!;
  if (stmt.k !== 'assign' || stmt.op !== '=' || stmt.target.k !== 'name' || stmt.value.k !== 'name') return false;
  const other = (direction === 'read' ? outEdges(state, t) : inEdges(state, t)).filter((e) => e.memlet.data !== null);
  return other.length === 1 && sdfg.arrays[other[0]!.memlet.data!]?.kind === 'Stream';
}

/**
 * The reader runs concurrently with the rest of its dataflow region: no other node may write the array meanwhile (a
 * writer whose result reaches the access node read from is done before), and a map that reads and writes it streams
 * it only element by element (each element's read then always precedes its write).
 */
function inPlaceProblem(state: State, direction: 'read' | 'write', access: AccessNode, entry: MapEntry, leaves: readonly Leaf[]): string | undefined {
  const data = access.data;
  const exit = exitOf(state, entry)!;
  if (direction === 'read') {
    const concurrent = state.edges.find((e) => e.memlet.data === data && e.src !== exit.id && nodeById(state, e.dst)?.kind === 'AccessNode'
      && e.dst !== access.id && !reaches(state, e.dst, access.id));
    if (concurrent) return `${data} is also written in state ${state.label} by ${nodeById(state, concurrent.src)?.label ?? 'another node'}, concurrently`;
  }
  const reads = state.edges.filter((e) => e.dst === entry.id && e.memlet.data === data);
  const writes = state.edges.filter((e) => e.src === exit.id && e.memlet.data === data);
  if (reads.length === 0 || writes.length === 0) return undefined;
  const leavesOn = (edges: Edge[], side: 'read' | 'write'): Leaf[] => edges.flatMap((e) => { const l = leavesOf(state, e, side, data); return typeof l === 'string' ? [] : l; });
  const readLeaves = direction === 'read' ? leaves : leavesOn(reads, 'read');
  const writeLeaves = direction === 'write' ? leaves : leavesOn(writes, 'write');
  const elementWise = readLeaves.length === 1 && writeLeaves.length === 1 && readLeaves[0]!.tasklet === writeLeaves[0]!.tasklet
    && subsetsEqual(readLeaves[0]!.memlet.subset!, writeLeaves[0]!.memlet.subset!);
  return elementWise ? undefined : `map ${entry.map.label} reads and writes ${data} at different elements; streams would reorder them`;
}

/** Edges `from -> scope nodes -> to` with connectors on each scope node (memlets are propagated afterwards). */
function route(state: State, from: Node, fromConn: string | null, through: readonly Node[], to: Node, toConn: string | null, memlet: Memlet, base: string): void {
  let src = from, conn = fromConn;
  for (const node of through) {
    const name = freshConnector(node, base);
    addConnectorPair(node, name);
    addEdge(state, src, conn, node, `IN_${name}`, { ...memlet });
    src = node;
    conn = `OUT_${name}`;
  }
  addEdge(state, src, conn, to, toConn, { ...memlet });
}

/** New maps walking the same loops as `maps` (outermost first): the outermost a processing element. */
function cloneLoops(state: State, maps: readonly MapEntry[], label: string): { entries: MapEntry[]; exits: MapExit[]; tasklet: Tasklet } {
  const entries: MapEntry[] = [], exits: MapExit[] = [];
  maps.forEach((m, k) => {
    const scope: MapScope = { ...m.map, label: k === 0 ? label : `${label}_${k}`, params: [...m.map.params], ranges: [...m.map.ranges], schedule: k === 0 ? 'FPGA_Device' : 'Sequential' };
    delete scope.gpuBlockSize;
    const made = addMapNodes(state, scope, m);
    entries.push(made.entry);
    exits.push(made.exit);
  });
  const tasklet = addNode(state, {
    kind: 'Tasklet', label: `${label}_move`, inConnectors: { v: null }, outConnectors: { o: null },
    code: { language: 'tasklet', body: [{ k: 'assign', target: { k: 'name', name: 'o' }, op: '=', value: { k: 'name', name: 'v' } }], source: 'o = v' },
  }) as Tasklet;
  return { entries, exits, tasklet };
}

function apply(sdfg: SDFG, c: StreamingMemoryCandidate, options: StreamingOptions): void {
  const { edge, access, entry, leaves } = resolve(sdfg, c) as Resolved;
  const { state } = c;
  const exit = exitOf(state, entry)!;
  const desc = sdfg.arrays[access.data]!;
  const base = access.data.replace(/^fpga_/, '');
  for (const leaf of leaves) {
    const stream = freshDataName(sdfg, c.direction === 'read' ? `${base}_to_${leaf.conn}` : `${base}_from_${leaf.conn}`);
    sdfg.arrays[stream] = makeStream(desc.dtype, options.depth, { transient: true, storage: 'FPGA_Local' });
    const node = addNode(state, { kind: 'AccessNode', data: stream, setzero: false, label: stream, inConnectors: {}, outConnectors: {} }) as AccessNode;
    // Popping a stream is dynamic to the validator (it counts at run time); here it is one element per iteration.
    const one = makeMemlet(stream, subset(index(0)), { dynamic: true });
    const element = makeMemlet(access.data, leaf.memlet.subset!);
    const inner = leaf.maps.slice(1);
    const label = `${c.direction === 'read' ? 'read' : 'write'}_${base}_${leaf.conn}`;
    const loops = cloneLoops(state, leaf.maps, label);
    if (c.direction === 'read') {
      route(state, access, null, loops.entries, loops.tasklet, 'v', element, access.data);
      route(state, loops.tasklet, 'o', [...loops.exits].reverse(), node, null, one, stream);
      route(state, node, null, [entry, ...inner], leaf.tasklet, leaf.conn, one, stream);
    } else {
      route(state, leaf.tasklet, leaf.conn, [...inner.map((m) => exitOf(state, m)!)].reverse().concat([exit]), node, null, one, stream);
      route(state, node, null, loops.entries, loops.tasklet, 'v', one, stream);
      route(state, loops.tasklet, 'o', [...loops.exits].reverse(), access, null, element, access.data);
    }
  }
  for (const e of memletTree(state, edge, c.direction === 'read' ? 'forward' : 'backward')) removeEdge(state, e);
  for (const n of [entry, exit, ...leaves.flatMap((l) => l.maps.flatMap((m) => [m, exitOf(state, m)!]))]) pruneConnectors(state, n);
  if (!state.edges.some((e) => e.src === access.id || e.dst === access.id)) removeNode(state, access);
  propagateMemletsInState(sdfg, state);
}

export const streamingMemory = defineTransformation<StreamingMemoryCandidate, StreamingOptions>({
  name: 'StreamingMemory',
  summary: 'Turn the off-chip reads and writes of an FPGA processing element into reader and writer elements connected by streams',
  modifies: ['nodes', 'edges', 'memlets', 'descriptors', 'schedules'],
  defaults: { depth: 8 },
  candidates: (sdfg) => candidates(sdfg),
  canApply: (sdfg, c) => {
    const r = resolve(sdfg, c);
    return typeof r === 'string' ? r : true;
  },
  apply,
  describe: (c) => `${c.direction} on e${c.edge} in state ${c.state.label}`,
});
