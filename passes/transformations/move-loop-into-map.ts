// MoveLoopIntoMap: a sequential loop whose body is one map becomes that map around the loop. `for t: map i: f(i, t)`
// turns into `map i: for t: f(i, t)` (the loop in a nested SDFG) when the iterations of the map touch disjoint parts
// of everything they write: each i then runs its own recurrence, with one parallel region instead of one per t.
import { cloneDataDesc } from '../../graph/clone.js';
import { addEdge, addNode, addState, createSDFG } from '../../graph/construct.js';
import { dataShape } from '../../graph/data.js';
import { emptyMemlet, makeMemlet, type Memlet } from '../../graph/memlet.js';
import type { MapEntry, MapExit, MapScope, NestedSDFG } from '../../graph/nodes.js';
import { blockById, exitOf, scopeDict, walkBlocks } from '../../graph/query.js';
import type { ControlFlowGraph, Edge, LoopRegion, SDFG, State } from '../../graph/sdfg.js';
import { beginsAffineIn, fullSubset, rangeSize } from '../../graph/subsets.js';
import { type Expr, sym } from '../../graph/symbolic.js';
import { i64 } from '../../graph/dtypes.js';
import { namesRead } from '../../graph/tasklet-ast.js';
import { defineTransformation } from '../framework.js';
import { addConnectorPair, repropagate } from './helpers.js';
import { addMapNodes, dissolveMap } from './helpers-scope.js';
import { symbolUseOutside } from './loop-to-map.js';
import { controlFlowGraphs } from './state-fusion.js';

interface LoopCandidate {
  readonly sdfg: SDFG;
  readonly cfg: ControlFlowGraph;
  readonly loop: number;
}

interface Shape {
  readonly loop: LoopRegion;
  readonly state: State;
  readonly entry: MapEntry;
  readonly exit: MapExit;
}

function* candidates(root: SDFG): Generator<LoopCandidate> {
  for (const { sdfg, cfg } of controlFlowGraphs(root)) {
    for (const block of cfg.blocks) if (block.kind === 'LoopRegion') yield { sdfg, cfg, loop: block.id };
  }
}

/** The loop, its one state and the one map in it; or why the loop does not have that shape. */
function shapeOf(c: LoopCandidate): Shape | string {
  const loop = blockById(c.cfg, c.loop);
  if (!loop || loop.kind !== 'LoopRegion') return `block ${c.loop} is not a loop`;
  if (loop.loopVariable === null) return `loop ${loop.label} has no loop variable`;
  const [state, ...others] = loop.blocks;
  if (!state || others.length > 0 || state.kind !== 'State' || loop.edges.length > 0) return `the body of loop ${loop.label} is not a single state`;
  const dict = scopeDict(state);
  const top = state.nodes.filter((n) => (dict.get(n.id) ?? null) === null);
  const entries = top.filter((n): n is MapEntry => n.kind === 'MapEntry');
  if (entries.length !== 1) return `the body of loop ${loop.label} holds ${entries.length} maps at its top level, not one`;
  const entry = entries[0]!;
  const exit = exitOf(state, entry);
  if (!exit || exit.kind !== 'MapExit') return `map ${entry.map.label} has no exit`;
  const stray = top.find((n) => n !== entry && n !== exit && n.kind !== 'AccessNode');
  if (stray) return `the body of loop ${loop.label} computes outside map ${entry.map.label} (${stray.label})`;
  const copy = state.edges.find((e) => e.src !== exit.id && e.dst !== entry.id && (dict.get(e.src) ?? null) === null && (dict.get(e.dst) ?? null) === null);
  if (copy) return `the body of loop ${loop.label} copies ${copy.memlet.data ?? 'nothing'} outside map ${entry.map.label}`;
  return { loop, state, entry, exit };
}

/** Edges inside the map's scope (below its entry and above its exit) that name `data`. */
function memletsInsideMap(state: State, entry: MapEntry, exit: MapExit, data: string): Edge[] {
  return state.edges.filter((e) => e.memlet.data === data && e.src !== exit.id && e.dst !== entry.id);
}

/**
 * A dimension and map parameter that partition every access to a written container: the same single index
 * `c·p + rest` (c a nonzero constant, rest free of the map's parameters and of the loop variable) in every memlet.
 */
