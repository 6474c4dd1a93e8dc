// Reading and writing SDFGs in the sdfg-ts JSON format (see json-schema.ts for its shape).
import { dtypeByName, type DType, type DTypeName } from './dtypes.js';
import type { DataDesc } from './data.js';
import { parseExpr } from './symbolic-parse.js';
import type { Expr } from './symbolic.js';
import { formatRange, formatSubset, parseSubset, type Range, type Subset } from './subsets.js';
import type { Memlet, Wcr } from './memlet.js';
import type { ConsumeScope, Connectors, LibraryOp, MapScope, Node } from './nodes.js';
import type {
  ConditionalBlock, ControlFlowBlock, ControlFlowGraph, ControlFlowRegion, Edge, InterstateEdge, LoopRegion, SDFG, State,
} from './sdfg.js';
import type { SourceLocation } from './source-location.js';
import type { CodePosition, TaskletCode, TExpr, TStmt } from './tasklet-ast.js';
import { FormatError, SdfgError, assertNever } from './errors.js';
import {
  FORMAT_NAME, FORMAT_VERSION, IDENTIFIER_KEY, describeIssue, describeValue, sdfgDocumentSchema,
  type BlockJson, type CfgJson, type ConnectorsJson, type ConsumeJson, type DataJson, type EdgeJson, type InterstateEdgeJson,
  type LibraryOpJson, type LocJson, type MapJson, type MemletJson, type NodeJson, type NumberJson, type PosJson,
  type RegionJson, type SdfgBodyJson, type SdfgJson, type StateJson, type TaskletCodeJson, type TExprJson,
  type TStmtJson, type WcrJson,
} from './json-schema.js';

export type { SdfgJson, SdfgBodyJson } from './json-schema.js';
export { FORMAT_NAME, FORMAT_VERSION, formatJsonPath } from './json-schema.js';

// ===============================================================================================================
// Writing.

export function toJSON(sdfg: SDFG): SdfgJson {
  return { format: FORMAT_NAME, version: FORMAT_VERSION, ...sdfgBodyToJson(sdfg) };
}

/** The document as text; `indent` as for `JSON.stringify`. */
export function toJSONString(sdfg: SDFG, indent?: number): string {
  return JSON.stringify(toJSON(sdfg), null, indent);
}

const mapRecord = <A, B>(r: Record<string, A>, f: (a: A) => B): Record<string, B> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(v)]));

const withLoc = (loc: SourceLocation | undefined): { loc?: LocJson } =>
  loc ? { loc: { file: loc.file, line: loc.line, column: loc.column } } : {};
const withPos = (pos: CodePosition | undefined): { pos?: PosJson } =>
  pos ? { pos: { line: pos.line, column: pos.column } } : {};

const exprs = (xs: readonly Expr[]): string[] => xs.map((x) => x.toString());

function numberToJson(n: number): NumberJson {
  if (Number.isFinite(n)) return n;
  return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
}

function sdfgBodyToJson(sdfg: SDFG): SdfgBodyJson {
  return {
    name: sdfg.name,
    symbols: mapRecord(sdfg.symbols, (d) => d.name),
    constants: mapRecord(sdfg.constants, (c) => ({ dtype: c.dtype.name, value: numberToJson(c.value) })),
    arrays: mapRecord(sdfg.arrays, dataToJson),
    argNames: [...sdfg.argNames],
    ...cfgToJson(sdfg),
    ...withLoc(sdfg.loc),
  };
}

function dataToJson(d: DataDesc): DataJson {
  const common = { dtype: d.dtype.name, transient: d.transient, storage: d.storage, lifetime: d.lifetime };
  switch (d.kind) {
    case 'Scalar': return { kind: 'Scalar', ...common };
    case 'Stream': return { kind: 'Stream', ...common, shape: exprs(d.shape), bufferSize: d.bufferSize.toString() };
    case 'Array': case 'View':
      return {
        kind: d.kind, ...common, shape: exprs(d.shape), strides: exprs(d.strides), offset: exprs(d.offset),
        totalSize: d.totalSize.toString(), alignment: d.alignment, startOffset: d.startOffset, mayAlias: d.mayAlias,
      };
    default: return assertNever(d, 'data descriptor');
  }
}

