// Which states may run after a given state, through interstate edges, loops (a body repeats) and enclosing regions.
import type { ControlFlowBlock, ControlFlowGraph, SDFG, State } from '../../graph/sdfg.js';
import { allStates, walkBlocks } from '../../graph/query.js';

/** One level of the path from the SDFG down to a state: the graph, and the block of it that holds the state. */
interface Level {
  readonly cfg: ControlFlowGraph;
  readonly block: ControlFlowBlock;
  /** The graph is the body of a loop: its blocks may run again. */
  readonly loops: boolean;
}

function pathTo(cfg: ControlFlowGraph, state: State, loops: boolean): Level[] | undefined {
  for (const block of cfg.blocks) {
    if (block === state) return [{ cfg, block, loops }];
    switch (block.kind) {
      case 'State': break;
      case 'LoopRegion': case 'ControlFlowRegion': {
        const inner = pathTo(block, state, block.kind === 'LoopRegion');
        if (inner) return [{ cfg, block, loops }, ...inner];
        break;
      }
      case 'ConditionalBlock':
        for (const b of block.branches) {
          const inner = pathTo(b.body, state, false);
          if (inner) return [{ cfg, block, loops }, ...inner];
        }
        break;
    }
  }
  return undefined;
}

/** Blocks reachable from `block` along interstate edges of its graph (not `block` itself unless on a cycle). */
function reachableBlocks(cfg: ControlFlowGraph, block: ControlFlowBlock): ControlFlowBlock[] {
  const seen = new Set<number>();
  const todo = [block.id];
  while (todo.length) {
    const id = todo.pop()!;
    for (const e of cfg.edges) if (e.src === id && !seen.has(e.dst)) { seen.add(e.dst); todo.push(e.dst); }
  }
  return cfg.blocks.filter((b) => seen.has(b.id));
}

function statesIn(block: ControlFlowBlock): State[] {
  if (block.kind === 'State') return [block];
  if (block.kind === 'ConditionalBlock') return block.branches.flatMap((b) => [...allStates(b.body)]);
  return [...allStates(block)];
}

/** Every state that may execute after `state` in one run of the SDFG (including itself inside a loop). */
export function statesAfter(sdfg: SDFG, state: State): Set<State> {
  const path = pathTo(sdfg, state, false);
  const after = new Set<State>();
  if (!path) return after;
  for (const level of path) {
    for (const b of reachableBlocks(level.cfg, level.block)) for (const s of statesIn(b)) after.add(s);
    // A loop body runs again: everything in it may follow.
    if (level.loops) for (const b of walkBlocks(level.cfg)) if (b.kind === 'State') after.add(b);
  }
  return after;
}