function partitions(memlets: readonly Edge[], params: readonly string[], loopVariable: string): boolean {
  const first = memlets[0]?.memlet.subset;
  if (!first || memlets.some((e) => e.memlet.dynamic || !e.memlet.subset || e.memlet.subset.ranges.length !== first.ranges.length)) return false;
  return first.ranges.some((r, d) => {
    if (!rangeSize(r).equals(1)) return false;
    const key = r.begin.key;
    if (!memlets.every((e) => { const x = e.memlet.subset!.ranges[d]!; return x.begin.key === key && rangeSize(x).equals(1); })) return false;
    return params.some((p) => beginsAffineIn(r, p, new Set([...params.filter((q) => q !== p), loopVariable])));
  });
}

export interface MoveLoopIntoMapOptions {
  /**
   * Refuse where a map parameter indexes the last (contiguous) dimension of written data: the loop would then walk
   * memory with a stride while the map now walks it in order. Default true.
   */
  readonly keepContiguous: boolean;
}

function canApply(_sdfg: SDFG, c: LoopCandidate, options: MoveLoopIntoMapOptions): true | string {
  const shape = shapeOf(c);
  if (typeof shape === 'string') return shape;
  const { loop, state, entry, exit } = shape;
  const v = loop.loopVariable!;
  const map = entry.map;
  const header = new Set<string>();
  for (const e of [loop.init, loop.condition, loop.update]) if (e) namesRead(e, header);
  const data = [...header].find((n) => n in c.sdfg.arrays);
  if (data !== undefined) return `the header of loop ${loop.label} reads ${data}`;
  if (map.ranges.some((r) => [r.begin, r.end, r.step].some((x) => x.freeSymbols().has(v)))) return `the range of map ${map.label} depends on ${v}`;
  const written = new Set(state.edges.filter((e) => e.src === exit.id && e.memlet.data !== null).map((e) => e.memlet.data!));
  for (const data of written) {
    const desc = c.sdfg.arrays[data];
    if (!desc || desc.kind !== 'Array') return `map ${map.label} writes ${data}, which is not an array`;
    const memlets = memletsInsideMap(state, entry, exit, data);
    if (memlets.some((e) => e.memlet.wcr)) return `map ${map.label} writes ${data} with a write-conflict resolution`;
    if (!partitions(memlets, map.params, v)) {
      return `the iterations of map ${map.label} do not touch disjoint parts of ${data}: ${v} would carry values between them`;
    }
  }
  if (options.keepContiguous) {
    // A memlet that the loop moves along an outer dimension while a map parameter picks the contiguous one.
    for (const e of state.edges) {
      if (e.memlet.data === null || !e.memlet.subset || e.src === exit.id || e.dst === entry.id) continue;
      const ranges = e.memlet.subset.ranges;
      const last = ranges[ranges.length - 1]!;
      const p = map.params.find((q) => last.begin.freeSymbols().has(q));
      const walks = ranges.slice(0, -1).some((r) => r.begin.freeSymbols().has(v));
      if (p !== undefined && walks) return `${p} indexes the contiguous dimension of ${e.memlet.data}: the loop over ${v} would stride through memory`;
    }
  }
  return true;
}

