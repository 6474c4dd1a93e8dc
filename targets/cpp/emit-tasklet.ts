// Tasklets in C++: connectors as locals or strided pointers, the body printed by the C-like printer, write-backs.
import type { DType } from '../../graph/dtypes.js';
import { i64 } from '../../graph/dtypes.js';
import type { Memlet } from '../../graph/memlet.js';
import type { Tasklet } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { index, isIndex, subset, type Subset } from '../../graph/subsets.js';
import { sym } from '../../graph/symbolic.js';
import { typeTasklet, type ConnectorInfo } from '../../graph/tasklet-types.js';
import { CLikePrinter, cppDialect, type NameResolver } from '../common/c-like.js';
import {
  type CodeWriter, type ContainerAccess, type FunctionContext, type ScopeFrame, nodePath, originComment, reservedWords, unsupported,
} from './emit-context.js';
import { cIndex, elementRef, subsetPointer, viewDims, type ViewDim } from './emit-memlet.js';
import { emitWrite, wcrIdentity } from './emit-wcr.js';

/** How the tasklet body sees one connector. */
interface ConnectorBinding {
  readonly name: string;
  /** The C identifier inside the tasklet's block. */
  readonly cname: string;
  readonly dtype: DType;
  readonly dims: ViewDim[] | null;
  readonly edge: Edge;
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
  for (const p of frame.params) out[p] = i64;
  return out;
}

/** Text of `view[i, j]` on a strided pointer: `p[i * s0 + j]`. */
export function stridedElement(pointer: string, dims: readonly ViewDim[], indices: readonly string[]): string {
  if (indices.length !== dims.length) {
    throw unsupported(`'${pointer}' has ${dims.length} dimensions but is indexed with ${indices.length}`);
  }
  if (dims.length === 0) return `${pointer}[0]`;
  const terms = indices.map((index, d) => {
    const stride = dims[d]!.stride;
    const simple = /^[\w.]+$/.test(index) ? index : `(${index})`;
    if (stride.equals(1)) return index;
    return `${simple} * ${stride.isConstant() ? stride.toC() : stride.toC()}`;
  });
  return `${pointer}[${terms.join(' + ')}]`;
}

function bindConnector(fn: FunctionContext, state: State, node: Tasklet, edge: Edge, name: string, cname: string): ConnectorBinding {
  const m = edge.memlet;
  const access = fn.access(m.data!, nodePath(fn, state, node));
  const single = isSingleElement(access, m.subset);
  const dims = single ? null : viewDims(access, m.subset!, m.subset!.ranges.filter((r) => !isIndex(r)).length);
  return { name, cname, dtype: access.desc.dtype, dims, edge, access, subset: m.subset };
}

/** Connector identifiers that cannot clash with the function's own names (containers, symbols, keywords). */
function connectorName(fn: FunctionContext, name: string, taken: Set<string>): string {
  let cname = name;
  const clashes = (n: string): boolean => reservedWords.has(n) || fn.containers.has(n) || fn.symbols.has(n) || taken.has(n)
    || [...fn.containers.values()].some((c) => c.cname === n);
  for (let k = 0; clashes(cname); k++) cname = k === 0 ? `${name}_` : `${name}_${k}`;
  taken.add(cname);
  return cname;
}

function connectorEdges(state: State, node: Tasklet): { inputs: [string, Edge][]; outputs: [string, Edge][] } {
  const inputs = inEdges(state, node).filter((e) => e.dstConn && e.memlet.data !== null).map((e) => [e.dstConn!, e] as [string, Edge]);
  const outputs = outEdges(state, node).filter((e) => e.srcConn && e.memlet.data !== null).map((e) => [e.srcConn!, e] as [string, Edge]);
  return { inputs, outputs };
}

