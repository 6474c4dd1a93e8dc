// Data descriptors: the containers an SDFG reads and writes (arrays, scalars, streams, views).
import type { DType } from './dtypes.js';
import { type Expr, type ExprLike, toExpr, ONE, ZERO, mul } from './symbolic.js';

export type StorageType =
  | 'Default' | 'Register' | 'CPU_Heap' | 'CPU_ThreadLocal' | 'CPU_Pinned'
  | 'GPU_Global' | 'GPU_Shared' | 'FPGA_Global' | 'FPGA_Local' | 'FPGA_Registers' | 'FPGA_ShiftRegister';
export const storageTypes: readonly StorageType[] = [
  'Default', 'Register', 'CPU_Heap', 'CPU_ThreadLocal', 'CPU_Pinned',
  'GPU_Global', 'GPU_Shared', 'FPGA_Global', 'FPGA_Local', 'FPGA_Registers', 'FPGA_ShiftRegister',
];

export type Lifetime = 'Scope' | 'State' | 'SDFG' | 'Global' | 'Persistent' | 'External';
export const lifetimes: readonly Lifetime[] = ['Scope', 'State', 'SDFG', 'Global', 'Persistent', 'External'];

interface DataCommon {
  readonly dtype: DType;
  transient: boolean;
  storage: StorageType;
  lifetime: Lifetime;
}

export interface ArrayDesc extends DataCommon {
  readonly kind: 'Array';
  shape: Expr[];
  /** Elements (not bytes) between neighbours along each dimension. */
  strides: Expr[];
  /** Index offset per dimension (DaCe's `offset`; usually zeros). */
  offset: Expr[];
  /** Elements allocated, at least the extent the strides reach. */
  totalSize: Expr;
  /** Byte alignment of the allocation (0: the default). */
  alignment: number;
  /** Elements skipped before the first one (DaCe's `start_offset`). */
  startOffset: number;
  mayAlias: boolean;
}

export interface ScalarDesc extends DataCommon {
  readonly kind: 'Scalar';
}

export interface StreamDesc extends DataCommon {
  readonly kind: 'Stream';
  /** An array of streams when non-empty ([1] is one stream). */
  shape: Expr[];
  bufferSize: Expr;
}

/** A reinterpretation of another container's memory, connected to it through an edge. */
export interface ViewDesc extends Omit<ArrayDesc, 'kind'> {
  readonly kind: 'View';
}

export type DataDesc = ArrayDesc | ScalarDesc | StreamDesc | ViewDesc;
export type DataKind = DataDesc['kind'];

/** Row-major (C order) strides for a shape. */
export function rowMajorStrides(shape: readonly Expr[]): Expr[] {
  const strides: Expr[] = new Array(shape.length);
  let acc: Expr = ONE;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = acc;
    acc = mul(acc, shape[d]!);
  }
  return strides;
}

export interface ArrayOptions {
  transient?: boolean;
  storage?: StorageType;
  lifetime?: Lifetime;
  strides?: readonly ExprLike[];
  offset?: readonly ExprLike[];
  totalSize?: ExprLike;
  alignment?: number;
}

export function makeArray(dtype: DType, shape: readonly ExprLike[], options: ArrayOptions = {}): ArrayDesc {
  const shapeExprs = shape.map(toExpr);
  const strides = options.strides ? options.strides.map(toExpr) : rowMajorStrides(shapeExprs);
  return {
    kind: 'Array',
    dtype,
    shape: shapeExprs,
    strides,
    offset: options.offset ? options.offset.map(toExpr) : shapeExprs.map(() => ZERO),
    totalSize: options.totalSize !== undefined ? toExpr(options.totalSize) : totalExtent(shapeExprs, strides),
    alignment: options.alignment ?? 0,
    startOffset: 0,
    mayAlias: false,
    transient: options.transient ?? false,
    storage: options.storage ?? 'Default',
    lifetime: options.lifetime ?? 'Scope',
  };
}

/** Elements reached by a strided layout: 1 + Σ (shape_d - 1) * stride_d. */
export function totalExtent(shape: readonly Expr[], strides: readonly Expr[]): Expr {
  if (shape.length === 0) return ONE;
  let acc: Expr = ONE;
  shape.forEach((s, d) => { acc = acc.add(s.sub(1).mul(strides[d]!)); });
  return acc;
}

export function makeScalar(dtype: DType, options: { transient?: boolean; storage?: StorageType; lifetime?: Lifetime } = {}): ScalarDesc {
  return { kind: 'Scalar', dtype, transient: options.transient ?? false, storage: options.storage ?? 'Default', lifetime: options.lifetime ?? 'Scope' };
}

export function makeStream(dtype: DType, bufferSize: ExprLike, options: { transient?: boolean; shape?: readonly ExprLike[]; storage?: StorageType; lifetime?: Lifetime } = {}): StreamDesc {
  return {
    kind: 'Stream', dtype, shape: (options.shape ?? [1]).map(toExpr), bufferSize: toExpr(bufferSize),
    transient: options.transient ?? true, storage: options.storage ?? 'Default', lifetime: options.lifetime ?? 'Scope',
  };
}

/** The shape a descriptor presents to memlets: scalars are one element. */
export function dataShape(desc: DataDesc): readonly Expr[] {
  switch (desc.kind) {
    case 'Array': case 'View': case 'Stream': return desc.shape;
    case 'Scalar': return [ONE];
  }
}
