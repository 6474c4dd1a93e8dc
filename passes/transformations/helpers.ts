// Scope surgery shared by the map transformations: finding maps, renaming parameters, moving edges and connectors.
import type { Memlet } from '../../graph/memlet.js';
import type { MapEntry, MapExit, MapScope, Node, ScopeEntry } from '../../graph/nodes.js';
import type { ControlFlowGraph, Edge, SDFG, State } from '../../graph/sdfg.js';
import { addInterstateEdge, addState } from '../../graph/construct.js';
import { allSDFGs, allStates, exitOf, nodeById, scopeChildren, scopeDict, scopeNodes } from '../../graph/query.js';
import { propagateMemletsInState } from '../../graph/propagate.js';
import { type Range, formatRange, subsSubset } from '../../graph/subsets.js';
import type { Expr } from '../../graph/symbolic.js';
import { InternalError } from '../../graph/errors.js';
import { substituteTaskletCode } from './helpers-tasklet.js';

/** A state and the SDFG that owns it (possibly nested inside the root). */
export interface StateRef {
  readonly sdfg: SDFG;
  readonly state: State;
}

/** A single map, by the id of its entry: the candidate of most map transformations. */
export interface MapCandidate extends StateRef {
  readonly entry: number;
}

/** Every state of the SDFG and of the SDFGs nested in it. */
export function* statesOf(root: SDFG): Generator<StateRef> {
  for (const sdfg of allSDFGs(root)) for (const state of allStates(sdfg)) yield { sdfg, state };
}

export function mapEntriesOf(state: State): MapEntry[] {
  return state.nodes.filter((n): n is MapEntry => n.kind === 'MapEntry');
}

/** Each map entry of every state, as a candidate. */
export function* mapCandidates(root: SDFG): Generator<MapCandidate> {
  for (const ref of statesOf(root)) for (const entry of mapEntriesOf(ref.state)) yield { ...ref, entry: entry.id };
}

/** The map entry and exit a candidate names, or a reason when they are gone. */
export function resolveMap(state: State, entryId: number): { entry: MapEntry; exit: MapExit } | string {
  const entry = nodeById(state, entryId);
  if (!entry || entry.kind !== 'MapEntry') return `node n${entryId} is not a map entry in state ${state.label}`;
  const exit = exitOf(state, entry);
  if (!exit || exit.kind !== 'MapExit') return `map ${entry.map.label} has no exit`;
  return { entry, exit };
}

/** The entry and exit of a map that is known to exist (after canApply). */
export function mustResolveMap(state: State, entryId: number): { entry: MapEntry; exit: MapExit } {
  const found = resolveMap(state, entryId);
  if (typeof found === 'string') throw new InternalError({ code: 'internal', message: found });
  return found;
}

/** "[i = 0:N, j = 0:M]". */
export function formatMapRanges(map: MapScope): string {
  return `[${map.params.map((p, d) => `${p} = ${formatRange(map.ranges[d]!)}`).join(', ')}]`;
}

export function describeMapCandidate(c: MapCandidate): string {
  const entry = nodeById(c.state, c.entry);
  return `${entry?.kind === 'MapEntry' ? entry.map.label : `n${c.entry}`} in state ${c.state.label}`;
}

export function rangesEqual(a: Range, b: Range): boolean {
  return a.begin.equals(b.begin) && a.end.equals(b.end) && a.step.equals(b.step);
}

// ---------------------------------------------------------------------------------------------------------------
// Scopes.

/** The id of the scope entry a node lives directly in (null at the top of the state). */
export function parentScopeOf(state: State, node: Node, dict = scopeDict(state)): number | null {
  return dict.get(node.id) ?? null;
}

/** The map directly nested in `entry` with nothing else beside it (the only child scope), if any. */
export function directlyNestedMap(state: State, entry: MapEntry, dict = scopeDict(state)): { entry: MapEntry; exit: MapExit } | undefined {
  const children = scopeChildren(state, entry.id, dict);
  const inner = children.filter((n) => n.kind === 'MapEntry');
  if (inner.length !== 1) return undefined;
  const innerEntry = inner[0] as MapEntry;
  const innerExit = exitOf(state, innerEntry);
  if (!innerExit || innerExit.kind !== 'MapExit') return undefined;
  // Only the inner entry and exit, connected to the outer entry and exit only.
  if (children.some((n) => n !== innerEntry && n !== innerExit)) return undefined;
  const outerExit = exitOf(state, entry)!;
  if (state.edges.some((e) => e.dst === innerEntry.id && e.src !== entry.id)) return undefined;
  if (state.edges.some((e) => e.src === innerExit.id && e.dst !== outerExit.id)) return undefined;
  if (state.edges.some((e) => e.src === entry.id && e.dst !== innerEntry.id)) return undefined;
  if (state.edges.some((e) => e.dst === outerExit.id && e.src !== innerExit.id)) return undefined;
  return { entry: innerEntry, exit: innerExit };
}

