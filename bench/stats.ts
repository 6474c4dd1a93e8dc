// The arithmetic of the benchmark protocol: medians, ranges, geometric means, alternation order and speed-up ratios.

/** The median of a sample (the mean of the two middle values for an even count); NaN when empty. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** Median and min–max of a sample (NaN everywhere when empty). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) return { median: NaN, min: NaN, max: NaN, count: 0 };
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), count: samples.length };
}

/** The geometric mean of positive, finite values (others are ignored); NaN when none is left. */
export function geometricMean(values: readonly number[]): number {
  const usable = values.filter((v) => Number.isFinite(v) && v > 0);
  if (usable.length === 0) return NaN;
  return Math.exp(usable.reduce((s, v) => s + Math.log(v), 0) / usable.length);
}

/** One run in the timed schedule: a repetition index (-1 is the warm-up) and the variant that runs. */
export interface ScheduledRun<V> {
  readonly rep: number;
  readonly variant: V;
}

/**
 * The order runs happen in: one warm-up round, then `reps` rounds, each round running every variant once in the
 * given order (A B C A B C …), so that a slow drift of the machine's load hits every variant alike.
 */
export function alternation<V>(variants: readonly V[], reps: number): ScheduledRun<V>[] {
  const order: ScheduledRun<V>[] = [];
  for (let rep = -1; rep < reps; rep++) for (const variant of variants) order.push({ rep, variant });
  return order;
}

export interface Speedup {
  /** median(baseline) / median(variant): above 1 means the variant is faster. */
  readonly ofMedians: number;
  /** The median over rounds of baseline[i] / variant[i] (pairs measured back to back, in alternation). */
  readonly paired: number;
}

/** How much faster a variant ran than the baseline measured in the same alternation. */
export function speedup(baseline: readonly number[], variant: readonly number[]): Speedup {
  const pairs: number[] = [];
  for (let i = 0; i < Math.min(baseline.length, variant.length); i++) {
    if (variant[i]! > 0) pairs.push(baseline[i]! / variant[i]!);
  }
  return { ofMedians: median(baseline) / median(variant), paired: median(pairs) };
}

/** The physical floor of one run: the larger of moving its bytes at full bandwidth and doing its flops at peak. */
export function floorSeconds(bytes: number, flops: number, bandwidth: number, peak: number): number {
  const memory = bandwidth > 0 ? bytes / bandwidth : 0;
  const compute = peak > 0 ? flops / peak : 0;
  return Math.max(memory, compute);
}

/** Whether a kernel is bound by memory on this machine (its bytes take longer than its flops). */
export function memoryBound(bytes: number, flops: number, bandwidth: number, peak: number): boolean {
  return bytes / bandwidth >= flops / peak;
}

/** Estimated total seconds of `runs` runs at `target` sizes, scaling a measured run by the larger work ratio. */
export function scaleEstimate(measuredSeconds: number, from: { flops: number; bytes: number }, to: { flops: number; bytes: number }, runs: number): number {
  const ratio = Math.max(to.flops / Math.max(from.flops, 1), to.bytes / Math.max(from.bytes, 1), 1);
  return measuredSeconds * ratio * runs;
}