function cfgToJson(cfg: ControlFlowGraph): CfgJson {
  return {
    blocks: cfg.blocks.map(blockToJson),
    edges: cfg.edges.map(interstateEdgeToJson),
    startBlock: cfg.startBlock, nextBlockId: cfg.nextBlockId, nextEdgeId: cfg.nextEdgeId,
  };
}

function interstateEdgeToJson(e: InterstateEdge): InterstateEdgeJson {
  return {
    id: e.id, src: e.src, dst: e.dst, condition: texprToJson(e.condition),
    assignments: mapRecord(e.assignments, texprToJson), ...withLoc(e.loc),
  };
}

function regionToJson(r: ControlFlowRegion): RegionJson {
  return { kind: 'ControlFlowRegion', id: r.id, label: r.label, ...cfgToJson(r), ...withLoc(r.loc) };
}

function blockToJson(b: ControlFlowBlock): BlockJson {
  switch (b.kind) {
    case 'State': return stateToJson(b);
    case 'ControlFlowRegion': return regionToJson(b);
    case 'LoopRegion':
      return {
        kind: 'LoopRegion', id: b.id, label: b.label, ...cfgToJson(b), loopVariable: b.loopVariable,
        init: b.init && texprToJson(b.init), condition: texprToJson(b.condition),
        update: b.update && texprToJson(b.update), inverted: b.inverted, ...withLoc(b.loc),
      };
    case 'ConditionalBlock':
      return {
        kind: 'ConditionalBlock', id: b.id, label: b.label,
        branches: b.branches.map((br) => ({ condition: br.condition && texprToJson(br.condition), body: regionToJson(br.body) })),
        ...withLoc(b.loc),
      };
    default: return assertNever(b, 'control-flow block');
  }
}

function stateToJson(s: State): StateJson {
  return {
    kind: 'State', id: s.id, label: s.label,
    nodes: s.nodes.map((n) => nodeToJson(s, n)), edges: s.edges.map(edgeToJson),
    nextNodeId: s.nextNodeId, nextEdgeId: s.nextEdgeId, ...withLoc(s.loc),
  };
}

const connectorsToJson = (c: Connectors): ConnectorsJson => mapRecord(c, (d) => (d ? d.name : null));

function mapToJson(m: MapScope): MapJson {
  return {
    label: m.label, params: [...m.params], ranges: m.ranges.map(formatRange), schedule: m.schedule,
    unroll: m.unroll, collapse: m.collapse, ...(m.gpuBlockSize ? { gpuBlockSize: [...m.gpuBlockSize] } : {}),
    ...(m.vectorWidth !== undefined ? { vectorWidth: m.vectorWidth } : {}),
  };
}

/** An exit names its entry (the one holding the same scope object); with no such entry it keeps the scope itself. */
function exitReference(state: State, scope: MapScope | ConsumeScope, kind: 'MapEntry' | 'ConsumeEntry'): number | null {
  const entry = state.nodes.find((n) => n.kind === kind && (n.kind === 'MapEntry' ? n.map : n.kind === 'ConsumeEntry' ? n.consume : null) === scope);
  return entry ? entry.id : null;
}

function nodeToJson(state: State, n: Node): NodeJson {
  const common = {
    id: n.id, label: n.label, inConnectors: connectorsToJson(n.inConnectors),
    outConnectors: connectorsToJson(n.outConnectors), ...withLoc(n.loc),
  };
  switch (n.kind) {
    case 'AccessNode': return { kind: n.kind, ...common, data: n.data, setzero: n.setzero };
    case 'Tasklet':
      return {
        kind: n.kind, ...common, code: codeToJson(n.code),
        ...(n.codeGlobal === undefined ? {} : { codeGlobal: n.codeGlobal }),
      };
    case 'MapEntry': return { kind: n.kind, ...common, map: mapToJson(n.map) };
    case 'MapExit': {
      const entry = exitReference(state, n.map, 'MapEntry');
      return { kind: n.kind, ...common, entry, ...(entry === null ? { map: mapToJson(n.map) } : {}) };
    }
    case 'ConsumeEntry': return { kind: n.kind, ...common, consume: consumeToJson(n.consume) };
    case 'ConsumeExit': {
      const entry = exitReference(state, n.consume, 'ConsumeEntry');
      return { kind: n.kind, ...common, entry, ...(entry === null ? { consume: consumeToJson(n.consume) } : {}) };
    }
    case 'NestedSDFG':
      return {
        kind: n.kind, ...common, sdfg: sdfgBodyToJson(n.sdfg),
        symbolMapping: mapRecord(n.symbolMapping, (e) => e.toString()),
      };
    case 'LibraryNode':
      return { kind: n.kind, ...common, op: libraryOpToJson(n.op), implementation: n.implementation, schedule: n.schedule };
    default: return assertNever(n, 'node');
  }
}