/** Nodes strictly inside a scope and the edges among them, including the edges leaving the entry and entering the exit. */
export function scopeContents(state: State, entry: ScopeEntry, dict = scopeDict(state)): { nodes: Node[]; edges: Edge[] } {
  const nodes = scopeNodes(state, entry, dict);
  const exit = exitOf(state, entry);
  const inside = new Set(nodes.map((n) => n.id));
  const edges = state.edges.filter((e) => (inside.has(e.src) || e.src === entry.id) && (inside.has(e.dst) || e.dst === exit?.id));
  return { nodes, edges };
}

function substituteMemlet(m: Memlet, bindings: Readonly<Record<string, Expr>>): Memlet {
  return {
    ...m,
    subset: m.subset ? subsSubset(m.subset, bindings) : null,
    otherSubset: m.otherSubset ? subsSubset(m.otherSubset, bindings) : null,
    volume: m.volume.subs(bindings),
  };
}

/**
 * Replace symbols inside a scope: in memlets, nested scope ranges, tasklet code (typed tasklet language
 * only; check `rawCodeReading` first) and nested SDFG symbol mappings.
 */
export function substituteInScope(state: State, entry: MapEntry, bindings: Readonly<Record<string, Expr>>, dict = scopeDict(state)): void {
  const { nodes, edges } = scopeContents(state, entry, dict);
  for (const e of edges) if (e.memlet.data !== null) e.memlet = substituteMemlet(e.memlet, bindings);
  const names = new Set(Object.keys(bindings));
  for (const n of nodes) {
    switch (n.kind) {
      case 'MapEntry': n.map.ranges = n.map.ranges.map((r) => ({ begin: r.begin.subs(bindings), end: r.end.subs(bindings), step: r.step.subs(bindings) })); break;
      case 'ConsumeEntry': n.consume.numPes = n.consume.numPes.subs(bindings); break;
      case 'Tasklet': {
        const code = substituteTaskletCode(n, bindings);
        if (code) n.code = code;
        break;
      }
      case 'NestedSDFG':
        for (const [k, v] of Object.entries(n.symbolMapping)) if ([...v.freeSymbols()].some((s) => names.has(s))) n.symbolMapping[k] = v.subs(bindings);
        break;
      case 'AccessNode': case 'MapExit': case 'ConsumeExit': case 'LibraryNode': break;
    }
  }
}

