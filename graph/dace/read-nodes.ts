// Reading a DaCe state: its nodes (access nodes, tasklets, scopes, nested SDFGs, library nodes) and memlet edges.
import type { Memlet } from '../memlet.js';
import type { ConsumeScope, LibraryOp, MapScope, Node, Tasklet } from '../nodes.js';
import type { Edge, SDFG, State } from '../sdfg.js';
import type { TExpr } from '../tasklet-ast.js';
import { type JsonObject, isObject, keepExtras, keepSource } from './extras.js';
import { adaptState } from './read-adapt.js';
import {
  DEFAULTS, libraryKind, readCodeBlock, readConnectors, readNumber, readSchedule,
} from './properties.js';
import { Untranslatable, translateExpression, translateTasklet, translateWcr } from './python-translate.js';
import { controlEnv, taskletEnv } from './tasklet-env.js';
import {
  type ReadScope, asArray, asObject, describeJson, expr, formatError, readDebugLoc, readMemlet, readSubset,
} from './read-data.js';

/** Reads a nested SDFG; passed in by read.ts to keep the two files free of a cycle. */
export type NestedReader = (json: unknown, scope: ReadScope, label: string) => SDFG;

interface NodeJson { readonly json: JsonObject; readonly attrs: JsonObject; readonly id: number }

const RAW_LANGUAGES: Readonly<Record<string, 'CPP' | 'CUDA' | 'Python'>> = { CPP: 'CPP', Python: 'Python', CUDA: 'CUDA' };

export function readState(scope: ReadScope, json: JsonObject, id: number, readNested: NestedReader): State {
  const label = typeof json['label'] === 'string' ? json['label'] : `state_${id}`;
  const state: State = { kind: 'State', id, label, nodes: [], edges: [], nextNodeId: 0, nextEdgeId: 0 };
  const where = (node?: string): { sdfg: string; state: string; node?: string } => ({ sdfg: scope.path, state: label, ...(node ? { node } : {}) });
  const nodes: NodeJson[] = asArray(json['nodes'], `${scope.path} / ${label}: nodes`).map((n, i) => {
    const j = asObject(n, `${scope.path} / ${label}: node ${i}`);
    return { json: j, attrs: isObject(j['attributes']) ? j['attributes'] : {}, id: typeof j['id'] === 'number' ? j['id'] : i };
  });
  const byId = new Map<number, Node>();
  // Exits share their entry's scope object, so entries (and everything else) come first.
  const isExit = (n: NodeJson): boolean => n.json['type'] === 'MapExit' || n.json['type'] === 'ConsumeExit';
  for (const n of [...nodes.filter((x) => !isExit(x)), ...nodes.filter(isExit)]) {
    if (byId.has(n.id)) throw formatError('duplicate-node', `${scope.path} / ${label}: two nodes have id ${n.id}`, where());
    const node = readNode(scope, n, byId, where, readNested);
    keepExtras(node, n.json, ['id', 'label', 'scope_entry', 'scope_exit', 'classpath']);
    byId.set(n.id, node);
  }
  state.nodes = nodes.map((n) => byId.get(n.id)!);
  state.nextNodeId = Math.max(-1, ...byId.keys()) + 1;
  state.edges = asArray(json['edges'], `${scope.path} / ${label}: edges`).map((e, i) => readEdge(scope, e, i, byId, where));
  state.nextEdgeId = state.edges.length;
  adaptState(scope.sdfg, state);
  for (const node of state.nodes) if (node.kind === 'Tasklet' && node.code.language === 'Python') translate(scope, state, node);
  reportRawTasklets(scope, state);
  keepExtras(state, json, ['nodes', 'edges', 'label', 'id', 'scope_dict']);
  return state;
}

function connectorsOf(attrs: JsonObject): { inConnectors: Node['inConnectors']; outConnectors: Node['outConnectors'] } {
  return { inConnectors: readConnectors(attrs['in_connectors']), outConnectors: readConnectors(attrs['out_connectors']) };
}

