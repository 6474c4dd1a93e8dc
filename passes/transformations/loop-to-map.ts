// LoopToMap: a for-loop whose iterations are independent becomes a map over the loop variable in one state.
//
// The body must be a single state. Independence is checked on the subsets the body touches, per container:
// every write must hit, in some dimension, elements a linear function of the loop variable picks out alone,
// and every other access to that container must use the very same range there (reads at `A[i]` under a write
// to `A[i]`, but never `A[i - 1]`). Writes that all resolve conflicts (wcr) and are never read are also fine.
import { addEdge, addNode } from '../../graph/construct.js';
import { dataShape } from '../../graph/data.js';
import { type Memlet, emptyMemlet, makeMemlet } from '../../graph/memlet.js';
import type { AccessNode, MapEntry, MapExit, MapScope, Node } from '../../graph/nodes.js';
import { propagateMemletsInState } from '../../graph/propagate.js';
import { scopeDict } from '../../graph/query.js';
import type { ControlFlowBlock, ControlFlowGraph, LoopRegion, SDFG, State } from '../../graph/sdfg.js';
import { type Range, type Subset, boundingUnion, formatSubset, fullSubset, range, subsetFreeSymbols } from '../../graph/subsets.js';
import { type Expr, ONE, int, max, min, sym } from '../../graph/symbolic.js';
import { type TExpr, forEachStmt, namesRead } from '../../graph/tasklet-ast.js';
import { defineTransformation } from '../framework.js';
import { controlFlowGraphs } from './state-fusion.js';
import { freshConnector } from './helpers.js';

export interface LoopCandidate {
  readonly sdfg: SDFG;
  readonly cfg: ControlFlowGraph;
  readonly loop: LoopRegion;
}