function consumeToJson(c: ConsumeScope): ConsumeJson {
  return {
    label: c.label, peIndex: c.peIndex, numPes: c.numPes.toString(),
    condition: c.condition && texprToJson(c.condition), schedule: c.schedule, chunksize: c.chunksize,
  };
}

function libraryOpToJson(op: LibraryOp): LibraryOpJson {
  switch (op.name) {
    case 'Reduce':
      return {
        name: 'Reduce', axes: op.axes && [...op.axes], wcr: wcrToJson(op.wcr),
        identity: op.identity === null ? null : numberToJson(op.identity),
      };
    case 'MatMul': return { name: 'MatMul', alpha: numberToJson(op.alpha), beta: numberToJson(op.beta) };
    case 'Unknown': return { name: 'Unknown', classpath: op.classpath, attributes: structuredClone(op.attributes) };
    default: return assertNever(op, 'library operation');
  }
}

function edgeToJson(e: Edge): EdgeJson {
  return {
    id: e.id, src: e.src, srcConn: e.srcConn, dst: e.dst, dstConn: e.dstConn,
    memlet: memletToJson(e.memlet), ...withLoc(e.loc),
  };
}

function memletToJson(m: Memlet): MemletJson {
  return {
    data: m.data, subset: m.subset && formatSubset(m.subset), otherSubset: m.otherSubset && formatSubset(m.otherSubset),
    volume: m.volume.toString(), dynamic: m.dynamic, wcr: m.wcr && wcrToJson(m.wcr),
  };
}

function wcrToJson(w: Wcr): WcrJson {
  return w.op === 'custom' ? { op: 'custom', params: [w.params[0], w.params[1]], body: texprToJson(w.body) } : { op: w.op };
}

function codeToJson(code: TaskletCode): TaskletCodeJson {
  if (code.language !== 'tasklet') return { language: code.language, source: code.source };
  return {
    language: 'tasklet', body: code.body.map(tstmtToJson),
    ...(code.source === undefined ? {} : { source: code.source }),
  };
}

export function texprToJson(e: TExpr): TExprJson {
  const pos = withPos(e.pos);
  switch (e.k) {
    case 'num': return { k: 'num', value: numberToJson(e.value), isFloat: e.isFloat, ...pos };
    case 'bool': return { k: 'bool', value: e.value, ...pos };
    case 'name': return { k: 'name', name: e.name, ...pos };
    case 'index': return { k: 'index', name: e.name, indices: e.indices.map(texprToJson), ...pos };
    case 'unary': return { k: 'unary', op: e.op, arg: texprToJson(e.arg), ...pos };
    case 'binary': return { k: 'binary', op: e.op, lhs: texprToJson(e.lhs), rhs: texprToJson(e.rhs), ...pos };
    case 'ternary':
      return { k: 'ternary', cond: texprToJson(e.cond), then: texprToJson(e.then), else: texprToJson(e.else), ...pos };
    case 'call': return { k: 'call', fn: e.fn, args: e.args.map(texprToJson), ...pos };
    case 'cast': return { k: 'cast', dtype: e.dtype.name, arg: texprToJson(e.arg), ...pos };
    default: return assertNever(e, 'tasklet expression');
  }
}

