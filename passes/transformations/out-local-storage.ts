// OutLocalStorage: what an inner map writes for one iteration of its outer map goes to a small scope-local
// buffer first, copied out to the container after the inner map: `inner exit -> buf -> outer exit -> X`.
//
// The copy-out writes the whole tile, so the inner map must write every element of it (checked on the
// innermost memlets: each dimension is fixed, or one unit-step map parameter plus a constant) and no write may
// resolve conflicts (the buffer would start empty). Also holds what InLocalStorage shares: candidates, the
// buffer's size (an upper bound of the tile size free of the enclosing map parameters) and the rewriting.
import { addEdge, addNode, removeEdge } from '../../graph/construct.js';
import { makeArray } from '../../graph/data.js';
import { makeMemlet } from '../../graph/memlet.js';
import type { MapEntry, MapExit, Node } from '../../graph/nodes.js';
import { isScopeExit } from '../../graph/nodes.js';
import { paramAssumptions, propagateMemletsInState, propagateSubset, propagateVolume } from '../../graph/propagate.js';
import { entryOf, memletPath, nodeById, scopeDict } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import { type Subset, boundingUnion, fullSubset, offsetSubset, rangeSize } from '../../graph/subsets.js';
import { dataShape } from '../../graph/data.js';
import { type Expr, ONE, int, sym, termExpr } from '../../graph/symbolic.js';
import { type Assumptions, bounds } from '../../graph/symbolic-compare.js';
import { defineTransformation } from '../framework.js';
import { freshConnector, freshDataName, pruneConnectors, statesOf } from './helpers.js';
import { memletTree } from './redundant-array-removal.js';

/** An edge between two map nodes: entry → nested entry (reads), or nested exit → exit (writes). */
export interface ScopeEdgeCandidate {
  readonly sdfg: SDFG;
  readonly state: State;
  readonly edge: number;
}

/** "A on e4 in state s0". */
export function describeScopeEdge(c: ScopeEdgeCandidate): string {
  const e = c.state.edges.find((x) => x.id === c.edge);
  return `${e?.memlet.data ?? '?'} on e${c.edge} in state ${c.state.label}`;
}

export interface LocalStorageOptions {
  /** Only buffer this container ('' for any). */
  readonly array: string;
}

export function* scopeEdgeCandidates(root: SDFG, side: 'entry' | 'exit'): Generator<ScopeEdgeCandidate> {
  for (const { sdfg, state } of statesOf(root)) {
    for (const e of state.edges) {
      const [src, dst] = [nodeById(state, e.src), nodeById(state, e.dst)];
      const kind = side === 'entry' ? 'MapEntry' : 'MapExit';
      if (src?.kind === kind && dst?.kind === kind && e.memlet.data !== null) yield { sdfg, state, edge: e.id };
    }
  }
}

/**
 * Whether the memlets reaching `edge` from inside (backwards through exits) write exactly the subset the edge
 * names: a single innermost write whose every dimension is parameter-free or one unit-step parameter plus a constant.
 */
export function writesExactly(state: State, edge: Edge): boolean {
  const tree = memletTree(state, edge, 'backward');
  const leaves = tree.filter((e) => {
    const src = nodeById(state, e.src);
    return !(src && isScopeExit(src) && e.srcConn?.startsWith('OUT_'));
  });
  if (leaves.length !== 1) return false;
  const leaf = leaves[0]!;
  if (leaf.memlet.dynamic || !leaf.memlet.subset) return false;
  const steps = new Map<string, Expr>();
  for (const e of tree) {
    const src = nodeById(state, e.src);
    if (src?.kind !== 'MapExit') continue;
    src.map.params.forEach((p, d) => steps.set(p, src.map.ranges[d]!.step));
  }
  const used = new Set<string>();
  const isParam = (s: string): boolean => steps.has(s);
  for (const r of leaf.memlet.subset.ranges) {
    const params = new Set([...r.begin.freeSymbols(), ...r.end.freeSymbols()].filter(isParam));
    if (params.size === 0) continue;
    const [p] = [...params] as [string];
    if (params.size !== 1 || used.has(p) || !steps.get(p)!.equals(ONE) || !r.end.sub(r.begin).equals(ONE)) return false;
    // `p + c` only: any other use of a parameter (2*p, p*q) may skip elements.
    if ([...r.begin.sub(sym(p)).freeSymbols()].some(isParam)) return false;
    used.add(p);
  }
  return true;
}

/** Bounds of the parameters of `entry` and every map around it. */
export function enclosingAssumptions(state: State, entry: Node): { assumptions: Assumptions; params: Set<string> } {
  const dict = scopeDict(state);
  const chain: MapEntry[] = [];
  for (let id: number | null = entry.id; id !== null; id = dict.get(id) ?? null) {
    const n = nodeById(state, id);
    if (n?.kind === 'MapEntry') chain.unshift(n);
  }
  let assumptions: Assumptions = {};
  for (const m of chain) assumptions = paramAssumptions(m.map.params, m.map.ranges, assumptions);
  return { assumptions, params: new Set(chain.flatMap((m) => m.map.params)) };
}

