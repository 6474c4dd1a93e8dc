// The interpreter's containers: strided, bounds-checked views over typed arrays, and FIFO streams.
import type { AnyTypedArray, DType } from '../../graph/dtypes.js';
import type { DataDesc } from '../../graph/data.js';
import { type GraphPath, TargetError } from '../../graph/errors.js';
import { castValue } from '../../graph/tasklet-ops.js';

/**
 * A window on a typed array: element `idx` lives at `offset + Σ idx[d] * strides[d]`. Scalars are
 * one-element arrays of shape [1], so that a nested SDFG's scalar can be a window on an outer element.
 */
export interface ArrayRef {
  readonly kind: 'array';
  /** How messages name it: the container, or the container and the subset this view shows ("A[1, 0:4]"). */
  readonly name: string;
  readonly dtype: DType;
  readonly buffer: AnyTypedArray;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  /**
   * Set on a nested SDFG's window whose outer memlet has a wcr: writes through it combine with what is there
   * (unless the writing memlet has a wcr of its own).
   */
  readonly wcr?: (current: number, incoming: number) => number;
}

/** Streams (one or an array of them, `shape`), each a FIFO queue of numbers. */
export interface StreamRef {
  readonly kind: 'stream';
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly queues: number[][];
}

export type Container = ArrayRef | StreamRef;

/** One dimension of an evaluated subset: `size` elements from `begin`, `step` apart. */
export interface Span {
  readonly begin: number;
  readonly size: number;
  readonly step: number;
}

export function volumeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function rowMajor(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = acc;
    acc *= shape[d]!;
  }
  return strides;
}

export function outOfBounds(message: string, path: GraphPath | undefined): TargetError {
  return new TargetError({
    code: 'out-of-bounds', message, ...(path ? { path } : {}),
    hint: 'check the memlet subsets and the indices the tasklet computes against the container shapes',
  });
}

const formatIndex = (idx: readonly number[]): string => `[${idx.join(', ')}]`;

/** The buffer position of an element, or an 'out-of-bounds' error naming the data and the index. */
export function elementOffset(ref: ArrayRef, idx: readonly number[], path: GraphPath | undefined): number {
  let at = ref.offset;
  for (let d = 0; d < ref.shape.length; d++) {
    const i = idx[d]!;
    if (!Number.isInteger(i) || i < 0 || i >= ref.shape[d]!) {
      throw outOfBounds(`index ${formatIndex(idx)} is out of bounds for ${ref.name} (shape ${formatIndex(ref.shape)})`, path);
    }
    at += i * ref.strides[d]!;
  }
  if (at < 0 || at >= ref.buffer.length) {
    throw outOfBounds(`index ${formatIndex(idx)} of ${ref.name} falls outside its buffer of ${ref.buffer.length} elements`, path);
  }
  return at;
}

/** A stored element as a JS number (bools 0|1, 64-bit integers rounded to the nearest double). */
export function loadAt(ref: ArrayRef, at: number): number {
  return Number(ref.buffer[at]!);
}

/** Store a number converted to the element type as C would (`castValue`); 64-bit arrays take BigInts. */
export function storeAt(ref: ArrayRef, at: number, value: number): void {
  const v = castValue(value, ref.dtype);
  if (ref.buffer instanceof BigInt64Array) ref.buffer[at] = BigInt.asIntN(64, BigInt(v));
  else if (ref.buffer instanceof BigUint64Array) ref.buffer[at] = BigInt.asUintN(64, BigInt(v));
  else ref.buffer[at] = v;
}

export function load(ref: ArrayRef, idx: readonly number[], path: GraphPath | undefined): number {
  return loadAt(ref, elementOffset(ref, idx, path));
}

export function store(ref: ArrayRef, idx: readonly number[], value: number, path: GraphPath | undefined): void {
  storeAt(ref, elementOffset(ref, idx, path), value);
}

/** Every index of a shape in row-major order. */
export function* indices(shape: readonly number[]): Generator<number[]> {
  if (shape.some((s) => s <= 0)) return;
  const idx = shape.map(() => 0);
  for (;;) {
    yield [...idx];
    let d = shape.length - 1;
    while (d >= 0 && ++idx[d]! === shape[d]!) idx[d--] = 0;
    if (d < 0) return;
  }
}

/** Buffer positions of every element of a view, row-major. */
export function* positions(ref: ArrayRef): Generator<number> {
  for (const idx of indices(ref.shape)) {
    let at = ref.offset;
    idx.forEach((i, d) => { at += i * ref.strides[d]!; });
    yield at;
  }
}

export function spansText(name: string, spans: readonly Span[]): string {
  return `${name}[${spans.map((s) => (s.size === 1 && s.step === 1 ? `${s.begin}` : `${s.begin}:${s.begin + s.size * s.step}${s.step === 1 ? '' : `:${s.step}`}`)).join(', ')}]`;
}

/** Check that every element a subset touches lies inside the view. */
export function checkSpans(ref: ArrayRef, spans: readonly Span[], path: GraphPath | undefined): void {
  if (spans.length !== ref.shape.length) {
    throw new TargetError({
      code: 'rank-mismatch', ...(path ? { path } : {}),
      message: `subset ${spansText(ref.name, spans)} has ${spans.length} dimensions, but ${ref.name} has ${ref.shape.length}`,
    });
  }
  if (spans.some((s) => s.size <= 0)) return;
  spans.forEach((s, d) => {
    const last = s.begin + (s.size - 1) * s.step;
    if (Math.min(s.begin, last) < 0 || Math.max(s.begin, last) >= ref.shape[d]!) {
      throw outOfBounds(`subset ${spansText(ref.name, spans)} is out of bounds for ${ref.name} (shape ${formatIndex(ref.shape)})`, path);
    }
  });
}

