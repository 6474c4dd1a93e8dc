// Tasklets in WGSL: connectors as lets and vars (array connectors index their buffer directly), the body printed by the
// shared C-like printer with WGSL's dialect, then the outputs written back (combined under wcr where they have one).
import type { DType } from '../../graph/dtypes.js';
import { i64 } from '../../graph/dtypes.js';
import type { Tasklet } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import type { Edge } from '../../graph/sdfg.js';
import { isIndex, type Subset } from '../../graph/subsets.js';
import type { TStmt } from '../../graph/tasklet-ast.js';
import { typeTasklet, type ConnectorInfo } from '../../graph/tasklet-types.js';
import type { NameResolver } from '../common/c-like.js';
import { type CodeWriter, originComment, unsupported } from './emit-context.js';
import { identityText, writeElement } from './emit-writes.js';
import { WgslCodePrinter, demoter } from './expressions.js';
import type { KernelContext, ViewDim } from './kernel-context.js';
import type { NameScope } from './names.js';

interface Connector {
  readonly name: string;
  readonly ident: string;
  /** Declared on the tasklet, else its data's (the language's type, before demotion). */
  readonly dtype: DType;
  readonly data: string;
  readonly subset: Subset;
  readonly edges: readonly Edge[];
  /** Dimensions of an array connector; null for a scalar one. */
  readonly dims: ViewDim[] | null;
}

