// Tasklets in HLS C++: connectors as locals, stream reads and writes through hls::stream, array connectors indexed
// in place, the body printed by the C-like printer in the HLS dialect, and writes back (on-chip partial results for
// accumulations the pipelining analysis chose).
import type { DType } from '../../graph/dtypes.js';
import type { Wcr } from '../../graph/memlet.js';
import type { Tasklet } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { isIndex, type Subset } from '../../graph/subsets.js';
import { int, type Expr } from '../../graph/symbolic.js';
import type { TStmt } from '../../graph/tasklet-ast.js';
import { wcrOps } from '../../graph/tasklet-ops.js';
import { typeTasklet, type ConnectorInfo } from '../../graph/tasklet-types.js';
import { CLikePrinter, type NameResolver } from '../common/c-like.js';
import { type CodeWriter, type ContainerAccess, type FunctionContext, type ScopeFrame, nodePath, originComment, reservedWords } from '../cpp/emit-context.js';
import { cIndex, elementRef, linearOffset, viewDims, type ViewDim } from '../cpp/emit-memlet.js';
import { isSingleElement, symbolTypes } from '../cpp/emit-tasklet.js';
import { combineStatement } from '../cpp/emit-wcr.js';
import { hlsDialect, hlsType } from './dialect.js';
import { assignsOnceOnEveryPath, readsOnEveryPath } from '../../passes/transformations/streaming-memory.js';
import { hasVariableLoop } from './loops.js';
import { hlsUnsupported } from './plan.js';

/** Where HLS code is being emitted: the C++ frame plus the partial results that replace some conflict-resolved writes. */
export interface HlsFrame extends ScopeFrame {
  /** A tasklet's output edge → the on-chip partial result (an lvalue) it combines into instead of memory. */
  readonly accumulators: ReadonlyMap<Edge, { readonly target: string; readonly dtype: DType }>;
}

/** `S` or `S[k]` for the stream a memlet names (arrays of streams are indexed row-major). */
export function streamRef(access: ContainerAccess, s: Subset | null): string {
  const desc = access.desc;
  if (desc.kind !== 'Stream' || (desc.shape.length === 1 && desc.shape[0]!.equals(1))) return access.cname;
  let at: Expr = int(0);
  desc.shape.forEach((d, k) => { at = at.mul(d).add(s?.ranges[k]?.begin ?? int(0)); });
  return `${access.cname}[${cIndex(at)}]`;
}

/** How the body sees one connector. */
interface Binding {
  readonly name: string;
  readonly cname: string;
  readonly dtype: DType;
  readonly edges: readonly Edge[];
  readonly access: ContainerAccess;
  /** Array connectors: the kept dimensions and the offset of the subset's first element. */
  readonly view: { readonly dims: ViewDim[]; readonly base: Expr } | null;
}

const convert = (text: string, from: DType, to: DType): string => (from.name === to.name ? text : `static_cast<${hlsType(to)}>(${text})`);

/** Whether every path through `body` assigns the scalar `name` (a loop may run zero times). */
function alwaysAssigns(body: readonly TStmt[], name: string): boolean {
  return body.some((s) => (s.k === 'assign' && s.target.k === 'name' && s.target.name === name)
    || (s.k === 'if' && alwaysAssigns(s.then, name) && alwaysAssigns(s.else, name)));
}

function connectorName(fn: FunctionContext, name: string, taken: Set<string>): string {
  const clashes = (n: string): boolean => reservedWords.has(n) || fn.containers.has(n) || fn.symbols.has(n) || taken.has(n)
    || [...fn.containers.values()].some((c) => c.cname === n);
  let cname = name;
  for (let k = 0; clashes(cname); k++) cname = k === 0 ? `${name}_` : `${name}_${k}`;
  taken.add(cname);
  return cname;
}

function bindings(fn: FunctionContext, state: State, node: Tasklet, side: 'in' | 'out', taken: Set<string>): Binding[] {
  const groups = new Map<string, Edge[]>();
  for (const e of side === 'in' ? inEdges(state, node) : outEdges(state, node)) {
    const conn = side === 'in' ? e.dstConn : e.srcConn;
    if (conn !== null && e.memlet.data !== null) groups.set(conn, [...(groups.get(conn) ?? []), e]);
  }
  return [...groups].map(([name, edges]) => {
    const m = edges[0]!.memlet;
    const access = fn.access(m.data!, nodePath(fn, state, node));
    const dtype = (side === 'in' ? node.inConnectors[name] : node.outConnectors[name]) ?? access.desc.dtype;
    const single = isSingleElement(access, m.subset);
    const view = single ? null : {
      dims: viewDims(access, m.subset!, m.subset!.ranges.filter((r) => !isIndex(r)).length),
      base: linearOffset(access, m.subset!.ranges.map((r) => r.begin)),
    };
    return { name, cname: connectorName(fn, name, taken), dtype, edges, access, view };
  });
}

