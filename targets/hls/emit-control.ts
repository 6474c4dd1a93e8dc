// The control flow of an HLS kernel's top function: state functions called in order, loops, branches, assignments.
import { isTrueCondition } from '../../graph/construct.js';
import { i64 } from '../../graph/dtypes.js';
import { assertNever } from '../../graph/errors.js';
import { blockById, outInterstateEdges } from '../../graph/query.js';
import type { ControlFlowBlock, ControlFlowGraph, InterstateEdge, LoopRegion, State } from '../../graph/sdfg.js';
import { type CodeWriter, type FunctionContext, cIdentifier } from '../cpp/emit-context.js';
import { printCondition, printInterstate } from '../cpp/emit-interstate.js';
import { hlsUnsupported } from './plan.js';

/** How the top function calls a kernel state's function. */
export type StateCall = (state: State, caller: FunctionContext) => string;

interface FlowContext {
  readonly fn: FunctionContext;
  readonly call: StateCall;
}

/** A region's blocks in execution order with the edge leaving each; HLS has no goto, so only a line is printed. */
function lineOf(cfg: ControlFlowGraph, where: string): { block: ControlFlowBlock; next?: InterstateEdge }[] {
  const order: { block: ControlFlowBlock; next?: InterstateEdge }[] = [];
  for (let block = cfg.startBlock === null ? undefined : blockById(cfg, cfg.startBlock); block;) {
    if (order.some((o) => o.block === block)) break;
    const out = outInterstateEdges(cfg, block);
    if (out.length > 1 || (out.length === 1 && !isTrueCondition(out[0]!.condition))) {
      throw hlsUnsupported(`${where} branches between blocks with interstate conditions; the hls target prints structured control flow only`,
        undefined, 'use loop and conditional regions (p.for, p.if) instead of conditional interstate edges');
    }
    order.push(out[0] ? { block, next: out[0] } : { block });
    block = out[0] ? blockById(cfg, out[0].dst) : undefined;
  }
  if (order.length !== cfg.blocks.length) throw hlsUnsupported(`${where} has blocks that do not follow one another in a line`);
  return order;
}

/** Interstate assignments: all values first, then all symbols (a swap must read the old values). */
function emitAssignments(c: FlowContext, e: InterstateEdge, w: CodeWriter): void {
  const entries = Object.entries(e.assignments);
  const value = (name: string, expr: InterstateEdge['condition']): string => printInterstate(c.fn, expr, null, c.fn.sdfg.symbols[name] ?? i64);
  if (entries.length === 1) { w.line(`${entries[0]![0]} = ${value(...entries[0]!)};`); return; }
  const temps = entries.map(([name]) => c.fn.fresh(`${name}_next`));
  entries.forEach(([name, expr], k) => w.line(`const int64_t ${temps[k]} = ${value(name, expr)};`));
  entries.forEach(([name], k) => w.line(`${name} = ${temps[k]};`));
}

function emitGraph(c: FlowContext, cfg: ControlFlowGraph, where: string, w: CodeWriter): void {
  for (const { block, next } of lineOf(cfg, where)) {
    emitBlock(c, block, w);
    if (next) emitAssignments(c, next, w);
  }
}

function emitLoop(c: FlowContext, loop: LoopRegion, w: CodeWriter): void {
  const v = loop.loopVariable;
  const t = (v && c.fn.sdfg.symbols[v]) || i64;
  const cond = printCondition(c.fn, loop.condition, null);
  const init = v && loop.init ? `${v} = ${printInterstate(c.fn, loop.init, null, t)}` : '';
  const update = v && loop.update ? `${v} = ${printInterstate(c.fn, loop.update, null, t)}` : '';
  w.line(`// loop "${loop.label}"`);
  const label = c.fn.fresh(cIdentifier(loop.label));
  if (loop.inverted) {
    if (init) w.line(`${init};`);
    w.open(`${label}: do {`);
    emitGraph(c, loop, `loop ${loop.label}`, w);
    if (update) w.line(`${update};`);
    w.close(`} while (${cond});`);
    return;
  }
  w.open(init || update ? `${label}: for (${init}; ${cond}; ${update}) {` : `${label}: while (${cond}) {`);
  emitGraph(c, loop, `loop ${loop.label}`, w);
  w.close();
}

function emitBlock(c: FlowContext, block: ControlFlowBlock, w: CodeWriter): void {
  switch (block.kind) {
    case 'State':
      w.line(`${c.call(block, c.fn)}  // state "${block.label}"`);
      return;
    case 'LoopRegion':
      emitLoop(c, block, w);
      return;
    case 'ConditionalBlock':
      w.line(`// conditional "${block.label}"`);
      block.branches.forEach((b, k) => {
        const head = b.condition ? `if (${printCondition(c.fn, b.condition, null)}) {` : '{';
        if (k === 0) w.open(head);
        else w.middle(b.condition ? `} else ${head}` : '} else {');
        emitGraph(c, b.body, `branch ${k} of ${block.label}`, w);
      });
      if (block.branches.length) w.close();
      return;
    case 'ControlFlowRegion':
      w.line(`// region "${block.label}"`);
      w.open('{');
      emitGraph(c, block, `region ${block.label}`, w);
      w.close();
      return;
    default:
      assertNever(block, 'control-flow block');
  }
}

/** The kernel's top-level blocks (a line, as FPGATransform requires) and everything inside them. */
export function emitKernelControlFlow(fn: FunctionContext, blocks: readonly ControlFlowBlock[], call: StateCall, w: CodeWriter): void {
  const c: FlowContext = { fn, call };
  for (const block of blocks) emitBlock(c, block, w);
}
