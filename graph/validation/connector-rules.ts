// Validation rules for connectors: every declared connector is used, every used one declared, scope connectors paired.
import type { ValidationError } from '../errors.js';
import { isEmptyMemlet } from '../memlet.js';
import type { Node } from '../nodes.js';
import { isScopeEntry, isScopeExit } from '../nodes.js';
import type { Edge } from '../sdfg.js';
import {
  describeEdge, describeNode, edgeIssue, has, nodeIssue, type StateInfo, pushTo, type ValidationRule,
} from './context.js';

/** Nodes whose connectors are their code's variables: each one must carry exactly the data declared. */
const hasCodeConnectors = (n: Node): boolean => n.kind === 'Tasklet' || n.kind === 'NestedSDFG' || n.kind === 'LibraryNode';

export const danglingConnector: ValidationRule = {
  name: 'dangling-connector',
  summary: 'every declared connector has an edge, and every edge uses a declared connector',
  *check(ctx) {
    for (const st of ctx.states) for (const n of st.nodeList) yield* danglingAt(st, n);
  },
};

function* danglingAt(st: StateInfo, n: Node): Generator<ValidationError> {
  const scope = isScopeEntry(n) || isScopeExit(n);
  if (!scope && !hasCodeConnectors(n)) return;
  const ins = st.inEdges(n.id), outs = st.outEdges(n.id);
  const usedIn = new Set(ins.map((e) => e.dstConn)), usedOut = new Set(outs.map((e) => e.srcConn));
  for (const c of Object.keys(n.inConnectors)) {
    // A dynamic map input (a connector without IN_) may be fed or not; IN_ connectors of scopes must be fed.
    if (scope && !c.startsWith('IN_')) continue;
    if (usedIn.has(c)) continue;
    yield nodeIssue(st, n, 'dangling-connector', `input connector '${c}' of ${describeNode(n)} has no edge`,
      `connect a memlet to ${n.label}.${c}, or remove the connector`);
  }
  // An unused output of a scope node only drops data; a code node's unused output is a missing edge.
  if (!scope) {
    for (const c of Object.keys(n.outConnectors)) {
      if (usedOut.has(c)) continue;
      yield nodeIssue(st, n, 'dangling-connector', `output connector '${c}' of ${describeNode(n)} has no edge`,
        `connect ${n.label}.${c} to where its result goes, or remove the connector`);
    }
  }
  for (const e of ins) {
    if (e.dstConn !== null && !has(n.inConnectors, e.dstConn)) {
      yield edgeIssue(st, e, 'dangling-connector',
        `edge ${describeEdge(st, e)} goes into connector '${e.dstConn}', which ${describeNode(n)} does not declare`,
        `declare '${e.dstConn}' among the node's inConnectors, or connect the edge to a connector it declares`);
    } else if (e.dstConn === null && !scope && !isEmptyMemlet(e.memlet)) {
      yield edgeIssue(st, e, 'dangling-connector',
        `edge ${describeEdge(st, e)} carries '${e.memlet.data}' into ${describeNode(n)} without naming a connector`,
        `set the edge's dstConn to one of the input connectors of ${n.label}`);
    }
  }
  for (const e of outs) {
    if (e.srcConn !== null && !has(n.outConnectors, e.srcConn)) {
      yield edgeIssue(st, e, 'dangling-connector',
        `edge ${describeEdge(st, e)} comes out of connector '${e.srcConn}', which ${describeNode(n)} does not declare`,
        `declare '${e.srcConn}' among the node's outConnectors, or connect the edge from a connector it declares`);
    } else if (e.srcConn === null && !scope && !isEmptyMemlet(e.memlet)) {
      yield edgeIssue(st, e, 'dangling-connector',
        `edge ${describeEdge(st, e)} carries '${e.memlet.data}' out of ${describeNode(n)} without naming a connector`,
        `set the edge's srcConn to one of the output connectors of ${n.label}`);
    }
  }
}