/** Raw-code tasklets inside a scope cannot have their names substituted: the reason, if any mention `names`. */
export function rawCodeReading(state: State, entry: MapEntry, names: readonly string[], dict = scopeDict(state)): string | undefined {
  for (const n of scopeNodes(state, entry, dict)) {
    if (n.kind !== 'Tasklet' || n.code.language === 'tasklet') continue;
    const source = n.code.source;
    const used = names.filter((name) => new RegExp(`\\b${name}\\b`).test(source));
    if (used.length) return `tasklet ${n.label} is raw ${n.code.language} code that uses ${used.join(', ')}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Connectors and edges.

/** A connector base name free on a scope node: `IN_<name>`/`OUT_<name>` unused. */
export function freshConnector(node: Node, base: string): string {
  let name = base;
  for (let k = 1; `IN_${name}` in node.inConnectors || `OUT_${name}` in node.outConnectors; k++) name = `${base}_${k}`;
  return name;
}

export function addConnectorPair(node: Node, name: string): void {
  node.inConnectors[`IN_${name}`] = null;
  node.outConnectors[`OUT_${name}`] = null;
}

/** Drop the IN_/OUT_ connectors of a scope node that no edge uses any more. */
export function pruneConnectors(state: State, node: Node): void {
  const used = new Set<string>();
  for (const e of state.edges) {
    if (e.dst === node.id && e.dstConn) used.add(e.dstConn);
    if (e.src === node.id && e.srcConn) used.add(e.srcConn);
  }
  for (const c of Object.keys(node.inConnectors)) if (!used.has(c)) delete node.inConnectors[c];
  for (const c of Object.keys(node.outConnectors)) if (!used.has(c)) delete node.outConnectors[c];
}

/** Whether `to` can be reached from `from` along edges, skipping the edges in `skip`. */
export function reaches(state: State, from: number, to: number, skip: ReadonlySet<Edge> = new Set()): boolean {
  const seen = new Set<number>([from]);
  const todo = [from];
  while (todo.length) {
    const id = todo.pop()!;
    for (const e of state.edges) {
      if (e.src !== id || skip.has(e)) continue;
      if (e.dst === to) return true;
      if (!seen.has(e.dst)) { seen.add(e.dst); todo.push(e.dst); }
    }
  }
  return false;
}

/** Data names written through a scope exit, and read through a scope entry (from its outer edges). */
export function scopeData(state: State, node: Node, side: 'in' | 'out'): Set<string> {
  const names = new Set<string>();
  for (const e of state.edges) {
    if (e.memlet.data === null) continue;
    if (side === 'in' ? e.dst === node.id : e.src === node.id) names.add(e.memlet.data);
  }
  return names;
}

/** Memlets of the inner edges of a scope that touch `data` (reads leave the entry, writes enter the exit). */
export function innerMemlets(state: State, node: ScopeEntry | Node, data: string, side: 'entry' | 'exit'): Edge[] {
  return state.edges.filter((e) => e.memlet.data === data && (side === 'entry' ? e.src === node.id : e.dst === node.id));
}

/** A container name not yet used in the SDFG. */
export function freshDataName(sdfg: SDFG, base: string): string {
  let name = base;
  for (let k = 1; name in sdfg.arrays || name in sdfg.symbols; k++) name = `${base}_${k}`;
  return name;
}

/** A symbol name unused by the SDFG's symbols, containers and constants, and by the map parameters of `state`. */
export function freshSymbolName(sdfg: SDFG, state: State, base: string): string {
  const taken = new Set([...Object.keys(sdfg.symbols), ...Object.keys(sdfg.arrays), ...Object.keys(sdfg.constants)]);
  for (const n of state.nodes) if (n.kind === 'MapEntry') n.map.params.forEach((p) => taken.add(p));
  let name = base;
  for (let k = 1; taken.has(name); k++) name = `${base}_${k}`;
  return name;
}

/** Every access node of `data` in every state of the SDFG (not nested ones). */
export function accessCount(sdfg: SDFG, data: string): number {
  let count = 0;
  for (const state of allStates(sdfg)) for (const n of state.nodes) if (n.kind === 'AccessNode' && n.data === data) count++;
  return count;
}

/** Recompute the outer memlets of every scope in a state. */
export function repropagate(sdfg: SDFG, state: State): void {
  propagateMemletsInState(sdfg, state);
}

// ---------------------------------------------------------------------------------------------------------------
// Control flow.

/** The control-flow graph (SDFG or region) that holds a block directly. */
export function parentGraphOf(cfg: ControlFlowGraph, state: State): ControlFlowGraph | undefined {
  if (cfg.blocks.includes(state)) return cfg;
  for (const block of cfg.blocks) {
    switch (block.kind) {
      case 'State': break;
      case 'LoopRegion': case 'ControlFlowRegion': {
        const found = parentGraphOf(block, state);
        if (found) return found;
        break;
      }
      case 'ConditionalBlock':
        for (const b of block.branches) {
          const found = parentGraphOf(b.body, state);
          if (found) return found;
        }
        break;
    }
  }
  return undefined;
}

/** A new empty state that runs right before `state` (every edge into `state` now enters it). */
export function insertStateBefore(sdfg: SDFG, state: State, label: string): State {
  const cfg = parentGraphOf(sdfg, state);
  if (!cfg) throw new InternalError({ code: 'internal', message: `state ${state.label} is not in SDFG ${sdfg.name}` });
  const before = addState(cfg, label);
  for (const e of cfg.edges) if (e.dst === state.id) e.dst = before.id;
  if (cfg.startBlock === state.id) cfg.startBlock = before.id;
  addInterstateEdge(cfg, before, state);
  // Keep the blocks in execution order for readers of the printed graph.
  cfg.blocks.splice(cfg.blocks.indexOf(before), 1);
  cfg.blocks.splice(cfg.blocks.indexOf(state), 0, before);
  return before;
}


// ---------------------------------------------------------------------------------------------------------------
// Iteration order.

/**
 * Why the iterations of a Sequential (or Unrolled) map may depend on each other, if they may: a write
 * without wcr that every iteration repeats, or a container read and written at different elements.
 * Parallel maps promise independent iterations, so reordering them is always allowed.
 */
export function carriedDependence(state: State, entry: MapEntry, exit: MapExit): string | undefined {
  const map = entry.map;
  if (map.schedule !== 'Sequential' && map.schedule !== 'Unrolled') return undefined;
  const writes = state.edges.filter((e) => e.dst === exit.id && e.memlet.data !== null && e.memlet.subset);
  for (const w of writes) {
    if (w.memlet.wcr) continue;
    const used = new Set([...w.memlet.subset!.ranges.flatMap((r) => [...r.begin.freeSymbols(), ...r.end.freeSymbols()])]);
    const missing = map.params.find((p) => !used.has(p));
    if (missing !== undefined) return `${map.label} is ${map.schedule} and every value of ${missing} writes ${w.memlet.data} at the same place`;
  }
  const reads = state.edges.filter((e) => e.src === entry.id && e.memlet.data !== null && e.memlet.subset);
  for (const r of reads) {
    for (const w of writes) {
      if (w.memlet.data !== r.memlet.data) continue;
      const same = r.memlet.subset!.ranges.length === w.memlet.subset!.ranges.length
        && r.memlet.subset!.ranges.every((rr, d) => rangesEqual(rr, w.memlet.subset!.ranges[d]!));
      if (!same) return `${map.label} is ${map.schedule} and reads ${r.memlet.data} where other iterations write it`;
    }
  }
  return undefined;
}