export function emitTasklet(fn: FunctionContext, frame: ScopeFrame, state: State, node: Tasklet, w: CodeWriter): void {
  const path = nodePath(fn, state, node);
  const { inputs, outputs } = connectorEdges(state, node);
  const taken = new Set<string>();
  const ins = inputs.map(([name, e]) => bindConnector(fn, state, node, e, name, connectorName(fn, name, taken)));
  const outs = outputs.map(([name, e]) => bindConnector(fn, state, node, e, name, connectorName(fn, name, taken)));
  if (node.codeGlobal) fn.module.globals.add(node.codeGlobal);

  w.line(originComment(state, node, 'tasklet'));
  w.open('{');
  for (const c of ins) declareInput(frame, c, w);
  const streamOuts = new Set<string>();
  const arrayWcr = new Map<string, { buffer: string; volume: number }>();
  for (const c of outs) declareOutput(fn, c, w, streamOuts, arrayWcr);

  const code = node.code;
  switch (code.language) {
    case 'tasklet': {
      const env = {
        inputs: Object.fromEntries(ins.map((c): [string, ConnectorInfo] => [c.name, { dtype: c.dtype, dims: c.dims?.length ?? 0, dynamic: c.edge.memlet.dynamic }])),
        outputs: Object.fromEntries(outs.map((c): [string, ConnectorInfo] => [c.name, { dtype: c.dtype, dims: c.dims?.length ?? 0, dynamic: c.edge.memlet.dynamic }])),
        symbols: symbolTypes(fn, frame),
      };
      const typing = typeTasklet(code.body, env, { path, ...(node.loc ? { loc: node.loc } : {}), ...(code.source ? { source: code.source } : {}) });
      const resolver = taskletNames(fn, [...ins, ...outs], streamOuts, arrayWcr);
      const printer = new CLikePrinter(cppDialect, { ...typing, localType: (n) => typing.localType(n) ?? i64 }, resolver);
      w.append(printer.statements(code.body, ''));
      break;
    }
    case 'CPP':
      for (const line of code.source.replace(/\s+$/, '').split('\n')) w.line(line);
      break;
    case 'Python': case 'CUDA': case 'WGSL': case 'HLS':
      throw unsupported(`tasklet '${node.label}' is written in ${code.language}; the C++ target runs the tasklet language or raw CPP code`, path,
        'write the tasklet in the tasklet language so that every target can print it');
  }

  for (const c of outs) {
    if (streamOuts.has(c.name) || (c.dims && !arrayWcr.has(c.name))) continue;
    if (c.dims) writeBackArray(fn, frame, c, arrayWcr.get(c.name)!, w);
    else if (!(c.edge.memlet.dynamic && !c.edge.memlet.wcr)) emitWrite(fn, frame, c.access, c.edge.memlet, c.cname, w);
  }
  w.close();
}

function declareInput(frame: ScopeFrame, c: ConnectorBinding, w: CodeWriter): void {
  const t = c.dtype.c;
  if (c.access.placement === 'stream') {
    const consumed = frame.consumed.get(c.edge.memlet.data!);
    w.line(`const ${t} ${c.cname} = ${consumed ?? `${c.access.cname}.pop()`};`);
  } else if (!c.dims) {
    w.line(`const ${t} ${c.cname} = ${elementRef(c.access, c.subset?.ranges.map((r) => r.begin) ?? [])};`);
  } else {
    w.line(`const ${t}* __restrict__ ${c.cname} = ${subsetPointer(c.access, c.subset)};`);
  }
}

