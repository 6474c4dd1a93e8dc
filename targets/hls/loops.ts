// Pipelining decisions read off the graph: which map loops are pipelined or unrolled, which conflict-resolved writes
// accumulate in interleaved partial results, and the initiation interval each pipelined loop can reach.
import { type DType, isFloat } from '../../graph/dtypes.js';
import type { Wcr } from '../../graph/memlet.js';
import type { ConsumeEntry, MapEntry, MapScope, Node, Tasklet } from '../../graph/nodes.js';
import { inEdges, outEdges, scopeChildren, scopeNodes } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import { isIndex, rangeSize, subsetFreeSymbols } from '../../graph/subsets.js';
import { forEachStmt, type TExpr, type TStmt } from '../../graph/tasklet-ast.js';

/** A conflict-resolved write kept in on-chip partial results over the map's innermost (reduction) loops. */
export interface Accumulation {
  readonly tasklet: Tasklet;
  readonly edge: Edge;
  readonly wcr: Wcr & { op: 'sum' | 'product' | 'min' | 'max' };
  /** The container's element type: partial results are kept in it. */
  readonly dtype: DType;
  /** Index of the map parameter whose loop the partial results are declared before (reduction loops follow). */
  readonly firstParam: number;
  /** Interleaved partial results: consecutive iterations combine into different ones, so the combine's latency hides. */
  readonly partials: number;
  readonly latency: number;
}

export interface LoopInfo {
  readonly unrolled: boolean;
  /** The innermost loop carries PIPELINE II=1. */
  readonly pipelined: boolean;
  /** Estimated initiation interval of the pipelined loop (null when not pipelined). */
  readonly ii: number | null;
  /** Why the interval is what it is (or why the loop is not pipelined). */
  readonly notes: readonly string[];
  readonly accumulations: readonly Accumulation[];
}

/** Cycles one combine of a resolution takes in hardware (typical Vitis HLS floating-point cores near 300 MHz). */
export function combineLatency(op: Wcr['op'], t: DType): number {
  if (!isFloat(t)) return 1;
  if (op === 'min' || op === 'max') return 2;
  if (op === 'custom') return t.bytes === 8 ? 8 : 5;
  return t.bytes === 8 ? (op === 'sum' ? 7 : 6) : (op === 'sum' ? 4 : 3);
}

export const isUnrolledMap = (map: MapScope): boolean => map.schedule === 'Unrolled' || map.unroll;

/** The constant trip count of a map (all dimensions), or undefined. */
export function constantTrips(map: MapScope): number | undefined {
  let trips = 1;
  for (const r of map.ranges) {
    const n = rangeSize(r).constantValue();
    if (n === undefined) return undefined;
    trips *= Math.max(n, 0);
  }
  return trips;
}

/** Whether a statement list holds a loop whose bounds are not literal numbers (HLS cannot unroll it in a pipeline). */
export function hasVariableLoop(body: readonly TStmt[]): boolean {
  let found = false;
  forEachStmt(body, (s) => {
    if (s.k === 'for' && ![s.begin, s.end, s.step].every((e) => e.k === 'num' || (e.k === 'unary' && e.arg.k === 'num'))) found = true;
  });
  return found;
}

const taskletBody = (t: Tasklet): readonly TStmt[] => (t.code.language === 'tasklet' ? t.code.body : []);

/** Why the scope of `entry` cannot be one pipelined loop body, if it cannot. */
function notPipelineable(state: State, entry: MapEntry | ConsumeEntry, dict: Map<number, number | null>): string | undefined {
  for (const n of scopeNodes(state, entry, dict)) {
    if (n.kind === 'ConsumeEntry') return `it holds the consume scope ${n.consume.label}`;
    if (n.kind === 'MapEntry' && !(isUnrolledMap(n.map) && constantTrips(n.map) !== undefined)) return `it holds the loop of map ${n.map.label}, which is pipelined instead`;
    if (n.kind === 'Tasklet' && hasVariableLoop(taskletBody(n))) return `tasklet ${n.label} has a loop with data-dependent bounds (that loop is pipelined instead)`;
  }
  return undefined;
}

