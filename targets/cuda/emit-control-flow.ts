// Control flow in CUDA host code: structured for/while/if for regions, straight state chains, labels and goto otherwise.
//
// The same shape as the C++ target's, with the state emitter passed in (the C++ one calls its own state emitter).
import { isTrueCondition } from '../../graph/construct.js';
import { i64 } from '../../graph/dtypes.js';
import { assertNever } from '../../graph/errors.js';
import { blockById, inInterstateEdges, outInterstateEdges } from '../../graph/query.js';
import type { ControlFlowBlock, ControlFlowGraph, InterstateEdge, LoopRegion, State } from '../../graph/sdfg.js';
import type { CodeWriter, FunctionContext } from '../cpp/emit-context.js';
import { printCondition, printInterstate } from '../cpp/emit-interstate.js';

export type StateEmitter = (state: State, w: CodeWriter) => void;

/** Blocks in execution order when the graph is a straight line of unconditional edges, else null. */
function straightLine(cfg: ControlFlowGraph): { order: ControlFlowBlock[]; edges: InterstateEdge[] } | null {
  const order: ControlFlowBlock[] = [], edges: InterstateEdge[] = [];
  for (let block = cfg.startBlock === null ? undefined : blockById(cfg, cfg.startBlock); block;) {
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

/** Every value is computed before any symbol changes (`i, j = j, i` swaps). */
function emitAssignments(fn: FunctionContext, e: InterstateEdge, w: CodeWriter): void {
  const entries = Object.entries(e.assignments);
  const values = entries.map(([name, expr]) => printInterstate(fn, expr, null, fn.sdfg.symbols[name] ?? i64));
  if (entries.length === 1) return w.line(`${entries[0]![0]} = ${values[0]};`);
  const temps = entries.map(([name]) => fn.fresh(`${name}_next`));
  entries.forEach((_, k) => w.line(`const int64_t ${temps[k]} = ${values[k]};`));
  entries.forEach(([name], k) => w.line(`${name} = ${temps[k]};`));
}

export function emitControlFlow(fn: FunctionContext, cfg: ControlFlowGraph, w: CodeWriter, emitState: StateEmitter): void {
  const line = straightLine(cfg);
  if (!line) return emitStateMachine(fn, cfg, w, emitState);
  line.order.forEach((block, k) => {
    emitBlock(fn, block, w, emitState);
    if (line.edges[k]) emitAssignments(fn, line.edges[k]!, w);
  });
}

function emitStateMachine(fn: FunctionContext, cfg: ControlFlowGraph, w: CodeWriter, emitState: StateEmitter): void {
  const labels = new Map(cfg.blocks.map((b) => [b.id, fn.freshLabel(`block_${b.label}`)]));
  const end = fn.freshLabel('region_end');
  const start = cfg.startBlock === null ? undefined : blockById(cfg, cfg.startBlock);
  w.line('// control flow with arbitrary interstate edges: one label per block');
  w.open('{');
  for (const block of start ? [start, ...cfg.blocks.filter((b) => b !== start)] : []) {
    w.line(`${labels.get(block.id)}:;`);
    w.open('{');
    emitBlock(fn, block, w, emitState);
    w.close();
    for (const e of outInterstateEdges(cfg, block).sort((a, b) => a.id - b.id)) {
      const always = isTrueCondition(e.condition);
      w.open(always ? '{' : `if (${printCondition(fn, e.condition, null)}) {`);
      emitAssignments(fn, e, w);
      w.line(`goto ${labels.get(e.dst)};`);
      w.close();
      if (always) break;
    }
    w.line(`goto ${end};`);
  }
  w.line(`${end}:;`);
  w.close();
}

function emitLoop(fn: FunctionContext, loop: LoopRegion, w: CodeWriter, emitState: StateEmitter): void {
  w.line(`// loop "${loop.label}"`);
  const v = loop.loopVariable;
  const t = (v && fn.sdfg.symbols[v]) || i64;
  const cond = printCondition(fn, loop.condition, null);
  const init = v && loop.init ? `${v} = ${printInterstate(fn, loop.init, null, t)}` : '';
  const update = v && loop.update ? `${v} = ${printInterstate(fn, loop.update, null, t)}` : '';
  if (loop.inverted) {
    if (init) w.line(`${init};`);
    w.open('do {');
    emitControlFlow(fn, loop, w, emitState);
    if (update) w.line(`${update};`);
    return w.close(`} while (${cond});`);
  }
  w.open(init || update ? `for (${init}; ${cond}; ${update}) {` : `while (${cond}) {`);
  emitControlFlow(fn, loop, w, emitState);
  w.close();
}

function emitBlock(fn: FunctionContext, block: ControlFlowBlock, w: CodeWriter, emitState: StateEmitter): void {
  switch (block.kind) {
    case 'State': return emitState(block, w);
    case 'LoopRegion': return emitLoop(fn, block, w, emitState);
    case 'ConditionalBlock':
      w.line(`// conditional "${block.label}"`);
      block.branches.forEach((b, k) => {
        const head = b.condition ? `if (${printCondition(fn, b.condition, null)}) {` : '{';
        if (k === 0) w.open(head);
        else w.middle(b.condition ? `} else ${head}` : '} else {');
        emitControlFlow(fn, b.body, w, emitState);
      });
      if (block.branches.length) w.close();
      return;
    case 'ControlFlowRegion':
      w.line(`// region "${block.label}"`);
      w.open('{');
      emitControlFlow(fn, block, w, emitState);
      return w.close();
    default: return assertNever(block, 'control-flow block');
  }
}
