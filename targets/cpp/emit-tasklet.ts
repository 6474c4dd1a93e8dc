// Tasklets in C++: connectors as locals or strided pointers, the body printed by the C-like printer, write-backs.
//
// Semantics follow the reference interpreter: a dynamic input is read where the code reads it; a stream input is
// popped when first read; an output assigned on some paths only writes nothing on the others; each assignment to a
// stream output pushes; an array output with conflict resolution combines element by element as it is assigned.
import type { DType } from '../../graph/dtypes.js';
import { i64 } from '../../graph/dtypes.js';
import type { Memlet } from '../../graph/memlet.js';
import type { Tasklet } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { index, isIndex, subset, type Subset } from '../../graph/subsets.js';
import { sym } from '../../graph/symbolic.js';
import type { TExpr, TStmt } from '../../graph/tasklet-ast.js';
import { typeTasklet, type ConnectorInfo } from '../../graph/tasklet-types.js';
import { CLikePrinter, cppDialect, type NameResolver } from '../common/c-like.js';
import {
  CodeWriter, type ContainerAccess, type FunctionContext, type ScopeFrame, nodePath, originComment, reservedWords, unsupported,
} from './emit-context.js';
import { elementRef, subsetPointer, viewDims, type ViewDim } from './emit-memlet.js';
import { emitWrite, wcrIdentity } from './emit-wcr.js';

/** How the tasklet body sees one connector. */
export interface ConnectorBinding {
  readonly name: string;
  /** The C identifier inside the tasklet's block. */
  readonly cname: string;
  /** The connector's type: declared on the tasklet, else its data's. */
  readonly dtype: DType;
  /** Dimensions of an array-valued connector; null for a scalar one. */
  readonly dims: ViewDim[] | null;
  /** Every edge of the connector (an output may write several places). */
  readonly edges: readonly Edge[];
  readonly access: ContainerAccess;
  readonly subset: Subset | null;
}

/** True when a memlet names a single element (a scalar connector). */
export function isSingleElement(access: ContainerAccess, s: Subset | null): boolean {
  if (access.desc.kind === 'Scalar' || access.placement === 'stream') return true;
  return s !== null && s.ranges.every(isIndex);
}

/** Symbols the tasklet may read: the function's symbols and the enclosing scopes' parameters (all integers). */
export function symbolTypes(fn: FunctionContext, frame: ScopeFrame): Record<string, DType> {
  const out: Record<string, DType> = {};
  for (const s of fn.symbols) out[s] = fn.sdfg.symbols[s] ?? i64;
  for (const [name, c] of Object.entries(fn.sdfg.constants)) out[name] = c.dtype;
  for (const p of frame.params) out[p] = i64;
  return out;
}

/** Text of `view[i, j]` on a strided pointer: `p[i * s0 + j]`. */
export function stridedElement(pointer: string, dims: readonly ViewDim[], indices: readonly string[]): string {
  if (indices.length !== dims.length) {
    throw unsupported(`'${pointer}' has ${dims.length} dimensions but is indexed with ${indices.length}`);
  }
  const terms = indices.map((i, d) => {
    const stride = dims[d]!.stride;
    if (stride.equals(1)) return i;
    return `${/^[\w.]+$/.test(i) ? i : `(${i})`} * ${stride.toC()}`;
  });
  return `${pointer}[${terms.join(' + ') || '0'}]`;
}

/** Whether every path through `body` assigns the scalar `name` (a loop may run zero times). */
function definitelyAssigns(body: readonly TStmt[], name: string): boolean {
  return body.some((s) => (s.k === 'assign' && s.target.k === 'name' && s.target.name === name)
    || (s.k === 'if' && definitelyAssigns(s.then, name) && definitelyAssigns(s.else, name)));
}

/** Whether evaluating `e` always reads `name` (not only behind `&&`, `||` or a branch of `?:`). */
function alwaysReads(e: TExpr, name: string): boolean {
  switch (e.k) {
    case 'num': case 'bool': return false;
    case 'name': return e.name === name;
    case 'index': return e.name === name || e.indices.some((i) => alwaysReads(i, name));
    case 'unary': case 'cast': return alwaysReads(e.arg, name);
    case 'binary': return alwaysReads(e.lhs, name) || (e.op !== '&&' && e.op !== '||' && alwaysReads(e.rhs, name));
    case 'ternary': return alwaysReads(e.cond, name);
    case 'call': return e.args.some((a) => alwaysReads(a, name));
  }
}

function definitelyReads(body: readonly TStmt[], name: string): boolean {
  return body.some((s) => {
    switch (s.k) {
      case 'assign': return alwaysReads(s.value, name) || (s.target.k === 'index' && s.target.indices.some((i) => alwaysReads(i, name)));
      case 'let': return alwaysReads(s.value, name);
      case 'if': return alwaysReads(s.cond, name) || (definitelyReads(s.then, name) && definitelyReads(s.else, name));
      case 'for': return alwaysReads(s.begin, name) || alwaysReads(s.end, name) || alwaysReads(s.step, name);
    }
  });
}

