// Validation rules for concurrent execution: racing writes in parallel maps and in unordered nodes, and stream use.
import type { ValidationError } from '../errors.js';
import type { MapExit, Node } from '../nodes.js';
import type { Edge } from '../sdfg.js';
import type { Subset } from '../subsets.js';
import { rangeSize, subsetFreeSymbols } from '../subsets.js';
import { proveLessEqual } from '../symbolic-compare.js';
import {
  describeEdge, describeNode, edgeIssue, nodeIssue, type SdfgInfo, type StateInfo, pushTo, type ValidationRule,
} from './context.js';
import { memletText } from './data-rules.js';
import { provablyOverlap, subsetOf } from './memlets.js';

export const concurrentWriteWithoutWcr: ValidationRule = {
  name: 'concurrent-write-without-wcr',
  summary: 'writes that may run at the same time either touch different elements or resolve conflicts with a wcr',
  *check(ctx) {
    for (const st of ctx.states) {
      // Concurrency follows from scopes and paths, which a cyclic state does not have.
      if (!st.order) continue;
      for (const n of st.nodeList) if (n.kind === 'MapExit' && st.scopes.entryOf.has(n.id)) yield* parallelMapWrites(st, n);
      yield* unorderedWrites(st);
    }
  },
};

/** Schedules whose iterations run one after another: writes of different iterations cannot race. */
const sequential = new Set(['Sequential', 'Unrolled']);

function* parallelMapWrites(st: StateInfo, exit: MapExit): Generator<ValidationError> {
  const { map } = exit;
  if (sequential.has(map.schedule)) return;
  const entry = st.scopes.entryOf.get(exit.id)!;
  // A parameter with a single value cannot make two iterations write the same element.
  const params = map.params.filter((_, d) => {
    const r = map.ranges[d];
    return r !== undefined && proveLessEqual(rangeSize(r), 1) !== true;
  });
  for (const e of st.inEdges(exit.id)) {
    const m = e.memlet;
    const writer = st.node(e.src);
    // A nested SDFG resolves the conflicts of its own writes (with wcr inside it), as DaCe's frontend emits them.
    if (writer?.kind === 'NestedSDFG') continue;
    // From an access node the memlet may name that node's data; the elements written outside are then otherSubset.
    const written = writer?.kind === 'AccessNode' && m.data === writer.data && m.otherSubset ? m.otherSubset : m.subset;
    const desc = st.desc(m.data);
    if (m.wcr || !written || !desc || desc.kind === 'Stream' || st.scopes.dstSide(e) !== entry.id) continue;
    const used = subsetFreeSymbols(written);
    const missing = params.filter((p) => !used.has(p));
    if (missing.length === 0) continue;
    const names = missing.map((p) => `'${p}'`).join(', ');
    yield edgeIssue(st, e, 'concurrent-write-without-wcr',
      `memlet ${memletText(m)} on edge ${describeEdge(st, e)} is written by every iteration of parallel ${describeNode(entry)} without write-conflict resolution: its subset does not depend on ${names}`,
      `index the written subset by ${names}, give the memlet a wcr (e.g. sum), or make the map Sequential`);
  }
}

interface Write { edge: Edge; writer: Node; subset: Subset; box: Box | undefined }

/** A subset with constant bounds as numbers per dimension (exclusive ends): overlap is then plain arithmetic. */
type Box = readonly (readonly [number, number])[];

function constantBox(s: Subset): Box | undefined {
  const box: [number, number][] = [];
  for (const r of s.ranges) {
    const [b, e, step] = [r.begin.constantValue(), r.end.constantValue(), r.step.constantValue()];
    if (b === undefined || e === undefined || (step !== 1 && e - b !== 1)) return undefined;
    box.push([b, e]);
  }
  return box;
}

/** Sure to share an element: for constant boxes by arithmetic, otherwise by symbolic proof. */
function overlaps(a: Write, b: Write): boolean {
  if (a.box && b.box) {
    return a.box.length === b.box.length && a.box.every(([lo, hi], d) => {
      const [lo2, hi2] = b.box![d]!;
      return lo < hi && lo2 < hi2 && lo < hi2 && lo2 < hi;
    });
  }
  return provablyOverlap(a.subset, b.subset);
}

