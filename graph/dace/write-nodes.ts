// Writing a state in DaCe's form: nodes with scope links, the scope dictionary, and memlet edges.
import { assertNever } from '../errors.js';
import { isFloat } from '../dtypes.js';
import type { Connectors, LibraryNode, Node, Tasklet } from '../nodes.js';
import { typeTasklet } from '../tasklet-types.js';
import { isScopeEntry, isScopeExit, scheduleTypes } from '../nodes.js';
import { exitOf, scopeDict } from '../query.js';
import type { SDFG, State } from '../sdfg.js';
import { type JsonObject, adaptationOf, extrasOf, mergeAttributes, sourceOf } from './extras.js';
import { CLASSPATH, DEFAULTS, codeBlock, writeConnectors, writeNumberText } from './properties.js';
import { type PythonTypes, pythonExpr, pythonStatements } from './python-print.js';
import { taskletEnv } from './tasklet-env.js';
import { type ExprWriter, keptEnum, writeMemlet, writeWcr } from './write-data.js';

/** Writes a nested SDFG; passed in by write.ts to keep the two files free of a cycle. */
export type NestedWriter = (sdfg: SDFG) => JsonObject;

export function writeState(w: ExprWriter, state: State, index: number, writeNested: NestedWriter): JsonObject {
  const kept = extrasOf(state);
  const pos = new Map(state.nodes.map((n, i) => [n.id, i]));
  const at = (id: number | null | undefined): string | null => (id === null || id === undefined ? null : String(pos.get(id)));
  const dict = scopeDict(state);
  const scopes: Record<string, number[]> = { '-1': [] };
  for (const n of state.nodes) if (isScopeEntry(n)) scopes[String(pos.get(n.id))] = [];
  for (const n of state.nodes) scopes[dict.get(n.id) === null || dict.get(n.id) === undefined ? '-1' : String(pos.get(dict.get(n.id)!))]?.push(pos.get(n.id)!);
  const added = addedConnectors(state);
  const nodes = state.nodes.map((n) => {
    const parent = dict.get(n.id) ?? null;
    // An entry's scope_exit is its own exit; any other node's is the exit of the scope it is in.
    const [entry, exit] = isScopeEntry(n) ? [parent, exitOf(state, n)?.id]
      : isScopeExit(n) ? [parent, n.id]
      : [parent, exitOfScope(state, parent)];
    return {
      type: n.kind, label: n.label, attributes: writeNodeAttributes(w, state, n, added, writeNested), id: pos.get(n.id),
      scope_entry: at(entry), scope_exit: at(exit),
      ...(n.kind === 'LibraryNode' ? { classpath: classpathOf(n) } : {}),
    };
  });
  const edges = state.edges.map((e) => {
    const a = adaptationOf(e);
    const keptAttrs = Object.fromEntries(Object.entries(extrasOf(e).attributes).filter(([k]) => k !== 'data'));
    return {
      type: 'MultiConnectorEdge', attributes: { ...keptAttrs, data: writeMemlet(w, state, e) },
      src: at(e.src), dst: at(e.dst),
      dst_connector: a?.dstConn !== undefined && a.dstConn === e.dstConn ? null : e.dstConn,
      src_connector: a?.srcConn !== undefined && a.srcConn === e.srcConn ? null : e.srcConn,
    };
  });
  const scopeDictJson = Object.fromEntries(Object.entries(scopes).sort(([a], [b]) => Number(a) - Number(b)).map(([k, v]) => [k, v.sort((x, y) => x - y)]));
  return {
    type: 'SDFGState', label: state.label, id: index, collapsed: kept.fields['collapsed'] ?? false,
    scope_dict: scopeDictJson, nodes, edges, attributes: kept.attributes,
  };
}

function exitOfScope(state: State, entryId: number | null): number | undefined {
  const entry = entryId === null ? undefined : state.nodes.find((x) => x.id === entryId);
  return entry && isScopeEntry(entry) ? exitOf(state, entry)?.id : undefined;
}

/** Connectors the reader named on library-node edges where DaCe had none: written back unnamed. */
function addedConnectors(state: State): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  const add = (id: number, name: string): void => { if (!out.has(id)) out.set(id, new Set()); out.get(id)!.add(name); };
  for (const e of state.edges) {
    const a = adaptationOf(e);
    if (a?.dstConn !== undefined && a.dstConn === e.dstConn) add(e.dst, a.dstConn);
    if (a?.srcConn !== undefined && a.srcConn === e.srcConn) add(e.src, a.srcConn);
  }
  return out;
}

/** Connectors, left out where there are none (as DaCe does) unless the file had them written. */
function connectorAttrs(n: Node, added: Map<number, Set<string>>, kept: JsonObject): JsonObject {
  const drop = added.get(n.id) ?? new Set<string>();
  const filter = (c: Connectors): Connectors => Object.fromEntries(Object.entries(c).filter(([k]) => !drop.has(k)));
  const [ins, outs] = [filter(n.inConnectors), filter(n.outConnectors)];
  return {
    in_connectors: Object.keys(ins).length || 'in_connectors' in kept ? writeConnectors(ins, kept['in_connectors']) : undefined,
    out_connectors: Object.keys(outs).length || 'out_connectors' in kept ? writeConnectors(outs, kept['out_connectors']) : undefined,
  };
}