/** How often a tasklet body names an array connector with an index (at least once when it names it at all). */
function indexUses(body: readonly TStmt[], name: string): number {
  let count = 0;
  const visit = (e: TExpr): void => {
    switch (e.k) {
      case 'index': if (e.name === name) count++; e.indices.forEach(visit); break;
      case 'unary': case 'cast': visit(e.arg); break;
      case 'binary': visit(e.lhs); visit(e.rhs); break;
      case 'ternary': visit(e.cond); visit(e.then); visit(e.else); break;
      case 'call': e.args.forEach(visit); break;
      case 'num': case 'bool': case 'name': break;
    }
  };
  forEachStmt(body, (s) => {
    if (s.k === 'assign') { visit(s.target); visit(s.value); }
    if (s.k === 'let') visit(s.value);
    if (s.k === 'if') visit(s.cond);
    if (s.k === 'for') [s.begin, s.end, s.step].forEach(visit);
  });
  return Math.max(count, 1);
}

const isSingle = (e: Edge): boolean => e.memlet.subset !== null && e.memlet.subset.ranges.every(isIndex);

/** Conflict-resolved writes of the tasklets directly inside a pipelined map that can accumulate on chip. */
function accumulationsOf(sdfg: SDFG, state: State, entry: MapEntry, dict: Map<number, number | null>): Accumulation[] {
  const params = entry.map.params;
  const scope = new Set(scopeNodes(state, entry, dict).map((n) => n.id));
  const found: Accumulation[] = [];
  for (const t of scopeChildren(state, entry.id, dict)) {
    if (t.kind !== 'Tasklet') continue;
    const edges = outEdges(state, t).filter((e) => e.memlet.data !== null);
    for (const e of edges) {
      const wcr = e.memlet.wcr;
      const desc = sdfg.arrays[e.memlet.data!];
      if (!wcr || wcr.op === 'custom' || e.memlet.dynamic || !isSingle(e) || !desc || desc.kind === 'Stream') continue;
      if (edges.filter((x) => x.srcConn === e.srcConn).length > 1) continue;
      // Read inside the loop too: the partial results would hide the updates from those reads.
      if (state.edges.some((x) => x.memlet.data === e.memlet.data && scope.has(x.dst) && !scope.has(x.src))) continue;
      const used = subsetFreeSymbols(e.memlet.subset!);
      let first = params.length;
      while (first > 0 && !used.has(params[first - 1]!)) first--;
      if (first === params.length) continue;
      const latency = combineLatency(wcr.op, desc.dtype);
      let partials = 1;
      while (partials < latency) partials *= 2;
      found.push({ tasklet: t, edge: e, wcr: wcr as Accumulation['wcr'], dtype: desc.dtype, firstParam: first, partials, latency });
    }
  }
  return found;
}

/** Per-container accesses of one iteration of a pipelined body, counting unrolled copies. */
function accessesPerIteration(sdfg: SDFG, state: State, entry: MapEntry | ConsumeEntry, dict: Map<number, number | null>, accumulated: ReadonlySet<Edge>): Map<string, { reads: number; writes: number }> {
  const counts = new Map<string, { reads: number; writes: number }>();
  const bump = (data: string, side: 'reads' | 'writes', by: number): void => {
    const c = counts.get(data) ?? { reads: 0, writes: 0 };
    c[side] += by;
    counts.set(data, c);
  };
  const copiesOf = (n: Node): number => {
    let copies = 1;
    for (let p = dict.get(n.id) ?? null; p !== null && p !== entry.id; p = dict.get(p) ?? null) {
      const m = state.nodes.find((x) => x.id === p);
      if (m?.kind === 'MapEntry') copies *= constantTrips(m.map) ?? 1;
    }
    return copies;
  };
  for (const t of scopeNodes(state, entry, dict)) {
    if (t.kind !== 'Tasklet') continue;
    const body = taskletBody(t), copies = copiesOf(t);
    for (const e of inEdges(state, t)) if (e.memlet.data) bump(e.memlet.data, 'reads', copies * (isSingle(e) ? 1 : indexUses(body, e.dstConn ?? '')));
    for (const e of outEdges(state, t)) if (e.memlet.data && !accumulated.has(e)) bump(e.memlet.data, 'writes', copies * (isSingle(e) ? 1 : indexUses(body, e.srcConn ?? '')));
  }
  void sdfg;
  return counts;
}

