// The shape of an HLS kernel read off an FPGA-lowered SDFG: which states run on the host (the copies) and which in
// the kernel, and per kernel state its processing elements, the dataflow regions they run in and where each stream
// lives. The emitter prints this plan; the report describes it, so the two always agree.
import type { DataDesc } from '../../graph/data.js';
import { TargetError, type GraphPath } from '../../graph/errors.js';
import { type MapEntry, type Node, isScopeEntry, isScopeExit } from '../../graph/nodes.js';
import { allStates, exitOf, inEdges, memletPath, nodeById, outEdges, scopeChildren, scopeDict, scopeNodes, topologicalOrder } from '../../graph/query.js';
import type { ControlFlowBlock, Edge, SDFG, State } from '../../graph/sdfg.js';
import { rangeSize } from '../../graph/subsets.js';
import { FPGA_COPY_IN, FPGA_COPY_OUT, topLevelLine } from '../../passes/transformations/fpga-transform.js';
import { freeSymbolsOf } from '../common/arguments.js';
import { cIdentifier, reservedWords } from '../cpp/emit-context.js';

/** What a processing element does, for the report: moves memory into streams, out of streams, or computes. */
export type ProcessRole = 'reader' | 'writer' | 'compute' | 'copy';

/** One processing element: a function of the kernel, run as a process of a dataflow region. */
export interface HlsProcess {
  /** The C++ function's name. */
  readonly name: string;
  readonly kind: 'map' | 'tasklet' | 'consume' | 'copy';
  readonly role: ProcessRole;
  readonly state: State;
  /** The map or consume entry, the tasklet, or (a copy) the destination access node. */
  readonly root: Node;
  /** The access → access edge a copy process makes. */
  readonly copy?: Edge;
  /** Inside a top-level Unrolled map: the element is replicated once per value of its parameter. */
  readonly replicas?: { readonly map: MapEntry; readonly param: string; readonly count: number };
  readonly reads: ReadonlySet<string>;
  readonly writes: ReadonlySet<string>;
}

/** Processes that run concurrently, connected by streams; regions of one state run one after the other. */
export interface HlsRegion {
  readonly processes: readonly HlsProcess[];
  /** The function holding the region's DATAFLOW pragma when its state has several regions. */
  readonly functionName: string;
  /** Streams declared in the region's function (used by it alone). */
  readonly streams: readonly string[];
}

export interface HlsStatePlan {
  readonly state: State;
  readonly functionName: string;
  readonly regions: readonly HlsRegion[];
  /** Streams declared in the state's function. */
  readonly streams: readonly string[];
}

export interface HlsPlan {
  readonly sdfg: SDFG;
  readonly topName: string;
  /** Host states before and after the kernel call: the copies FPGATransform made. */
  readonly hostBefore: readonly State[];
  readonly hostAfter: readonly State[];
  /** Top-level blocks the kernel's top function runs. */
  readonly kernel: readonly ControlFlowBlock[];
  readonly states: ReadonlyMap<State, HlsStatePlan>;
  /** Off-chip containers (FPGA_Global): the top function's m_axi ports, allocated by the host. */
  readonly ports: readonly string[];
  /** Read-only scalar arguments, passed by value (s_axilite). */
  readonly hostScalars: readonly string[];
  /** Streams that cross states, declared in the top function. */
  readonly kernelStreams: readonly string[];
  /** Free symbols: the top function's integer arguments. */
  readonly symbols: readonly string[];
}

/** The error for a graph the HLS target cannot print. */
export function hlsUnsupported(message: string, path?: GraphPath, hint?: string): TargetError {
  return new TargetError({ code: 'hls-unsupported', message, ...(path ? { path } : {}), ...(hint ? { hint } : {}) });
}

export const isStream = (desc: DataDesc | undefined): boolean => desc?.kind === 'Stream';