function* candidates(root: SDFG): Generator<LoopCandidate> {
  for (const { sdfg, cfg } of controlFlowGraphs(root)) {
    for (const block of cfg.blocks) if (block.kind === 'LoopRegion') yield { sdfg, cfg, loop: block };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the loop header.

/** An integer tasklet expression as a symbolic one; undefined where C and symbolic arithmetic could differ. */
export function texprToExpr(e: TExpr, isData: (name: string) => boolean): Expr | undefined {
  const go = (x: TExpr): Expr | undefined => texprToExpr(x, isData);
  switch (e.k) {
    case 'num': return !e.isFloat && Number.isSafeInteger(e.value) ? int(e.value) : undefined;
    case 'name': return isData(e.name) ? undefined : sym(e.name);
    case 'unary': {
      const arg = go(e.arg);
      return arg && (e.op === '-' ? arg.neg() : e.op === '+' ? arg : undefined);
    }
    case 'binary': {
      const [l, r] = [go(e.lhs), go(e.rhs)];
      if (!l || !r) return undefined;
      if (e.op === '+') return l.add(r);
      if (e.op === '-') return l.sub(r);
      if (e.op === '*') return l.mul(r);
      return undefined;
    }
    case 'call': {
      const args = e.args.map(go);
      if (args.some((a) => !a) || args.length < 2) return undefined;
      if (e.fn === 'min') return min(...(args as Expr[]));
      if (e.fn === 'max') return max(...(args as Expr[]));
      return undefined;
    }
    case 'cast': return e.dtype.kind === 'signed' && e.dtype.bytes >= 4 ? go(e.arg) : undefined;
    case 'bool': case 'index': case 'ternary': return undefined;
  }
}

interface LoopHeader { readonly variable: string; readonly range: Range; readonly step: number }

/** The loop as `variable = begin:end:step` (exclusive end), or why it is not such a loop. */
export function loopHeader(sdfg: SDFG, loop: LoopRegion): LoopHeader | string {
  const v = loop.loopVariable;
  if (v === null || loop.init === null || loop.update === null) return `loop ${loop.label} has no loop variable`;
  if (loop.inverted) return `loop ${loop.label} tests its condition after the body`;
  const isData = (name: string): boolean => name in sdfg.arrays;
  const begin = texprToExpr(loop.init, isData);
  if (!begin || begin.freeSymbols().has(v)) return `the initial value of ${v} is not a symbolic expression`;
  const update = texprToExpr(loop.update, isData);
  const step = update?.sub(sym(v));
  const stepValue = step?.constantValue();
  if (!step || step.freeSymbols().size > 0 || stepValue === undefined) return `the update of ${v} does not add a constant`;
  if (stepValue === 0) return `the step of ${v} is 0`;
  const c = loop.condition;
  const comparisons = ['<', '<=', '>', '>='];
  if (c.k !== 'binary' || !comparisons.includes(c.op) || c.lhs.k !== 'name' || c.lhs.name !== v) {
    return `the condition of loop ${loop.label} does not compare ${v} with a bound`;
  }
  const bound = texprToExpr(c.rhs, isData);
  if (!bound || bound.freeSymbols().has(v)) return `the bound of ${v} is not a symbolic expression`;
  const upward = c.op === '<' || c.op === '<=';
  if (upward !== stepValue > 0) return `the step ${stepValue} moves ${v} away from its bound`;
  const end = c.op === '<=' ? bound.add(1) : c.op === '>=' ? bound.sub(1) : bound;
  return { variable: v, range: range(begin, end, stepValue), step: stepValue };
}

// ---------------------------------------------------------------------------------------------------------------
// Where a symbol is used.

function texprUses(e: TExpr | null, name: string): boolean {
  return e !== null && namesRead(e).has(name);
}

function stateUses(state: State, name: string): boolean {
  for (const e of state.edges) {
    const m = e.memlet;
    if (m.data !== null && ((m.subset && subsetFreeSymbols(m.subset).has(name)) || (m.otherSubset && subsetFreeSymbols(m.otherSubset).has(name)))) return true;
  }
  for (const n of state.nodes) {
    switch (n.kind) {
      case 'MapEntry': if (n.map.ranges.some((r) => [r.begin, r.end, r.step].some((x) => x.freeSymbols().has(name)))) return true; break;
      case 'ConsumeEntry': if (n.consume.numPes.freeSymbols().has(name)) return true; break;
      case 'NestedSDFG': if (Object.values(n.symbolMapping).some((x) => x.freeSymbols().has(name))) return true; break;
      case 'Tasklet': {
        if (n.code.language !== 'tasklet') {
          if (new RegExp(`\\b${name}\\b`).test(n.code.source)) return true;
          break;
        }
        let used = false;
        forEachStmt(n.code.body, (s) => {
          switch (s.k) {
            case 'assign': used ||= texprUses(s.value, name) || texprUses(s.target, name); break;
            case 'let': used ||= texprUses(s.value, name); break;
            case 'if': used ||= texprUses(s.cond, name); break;
            case 'for': used ||= texprUses(s.begin, name) || texprUses(s.end, name) || texprUses(s.step, name); break;
          }
        });
        if (used) return true;
        break;
      }
      case 'AccessNode': case 'MapExit': case 'ConsumeExit': case 'LibraryNode': break;
    }
  }
  return false;
}

/**
 * The label of a block (outside `skip`) that reads or assigns the symbol `name`, or of an interstate edge
 * doing so; loops that bind `name` themselves are skipped whole. Undefined when nothing does.
 */
export function symbolUseOutside(cfg: ControlFlowGraph, name: string, skip: ControlFlowBlock | null): string | undefined {
  for (const e of cfg.edges) {
    if (texprUses(e.condition, name) || name in e.assignments || Object.values(e.assignments).some((a) => texprUses(a, name))) return 'an interstate edge';
  }
  for (const block of cfg.blocks) {
    if (block === skip) continue;
    switch (block.kind) {
      case 'State': if (stateUses(block, name)) return `state ${block.label}`; break;
      case 'LoopRegion': {
        if (block.loopVariable === name) break;
        if ([block.init, block.condition, block.update].some((x) => texprUses(x, name))) return `loop ${block.label}`;
        const inner = symbolUseOutside(block, name, skip);
        if (inner) return inner;
        break;
      }
      case 'ControlFlowRegion': {
        const inner = symbolUseOutside(block, name, skip);
        if (inner) return inner;
        break;
      }
      case 'ConditionalBlock':
        for (const b of block.branches) {
          if (texprUses(b.condition, name)) return `the conditions of ${block.label}`;
          const inner = symbolUseOutside(b.body, name, skip);
          if (inner) return inner;
        }
        break;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Independence of iterations.

/** The subset of `data` an edge between an access node of `data` and another node touches. */
export function subsetOn(sdfg: SDFG, m: Memlet, data: string, other: string | undefined): Subset | undefined {
  if (m.data === data) return m.subset ?? fullSubset(dataShape(sdfg.arrays[data]!));
  if (m.otherSubset) return m.otherSubset;
  const mine = sdfg.arrays[data], theirs = other === undefined ? undefined : sdfg.arrays[other];
  if (!mine) return undefined;
  const [a, b] = [dataShape(mine), theirs ? dataShape(theirs) : []];
  const same = a.length === b.length && a.every((d, k) => d.equals(b[k]!));
  return same && m.subset ? m.subset : fullSubset(a);
}

interface Access { readonly subset: Subset; readonly write: boolean; readonly wcr: boolean }

/** Iterations `v` and `v + k*step` (k ≠ 0) touch different elements in dimension d of both ranges. */
function apartInDimension(a: Range, b: Range, v: string, step: number): boolean {
  if (!a.begin.equals(b.begin) || !a.end.equals(b.end) || !a.step.equals(ONE) || !b.step.equals(ONE)) return false;
  const shifted = a.begin.subs({ [v]: sym(v).add(1) }).sub(a.begin);
  const slope = shifted.constantValue();
  const width = a.end.sub(a.begin).constantValue();
  if (slope === undefined || slope === 0 || width === undefined) return false;
  return width <= Math.abs(slope * step);
}

function independent(a: Access, b: Access, v: string, step: number): boolean {
  return a.subset.ranges.some((r, d) => apartInDimension(r, b.subset.ranges[d]!, v, step));
}

function accessesIn(sdfg: SDFG, body: State): Map<string, Access[]> | string {
  const dict = scopeDict(body);
  const byData = new Map<string, Access[]>();
  const nodeOf = new Map(body.nodes.map((n) => [n.id, n]));
  const written = new Set(body.nodes.filter((n): n is AccessNode => n.kind === 'AccessNode' && body.edges.some((e) => e.dst === n.id && e.memlet.data !== null)).map((n) => n.data));
  for (const n of body.nodes) {
    if (n.kind !== 'AccessNode') continue;
    const desc = sdfg.arrays[n.data];
    if (desc?.kind === 'Stream') return `the body uses stream ${n.data}`;
    if (desc?.kind === 'View') return `the body uses view ${n.data}`;
    if ((dict.get(n.id) ?? null) !== null) {
      if (written.has(n.data)) return `${n.data} is accessed inside a scope of the body`;
      continue;
    }
    const list = byData.get(n.data) ?? [];
    byData.set(n.data, list);
    for (const e of body.edges) {
      if (e.memlet.data === null || (e.src !== n.id && e.dst !== n.id)) continue;
      const otherNode = nodeOf.get(e.src === n.id ? e.dst : e.src);
      const other = otherNode?.kind === 'AccessNode' ? otherNode.data : undefined;
      const subset = subsetOn(sdfg, e.memlet, n.data, other);
      if (!subset) return `the subset of ${n.data} on an edge of the body is unknown`;
      list.push({ subset, write: e.dst === n.id, wcr: e.dst === n.id && e.memlet.wcr !== null });
    }
  }
  return byData;
}

/** Why two iterations of the loop may touch the same element with at least one write, if they may. */
function carriedDependence(sdfg: SDFG, body: State, v: string, step: number): string | undefined {
  const byData = accessesIn(sdfg, body);
  if (typeof byData === 'string') return byData;
  for (const [data, accesses] of byData) {
    const writes = accesses.filter((a) => a.write);
    if (writes.length === 0) continue;
    // Conflicting writes that all combine (and are not read) may happen in any order.
    if (writes.length === accesses.length && writes.every((w) => w.wcr)) continue;
    for (const w of writes) {
      for (const a of accesses) {
        if (independent(w, a, v, step)) continue;
        const at = (x: Access): string => `${data}[${formatSubset(x.subset)}]`;
        if (a === w) return `loop-carried dependence on ${data}: every iteration writes ${at(w)}`;
        return `loop-carried dependence on ${data}: written at ${at(w)}, ${a.write ? 'also written' : 'read'} at ${at(a)}`;
      }
    }
  }
  return undefined;
}

function canApply(sdfg: SDFG, c: LoopCandidate): true | string {
  const { cfg, loop } = c;
  if (!cfg.blocks.includes(loop)) return `loop ${loop.label} is no longer in the graph`;
  const header = loopHeader(sdfg, loop);
  if (typeof header === 'string') return header;
  if (loop.blocks.length !== 1) return `the body of loop ${loop.label} has ${loop.blocks.length} blocks`;
  const body = loop.blocks[0]!;
  if (body.kind !== 'State') return `the body of loop ${loop.label} is a ${body.kind}, not a state`;
  const v = header.variable;
  const outside = symbolUseOutside(sdfg, v, loop);
  if (outside) return `the loop variable ${v} is used outside the loop (${outside})`;
  return carriedDependence(sdfg, body, v, header.step) ?? true;
}

// ---------------------------------------------------------------------------------------------------------------
// The rewrite.

type Place = 'outside' | 'inside';

/** Sources and plain sinks stay around the new map; everything else moves into it. */
function placeNodes(body: State): Map<Node, Place> {
  const places = new Map<Node, Place>();
  const byId = new Map(body.nodes.map((n) => [n.id, n]));
  for (const n of body.nodes) {
    const ins = body.edges.filter((e) => e.dst === n.id);
    const outs = body.edges.some((e) => e.src === n.id);
    const outsideAccess = n.kind === 'AccessNode'
      && (ins.length === 0 || (!outs && ins.every((e) => byId.get(e.src)!.kind !== 'AccessNode')));
    places.set(n, outsideAccess ? 'outside' : 'inside');
  }
  return places;
}

/** A copy memlet in the form that names `data` (the outside end of a path through a scope node). */
function namingData(sdfg: SDFG, m: Memlet, data: string, other: string | undefined): Memlet {
  if (m.data === data || m.data === null) return { ...m };
  return { ...m, data, subset: subsetOn(sdfg, m, data, other)!, otherSubset: m.subset };
}

function apply(sdfg: SDFG, c: LoopCandidate): void {
  const { cfg, loop } = c;
  const header = loopHeader(sdfg, loop) as LoopHeader;
  const body = loop.blocks[0] as State;
  const places = placeNodes(body);
  const map: MapScope = { label: loop.label, params: [header.variable], ranges: [header.range], schedule: 'Default', unroll: false, collapse: 1 };
  const entry = addNode(body, { kind: 'MapEntry', map, label: map.label, inConnectors: {}, outConnectors: {} }) as MapEntry;
  const exit = addNode(body, { kind: 'MapExit', map, label: map.label, inConnectors: {}, outConnectors: {} }) as MapExit;
  const byId = new Map(body.nodes.map((n) => [n.id, n]));
  const entryConn = new Map<number, string>(), exitConn = new Map<number, string>();
  const emptyIn = new Set<number>(), emptyOut = new Set<number>();
  const connectorFor = (scope: Node, table: Map<number, string>, node: AccessNode): string => {
    let conn = table.get(node.id);
    if (!conn) {
      conn = freshConnector(scope, node.data);
      table.set(node.id, conn);
      scope.inConnectors[`IN_${conn}`] = null;
      scope.outConnectors[`OUT_${conn}`] = null;
    }
    return conn;
  };
  for (const e of [...body.edges]) {
    const [src, dst] = [byId.get(e.src)!, byId.get(e.dst)!];
    const [from, to] = [places.get(src), places.get(dst)];
    if (from === to) continue;
    body.edges = body.edges.filter((x) => x !== e);
    if (from === 'outside') {
      const node = src as AccessNode;
      if (e.memlet.data === null) {
        if (!emptyIn.has(node.id)) addEdge(body, node, null, entry, null, emptyMemlet());
        emptyIn.add(node.id);
        continue;
      }
      const otherData = dst.kind === 'AccessNode' ? dst.data : undefined;
      const memlet = namingData(sdfg, e.memlet, node.data, otherData);
      const conn = connectorFor(entry, entryConn, node);
      if (!body.edges.some((x) => x.src === node.id && x.dst === entry.id && x.dstConn === `IN_${conn}`)) addEdge(body, node, null, entry, `IN_${conn}`, { ...memlet });
      addEdge(body, entry, `OUT_${conn}`, dst, e.dstConn, memlet, e.loc);
    } else {
      const node = dst as AccessNode;
      if (e.memlet.data === null) {
        addEdge(body, src, null, exit, null, emptyMemlet());
        if (!emptyOut.has(node.id)) addEdge(body, exit, null, node, null, emptyMemlet());
        emptyOut.add(node.id);
        continue;
      }
      const conn = connectorFor(exit, exitConn, node);
      addEdge(body, src, e.srcConn, exit, `IN_${conn}`, e.memlet, e.loc);
      if (!body.edges.some((x) => x.src === exit.id && x.dst === node.id && x.srcConn === `OUT_${conn}`)) addEdge(body, exit, `OUT_${conn}`, node, null, { ...e.memlet });
    }
  }
  routeWritesOut(sdfg, body, places, exit);
  // Everything inside needs an edge from the entry (or from inside) to belong to the scope.
  for (const [n, place] of places) {
    if (place === 'inside' && !body.edges.some((e) => e.dst === n.id)) addEdge(body, entry, null, n, null, emptyMemlet());
    if (place === 'inside' && !body.edges.some((e) => e.src === n.id)) addEdge(body, n, null, exit, null, emptyMemlet());
  }
  if (!body.edges.some((e) => e.dst === exit.id)) addEdge(body, entry, null, exit, null, emptyMemlet());
  propagateMemletsInState(sdfg, body);
  const replacement = { ...body, id: loop.id } as State;
  cfg.blocks[cfg.blocks.indexOf(loop)] = replacement;
  if (symbolUseOutside(sdfg, header.variable, replacement) === undefined) {
    const elsewhere = [...controlFlowGraphs(sdfg)].some(({ cfg: g }) => g.blocks.some((b) => b.kind === 'LoopRegion' && b.loopVariable === header.variable));
    if (!elsewhere) delete sdfg.symbols[header.variable];
  }
}

/** Containers written inside the new map that live beyond it leave through the exit, to a new access node. */
function routeWritesOut(sdfg: SDFG, body: State, places: Map<Node, Place>, exit: MapExit): void {
  for (const [n, place] of places) {
    if (place !== 'inside' || n.kind !== 'AccessNode') continue;
    const writes = body.edges.filter((e) => e.dst === n.id && e.memlet.data !== null);
    if (writes.length === 0 || body.edges.some((e) => e.src === n.id && e.dst === exit.id)) continue;
    const desc = sdfg.arrays[n.data]!;
    const byId = new Map(body.nodes.map((x) => [x.id, x]));
    const subsets = writes.map((e) => {
      const src = byId.get(e.src);
      return subsetOn(sdfg, e.memlet, n.data, src?.kind === 'AccessNode' ? src.data : undefined)!;
    });
    const cover = subsets.reduce((a, b) => boundingUnion(a, b));
    if (desc.transient && !usedElsewhere(sdfg, body, n.data)) continue;
    const conn = freshConnector(exit, n.data);
    exit.inConnectors[`IN_${conn}`] = null;
    exit.outConnectors[`OUT_${conn}`] = null;
    const outer = addNode(body, { kind: 'AccessNode', data: n.data, setzero: false, label: n.data, inConnectors: {}, outConnectors: {} });
    const memlet = makeMemlet(n.data, cover);
    addEdge(body, n, null, exit, `IN_${conn}`, memlet);
    addEdge(body, exit, `OUT_${conn}`, outer, null, { ...memlet });
  }
}

function usedElsewhere(sdfg: SDFG, body: State, data: string): boolean {
  for (const { cfg } of controlFlowGraphs(sdfg)) {
    for (const b of cfg.blocks) if (b.kind === 'State' && b !== body && b.nodes.some((n) => n.kind === 'AccessNode' && n.data === data)) return true;
  }
  return false;
}

export const loopToMap = defineTransformation<LoopCandidate, Record<string, never>>({
  name: 'LoopToMap',
  summary: 'Turn a for-loop with independent iterations and a one-state body into a map',
  modifies: ['nodes', 'edges', 'memlets', 'symbols', 'control-flow'],
  defaults: {},
  candidates: (sdfg) => candidates(sdfg),
  canApply,
  apply,
  describe: (c) => `loop ${c.loop.label}`,
});