/**
 * An upper bound of `size` free of `params`: for `Min(a, b, ...) + rest` the smallest-looking of `a + rest`,
 * `b + rest`, ... that is free of them (a constant first), else the symbolic upper bound. Undefined if none.
 */
function sizeBound(size: Expr, assumptions: Assumptions, params: Set<string>): Expr | undefined {
  const free = (e: Expr): boolean => ![...e.freeSymbols()].some((s) => params.has(s));
  const minTerm = size.terms.find((t) => t.coef === 1 && t.monomial.factors.length === 1 && t.monomial.factors[0]!.atom.kind === 'min');
  if (minTerm) {
    const rest = size.sub(termExpr(minTerm));
    const atom = minTerm.monomial.factors[0]!.atom as { args: readonly Expr[] };
    const options = atom.args.map((a) => a.add(rest)).filter(free);
    const pick = options.find((o) => o.isConstant()) ?? options[0];
    if (pick) return pick;
  }
  if (free(size)) return size;
  const hi = bounds(size, assumptions).hi;
  return hi && free(hi) ? hi : undefined;
}

export interface Tile { readonly data: string; readonly tile: Subset; readonly shape: Expr[]; readonly sizes: Expr[] }

/** The tile an edge between two map nodes carries and the buffer shape for it, or why there is none. */
export function tileOf(sdfg: SDFG, state: State, edge: Edge, scope: Node): Tile | string {
  const data = edge.memlet.data!;
  const desc = sdfg.arrays[data];
  if (!desc || desc.kind !== 'Array') return `${data} is not an array`;
  if (edge.memlet.dynamic) return `the accesses to ${data} are dynamic`;
  const tile = edge.memlet.subset;
  if (!tile) return `the memlet on ${data} has no subset`;
  if (tile.ranges.some((r) => !r.step.equals(ONE))) return `the tile of ${data} has a step`;
  const { assumptions, params } = enclosingAssumptions(state, scope);
  const sizes = tile.ranges.map(rangeSize);
  const shape: Expr[] = [];
  for (const s of sizes) {
    const bound = sizeBound(s, assumptions, params);
    if (!bound) return `the tile of ${data} (size ${s.toString()}) has no bound independent of the map parameters`;
    shape.push(bound);
  }
  return { data, tile, shape, sizes };
}

/** A new scope-local transient of the tile's bounding shape; returns its name. */
export function addBuffer(sdfg: SDFG, tile: Tile): string {
  const name = freshDataName(sdfg, `${tile.data}_local`);
  sdfg.arrays[name] = makeArray(sdfg.arrays[tile.data]!.dtype, tile.shape, { transient: true, lifetime: 'Scope' });
  return name;
}

/** Memlets along `tree` naming `data` now name `buffer`, shifted so that the tile starts at 0. */
export function retarget(tree: Edge[], data: string, buffer: string, tile: Subset): void {
  for (const e of tree) {
    if (e.memlet.data !== data || !e.memlet.subset) continue;
    e.memlet = { ...e.memlet, data: buffer, subset: offsetSubset(e.memlet.subset, tile, true) };
  }
}

/** Move the edges using `OUT_from`/`IN_from` on a scope node to a new connector pair named after `to`. */
export function moveConnector(state: State, node: MapEntry | MapExit, from: string, to: string): string {
  const conn = freshConnector(node, to);
  node.inConnectors[`IN_${conn}`] = null;
  node.outConnectors[`OUT_${conn}`] = null;
  for (const e of state.edges) {
    if (e.src === node.id && e.srcConn === `OUT_${from}`) e.srcConn = `OUT_${conn}`;
    if (e.dst === node.id && e.dstConn === `IN_${from}`) e.dstConn = `IN_${conn}`;
  }
  return conn;
}

/** The container at the outer end of the memlet path through `edge` (an access node's data), if any. */
function outerData(state: State, edge: Edge, side: 'src' | 'dst'): string | undefined {
  const path = memletPath(state, edge);
  const end = side === 'src' ? nodeById(state, path[0]!.src) : nodeById(state, path[path.length - 1]!.dst);
  return end?.kind === 'AccessNode' ? end.data : undefined;
}

/**
 * Propagate the state's memlets, then recompute the outer side of scope connectors whose inner edges copy into
 * or out of a buffer: such a copy names the buffer with `otherSubset` on the outer container, which the generic
 * propagation would take for the outer container itself.
 */
