// Validation rules for data references: known containers, memlets that match their access nodes, subsets that fit, arguments.
import { dataShape, type DataDesc } from '../data.js';
import type { ValidationError } from '../errors.js';
import type { Memlet } from '../memlet.js';
import type { Edge } from '../sdfg.js';
import type { Subset } from '../subsets.js';
import { formatSubset, subsetFitsShape } from '../subsets.js';
import {
  describeEdge, describeNode, edgeIssue, has, lookup, nodeIssue, sdfgIssue, type StateInfo, type ValidationRule,
} from './context.js';
import { extremeViolation, hasZeroOffset, scopeAssumptions } from './memlets.js';

const shapeText = (desc: DataDesc): string => `[${dataShape(desc).map((e) => e.toString()).join(', ')}]`;

/** `A[i, 0:N]`, or just `A` for a memlet without a subset. */
export function memletText(m: Memlet): string {
  if (m.data === null) return 'an empty memlet';
  return m.subset ? `${m.data}[${formatSubset(m.subset)}]` : m.data;
}

function knownNames(st: StateInfo): string {
  const names = Object.keys(st.sdfg.sdfg.arrays);
  if (names.length === 0) return 'it has no data';
  return `its data: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}`;
}

export const unknownData: ValidationRule = {
  name: 'unknown-data',
  summary: 'access nodes and memlets name data the SDFG declares',
  *check(ctx) {
    for (const st of ctx.states) {
      const sdfgName = st.sdfg.sdfg.name;
      for (const n of st.nodeList) {
        if (n.kind !== 'AccessNode' || st.desc(n.data)) continue;
        yield nodeIssue(st, n, 'unknown-data', `${describeNode(n)} refers to data '${n.data}', which SDFG '${sdfgName}' does not declare`,
          `declare '${n.data}' in sdfg.arrays, or use one of ${knownNames(st)}`);
      }
      for (const e of st.validEdges()) {
        const data = e.memlet.data;
        if (data === null || st.desc(data)) continue;
        yield edgeIssue(st, e, 'unknown-data', `memlet ${memletText(e.memlet)} on edge ${describeEdge(st, e)} names data '${data}', which SDFG '${sdfgName}' does not declare`,
          `declare '${data}' in sdfg.arrays, or use one of ${knownNames(st)}`);
      }
    }
  },
};

/** The data of the access nodes at the ends of an edge. */
function accessData(st: StateInfo, e: Edge): string[] {
  return [st.node(e.src)!, st.node(e.dst)!].flatMap((n) => (n.kind === 'AccessNode' ? [n.data] : []));
}

export const memletDataMismatch: ValidationRule = {
  name: 'memlet-data-mismatch',
  summary: "a memlet next to an access node names that node's data (or, on a copy, the other node's)",
  *check(ctx) {
    for (const st of ctx.states) {
      for (const e of st.validEdges()) {
        const data = e.memlet.data;
        if (data === null) continue;
        const ends = accessData(st, e);
        if (ends.length === 0 || ends.includes(data)) continue;
        const what = ends.length === 1 ? `access node data '${ends[0]}'` : `access nodes of '${ends[0]}' and '${ends[1]}'`;
        yield edgeIssue(st, e, 'memlet-data-mismatch', `memlet ${memletText(e.memlet)} on edge ${describeEdge(st, e)} names '${data}', but the edge touches ${what}`,
          ends.length === 1
            ? `name '${ends[0]}' in the memlet (with a subset of '${ends[0]}')`
            : `name '${ends[0]}' or '${ends[1]}' in the memlet, with otherSubset for the other side of the copy`);
      }
    }
  },
};

/** The container on the other side of a copy between two access nodes, whose elements `otherSubset` selects. */
function otherData(st: StateInfo, e: Edge): string | undefined {
  const ends = accessData(st, e);
  if (ends.length !== 2 || e.memlet.data === null) return undefined;
  if (ends[0] === e.memlet.data) return ends[1];
  return ends[1] === e.memlet.data ? ends[0] : undefined;
}

