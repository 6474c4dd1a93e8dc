// Validation rules for the shape of a state: unique ids, edge endpoints, acyclicity, matched and respected scopes.
import type { ValidationError } from '../errors.js';
import type { Node, ScopeEntry, ScopeExit } from '../nodes.js';
import type { Edge } from '../sdfg.js';
import {
  describeEdge, describeNode, edgeIssue, endName, nodeIssue, type StateInfo, type ValidationContext, type ValidationRule,
} from './context.js';
import { duplicateBlockIds } from './control-flow-rules.js';

export const duplicateName: ValidationRule = {
  name: 'duplicate-name',
  summary: 'node and edge ids are unique within their state, block ids within their control-flow graph',
  *check(ctx: ValidationContext): Generator<ValidationError> {
    yield* duplicateBlockIds(ctx);
    for (const st of ctx.states) {
      for (const n of st.state.nodes) {
        const first = st.node(n.id)!;
        if (first === n) continue;
        yield nodeIssue(st, n, 'duplicate-name',
          `node id ${n.id} is used by both ${describeNode(first)} and ${describeNode(n)} in state '${st.state.label}'`,
          'give every node of a state its own id (nodes added with addNode get one)');
      }
      const edgeIds = new Set<number>();
      for (const e of st.state.edges) {
        if (!edgeIds.has(e.id)) { edgeIds.add(e.id); continue; }
        yield edgeIssue(st, e, 'duplicate-name', `edge id ${e.id} is used by more than one edge in state '${st.state.label}'`,
          'give every edge of a state its own id (edges added with addEdge get one)');
      }
    }
  },
};

export const edgeEndpoint: ValidationRule = {
  name: 'edge-endpoint',
  summary: 'dataflow edges connect nodes of their own state',
  *check(ctx) {
    for (const st of ctx.states) {
      for (const e of st.state.edges) {
        const bad = [e.src, e.dst].filter((id) => !st.nodes.has(id));
        if (bad.length === 0) continue;
        yield edgeIssue(st, e, 'edge-endpoint',
          `edge ${describeEdge(st, e)} refers to node ${bad.map((id) => `#${id}`).join(' and ')}, which is not in state '${st.state.label}'`,
          'connect edges only between nodes of the same state; remove the edge when its node was removed (removeNode does both)');
      }
    }
  },
};

export const stateCycle: ValidationRule = {
  name: 'state-cycle',
  summary: 'the dataflow of a state is acyclic',
  *check(ctx) {
    for (const st of ctx.states) {
      if (st.order) continue;
      const cycle = findCycle(st);
      yield nodeIssue(st, cycle[0]!, 'state-cycle',
        `state '${st.state.label}' has a dataflow cycle: ${[...cycle, cycle[0]!].map(describeNode).join(' -> ')}`,
        'dataflow within a state must be acyclic: move the write that closes the cycle to a later state, or loop with a LoopRegion');
    }
  },
};

/** One cycle (as the nodes along it) of a state known to have one: a depth-first search for a back edge. */
function findCycle(st: StateInfo): Node[] {
  const color = new Map<number, 'open' | 'done'>();
  for (const root of st.nodeList) {
    if (color.has(root.id)) continue;
    const stack: { id: number; next: number }[] = [{ id: root.id, next: 0 }];
    color.set(root.id, 'open');
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const out = st.outEdges(top.id);
      if (top.next >= out.length) { color.set(top.id, 'done'); stack.pop(); continue; }
      const dst = out[top.next++]!.dst;
      const c = color.get(dst);
      if (c === 'open') return stack.slice(stack.findIndex((f) => f.id === dst)).map((f) => st.node(f.id)!);
      if (c === undefined) { color.set(dst, 'open'); stack.push({ id: dst, next: 0 }); }
    }
  }
  return [st.nodeList[0]!];
}

const partnerKind = (n: ScopeEntry | ScopeExit): string =>
  ({ MapEntry: 'MapExit', MapExit: 'MapEntry', ConsumeEntry: 'ConsumeExit', ConsumeExit: 'ConsumeEntry' })[n.kind];

export const mapEntryWithoutExit: ValidationRule = {
  name: 'map-entry-without-exit',
  summary: 'every MapEntry (ConsumeEntry) has one exit node holding the same scope object',
  *check(ctx) {
    for (const st of ctx.states) {
      for (const n of st.scopes.unmatchedEntries) {
        yield nodeIssue(st, n, 'map-entry-without-exit',
          `${describeNode(n)} has no matching ${partnerKind(n)} in state '${st.state.label}'`,
          `add a ${partnerKind(n)} holding the same ${n.kind === 'MapEntry' ? 'map' : 'consume'} object as the entry, and route the scope's outputs through it`);
      }
    }
  },
};

export const mapExitWithoutEntry: ValidationRule = {
  name: 'map-exit-without-entry',
  summary: 'every MapExit (ConsumeExit) has one entry node holding the same scope object',
  *check(ctx) {
    for (const st of ctx.states) {
      for (const n of st.scopes.unmatchedExits) {
        yield nodeIssue(st, n, 'map-exit-without-entry',
          `${describeNode(n)} has no matching ${partnerKind(n)} in state '${st.state.label}'`,
          `add a ${partnerKind(n)} holding the same ${n.kind === 'MapExit' ? 'map' : 'consume'} object as the exit, or remove the exit`);
      }
    }
  },
};

export const scopeCrossing: ValidationRule = {
  name: 'scope-crossing',
  summary: 'edges enter a scope only through its entry and leave it only through its exit',
  *check(ctx) {
    for (const st of ctx.states) {
      // Scopes of a cyclic state are not well defined; state-cycle reports it.
      if (!st.order) continue;
      for (const e of st.validEdges()) {
        const issue = crossing(st, e);
        if (issue) yield issue;
      }
    }
  },
};

function crossing(st: StateInfo, e: Edge): ValidationError | undefined {
  const { scopes } = st;
  const from = scopes.srcSide(e), to = scopes.dstSide(e);
  if (from === to) return undefined;
  const outer = scopes.enclosing(from), inner = scopes.enclosing(to);
  const left = outer.find((s) => !inner.includes(s));
  const src = endName(st, e.src, e.srcConn), dst = endName(st, e.dst, e.dstConn);
  if (left) {
    const exit = scopes.exitOf.get(left.id)!;
    return edgeIssue(st, e, 'scope-crossing',
      `edge ${describeEdge(st, e)} leaves the scope of ${describeNode(left)} without passing through ${describeNode(exit)}`,
      `connect ${src} to an IN_ connector of ${describeNode(exit)} and its matching OUT_ connector to ${dst}`);
  }
  const entered = inner.find((s) => !outer.includes(s))!;
  return edgeIssue(st, e, 'scope-crossing',
    `edge ${describeEdge(st, e)} enters the scope of ${describeNode(entered)} without passing through it`,
    `connect ${src} to an IN_ connector of ${describeNode(entered)} and its matching OUT_ connector to ${dst}`);
}
