// Running a builder function to completion: the finished, validated SDFG.
import { addState } from '../graph/construct.js';
import type { SDFG } from '../graph/sdfg.js';
import type { SourceLocation } from '../graph/source-location.js';
import { validate } from '../graph/validate.js';
import { ProgramBuilder } from './builder.js';
import { ProgramContext } from './context.js';

/** Build the SDFG of `program(name, body)`: run the body, close the control flow, order the arguments, validate. */
export function buildProgramSDFG(name: string, body: (p: ProgramBuilder) => void, loc?: SourceLocation): SDFG {
  const ctx = new ProgramContext(name, loc);
  body(new ProgramBuilder(ctx));
  if (Object.keys(ctx.pendingAssignments).length > 0 || ctx.sdfg.blocks.length === 0) {
    ctx.appendBlock((cfg) => addState(cfg, ctx.freshName('end'), loc), loc);
  }
  const sdfg = ctx.sdfg;
  const data = Object.entries(sdfg.arrays).filter(([, d]) => !d.transient).map(([n]) => n);
  sdfg.argNames = [...data, ...Object.keys(sdfg.symbols).filter((s) => !isAssignedOrLoopVariable(sdfg, s))];
  validate(sdfg);
  return sdfg;
}

/** Symbols set inside the program (loop variables, interstate assignments) are not arguments. */
export function isAssignedOrLoopVariable(sdfg: SDFG, symbol: string): boolean {
  const visit = (cfg: import('../graph/sdfg.js').ControlFlowGraph): boolean =>
    cfg.edges.some((e) => symbol in e.assignments) ||
    cfg.blocks.some((b) => {
      switch (b.kind) {
        case 'State': return false;
        case 'LoopRegion': return b.loopVariable === symbol || visit(b);
        case 'ControlFlowRegion': return visit(b);
        case 'ConditionalBlock': return b.branches.some((br) => visit(br.body));
      }
    });
  return visit(sdfg);
}
