// Figures derived from raw samples: medians, speed-ups against the TypeScript baseline, physical floors, target checks.
import type { VariantName } from './args.js';
import type { BenchResults, KernelResult, Measurement, Probes, StageName, VariantResult, VariantStatus } from './results.js';
import { floorSeconds, geometricMean, memoryBound, median, speedup, summarize, type Speedup } from './stats.js';

export interface VariantFigures {
  readonly variant: VariantName;
  readonly status: VariantStatus;
  readonly reason?: string;
  /** Milliseconds (NaN when not timed). */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Against `ts` in the same alternation (undefined for ts itself or when either was not timed). */
  readonly speedup?: Speedup;
  /** median / physical floor: 1 is the machine's limit. */
  readonly floorRatio: number;
  /** (bytes / median) / measured bandwidth. */
  readonly bandwidthFraction: number;
}

export interface KernelFigures {
  readonly kernel: string;
  /** Seconds: max(bytes / bandwidth, flops / peak). */
  readonly floorS: number;
  readonly memoryBound: boolean | undefined;
  readonly variants: readonly VariantFigures[];
  /** Median milliseconds per compile stage (NaN when it did not run). */
  readonly stagesMs: Readonly<Record<StageName, number>>;
  /** Native stages that found their library in the cache (the optimized source equals the plain one, or --reuse-cache). */
  readonly cachedStages: readonly StageName[];
  /** Builder + autoOptimize + emit of the optimized graph: the figure with the 50 ms target. */
  readonly frontEndMs: number;
  readonly error?: string;
}

export interface TargetCheck {
  readonly goal: string;
  readonly value: string;
  /** null: could not be judged (a variant missing, not timed). */
  readonly met: boolean | null;
}

export interface Analysis {
  readonly kernels: readonly KernelFigures[];
  /** Geometric mean of each variant's speed-up over ts across the kernels where it was timed. */
  readonly geomeans: Partial<Record<VariantName, number>>;
  readonly checks: readonly TargetCheck[];
}

/** The kernels BENCH.md's targets call memory-bound. */
export const memoryBoundTargets: readonly string[] = ['jacobi_2d', 'softmax', 'gemver'];

function rate(m: Measurement | { error: string } | undefined): number {
  return m && 'best' in m ? m.best : NaN;
}

function peakFor(probes: Probes | null, k: KernelResult): number {
  if (!probes) return NaN;
  return k.elements === 'f32' ? rate(probes.peakF32) : rate(probes.peakF64);
}

function variantFigures(k: KernelResult, v: VariantResult, baseline: VariantResult | undefined, floorS: number, bandwidth: number): VariantFigures {
  const s = summarize(v.samplesMs);
  const timed = v.status === 'ok' && s.count > 0;
  const base = baseline && baseline.status === 'ok' && baseline.samplesMs.length > 0 ? baseline : undefined;
  return {
    variant: v.variant, status: v.status, ...(v.reason !== undefined ? { reason: v.reason } : {}),
    median: s.median, min: s.min, max: s.max,
    ...(timed && base && v.variant !== 'ts' ? { speedup: speedup(base.samplesMs, v.samplesMs) } : {}),
    floorRatio: timed ? s.median / 1000 / floorS : NaN,
    bandwidthFraction: timed ? k.bytes / (s.median / 1000) / bandwidth : NaN,
  };
}

const stageMedian = (k: KernelResult, name: StageName): number => {
  const t = k.stages[name];
  return t && !t.error && t.samplesMs.length > 0 ? median(t.samplesMs) : NaN;
};

export function kernelFigures(k: KernelResult, probes: Probes | null): KernelFigures {
  const bandwidth = probes ? rate(probes.bandwidth) : NaN;
  const peak = peakFor(probes, k);
  const floorS = floorSeconds(k.bytes, k.flops, bandwidth, peak);
  const baseline = k.variants.find((v) => v.variant === 'ts');
  const stagesMs = {
    build: stageMedian(k, 'build'), optimize: stageMedian(k, 'optimize'), emit: stageMedian(k, 'emit'),
    emitAuto: stageMedian(k, 'emitAuto'), native: stageMedian(k, 'native'), nativeAuto: stageMedian(k, 'nativeAuto'),
  };
  return {
    kernel: k.kernel,
    floorS: Number.isFinite(floorS) && floorS > 0 ? floorS : NaN,
    memoryBound: Number.isFinite(bandwidth) && Number.isFinite(peak) ? memoryBound(k.bytes, k.flops, bandwidth, peak) : undefined,
    variants: k.variants.map((v) => variantFigures(k, v, baseline, floorS, bandwidth)),
    stagesMs,
    cachedStages: (Object.keys(k.stages) as StageName[]).filter((name) => k.stages[name]?.cached),
    frontEndMs: stagesMs.build + stagesMs.optimize + stagesMs.emitAuto,
    ...(k.error !== undefined ? { error: k.error } : {}),
  };
}

