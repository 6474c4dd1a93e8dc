// Running control flow: blocks from the start block along the first enabled interstate edge, loop regions,
// conditional blocks and plain regions; interstate assignments are evaluated first, then applied together.
import { assertNever, type GraphPath } from '../../graph/errors.js';
import { blockById, outInterstateEdges } from '../../graph/query.js';
import type { ConditionalBlock, ControlFlowBlock, ControlFlowGraph, InterstateEdge, LoopRegion } from '../../graph/sdfg.js';
import type { TExpr } from '../../graph/tasklet-ast.js';
import { castValue } from '../../graph/tasklet-ops.js';
import { evalDataExpr, symbolType } from './data-expressions.js';
import { runState } from './dataflow.js';
import { type Frame, allocateTransients } from './frame.js';

function blockPath(frame: Frame, block: ControlFlowBlock): GraphPath {
  return { sdfg: frame.name, state: block.label };
}

function edgePath(frame: Frame, cfg: ControlFlowGraph, edge: InterstateEdge): GraphPath {
  const label = (id: number): string => blockById(cfg, id)?.label ?? `block ${id}`;
  return { sdfg: frame.name, edge: `${label(edge.src)} -> ${label(edge.dst)}` };
}

const holds = (frame: Frame, e: TExpr, path: GraphPath): boolean => evalDataExpr(frame, e, frame.symbols, path) !== 0;

/** Give a symbol a new value, converted to its type (i64 unless declared). */
function setSymbol(frame: Frame, name: string, value: number): void {
  frame.symbols.set(name, castValue(value, symbolType(frame, name)));
}

/** Run a control-flow graph from its start block until a block has no enabled out-edge. */
export function runRegion(frame: Frame, cfg: ControlFlowGraph): void {
  let block = cfg.startBlock === null ? undefined : blockById(cfg, cfg.startBlock);
  while (block) {
    runBlock(frame, block);
    const edges = outInterstateEdges(cfg, block).sort((a, b) => a.id - b.id);
    const taken = edges.find((e) => holds(frame, e.condition, edgePath(frame, cfg, e)));
    if (!taken) return;
    const path = edgePath(frame, cfg, taken);
    const values = Object.entries(taken.assignments).map(([name, e]) => [name, evalDataExpr(frame, e, frame.symbols, path)] as const);
    for (const [name, value] of values) setSymbol(frame, name, value);
    block = blockById(cfg, taken.dst);
  }
}

function runLoop(frame: Frame, loop: LoopRegion): void {
  const path = blockPath(frame, loop);
  const variable = loop.loopVariable;
  const step = (e: TExpr | null): void => {
    if (variable !== null && e !== null) setSymbol(frame, variable, evalDataExpr(frame, e, frame.symbols, path));
  };
  step(loop.init);
  if (loop.inverted) {
    do {
      runRegion(frame, loop);
      step(loop.update);
    } while (holds(frame, loop.condition, path));
    return;
  }
  while (holds(frame, loop.condition, path)) {
    runRegion(frame, loop);
    step(loop.update);
  }
}

function runConditional(frame: Frame, block: ConditionalBlock): void {
  const path = blockPath(frame, block);
  const branch = block.branches.find((b) => b.condition === null || holds(frame, b.condition, path));
  if (branch) runRegion(frame, branch.body);
}

function runBlock(frame: Frame, block: ControlFlowBlock): void {
  switch (block.kind) {
    case 'State': return runState(frame, block);
    case 'LoopRegion': return runLoop(frame, block);
    case 'ConditionalBlock': return runConditional(frame, block);
    case 'ControlFlowRegion': return runRegion(frame, block);
    default: return assertNever(block, 'control-flow block');
  }
}

/** Run an SDFG in its frame: transients are allocated (zeroed), then its control flow runs. */
export function runSDFG(frame: Frame): void {
  allocateTransients(frame);
  runRegion(frame, frame.sdfg);
}
