// Validation rules for control flow: start blocks, interstate edge endpoints, reachability, block ids.
import type { ValidationError } from '../errors.js';
import type { ControlFlowBlock } from '../sdfg.js';
import {
  blockIssue, describeInterstateEdge, interstateIssue, type CfgInfo, type ValidationContext, pushTo, type ValidationRule,
} from './context.js';

export const describeBlock = (b: ControlFlowBlock): string => `${b.kind} '${b.label}'`;

/** `SDFG 'gemm'`, `LoopRegion 'loop'`, … */
export function describeGraph(g: CfgInfo): string {
  return g.owner.kind === 'SDFG' ? `SDFG '${g.owner.name}'` : `${g.owner.kind} '${g.owner.label}'`;
}

function blockIds(g: CfgInfo): Set<number> {
  return new Set(g.cfg.blocks.map((b) => b.id));
}

export const missingStart: ValidationRule = {
  name: 'missing-start',
  summary: 'every SDFG has blocks, and every control-flow graph that has blocks starts at one of them',
  *check(ctx: ValidationContext): Generator<ValidationError> {
    for (const g of ctx.graphs) {
      const { blocks, startBlock } = g.cfg;
      if (blocks.length === 0) {
        // An empty loop or branch body does nothing and is fine; an empty program is a mistake.
        if (g.owner.kind === 'SDFG') {
          yield blockIssue(g, null, 'missing-start', `${describeGraph(g)} has no blocks`,
            'add a state (addState) so that the program has somewhere to start');
        } else if (startBlock !== null) {
          yield blockIssue(g, null, 'missing-start', `${describeGraph(g)} has no blocks but names block #${startBlock} as its start`,
            'set its startBlock to null, or add the block it should start at');
        }
      } else if (startBlock === null) {
        yield blockIssue(g, null, 'missing-start', `${describeGraph(g)} has no start block`,
          `set startBlock to the id of the block that runs first (e.g. ${blocks[0]!.id} for '${blocks[0]!.label}')`);
      } else if (!blockIds(g).has(startBlock)) {
        yield blockIssue(g, null, 'missing-start', `${describeGraph(g)} starts at block #${startBlock}, which is not one of its blocks`,
          `set startBlock to the id of one of its blocks (e.g. ${blocks[0]!.id} for '${blocks[0]!.label}')`);
      }
    }
  },
};

export const interstateEdgeEndpoint: ValidationRule = {
  name: 'interstate-edge-endpoint',
  summary: 'interstate edges connect blocks of their own control-flow graph',
  *check(ctx) {
    for (const g of ctx.graphs) {
      const ids = blockIds(g);
      for (const e of g.cfg.edges) {
        const bad = [e.src, e.dst].filter((id) => !ids.has(id));
        if (bad.length === 0) continue;
        const which = bad.map((id) => `#${id}`).join(' and ');
        yield interstateIssue(g, e, 'interstate-edge-endpoint',
          `interstate edge ${describeInterstateEdge(g.cfg, e)} in ${describeGraph(g)} refers to block ${which}, which is not in that graph`,
          'connect interstate edges only between blocks of the same control-flow graph; remove the edge when its block was removed');
      }
    }
  },
};

export const unreachableBlock: ValidationRule = {
  name: 'unreachable-block',
  summary: 'every block is reachable from the start block through interstate edges',
  *check(ctx) {
    for (const g of ctx.graphs) {
      const { blocks, startBlock, edges } = g.cfg;
      const ids = blockIds(g);
      // Without a valid start, missing-start has already said what is wrong.
      if (startBlock === null || !ids.has(startBlock)) continue;
      const next = new Map<number, number[]>();
      for (const e of edges) if (ids.has(e.src) && ids.has(e.dst)) pushTo(next, e.src, e.dst);
      const seen = new Set([startBlock]);
      const todo = [startBlock];
      while (todo.length) for (const d of next.get(todo.pop()!) ?? []) if (!seen.has(d)) { seen.add(d); todo.push(d); }
      const start = blocks.find((b) => b.id === startBlock)!;
      for (const b of blocks) {
        if (seen.has(b.id)) continue;
        seen.add(b.id); // a repeated id is reported once, by duplicate-name
        yield blockIssue(g, b, 'unreachable-block',
          `${describeBlock(b)} in ${describeGraph(g)} is not reachable from the start block '${start.label}'`,
          `add an interstate edge that leads to '${b.label}', or remove the block`);
      }
    }
  },
};

/** Block ids must be unique within their control-flow graph (the 'duplicate-name' rule covers blocks and nodes). */
export function* duplicateBlockIds(ctx: ValidationContext): Generator<ValidationError> {
  for (const g of ctx.graphs) {
    const first = new Map<number, ControlFlowBlock>();
    for (const b of g.cfg.blocks) {
      const other = first.get(b.id);
      if (!other) { first.set(b.id, b); continue; }
      yield blockIssue(g, b, 'duplicate-name',
        `block id ${b.id} is used by both ${describeBlock(other)} and ${describeBlock(b)} in ${describeGraph(g)}`,
        'give every block of a control-flow graph its own id (blocks made with addState/addLoopRegion/addRegion get one)');
    }
  }
}
