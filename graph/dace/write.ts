// Writing an SDFG as DaCe 2.0 JSON (`.sdfg`): the SDFG, control-flow regions, states and nested SDFGs.
import { isTrueCondition } from '../construct.js';
import { assertNever } from '../errors.js';
import { walkBlocks } from '../query.js';
import type { ControlFlowBlock, ControlFlowGraph, ControlFlowRegion, SDFG } from '../sdfg.js';
import type { TExpr } from '../tasklet-ast.js';
import { type JsonObject, extrasOf, mergeAttributes, sourceOf } from './extras.js';
import { DEFAULTS, codeBlock } from './properties.js';
import { pythonExpr } from './python-print.js';
import { ExprWriter, writeData } from './write-data.js';
import { writeState } from './write-nodes.js';

/** DaCe numbers every control-flow graph (SDFGs and regions) in one list, depth-first. */
interface WriteContext { nextCfgId: number }

/** The SDFG as DaCe's JSON object (write it with JSON.stringify). */
export function writeDaceSDFG(sdfg: SDFG): JsonObject {
  return writeSDFG(sdfg, { nextCfgId: 0 });
}

const SDFG_OWNED = ['name', 'arg_names', '_arrays', 'symbols', 'constants_prop', 'using_explicit_control_flow', 'hash'];
const EMPTY_CODE = { frame: codeBlock('', 'CPP') };

function writeSDFG(sdfg: SDFG, ctx: WriteContext): JsonObject {
  const kept = extrasOf(sdfg);
  const w = new ExprWriter(sdfg);
  const cfgId = ctx.nextCfgId++;
  const constants = Object.entries(sdfg.constants);
  const hasRegions = [...walkBlocks(sdfg)].some((b) => b.kind !== 'State');
  const dataArgs = sdfg.argNames.filter((n) => n in sdfg.arrays);
  const attributes = mergeAttributes(kept.attributes, SDFG_OWNED, {
    name: sdfg.name,
    // DaCe's arg_names orders the data arguments only; symbols are passed by name.
    arg_names: dataArgs.length || 'arg_names' in kept.attributes ? dataArgs : undefined,
    _arrays: Object.fromEntries(Object.entries(sdfg.arrays).map(([name, d]) => [name, writeData(w, d)])),
    symbols: Object.fromEntries(Object.entries(sdfg.symbols).map(([name, t]) => [name, t.name])),
    constants_prop: constants.length ? Object.fromEntries(constants.map(([name, c]) => [name, [c.dtype.name, c.value]])) : undefined,
    global_code: kept.attributes['global_code'] ?? EMPTY_CODE,
    init_code: kept.attributes['init_code'] ?? EMPTY_CODE,
    exit_code: kept.attributes['exit_code'] ?? EMPTY_CODE,
    // The stored hash would no longer match once the graph changed; DaCe recomputes it.
    using_explicit_control_flow: hasRegions || kept.attributes['using_explicit_control_flow'] === true ? true : undefined,
  });
  const { type: _type, collapsed, label, id, cfg_list_id: _cfg, start_block: _start, ...rest } = { ...kept.fields } as JsonObject;
  const graph = writeGraph(w, sdfg, ctx, kept.fields);
  return {
    type: 'SDFG', attributes, nodes: graph.nodes, edges: graph.edges,
    collapsed: collapsed ?? false, label: label ?? '', id: id ?? null, cfg_list_id: cfgId, start_block: graph.start_block, ...rest,
  };
}

function writeGraph(w: ExprWriter, cfg: ControlFlowGraph, ctx: WriteContext, keptFields: JsonObject): { nodes: JsonObject[]; edges: JsonObject[]; start_block: number | null } {
  const pos = new Map(cfg.blocks.map((b, i) => [b.id, i]));
  const nodes = cfg.blocks.map((b, i) => writeBlock(w, b, i, ctx));
  const edges = cfg.edges.map((e) => {
    const kept = extrasOf(e).attributes;
    const assignments = Object.fromEntries(Object.entries(e.assignments).map(([k, v]) => [k, sourceOf(v) ?? pythonExpr(v)]));
    const attributes = mergeAttributes(kept, ['assignments', 'condition'], {
      assignments: Object.keys(assignments).length ? assignments : undefined,
      condition: isTrueCondition(e.condition) ? undefined : codeBlock(sourceOf(e.condition) ?? pythonExpr(e.condition)),
    }, DEFAULTS.InterstateEdge);
    return { type: 'Edge', attributes: { data: { type: 'InterstateEdge', attributes } }, src: String(pos.get(e.src)), dst: String(pos.get(e.dst)) };
  });
  // A graph DaCe wrote without a start block starts where nothing enters; keep it so.
  const start = keptFields['start_block'] === null || cfg.startBlock === null ? null : pos.get(cfg.startBlock) ?? null;
  return { nodes, edges, start_block: start };
}

function regionJson(w: ExprWriter, type: string, attributes: JsonObject, r: ControlFlowGraph & { label: string }, id: number | null, ctx: WriteContext): JsonObject {
  const kept = extrasOf(r);
  const cfgId = ctx.nextCfgId++;
  const graph = writeGraph(w, r, ctx, kept.fields);
  return {
    type, attributes, nodes: graph.nodes, edges: graph.edges, collapsed: kept.fields['collapsed'] ?? false,
    label: r.label, id, cfg_list_id: cfgId, start_block: graph.start_block,
  };
}

/** A loop statement `v = value`: the text read, or the expression printed. */
const statement = (variable: string, e: TExpr | null): JsonObject | null => (e ? codeBlock(sourceOf(e) ?? `${variable} = ${pythonExpr(e)}`) : null);

function writeBlock(w: ExprWriter, b: ControlFlowBlock, index: number, ctx: WriteContext): JsonObject {
  switch (b.kind) {
    case 'State': return writeState(w, b, index, (inner) => writeSDFG(inner, ctx));
    case 'ControlFlowRegion': return regionJson(w, 'ControlFlowRegion', extrasOf(b).attributes, b, index, ctx);
    case 'LoopRegion': {
      const v = b.loopVariable ?? '';
      const attributes = mergeAttributes(extrasOf(b).attributes, ['update_statement', 'init_statement', 'loop_condition', 'loop_variable', 'inverted'], {
        update_statement: statement(v, b.update), init_statement: statement(v, b.init),
        loop_condition: codeBlock(sourceOf(b.condition) ?? pythonExpr(b.condition)), loop_variable: v, inverted: b.inverted,
      }, DEFAULTS.LoopRegion);
      return regionJson(w, 'LoopRegion', attributes, b, index, ctx);
    }
    case 'ConditionalBlock': {
      const kept = extrasOf(b);
      const cfgId = ctx.nextCfgId++;
      const branches = b.branches.map((br) => [
        br.condition ? codeBlock(sourceOf(br.condition) ?? pythonExpr(br.condition)) : null,
        branchRegion(w, br.body, ctx),
      ]);
      return {
        type: 'ConditionalBlock', attributes: kept.attributes, collapsed: kept.fields['collapsed'] ?? false, label: b.label,
        id: index, cfg_list_id: cfgId, start_block: null, branches,
      };
    }
    default: return assertNever(b, 'control-flow block');
  }
}

function branchRegion(w: ExprWriter, r: ControlFlowRegion, ctx: WriteContext): JsonObject {
  return regionJson(w, 'ControlFlowRegion', extrasOf(r).attributes, r, null, ctx);
}
