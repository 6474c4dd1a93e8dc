// The shared view every validation rule reads: SDFGs, control-flow graphs and states, indexed once, plus issue builders.
import type { DataDesc } from '../data.js';
import { ValidationError } from '../errors.js';
import type { NestedSDFG, Node, ScopeEntry } from '../nodes.js';
import type {
  ControlFlowBlock, ControlFlowGraph, ControlFlowRegion, Edge, InterstateEdge, LoopRegion, SDFG, State,
} from '../sdfg.js';
import type { SourceLocation } from '../source-location.js';
import { analyzeScopes, type ScopeAnalysis } from './scopes.js';

/** One named validity rule: what it checks, and every way a graph breaks it. */
export interface ValidationRule {
  /** The error code of every failure it reports. */
  readonly name: string;
  readonly summary: string;
  check(ctx: ValidationContext): Iterable<ValidationError>;
}

export interface ValidationContext {
  readonly root: SDFG;
  /** The root and every nested SDFG, depth-first. */
  readonly sdfgs: readonly SdfgInfo[];
  /** Every control-flow graph: each SDFG, loop body, region and branch body. */
  readonly graphs: readonly CfgInfo[];
  readonly states: readonly StateInfo[];
  /** Every SDFG of the program by object, including those whose own rules are not being checked. */
  readonly infos: ReadonlyMap<SDFG, SdfgInfo>;
}

export interface SdfgInfo {
  readonly sdfg: SDFG;
  /** The state and node that hold this SDFG when it is nested. */
  readonly parent: { readonly state: StateInfo; readonly node: NestedSDFG } | null;
  /** Symbols assigned on any interstate edge of this SDFG (flow-insensitive: defined everywhere in it). */
  readonly assigned: ReadonlySet<string>;
  readonly graphs: CfgInfo[];
  readonly states: StateInfo[];
}

export interface CfgInfo {
  readonly sdfg: SdfgInfo;
  readonly cfg: ControlFlowGraph;
  /** The SDFG itself, a loop, a region or a branch body. */
  readonly owner: SDFG | LoopRegion | ControlFlowRegion;
  /** Loop variables of the loops around this graph, including its own when it is a loop body. */
  readonly loopVars: readonly string[];
}

/** A state with lazily built indices; edges whose endpoints are not nodes are left out of the adjacency. */
export class StateInfo {
  private index?: { nodes: Map<number, Node>; unique: Node[]; ins: Map<number, Edge[]>; outs: Map<number, Edge[]> };
  private orderCache?: { order: Node[] | undefined };
  private scopeCache?: ScopeAnalysis;
  private positionCache?: { index: ReadonlyMap<number, number> | undefined };

  constructor(readonly sdfg: SdfgInfo, readonly cfg: CfgInfo, readonly state: State) {}

  private built() {
    if (this.index) return this.index;
    const nodes = new Map<number, Node>();
    const unique: Node[] = [];
    for (const n of this.state.nodes) if (!nodes.has(n.id)) { nodes.set(n.id, n); unique.push(n); }
    const ins = new Map<number, Edge[]>(), outs = new Map<number, Edge[]>();
    for (const n of unique) { ins.set(n.id, []); outs.set(n.id, []); }
    for (const e of this.state.edges) {
      if (!nodes.has(e.src) || !nodes.has(e.dst)) continue;
      outs.get(e.src)!.push(e);
      ins.get(e.dst)!.push(e);
    }
    this.index = { nodes, unique, ins, outs };
    return this.index;
  }

  /** Nodes by id (the first one where ids repeat). */
  get nodes(): ReadonlyMap<number, Node> { return this.built().nodes; }
  /** Each node once (the first one where ids repeat). */
  get nodeList(): readonly Node[] { return this.built().unique; }
  node(id: number): Node | undefined { return this.built().nodes.get(id); }
  inEdges(id: number): readonly Edge[] { return this.built().ins.get(id) ?? []; }
  outEdges(id: number): readonly Edge[] { return this.built().outs.get(id) ?? []; }
  /** Edges whose both endpoints are nodes. */
  *validEdges(): Generator<Edge> {
    const { nodes } = this.built();
    for (const e of this.state.edges) if (nodes.has(e.src) && nodes.has(e.dst)) yield e;
  }

