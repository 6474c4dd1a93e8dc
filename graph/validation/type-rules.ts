// Validation rules about types: connector dtypes, copies, custom write-conflict lambdas, and tasklet code.
import { dataShape, type DataDesc } from '../data.js';
import { i64, type DType } from '../dtypes.js';
import { TaskletError, ValidationError } from '../errors.js';
import type { Memlet, Wcr } from '../memlet.js';
import type { Node, Tasklet } from '../nodes.js';
import { printWcr } from '../printer.js';
import type { Edge } from '../sdfg.js';
import type { TStmt } from '../tasklet-ast.js';
import { typeTasklet } from '../tasklet-types.js';
import {
  describeEdge, describeNode, edgeIssue, lookup, type StateInfo, type ValidationRule,
} from './context.js';
import { memletText } from './data-rules.js';
import { viewDims } from './memlets.js';

const codeNode = (n: Node): boolean => n.kind === 'Tasklet' || n.kind === 'NestedSDFG' || n.kind === 'LibraryNode';

export const dtypeMismatch: ValidationRule = {
  name: 'dtype-mismatch',
  summary: 'declared connector dtypes match the data moved, copies do not convert, custom wcr lambdas fit their data',
  *check(ctx) {
    for (const st of ctx.states) {
      for (const e of st.validEdges()) {
        const desc = st.desc(e.memlet.data);
        if (!desc) continue;
        yield* connectorTypes(st, e, desc);
        const copy = copyTypes(st, e);
        if (copy) yield copy;
        const wcr = e.memlet.wcr;
        if (wcr?.op === 'custom') {
          const problem = wcrProblem(wcr, desc.dtype);
          if (problem) {
            yield edgeIssue(st, e, 'dtype-mismatch',
              `custom write-conflict resolution ${printWcr(wcr)} on edge ${describeEdge(st, e)} does not type-check for ${desc.dtype.name} data '${e.memlet.data}': ${problem.summary}`,
              problem.hint ?? `write the lambda so that it combines two ${desc.dtype.name} values into one`, problem);
          }
        }
      }
    }
  },
};

function* connectorTypes(st: StateInfo, e: Edge, desc: DataDesc): Generator<ValidationError> {
  const ends: [Node, string | null, 'input' | 'output'][] = [[st.node(e.src)!, e.srcConn, 'output'], [st.node(e.dst)!, e.dstConn, 'input']];
  for (const [n, conn, side] of ends) {
    if (!codeNode(n) || conn === null) continue;
    const declared = lookup(side === 'input' ? n.inConnectors : n.outConnectors, conn);
    if (!declared || declared === desc.dtype) continue;
    yield edgeIssue(st, e, 'dtype-mismatch',
      `${side} connector '${conn}' of ${describeNode(n)} is declared ${declared.name}, but memlet ${memletText(e.memlet)} on edge ${describeEdge(st, e)} moves ${desc.dtype.name} data '${e.memlet.data}'`,
      `declare the connector as ${desc.dtype.name} (or null to take the data's dtype), and convert inside the tasklet with a cast`);
  }
}

function copyTypes(st: StateInfo, e: Edge): ValidationError | undefined {
  const src = st.node(e.src)!, dst = st.node(e.dst)!;
  if (src.kind !== 'AccessNode' || dst.kind !== 'AccessNode') return undefined;
  const from = st.desc(src.data), to = st.desc(dst.data);
  // A view reinterprets the memory of the data it is connected to; that is not a converting copy.
  if (!from || !to || from.kind === 'View' || to.kind === 'View' || from.dtype === to.dtype) return undefined;
  return edgeIssue(st, e, 'dtype-mismatch',
    `edge ${describeEdge(st, e)} copies ${from.dtype.name} data '${src.data}' into ${to.dtype.name} data '${dst.data}'`,
    `copies do not convert: give both containers the same dtype, or convert in a tasklet (e.g. out = ${to.dtype.short}(a))`);
}

/** Type-checks `(a, b) => body` as a tasklet assigning the body to a value of the data's dtype. */
export function wcrProblem(wcr: Wcr, dtype: DType): TaskletError | undefined {
  if (wcr.op !== 'custom') return undefined;
  const result = '__wcr_result';
  const body: TStmt[] = [{ k: 'assign', target: { k: 'name', name: result }, op: '=', value: wcr.body }];
  const inputs = Object.fromEntries(wcr.params.map((p) => [p, { dtype, dims: 0 }]));
  try {
    typeTasklet(body, { inputs, outputs: { [result]: { dtype, dims: 0 } }, symbols: {} }, {});
    return undefined;
  } catch (err) {
    if (err instanceof TaskletError) return err;
    throw err;
  }
}