function* unorderedWrites(st: StateInfo): Generator<ValidationError> {
  const groups = new Map<string, Write[]>();
  for (const e of st.validEdges()) {
    const dst = st.node(e.dst)!;
    if (dst.kind !== 'AccessNode' || e.memlet.data === null) continue;
    const desc = st.desc(dst.data);
    const subset = subsetOf(e.memlet, dst.data);
    if (!desc || desc.kind === 'Stream' || !subset) continue;
    const key = `${st.scopes.dstSide(e)}\u0000${dst.data}`;
    pushTo(groups, key, { edge: e, writer: st.node(e.src)!, subset, box: constantBox(subset) });
  }
  const below = new Map<number, Set<number>>();
  const descendants = (id: number): Set<number> => {
    let seen = below.get(id);
    if (seen) return seen;
    seen = new Set();
    const todo = [id];
    while (todo.length) for (const e of st.outEdges(todo.pop()!)) if (!seen.has(e.dst)) { seen.add(e.dst); todo.push(e.dst); }
    below.set(id, seen);
    return seen;
  };
  for (const writes of groups.values()) {
    for (let j = 1; j < writes.length; j++) {
      const b = writes[j]!;
      for (let i = 0; i < j; i++) {
        const a = writes[i]!;
        if (a.writer === b.writer || (a.edge.memlet.wcr && b.edge.memlet.wcr)) continue;
        if (!overlaps(a, b)) continue;
        if (descendants(a.writer.id).has(b.writer.id) || descendants(b.writer.id).has(a.writer.id)) continue;
        yield edgeIssue(st, b.edge, 'concurrent-write-without-wcr',
          `${describeNode(a.writer)} and ${describeNode(b.writer)} both write ${memletText(b.edge.memlet)} (edges ${describeEdge(st, a.edge)} and ${describeEdge(st, b.edge)}) with no path between them, so the order of the writes is undefined`,
          'order the writers (an empty memlet from one to the other, or separate states), or give both memlets a wcr');
        break;
      }
    }
  }
}

export const streamMisuse: ValidationRule = {
  name: 'stream-misuse',
  summary: 'streams are popped through dynamic memlets, consumed scopes read streams, and transient streams are both written and read',
  *check(ctx) {
    for (const st of ctx.states) {
      for (const e of st.validEdges()) {
        const dst = st.node(e.dst)!;
        if (e.memlet.dynamic || st.desc(e.memlet.data)?.kind !== 'Stream' || (dst.kind !== 'Tasklet' && dst.kind !== 'MapEntry')) continue;
        // Inside a consume scope each iteration is handed exactly one popped element.
        if (st.node(e.src)!.kind === 'ConsumeEntry') continue;
        yield edgeIssue(st, e, 'stream-misuse',
          `memlet ${memletText(e.memlet)} on edge ${describeEdge(st, e)} reads stream '${e.memlet.data}' into ${describeNode(dst)} without being dynamic`,
          'mark the memlet dynamic: how often a stream is popped is known only at run time');
      }
      for (const n of st.nodeList) {
        if (n.kind !== 'ConsumeEntry') continue;
        // The stream arrives on IN_<name> (IN_stream in DaCe); other inputs pass through like a map's.
        const inputs = st.inEdges(n.id).filter((e) => st.desc(e.memlet.data));
        if (inputs.some((e) => st.desc(e.memlet.data)!.kind === 'Stream')) continue;
        const first = inputs[0];
        if (!first) {
          yield nodeIssue(st, n, 'stream-misuse', `${describeNode(n)} has no input stream`,
            `connect the access node of the stream to consume to an IN_ connector of ${n.label}`);
        } else {
          const kind = st.desc(first.memlet.data)!.kind;
          yield edgeIssue(st, first, 'stream-misuse', `${describeNode(n)} consumes '${first.memlet.data}', which is ${kind === 'Array' ? 'an' : 'a'} ${kind}, not a Stream`,
            'connect a Stream container to the consume entry, or iterate over the data with a map');
        }
      }
    }
    for (const s of ctx.sdfgs) yield* unpairedStreams(s);
  },
};

/** A transient stream only written fills up and is lost; one only read waits forever. */
function* unpairedStreams(s: SdfgInfo): Generator<ValidationError> {
  const seen = new Map<string, { read: boolean; written: boolean; at: [StateInfo, Node] }>();
  for (const st of s.states) {
    for (const n of st.nodeList) {
      if (n.kind !== 'AccessNode') continue;
      const desc = st.desc(n.data);
      if (!desc || desc.kind !== 'Stream' || !desc.transient) continue;
      const use = seen.get(n.data) ?? { read: false, written: false, at: [st, n] as [StateInfo, Node] };
      seen.set(n.data, use);
      use.read ||= st.outEdges(n.id).some((e) => e.memlet.data !== null);
      use.written ||= st.inEdges(n.id).some((e) => e.memlet.data !== null);
    }
  }
  for (const [name, use] of seen) {
    if (use.read === use.written) continue;
    const [st, n] = use.at;
    yield use.written
      ? nodeIssue(st, n, 'stream-misuse', `transient stream '${name}' is written but never read in SDFG '${s.sdfg.name}'`,
        'read the stream (e.g. with a consume scope), or remove the writes')
      : nodeIssue(st, n, 'stream-misuse', `transient stream '${name}' is read but never written in SDFG '${s.sdfg.name}'`,
        'write to the stream before it is read, or make it non-transient so that the caller provides it');
  }
}
