// Tasklets in device code: connectors as registers or strided pointers, the body in CUDA spellings, conflict-safe writes.
//
// Semantics follow the reference interpreter (as the C++ target does): a dynamic input is read where the code reads
// it; an output assigned on some paths only writes nothing on the others; an array output with conflict resolution
// combines element by element as it is assigned.
import { i64, type DType } from '../../graph/dtypes.js';
import type { Memlet } from '../../graph/memlet.js';
import type { Tasklet } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { index, isIndex, subset, type Subset } from '../../graph/subsets.js';
import { sym } from '../../graph/symbolic.js';
import type { TStmt } from '../../graph/tasklet-ast.js';
import { typeTasklet, type ConnectorInfo } from '../../graph/tasklet-types.js';
import { CLikePrinter, type NameResolver } from '../common/c-like.js';
import { CodeWriter, type ContainerAccess, nodePath, originComment, reservedWords } from '../cpp/emit-context.js';
import { elementRef, subsetPointer, viewDims, type ViewDim } from '../cpp/emit-memlet.js';
import { type ConnectorBinding, isSingleElement, stridedElement, taskletNameResolver } from '../cpp/emit-tasklet.js';
import { cudaDialect } from './dialect.js';
import { emitDeviceWrite } from './emit-atomic.js';
import { type DeviceFunction, type KernelFrame, cudaUnsupported } from './emit-context.js';
import { wcrOps } from '../../graph/tasklet-ops.js';

type Connector = ConnectorBinding;

/** Whether every path through `body` assigns the scalar `name` (a loop may run zero times). */
function definitelyAssigns(body: readonly TStmt[], name: string): boolean {
  return body.some((s) => (s.k === 'assign' && s.target.k === 'name' && s.target.name === name)
    || (s.k === 'if' && definitelyAssigns(s.then, name) && definitelyAssigns(s.else, name)));
}

function connectorsOf(dev: DeviceFunction, state: State, node: Tasklet, side: 'in' | 'out', taken: Set<string>): Connector[] {
  const groups = new Map<string, Edge[]>();
  for (const e of side === 'in' ? inEdges(state, node) : outEdges(state, node)) {
    const conn = side === 'in' ? e.dstConn : e.srcConn;
    if (conn !== null && e.memlet.data !== null) groups.set(conn, [...(groups.get(conn) ?? []), e]);
  }
  const fn = dev.fn;
  return [...groups].map(([name, edges]) => {
    const m = edges[0]!.memlet;
    const access = fn.access(m.data!, nodePath(fn, state, node));
    const dtype = (side === 'in' ? node.inConnectors[name] : node.outConnectors[name]) ?? access.desc.dtype;
    const dims = isSingleElement(access, m.subset) ? null : viewDims(access, m.subset!, m.subset!.ranges.filter((r) => !isIndex(r)).length);
    if (dims && dtype.name !== access.desc.dtype.name) {
      throw cudaUnsupported(`array connector '${name}' of tasklet '${node.label}' is declared ${dtype.name} but its data holds ${access.desc.dtype.name}`,
        nodePath(fn, state, node), 'convert element by element in the tasklet instead');
    }
    let cname = name;
    const clashes = (n: string): boolean => reservedWords.has(n) || fn.containers.has(n) || fn.symbols.has(n) || taken.has(n)
      || [...fn.containers.values()].some((c) => c.cname === n);
    for (let k = 0; clashes(cname); k++) cname = k === 0 ? `${name}_` : `${name}_${k}`;
    taken.add(cname);
    return { name, cname, dtype, dims, edges, access, subset: m.subset };
  });
}

const converted = (text: string, from: DType, to: DType): string => (from.name === to.name ? text : cudaDialect.cast(text, to, from));
const firstElement = (c: Connector): string => elementRef(c.access, c.subset?.ranges.map((r) => r.begin) ?? []);

