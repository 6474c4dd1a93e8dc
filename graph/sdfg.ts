// States, control flow (interstate edges, loop and conditional regions) and the SDFG itself.
import type { DType } from './dtypes.js';
import type { DataDesc } from './data.js';
import type { Memlet } from './memlet.js';
import type { Node } from './nodes.js';
import type { SourceLocation } from './source-location.js';
import type { TExpr } from './tasklet-ast.js';

export interface Edge {
  /** Unique within its state. */
  readonly id: number;
  src: number;
  srcConn: string | null;
  dst: number;
  dstConn: string | null;
  memlet: Memlet;
  loc?: SourceLocation;
}

/** A dataflow multigraph: nodes and connector-labelled edges. */
export interface State {
  readonly kind: 'State';
  readonly id: number;
  label: string;
  nodes: Node[];
  edges: Edge[];
  nextNodeId: number;
  nextEdgeId: number;
  loc?: SourceLocation;
}

/** A transition between blocks: taken when `condition` holds, then `assignments` set symbols. */
export interface InterstateEdge {
  readonly id: number;
  src: number;
  dst: number;
  condition: TExpr;
  assignments: Record<string, TExpr>;
  loc?: SourceLocation;
}

/** Blocks connected by interstate edges, entered at `startBlock`. */
export interface ControlFlowGraph {
  blocks: ControlFlowBlock[];
  edges: InterstateEdge[];
  startBlock: number | null;
  nextBlockId: number;
  nextEdgeId: number;
}

/** A structured region: the body of a loop or a branch. */
export interface ControlFlowRegion extends ControlFlowGraph {
  readonly kind: 'ControlFlowRegion';
  readonly id: number;
  label: string;
  loc?: SourceLocation;
}

/** `for (var = init; condition; var = update) body` — or a while loop when there is no variable. */
export interface LoopRegion extends ControlFlowGraph {
  readonly kind: 'LoopRegion';
  readonly id: number;
  label: string;
  loopVariable: string | null;
  init: TExpr | null;
  condition: TExpr;
  update: TExpr | null;
  /** Test the condition after the body (do-while). */
  inverted: boolean;
  loc?: SourceLocation;
}

/** if / else-if / else: the first branch whose condition holds (null: else) runs. */
export interface ConditionalBlock {
  readonly kind: 'ConditionalBlock';
  readonly id: number;
  label: string;
  branches: { condition: TExpr | null; body: ControlFlowRegion }[];
  loc?: SourceLocation;
}

export type ControlFlowBlock = State | LoopRegion | ConditionalBlock | ControlFlowRegion;

export interface SDFG extends ControlFlowGraph {
  readonly kind: 'SDFG';
  name: string;
  /** Data containers by name. */
  arrays: Record<string, DataDesc>;
  /** Free integer symbols and their types. */
  symbols: Record<string, DType>;
  /** Compile-time constants. */
  constants: Record<string, { dtype: DType; value: number }>;
  /** Order of the non-transient data and symbols in the generated entry point. */
  argNames: string[];
  loc?: SourceLocation;
}

/** Anything holding an SDFG: a program built with the builder, or the graph itself. */
export type ProgramLike = SDFG | { readonly sdfg: SDFG };

/** The graph of a program (or the graph itself). */
export function sdfgOf(program: ProgramLike): SDFG {
  return 'kind' in program && program.kind === 'SDFG' ? program : (program as { sdfg: SDFG }).sdfg;
}
