// Control flow in C++: structured for/while/if for regions, straight-line state chains, and labels + goto otherwise.
import { isTrueCondition } from '../../graph/construct.js';
import { assertNever } from '../../graph/errors.js';
import { blockById, outInterstateEdges, inInterstateEdges } from '../../graph/query.js';
import type { ControlFlowBlock, ControlFlowGraph, InterstateEdge, LoopRegion, State } from '../../graph/sdfg.js';
import type { TExpr } from '../../graph/tasklet-ast.js';
import { i64 } from '../../graph/dtypes.js';
import { type CodeWriter, type FunctionContext } from './emit-context.js';
import { printCondition, printInterstate } from './emit-interstate.js';
import { emitState } from './emit-state.js';

/** Emits one state's dataflow; other targets (CUDA host code) pass their own. */
export type StateEmitter = (state: State, w: CodeWriter) => void;

/** Symbols assigned anywhere in a control-flow graph (interstate edges and loop variables), in first-seen order. */
export function assignedSymbols(cfg: ControlFlowGraph, into: string[] = []): string[] {
  const add = (name: string): void => { if (!into.includes(name)) into.push(name); };
  for (const e of cfg.edges) Object.keys(e.assignments).forEach(add);
  for (const block of cfg.blocks) {
    switch (block.kind) {
      case 'State': break;
      case 'LoopRegion': if (block.loopVariable) add(block.loopVariable); assignedSymbols(block, into); break;
      case 'ControlFlowRegion': assignedSymbols(block, into); break;
      case 'ConditionalBlock': for (const b of block.branches) assignedSymbols(b.body, into); break;
      default: assertNever(block, 'block');
    }
  }
  return into;
}

/** The blocks in execution order when the graph is a straight line of unconditional edges, else null. */
function straightLine(cfg: ControlFlowGraph): { order: ControlFlowBlock[]; edges: InterstateEdge[] } | null {
  if (cfg.startBlock === null) return { order: [], edges: [] };
  const order: ControlFlowBlock[] = [];
  const edges: InterstateEdge[] = [];
  let block = blockById(cfg, cfg.startBlock);
  while (block) {
    if (order.includes(block) || inInterstateEdges(cfg, block).length > 1) return null;
    order.push(block);
    const out = outInterstateEdges(cfg, block);
    if (out.length === 0) break;
    if (out.length > 1 || !isTrueCondition(out[0]!.condition)) return null;
    edges.push(out[0]!);
    block = blockById(cfg, out[0]!.dst);
  }
  return { order, edges };
}

/** Interstate assignments: every value is computed first, then all are applied (converted to the symbol's type). */
function emitAssignments(fn: FunctionContext, e: InterstateEdge, w: CodeWriter): void {
  const entries = Object.entries(e.assignments);
  const value = (name: string, expr: TExpr): string => printInterstate(fn, expr, null, fn.sdfg.symbols[name] ?? i64);
  if (entries.length === 1) {
    w.line(`${entries[0]![0]} = ${value(...entries[0]!)};`);
    return;
  }
  const temps = entries.map(([name]) => fn.fresh(`${name}_next`));
  entries.forEach(([name, expr], k) => w.line(`const int64_t ${temps[k]} = ${value(name, expr)};`));
  entries.forEach(([name], k) => w.line(`${name} = ${temps[k]};`));
}

/** Emit a control-flow graph: structured where its shape allows, a state machine with labels otherwise. */
export function emitControlFlow(fn: FunctionContext, cfg: ControlFlowGraph, w: CodeWriter, stateEmitter: StateEmitter = (state, out) => emitState(fn, state, out)): void {
  const line = straightLine(cfg);
  if (line) {
    line.order.forEach((block, k) => {
      emitBlock(fn, block, w, stateEmitter);
      const e = line.edges[k];
      if (e) emitAssignments(fn, e, w);
    });
    return;
  }
  emitStateMachine(fn, cfg, w, stateEmitter);
}

/** Arbitrary interstate edges: each block under a label, its out-edges as guarded jumps. */
function emitStateMachine(fn: FunctionContext, cfg: ControlFlowGraph, w: CodeWriter, stateEmitter: StateEmitter): void {
  const labels = new Map(cfg.blocks.map((b) => [b.id, fn.freshLabel(`block_${b.label}`)]));
  const end = fn.freshLabel('region_end');
  const start = cfg.startBlock === null ? undefined : blockById(cfg, cfg.startBlock);
  const ordered = start ? [start, ...cfg.blocks.filter((b) => b !== start)] : [];
  w.line('// control flow with arbitrary interstate edges: one label per block');
  w.open('{');
  for (const block of ordered) {
    w.line(`${labels.get(block.id)}:;`);
    w.open('{');
    emitBlock(fn, block, w, stateEmitter);
    w.close();
    for (const e of outInterstateEdges(cfg, block).sort((a, b) => a.id - b.id)) {
      const unconditional = isTrueCondition(e.condition);
      w.open(unconditional ? '{' : `if (${printCondition(fn, e.condition, null)}) {`);
      emitAssignments(fn, e, w);
      w.line(`goto ${labels.get(e.dst)};`);
      w.close();
      if (unconditional) break;
    }
    w.line(`goto ${end};`);
  }
  w.line(`${end}:;`);
  w.close();
}

function emitLoop(fn: FunctionContext, loop: LoopRegion, w: CodeWriter, stateEmitter: StateEmitter): void {
  w.line(`// loop "${loop.label}"`);
  const v = loop.loopVariable;
  const cond = printCondition(fn, loop.condition, null);
  const t = (v && fn.sdfg.symbols[v]) || i64;
  const init = v && loop.init ? `${v} = ${printInterstate(fn, loop.init, null, t)}` : '';
  const update = v && loop.update ? `${v} = ${printInterstate(fn, loop.update, null, t)}` : '';
  if (loop.inverted) {
    if (init) w.line(`${init};`);
    w.open('do {');
    emitControlFlow(fn, loop, w, stateEmitter);
    if (update) w.line(`${update};`);
    w.close(`} while (${cond});`);
    return;
  }
  w.open(init || update ? `for (${init}; ${cond}; ${update}) {` : `while (${cond}) {`);
  emitControlFlow(fn, loop, w, stateEmitter);
  w.close();
}

export function emitBlock(fn: FunctionContext, block: ControlFlowBlock, w: CodeWriter, stateEmitter: StateEmitter): void {
  switch (block.kind) {
    case 'State':
      stateEmitter(block, w);
      return;
    case 'LoopRegion':
      emitLoop(fn, block, w, stateEmitter);
      return;
    case 'ConditionalBlock': {
      w.line(`// conditional "${block.label}"`);
      block.branches.forEach((b, k) => {
        const head = b.condition ? `if (${printCondition(fn, b.condition, null)}) {` : '{';
        if (k === 0) w.open(head);
        else w.middle(b.condition ? `} else ${head}` : '} else {');
        emitControlFlow(fn, b.body, w, stateEmitter);
      });
      if (block.branches.length) w.close();
      return;
    }
    case 'ControlFlowRegion':
      w.line(`// region "${block.label}"`);
      w.open('{');
      emitControlFlow(fn, block, w, stateEmitter);
      w.close();
      return;
    default:
      assertNever(block, 'control-flow block');
  }
}
