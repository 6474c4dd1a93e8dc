// Validation rules for nodes with an inside: nested SDFGs (connectors, symbols) and library nodes (operand shapes).
import { dataShape } from '../data.js';
import type { ValidationError } from '../errors.js';
import type { LibraryNode, NestedSDFG } from '../nodes.js';
import type { Edge } from '../sdfg.js';
import {
  describeEdge, describeNode, edgeIssue, has, lookup, nodeIssue, type StateInfo, type ValidationContext, type ValidationRule,
} from './context.js';
import { memletText } from './data-rules.js';
import { viewDims } from './memlets.js';
import { freeSymbolsOf } from './symbol-rules.js';

export const nestedSdfgConnectors: ValidationRule = {
  name: 'nested-sdfg-connectors',
  summary: "a nested SDFG's connectors are non-transient data of the inner SDFG with the outer dtype; its free symbols are mapped",
  *check(ctx) {
    for (const st of ctx.states) {
      for (const n of st.nodeList) if (n.kind === 'NestedSDFG') yield* checkNested(ctx, st, n);
    }
  },
};

function* checkNested(ctx: ValidationContext, st: StateInfo, n: NestedSDFG): Generator<ValidationError> {
  const inner = n.sdfg;
  const edges = [...st.inEdges(n.id).map((e) => [e, e.dstConn] as const), ...st.outEdges(n.id).map((e) => [e, e.srcConn] as const)];
  const connectors = new Set([...Object.keys(n.inConnectors), ...Object.keys(n.outConnectors)]);
  for (const c of connectors) {
    const desc = lookup(inner.arrays, c);
    if (!desc) {
      const names = Object.entries(inner.arrays).filter(([, d]) => !d.transient).map(([k]) => k);
      yield nodeIssue(st, n, 'nested-sdfg-connectors', `connector '${c}' of ${describeNode(n)} names no data of its SDFG '${inner.name}'`,
        `name each connector after a non-transient container of '${inner.name}'${names.length ? ` (${names.join(', ')})` : ''}`);
      continue;
    }
    if (desc.transient) {
      yield nodeIssue(st, n, 'nested-sdfg-connectors', `connector '${c}' of ${describeNode(n)} is transient data '${c}' of its SDFG '${inner.name}'`,
        `make '${c}' non-transient in '${inner.name}' so that the outer data is passed in`);
    }
    for (const [e, conn] of edges) {
      const outer = conn === c ? st.desc(e.memlet.data) : undefined;
      if (!outer || outer.dtype === desc.dtype) continue;
      yield edgeIssue(st, e, 'nested-sdfg-connectors',
        `edge ${describeEdge(st, e)} passes ${outer.dtype.name} data '${e.memlet.data}' to connector '${c}' of ${describeNode(n)}, which is ${desc.dtype.name} data in '${inner.name}'`,
        `give '${c}' in '${inner.name}' the dtype ${outer.dtype.name}, or convert the data before the call`);
    }
  }
  const info = ctx.infos.get(inner);
  if (!info) return;
  for (const s of freeSymbolsOf(info)) {
    if (has(n.symbolMapping, s)) continue;
    yield nodeIssue(st, n, 'nested-sdfg-connectors', `symbol '${s}' used inside SDFG '${inner.name}' is not mapped by ${describeNode(n)}`,
      `add '${s}' to the node's symbolMapping (an expression over the outer symbols, e.g. ${s}: sym('${s}'))`);
  }
}

export const libraryNode: ValidationRule = {
  name: 'library-node',
  summary: 'library node operands fit the operation: Reduce axes within the input, MatMul operands of rank 1 or 2',
  *check(ctx) {
    for (const st of ctx.states) {
      for (const n of st.nodeList) {
        if (n.kind !== 'LibraryNode') continue;
        switch (n.op.name) {
          case 'Reduce': yield* checkReduce(st, n, n.op.axes); break;
          case 'MatMul': yield* checkMatMul(st, n); break;
          case 'Unknown': break;
        }
      }
    }
  },
};

function inputEdge(st: StateInfo, n: LibraryNode, conn: string): Edge | undefined {
  return st.inEdges(n.id).find((e) => e.dstConn === conn && e.memlet.data !== null);
}

function* checkReduce(st: StateInfo, n: LibraryNode, axes: readonly number[] | null): Generator<ValidationError> {
  const e = inputEdge(st, n, '_in');
  const desc = e && st.desc(e.memlet.data);
  if (!e || !desc || axes === null) return;
  const rank = e.memlet.subset ? e.memlet.subset.ranges.length : dataShape(desc).length;
  const seen = new Set<number>();
  for (const axis of axes) {
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank) {
      yield nodeIssue(st, n, 'library-node', `${describeNode(n)} reduces axis ${axis}, but its input ${memletText(e.memlet)} has ${rank} dimension${rank === 1 ? '' : 's'}`,
        rank > 0 ? `use axes between 0 and ${rank - 1}, or null to reduce all of them` : 'reduce with axes null');
    } else if (seen.has(axis)) {
      yield nodeIssue(st, n, 'library-node', `${describeNode(n)} lists axis ${axis} more than once`, 'list each axis once');
    }
    seen.add(axis);
  }
}

function* checkMatMul(st: StateInfo, n: LibraryNode): Generator<ValidationError> {
  for (const [conn, side] of [['_a', 'left'], ['_b', 'right']] as const) {
    const e = inputEdge(st, n, conn);
    if (!e) {
      yield nodeIssue(st, n, 'library-node', `${describeNode(n)} has no ${side} operand on connector '${conn}'`,
        `connect the ${side} operand of the product to ${n.label}.${conn}`);
      continue;
    }
    const desc = st.desc(e.memlet.data);
    if (!desc) continue;
    const rank = e.memlet.subset ? viewDims(e.memlet.subset) : dataShape(desc).length;
    if (rank === 1 || rank === 2) continue;
    yield edgeIssue(st, e, 'library-node',
      `${side} operand ${memletText(e.memlet)} of ${describeNode(n)} has ${rank} dimension${rank === 1 ? '' : 's'}; MatMul multiplies vectors and matrices (1 or 2 dimensions)`,
      'pass a matrix or vector slice of the operand (single indices drop a dimension), or map over the extra dimensions');
  }
}
