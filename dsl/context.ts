// The state of one program being built: its SDFG, where the next block goes, and name bookkeeping.
import { BuilderError } from '../graph/errors.js';
import type { ControlFlowBlock, ControlFlowGraph, SDFG, State } from '../graph/sdfg.js';
import { addInterstateEdge, addState, createSDFG } from '../graph/construct.js';
import { propagateMemletsInState } from '../graph/propagate.js';
import type { SourceLocation } from '../graph/source-location.js';
import type { TExpr } from '../graph/tasklet-ast.js';
import { ScopeFrame } from './scope.js';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const reserved = new Set(['if', 'else', 'for', 'in', 'let', 'true', 'false', 'while', 'return', 'int', 'float', 'double', 'auto', 'const']);

export class ProgramContext {
  readonly sdfg: SDFG;
  /** Where the next block is appended, and the block it follows. */
  cursor: { cfg: ControlFlowGraph; last: ControlFlowBlock | null };
  /** Loop variables of the loops being built, outermost first. */
  readonly loopVariables: string[] = [];
  /** Symbol assignments to put on the next interstate edge. */
  pendingAssignments: Record<string, TExpr> = {};
  private readonly counters = new Map<string, number>();
  private readonly usedNames = new Set<string>();

  constructor(name: string, loc?: SourceLocation) {
    if (!identifier.test(name)) {
      throw new BuilderError({ code: 'bad-name', loc, message: `program name ${JSON.stringify(name)} is not an identifier`, hint: 'use letters, digits and underscores, starting with a letter' });
    }
    this.sdfg = createSDFG(name, loc);
    this.cursor = { cfg: this.sdfg, last: null };
  }

  /** A fresh label such as `map_2`, unique within the program. */
  freshName(prefix: string): string {
    const n = this.counters.get(prefix) ?? 0;
    this.counters.set(prefix, n + 1);
    return `${prefix}_${n}`;
  }

  /** Reserve a container or symbol name, rejecting bad and duplicate names at the user's call. */
  claimName(name: string, loc?: SourceLocation): void {
    if (typeof name !== 'string' || !identifier.test(name) || reserved.has(name)) {
      throw new BuilderError({ code: 'bad-name', loc, message: `${JSON.stringify(name)} is not a valid name for data or a symbol`, hint: 'use an identifier (letters, digits, underscores) that is not a keyword' });
    }
    if (this.usedNames.has(name)) {
      throw new BuilderError({ code: 'duplicate-name', loc, message: `${name} is already declared in program ${this.sdfg.name}`, hint: 'every container and symbol needs its own name' });
    }
    this.usedNames.add(name);
  }

  /** Append a block after the current one (with any pending symbol assignments on the edge between). */
  appendBlock<B extends ControlFlowBlock>(make: (cfg: ControlFlowGraph) => B, loc?: SourceLocation): B {
    const { cfg, last } = this.cursor;
    const block = make(cfg);
    if (last) addInterstateEdge(cfg, last, block, { assignments: this.pendingAssignments, ...(loc ? { loc } : {}) });
    else if (Object.keys(this.pendingAssignments).length > 0) {
      // assignments before the first block of a region need an empty block to hang from
      throw new BuilderError({ code: 'misplaced-assign', loc, message: 'a symbol assignment must follow some other operation in the same region', hint: 'assign after an operation, or compute the value where it is used' });
    }
    this.pendingAssignments = {};
    this.cursor.last = block;
    return block;
  }

  /** Build into a fresh state; memlets on scope boundaries are propagated when it is done. */
  inNewState<T>(label: string, loc: SourceLocation | undefined, body: (frame: ScopeFrame) => T): T {
    const state: State = this.appendBlock((cfg) => addState(cfg, label, loc), loc);
    const frame = new ScopeFrame(this.sdfg, state, null, null, null, [], [], [...this.loopVariables]);
    const result = body(frame);
    propagateMemletsInState(this.sdfg, state);
    return result;
  }

  /** Build into another control-flow graph (a loop body or a branch), then come back. */
  inRegion(cfg: ControlFlowGraph, body: () => void): void {
    const saved = this.cursor;
    const savedAssignments = this.pendingAssignments;
    this.cursor = { cfg, last: null };
    this.pendingAssignments = {};
    try {
      body();
      if (Object.keys(this.pendingAssignments).length > 0) this.appendBlock((c) => addState(c, this.freshName('assign')));
      if (cfg.blocks.length === 0) addState(cfg, this.freshName('empty'));
    } finally {
      this.cursor = saved;
      this.pendingAssignments = savedAssignments;
    }
  }
}
