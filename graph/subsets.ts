// Ranges and subsets of arrays: plain immutable data with EXCLUSIVE ends, and the functions over them.
//
// DaCe stores inclusive ends; `toInclusiveEnd` / `fromInclusive` convert at that boundary only.
import { SymbolicError } from './errors.js';
import { type Bindings, type Expr, type ExprLike, ONE, ZERO, floorDiv, max, min, mul, toExpr } from './symbolic.js';
import { type Assumptions, assumptionsKey, proveLess, proveLessEqual, remembered } from './symbolic-compare.js';
import { ExprParser, type TemplateSource, type Token, describeToken } from './symbolic-parse.js';

/** `begin:end:step`, end exclusive. */
export interface Range {
  readonly begin: Expr;
  readonly end: Expr;
  readonly step: Expr;
}
export interface Subset {
  readonly ranges: readonly Range[];
}

export function range(begin: ExprLike, end: ExprLike, step: ExprLike = 1): Range {
  const s = toExpr(step);
  if (s.isZero()) throw new SymbolicError({ code: 'zero-step', message: 'a range step cannot be 0' });
  return Object.freeze({ begin: toExpr(begin), end: toExpr(end), step: s });
}

/** The single element `i`, as `i:i+1`. */
export function index(i: ExprLike): Range {
  const at = toExpr(i);
  return range(at, at.add(1));
}

export function subset(...ranges: Range[]): Subset {
  return Object.freeze({ ranges: Object.freeze([...ranges]) });
}

/** Every element of an array of `shape`: `0:shape[d]` per dimension. */
export function fullSubset(shape: readonly ExprLike[]): Subset {
  return subset(...shape.map((extent) => range(0, extent)));
}

/** `end - begin == 1`, structurally. */
export function isIndex(r: Range): boolean {
  return r.end.sub(r.begin).equals(ONE);
}

/**
 * Whether the range begins at `c·param + rest`, c a nonzero constant and `rest` free of `others`: distinct values of
 * `param` (the rest fixed) then start it at distinct places. Conflict analyses ask this of write indices.
 */
export function beginsAffineIn(r: Range, param: string, others: ReadonlySet<string>): boolean {
  const coefficient = r.begin.linearCoefficient(param)?.constantValue();
  if (coefficient === undefined || coefficient === 0) return false;
  return [...r.begin.freeSymbols()].every((s) => s === param || !others.has(s));
}

const isUnitStep = (r: Range): boolean => r.step.equals(ONE);
const isNegativeStep = (r: Range): boolean => (r.step.constantValue() ?? 1) < 0;

/** The number of elements, ceil((end - begin) / step); a symbolic step is taken to be positive. */
export function rangeSize(r: Range): Expr {
  const extent = r.end.sub(r.begin);
  if (isUnitStep(r)) return extent;
  // ceil(x / s) = (x + s - 1) // s for s > 0, and (x + s + 1) // s for s < 0
  return floorDiv(extent.add(r.step).add(isNegativeStep(r) ? 1 : -1), r.step);
}

export function subsetShape(s: Subset): Expr[] {
  return s.ranges.map(rangeSize);
}

/** Sizes of the dimensions that are not single indices. */
export function subsetShapeSqueezed(s: Subset): Expr[] {
  return s.ranges.filter((r) => !isIndex(r)).map(rangeSize);
}

export function subsetVolume(s: Subset): Expr {
  return mul(...subsetShape(s));
}

/** The last element visited, `begin + (size - 1)*step` (`end - 1` for unit steps): what DaCe stores as the end. */
export function toInclusiveEnd(r: Range): Expr {
  if (isUnitStep(r)) return r.end.sub(1);
  return r.begin.add(rangeSize(r).sub(1).mul(r.step));
}

/** A range from DaCe's inclusive end. */
export function fromInclusive(begin: ExprLike, inclusiveEnd: ExprLike, step: ExprLike = 1): Range {
  const s = toExpr(step);
  const negative = (s.constantValue() ?? 1) < 0;
  return range(begin, toExpr(inclusiveEnd).add(negative ? -1 : 1), s);
}

/**
 * The elements a range visits as a unit-step range, from the lowest to one past the highest. The
 * exact form ends after the last element; the simple form ends at `end` (for positive steps).
 */