  /** A topological order (Kahn's algorithm, linear), or undefined when the dataflow has a cycle. */
  get order(): Node[] | undefined {
    if (this.orderCache) return this.orderCache.order;
    const list = this.nodeList;
    const indegree = new Map<number, number>(list.map((n) => [n.id, this.inEdges(n.id).length]));
    const ready = list.filter((n) => indegree.get(n.id) === 0);
    const order: Node[] = [];
    for (let i = 0; i < ready.length; i++) {
      const n = ready[i]!;
      order.push(n);
      for (const e of this.outEdges(n.id)) {
        const left = indegree.get(e.dst)! - 1;
        indegree.set(e.dst, left);
        if (left === 0) ready.push(this.node(e.dst)!);
      }
    }
    this.orderCache = { order: order.length === list.length ? order : undefined };
    return this.orderCache.order;
  }

  /** Each node's position in `order`, or undefined when the dataflow has a cycle. */
  get orderIndex(): ReadonlyMap<number, number> | undefined {
    if (this.positionCache) return this.positionCache.index;
    const order = this.order;
    this.positionCache = { index: order && new Map(order.map((n, i) => [n.id, i])) };
    return this.positionCache.index;
  }

  get scopes(): ScopeAnalysis {
    this.scopeCache ??= analyzeScopes(this);
    return this.scopeCache;
  }

  /** Map parameters and consume indices visible at a scope (innermost entries first), plus dynamic map inputs. */
  scopeSymbols(scope: number | null): Set<string> {
    const names = new Set<string>();
    for (const entry of this.scopes.enclosing(scope)) for (const s of boundBy(entry)) names.add(s);
    return names;
  }

  /** The data descriptor a memlet names, if the SDFG has it. */
  desc(name: string | null): DataDesc | undefined {
    return name === null ? undefined : lookup(this.sdfg.sdfg.arrays, name);
  }

}

/** Own-property lookup, so that names like `constructor` do not resolve to Object's members. */
export function lookup<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Append to the list under `key`, creating it on first use. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value); else map.set(key, [value]);
}