function declareOutput(
  fn: FunctionContext, c: ConnectorBinding, w: CodeWriter, streamOuts: Set<string>, arrayWcr: Map<string, { buffer: string; volume: number }>,
): void {
  const t = c.dtype.c;
  const m = c.edge.memlet;
  if (c.access.placement === 'stream') {
    streamOuts.add(c.name);
    return;
  }
  if (!c.dims) {
    // A dynamic output may stay unwritten: bind it to the element itself so that nothing is written then.
    if (m.dynamic && !m.wcr) w.line(`${t}& ${c.cname} = ${elementRef(c.access, c.subset?.ranges.map((r) => r.begin) ?? [])};`);
    else if (m.dynamic && m.wcr) w.line(`${t} ${c.cname} = ${wcrIdentity(m.wcr, c.dtype, fn)};`);
    else w.line(`${t} ${c.cname};`);
    return;
  }
  if (!m.wcr) {
    w.line(`${t}* __restrict__ ${c.cname} = ${subsetPointer(c.access, c.subset)};`);
    return;
  }
  // An array output with conflict resolution: gather into a local buffer, combine element by element afterwards.
  const volume = c.dims.reduce((v, d) => v * (d.size.constantValue() ?? NaN), 1);
  if (!Number.isFinite(volume) || volume * c.dtype.bytes > fn.module.options.stackLimitBytes) {
    throw unsupported(`array output '${c.name}' with write-conflict resolution needs a constant size of at most ${fn.module.options.stackLimitBytes} bytes`);
  }
  const buffer = `${c.cname}_buffer`;
  w.line(`${t} ${buffer}[${Math.max(volume, 1)}];`);
  w.line(`for (int64_t k = 0; k < ${volume}; ++k) ${buffer}[k] = ${wcrIdentity(m.wcr, c.dtype, fn)};`);
  arrayWcr.set(c.name, { buffer, volume });
}

/** Combine a gathered array output into its container, element by element. */
function writeBackArray(fn: FunctionContext, frame: ScopeFrame, c: ConnectorBinding, local: { buffer: string }, w: CodeWriter): void {
  const dims = c.dims!;
  const vars = dims.map((_, d) => `k${d}`);
  dims.forEach((d, k) => w.open(`for (int64_t ${vars[k]} = 0; ${vars[k]} < ${cIndex(d.size)}; ++${vars[k]}) {`));
  const flat = dims.map((d, k) => `${vars[k]}${dims.slice(k + 1).map((e) => ` * ${e.size.toC()}`).join('')}`).join(' + ') || '0';
  const indices = c.subset!.ranges.map((r, dim) => {
    const at = dims.findIndex((d) => d.dim === dim);
    return at < 0 ? r.begin : r.begin.add(r.step.mul(sym(vars[at]!)));
  });
  const memlet: Memlet = { ...c.edge.memlet, subset: subset(...indices.map((i) => index(i))) };
  emitWrite(fn, frame, c.access, memlet, `${local.buffer}[${flat}]`, w, vars);
  dims.forEach(() => w.close());
}

/** Names inside the tasklet body: connectors by their identifiers, views through strides, symbols as is. */
function taskletNames(
  fn: FunctionContext, connectors: readonly ConnectorBinding[], streamOuts: ReadonlySet<string>,
  arrayWcr: ReadonlyMap<string, { buffer: string }>,
): NameResolver {
  const byName = new Map(connectors.map((c) => [c.name, c]));
  const locals = new Map<string, string>();
  const local = (name: string): string => {
    let cname = locals.get(name);
    if (!cname) {
      cname = reservedWords.has(name) || fn.containers.has(name) || [...byName.values()].some((c) => c.cname === name && c.name !== name)
        ? `${name}_local` : name;
      locals.set(name, cname);
    }
    return cname;
  };
  return {
    read: (name) => {
      const c = byName.get(name);
      if (c) return c.cname;
      if (fn.symbols.has(name)) return name;
      return local(name);
    },
    write: (name) => {
      const c = byName.get(name);
      if (c && streamOuts.has(name)) return `${c.access.cname}.next()`;
      if (c) return c.cname;
      return local(name);
    },
    element: (name, indices) => {
      const c = byName.get(name);
      if (!c || !c.dims) throw unsupported(`'${name}' is not an array connector`);
      const wcr = arrayWcr.get(name);
      if (wcr) {
        const flat = indices.map((i, d) => `(${i})${c.dims!.slice(d + 1).map((e) => ` * ${e.size.toC()}`).join('')}`).join(' + ');
        return `${wcr.buffer}[${flat}]`;
      }
      return stridedElement(c.cname, c.dims, indices);
    },
  };
}