/** Connector identifiers that cannot clash with the function's own names (containers, symbols, keywords). */
function connectorName(fn: FunctionContext, name: string, taken: Set<string>): string {
  let cname = name;
  const clashes = (n: string): boolean => reservedWords.has(n) || fn.containers.has(n) || fn.symbols.has(n) || taken.has(n)
    || n in fn.sdfg.constants || [...fn.containers.values()].some((c) => c.cname === n);
  for (let k = 0; clashes(cname); k++) cname = k === 0 ? `${name}_` : `${name}_${k}`;
  taken.add(cname);
  return cname;
}

function groupByConnector(edges: readonly Edge[], side: 'in' | 'out'): Map<string, Edge[]> {
  const groups = new Map<string, Edge[]>();
  for (const e of edges) {
    const conn = side === 'in' ? e.dstConn : e.srcConn;
    if (conn === null || e.memlet.data === null) continue;
    groups.set(conn, [...(groups.get(conn) ?? []), e]);
  }
  return groups;
}

function bind(fn: FunctionContext, state: State, node: Tasklet, name: string, edges: Edge[], side: 'in' | 'out', taken: Set<string>): ConnectorBinding {
  const m = edges[0]!.memlet;
  const access = fn.access(m.data!, nodePath(fn, state, node));
  const declared = side === 'in' ? node.inConnectors[name] : node.outConnectors[name];
  const dtype = declared ?? access.desc.dtype;
  const single = isSingleElement(access, m.subset);
  const dims = single ? null : viewDims(access, m.subset!, m.subset!.ranges.filter((r) => !isIndex(r)).length);
  if (dims && dtype.name !== access.desc.dtype.name) {
    throw unsupported(`array connector '${name}' of tasklet '${node.label}' is declared ${dtype.name} but its data holds ${access.desc.dtype.name}`,
      nodePath(fn, state, node), 'convert element by element in the tasklet instead');
  }
  return { name, cname: connectorName(fn, name, taken), dtype, dims, edges, access, subset: m.subset };
}

const firstElement = (c: ConnectorBinding): string => elementRef(c.access, c.subset?.ranges.map((r) => r.begin) ?? []);
const converted = (text: string, from: DType, to: DType): string => (from.name === to.name ? text : `static_cast<${to.c}>(${text})`);

export function emitTasklet(fn: FunctionContext, frame: ScopeFrame, state: State, node: Tasklet, w: CodeWriter): void {
  const path = nodePath(fn, state, node);
  const taken = new Set<string>();
  const ins = [...groupByConnector(inEdges(state, node), 'in')].map(([n, es]) => bind(fn, state, node, n, es, 'in', taken));
  const outs = [...groupByConnector(outEdges(state, node), 'out')].map(([n, es]) => bind(fn, state, node, n, es, 'out', taken));
  if (node.codeGlobal) fn.module.globals.add(node.codeGlobal);
  const code = node.code;
  const body = code.language === 'tasklet' ? code.body : [];
  const raw = code.language !== 'tasklet';
  /** Connectors read through an expression instead of a local. */
  const direct = new Map<string, string>();

  w.line(originComment(state, node, 'tasklet'));
  w.open('{');
  for (const c of ins) {
    const t = c.dtype.c;
    if (c.access.placement === 'stream') {
      const consumed = frame.consumed.get(c.edges[0]!.memlet.data!);
      if (consumed !== undefined) w.line(`const ${t} ${c.cname} = ${converted(consumed, c.access.desc.dtype, c.dtype)};`);
      else if (raw || definitelyReads(body, c.name)) w.line(`const ${t} ${c.cname} = ${c.access.cname}.pop();`);
      else {
        // Popped when first read, as the code may not read it on every path.
        w.line(`${t} ${c.cname}{};`);
        w.line(`bool ${c.cname}_popped = false;`);
        direct.set(c.name, `(${c.cname}_popped ? ${c.cname} : (${c.cname}_popped = true, ${c.cname} = ${c.access.cname}.pop()))`);
      }
    } else if (c.dims) {
      w.line(`const ${t}* __restrict__ ${c.cname} = ${subsetPointer(c.access, c.subset)};`);
    } else if (c.edges[0]!.memlet.dynamic && !raw) {
      direct.set(c.name, converted(firstElement(c), c.access.desc.dtype, c.dtype));
    } else {
      w.line(`const ${t} ${c.cname} = ${firstElement(c)};`);
    }
  }
  const pushes = new Set<string>();
  for (const c of outs) {
    const t = c.dtype.c;
    const m = c.edges[0]!.memlet;
    if (c.access.placement === 'stream') pushes.add(c.name);
    else if (c.dims && !m.wcr && !c.access.wcr) w.line(`${t}* __restrict__ ${c.cname} = ${subsetPointer(c.access, c.subset)};`);
    else if (c.dims) w.line(`${t}* ${c.cname} = ${subsetPointer(c.access, c.subset)};`);
    else if (raw || definitelyAssigns(body, c.name)) w.line(`${t} ${c.cname};`);
    else {
      // Assigned on some paths only: start from what writing back leaves unchanged.
      const wcr = m.wcr ?? c.access.wcr;
      w.line(`${t} ${c.cname} = ${wcr ? wcrIdentity(wcr, c.dtype, fn) : converted(firstElement(c), c.access.desc.dtype, c.dtype)};`);
    }
  }

  switch (code.language) {
    case 'tasklet': {
      const info = (c: ConnectorBinding): [string, ConnectorInfo] => [c.name, { dtype: c.dtype, dims: c.dims?.length ?? 0, dynamic: c.edges[0]!.memlet.dynamic }];
      const env = { inputs: Object.fromEntries(ins.map(info)), outputs: Object.fromEntries(outs.map(info)), symbols: symbolTypes(fn, frame) };
      const typing = typeTasklet(code.body, env, { path, ...(node.loc ? { loc: node.loc } : {}), ...(code.source ? { source: code.source } : {}) });
      const printer = new CLikePrinter(cppDialect, typing, taskletNameResolver(fn, frame.params, [...ins, ...outs], direct, {
        pushes, unsupported: (message) => unsupported(message),
        writeElement: (access, memlet, value, lines, vars) => emitWrite(fn, frame, access, memlet, value, lines, vars),
      }));
      w.append(printer.statements(code.body, ''));
      break;
    }
    case 'CPP':
      for (const line of code.source.replace(/\s+$/, '').split('\n')) w.line(line.trimEnd());
      break;
    case 'Python': case 'CUDA': case 'WGSL': case 'HLS':
      throw unsupported(`tasklet '${node.label}' is written in ${code.language}; the C++ target runs the tasklet language or raw CPP code`, path,
        'write the tasklet in the tasklet language so that every target can print it');
  }

  for (const c of outs) {
    if (pushes.has(c.name) || c.dims) continue;
    for (const e of c.edges) emitWrite(fn, frame, c.access, e.memlet, converted(c.cname, c.dtype, c.access.desc.dtype), w);
  }
  w.close();
}