/** `A[base + i * s0 + j]`: an element of an array connector, indexed in the container itself (no pointer locals). */
function viewElement(b: Binding, indices: readonly string[]): string {
  const view = b.view!;
  if (indices.length !== view.dims.length) throw hlsUnsupported(`'${b.name}' has ${view.dims.length} dimensions but is indexed with ${indices.length}`);
  const terms = indices.map((i, d) => {
    const stride = view.dims[d]!.stride;
    const operand = /^[\w.]+$/.test(i) ? i : `(${i})`;
    return stride.equals(1) ? operand : `${operand} * ${cIndex(stride)}`;
  });
  const base = view.base.isZero() ? [] : [cIndex(view.base)];
  return `${b.access.cname}[${[...base, ...terms].join(' + ') || '0'}]`;
}

/** Statements that combine `value` into the element a write edge names (or into its partial result). */
function writeBack(frame: HlsFrame, b: Binding, e: Edge, value: string): string {
  const acc = frame.accumulators.get(e);
  const wcr: Wcr | null = e.memlet.wcr ?? b.access.wcr ?? null;
  if (acc) return combineStatement(acc.target, convert(value, b.dtype, acc.dtype), wcr!, acc.dtype);
  const t = b.access.desc.dtype;
  if (b.access.placement === 'stream') return `${streamRef(b.access, e.memlet.subset)}.write(${convert(value, b.dtype, t)});`;
  const target = elementRef(b.access, e.memlet.subset?.ranges.map((r) => r.begin) ?? []);
  return wcr ? combineStatement(target, convert(value, b.dtype, t), wcr, t) : `${target} = ${convert(value, b.dtype, t)};`;
}

