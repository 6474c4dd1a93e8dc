// Nodes of a dataflow state: access nodes, tasklets, map and consume scopes, nested SDFGs, library nodes.
import type { DType } from './dtypes.js';
import type { Expr } from './symbolic.js';
import type { Range } from './subsets.js';
import type { SourceLocation } from './source-location.js';
import type { TaskletCode, TExpr } from './tasklet-ast.js';
import type { Wcr } from './memlet.js';
import type { SDFG } from './sdfg.js';

export type ScheduleType =
  | 'Default' | 'Sequential' | 'CPU_Multicore' | 'CPU_Persistent' | 'Unrolled'
  | 'GPU_Device' | 'GPU_ThreadBlock' | 'GPU_Persistent'
  | 'FPGA_Device' | 'MPI';
export const scheduleTypes: readonly ScheduleType[] = [
  'Default', 'Sequential', 'CPU_Multicore', 'CPU_Persistent', 'Unrolled',
  'GPU_Device', 'GPU_ThreadBlock', 'GPU_Persistent', 'FPGA_Device', 'MPI',
];

/** Connector name → dtype (null: taken from the memlet's data). */
export type Connectors = Record<string, DType | null>;

interface NodeCommon {
  /** Unique within its state. */
  readonly id: number;
  label: string;
  inConnectors: Connectors;
  outConnectors: Connectors;
  /** The builder call that made this node. */
  loc?: SourceLocation;
}

export interface AccessNode extends NodeCommon {
  readonly kind: 'AccessNode';
  data: string;
  /** Zero the container before the first write in this state. */
  setzero: boolean;
}

export interface Tasklet extends NodeCommon {
  readonly kind: 'Tasklet';
  code: TaskletCode;
  /** Code emitted once, outside any scope (raw targets only). */
  codeGlobal?: string;
}

/** A parametric parallel scope, shared by its MapEntry and MapExit. */
export interface MapScope {
  label: string;
  params: string[];
  ranges: Range[];
  schedule: ScheduleType;
  unroll: boolean;
  /** OpenMP `collapse` depth (1: none). */
  collapse: number;
  /** Threads per block on GPUs, workgroup size on WebGPU. */
  gpuBlockSize?: number[];
  /** SIMD width the innermost dimension is written for (set by Vectorization; targets emit SIMD loops). */
  vectorWidth?: number;
}

export interface MapEntry extends NodeCommon { readonly kind: 'MapEntry'; map: MapScope }
export interface MapExit extends NodeCommon { readonly kind: 'MapExit'; map: MapScope }

/** A scope that pops elements of a stream until it is empty (or `condition` holds). */
export interface ConsumeScope {
  label: string;
  /** Index of the processing element, as a symbol inside the scope. */
  peIndex: string;
  numPes: Expr;
  condition: TExpr | null;
  schedule: ScheduleType;
  chunksize: number;
}

export interface ConsumeEntry extends NodeCommon { readonly kind: 'ConsumeEntry'; consume: ConsumeScope }
export interface ConsumeExit extends NodeCommon { readonly kind: 'ConsumeExit'; consume: ConsumeScope }

export interface NestedSDFG extends NodeCommon {
  readonly kind: 'NestedSDFG';
  sdfg: SDFG;
  /** Inner symbol → expression over the outer symbols. */
  symbolMapping: Record<string, Expr>;
}

export type LibraryOp =
  /** Reduce `axes` (all when null) of the input with `wcr`, starting from `identity` (or the first element). */
  | { readonly name: 'Reduce'; axes: number[] | null; wcr: Wcr; identity: number | null }
  /** C = A @ B for 2-D operands (vector cases by shape), connectors `_a`, `_b` → `_c`. */
  | { readonly name: 'MatMul'; alpha: number; beta: number }
  /** A library node this project does not know: kept, reported, not runnable. */
  | { readonly name: 'Unknown'; classpath: string; attributes: Record<string, unknown> };

export interface LibraryNode extends NodeCommon {
  readonly kind: 'LibraryNode';
  op: LibraryOp;
  /** The chosen expansion (null: the target's default). */
  implementation: string | null;
  schedule: ScheduleType;
}

export type Node = AccessNode | Tasklet | MapEntry | MapExit | ConsumeEntry | ConsumeExit | NestedSDFG | LibraryNode;
export type NodeKind = Node['kind'];
export type ScopeEntry = MapEntry | ConsumeEntry;
export type ScopeExit = MapExit | ConsumeExit;

export const isScopeEntry = (n: Node): n is ScopeEntry => n.kind === 'MapEntry' || n.kind === 'ConsumeEntry';
export const isScopeExit = (n: Node): n is ScopeExit => n.kind === 'MapExit' || n.kind === 'ConsumeExit';

/** The Map or Consume object a scope node belongs to (entry and exit share it). */
export function scopeObject(n: ScopeEntry | ScopeExit): MapScope | ConsumeScope {
  return n.kind === 'MapEntry' || n.kind === 'MapExit' ? n.map : n.consume;
}
