// Analyses computed on demand and cached per SDFG until a transformation modifies what they depend on.
import type { SDFG } from '../graph/sdfg.js';
import type { GraphAspect } from './framework.js';

export interface Analysis<T> {
  readonly name: string;
  /** Aspects whose change makes the result stale. */
  readonly dependsOn: readonly GraphAspect[];
  compute(sdfg: SDFG): T;
}

const caches = new WeakMap<SDFG, Map<Analysis<unknown>, unknown>>();

/** The analysis result for this SDFG, computed once until invalidated. */
export function analyze<T>(sdfg: SDFG, analysis: Analysis<T>): T {
  let cache = caches.get(sdfg);
  if (!cache) caches.set(sdfg, (cache = new Map()));
  if (cache.has(analysis as Analysis<unknown>)) return cache.get(analysis as Analysis<unknown>) as T;
  const result = analysis.compute(sdfg);
  cache.set(analysis as Analysis<unknown>, result);
  return result;
}

/** Drop cached analyses that depend on any of the modified aspects. */
export function invalidate(sdfg: SDFG, modified: readonly GraphAspect[]): void {
  const cache = caches.get(sdfg);
  if (!cache) return;
  for (const analysis of [...cache.keys()]) {
    if (analysis.dependsOn.some((a) => modified.includes(a))) cache.delete(analysis);
  }
}