export function emitDeviceTasklet(dev: DeviceFunction, frame: KernelFrame, state: State, node: Tasklet, w: CodeWriter): void {
  const fn = dev.fn;
  const path = nodePath(fn, state, node);
  const taken = new Set<string>();
  const ins = connectorsOf(dev, state, node, 'in', taken), outs = connectorsOf(dev, state, node, 'out', taken);
  const code = node.code;
  if (code.language !== 'tasklet' && code.language !== 'CUDA') {
    throw cudaUnsupported(`tasklet '${node.label}' is written in ${code.language}; the CUDA target runs the tasklet language or raw CUDA code`, path,
      'write the tasklet in the tasklet language so that every target can print it');
  }
  if (node.codeGlobal) dev.module.globals.add(node.codeGlobal);
  const body = code.language === 'tasklet' ? code.body : [];
  const raw = code.language !== 'tasklet';
  const direct = new Map<string, string>();

  w.line(originComment(state, node, 'tasklet'));
  w.open('{');
  for (const c of ins) {
    if (c.dims) w.line(`const ${c.dtype.cuda}* __restrict__ ${c.cname} = ${subsetPointer(c.access, c.subset)};`);
    else if (c.edges[0]!.memlet.dynamic && !raw) direct.set(c.name, converted(firstElement(c), c.access.desc.dtype, c.dtype));
    else w.line(`const ${c.dtype.cuda} ${c.cname} = ${converted(firstElement(c), c.access.desc.dtype, c.dtype)};`);
  }
  for (const c of outs) {
    const wcr = c.edges[0]!.memlet.wcr ?? c.access.wcr;
    if (c.dims) w.line(`${c.dtype.cuda}*${wcr ? '' : ' __restrict__'} ${c.cname} = ${subsetPointer(c.access, c.subset)};`);
    else if (raw || definitelyAssigns(body, c.name)) w.line(`${c.dtype.cuda} ${c.cname};`);
    // Assigned on some paths only: start from what writing back leaves unchanged.
    else if (wcr && wcr.op !== 'custom') w.line(`${c.dtype.cuda} ${c.cname} = ${converted(wcrOps[wcr.op].identityC(c.access.desc.dtype), c.access.desc.dtype, c.dtype)};`);
    else if (wcr) throw cudaUnsupported(`output '${c.name}' of tasklet '${node.label}' is not assigned on every path and combines with a custom resolution, which has no identity`, path, 'assign the output on every path');
    else w.line(`${c.dtype.cuda} ${c.cname} = ${converted(firstElement(c), c.access.desc.dtype, c.dtype)};`);
  }

  if (code.language === 'tasklet') {
    const info = (c: Connector): [string, ConnectorInfo] => [c.name, { dtype: c.dtype, dims: c.dims?.length ?? 0, dynamic: c.edges[0]!.memlet.dynamic }];
    const symbols: Record<string, DType> = {};
    for (const name of fn.symbols) symbols[name] = fn.sdfg.symbols[name] ?? i64;
    for (const [name, c] of Object.entries(fn.sdfg.constants)) symbols[name] = c.dtype;
    for (const p of frame.params) symbols[p] = i64;
    const env = { inputs: Object.fromEntries(ins.map(info)), outputs: Object.fromEntries(outs.map(info)), symbols };
    const typing = typeTasklet(code.body, env, { path, ...(node.loc ? { loc: node.loc } : {}), ...(code.source ? { source: code.source } : {}) });
    const printer = new CLikePrinter(cudaDialect, typing, taskletNameResolver(dev.fn, frame.params, [...ins, ...outs], direct, {
      unsupported: (message) => cudaUnsupported(message),
      writeElement: (access, memlet, value, lines, vars) => emitDeviceWrite(dev, frame, access, memlet, value, lines, vars),
    }));
    w.append(printer.statements(code.body, ''));
  } else {
    for (const line of code.source.replace(/\s+$/, '').split('\n')) w.line(line.trimEnd());
  }

  for (const c of outs) {
    if (c.dims) continue;
    for (const e of c.edges) emitDeviceWrite(dev, frame, c.access, e.memlet, converted(c.cname, c.dtype, c.access.desc.dtype), w);
  }
  w.close();
}

