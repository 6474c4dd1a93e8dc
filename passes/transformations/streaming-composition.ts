// StreamingComposition: a producer map that writes a transient array element by element, and a consumer map that
// reads it in the same order, are connected through a stream instead of the buffer, so that both run at once:
//
//   producer map -> T (transient array) -> consumer map     becomes     producer map -> T_stream -> consumer map
//
// It applies when the array appears in one access node of the whole SDFG, written by exactly one tasklet of a
// top-level map and read by exactly one tasklet of another, one element per iteration each (no wcr, not dynamic),
// and both walk the same loops (same nesting, same ranges) and touch the same element at the same iteration.
import { makeStream } from '../../graph/data.js';
import { makeMemlet } from '../../graph/memlet.js';
import type { AccessNode, MapEntry, MapScope } from '../../graph/nodes.js';
import { propagateMemletsInState } from '../../graph/propagate.js';
import { memletPath, nodeById, scopeDict } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import { index, isIndex, subset, subsetsEqual, subsSubset, type Subset } from '../../graph/subsets.js';
import { sym, type Expr } from '../../graph/symbolic.js';
import { defineTransformation } from '../framework.js';
import { accessCount, freshDataName, rangesEqual, statesOf, type StateRef } from './helpers.js';
import { memletTree } from './redundant-array-removal.js';
import { type StreamingOptions, streamableConnector } from './streaming-memory.js';

export interface StreamingCompositionCandidate extends StateRef {
  /** The access node of the transient array between the two maps. */
  readonly access: number;
}

/** The only leaf of a memlet tree: the tasklet's edge and the maps around it, outermost first. */
interface Side {
  readonly tree: Edge[];
  readonly leaf: Edge;
  readonly maps: MapScope[];
}

function sideOf(state: State, edge: Edge, direction: 'forward' | 'backward', data: string): Side | string {
  const tree = memletTree(state, edge, direction);
  const leaves = tree.filter((e) => nodeById(state, direction === 'forward' ? e.dst : e.src)?.kind === 'Tasklet');
  const ends = tree.filter((e) => {
    const n = nodeById(state, direction === 'forward' ? e.dst : e.src);
    return n?.kind !== 'MapEntry' && n?.kind !== 'MapExit';
  });
  const verb = direction === 'forward' ? 'reads' : 'writes';
  if (leaves.length !== 1 || ends.length !== 1) return `the ${direction === 'forward' ? 'consumer' : 'producer'} ${verb} ${data} at ${ends.length} places, not in one tasklet`;
  const leaf = leaves[0]!;
  const m = leaf.memlet;
  if (!m.subset || !m.subset.ranges.every(isIndex)) return `the ${direction === 'forward' ? 'consumer' : 'producer'} ${verb} more than one element of ${data} per iteration`;
  if (m.dynamic || m.wcr) return `the ${direction === 'forward' ? 'consumer' : 'producer'} ${verb} ${data} ${m.wcr ? 'with conflict resolution' : 'a data-dependent number of times'}`;
  const tasklet = nodeById(state, direction === 'forward' ? leaf.dst : leaf.src)!;
  if (tasklet.kind !== 'Tasklet') return `${data} does not reach a tasklet`;
  const why = streamableConnector(tasklet, (direction === 'forward' ? leaf.dstConn : leaf.srcConn) ?? data, direction === 'forward' ? 'read' : 'write');
  if (why) return why;
  const path = memletPath(state, leaf);
  const scopes = direction === 'forward' ? path.slice(0, -1).map((e) => nodeById(state, e.dst)) : path.slice(1).map((e) => nodeById(state, e.src)).reverse();
  const maps = scopes.map((n) => (n?.kind === 'MapEntry' || n?.kind === 'MapExit' ? n.map : undefined));
  if (maps.some((x) => x === undefined)) return `${data} passes through a scope that is not a map`;
  return { tree, leaf, maps: maps as MapScope[] };
}