/** How a target writes one element of an array connector with a write-conflict resolution. */
export type ElementWriter = (access: ContainerAccess, memlet: Memlet, value: string, w: CodeWriter, localVars: readonly string[]) => void;

/**
 * Names inside the tasklet body: connectors by their identifiers, views through strides, symbols as they are.
 * Shared by the C-like targets; each passes how it writes a conflicting element and how it reports an error.
 */
export function taskletNameResolver(
  fn: FunctionContext, params: readonly string[], connectors: readonly ConnectorBinding[], direct: ReadonlyMap<string, string>,
  how: { readonly pushes?: ReadonlySet<string>; readonly writeElement: ElementWriter; readonly unsupported: (message: string) => Error },
): NameResolver {
  const pushes = how.pushes ?? new Set<string>();
  const byName = new Map(connectors.map((c) => [c.name, c]));
  const locals = new Map<string, string>();
  const cnames = new Set(connectors.map((c) => c.cname));
  const local = (name: string): string => {
    let cname = locals.get(name);
    if (!cname) {
      cname = reservedWords.has(name) || fn.containers.has(name) || cnames.has(name) ? `${name}_local` : name;
      locals.set(name, cname);
    }
    return cname;
  };
  const isSymbol = (name: string): boolean => fn.symbols.has(name) || params.includes(name) || name in fn.sdfg.constants;
  return {
    read: (name) => direct.get(name) ?? byName.get(name)?.cname ?? (isSymbol(name) ? name : local(name)),
    write: (name) => {
      const c = byName.get(name);
      if (c && pushes.has(name)) return `${c.access.cname}.next()`;
      return c ? c.cname : local(name);
    },
    element: (name, indices) => {
      const c = byName.get(name);
      if (!c?.dims) throw how.unsupported(`'${name}' is not an array connector`);
      return stridedElement(c.cname, c.dims, indices);
    },
    assignElement: (name, indices, op, value) => {
      const c = byName.get(name);
      const wcr = c?.edges[0]!.memlet.wcr ?? c?.access.wcr;
      if (!c?.dims || !wcr) return undefined;
      // The element's container coordinates, so that the write can be made atomic or combined where it must be.
      const vars = indices.map((_, d) => `${c.cname}_at${d}`);
      const lines = new CodeWriter();
      lines.open('{');
      vars.forEach((v, d) => lines.line(`const int64_t ${v} = ${indices[d]};`));
      const at = c.subset!.ranges.map((r, d) => {
        const k = c.dims!.findIndex((v) => v.dim === d);
        return k < 0 ? r.begin : r.begin.add(r.step.mul(sym(vars[k]!)));
      });
      const memlet: Memlet = { ...c.edges[0]!.memlet, wcr, subset: subset(...at.map((i) => index(i))) };
      const element = stridedElement(c.cname, c.dims, vars);
      const incoming = op === '=' ? value : `${element} ${op.slice(0, -1)} (${value})`;
      how.writeElement(c.access, memlet, incoming, lines, vars);
      lines.close();
      return lines.lines;
    },
  };
}