/** Each (data, subset) a memlet addresses: its own subset, and on a copy the other side's. */
function* addressed(st: StateInfo, e: Edge): Generator<{ data: string; desc: DataDesc; subset: Subset; which: 'subset' | 'otherSubset' }> {
  const m = e.memlet;
  const desc = st.desc(m.data);
  if (m.data === null || !desc) return;
  if (m.subset) yield { data: m.data, desc, subset: m.subset, which: 'subset' };
  const other = otherData(st, e);
  const otherDesc = other === undefined ? undefined : st.desc(other);
  if (m.otherSubset && other !== undefined && otherDesc) yield { data: other, desc: otherDesc, subset: m.otherSubset, which: 'otherSubset' };
}

export const subsetDims: ValidationRule = {
  name: 'subset-dims',
  summary: 'a memlet subset has one range per dimension of its data',
  *check(ctx) {
    for (const st of ctx.states) {
      for (const e of st.validEdges()) {
        for (const { data, desc, subset, which } of addressed(st, e)) {
          const rank = dataShape(desc).length, got = subset.ranges.length;
          if (rank === got) continue;
          const shown = which === 'subset' ? memletText(e.memlet) : `${data}[${formatSubset(subset)}] (otherSubset)`;
          yield edgeIssue(st, e, 'subset-dims',
            `memlet ${shown} on edge ${describeEdge(st, e)} has ${got} dimension${got === 1 ? '' : 's'}, but '${data}' has ${rank}`,
            `give one index or range per dimension of '${data}' (shape ${shapeText(desc)})`);
        }
      }
    }
  },
};

export const subsetOutOfBounds: ValidationRule = {
  name: 'subset-out-of-bounds',
  summary: 'a memlet subset stays inside its data, where that is decidable from the map ranges around it',
  *check(ctx) {
    for (const st of ctx.states) {
      for (const e of st.validEdges()) {
        // Scopes are only meaningful in an acyclic state; without them only constant subsets are decided.
        const assumptions = st.order ? scopeAssumptions(st.scopes.enclosing(st.scopes.innerSide(e))) : {};
        for (const { data, desc, subset, which } of addressed(st, e)) {
          const shape = dataShape(desc);
          if (shape.length !== subset.ranges.length || !hasZeroOffset(desc)) continue;
          const fit = subsetFitsShape(subset, shape, assumptions);
          const detail = fit.ok === false ? fit.detail : fit.ok === 'unknown' ? extremeViolation(subset, shape, assumptions) : undefined;
          if (detail === undefined) continue;
          const shown = which === 'subset' ? memletText(e.memlet) : `${data}[${formatSubset(subset)}] (otherSubset)`;
          yield edgeIssue(st, e, 'subset-out-of-bounds',
            `memlet ${shown} on edge ${describeEdge(st, e)} reaches outside '${data}' (shape ${shapeText(desc)}): ${detail}`,
            `keep every index of '${data}' within 0 .. size - 1 of its dimension; check the map ranges and the offsets in the subset`);
        }
      }
    }
  },
};

export const transientInArgs: ValidationRule = {
  name: 'transient-in-args',
  summary: 'the arguments of an SDFG are not transient data',
  *check(ctx) {
    for (const s of ctx.sdfgs) {
      for (const name of s.sdfg.argNames) {
        if (!lookup(s.sdfg.arrays, name)?.transient) continue;
        yield sdfgIssue(s, 'transient-in-args', `argument '${name}' of SDFG '${s.sdfg.name}' is transient data`,
          `make '${name}' non-transient if the caller passes it, or remove it from argNames`);
      }
    }
  },
};

export const argUnknown: ValidationRule = {
  name: 'arg-unknown',
  summary: 'every argument of an SDFG is one of its data containers or symbols',
  *check(ctx): Generator<ValidationError> {
    for (const s of ctx.sdfgs) {
      for (const name of s.sdfg.argNames) {
        if (has(s.sdfg.arrays, name) || has(s.sdfg.symbols, name)) continue;
        yield sdfgIssue(s, 'arg-unknown', `argument '${name}' of SDFG '${s.sdfg.name}' is neither data nor a symbol of it`,
          `declare '${name}' as data or as a symbol, or remove it from argNames`);
      }
    }
  },
};