function span(r: Range, form: 'exact' | 'simple'): Range {
  if (isUnitStep(r)) return r;
  const last = toInclusiveEnd(r);
  if (isNegativeStep(r)) return range(last, r.begin.add(1));
  return range(r.begin, form === 'exact' ? last.add(1) : r.end);
}

function checkSameRank(a: number, b: number, what: string): void {
  if (a !== b) {
    throw new SymbolicError({ code: 'dimension-mismatch', message: `${what}: ${a} dimensions against ${b}` });
  }
}

/** Shifts every range by the offsets (or by the begins of `by`); subtracts with `negative`. */
export function offsetSubset(s: Subset, by: Subset | readonly ExprLike[], negative = false): Subset {
  const offsets = 'ranges' in by ? by.ranges.map((r) => r.begin) : by.map(toExpr);
  checkSameRank(s.ranges.length, offsets.length, 'offsetting a subset');
  return subset(
    ...s.ranges.map((r, d) => {
      const o = negative ? offsets[d]!.neg() : offsets[d]!;
      return range(r.begin.add(o), r.end.add(o), r.step);
    }),
  );
}

/** The smaller of two expressions when provable, else `Min(a, b)`. */
function lesser(a: Expr, b: Expr, assumptions: Assumptions): Expr {
  if (proveLessEqual(a, b, assumptions) === true) return a;
  if (proveLessEqual(b, a, assumptions) === true) return b;
  return min(a, b);
}

function greater(a: Expr, b: Expr, assumptions: Assumptions): Expr {
  if (proveLessEqual(a, b, assumptions) === true) return b;
  if (proveLessEqual(b, a, assumptions) === true) return a;
  return max(a, b);
}

/**
 * The common elements: null when provably disjoint (in some dimension), a subset when the ranges
 * provably overlap in every dimension (unit steps only), undefined when it cannot tell.
 */
export function intersectSubsets(a: Subset, b: Subset, assumptions: Assumptions = {}): Subset | null | undefined {
  checkSameRank(a.ranges.length, b.ranges.length, 'intersecting subsets');
  const pairs = a.ranges.map((ra, d) => [ra, b.ranges[d]!] as const);
  const apart = pairs.some(([ra, rb]) =>
    (['exact', 'simple'] as const).some((form) => {
      const [sa, sb] = [span(ra, form), span(rb, form)];
      return proveLessEqual(sa.end, sb.begin, assumptions) === true || proveLessEqual(sb.end, sa.begin, assumptions) === true;
    }),
  );
  if (apart) return null;
  const ranges: Range[] = [];
  for (const [ra, rb] of pairs) {
    if (!isUnitStep(ra) || !isUnitStep(rb)) return undefined;
    const overlap = proveLess(rb.begin, ra.end, assumptions) === true && proveLess(ra.begin, rb.end, assumptions) === true;
    if (!overlap) return undefined;
    ranges.push(range(greater(ra.begin, rb.begin, assumptions), lesser(ra.end, rb.end, assumptions)));
  }
  return subset(...ranges);
}

/** Per dimension, `Min(begins):Max(ends)` with unit step. */
export function boundingUnion(a: Subset, b: Subset): Subset {
  checkSameRank(a.ranges.length, b.ranges.length, 'uniting subsets');
  return subset(
    ...a.ranges.map((ra, d) => {
      const [sa, sb] = [span(ra, 'simple'), span(b.ranges[d]!, 'simple')];
      return range(min(sa.begin, sb.begin), max(sa.end, sb.end));
    }),
  );
}

export function subsSubset(s: Subset, bindings: Bindings): Subset {
  return subset(...s.ranges.map((r) => range(r.begin.subs(bindings), r.end.subs(bindings), r.step.subs(bindings))));
}

export function subsetFreeSymbols(s: Subset): Set<string> {
  const names = new Set<string>();
  for (const r of s.ranges) for (const e of [r.begin, r.end, r.step]) for (const n of e.freeSymbols()) names.add(n);
  return names;
}

export function subsetsEqual(a: Subset, b: Subset): boolean {
  return (
    a.ranges.length === b.ranges.length &&
    a.ranges.every((ra, d) => {
      const rb = b.ranges[d]!;
      return ra.begin.equals(rb.begin) && ra.end.equals(rb.end) && ra.step.equals(rb.step);
    })
  );
}

