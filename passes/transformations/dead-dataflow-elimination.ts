// DeadDataflowElimination: remove writes to transients nothing reads (and the computation feeding only them),
// access nodes with no edges, empty states that only pass control on, and transient containers nobody uses.
//
// "Nothing reads" is decided for the whole SDFG: a transient that no access node anywhere reads from, that no
// interstate edge, loop or branch condition mentions, and that is neither a stream nor a view. Everything whose
// only effect is writing such a transient goes with it; code that also has a live effect stays whole.
import { isTrueCondition, removeNode } from '../../graph/construct.js';
import type { AccessNode, Node } from '../../graph/nodes.js';
import { isScopeEntry } from '../../graph/nodes.js';
import { exitOf, inInterstateEdges, outInterstateEdges, walkBlocks } from '../../graph/query.js';
import type { ControlFlowGraph, SDFG, State } from '../../graph/sdfg.js';
import { namesRead } from '../../graph/tasklet-ast.js';
import { defineTransformation } from '../framework.js';
import { controlFlowGraphs } from './state-fusion.js';
import { pruneConnectors, statesOf } from './helpers.js';

export type DeadCode =
  | { readonly kind: 'dead-data'; readonly sdfg: SDFG; readonly data: string }
  | { readonly kind: 'isolated-node'; readonly sdfg: SDFG; readonly state: State; readonly node: number }
  | { readonly kind: 'empty-state'; readonly sdfg: SDFG; readonly cfg: ControlFlowGraph; readonly state: State }
  | { readonly kind: 'unused-container'; readonly sdfg: SDFG; readonly data: string };

const sdfgsOf = (root: SDFG): SDFG[] => [...new Set([...statesOf(root)].map((r) => r.sdfg).concat(root))];