/**
 * The elements of a subset as a view indexed from 0; with `squeeze`, single-index dimensions are dropped
 * (how a tasklet sees `A[i, 0:M]`: one dimension).
 */
export function subView(ref: ArrayRef, spans: readonly Span[], squeeze: readonly boolean[] | null, path: GraphPath | undefined): ArrayRef {
  checkSpans(ref, spans, path);
  let offset = ref.offset;
  const shape: number[] = [], strides: number[] = [];
  spans.forEach((s, d) => {
    if (s.size > 0) offset += s.begin * ref.strides[d]!;
    if (squeeze?.[d]) return;
    shape.push(s.size);
    strides.push(s.step * ref.strides[d]!);
  });
  return { kind: 'array', name: spansText(ref.name, spans), dtype: ref.dtype, buffer: ref.buffer, offset, shape, strides, ...(ref.wcr ? { wcr: ref.wcr } : {}) };
}

/**
 * The elements of a subset seen with another shape (a nested SDFG's array, a View): dimensions match
 * one to one when the shapes agree (strided windows), otherwise the subset must be contiguous in memory.
 */
export function reshapedView(
  ref: ArrayRef, spans: readonly Span[], shape: readonly number[], name: string, path: GraphPath | undefined,
): ArrayRef {
  const window = subView(ref, spans, null, path);
  const sizes = spans.map((s) => s.size);
  if (volumeOf(sizes) !== volumeOf(shape)) {
    throw new TargetError({
      code: 'view-shape-mismatch', ...(path ? { path } : {}),
      message: `${name} (shape ${formatIndex(shape)}) cannot view ${window.name}: ${volumeOf(sizes)} elements against ${volumeOf(shape)}`,
    });
  }
  const kept = window.shape.map((s, d) => [s, window.strides[d]!] as const).filter(([s]) => s !== 1);
  const wanted = shape.filter((s) => s !== 1);
  // Same extents once unit dimensions are dropped: keep the window's strides (it may be strided).
  if (kept.length === wanted.length && kept.every(([s], d) => s === wanted[d])) {
    let k = 0;
    const strides = shape.map((s) => (s === 1 ? 0 : kept[k++]![1]));
    return { kind: 'array', name, dtype: ref.dtype, buffer: ref.buffer, offset: window.offset, shape: [...shape], strides, ...(ref.wcr ? { wcr: ref.wcr } : {}) };
  }
  const contiguous = rowMajor(window.shape).every((st, d) => window.shape[d] === 1 || st === window.strides[d]);
  if (!contiguous) {
    throw new TargetError({
      code: 'view-shape-mismatch', ...(path ? { path } : {}),
      message: `${name} (shape ${formatIndex(shape)}) cannot view ${window.name}: the subset is not contiguous and the shapes differ`,
    });
  }
  return { kind: 'array', name, dtype: ref.dtype, buffer: ref.buffer, offset: window.offset, shape: [...shape], strides: rowMajor(shape), ...(ref.wcr ? { wcr: ref.wcr } : {}) };
}

/** A zeroed container of a descriptor with evaluated shape. */
export function allocate(name: string, desc: DataDesc, shape: readonly number[], layout?: { strides: number[]; total: number; startOffset: number }): Container {
  if (desc.kind === 'Stream') {
    return { kind: 'stream', name, dtype: desc.dtype, shape: [...shape], queues: Array.from({ length: volumeOf(shape) }, () => []) };
  }
  const total = layout?.total ?? volumeOf(shape);
  const buffer = new desc.dtype.array(Math.max(total + (layout?.startOffset ?? 0), 0)) as AnyTypedArray;
  return wrap(name, desc.dtype, buffer, shape, layout?.strides ?? rowMajor(shape), layout?.startOffset ?? 0);
}

export function wrap(name: string, dtype: DType, buffer: AnyTypedArray, shape: readonly number[], strides: readonly number[], offset = 0): ArrayRef {
  return { kind: 'array', name, dtype, buffer, offset, shape: [...shape], strides: [...strides] };
}

export function zero(ref: ArrayRef): void {
  for (const at of positions(ref)) storeAt(ref, at, 0);
}

export function streamEmpty(name: string, path: GraphPath | undefined): TargetError {
  return new TargetError({
    code: 'stream-empty', ...(path ? { path } : {}), message: `read from empty stream ${name}`,
    hint: 'pop streams inside a consume scope, or push before reading',
  });
}

export function queueOf(stream: StreamRef, idx: readonly number[], path: GraphPath | undefined): number[] {
  let at = 0;
  const strides = rowMajor(stream.shape);
  for (let d = 0; d < stream.shape.length; d++) {
    const i = idx[d] ?? 0;
    if (i < 0 || i >= stream.shape[d]!) throw outOfBounds(`stream index ${formatIndex(idx)} is out of bounds for ${stream.name} (shape ${formatIndex(stream.shape)})`, path);
    at += i * strides[d]!;
  }
  return stream.queues[at]!;
}

export function pop(stream: StreamRef, idx: readonly number[], path: GraphPath | undefined): number {
  const queue = queueOf(stream, idx, path);
  if (queue.length === 0) throw streamEmpty(stream.name, path);
  return queue.shift()!;
}

export function push(stream: StreamRef, idx: readonly number[], value: number, path: GraphPath | undefined): void {
  queueOf(stream, idx, path).push(castValue(value, stream.dtype));
}