/** Replace the loop by a state holding the map around a nested SDFG that runs the loop over the map's body. */
function apply(sdfg: SDFG, c: LoopCandidate): void {
  const { loop, state, entry, exit } = shapeOf(c) as Shape;
  const v = loop.loopVariable!;
  const scope: MapScope = { ...entry.map, params: [...entry.map.params], ranges: [...entry.map.ranges] };
  const used = new Set(state.edges.flatMap((e) => (e.memlet.data === null ? [] : [e.memlet.data])));
  const reads = new Set(state.edges.filter((e) => e.dst === entry.id && e.memlet.data !== null).map((e) => e.memlet.data!));
  const writes = new Set(state.edges.filter((e) => e.src === exit.id && e.memlet.data !== null).map((e) => e.memlet.data!));

  // The nested SDFG: the loop itself, its map dissolved, over the outer containers (passed whole) and symbols.
  const inner = createSDFG(`${loop.label}_${scope.params.join('_')}`, loop.loc);
  for (const data of [...used].sort()) inner.arrays[data] = { ...cloneDataDesc(sdfg.arrays[data]!), transient: false };
  inner.argNames = [...used].sort();
  inner.constants = { ...sdfg.constants };
  dissolveMap(state, entry, exit);
  const position = c.cfg.blocks.indexOf(loop);
  c.cfg.blocks = c.cfg.blocks.filter((b) => b !== loop);
  inner.blocks.push(loop);
  inner.startBlock = loop.id;
  inner.nextBlockId = loop.id + 1;
  // Its symbols: the loop variable (set inside), the map's parameters, and the outer symbols it reads.
  const symbolMapping: Record<string, Expr> = {};
  const shapeSymbols = new Set(Object.values(inner.arrays).flatMap((desc) => dataShape(desc).flatMap((x) => [...x.freeSymbols()])));
  for (const [name, dtype] of Object.entries(sdfg.symbols)) {
    if (name === v) inner.symbols[name] = dtype;
    else if (shapeSymbols.has(name) || symbolUseOutside(inner, name, null) !== undefined) {
      inner.symbols[name] = dtype;
      symbolMapping[name] = sym(name);
    }
  }
  for (const p of scope.params) {
    inner.symbols[p] = i64;
    symbolMapping[p] = sym(p);
  }

  // The outer state, where the loop was.
  const outer = addState(c.cfg, `${loop.label}_in_${scope.label}`);
  // Where the loop was, for readers of the printed graph.
  c.cfg.blocks.splice(c.cfg.blocks.indexOf(outer), 1);
  c.cfg.blocks.splice(position, 0, outer);
  for (const e of c.cfg.edges) {
    if (e.src === loop.id) e.src = outer.id;
    if (e.dst === loop.id) e.dst = outer.id;
  }
  if (c.cfg.startBlock === loop.id) c.cfg.startBlock = outer.id;
  const { entry: outerEntry, exit: outerExit } = addMapNodes(outer, scope, entry);
  const node = addNode(outer, {
    kind: 'NestedSDFG', label: inner.name, sdfg: inner, symbolMapping,
    inConnectors: Object.fromEntries([...reads].sort().map((d) => [d, null])),
    outConnectors: Object.fromEntries([...writes].sort().map((d) => [d, null])),
    ...(loop.loc ? { loc: loop.loc } : {}),
  } as Omit<NestedSDFG, 'id'>);
  const whole = (data: string): Memlet => makeMemlet(data, fullSubset(dataShape(sdfg.arrays[data]!)));
  for (const data of [...reads].sort()) {
    addConnectorPair(outerEntry, data);
    const access = addNode(outer, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {} });
    addEdge(outer, access, null, outerEntry, `IN_${data}`, whole(data));
    addEdge(outer, outerEntry, `OUT_${data}`, node, data, whole(data));
  }
  if (reads.size === 0) addEdge(outer, outerEntry, null, node, null, emptyMemlet());
  for (const data of [...writes].sort()) {
    addConnectorPair(outerExit, data);
    const access = addNode(outer, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {} });
    addEdge(outer, node, data, outerExit, `IN_${data}`, whole(data));
    addEdge(outer, outerExit, `OUT_${data}`, access, null, whole(data));
  }
  repropagate(sdfg, outer);
  // The loop variable now lives in the nested SDFG; outside, a symbol nobody sets would look like a parameter.
  const boundElsewhere = [...walkBlocks(sdfg)].some((b) => b.kind === 'LoopRegion' && b.loopVariable === v);
  if (!boundElsewhere && symbolUseOutside(sdfg, v, null) === undefined) delete sdfg.symbols[v];
}

export const moveLoopIntoMap = defineTransformation<LoopCandidate, MoveLoopIntoMapOptions>({
  name: 'MoveLoopIntoMap',
  summary: 'Move a sequential loop whose body is one map into that map (a nested SDFG per iteration), when the map\'s iterations write disjoint data',
  modifies: ['control-flow', 'nodes', 'edges', 'memlets', 'descriptors', 'symbols'],
  defaults: { keepContiguous: true },
  candidates: (sdfg) => candidates(sdfg),
  canApply,
  apply,
  describe: (c) => {
    const loop = blockById(c.cfg, c.loop);
    return loop ? `loop ${loop.label}` : `block ${c.loop}`;
  },
});