function readNode(
  scope: ReadScope, n: NodeJson, byId: Map<number, Node>, where: (node?: string) => { sdfg: string; state: string },
  readNested: NestedReader,
): Node {
  const { json, attrs, id } = n;
  const label = typeof json['label'] === 'string' ? json['label'] : typeof attrs['label'] === 'string' ? attrs['label'] : `node_${id}`;
  const what = `${scope.path} / ${where().state} / ${label}`;
  const common = { id, label, ...connectorsOf(attrs), ...readDebugLoc(attrs['debuginfo'], scope) };
  const type = json['type'];
  switch (type) {
    case 'AccessNode': {
      if (typeof attrs['data'] !== 'string') throw formatError('bad-node', `${what}: an access node needs its data's name`, where(label));
      return { kind: 'AccessNode', ...common, data: attrs['data'], setzero: attrs['setzero'] === true };
    }
    case 'Tasklet': {
      const code = readCodeBlock(attrs['code'], `${what}: code`) ?? { text: '', language: 'Python' };
      const language = RAW_LANGUAGES[code.language];
      if (!language) {
        throw formatError('unsupported-language', `${what}: tasklets in ${code.language} are not supported`, where(label),
          'tasklet languages: Python (translated), CPP and CUDA (kept as raw code)');
      }
      const global = readCodeBlock(attrs['code_global'], `${what}: code_global`);
      const tasklet: Tasklet = { kind: 'Tasklet', ...common, code: { language, source: code.text }, ...(global?.text ? { codeGlobal: global.text } : {}) };
      return tasklet;
    }
    case 'MapEntry': return { kind: 'MapEntry', ...common, map: readMap(scope, attrs, what) };
    case 'ConsumeEntry': return { kind: 'ConsumeEntry', ...common, consume: readConsume(scope, attrs, what) };
    case 'MapExit': case 'ConsumeExit': {
      const entry = byId.get(Number(json['scope_entry']));
      if (type === 'MapExit' && entry?.kind === 'MapEntry') return { kind: 'MapExit', ...common, map: entry.map };
      if (type === 'ConsumeExit' && entry?.kind === 'ConsumeEntry') return { kind: 'ConsumeExit', ...common, consume: entry.consume };
      throw formatError('unmatched-scope', `${what}: the ${type} names ${describeJson(json['scope_entry'])} as its entry, which is no ${type === 'MapExit' ? 'MapEntry' : 'ConsumeEntry'}`, where(label));
    }
    case 'NestedSDFG': {
      const inner = readNested(attrs['sdfg'], scope, label);
      const mapping = isObject(attrs['symbol_mapping']) ? attrs['symbol_mapping'] : {};
      const symbolMapping = Object.fromEntries(Object.entries(mapping).map(([k, v]) => [k, expr(scope, v, `${what}: symbol_mapping[${k}]`)]));
      return { kind: 'NestedSDFG', ...common, sdfg: inner, symbolMapping };
    }
    case 'LibraryNode': {
      const classpath = typeof json['classpath'] === 'string' ? json['classpath'] : '';
      const op = readLibraryOp(scope, classpath, attrs, what);
      if (op.name === 'Unknown') scope.report.unknownLibraryNodes.push({ sdfg: scope.path, state: where().state, node: label, id, classpath });
      return {
        kind: 'LibraryNode', ...common, op,
        implementation: typeof attrs['implementation'] === 'string' ? attrs['implementation'] : null,
        schedule: readSchedule(attrs['schedule'], what, scope.note),
      };
    }
    default:
      throw formatError('unsupported-node', `${what}: nodes of type ${describeJson(type)} are not supported`, where(label),
        'supported: AccessNode, Tasklet, MapEntry/MapExit, ConsumeEntry/ConsumeExit, NestedSDFG, LibraryNode');
  }
}

function readMap(scope: ReadScope, attrs: JsonObject, what: string): MapScope {
  const params = asArray(attrs['params'], `${what}: params`).map(String);
  const ranges = readSubset(scope, attrs['range'], `${what}: range`)?.ranges ?? [];
  if (ranges.length !== params.length) throw formatError('bad-map', `${what}: ${params.length} parameters but ${ranges.length} ranges`);
  const block = attrs['gpu_block_size'];
  return {
    label: typeof attrs['label'] === 'string' ? attrs['label'] : 'map',
    params, ranges: [...ranges], schedule: readSchedule(attrs['schedule'], what, scope.note),
    unroll: attrs['unroll'] === true,
    collapse: typeof attrs['collapse'] === 'number' ? attrs['collapse'] : DEFAULTS.Map.collapse,
    ...(Array.isArray(block) ? { gpuBlockSize: block.map(Number) } : {}),
  };
}