function* candidates(root: SDFG): Generator<DeadCode> {
  for (const sdfg of sdfgsOf(root)) {
    for (const [data, desc] of Object.entries(sdfg.arrays)) {
      if (desc.transient) yield { kind: 'dead-data', sdfg, data };
    }
  }
  for (const { sdfg, state } of statesOf(root)) {
    for (const node of state.nodes) if (node.kind === 'AccessNode') yield { kind: 'isolated-node', sdfg, state, node: node.id };
  }
  for (const { sdfg, cfg } of controlFlowGraphs(root)) {
    for (const block of cfg.blocks) if (block.kind === 'State' && block.nodes.length === 0) yield { kind: 'empty-state', sdfg, cfg, state: block };
  }
  for (const sdfg of sdfgsOf(root)) {
    for (const [data, desc] of Object.entries(sdfg.arrays)) if (desc.transient) yield { kind: 'unused-container', sdfg, data };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Which containers are read.

function statesOfSdfg(sdfg: SDFG): State[] {
  return [...walkBlocks(sdfg)].filter((b): b is State => b.kind === 'State');
}

/** Names read by interstate edges, loop headers and branch conditions (these may read containers). */
function controlFlowReads(sdfg: SDFG): Set<string> {
  const names = new Set<string>();
  for (const { cfg } of controlFlowGraphs(sdfg)) {
    for (const e of cfg.edges) {
      namesRead(e.condition, names);
      for (const a of Object.values(e.assignments)) namesRead(a, names);
    }
  }
  for (const block of walkBlocks(sdfg)) {
    if (block.kind === 'LoopRegion') for (const x of [block.init, block.condition, block.update]) if (x) namesRead(x, names);
    if (block.kind === 'ConditionalBlock') for (const b of block.branches) if (b.condition) namesRead(b.condition, names);
  }
  return names;
}

/** Why a transient cannot be dead, or undefined when nothing ever reads it. */
function readBy(sdfg: SDFG, data: string): string | undefined {
  const desc = sdfg.arrays[data];
  if (!desc) return `${data} is not a container of ${sdfg.name}`;
  if (!desc.transient) return `${data} is not transient`;
  if (desc.kind === 'Stream' || desc.kind === 'View') return `${data} is a ${desc.kind.toLowerCase()}`;
  if (controlFlowReads(sdfg).has(data)) return `${data} is read by the control flow`;
  for (const state of statesOfSdfg(sdfg)) {
    for (const n of state.nodes) {
      if (n.kind === 'AccessNode' && n.data === data && state.edges.some((e) => e.src === n.id && e.memlet.data !== null)) return `${data} is read in state ${state.label}`;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Removing the writes to a dead container.

/** Nodes with an effect beyond the dead container: anything but pure code, scopes and the dead data's access nodes. */
function hasOwnEffect(n: Node, data: string): boolean {
  switch (n.kind) {
    case 'AccessNode': return n.data !== data;
    case 'Tasklet': return n.code.language !== 'tasklet';
    case 'MapEntry': case 'MapExit': return false;
    // Consuming pops a stream; library and nested SDFGs are kept whole.
    case 'ConsumeEntry': case 'ConsumeExit': case 'LibraryNode': case 'NestedSDFG': return true;
  }
}

/**
 * The nodes of a state that only serve writes to `data`: they reach no node with its own effect. A code node
 * or scope exit that stays keeps all its outputs (a connector cannot lose its edge), so what it writes stays too.
 */
function deadNodes(state: State, data: string): Set<Node> {
  if (!state.nodes.some((n) => n.kind === 'AccessNode' && n.data === data)) return new Set();
  const live = new Set<Node>(state.nodes.filter((n) => hasOwnEffect(n, data)));
  const byId = new Map(state.nodes.map((n) => [n.id, n]));
  const keepsOutputs = (n: Node): boolean => n.kind !== 'AccessNode' && !isScopeEntry(n);
  for (let changed = true; changed;) {
    changed = false;
    for (const e of state.edges) {
      const [src, dst] = [byId.get(e.src)!, byId.get(e.dst)!];
      if (live.has(dst) && !live.has(src)) { live.add(src); changed = true; }
      if (live.has(src) && !live.has(dst) && keepsOutputs(src)) { live.add(dst); changed = true; }
    }
    for (const n of state.nodes) {
      if (!isScopeEntry(n) || live.has(n)) continue;
      const exit = exitOf(state, n);
      if (exit && live.has(exit)) { live.add(n); changed = true; }
    }
  }
  return new Set(state.nodes.filter((n) => !live.has(n)));
}

/** Drop scope inputs that nothing inside reads any more. */
function pruneScopes(state: State): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const n of state.nodes) {
      if (!isScopeEntry(n)) continue;
      for (const e of state.edges.filter((x) => x.dst === n.id && x.dstConn?.startsWith('IN_'))) {
        const out = 'OUT_' + e.dstConn!.slice(3);
        if (state.edges.some((x) => x.src === n.id && x.srcConn === out)) continue;
        state.edges = state.edges.filter((x) => x !== e);
        changed = true;
      }
      pruneConnectors(state, n);
    }
  }
}

function removeDeadWrites(sdfg: SDFG, data: string): void {
  for (const state of statesOfSdfg(sdfg)) {
    const dead = deadNodes(state, data);
    for (const n of dead) removeNode(state, n);
    if (dead.size > 0) pruneScopes(state);
  }
  if (!statesOfSdfg(sdfg).some((s) => s.nodes.some((n) => n.kind === 'AccessNode' && n.data === data))) delete sdfg.arrays[data];
}

// ---------------------------------------------------------------------------------------------------------------
// Empty states.

/** Why an empty state cannot be bypassed, if it cannot. */
function emptyStateVerdict(cfg: ControlFlowGraph, state: State): true | string {
  if (state.nodes.length > 0) return `state ${state.label} is not empty`;
  const outs = outInterstateEdges(cfg, state);
  const ins = inInterstateEdges(cfg, state);
  if (outs.length === 0) {
    if (cfg.blocks.length === 1) return `state ${state.label} is the only block of its graph`;
    if (ins.some((e) => Object.keys(e.assignments).length > 0)) return `the edges into state ${state.label} assign symbols`;
    return true;
  }
  if (outs.length > 1) return `state ${state.label} branches (${outs.length} outgoing edges)`;
  const out = outs[0]!;
  if (out.dst === state.id) return `state ${state.label} loops to itself`;
  if (!isTrueCondition(out.condition)) return `the edge out of state ${state.label} has a condition`;
  if (Object.keys(out.assignments).length > 0) return `the edge out of state ${state.label} assigns symbols`;
  return true;
}

function bypassEmptyState(cfg: ControlFlowGraph, state: State): void {
  const out = outInterstateEdges(cfg, state)[0];
  if (out) {
    for (const e of cfg.edges) if (e.dst === state.id) e.dst = out.dst;
    if (cfg.startBlock === state.id) cfg.startBlock = out.dst;
  }
  cfg.edges = cfg.edges.filter((e) => e !== out && e.dst !== state.id);
  cfg.blocks = cfg.blocks.filter((b) => b !== state);
  if (cfg.startBlock === state.id) cfg.startBlock = cfg.blocks[0]?.id ?? null;
}

// ---------------------------------------------------------------------------------------------------------------

function isUsed(sdfg: SDFG, data: string): boolean {
  return statesOfSdfg(sdfg).some((s) => s.nodes.some((n) => n.kind === 'AccessNode' && n.data === data))
    || controlFlowReads(sdfg).has(data);
}

function canApply(_root: SDFG, c: DeadCode): true | string {
  switch (c.kind) {
    case 'dead-data': {
      const reason = readBy(c.sdfg, c.data);
      if (reason) return reason;
      const removable = statesOfSdfg(c.sdfg).some((s) => deadNodes(s, c.data).size > 0);
      return removable ? true : `every write to ${c.data} has other effects`;
    }
    case 'isolated-node': {
      const node = c.state.nodes.find((n) => n.id === c.node) as AccessNode | undefined;
      if (!node) return `node n${c.node} is no longer in state ${c.state.label}`;
      const connected = c.state.edges.some((e) => e.src === node.id || e.dst === node.id);
      return connected ? `access node ${node.data} has edges` : true;
    }
    case 'empty-state':
      if (!c.cfg.blocks.includes(c.state)) return `state ${c.state.label} is no longer in the graph`;
      return emptyStateVerdict(c.cfg, c.state);
    case 'unused-container': {
      const desc = c.sdfg.arrays[c.data];
      if (!desc) return `${c.data} is no longer a container`;
      if (!desc.transient) return `${c.data} is not transient`;
      return isUsed(c.sdfg, c.data) ? `${c.data} is used` : true;
    }
  }
}

function apply(_root: SDFG, c: DeadCode): void {
  switch (c.kind) {
    case 'dead-data': return removeDeadWrites(c.sdfg, c.data);
    case 'isolated-node': return removeNode(c.state, c.state.nodes.find((n) => n.id === c.node)!);
    case 'empty-state': return bypassEmptyState(c.cfg, c.state);
    case 'unused-container': delete c.sdfg.arrays[c.data]; return;
  }
}

function describe(c: DeadCode): string {
  switch (c.kind) {
    case 'dead-data': return `writes to ${c.data}`;
    case 'isolated-node': return `isolated node n${c.node} in state ${c.state.label}`;
    case 'empty-state': return `empty state ${c.state.label}`;
    case 'unused-container': return `container ${c.data}`;
  }
}

export const deadDataflowElimination = defineTransformation<DeadCode, Record<string, never>>({
  name: 'DeadDataflowElimination',
  summary: 'Remove writes to transients nothing reads, isolated access nodes, empty states and unused transients',
  modifies: ['nodes', 'edges', 'memlets', 'descriptors', 'control-flow'],
  defaults: {},
  candidates: (sdfg) => candidates(sdfg),
  canApply,
  apply,
  describe,
});