/** "i" for a unit-step index, else "begin:end" or "begin:end:step" (exclusive end, the syntax parseSubset reads). */
export function formatRange(r: Range): string {
  if (isIndex(r) && isUnitStep(r)) return r.begin.toString();
  const bounds = `${r.begin.toString()}:${r.end.toString()}`;
  return isUnitStep(r) ? bounds : `${bounds}:${r.step.toString()}`;
}

export function formatSubset(s: Subset): string {
  return s.ranges.map(formatRange).join(', ');
}

// ---------------------------------------------------------------------------------------------
// Parsing: "i, j-1:j+2, 0:N:2" with exclusive ends.

function endsRange(t: Token): boolean {
  return t.kind === 'end' || (t.kind === 'punct' && (t.text === ',' || t.text === ':'));
}

function parseRange(parser: ExprParser): Range {
  if (endsRange(parser.peek())) {
    parser.fail(
      `expected a range but found ${describeToken(parser.peek())}`,
      parser.peek(),
      "write begin:end (exclusive end), e.g. 0:N; a bare ':' would need the array's shape",
    );
  }
  const begin = parser.parseExpr();
  if (!parser.accept(':')) return index(begin);
  if (endsRange(parser.peek())) {
    parser.fail('a range needs an end after the colon', parser.peek(), `write ${begin.toString()}:N (ends are exclusive)`);
  }
  const end = parser.parseExpr();
  if (!parser.accept(':')) return range(begin, end);
  const at = parser.peek();
  const step = parser.parseExpr();
  if (step.isZero()) parser.fail('a range step cannot be 0', at);
  return range(begin, end, step);
}

/** Parses "i, j-1:j+2, 0:N:2" (ends exclusive), from a string or template pieces. */
export function parseSubset(src: string | TemplateSource): Subset {
  const parser = new ExprParser(src);
  const ranges: Range[] = [];
  do ranges.push(parseRange(parser));
  while (parser.accept(','));
  if (!parser.atEnd()) parser.fail(`expected ',' or the end of the subset but found ${describeToken(parser.peek())}`);
  return subset(...ranges);
}

// ---------------------------------------------------------------------------------------------
// Bounds checking.

export type FitsShape =
  | { readonly ok: true }
  | { readonly ok: false; readonly dim: number; readonly reason: 'negative-begin' | 'end-past-shape'; readonly detail: string }
  | { readonly ok: 'unknown' };

/**
 * Whether every element the subset touches lies in [0, shape). A provably empty range touches
 * nothing; otherwise ranges are taken as non-empty, so `-1:N` is reported even if N could be -1.
 */
export function subsetFitsShape(s: Subset, shape: readonly ExprLike[], assumptions: Assumptions = {}): FitsShape {
  checkSameRank(s.ranges.length, shape.length, 'checking a subset against a shape');
  // Validation asks this of every memlet, often the same question: remember the answers.
  const key = `${assumptionsKey(assumptions)}|${s.ranges.map((r) => `${r.begin.key},${r.end.key},${r.step.key}`).join(';')}|${shape.map((x) => toExpr(x).key).join(',')}`;
  return remembered(fitCache, key, () => fitsShape(s, shape, assumptions));
}

const fitCache = new Map<string, FitsShape>();

function fitsShape(s: Subset, shape: readonly ExprLike[], assumptions: Assumptions): FitsShape {
  let decided = true;
  for (const [dim, r] of s.ranges.entries()) {
    if (proveLessEqual(rangeSize(r), ZERO, assumptions) === true) continue;
    const extent = toExpr(shape[dim]!);
    const touched = span(r, 'exact');
    const first = touched.begin;
    const last = touched.end.sub(1);
    const low = proveLessEqual(ZERO, first, assumptions);
    if (low === false) {
      return { ok: false, dim, reason: 'negative-begin', detail: `dimension ${dim}: the first index ${first.toString()} is negative` };
    }
    const high = proveLess(last, extent, assumptions);
    if (high === false) {
      const detail = `dimension ${dim}: the last index ${last.toString()} is not below the extent ${extent.toString()}`;
      return { ok: false, dim, reason: 'end-past-shape', detail };
    }
    if (low !== true || high !== true) decided = false;
  }
  return decided ? { ok: true } : { ok: 'unknown' };
}