/** The tasklet's types, where they can be inferred: printing needs to know which `%` work on floats. */
function pythonTypes(w: ExprWriter, state: State, n: Tasklet): PythonTypes {
  if (n.code.language !== 'tasklet') return {};
  try {
    const typing = typeTasklet(n.code.body, taskletEnv(w.sdfg, state, n));
    return { floatOperands: (e) => isFloat(typing.operandTypeOf(e)), floatAssign: (s) => isFloat(typing.assignOperandType(s)) };
  } catch {
    return {};
  }
}

const schedule = (value: string, kept: JsonObject): string => keptEnum(value, 'Default', kept['schedule'], scheduleTypes);

function writeNodeAttributes(w: ExprWriter, state: State, n: Node, added: Map<number, Set<string>>, writeNested: NestedWriter): JsonObject {
  const kept = extrasOf(n).attributes;
  const merge = (computed: JsonObject, defaults: JsonObject = {}): JsonObject => mergeAttributes(kept, Object.keys(computed), computed, defaults);
  switch (n.kind) {
    case 'AccessNode':
      return merge({ data: n.data, setzero: n.setzero, ...connectorAttrs(n, added, kept) }, DEFAULTS.AccessNode);
    case 'Tasklet': {
      const code = n.code.language === 'tasklet'
        ? codeBlock(sourceOf(n.code) ?? pythonStatements(n.code.body, '', pythonTypes(w, state, n)), 'Python')
        : codeBlock(n.code.source, n.code.language);
      const global = n.codeGlobal ? { code_global: codeBlock(n.codeGlobal, 'CPP') } : {};
      return merge({ code, ...global, label: n.label, ...connectorAttrs(n, added, kept) });
    }
    case 'MapEntry': {
      const m = n.map;
      return merge({
        label: m.label, params: [...m.params], range: { type: 'Range', ranges: m.ranges.map((r) => w.range(r)) },
        schedule: schedule(m.schedule, kept), unroll: m.unroll, collapse: m.collapse, gpu_block_size: m.gpuBlockSize ? [...m.gpuBlockSize] : null,
        ...connectorAttrs(n, added, kept),
      }, DEFAULTS.Map);
    }
    case 'MapExit': case 'ConsumeExit': return merge(connectorAttrs(n, added, kept));
    case 'ConsumeEntry': {
      const c = n.consume;
      return merge({
        label: c.label, pe_index: c.peIndex, num_pes: w.expr(c.numPes),
        condition: c.condition ? codeBlock(sourceOf(c.condition) ?? pythonExpr(c.condition)) : null,
        schedule: schedule(c.schedule, kept), chunksize: c.chunksize, ...connectorAttrs(n, added, kept),
      }, DEFAULTS.Consume);
    }
    case 'NestedSDFG':
      return merge({
        sdfg: writeNested(n.sdfg),
        symbol_mapping: Object.fromEntries(Object.entries(n.symbolMapping).map(([k, e]) => [k, w.expr(e)])),
        label: n.label, ...connectorAttrs(n, added, kept),
      });
    case 'LibraryNode': return writeLibraryAttributes(n, kept, merge, connectorAttrs(n, added, kept));
    default: return assertNever(n, 'node');
  }
}

function classpathOf(n: LibraryNode): string {
  switch (n.op.name) {
    case 'Reduce': case 'MatMul': {
      const kept = extrasOf(n).fields['classpath'];
      return typeof kept === 'string' ? kept : CLASSPATH[n.op.name];
    }
    case 'Unknown': return n.op.classpath;
    default: return assertNever(n.op, 'library operation');
  }
}

function writeLibraryAttributes(n: LibraryNode, kept: JsonObject, merge: (c: JsonObject, d?: JsonObject) => JsonObject, connectors: JsonObject): JsonObject {
  const name = typeof kept['name'] === 'string' ? kept['name'] : n.label;
  const label = typeof kept['label'] === 'string' ? kept['label'] : n.label;
  const common = {
    name, label, implementation: n.implementation, schedule: schedule(n.schedule, kept), ...connectors,
  };
  const op = n.op;
  switch (op.name) {
    case 'Reduce':
      return merge({
        axes: op.axes ? [...op.axes] : null, wcr: writeWcr(op.wcr),
        identity: op.identity === null ? null : writeNumberText(op.identity), ...common,
      }, { ...DEFAULTS.LibraryNode, axes: null, identity: null });
    case 'MatMul':
      return merge({ alpha: op.alpha, beta: op.beta, ...common }, { ...DEFAULTS.LibraryNode, ...DEFAULTS.MatMul });
    case 'Unknown':
      // Its attributes are DaCe's own, kept whole; the connectors follow the model.
      return mergeAttributes(op.attributes, ['in_connectors', 'out_connectors'], connectors);
    default: return assertNever(op, 'library operation');
  }
}