function readConsume(scope: ReadScope, attrs: JsonObject, what: string): ConsumeScope {
  const condition = readCodeBlock(attrs['condition'], `${what}: condition`);
  return {
    label: typeof attrs['label'] === 'string' ? attrs['label'] : 'consume',
    peIndex: typeof attrs['pe_index'] === 'string' ? attrs['pe_index'] : 'pe',
    numPes: expr(scope, attrs['num_pes'] ?? 1, `${what}: num_pes`),
    condition: condition ? translateControl(scope, condition.text, `${what}: condition`) : null,
    schedule: readSchedule(attrs['schedule'], what, scope.note),
    chunksize: typeof attrs['chunksize'] === 'number' ? attrs['chunksize'] : DEFAULTS.Consume.chunksize,
  };
}

function readLibraryOp(scope: ReadScope, classpath: string, attrs: JsonObject, what: string): LibraryOp {
  switch (libraryKind(classpath)) {
    case 'Reduce': {
      const text = typeof attrs['wcr'] === 'string' ? attrs['wcr'] : DEFAULTS.Reduce.wcr;
      const wcr = translateWcr(text);
      keepSource(wcr, text);
      const axes = attrs['axes'] === undefined || attrs['axes'] === null ? null : asArray(attrs['axes'], `${what}: axes`).map(Number);
      const identity = attrs['identity'] === undefined || attrs['identity'] === null ? null : readNumber(attrs['identity'], `${what}: identity`);
      return { name: 'Reduce', axes, wcr, identity };
    }
    case 'MatMul':
      return {
        name: 'MatMul',
        alpha: attrs['alpha'] === undefined ? DEFAULTS.MatMul.alpha : readNumber(attrs['alpha'], `${what}: alpha`),
        beta: attrs['beta'] === undefined ? DEFAULTS.MatMul.beta : readNumber(attrs['beta'], `${what}: beta`),
      };
    default:
      return { name: 'Unknown', classpath: classpath || 'unknown', attributes: structuredClone(attrs) };
  }
}

function readEdge(
  scope: ReadScope, json: unknown, i: number, byId: Map<number, Node>, where: () => { sdfg: string; state: string },
): Edge {
  const what = `${scope.path} / ${where().state}: edge ${i}`;
  const e = asObject(json, what);
  const end = (key: 'src' | 'dst'): number => {
    const id = Number(e[key]);
    if (!byId.has(id)) throw formatError('bad-edge', `${what}: its ${key} ${describeJson(e[key])} is no node of the state`, where());
    return id;
  };
  const conn = (key: string): string | null => (typeof e[key] === 'string' ? e[key] : null);
  const a = isObject(e['attributes']) ? e['attributes'] : {};
  const memlet: Memlet = readMemlet(scope, a['data'], what);
  const edge: Edge = { id: i, src: end('src'), srcConn: conn('src_connector'), dst: end('dst'), dstConn: conn('dst_connector'), memlet };
  keepExtras(edge, e, ['src', 'dst', 'src_connector', 'dst_connector']);
  return edge;
}

// ---------------------------------------------------------------------------------------------------------------
// Tasklet code.

function translate(scope: ReadScope, state: State, node: Tasklet): void {
  if (node.code.language !== 'Python') return;
  const source = node.code.source;
  const result = translateTasklet(source, taskletEnv(scope.sdfg, state, node));
  if (result.ok) {
    node.code = { language: 'tasklet', body: result.body, source };
    keepSource(node.code, source);
    return;
  }
  scope.report.untranslatedTasklets.push({
    sdfg: scope.path, state: state.label, node: node.label, id: node.id, language: 'Python', reason: result.reason, code: source,
  });
}

/** Reports a raw (non-Python) tasklet: it loads and prints, and runs only where a target takes its code. */
export function reportRawTasklets(scope: ReadScope, state: State): void {
  for (const node of state.nodes) {
    if (node.kind !== 'Tasklet' || node.code.language === 'tasklet' || node.code.language === 'Python') continue;
    scope.report.untranslatedTasklets.push({
      sdfg: scope.path, state: state.label, node: node.label, id: node.id, language: node.code.language,
      reason: `${node.code.language} code is kept as a raw ${node.code.language} tasklet (not translated)`, code: node.code.source,
    });
  }
}

/** A Python expression on an interstate edge, a loop or a branch; what cannot be translated stops the reading. */
export function translateControl(scope: ReadScope, text: string, what: string): TExpr {
  try {
    const e = translateExpression(text, controlEnv(scope.sdfg), `${scope.path}: ${what}`);
    keepSource(e, text);
    return e;
  } catch (error) {
    if (error instanceof Untranslatable) {
      throw formatError('untranslatable-expression', `${scope.path}: ${what}: cannot translate '${text}': ${error.message}`, { sdfg: scope.path },
        'control-flow expressions must use the Python subset of the tasklet language');
    }
    throw error;
  }
}