/** Unique C identifiers for the functions of one kernel. */
class Names {
  private readonly used = new Set<string>(reservedWords);
  /** Keep `name` (a container or symbol) from ever naming a function. */
  reserve(name: string): void {
    this.used.add(cIdentifier(name));
  }
  take(base: string): string {
    const clean = cIdentifier(base);
    let name = clean;
    for (let k = 1; this.used.has(name); k++) name = `${clean}_${k}`;
    this.used.add(name);
    return name;
  }
}

/** Whether a top-level state only copies whole containers between the host and FPGA_Global memory. */
function isHostCopyState(sdfg: SDFG, block: ControlFlowBlock, label: string): block is State {
  if (block.kind !== 'State' || block.label !== label) return false;
  const storage = (n: Node | undefined): string | undefined => (n?.kind === 'AccessNode' ? sdfg.arrays[n.data]?.storage : undefined);
  return block.edges.every((e) => {
    const [a, b] = [storage(nodeById(block, e.src)), storage(nodeById(block, e.dst))];
    return a !== undefined && b !== undefined && (a === 'FPGA_Global') !== (b === 'FPGA_Global');
  });
}

/** A tasklet that only moves its input to its output (`o = v`), as the reader and writer elements do. */
function isMove(n: Node): boolean {
  if (n.kind !== 'Tasklet') return true;
  if (n.code.language !== 'tasklet' || n.code.body.length !== 1) return false;
  const s = n.code.body[0]!;
  return s.k === 'assign' && s.op === '=' && s.target.k === 'name' && s.value.k === 'name';
}

function rolesOf(sdfg: SDFG, kind: HlsProcess['kind'], reads: ReadonlySet<string>, writes: ReadonlySet<string>, members: readonly Node[]): ProcessRole {
  if (kind === 'copy') return 'copy';
  if (!members.every(isMove)) return 'compute';
  const all = (names: ReadonlySet<string>, test: (d: DataDesc | undefined) => boolean): boolean => names.size > 0 && [...names].every((n) => test(sdfg.arrays[n]));
  const global = (d: DataDesc | undefined): boolean => d?.storage === 'FPGA_Global';
  if (all(reads, global) && all(writes, isStream)) return 'reader';
  if (all(reads, isStream) && all(writes, global)) return 'writer';
  return 'compute';
}

/** Containers a set of nodes reads from, and writes to, nodes outside the set. */
function boundaryData(state: State, inside: ReadonlySet<number>): { reads: Set<string>; writes: Set<string> } {
  const reads = new Set<string>(), writes = new Set<string>();
  for (const e of state.edges) {
    if (e.memlet.data === null) continue;
    if (inside.has(e.dst) && !inside.has(e.src)) reads.add(e.memlet.data);
    if (inside.has(e.src) && !inside.has(e.dst)) writes.add(e.memlet.data);
  }
  return { reads, writes };
}

