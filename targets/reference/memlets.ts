// Memlets at run time: the elements they name, writes that combine with write-conflict resolution, and copies
// between containers (access node to access node, into and out of scopes).
import { dataShape } from '../../graph/data.js';
import type { DType } from '../../graph/dtypes.js';
import { type GraphPath, TargetError } from '../../graph/errors.js';
import type { Memlet, Wcr } from '../../graph/memlet.js';
import { type Subset, fullSubset, isIndex } from '../../graph/subsets.js';
import { evalWcrOp } from '../../graph/tasklet-ops.js';
import {
  type ArrayRef, type Container, type Span, elementOffset, loadAt, positions, push, queueOf, spansText, storeAt, streamEmpty, subView,
  volumeOf,
} from './buffers.js';
import { evalCustomWcr } from './data-expressions.js';
import { type Frame, containerOf, descOf, evalSubset } from './frame.js';

/** The subset a memlet names on its own data, the full container when it names none. */
export function memletSubset(frame: Frame, memlet: Memlet, path?: GraphPath): Subset {
  return memlet.subset ?? fullSubset(dataShape(descOf(frame, memlet.data!, path)));
}

/** Combine the value in memory with an incoming one under a wcr (none: the incoming value wins). */
export function combine(frame: Frame, wcr: Wcr | null, dtype: DType, current: number, incoming: number, path: GraphPath | undefined): number {
  if (wcr === null) return incoming;
  if (wcr.op === 'custom') return evalCustomWcr(frame, wcr.params, wcr.body, dtype, current, incoming, path);
  return evalWcrOp(wcr.op, current, incoming, dtype);
}

/** Store at a buffer position, combining under the writing memlet's wcr, else the view's own (nested SDFG outputs). */
export function storeCombined(frame: Frame, ref: ArrayRef, at: number, value: number, wcr: Wcr | null, path: GraphPath | undefined): void {
  if (wcr) storeAt(ref, at, combine(frame, wcr, ref.dtype, loadAt(ref, at), value, path));
  else if (ref.wcr) storeAt(ref, at, ref.wcr(loadAt(ref, at), value));
  else storeAt(ref, at, value);
}

/** Write one element through a view, combining with what is there under `wcr`. */
export function writeElement(
  frame: Frame, ref: ArrayRef, idx: readonly number[], value: number, wcr: Wcr | null, path: GraphPath | undefined,
): void {
  storeCombined(frame, ref, elementOffset(ref, idx, path), value, wcr, path);
}

/** The elements a memlet names: the container and the evaluated spans of the subset on it. */
export function resolveMemlet(
  frame: Frame, memlet: Memlet, symbols: ReadonlyMap<string, number>, path: GraphPath | undefined,
): { container: Container; spans: Span[]; subset: Subset } {
  const subset = memletSubset(frame, memlet, path);
  const container = containerOf(frame, memlet.data!, symbols, path);
  return { container, spans: evalSubset(subset, symbols, path, `the memlet on ${memlet.data}`), subset };
}

/** The view a connector sees: single-index dimensions dropped, indexed from the subset's begin. */
export function connectorView(ref: ArrayRef, spans: readonly Span[], subset: Subset, path: GraphPath | undefined): ArrayRef {
  return subView(ref, spans, subset.ranges.map(isIndex), path);
}

export function streamIndex(spans: readonly Span[]): number[] {
  return spans.map((s) => s.begin);
}

interface Side {
  readonly data: string;
  readonly spans: Span[];
}

function sameShape(frame: Frame, a: string, b: string): boolean {
  const sa = dataShape(frame.sdfg.arrays[a]!), sb = dataShape(frame.sdfg.arrays[b]!);
  return sa.length === sb.length && sa.every((d, k) => d.equals(sb[k]!));
}

/**
 * Both sides of a copy from `src` to `dst`: `subset` applies to the memlet's data, `otherSubset` to the other one,
 * which otherwise takes the same subset when the two shapes match, else its whole extent.
 */
function copySides(
  frame: Frame, memlet: Memlet, src: string, dst: string, symbols: ReadonlyMap<string, number>, path: GraphPath | undefined,
): [Side, Side] {
  if (memlet.data !== src && memlet.data !== dst) {
    throw new TargetError({
      code: 'memlet-data-mismatch', ...(path ? { path } : {}),
      message: `the memlet of a copy from ${src} to ${dst} names ${memlet.data}`,
      hint: 'a copy memlet names one of the two containers it connects (its subset), the other one takes otherSubset',
    });
  }
  const own = memletSubset(frame, memlet);
  const ownData = memlet.data === dst && memlet.data !== src ? dst : src;
  const otherData = ownData === src ? dst : src;
  const other = memlet.otherSubset ?? (sameShape(frame, ownData, otherData) ? own : fullSubset(dataShape(frame.sdfg.arrays[otherData]!)));
  const ownSide = { data: ownData, spans: evalSubset(own, symbols, path, `the memlet on ${ownData}`) };
  const otherSide = { data: otherData, spans: evalSubset(other, symbols, path, `the other subset (on ${otherData})`) };
  return ownData === src ? [ownSide, otherSide] : [otherSide, ownSide];
}

/** Copy the elements of one subset into another, row-major on both sides (streams push and pop). */
export function copy(
  frame: Frame, memlet: Memlet, src: string, dst: string, symbols: ReadonlyMap<string, number>, path: GraphPath | undefined,
): void {
  const [from, to] = copySides(frame, memlet, src, dst, symbols, path);
  const source = containerOf(frame, from.data, symbols, path);
  const target = containerOf(frame, to.data, symbols, path);
  let values: number[];
  if (source.kind === 'stream') {
    const queue = queueOf(source, streamIndex(from.spans), path);
    const wanted = target.kind === 'stream' ? queue.length : volumeOf(to.spans.map((s) => s.size));
    if (queue.length < wanted) throw streamEmpty(source.name, path);
    values = queue.splice(0, wanted);
  } else {
    const view = subView(source, from.spans, null, path);
    values = [...positions(view)].map((at) => loadAt(view, at));
  }
  if (target.kind === 'stream') {
    for (const v of values) push(target, streamIndex(to.spans), v, path);
    return;
  }
  const view = subView(target, to.spans, null, path);
  const places = [...positions(view)];
  if (places.length !== values.length) {
    throw new TargetError({
      code: 'copy-shape-mismatch', ...(path ? { path } : {}),
      message: `cannot copy ${spansText(from.data, from.spans)} (${values.length} elements) to ${spansText(to.data, to.spans)} (${places.length} elements)`,
    });
  }
  places.forEach((at, k) => storeCombined(frame, view, at, values[k]!, memlet.wcr, path));
}