export const connectorMismatch: ValidationRule = {
  name: 'connector-mismatch',
  summary: 'scope connectors come in IN_x/OUT_x pairs, edges use them, and an input connector takes one edge',
  *check(ctx) {
    for (const st of ctx.states) {
      for (const n of st.nodeList) {
        if (isScopeEntry(n) || isScopeExit(n)) yield* scopeConnectors(st, n);
        if (n.kind === 'Tasklet') {
          for (const c of Object.keys(n.inConnectors)) {
            if (!has(n.outConnectors, c)) continue;
            yield nodeIssue(st, n, 'connector-mismatch', `${describeNode(n)} declares '${c}' as both an input and an output connector`,
              'rename one of the two: a tasklet reads its inputs and writes its outputs under distinct names');
          }
        }
        // Several writes may meet at an exit's input; anywhere else an input is one value.
        if (n.kind !== 'AccessNode' && !isScopeExit(n)) yield* sharedInputs(st, n);
      }
    }
  },
};

function* scopeConnectors(st: StateInfo, n: Node): Generator<ValidationError> {
  for (const c of Object.keys(n.inConnectors)) {
    if (c.startsWith('IN_') && !has(n.outConnectors, 'OUT_' + c.slice(3))) {
      yield nodeIssue(st, n, 'connector-mismatch', `${describeNode(n)} has input connector '${c}' but no output connector 'OUT_${c.slice(3)}'`,
        `declare scope connectors in pairs: add 'OUT_${c.slice(3)}', or remove '${c}'`);
    }
  }
  for (const c of Object.keys(n.outConnectors)) {
    if (c.startsWith('OUT_') && !has(n.inConnectors, 'IN_' + c.slice(4))) {
      yield nodeIssue(st, n, 'connector-mismatch', `${describeNode(n)} has output connector '${c}' but no input connector 'IN_${c.slice(4)}'`,
        `declare scope connectors in pairs: add 'IN_${c.slice(4)}', or remove '${c}'`);
    }
  }
  for (const e of st.inEdges(n.id)) {
    const dynamicInput = isScopeEntry(n) && e.dstConn !== null && has(n.inConnectors, e.dstConn);
    if (e.dstConn === null ? !isEmptyMemlet(e.memlet) : !e.dstConn.startsWith('IN_') && !dynamicInput) {
      yield edgeIssue(st, e, 'connector-mismatch',
        e.dstConn === null
          ? `edge ${describeEdge(st, e)} carries '${e.memlet.data}' into ${describeNode(n)} without an IN_ connector`
          : `edge ${describeEdge(st, e)} goes into connector '${e.dstConn}' of ${describeNode(n)}, which does not start with IN_`,
        `data passes through a scope node as a pair IN_<name> / OUT_<name>: connect the edge to an IN_ connector`);
    }
  }
  for (const e of st.outEdges(n.id)) {
    if (e.srcConn === null ? !isEmptyMemlet(e.memlet) : !e.srcConn.startsWith('OUT_')) {
      yield edgeIssue(st, e, 'connector-mismatch',
        e.srcConn === null
          ? `edge ${describeEdge(st, e)} carries '${e.memlet.data}' out of ${describeNode(n)} without an OUT_ connector`
          : `edge ${describeEdge(st, e)} comes out of connector '${e.srcConn}' of ${describeNode(n)}, which does not start with OUT_`,
        `data passes through a scope node as a pair IN_<name> / OUT_<name>: connect the edge from an OUT_ connector`);
    }
  }
}

function* sharedInputs(st: StateInfo, n: Node): Generator<ValidationError> {
  const byConn = new Map<string, Edge[]>();
  for (const e of st.inEdges(n.id)) if (e.dstConn !== null) pushTo(byConn, e.dstConn, e);
  for (const [c, edges] of byConn) {
    if (edges.length < 2) continue;
    yield edgeIssue(st, edges[1]!, 'connector-mismatch',
      `input connector '${c}' of ${describeNode(n)} has ${edges.length} incoming edges (${edges.map((e) => describeEdge(st, e)).join(', ')})`,
      'an input connector takes exactly one edge: give each edge its own connector');
  }
}