/** The processing elements of a kernel state, in topological order. */
function processesOf(sdfg: SDFG, state: State, names: Names): { processes: HlsProcess[]; owner: Map<number, HlsProcess>; copies: Map<Edge, HlsProcess> } {
  const dict = scopeDict(state);
  const order = topologicalOrder(state) ?? state.nodes;
  const processes: HlsProcess[] = [];
  const owner = new Map<number, HlsProcess>();
  const copies = new Map<Edge, HlsProcess>();
  const path = (n: Node): GraphPath => ({ sdfg: sdfg.name, state: state.label, node: `${n.label} (n${n.id})` });

  const add = (root: Node, kind: HlsProcess['kind'], label: string, replicas?: HlsProcess['replicas'], copy?: Edge): void => {
    const members = isScopeEntry(root) ? [root, ...scopeNodes(state, root, dict), exitOf(state, root)!] : [root];
    const ids = new Set(members.map((n) => n.id));
    const { reads, writes } = copy && root.kind === 'AccessNode' ? { reads: new Set([sourceData(state, copy)]), writes: new Set([root.data]) } : boundaryData(state, ids);
    const process: HlsProcess = {
      name: names.take(label), kind, role: rolesOf(sdfg, kind, reads, writes, members), state, root, reads, writes,
      ...(replicas ? { replicas } : {}), ...(copy ? { copy } : {}),
    };
    processes.push(process);
    if (copy) copies.set(copy, process);
    else for (const id of ids) owner.set(id, process);
  };

  const visit = (n: Node, replicas?: HlsProcess['replicas']): void => {
    switch (n.kind) {
      case 'MapEntry': return add(n, 'map', n.map.label, replicas);
      case 'ConsumeEntry': return add(n, 'consume', n.consume.label, replicas);
      case 'Tasklet': return add(n, 'tasklet', n.label, replicas);
      case 'AccessNode':
        for (const e of inEdges(state, n)) {
          const src = nodeById(state, e.src);
          if (src?.kind === 'AccessNode' && e.memlet.data !== null) add(n, 'copy', `copy_${src.data}_to_${n.data}`, replicas, e);
        }
        return;
      case 'MapExit': case 'ConsumeExit': return;
      case 'NestedSDFG': case 'LibraryNode':
        throw hlsUnsupported(`${n.kind === 'NestedSDFG' ? 'nested SDFG' : 'library node'} ${n.label} cannot be printed as HLS`, path(n),
          n.kind === 'LibraryNode' ? 'expand library nodes before the FPGA lowering (ReduceExpansion)' : 'inline nested SDFGs before the FPGA lowering');
    }
  };

  for (const n of order) {
    if ((dict.get(n.id) ?? null) !== null) continue;
    if (n.kind === 'MapEntry' && n.map.schedule === 'Unrolled') {
      const count = n.map.params.length === 1 ? rangeSize(n.map.ranges[0]!).constantValue() : undefined;
      if (count === undefined) {
        throw hlsUnsupported(`the unrolled map ${n.map.label} replicates processing elements, so it needs one parameter with a constant range`, path(n),
          'tile the map so that the unrolled one has a constant number of iterations');
      }
      const replicas = { map: n, param: n.map.params[0]!, count };
      for (const child of scopeChildren(state, n.id, dict)) {
        if (child.kind === 'AccessNode' && !isStream(sdfg.arrays[child.data])) {
          throw hlsUnsupported(`the replicated processing elements of ${n.map.label} share ${child.data}; only streams may connect them`, path(child));
        }
        visit(child, replicas);
      }
      continue;
    }
    visit(n);
  }
  return { processes, owner, copies };
}

/** The container a copy edge reads (its source access node's). */
export function sourceData(state: State, e: Edge): string {
  const src = nodeById(state, e.src);
  return src?.kind === 'AccessNode' ? src.data : e.memlet.data!;
}

/** The processes an edge's data reaches (forward) or comes from (backward), through scope nodes that own no process. */
function endpoints(state: State, e: Edge, owner: Map<number, HlsProcess>, copies: Map<Edge, HlsProcess>, forward: boolean): HlsProcess[] {
  const copy = copies.get(e);
  if (copy) return [copy];
  const chain = memletPath(state, e);
  const last = forward ? chain[chain.length - 1]! : chain[0]!;
  const node = nodeById(state, forward ? last.dst : last.src);
  if (!node) return [];
  const own = owner.get(node.id);
  if (own) return [own];
  if (forward && isScopeEntry(node) && last.dstConn?.startsWith('IN_')) {
    return outEdges(state, node).filter((x) => x.srcConn === `OUT_${last.dstConn!.slice(3)}`).flatMap((x) => endpoints(state, x, owner, copies, true));
  }
  if (!forward && isScopeExit(node) && last.srcConn?.startsWith('OUT_')) {
    return inEdges(state, node).filter((x) => x.dstConn === `IN_${last.srcConn!.slice(4)}`).flatMap((x) => endpoints(state, x, owner, copies, false));
  }
  return [];
}

/**
 * Group processes into regions: processes linked by a stream run together; a process reading memory that another
 * one writes (a path through a non-stream access node) runs in a later region.
 */