/** Whether every path through `body` assigns the scalar `name` (a loop may run zero times). */
function definitelyAssigns(body: readonly TStmt[], name: string): boolean {
  return body.some((s) => (s.k === 'assign' && s.target.k === 'name' && s.target.name === name)
    || (s.k === 'if' && definitelyAssigns(s.then, name) && definitelyAssigns(s.else, name)));
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

/** An index as an operand of `*` or `+`: names, numbers, element reads and calls need no parentheses. */
function simpleIndex(text: string): string {
  const primary = /^[\w.]+$/.test(text) || (/^[\w<>]+[([]/.test(text) && closesAtEnd(text, text.search(/[([]/)));
  return primary ? text : `(${text})`;
}

function closesAtEnd(text: string, open: number): boolean {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '(' || text[k] === '[') depth++;
    else if ((text[k] === ')' || text[k] === ']') && --depth === 0) return k === text.length - 1;
  }
  return false;
}

export function emitTasklet(k: KernelContext, node: Tasklet, w: CodeWriter): void {
  const path = k.path(node);
  const names = k.names.child();
  const bind = (name: string, edges: Edge[], side: 'in' | 'out'): Connector => {
    const m = edges[0]!.memlet;
    const desc = k.sdfg.arrays[m.data!];
    if (!desc) throw unsupported(`container '${m.data}' is not declared`, path);
    const subset = m.subset ?? { ranges: [] };
    const single = desc.kind === 'Scalar' || subset.ranges.every(isIndex);
    const dtype = (side === 'in' ? node.inConnectors[name] : node.outConnectors[name]) ?? desc.dtype;
    const dims = single ? null : k.viewDims(m.data!, subset, true);
    if (dims && dtype.name !== desc.dtype.name) {
      throw unsupported(`array connector '${name}' of tasklet '${node.label}' is declared ${dtype.name} but its data holds ${desc.dtype.name}`, path);
    }
    return { name, ident: names.fresh(name), dtype, data: m.data!, subset, edges, dims };
  };
  const ins = [...groupByConnector(inEdges(k.state, node), 'in')].map(([n, es]) => bind(n, es, 'in'));
  const outs = [...groupByConnector(outEdges(k.state, node), 'out')].map(([n, es]) => bind(n, es, 'out'));
  const code = node.code;
  const body = code.language === 'tasklet' ? code.body : [];
  const wgslType = (t: DType): string => k.demote(t).wgsl!;
  const convert = (text: string, from: DType, to: DType): string => (k.demote(from).name === k.demote(to).name ? text : `${wgslType(to)}(${text})`);
  const elementIndex = (c: Connector): string => k.expr(k.linearOffset(c.data, c.subset.ranges.map((r) => r.begin)));
  const element = (c: Connector): DType => k.elementType(c.data, path);
  const direct = new Map<string, string>();

  w.line(originComment(k.state, node, 'tasklet'));
  w.open('{');
  for (const c of ins) {
    if (c.dims) continue;
    const value = convert(k.load(c.data, elementIndex(c), path), element(c), c.dtype);
    // A dynamic input is read only where the code reads it.
    if (c.edges[0]!.memlet.dynamic && code.language === 'tasklet') direct.set(c.name, value);
    else w.line(`let ${c.ident}: ${wgslType(c.dtype)} = ${value};`);
  }
  for (const c of outs) {
    if (c.dims) continue;
    const wcr = c.edges[0]!.memlet.wcr;
    if (code.language !== 'tasklet' || definitelyAssigns(body, c.name)) w.line(`var ${c.ident}: ${wgslType(c.dtype)};`);
    else {
      // Assigned on some paths only: start from what writing back leaves unchanged.
      const start = wcr ? identityText(k, wcr, c.dtype, path) : convert(k.load(c.data, elementIndex(c), path), element(c), c.dtype);
      w.line(`var ${c.ident}: ${wgslType(c.dtype)} = ${start};`);
    }
  }

  switch (code.language) {
    case 'tasklet': {
      const info = (c: Connector): [string, ConnectorInfo] => [c.name, { dtype: c.dtype, dims: c.dims?.length ?? 0, dynamic: c.edges[0]!.memlet.dynamic }];
      const env = { inputs: Object.fromEntries(ins.map(info)), outputs: Object.fromEntries(outs.map(info)), symbols: symbolTypes(k) };
      const typing = typeTasklet(code.body, env, { path, ...(node.loc ? { loc: node.loc } : {}), ...(code.source ? { source: code.source } : {}) });
      const demote = demoter(k.module.options.precision,
        () => `tasklet '${node.label}' computes in f64 (a float literal on its own, such as 0.0, is f64: write f32(0.0) or give the local a type)`, path);
      const printer = new WgslCodePrinter(typing, demote, taskletNames(k, [...ins, ...outs], direct, names, path));
      w.append(printer.statements(code.body));
      break;
    }
    case 'WGSL':
      for (const line of code.source.replace(/\s+$/, '').split('\n')) w.line(line.trimEnd());
      break;
    case 'Python': case 'CPP': case 'CUDA': case 'HLS':
      throw unsupported(`tasklet '${node.label}' is written in ${code.language}; the WGSL target runs the tasklet language or raw WGSL code`, path,
        'write the tasklet in the tasklet language so that every target can print it');
  }

  for (const c of outs) {
    if (c.dims) continue;
    for (const e of c.edges) {
      const index = k.expr(k.linearOffset(c.data, (e.memlet.subset ?? c.subset).ranges.map((r) => r.begin)));
      w.append(writeElement(k, c.data, index, e.memlet.wcr, convert(c.ident, c.dtype, element(c)), path));
    }
  }
  w.close();
}

/** Types of the symbols a tasklet may read: the host's symbols and the parameters around it (integers). */
export function symbolTypes(k: KernelContext): Record<string, DType> {
  const out: Record<string, DType> = {};
  for (const s of k.module.hostSymbols) out[s] = k.sdfg.symbols[s] ?? i64;
  for (const [name, c] of Object.entries(k.sdfg.constants)) out[name] = c.dtype;
  for (const p of k.params) out[p] = i64;
  return out;
}

/** Names inside the tasklet body: connectors by their identifiers, array connectors through strides, symbols as they are. */
function taskletNames(
  k: KernelContext, connectors: readonly Connector[], direct: ReadonlyMap<string, string>, names: NameScope,
  path: ReturnType<KernelContext['path']>,
): NameResolver {
  const byName = new Map(connectors.map((c) => [c.name, c]));
  const locals = new Map<string, string>();
  const local = (name: string): string => {
    let ident = locals.get(name);
    if (!ident) locals.set(name, (ident = names.fresh(name)));
    return ident;
  };
  const elementAt = (c: Connector, indices: readonly string[]): string => {
    if (!c.dims) throw unsupported(`'${c.name}' is not an array connector`, path);
    if (indices.length !== c.dims.length) throw unsupported(`'${c.name}' has ${c.dims.length} dimensions but is indexed with ${indices.length}`, path);
    const base = k.linearOffset(c.data, c.subset.ranges.map((r) => r.begin));
    const terms = indices.map((i, d) => {
      const stride = c.dims![d]!.stride;
      return stride.equals(1) ? simpleIndex(i) : `${simpleIndex(i)} * ${k.operand(stride)}`;
    });
    return [...(base.isZero() ? [] : [k.expr(base)]), ...terms].join(' + ') || '0';
  };
  return {
    read: (name) => {
      if (locals.has(name)) return locals.get(name)!;
      const found = direct.get(name) ?? byName.get(name)?.ident;
      if (found !== undefined) return found;
      return k.useSymbol(name) ? name : local(name);
    },
    write: (name) => byName.get(name)?.ident ?? local(name),
    element: (name, indices) => {
      const c = byName.get(name);
      if (!c) throw unsupported(`'${name}' is not a connector of this tasklet`, path);
      return k.load(c.data, elementAt(c, indices), path);
    },
    assignElement: (name, indices, op, value) => {
      const c = byName.get(name);
      if (!c?.dims) return undefined;
      const wcr = c.edges[0]!.memlet.wcr;
      if (!wcr && !k.atomic.has(c.data)) return undefined;
      const index = elementAt(c, indices);
      const incoming = op === '=' ? value : `${k.load(c.data, index, path)} ${op.slice(0, -1)} (${value})`;
      return writeElement(k, c.data, index, wcr, incoming, path);
    },
  };
}