export function tstmtToJson(s: TStmt): TStmtJson {
  const pos = withPos(s.pos);
  switch (s.k) {
    case 'assign':
      return { k: 'assign', target: texprToJson(s.target) as TExprJson & { k: 'name' | 'index' }, op: s.op, value: texprToJson(s.value), ...pos };
    case 'let':
      return { k: 'let', name: s.name, ...(s.dtype ? { dtype: s.dtype.name } : {}), value: texprToJson(s.value), ...pos };
    case 'if':
      return { k: 'if', cond: texprToJson(s.cond), then: s.then.map(tstmtToJson), else: s.else.map(tstmtToJson), ...pos };
    case 'for':
      return {
        k: 'for', variable: s.variable, begin: texprToJson(s.begin), end: texprToJson(s.end), step: texprToJson(s.step),
        body: s.body.map(tstmtToJson), ...pos,
      };
    default: return assertNever(s, 'tasklet statement');
  }
}

// ===============================================================================================================
// Reading: the schema checks the shape; the reader below parses expressions and subsets and links exits to entries,
// naming the place inside the document of anything it cannot read.

export function fromJSONString(text: string): SDFG {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw badJson(`not valid JSON: ${(e as Error).message}`);
  }
  return fromJSON(json);
}

export function fromJSON(json: unknown): SDFG {
  checkHeader(json);
  try {
    const parsed = sdfgDocumentSchema.safeParse(json);
    if (!parsed.success) throw badJson(describeIssue(parsed.error.issues[0]!, json));
    return readSdfg(parsed.data, '');
  } catch (e) {
    // A document nested deeper than the stack is bad input too, not a crash.
    if (e instanceof RangeError) throw badJson('the document is nested too deeply to read', e);
    throw e;
  }
}

function badJson(message: string, cause?: unknown, hint?: string): FormatError {
  return new FormatError({
    code: 'bad-json', message, ...(hint ? { hint } : {}), ...(cause === undefined ? {} : { cause }),
  });
}