function regionsOf(sdfg: SDFG, state: State, processes: HlsProcess[], owner: Map<number, HlsProcess>, copies: Map<Edge, HlsProcess>): HlsProcess[][] {
  const level = new Map(processes.map((p) => [p, 0]));
  const links: { from: HlsProcess; to: HlsProcess; stream: boolean; data: string }[] = [];
  for (const n of state.nodes) {
    if (n.kind !== 'AccessNode') continue;
    const writers = inEdges(state, n).filter((e) => e.memlet.data !== null).flatMap((e) => endpoints(state, e, owner, copies, false));
    const readers = outEdges(state, n).filter((e) => e.memlet.data !== null).flatMap((e) => endpoints(state, e, owner, copies, true));
    for (const from of writers) for (const to of readers) if (from !== to) links.push({ from, to, stream: isStream(sdfg.arrays[n.data]), data: n.data });
  }
  for (let round = 0, changed = true; changed; round++) {
    changed = false;
    if (round > processes.length + 1) {
      const bad = links.find((l) => l.stream)!;
      throw hlsUnsupported(`processes ${bad.from.name} and ${bad.to.name} communicate through stream ${bad.data}, but one of them must also wait for the other to finish writing memory`,
        { sdfg: sdfg.name, state: state.label }, 'connect them through streams only, or put them in separate states');
    }
    for (const l of links) {
      const [a, b] = [level.get(l.from)!, level.get(l.to)!];
      const want = l.stream ? Math.max(a, b) : a + 1;
      if (b < want) { level.set(l.to, want); changed = true; }
      if (l.stream && a < want) { level.set(l.from, want); changed = true; }
    }
  }
  // A consume loop stops when its stream is empty: a producer running beside it could still be about to push.
  for (const consumer of processes.filter((p) => p.kind === 'consume')) {
    for (const data of [...consumer.reads].filter((d) => isStream(sdfg.arrays[d]))) {
      const producer = processes.find((p) => p !== consumer && p.writes.has(data) && level.get(p) === level.get(consumer));
      if (producer) throw racingConsume(sdfg, state, consumer, producer, data);
    }
  }
  const count = Math.max(0, ...level.values()) + 1;
  return Array.from({ length: count }, (_, k) => processes.filter((p) => level.get(p) === k)).filter((r) => r.length > 0);
}

/** The error for a consume loop that would race its producer (it stops on an empty stream). */
function racingConsume(sdfg: SDFG, state: State, consumer: HlsProcess, producer: HlsProcess, data: string): TargetError {
  return hlsUnsupported(`consume scope ${consumer.name} pops stream ${data} while ${producer.name} pushes it in the same dataflow region; the consume loop stops when the stream is empty, which can happen before ${producer.name} is done`,
    { sdfg: sdfg.name, state: state.label }, 'put the consume scope in a state after its producer (or iterate over a known count with a map)');
}

/** Streams used by a set of processes (read, written, or inside a replicated map's scope). */
function streamsOf(sdfg: SDFG, processes: readonly HlsProcess[]): Set<string> {
  return new Set(processes.flatMap((p) => [...p.reads, ...p.writes]).filter((d) => isStream(sdfg.arrays[d])));
}