export function propagateWithBuffers(sdfg: SDFG, state: State): void {
  propagateMemletsInState(sdfg, state);
  const dict = scopeDict(state);
  const depth = (id: number): number => {
    let d = 0;
    for (let p = dict.get(id) ?? null; p !== null; p = dict.get(p) ?? null) d++;
    return d;
  };
  const scopes = state.nodes.filter((n): n is MapEntry | MapExit => n.kind === 'MapEntry' || n.kind === 'MapExit')
    .sort((a, b) => depth(b.kind === 'MapEntry' ? b.id : entryOf(state, b)?.id ?? b.id) - depth(a.kind === 'MapEntry' ? a.id : entryOf(state, a)?.id ?? a.id));
  for (const scope of scopes) {
    const entry = scope.kind === 'MapEntry' ? scope : entryOf(state, scope);
    if (!entry || entry.kind !== 'MapEntry') continue;
    const outerEdges = scope.kind === 'MapEntry'
      ? state.edges.filter((e) => e.dst === scope.id && e.dstConn?.startsWith('IN_'))
      : state.edges.filter((e) => e.src === scope.id && e.srcConn?.startsWith('OUT_'));
    for (const outer of outerEdges) {
      const data = outerData(state, outer, scope.kind === 'MapEntry' ? 'src' : 'dst');
      const conn = (scope.kind === 'MapEntry' ? outer.dstConn! : outer.srcConn!).replace(/^(IN|OUT)_/, '');
      const inner = scope.kind === 'MapEntry'
        ? state.edges.filter((e) => e.src === scope.id && e.srcConn === `OUT_${conn}`)
        : state.edges.filter((e) => e.dst === scope.id && e.dstConn === `IN_${conn}`);
      if (!data || !inner.some((e) => e.memlet.data !== null && e.memlet.data !== data)) continue;
      const shape = dataShape(sdfg.arrays[data]!);
      let cover: Subset | undefined;
      let volume: Expr = int(0);
      for (const e of inner) {
        const own = e.memlet.data === data ? e.memlet.subset : e.memlet.otherSubset;
        if (!own) continue;
        const outerSubset = propagateSubset(own, entry.map.params, entry.map.ranges, shape);
        cover = cover ? boundingUnion(cover, outerSubset) : outerSubset;
        volume = volume.add(propagateVolume(e.memlet.volume, entry.map.ranges));
      }
      if (cover) outer.memlet = { ...outer.memlet, data, subset: cover, otherSubset: null, volume };
    }
  }
}

function resolve(c: ScopeEdgeCandidate, options: LocalStorageOptions): { edge: Edge; inner: MapExit; outer: MapExit; tile: Tile } | string {
  const edge = c.state.edges.find((e) => e.id === c.edge);
  if (!edge) return `edge e${c.edge} is no longer in state ${c.state.label}`;
  const [inner, outer] = [nodeById(c.state, edge.src), nodeById(c.state, edge.dst)];
  if (inner?.kind !== 'MapExit' || outer?.kind !== 'MapExit') return `edge e${c.edge} does not leave a map into the exit of the map around it`;
  const data = edge.memlet.data!;
  if (options.array !== '' && options.array !== data) return `the edge carries ${data}, not ${options.array}`;
  const outerEntry = entryOf(c.state, outer);
  if (!outerEntry) return `map ${outer.map.label} has no entry`;
  const tile = tileOf(c.sdfg, c.state, edge, outerEntry);
  if (typeof tile === 'string') return tile;
  const tree = memletTree(c.state, edge, 'backward');
  if (tree.some((e) => e.memlet.wcr)) return `the writes to ${data} resolve conflicts (wcr)`;
  if (!writesExactly(c.state, edge)) return `the inner map ${inner.map.label} may not write all of its tile of ${data}`;
  if (c.state.edges.some((e) => e.src === outerEntry.id && e.memlet.data === data)) return `${data} is also read inside map ${outer.map.label}`;
  return { edge, inner, outer, tile };
}

function apply(sdfg: SDFG, c: ScopeEdgeCandidate, options: LocalStorageOptions): void {
  const { edge, inner, outer, tile } = resolve(c, options) as Exclude<ReturnType<typeof resolve>, string>;
  const { state } = c;
  const buffer = addBuffer(sdfg, tile);
  const local = fullSubset(tile.sizes);
  retarget(memletTree(state, edge, 'backward').filter((e) => e !== edge), tile.data, buffer, tile.tile);
  const node = addNode(state, { kind: 'AccessNode', data: buffer, setzero: false, label: buffer, inConnectors: {}, outConnectors: {} });
  const conn = moveConnector(state, inner, edge.srcConn!.slice(4), buffer);
  removeEdge(state, edge);
  addEdge(state, inner, `OUT_${conn}`, node, null, makeMemlet(buffer, local));
  addEdge(state, node, null, outer, edge.dstConn, makeMemlet(buffer, local, { otherSubset: tile.tile }));
  pruneConnectors(state, inner);
  propagateWithBuffers(sdfg, state);
}

export const outLocalStorage = defineTransformation<ScopeEdgeCandidate, LocalStorageOptions>({
  name: 'OutLocalStorage',
  summary: 'Write the tile an inner map produces to a scope-local buffer, copied out after the inner map',
  modifies: ['nodes', 'edges', 'memlets', 'descriptors'],
  defaults: { array: '' },
  candidates: (sdfg) => scopeEdgeCandidates(sdfg, 'exit'),
  canApply: (_sdfg, c, options) => {
    const r = resolve(c, options);
    return typeof r === 'string' ? r : true;
  },
  apply,
  describe: describeScopeEdge,
});