/** The interval a pipelined body can reach, with the reasons it is above 1. */
function estimateInterval(sdfg: SDFG, state: State, entry: MapEntry | ConsumeEntry, dict: Map<number, number | null>, accumulations: readonly Accumulation[]): { ii: number; notes: string[] } {
  let ii = 1;
  const notes: string[] = [];
  const raise = (to: number, why: string): void => {
    if (to > 1) notes.push(`II ≥ ${to}: ${why}`);
    ii = Math.max(ii, to);
  };
  const accumulated = new Set(accumulations.map((a) => a.edge));
  for (const a of accumulations) {
    const over = entry.kind === 'MapEntry' ? entry.map.params.slice(a.firstParam).join(', ') : '';
    notes.push(`${a.tasklet.label} accumulates into ${a.edge.memlet.data} over ${over} in ${a.partials} interleaved partial result${a.partials > 1 ? 's' : ''} (combine latency ${a.latency})`);
  }
  for (const [data, { reads, writes }] of accessesPerIteration(sdfg, state, entry, dict, accumulated)) {
    const desc = sdfg.arrays[data];
    if (!desc) continue;
    if (desc.storage === 'FPGA_Global') raise(Math.max(reads, writes), `${Math.max(reads, writes)} ${reads >= writes ? 'reads' : 'writes'} of ${data} per iteration share its m_axi port`);
    else if (desc.kind === 'Stream') raise(Math.max(reads, writes), `stream ${data} is ${reads >= writes ? 'read' : 'written'} ${Math.max(reads, writes)} times per iteration`);
    else if (desc.kind === 'Array' && desc.storage === 'FPGA_Local') raise(Math.ceil((reads + writes) / 2), `${reads + writes} accesses of the on-chip buffer ${data} per iteration share its two ports`);
  }
  const inner = entry.kind === 'MapEntry' ? entry.map.params[entry.map.params.length - 1] : undefined;
  for (const t of scopeNodes(state, entry, dict)) {
    if (t.kind !== 'Tasklet') continue;
    for (const e of outEdges(state, t)) {
      const wcr = e.memlet.wcr;
      if (!wcr || accumulated.has(e) || !e.memlet.data || !e.memlet.subset) continue;
      const latency = combineLatency(wcr.op, sdfg.arrays[e.memlet.data]?.dtype ?? { kind: 'float', bytes: 8 } as DType);
      if (e.memlet.dynamic || !isSingle(e)) raise(latency, `${e.memlet.data} is updated at data-dependent elements (read-modify-write, combine latency ${latency})`);
      else if (inner === undefined || !subsetFreeSymbols(e.memlet.subset).has(inner)) raise(latency, `every iteration updates the same element of ${e.memlet.data} (combine latency ${latency})`);
    }
  }
  return { ii, notes };
}

/** How a map's loops are printed, and what the pipelined one is expected to reach. */
export function analyzeMap(sdfg: SDFG, state: State, entry: MapEntry, dict: Map<number, number | null>): LoopInfo {
  if (isUnrolledMap(entry.map)) return { unrolled: true, pipelined: false, ii: null, notes: ['unrolled'], accumulations: [] };
  const why = notPipelineable(state, entry, dict);
  if (why) return { unrolled: false, pipelined: false, ii: null, notes: [`not pipelined: ${why}`], accumulations: [] };
  const accumulations = accumulationsOf(sdfg, state, entry, dict);
  const { ii, notes } = estimateInterval(sdfg, state, entry, dict, accumulations);
  return { unrolled: false, pipelined: true, ii, notes, accumulations };
}

/** A consume loop is pipelined like a map whose body has no nested loops. */
export function analyzeConsume(sdfg: SDFG, state: State, entry: ConsumeEntry, dict: Map<number, number | null>): LoopInfo {
  const why = notPipelineable(state, entry, dict);
  if (why) return { unrolled: false, pipelined: false, ii: null, notes: [`not pipelined: ${why}`], accumulations: [] };
  const { ii, notes } = estimateInterval(sdfg, state, entry, dict, []);
  return { unrolled: false, pipelined: true, ii, notes, accumulations: [] };
}