/** Plan the kernel of an FPGA-lowered SDFG. */
export function planKernel(sdfg: SDFG, topName = `${sdfg.name}_top`): HlsPlan {
  const lowered = Object.values(sdfg.arrays).some((d) => d.storage.startsWith('FPGA_'))
    || [...allStates(sdfg)].some((s) => s.nodes.some((n) => n.kind === 'MapEntry' && n.map.schedule === 'FPGA_Device'));
  if (!lowered) {
    throw new TargetError({
      code: 'hls-not-lowered', message: `SDFG ${sdfg.name} is not lowered for the FPGA`,
      hint: 'apply FPGATransform first (lowerForFpga does it, with the streaming transformations)',
    });
  }
  const line = topLevelLine(sdfg);
  if (!line) throw hlsUnsupported('the top-level control flow is not a straight line of blocks', { sdfg: sdfg.name });
  let first = 0, last = line.length;
  while (first < last && isHostCopyState(sdfg, line[first]!, FPGA_COPY_IN)) first++;
  while (last > first && isHostCopyState(sdfg, line[last - 1]!, FPGA_COPY_OUT)) last--;
  const kernel = line.slice(first, last);
  const names = new Names();
  for (const name of [...Object.keys(sdfg.arrays), ...Object.keys(sdfg.symbols), ...Object.keys(sdfg.constants)]) names.reserve(name);
  const topNameTaken = names.take(topName);
  const kernelStates = kernel.flatMap(statesIn);
  // Host arrays reach the kernel only through the copy states (a transformation after FPGATransform may undo that).
  for (const state of kernelStates) {
    const host = state.nodes.find((n) => n.kind === 'AccessNode' && sdfg.arrays[n.data]?.kind === 'Array' && !sdfg.arrays[n.data]!.transient);
    if (host?.kind === 'AccessNode') {
      throw hlsUnsupported(`state ${state.label} of the kernel accesses the host array ${host.data}; the kernel reaches arguments only through their FPGA_Global copies`,
        { sdfg: sdfg.name, state: state.label }, `keep the states ${FPGA_COPY_IN} and ${FPGA_COPY_OUT} apart from the kernel's (do not fuse them)`);
    }
  }

  const states = new Map<State, HlsStatePlan>();
  const streamStates = new Map<string, Set<State>>();
  const regionStreams = new Map<HlsRegion, Set<string>>();
  for (const state of kernelStates) {
    const { processes, owner, copies } = processesOf(sdfg, state, names);
    const groups = regionsOf(sdfg, state, processes, owner, copies);
    const functionName = names.take(`state_${state.label}`);
    const regions = groups.map((group, k): HlsRegion => ({
      processes: group, functionName: groups.length > 1 && group.length > 1 ? names.take(`${functionName}_dataflow${k}`) : functionName, streams: [],
    }));
    for (const r of regions) regionStreams.set(r, streamsOf(sdfg, r.processes));
    for (const n of state.nodes) {
      if (n.kind === 'AccessNode' && isStream(sdfg.arrays[n.data])) streamStates.set(n.data, (streamStates.get(n.data) ?? new Set()).add(state));
    }
    states.set(state, { state, functionName, regions, streams: [] });
  }

  // Each stream lives in the innermost function that every use of it runs in.
  const kernelStreams: string[] = [];
  for (const [stream, where] of streamStates) {
    if (!sdfg.arrays[stream]!.transient) continue;
    if (where.size > 1) { kernelStreams.push(stream); continue; }
    const plan = states.get([...where][0]!)!;
    const users = plan.regions.filter((r) => regionStreams.get(r)!.has(stream));
    const region = users.length === 1 && users[0]!.functionName !== plan.functionName ? users[0]! : undefined;
    ((region ?? plan).streams as string[]).push(stream);
  }

  const used = new Set(kernelStates.flatMap((s) => s.nodes.flatMap((n) => (n.kind === 'AccessNode' ? [n.data] : []))));
  for (const s of kernelStates) for (const e of s.edges) if (e.memlet.data) used.add(e.memlet.data);
  const ports = Object.keys(sdfg.arrays).filter((n) => used.has(n) && sdfg.arrays[n]!.storage === 'FPGA_Global');
  const hostScalars = Object.keys(sdfg.arrays).filter((n) => used.has(n) && !sdfg.arrays[n]!.transient && sdfg.arrays[n]!.kind === 'Scalar');
  return {
    sdfg, topName: topNameTaken, hostBefore: line.slice(0, first) as State[], hostAfter: line.slice(last) as State[], kernel, states,
    ports, hostScalars, kernelStreams: kernelStreams.sort(), symbols: freeSymbolsOf(sdfg),
  };
}

/** The states of a block, itself included, depth-first. */
export function statesIn(block: ControlFlowBlock): State[] {
  switch (block.kind) {
    case 'State': return [block];
    case 'LoopRegion': case 'ControlFlowRegion': return [...allStates(block)];
    case 'ConditionalBlock': return block.branches.flatMap((b) => [...allStates(b.body)]);
  }
}

/** Every process of a plan, state by state. */
export function allProcesses(plan: HlsPlan): HlsProcess[] {
  return [...plan.states.values()].flatMap((s) => s.regions.flatMap((r) => r.processes));
}
