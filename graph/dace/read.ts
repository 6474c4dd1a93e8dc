// Reading DaCe 2.0 SDFG JSON (`.sdfg`): the SDFG, its control-flow regions, states and nested SDFGs.
import { TRUE_CONDITION, createRegion, createSDFG } from '../construct.js';
import { dtypeByName } from '../dtypes.js';
import type { ControlFlowBlock, ControlFlowGraph, InterstateEdge, LoopRegion, SDFG } from '../sdfg.js';
import type { TExpr } from '../tasklet-ast.js';
import { type JsonObject, isObject, keepExtras, keepSource, keepSpellings } from './extras.js';
import { readCodeBlock, readNumber } from './properties.js';
import { Untranslatable, translateAssignmentValue } from './python-translate.js';
import { type ReadScope, asArray, asObject, describeJson, formatError, readData, readDebugLoc } from './read-data.js';
import { readState, translateControl } from './read-nodes.js';
import { controlEnv } from './tasklet-env.js';
import { type DaceImportReport, emptyReport } from './report.js';
import type { SymbolSpellings } from './symbols.js';

/** The SDFG a DaCe file holds, and what could not be translated. */
export interface DaceImport {
  readonly sdfg: SDFG;
  readonly report: DaceImportReport;
}

/** Read DaCe's SDFG JSON (the parsed object or its text). */
export function readDaceSDFG(json: unknown): DaceImport {
  let doc = json;
  if (typeof json === 'string') {
    try {
      doc = JSON.parse(json);
    } catch (error) {
      throw formatError('bad-json', `the text is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const root = asObject(doc, 'the DaCe file');
  if (root['type'] !== 'SDFG') {
    const hint = 'format' in root && root['format'] === 'sdfg-ts' ? 'this is an sdfg-ts JSON file: read it with fromJSON' : 'DaCe files start with {"type": "SDFG", "attributes": …}';
    throw formatError('not-dace-sdfg', `not a DaCe SDFG: the top-level "type" is ${describeJson(root['type'])}, not "SDFG"`, undefined, hint);
  }
  const report = emptyReport();
  const sourceFiles = asArray(root['source_files'], 'source_files').map(String);
  const sdfg = readSDFG(root, { report, sourceFiles, parentPath: '' });
  return { sdfg, report };
}

interface Ancestry { readonly report: DaceImportReport; readonly sourceFiles: readonly string[]; readonly parentPath: string }

function readSDFG(json: JsonObject, up: Ancestry): SDFG {
  const attrs = asObject(json['attributes'], 'SDFG attributes');
  const name = typeof attrs['name'] === 'string' ? attrs['name'] : 'sdfg';
  const sdfg = createSDFG(name);
  const path = up.parentPath ? `${up.parentPath}/${name}` : name;
  const spellings: SymbolSpellings = new Map();
  const notes = new Set<string>();
  const scope: ReadScope = {
    sdfg, spellings, report: up.report, sourceFiles: up.sourceFiles, path,
    note: (n) => { if (!notes.has(n)) { notes.add(n); up.report.notes.push(n); } },
  };
  for (const [sym, t] of Object.entries(isObject(attrs['symbols']) ? attrs['symbols'] : {})) {
    const dtype = typeof t === 'string' ? dtypeByName(t) : undefined;
    if (!dtype) throw formatError('unsupported-dtype', `${path}: symbol ${sym} has the type ${describeJson(t)}, which is not supported`, { sdfg: path });
    sdfg.symbols[sym] = dtype;
  }
  readConstants(scope, attrs['constants_prop']);
  for (const [dataName, desc] of Object.entries(isObject(attrs['_arrays']) ? attrs['_arrays'] : {})) sdfg.arrays[dataName] = readData(scope, dataName, desc);
  Object.assign(sdfg, readDebugLoc(attrs['debuginfo'], scope));
  readGraph(scope, sdfg, json);
  // DaCe's arg_names lists data only; the model's argument order goes on with the symbols a caller passes.
  const assigned = assignedSymbols(sdfg, new Set());
  const data = asArray(attrs['arg_names'], `${path}: arg_names`).map(String);
  sdfg.argNames = [...data, ...Object.keys(sdfg.symbols).filter((n) => !assigned.has(n) && !data.includes(n))];
  keepSpellings(sdfg, spellings);
  keepExtras(sdfg, json, ['nodes', 'edges']);
  return sdfg;
}

/** Symbols the program assigns itself (interstate edges, loop variables): not arguments. */
function assignedSymbols(cfg: ControlFlowGraph, into: Set<string>): Set<string> {
  for (const e of cfg.edges) for (const name of Object.keys(e.assignments)) into.add(name);
  for (const b of cfg.blocks) {
    if (b.kind === 'LoopRegion' && b.loopVariable) into.add(b.loopVariable);
    if (b.kind === 'LoopRegion' || b.kind === 'ControlFlowRegion') assignedSymbols(b, into);
    if (b.kind === 'ConditionalBlock') for (const br of b.branches) assignedSymbols(br.body, into);
  }
  return into;
}

/** `constants_prop`: `{name: [typeclass, value]}` (other shapes are kept unread). */
function readConstants(scope: ReadScope, value: unknown): void {
  if (!isObject(value)) return;
  for (const [name, entry] of Object.entries(value)) {
    const [t, v] = Array.isArray(entry) ? entry : [];
    const dtype = typeof t === 'string' ? dtypeByName(t) : isObject(t) && typeof t['dtype'] === 'string' ? dtypeByName(t['dtype']) : undefined;
    if (!dtype || (typeof v !== 'number' && typeof v !== 'string')) {
      scope.note(`${scope.path}: constant ${name} is not a scalar number; it is kept for writing back but not used`);
      continue;
    }
    scope.sdfg.constants[name] = { dtype, value: readNumber(v, `${scope.path}: constant ${name}`) };
  }
}

/** Blocks (ids are their positions, as DaCe's edges use them) and interstate edges; a null start is the block nothing enters. */
function readGraph(scope: ReadScope, cfg: ControlFlowGraph, json: JsonObject): void {
  const blocks = asArray(json['nodes'], `${scope.path}: blocks`);
  cfg.blocks = blocks.map((b, i) => readBlock(scope, asObject(b, `${scope.path}: block ${i}`), i));
  cfg.nextBlockId = cfg.blocks.length;
  cfg.edges = asArray(json['edges'], `${scope.path}: interstate edges`).map((e, i) => readInterstateEdge(scope, e, i, cfg.blocks.length));
  cfg.nextEdgeId = cfg.edges.length;
  const start = json['start_block'];
  if (start !== undefined && start !== null && cfg.blocks[Number(start)]) cfg.startBlock = Number(start);
  else {
    const entered = new Set(cfg.edges.map((e) => e.dst));
    cfg.startBlock = cfg.blocks.find((b) => !entered.has(b.id))?.id ?? cfg.blocks[0]?.id ?? null;
  }
}

function readBlock(scope: ReadScope, json: JsonObject, id: number): ControlFlowBlock {
  const label = typeof json['label'] === 'string' ? json['label'] : `block_${id}`;
  const attrs = isObject(json['attributes']) ? json['attributes'] : {};
  const keep = <B extends object>(b: B): B => { keepExtras(b, json, ['nodes', 'edges', 'label', 'branches']); return b; };
  switch (json['type']) {
    case 'SDFGState': return readState(scope, json, id, readNested);
    case 'ControlFlowRegion': {
      const region = createRegion(label, id);
      readGraph(scope, region, json);
      return keep(region);
    }
    case 'LoopRegion': return keep(readLoop(scope, json, attrs, id, label));
    case 'ConditionalBlock': {
      const branches = asArray(json['branches'], `${scope.path} / ${label}: branches`).map((b, i) => {
        const [cond, body] = asArray(b, `${scope.path} / ${label}: branch ${i}`);
        const condition = readCodeBlock(cond, `${scope.path} / ${label}: branch ${i} condition`);
        const bodyJson = asObject(body, `${scope.path} / ${label}: branch ${i} body`);
        const region = createRegion(typeof bodyJson['label'] === 'string' ? bodyJson['label'] : `${label}_branch${i}`, i);
        readGraph(scope, region, bodyJson);
        keepExtras(region, bodyJson, ['nodes', 'edges', 'label']);
        return { condition: condition ? translateControl(scope, condition.text, `${label}: branch ${i} condition`) : null, body: region };
      });
      return keep({ kind: 'ConditionalBlock', id, label, branches });
    }
    default:
      throw formatError('unsupported-block', `${scope.path} / ${label}: control-flow blocks of type ${describeJson(json['type'])} are not supported`,
        { sdfg: scope.path, state: label }, 'supported: SDFGState, ControlFlowRegion, LoopRegion, ConditionalBlock');
  }
}

function readLoop(scope: ReadScope, json: JsonObject, attrs: JsonObject, id: number, label: string): LoopRegion {
  const variable = typeof attrs['loop_variable'] === 'string' && attrs['loop_variable'] !== '' ? attrs['loop_variable'] : null;
  const what = `${label}`;
  const statement = (key: string): TExpr | null => {
    const code = readCodeBlock(attrs[key], `${scope.path} / ${what}: ${key}`);
    if (!code || code.text.trim() === '') return null;
    if (!variable) throw formatError('bad-loop', `${scope.path} / ${what}: a ${key} without a loop variable`, { sdfg: scope.path, state: label });
    try {
      const e = translateAssignmentValue(code.text, variable, controlEnv(scope.sdfg), `${scope.path} / ${what}: ${key}`);
      keepSource(e, code.text);
      return e;
    } catch (error) {
      if (error instanceof Untranslatable) throw formatError('untranslatable-expression', `${scope.path} / ${what}: ${error.message}`, { sdfg: scope.path, state: label });
      throw error;
    }
  };
  const cond = readCodeBlock(attrs['loop_condition'], `${scope.path} / ${what}: loop_condition`);
  const loop: LoopRegion = {
    kind: 'LoopRegion', id, label, blocks: [], edges: [], startBlock: null, nextBlockId: 0, nextEdgeId: 0,
    loopVariable: variable, init: statement('init_statement'),
    condition: cond ? translateControl(scope, cond.text, `${what}: loop_condition`) : TRUE_CONDITION,
    update: statement('update_statement'), inverted: attrs['inverted'] === true,
  };
  readGraph(scope, loop, json);
  return loop;
}

function readInterstateEdge(scope: ReadScope, json: unknown, i: number, blockCount: number): InterstateEdge {
  const what = `${scope.path}: interstate edge ${i}`;
  const e = asObject(json, what);
  const data = isObject(e['attributes']) && isObject(e['attributes']['data']) ? e['attributes']['data'] : {};
  const a = isObject(data['attributes']) ? data['attributes'] : {};
  const end = (key: 'src' | 'dst'): number => {
    const id = Number(e[key]);
    if (!Number.isInteger(id) || id < 0 || id >= blockCount) throw formatError('bad-edge', `${what}: its ${key} ${describeJson(e[key])} is no block of the graph`, { sdfg: scope.path });
    return id;
  };
  const cond = readCodeBlock(a['condition'], `${what}: condition`);
  const condition = !cond || /^\s*(1|True|\(1\)|\(True\))\s*$/.test(cond.text) ? TRUE_CONDITION : translateControl(scope, cond.text, `interstate edge ${i} condition`);
  const assignments: Record<string, TExpr> = {};
  for (const [sym, v] of Object.entries(isObject(a['assignments']) ? a['assignments'] : {})) {
    assignments[sym] = translateControl(scope, String(v), `interstate edge ${i} assignment to ${sym}`);
  }
  const edge: InterstateEdge = { id: i, src: end('src'), dst: end('dst'), condition, assignments };
  // The edge's own fields are all in the model; its InterstateEdge attributes (guid, …) are kept.
  keepExtras(edge, { attributes: a });
  return edge;
}

function readNested(json: unknown, scope: ReadScope, label: string): SDFG {
  const j = asObject(json, `${scope.path} / ${label}: nested SDFG`);
  if (j['type'] !== 'SDFG') throw formatError('bad-structure', `${scope.path} / ${label}: the nested SDFG has type ${describeJson(j['type'])}`);
  return readSDFG(j, { report: scope.report, sourceFiles: scope.sourceFiles, parentPath: scope.path });
}