/** Put PIPELINE into each innermost loop of printed tasklet code (loops whose bounds only run time knows). */
function pipelineInnermostLoops(lines: readonly string[]): string[] {
  const out: string[] = [];
  lines.forEach((line, k) => {
    out.push(line);
    const open = /^(\s*)for \(/.exec(line);
    if (!open) return;
    const indent = open[1]!;
    let inner = false;
    for (let j = k + 1; j < lines.length && !lines[j]!.startsWith(`${indent}}`); j++) if (/^\s*for \(/.test(lines[j]!)) inner = true;
    if (!inner) out.push(`${indent}  #pragma HLS PIPELINE II=1`);
  });
  return out;
}

function emitInputs(frame: HlsFrame, node: Tasklet, ins: readonly Binding[], body: readonly TStmt[] | null, direct: Map<string, string>, w: CodeWriter, fn: FunctionContext): void {
  for (const b of ins) {
    const m = b.edges[0]!.memlet;
    const t = hlsType(b.dtype);
    if (b.access.placement === 'stream') {
      const consumed = frame.consumed.get(m.data!);
      if (consumed !== undefined) { w.line(`const ${t} ${b.cname} = ${convert(consumed, b.access.desc.dtype, b.dtype)};`); continue; }
      if (body && m.dynamic && !readsOnEveryPath(body, b.name)) {
        throw hlsUnsupported(`tasklet ${node.label} reads stream ${m.data} on some paths only; a pipelined element reads each stream once per iteration`,
          nodePath(fn, frame.state, node), 'read the connector unconditionally');
      }
      w.line(`const ${t} ${b.cname} = ${convert(`${streamRef(b.access, m.subset)}.read()`, b.access.desc.dtype, b.dtype)};`);
    } else if (b.view) {
      continue;
    } else if (m.dynamic && body) {
      direct.set(b.name, convert(elementRef(b.access, m.subset?.ranges.map((r) => r.begin) ?? []), b.access.desc.dtype, b.dtype));
    } else {
      w.line(`const ${t} ${b.cname} = ${convert(elementRef(b.access, m.subset?.ranges.map((r) => r.begin) ?? []), b.access.desc.dtype, b.dtype)};`);
    }
  }
}

export function emitTasklet(fn: FunctionContext, frame: HlsFrame, node: Tasklet, w: CodeWriter): void {
  const state = frame.state;
  const path = nodePath(fn, state, node);
  const taken = new Set<string>();
  const ins = bindings(fn, state, node, 'in', taken), outs = bindings(fn, state, node, 'out', taken);
  const code = node.code;
  if (code.language !== 'tasklet' && code.language !== 'HLS' && code.language !== 'CPP') {
    throw hlsUnsupported(`tasklet ${node.label} is written in ${code.language}; the hls target prints the tasklet language or raw HLS/C++ code`, path,
      'write the tasklet in the tasklet language so that every target can print it');
  }
  const body = code.language === 'tasklet' ? code.body : null;
  w.line(originComment(state, node, 'tasklet'));
  w.open('{');
  const direct = new Map<string, string>();
  emitInputs(frame, node, ins, body, direct, w, fn);
  for (const b of outs) {
    const t = hlsType(b.dtype);
    const m = b.edges[0]!.memlet;
    if (b.view) continue;
    if (b.access.placement === 'stream' && body && !assignsOnceOnEveryPath(body, b.name)) {
      throw hlsUnsupported(`tasklet ${node.label} writes stream ${m.data} other than exactly once per execution`, path,
        'assign the stream connector once, unconditionally, at the top level of the tasklet');
    }
    if (!body || alwaysAssigns(body, b.name)) w.line(`${t} ${b.cname};`);
    else {
      // Assigned on some paths only: start from what writing back leaves unchanged.
      const wcr = m.wcr ?? b.access.wcr;
      const keep = wcr ? (wcr.op === 'custom' ? null : wcrOps[wcr.op].identityC(b.dtype)) : convert(elementRef(b.access, m.subset?.ranges.map((r) => r.begin) ?? []), b.access.desc.dtype, b.dtype);
      if (keep === null) throw hlsUnsupported(`tasklet ${node.label} writes ${m.data} with a custom resolution on some paths only`, path, 'assign the output on every path');
      w.line(`${t} ${b.cname} = ${keep};`);
    }
  }

  if (body) {
    const info = (b: Binding): [string, ConnectorInfo] => [b.name, { dtype: b.dtype, dims: b.view?.dims.length ?? 0, dynamic: b.edges[0]!.memlet.dynamic }];
    const env = { inputs: Object.fromEntries(ins.map(info)), outputs: Object.fromEntries(outs.map(info)), symbols: symbolTypes(fn, frame) };
    const typing = typeTasklet(body, env, { path, ...(node.loc ? { loc: node.loc } : {}), ...(code.source ? { source: code.source } : {}) });
    const printer = new CLikePrinter(hlsDialect, typing, taskletNames(fn, frame, [...ins, ...outs], direct));
    const lines = printer.statements(body, '');
    w.append(hasVariableLoop(body) ? pipelineInnermostLoops(lines) : lines);
  } else {
    for (const line of (code as { source: string }).source.replace(/\s+$/, '').split('\n')) w.line(line.trimEnd());
  }
  for (const b of outs) {
    if (b.view) continue;
    for (const e of b.edges) w.line(writeBack(frame, b, e, b.cname));
  }
  w.close();
}

/** Names inside the body: connectors by their identifiers, array connectors indexed in their container, symbols as they are. */
function taskletNames(fn: FunctionContext, frame: HlsFrame, connectors: readonly Binding[], direct: ReadonlyMap<string, string>): NameResolver {
  const byName = new Map(connectors.map((b) => [b.name, b]));
  const cnames = new Set(connectors.map((b) => b.cname));
  const locals = new Map<string, string>();
  const local = (name: string): string => {
    let cname = locals.get(name);
    if (!cname) {
      cname = reservedWords.has(name) || fn.containers.has(name) || cnames.has(name) ? `${name}_local` : name;
      locals.set(name, cname);
    }
    return cname;
  };
  const isSymbol = (name: string): boolean => fn.symbols.has(name) || frame.params.includes(name) || name in fn.sdfg.constants;
  return {
    read: (name) => direct.get(name) ?? byName.get(name)?.cname ?? (isSymbol(name) ? name : local(name)),
    write: (name) => byName.get(name)?.cname ?? local(name),
    element: (name, indices) => {
      const b = byName.get(name);
      if (!b?.view) throw hlsUnsupported(`'${name}' is not an array connector`);
      return viewElement(b, indices);
    },
    assignElement: (name, indices, op, value) => {
      const b = byName.get(name);
      const wcr = b?.edges[0]!.memlet.wcr ?? b?.access.wcr;
      if (!b?.view || !wcr) return undefined;
      const element = viewElement(b, indices);
      const t = b.access.desc.dtype;
      const incoming = op === '=' ? value : `${element} ${op.slice(0, -1)} (${value})`;
      return [combineStatement(element, convert(incoming, b.dtype, t), wcr, t)];
    },
  };
}