function checkHeader(json: unknown): void {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw badJson(`expected an sdfg-ts document (a JSON object), got ${describeValue(json)}`);
  }
  const { format, version } = json as { format?: unknown; version?: unknown };
  if (format !== FORMAT_NAME) {
    const hint = (json as { type?: unknown }).type === 'SDFG' ? 'this looks like a DaCe .sdfg file: read it with fromDace' : undefined;
    throw badJson(`format: expected "${FORMAT_NAME}", got ${describeValue(format)}`, undefined, hint);
  }
  if (version !== FORMAT_VERSION) {
    throw badJson(`version: expected ${FORMAT_VERSION} (the only version this library reads), got ${describeValue(version)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Building the model from a checked document; `path` is the place inside the document, for messages.

const at = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : !IDENTIFIER_KEY.test(key) ? `${path}[${JSON.stringify(key)}]` : path ? `${path}.${key}` : key;

const dtype = (name: DTypeName): DType => dtypeByName(name)!;

const locOf = (loc: LocJson | undefined): { loc?: SourceLocation } => (loc ? { loc: { ...loc } } : {});
const posOf = (pos: PosJson | undefined): { pos?: CodePosition } => (pos ? { pos: { ...pos } } : {});

function readNumber(n: NumberJson): number {
  return typeof n === 'number' ? n : n === 'NaN' ? NaN : n === 'Infinity' ? Infinity : -Infinity;
}

/** Parse errors of the symbolic parser become FormatErrors naming the place in the document. */
function parsed<T>(path: string, what: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (e) {
    if (!(e instanceof SdfgError)) throw e;
    const reason = e.summary.split('\n')[0];
    throw badJson(`${path || '(document)'}: bad ${what} ${JSON.stringify(text)}: ${reason}`, e, e.hint);
  }
}

const readExpr = (path: string, text: string): Expr => parsed(path, 'expression', text, parseExpr);
const readExprs = (path: string, texts: readonly string[]): Expr[] => texts.map((t, i) => readExpr(at(path, i), t));
const readSubset = (path: string, text: string): Subset => parsed(path, 'subset', text, parseSubset);

function readRange(path: string, text: string): Range {
  const s = parsed(path, 'range', text, parseSubset);
  if (s.ranges.length !== 1) throw badJson(`${path}: expected one range, got ${s.ranges.length} in ${JSON.stringify(text)}`);
  return s.ranges[0]!;
}

function readRecord<A, B>(path: string, r: Record<string, A>, f: (path: string, a: A) => B): Record<string, B> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(at(path, k), v)]));
}

function readSdfg(j: SdfgBodyJson, path: string): SDFG {
  return {
    kind: 'SDFG',
    name: j.name,
    arrays: readRecord(at(path, 'arrays'), j.arrays, readData),
    symbols: readRecord(at(path, 'symbols'), j.symbols, (_p, d) => dtype(d)),
    constants: readRecord(at(path, 'constants'), j.constants, (_p, c) => ({ dtype: dtype(c.dtype), value: readNumber(c.value) })),
    argNames: [...j.argNames],
    ...readCfg(j, path),
    ...locOf(j.loc),
  };
}

function readData(path: string, j: DataJson): DataDesc {
  const common = { dtype: dtype(j.dtype), transient: j.transient, storage: j.storage, lifetime: j.lifetime };
  switch (j.kind) {
    case 'Scalar': return { kind: 'Scalar', ...common };
    case 'Stream':
      return {
        kind: 'Stream', ...common, shape: readExprs(at(path, 'shape'), j.shape),
        bufferSize: readExpr(at(path, 'bufferSize'), j.bufferSize),
      };
    case 'Array': case 'View':
      return {
        kind: j.kind, ...common,
        shape: readExprs(at(path, 'shape'), j.shape), strides: readExprs(at(path, 'strides'), j.strides),
        offset: readExprs(at(path, 'offset'), j.offset), totalSize: readExpr(at(path, 'totalSize'), j.totalSize),
        alignment: j.alignment, startOffset: j.startOffset, mayAlias: j.mayAlias,
      };
    default: return assertNever(j, 'data descriptor');
  }
}

function readCfg(j: CfgJson, path: string): ControlFlowGraph {
  return {
    blocks: j.blocks.map((b, i) => readBlock(b, at(at(path, 'blocks'), i))),
    edges: j.edges.map((e, i) => readInterstateEdge(e, at(at(path, 'edges'), i))),
    startBlock: j.startBlock, nextBlockId: j.nextBlockId, nextEdgeId: j.nextEdgeId,
  };
}

function readInterstateEdge(j: InterstateEdgeJson, path: string): InterstateEdge {
  return {
    id: j.id, src: j.src, dst: j.dst, condition: readTExpr(j.condition),
    assignments: readRecord(at(path, 'assignments'), j.assignments, (_p, e) => readTExpr(e)), ...locOf(j.loc),
  };
}

function readRegion(j: RegionJson, path: string): ControlFlowRegion {
  return { kind: 'ControlFlowRegion', id: j.id, label: j.label, ...readCfg(j, path), ...locOf(j.loc) };
}

function readBlock(j: BlockJson, path: string): ControlFlowBlock {
  switch (j.kind) {
    case 'State': return readState(j, path);
    case 'ControlFlowRegion': return readRegion(j, path);
    case 'LoopRegion':
      return {
        kind: 'LoopRegion', id: j.id, label: j.label, ...readCfg(j, path), loopVariable: j.loopVariable,
        init: j.init && readTExpr(j.init), condition: readTExpr(j.condition), update: j.update && readTExpr(j.update),
        inverted: j.inverted, ...locOf(j.loc),
      } satisfies LoopRegion;
    case 'ConditionalBlock':
      return {
        kind: 'ConditionalBlock', id: j.id, label: j.label,
        branches: j.branches.map((b, i) => ({
          condition: b.condition && readTExpr(b.condition),
          body: readRegion(b.body, at(at(at(path, 'branches'), i), 'body')),
        })),
        ...locOf(j.loc),
      } satisfies ConditionalBlock;
    default: return assertNever(j, 'control-flow block');
  }
}

const readConnectors = (c: ConnectorsJson): Connectors => mapRecord(c, (d) => (d === null ? null : dtype(d)));

function readState(j: StateJson, path: string): State {
  const nodesPath = at(path, 'nodes');
  // Entries first, so that an exit listed before its entry still finds it.
  const entries = new Map<number, MapScope | ConsumeScope>();
  const nodes: (Node | undefined)[] = j.nodes.map((n, i) => {
    if (n.kind !== 'MapEntry' && n.kind !== 'ConsumeEntry') return undefined;
    const node = readNode(n, at(nodesPath, i), entries);
    const scope = node.kind === 'MapEntry' ? node.map : node.kind === 'ConsumeEntry' ? node.consume : undefined;
    if (scope && !entries.has(node.id)) entries.set(node.id, scope);
    return node;
  });
  j.nodes.forEach((n, i) => { nodes[i] ??= readNode(n, at(nodesPath, i), entries); });
  return {
    kind: 'State', id: j.id, label: j.label, nodes: nodes as Node[],
    edges: j.edges.map((e, i) => readEdge(e, at(at(path, 'edges'), i))),
    nextNodeId: j.nextNodeId, nextEdgeId: j.nextEdgeId, ...locOf(j.loc),
  };
}

function readMap(j: MapJson, path: string): MapScope {
  return {
    label: j.label, params: [...j.params], ranges: j.ranges.map((r, i) => readRange(at(at(path, 'ranges'), i), r)),
    schedule: j.schedule, unroll: j.unroll, collapse: j.collapse,
    ...(j.gpuBlockSize ? { gpuBlockSize: [...j.gpuBlockSize] } : {}),
    ...(j.vectorWidth !== undefined ? { vectorWidth: j.vectorWidth } : {}),
  };
}

function readConsume(j: ConsumeJson, path: string): ConsumeScope {
  return {
    label: j.label, peIndex: j.peIndex, numPes: readExpr(at(path, 'numPes'), j.numPes),
    condition: j.condition && readTExpr(j.condition), schedule: j.schedule, chunksize: j.chunksize,
  };
}

/** The scope an exit closes: its entry's, or (for an exit without an entry) the copy stored on the exit. */
function exitScope<S extends MapScope | ConsumeScope>(
  entry: number | null, stored: S | undefined, path: string, kind: 'MapEntry' | 'ConsumeEntry',
  entries: Map<number, MapScope | ConsumeScope>, pick: (s: MapScope | ConsumeScope) => S | undefined,
): S {
  if (entry === null) {
    if (stored) return stored;
    throw badJson(`${at(path, 'entry')}: an exit without an entry must hold its own ${kind === 'MapEntry' ? 'map' : 'consume'}`);
  }
  const found = entries.get(entry);
  const scope = found && pick(found);
  if (!scope) throw badJson(`${at(path, 'entry')}: no ${kind} with id ${entry} in this state`);
  return scope;
}

const asMapScope = (s: MapScope | ConsumeScope): MapScope | undefined => ('params' in s ? s : undefined);
const asConsumeScope = (s: MapScope | ConsumeScope): ConsumeScope | undefined => ('peIndex' in s ? s : undefined);

function readNode(j: NodeJson, path: string, entries: Map<number, MapScope | ConsumeScope>): Node {
  const common = {
    id: j.id, label: j.label, inConnectors: readConnectors(j.inConnectors),
    outConnectors: readConnectors(j.outConnectors), ...locOf(j.loc),
  };
  switch (j.kind) {
    case 'AccessNode': return { kind: 'AccessNode', ...common, data: j.data, setzero: j.setzero };
    case 'Tasklet':
      return {
        kind: 'Tasklet', ...common, code: readCode(j.code),
        ...(j.codeGlobal === undefined ? {} : { codeGlobal: j.codeGlobal }),
      };
    case 'MapEntry': return { kind: 'MapEntry', ...common, map: readMap(j.map, at(path, 'map')) };
    case 'MapExit': {
      const stored = j.map && readMap(j.map, at(path, 'map'));
      return { kind: 'MapExit', ...common, map: exitScope(j.entry, stored, path, 'MapEntry', entries, asMapScope) };
    }
    case 'ConsumeEntry': return { kind: 'ConsumeEntry', ...common, consume: readConsume(j.consume, at(path, 'consume')) };
    case 'ConsumeExit': {
      const stored = j.consume && readConsume(j.consume, at(path, 'consume'));
      const consume = exitScope(j.entry, stored, path, 'ConsumeEntry', entries, asConsumeScope);
      return { kind: 'ConsumeExit', ...common, consume };
    }
    case 'NestedSDFG':
      return {
        kind: 'NestedSDFG', ...common, sdfg: readSdfg(j.sdfg, at(path, 'sdfg')),
        symbolMapping: readRecord(at(path, 'symbolMapping'), j.symbolMapping, readExpr),
      };
    case 'LibraryNode':
      return { kind: 'LibraryNode', ...common, op: readLibraryOp(j.op), implementation: j.implementation, schedule: j.schedule };
    default: return assertNever(j, 'node');
  }
}

function readLibraryOp(j: LibraryOpJson): LibraryOp {
  switch (j.name) {
    case 'Reduce':
      return {
        name: 'Reduce', axes: j.axes && [...j.axes], wcr: readWcr(j.wcr),
        identity: j.identity === null ? null : readNumber(j.identity),
      };
    case 'MatMul': return { name: 'MatMul', alpha: readNumber(j.alpha), beta: readNumber(j.beta) };
    case 'Unknown': return { name: 'Unknown', classpath: j.classpath, attributes: structuredClone(j.attributes) };
    default: return assertNever(j, 'library operation');
  }
}

function readEdge(j: EdgeJson, path: string): Edge {
  return {
    id: j.id, src: j.src, srcConn: j.srcConn, dst: j.dst, dstConn: j.dstConn,
    memlet: readMemlet(j.memlet, at(path, 'memlet')), ...locOf(j.loc),
  };
}

function readMemlet(j: MemletJson, path: string): Memlet {
  return {
    data: j.data,
    subset: j.subset === null ? null : readSubset(at(path, 'subset'), j.subset),
    otherSubset: j.otherSubset === null ? null : readSubset(at(path, 'otherSubset'), j.otherSubset),
    volume: readExpr(at(path, 'volume'), j.volume),
    dynamic: j.dynamic,
    wcr: j.wcr && readWcr(j.wcr),
  };
}

function readWcr(j: WcrJson): Wcr {
  return j.op === 'custom' ? { op: 'custom', params: [j.params[0], j.params[1]], body: readTExpr(j.body) } : { op: j.op };
}

function readCode(j: TaskletCodeJson): TaskletCode {
  if (j.language !== 'tasklet') return { language: j.language, source: j.source };
  return { language: 'tasklet', body: j.body.map(readTStmt), ...(j.source === undefined ? {} : { source: j.source }) };
}

export function readTExpr(j: TExprJson): TExpr {
  const pos = posOf(j.pos);
  switch (j.k) {
    case 'num': return { k: 'num', value: readNumber(j.value), isFloat: j.isFloat, ...pos };
    case 'bool': return { k: 'bool', value: j.value, ...pos };
    case 'name': return { k: 'name', name: j.name, ...pos };
    case 'index': return { k: 'index', name: j.name, indices: j.indices.map(readTExpr), ...pos };
    case 'unary': return { k: 'unary', op: j.op, arg: readTExpr(j.arg), ...pos };
    case 'binary': return { k: 'binary', op: j.op, lhs: readTExpr(j.lhs), rhs: readTExpr(j.rhs), ...pos };
    case 'ternary': return { k: 'ternary', cond: readTExpr(j.cond), then: readTExpr(j.then), else: readTExpr(j.else), ...pos };
    case 'call': return { k: 'call', fn: j.fn, args: j.args.map(readTExpr), ...pos };
    case 'cast': return { k: 'cast', dtype: dtype(j.dtype), arg: readTExpr(j.arg), ...pos };
    default: return assertNever(j, 'tasklet expression');
  }
}

function readTStmt(j: TStmtJson): TStmt {
  const pos = posOf(j.pos);
  switch (j.k) {
    case 'assign':
      return { k: 'assign', target: readTExpr(j.target) as TExpr & { k: 'name' | 'index' }, op: j.op, value: readTExpr(j.value), ...pos };
    case 'let':
      return { k: 'let', name: j.name, ...(j.dtype ? { dtype: dtype(j.dtype) } : {}), value: readTExpr(j.value), ...pos };
    case 'if': return { k: 'if', cond: readTExpr(j.cond), then: j.then.map(readTStmt), else: j.else.map(readTStmt), ...pos };
    case 'for':
      return {
        k: 'for', variable: j.variable, begin: readTExpr(j.begin), end: readTExpr(j.end), step: readTExpr(j.step),
        body: j.body.map(readTStmt), ...pos,
      };
    default: return assertNever(j, 'tasklet statement');
  }
}