/** Both sides walk the same loops and touch the same element at the same iteration (consumer params renamed). */
function sameOrder(producer: Side, consumer: Side): string | undefined {
  if (producer.maps.length !== consumer.maps.length) return 'the two maps nest their loops differently';
  const renaming: Record<string, Expr> = {};
  for (let k = 0; k < producer.maps.length; k++) {
    const [p, c] = [producer.maps[k]!, consumer.maps[k]!];
    if (p.params.length !== c.params.length) return `maps ${p.label} and ${c.label} have different dimensions`;
    for (let d = 0; d < p.params.length; d++) {
      const renamed = { begin: c.ranges[d]!.begin.subs(renaming), end: c.ranges[d]!.end.subs(renaming), step: c.ranges[d]!.step.subs(renaming) };
      if (!rangesEqual(p.ranges[d]!, renamed)) return `maps ${p.label} and ${c.label} iterate over different ranges`;
      renaming[c.params[d]!] = sym(p.params[d]!);
    }
  }
  const read: Subset = subsSubset(consumer.leaf.memlet.subset!, renaming);
  return subsetsEqual(read, producer.leaf.memlet.subset!) ? undefined : 'the consumer reads the elements in another order than the producer writes them';
}

interface Resolved {
  readonly access: AccessNode;
  readonly producer: Side;
  readonly consumer: Side;
}

function resolve(sdfg: SDFG, c: StreamingCompositionCandidate): Resolved | string {
  const { state } = c;
  const access = nodeById(state, c.access);
  if (access?.kind !== 'AccessNode') return `node n${c.access} is not an access node in state ${state.label}`;
  const desc = sdfg.arrays[access.data];
  if (desc?.kind !== 'Array' || !desc.transient) return `${access.data} is not a transient array`;
  if (accessCount(sdfg, access.data) !== 1) return `${access.data} is accessed elsewhere too`;
  const ins = state.edges.filter((e) => e.dst === access.id), outs = state.edges.filter((e) => e.src === access.id);
  if (ins.length !== 1 || outs.length !== 1) return `${access.data} has ${ins.length} writers and ${outs.length} readers, not one each`;
  const [src, dst] = [nodeById(state, ins[0]!.src), nodeById(state, outs[0]!.dst)];
  if (src?.kind !== 'MapExit' || dst?.kind !== 'MapEntry') return `${access.data} does not lie between two maps`;
  const dict = scopeDict(state);
  const top = (m: MapScope): MapEntry | undefined => state.nodes.find((n): n is MapEntry => n.kind === 'MapEntry' && n.map === m && (dict.get(n.id) ?? null) === null);
  if (!top(src.map) || !top(dst.map)) return `${access.data} does not lie between two top-level maps`;
  if (src.map === dst.map) return `${access.data} is written and read by the same map`;
  const producer = sideOf(state, ins[0]!, 'backward', access.data);
  if (typeof producer === 'string') return producer;
  const consumer = sideOf(state, outs[0]!, 'forward', access.data);
  if (typeof consumer === 'string') return consumer;
  return sameOrder(producer, consumer) ?? { access, producer, consumer };
}

function apply(sdfg: SDFG, c: StreamingCompositionCandidate, options: StreamingOptions): void {
  const { access, producer, consumer } = resolve(sdfg, c) as Resolved;
  const old = access.data;
  const stream = freshDataName(sdfg, `${old}_stream`);
  // On the FPGA the stream is an on-chip FIFO; elsewhere it keeps the default storage.
  const onFpga = sdfg.arrays[old]!.storage.startsWith('FPGA_');
  sdfg.arrays[stream] = makeStream(sdfg.arrays[old]!.dtype, options.depth, { transient: true, ...(onFpga ? { storage: 'FPGA_Local' as const } : {}) });
  for (const e of [...producer.tree, ...consumer.tree]) e.memlet = makeMemlet(stream, subset(index(0)), { dynamic: true });
  access.data = stream;
  access.label = stream;
  delete sdfg.arrays[old];
  propagateMemletsInState(sdfg, c.state);
}

function* candidates(root: SDFG): Generator<StreamingCompositionCandidate> {
  for (const ref of statesOf(root)) {
    for (const n of ref.state.nodes) if (n.kind === 'AccessNode' && ref.sdfg.arrays[n.data]?.kind === 'Array') yield { ...ref, access: n.id };
  }
}

export const streamingComposition = defineTransformation<StreamingCompositionCandidate, StreamingOptions>({
  name: 'StreamingComposition',
  summary: 'Connect a producer map and a consumer map through a stream instead of the transient array between them',
  modifies: ['nodes', 'edges', 'memlets', 'descriptors'],
  defaults: { depth: 8 },
  candidates: (sdfg) => candidates(sdfg),
  canApply: (sdfg, c) => {
    const r = resolve(sdfg, c);
    return typeof r === 'string' ? r : true;
  },
  apply,
  describe: (c) => {
    const n = nodeById(c.state, c.access);
    return `${n?.kind === 'AccessNode' ? n.data : `n${c.access}`} in state ${c.state.label}`;
  },
});