const pct = (x: number) => `${x < 0.1 ? (100 * x).toPrecision(2) : (100 * x).toFixed(0)} %`;
const times = (x: number) => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;

/** BENCH.md's targets (set for preset M on the 2-core machine), judged on this run's figures. */
export function targetChecks(kernels: readonly KernelFigures[], geomeans: Partial<Record<VariantName, number>>): TargetCheck[] {
  const find = (k: KernelFigures, v: VariantName) => k.variants.find((f) => f.variant === v);
  const checks: TargetCheck[] = [];

  const auto = kernels.map((k) => ({ k: k.kernel, s: find(k, 'cpp-auto')?.speedup?.ofMedians }));
  const slower = auto.filter((a) => a.s !== undefined && a.s <= 1).map((a) => a.k);
  const missing = auto.filter((a) => a.s === undefined).map((a) => a.k);
  checks.push({
    goal: 'cpp-auto faster than ts on every kernel',
    value: `${auto.length - slower.length - missing.length}/${auto.length}${slower.length ? `; slower: ${slower.join(', ')}` : ''}${missing.length ? `; not timed: ${missing.join(', ')}` : ''}`,
    met: slower.length > 0 ? false : missing.length > 0 ? null : auto.length > 0,
  });

  const g = geomeans['cpp-auto'];
  checks.push({ goal: 'cpp-auto geometric mean speed-up ≥ 5×', value: g !== undefined && Number.isFinite(g) ? times(g) : 'n/a', met: g !== undefined && Number.isFinite(g) ? g >= 5 : null });

  const gemm = kernels.find((k) => k.kernel === 'gemm');
  if (gemm) {
    const ours = find(gemm, 'cpp-auto'), blas = find(gemm, 'openblas');
    const ratio = ours && blas ? ours.median / blas.median : NaN;
    checks.push({ goal: 'gemm cpp-auto within 1.2× of OpenBLAS dgemm', value: Number.isFinite(ratio) ? `${times(ratio)} OpenBLAS's time` : 'n/a', met: Number.isFinite(ratio) ? ratio <= 1.2 : null });
  }

  for (const name of memoryBoundTargets) {
    const k = kernels.find((f) => f.kernel === name);
    if (!k) continue;
    const f = find(k, 'cpp-auto')?.bandwidthFraction ?? NaN;
    checks.push({ goal: `${name} cpp-auto at ≥ 60 % of measured bandwidth`, value: Number.isFinite(f) ? pct(f) : 'n/a', met: Number.isFinite(f) ? f >= 0.6 : null });
  }

  const front = kernels.filter((k) => Number.isFinite(k.frontEndMs));
  const worst = front.reduce<KernelFigures | undefined>((w, k) => (!w || k.frontEndMs > w.frontEndMs ? k : w), undefined);
  const over = front.filter((k) => k.frontEndMs >= 50).map((k) => k.kernel);
  checks.push({
    goal: 'builder + autoOptimize + emit < 50 ms per kernel',
    value: worst ? `slowest ${worst.kernel} ${worst.frontEndMs.toFixed(1)} ms${over.length ? `; over: ${over.join(', ')}` : ''}${front.length < kernels.length ? `; not measured: ${kernels.length - front.length}` : ''}` : 'n/a',
    met: worst ? over.length === 0 && front.length === kernels.length ? true : over.length > 0 ? false : null : null,
  });
  return checks;
}

export function analyze(results: Pick<BenchResults, 'kernels' | 'probes'>): Analysis {
  const kernels = results.kernels.map((k) => kernelFigures(k, results.probes));
  const geomeans: Partial<Record<VariantName, number>> = {};
  const names = new Set(kernels.flatMap((k) => k.variants.map((v) => v.variant)));
  for (const name of names) {
    if (name === 'ts') continue;
    const values = kernels.flatMap((k) => k.variants.filter((v) => v.variant === name && v.speedup).map((v) => v.speedup!.ofMedians));
    if (values.length > 0) geomeans[name] = geometricMean(values);
  }
  return { kernels, geomeans, checks: targetChecks(kernels, geomeans) };
}
