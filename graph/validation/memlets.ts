// Helpers the validation rules share about memlets and subsets: ranks, written parts, assumptions, overlaps.
import type { DataDesc } from '../data.js';
import type { Memlet } from '../memlet.js';
import type { Range, Subset } from '../subsets.js';
import { isIndex, rangeSize, subsetFreeSymbols, toInclusiveEnd } from '../subsets.js';
import type { Assumptions, SymbolBounds } from '../symbolic-compare.js';
import { bounds, proveLess, proveLessEqual } from '../symbolic-compare.js';
import type { Expr } from '../symbolic.js';
import type { ScopeEntry } from '../nodes.js';

/** Dimensions a connector sees through a subset: the ranges that are not single indices (0: a scalar). */
export function viewDims(s: Subset): number {
  return s.ranges.filter((r) => !isIndex(r)).length;
}

/** The part of `data` a memlet touches: its subset when it names `data`, else the other side of the copy. */
export function subsetOf(m: Memlet, data: string): Subset | null {
  return m.data === data ? m.subset : m.otherSubset;
}

export function symbolsOfSubset(s: Subset): Set<string> {
  return subsetFreeSymbols(s);
}

export function symbolsOfExprs(...es: readonly Expr[]): Set<string> {
  const out = new Set<string>();
  for (const e of es) for (const s of e.freeSymbols()) out.add(s);
  return out;
}

export function symbolsOfRange(r: Range): Set<string> {
  return symbolsOfExprs(r.begin, r.end, r.step);
}

/** A parameter's inclusive bounds over a range (the first and last values it takes); none when the step is symbolic. */
function rangeBounds(r: Range): SymbolBounds | undefined {
  const step = r.step.constantValue();
  if (step === undefined || step === 0) return undefined;
  return step > 0 ? { lo: r.begin, hi: toInclusiveEnd(r) } : { lo: toInclusiveEnd(r), hi: r.begin };
}

/** What the parameters of the scopes around a point may be: each one within its range (inclusive bounds). */
export function scopeAssumptions(enclosing: readonly ScopeEntry[]): Assumptions {
  const out: Record<string, SymbolBounds> = {};
  // Outermost first, so that an inner parameter shadowing an outer one wins.
  for (const entry of [...enclosing].reverse()) {
    if (entry.kind === 'MapEntry') {
      entry.map.params.forEach((p, d) => {
        const r = entry.map.ranges[d];
        const b = r && rangeBounds(r);
        if (b) out[p] = b; else delete out[p];
      });
    } else {
      out[entry.consume.peIndex] = { lo: 0, hi: entry.consume.numPes.sub(1) };
    }
  }
  return out;
}

/** True when the two subsets provably share an element (every dimension's ranges provably intersect). */
export function provablyOverlap(a: Subset, b: Subset): boolean {
  if (a.ranges.length !== b.ranges.length) return false;
  return a.ranges.every((ra, d) => {
    const rb = b.ranges[d]!;
    // With strides, intersecting intervals need not share an element; single indices are exact.
    const exact = (r: Range): boolean => isIndex(r) || r.step.constantValue() === 1;
    if (!exact(ra) || !exact(rb)) return false;
    return proveLess(ra.begin, rb.end) === true && proveLess(rb.begin, ra.end) === true
      && proveLess(ra.begin, ra.end) === true && proveLess(rb.begin, rb.end) === true;
  });
}

/** Offsets shift valid indices away from 0..size-1; bounds are only checked where there are none. */
export function hasZeroOffset(desc: DataDesc): boolean {
  return desc.kind !== 'Array' && desc.kind !== 'View' ? true : desc.offset.every((o) => o.constantValue() === 0);
}

/** Affine in the bounded symbols, with coefficients free of them: the bounds of such an expression are attained. */
function affineIn(e: Expr, bounded: ReadonlySet<string>): boolean {
  return [...e.freeSymbols()].every((p) => {
    if (!bounded.has(p)) return true;
    const c = e.linearCoefficient(p);
    return c !== undefined && [...c.freeSymbols()].every((q) => !bounded.has(q));
  });
}

/**
 * Where some iteration of the enclosing maps provably indexes outside the shape: the lowest first index
 * or the highest last index over all parameter values, for dimensions affine in the parameters (whose
 * extremes are reached, given that the maps run at least once). Undefined when nothing is provable.
 */
export function extremeViolation(s: Subset, shape: readonly Expr[], assumptions: Assumptions): string | undefined {
  const bounded = new Set(Object.keys(assumptions));
  if (bounded.size === 0) return undefined;
  for (const [dim, r] of s.ranges.entries()) {
    const step = r.step.constantValue();
    if (step === undefined || step === 0 || proveLessEqual(rangeSize(r), 0, assumptions) === true) continue;
    const [first, last] = step > 0 ? [r.begin, toInclusiveEnd(r)] : [toInclusiveEnd(r), r.begin];
    if (!affineIn(first, bounded) || !affineIn(last, bounded)) continue;
    const lo = bounds(first, assumptions).lo, hi = bounds(last, assumptions).hi;
    if (lo && proveLessEqual(0, lo) === false) {
      return `dimension ${dim}: the first index ${first.toString()} goes down to ${lo.toString()} over the map ranges`;
    }
    if (hi && proveLess(hi, shape[dim]!) === false) {
      return `dimension ${dim}: the last index ${last.toString()} goes up to ${hi.toString()} over the map ranges, not below the extent ${shape[dim]!.toString()}`;
    }
  }
  return undefined;
}