export function has(record: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/** Symbols a scope entry defines inside its scope. */
export function boundBy(entry: ScopeEntry): string[] {
  const dynamicInputs = Object.keys(entry.inConnectors).filter((c) => !c.startsWith('IN_'));
  return entry.kind === 'MapEntry' ? [...entry.map.params, ...dynamicInputs] : [entry.consume.peIndex, ...dynamicInputs];
}

// ---------------------------------------------------------------- building the context

export function buildContext(root: SDFG): ValidationContext {
  const sdfgs: SdfgInfo[] = [];
  const seen = new Set<SDFG>();
  const visit = (sdfg: SDFG, parent: SdfgInfo['parent']): void => {
    // An SDFG nested inside itself would recurse forever; its second visit adds nothing.
    if (seen.has(sdfg)) return;
    seen.add(sdfg);
    const info: SdfgInfo = { sdfg, parent, assigned: new Set(), graphs: [], states: [] };
    sdfgs.push(info);
    collectGraphs(info, sdfg, sdfg, []);
    for (const st of info.states) {
      for (const n of st.state.nodes) if (n.kind === 'NestedSDFG') visit(n.sdfg, { state: st, node: n });
    }
  };
  visit(root, null);
  return {
    root,
    sdfgs,
    graphs: sdfgs.flatMap((s) => s.graphs),
    states: sdfgs.flatMap((s) => s.states),
    infos: new Map(sdfgs.map((s) => [s.sdfg, s])),
  };
}

function collectGraphs(info: SdfgInfo, cfg: ControlFlowGraph, owner: CfgInfo['owner'], loopVars: readonly string[]): void {
  const g: CfgInfo = { sdfg: info, cfg, owner, loopVars };
  info.graphs.push(g);
  for (const e of cfg.edges) for (const s of Object.keys(e.assignments)) (info.assigned as Set<string>).add(s);
  for (const block of cfg.blocks) {
    switch (block.kind) {
      case 'State': info.states.push(new StateInfo(info, g, block)); break;
      case 'LoopRegion':
        collectGraphs(info, block, block, block.loopVariable ? [...loopVars, block.loopVariable] : loopVars);
        break;
      case 'ControlFlowRegion': collectGraphs(info, block, block, loopVars); break;
      case 'ConditionalBlock': for (const b of block.branches) collectGraphs(info, b.body, b.body, loopVars); break;
    }
  }
}

// ---------------------------------------------------------------- naming things in messages

/** `Tasklet 'mul'` */
export function describeNode(n: Node): string {
  return `${n.kind} '${n.label}'`;
}

/** `t.a`: one end of an edge, `#id` when it is not a node. */
export function endName(st: StateInfo, id: number, conn: string | null): string {
  const n = st.node(id);
  return (n ? n.label : `#${id}`) + (conn === null ? '' : `.${conn}`);
}

/** `src.conn -> dst.conn`, with `#id` for an endpoint that is not a node. */
export function describeEdge(st: StateInfo, e: Edge): string {
  return `${endName(st, e.src, e.srcConn)} -> ${endName(st, e.dst, e.dstConn)}`;
}

/** `'init' -> 'body'`, with `#id` for an endpoint that is not a block. */
export function describeInterstateEdge(cfg: ControlFlowGraph, e: InterstateEdge): string {
  const name = (id: number): string => {
    const b = cfg.blocks.find((x) => x.id === id);
    return b ? `'${b.label}'` : `#${id}`;
  };
  return `${name(e.src)} -> ${name(e.dst)}`;
}

export function blockLabel(g: CfgInfo): string | undefined {
  return g.owner.kind === 'SDFG' ? undefined : g.owner.label;
}

// ---------------------------------------------------------------- issue builders

const firstLoc = (...locs: (SourceLocation | undefined)[]): SourceLocation | undefined => locs.find((l) => l !== undefined);

function error(code: string, message: string, hint: string, path: ValidationError['path'], loc: SourceLocation | undefined, cause?: unknown): ValidationError {
  return new ValidationError({ code, message, hint, ...(path ? { path } : {}), ...(loc ? { loc } : {}), ...(cause !== undefined ? { cause } : {}) });
}

export function nodeIssue(st: StateInfo, node: Node, code: string, message: string, hint: string, cause?: unknown): ValidationError {
  return error(code, message, hint, { sdfg: st.sdfg.sdfg.name, state: st.state.label, node: node.label },
    firstLoc(node.loc, st.state.loc, st.sdfg.sdfg.loc), cause);
}

/** Located at the edge's own builder call, else at the node it feeds, else its source node. */
export function edgeIssue(st: StateInfo, edge: Edge, code: string, message: string, hint: string, cause?: unknown): ValidationError {
  return error(code, message, hint, { sdfg: st.sdfg.sdfg.name, state: st.state.label, edge: describeEdge(st, edge) },
    firstLoc(edge.loc, st.node(edge.dst)?.loc, st.node(edge.src)?.loc, st.state.loc, st.sdfg.sdfg.loc), cause);
}

export function stateIssue(st: StateInfo, code: string, message: string, hint: string): ValidationError {
  return error(code, message, hint, { sdfg: st.sdfg.sdfg.name, state: st.state.label }, firstLoc(st.state.loc, st.sdfg.sdfg.loc));
}

/** An issue with a block (path.state is the block's label) or, when `block` is null, with the graph itself. */
export function blockIssue(g: CfgInfo, block: ControlFlowBlock | null, code: string, message: string, hint: string): ValidationError {
  const label = block ? block.label : blockLabel(g);
  return error(code, message, hint, { sdfg: g.sdfg.sdfg.name, ...(label !== undefined ? { state: label } : {}) },
    firstLoc(block?.loc, g.owner.loc, g.sdfg.sdfg.loc));
}

export function interstateIssue(g: CfgInfo, edge: InterstateEdge, code: string, message: string, hint: string): ValidationError {
  const label = blockLabel(g);
  return error(code, message, hint,
    { sdfg: g.sdfg.sdfg.name, ...(label !== undefined ? { state: label } : {}), edge: describeInterstateEdge(g.cfg, edge) },
    firstLoc(edge.loc, g.owner.loc, g.sdfg.sdfg.loc));
}

export function sdfgIssue(s: SdfgInfo, code: string, message: string, hint: string): ValidationError {
  return error(code, message, hint, { sdfg: s.sdfg.name }, s.sdfg.loc ?? s.parent?.node.loc);
}