// ---------------------------------------------------------------- tasklet code

interface ConnectorType { dtype: DType; dims: number; dynamic?: boolean }

/** What a connector holds: the declared dtype or the data's, and the dimensions of the memlet's subset. */
function connectorType(st: StateInfo, declared: DType | null | undefined, edge: Edge | undefined): ConnectorType | undefined {
  const m: Memlet | undefined = edge?.memlet;
  const desc = m ? st.desc(m.data) : undefined;
  const dtype = declared ?? desc?.dtype;
  if (!dtype) return undefined;
  if (!m || !desc) return { dtype, dims: 0 };
  const dims = m.subset ? viewDims(m.subset) : dataShape(desc).filter((d) => d.constantValue() !== 1).length;
  return { dtype, dims, ...(m.dynamic ? { dynamic: true } : {}) };
}

/** The names a tasklet may read besides its connectors: SDFG symbols and constants, parameters and loop variables. */
export function taskletSymbols(st: StateInfo, n: Node): Record<string, DType> {
  const sdfg = st.sdfg.sdfg;
  const symbols: Record<string, DType> = {};
  for (const [name, c] of Object.entries(sdfg.constants)) symbols[name] = c.dtype;
  for (const [name, t] of Object.entries(sdfg.symbols)) symbols[name] = t;
  const scoped = [...st.cfg.loopVars, ...(st.order ? st.scopeSymbols(st.scopes.outerOf(n)) : [])];
  for (const name of scoped) symbols[name] = lookup(sdfg.symbols, name) ?? i64;
  return symbols;
}

export const taskletCode: ValidationRule = {
  name: 'tasklet-code',
  summary: 'the code of every tasklet in the tasklet language type-checks against its connectors and symbols',
  *check(ctx) {
    for (const st of ctx.states) {
      for (const n of st.nodeList) {
        if (n.kind !== 'Tasklet' || n.code.language !== 'tasklet') continue;
        const issue = checkTasklet(st, n);
        if (issue) yield issue;
      }
    }
  },
};

function checkTasklet(st: StateInfo, n: Tasklet): ValidationError | undefined {
  if (n.code.language !== 'tasklet') return undefined;
  // A name that is both an input and an output is connector-mismatch's to report; its type is ambiguous.
  if (Object.keys(n.inConnectors).some((c) => Object.prototype.hasOwnProperty.call(n.outConnectors, c))) return undefined;
  const inputs: Record<string, ConnectorType> = {}, outputs: Record<string, ConnectorType> = {};
  const sides: [Record<string, DType | null>, readonly Edge[], 'dst' | 'src', Record<string, ConnectorType>][] = [
    [n.inConnectors, st.inEdges(n.id), 'dst', inputs], [n.outConnectors, st.outEdges(n.id), 'src', outputs],
  ];
  for (const [connectors, edges, end, into] of sides) {
    for (const [c, declared] of Object.entries(connectors)) {
      const edge = edges.find((e) => (end === 'dst' ? e.dstConn : e.srcConn) === c && e.memlet.data !== null);
      const t = connectorType(st, declared, edge);
      // A connector whose type cannot be known is dangling-connector's or unknown-data's to report.
      if (!t) return undefined;
      into[c] = t;
    }
  }
  const path = { sdfg: st.sdfg.sdfg.name, state: st.state.label, node: n.label };
  try {
    typeTasklet(n.code.body, { inputs, outputs, symbols: taskletSymbols(st, n) },
      { ...(n.loc ? { loc: n.loc } : {}), path, ...(n.code.source !== undefined ? { source: n.code.source } : {}) });
    return undefined;
  } catch (err) {
    if (!(err instanceof TaskletError)) throw err;
    const loc = err.loc ?? n.loc ?? st.state.loc;
    return new ValidationError({
      code: 'tasklet-code', message: `${describeNode(n)}: ${err.summary}`, path,
      hint: err.hint ?? 'fix the tasklet code so that it type-checks', cause: err, ...(loc ? { loc } : {}),
    });
  }
}
