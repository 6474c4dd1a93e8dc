// The text tables `npm run bench` prints: the machine, each kernel's variants, compile stages, and the summary.
import type { Analysis, KernelFigures, VariantFigures } from './analysis.js';
import type { BenchResults, KernelResult, Measurement, Probes } from './results.js';

/** A duration in milliseconds with three significant digits and a fitting unit. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

export function formatRatio(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  if (x >= 100) return `${x.toFixed(0)}×`;
  if (x >= 10) return `${x.toFixed(1)}×`;
  if (x >= 0.01) return `${x.toFixed(2)}×`;
  return `${x.toExponential(1)}×`;
}

function formatRate(value: number, unit: string): string {
  return Number.isFinite(value) ? `${(value / 1e9).toFixed(1)} ${unit}` : '–';
}

function measured(m: Measurement | { error: string }, unit: string): string {
  return 'error' in m ? `unavailable (${firstLine(m.error)})` : `${formatRate(m.best, unit)} best, ${formatRate(m.median, unit)} median`;
}

export function firstLine(text: string, width = 100): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

const loads = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');

/** Fixed-width columns: pad each cell to its column's width (the last column is not padded). */
export function columns(rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, [...cell].length); });
  return rows.map((row) => row.map((cell, i) => {
    if (i === row.length - 1 && align[i] !== 'r') return cell;
    const pad = ' '.repeat(widths[i]! - [...cell].length);
    return align[i] === 'r' ? pad + cell : cell + pad;
  }).join('  ').trimEnd());
}

export function machineLines(results: BenchResults): string[] {
  const m = results.machine;
  const threads = m.ompNumThreads ?? `unset, ${m.cores} cores`;
  const lines = [
    `sdfg-ts bench · preset ${results.preset} · ${results.startedAt}`,
    `machine: ${m.cpu}, ${m.cores} cores · OMP_NUM_THREADS=${threads} · OPENBLAS_NUM_THREADS=${m.openblasNumThreads ?? 'unset'} · node ${m.node} · ${m.compiler}`,
    `load average at start: ${loads(results.loadavg.start)}`,
  ];
  if (results.options.reps !== 10) lines.push(`note: ${results.options.reps} timed runs per variant (the protocol says 10)`);
  return lines;
}

export function probeLines(probes: Probes): string[] {
  return [
    `memory bandwidth: ${measured(probes.bandwidth, 'GB/s')} (10 M-element double add, ${probes.threads} threads)`,
    `peak: f64 ${measured(probes.peakF64, 'GFlop/s')}; f32 ${measured(probes.peakF32, 'GFlop/s')} (FMA loop, ${probes.threads} threads)`,
  ];
}

/** The variant rows' columns: fixed widths, so that blocks printed one kernel at a time line up. */
const kernelColumns: readonly { readonly title: string; readonly width: number; readonly align: 'l' | 'r' }[] = [
  { title: 'variant', width: 12, align: 'l' },
  { title: 'median', width: 10, align: 'r' },
  { title: 'min – max', width: 23, align: 'r' },
  { title: 'vs ts', width: 9, align: 'r' },
  { title: 'time/floor', width: 11, align: 'r' },
  { title: 'of bandwidth', width: 13, align: 'r' },
];

function fixedRow(cells: readonly string[]): string {
  return '  ' + cells.map((cell, i) => {
    const c = kernelColumns[i];
    if (!c || i === cells.length - 1 && c.align === 'l') return cell;
    return c.align === 'r' ? cell.padStart(c.width) : cell.padEnd(c.width);
  }).join(' ').trimEnd();
}

/** The header of the variant rows. */
export function kernelHeaderLine(): string {
  return fixedRow(kernelColumns.map((c) => c.title));
}

function sizesText(k: KernelResult): string {
  return Object.entries(k.sizes).map(([n, v]) => `${n}=${v}`).join(' ');
}

function variantRow(v: VariantFigures): string {
  if (v.status !== 'ok') return fixedRow([v.variant, `${v.status}${v.reason ? `: ${firstLine(v.reason, 90)}` : ''}`]);
  return fixedRow([
    v.variant, formatDuration(v.median), `${formatDuration(v.min)} – ${formatDuration(v.max)}`,
    v.variant === 'ts' ? 'baseline' : formatRatio(v.speedup?.ofMedians), formatRatio(v.floorRatio),
    Number.isFinite(v.bandwidthFraction) ? `${v.bandwidthFraction < 0.1 ? (100 * v.bandwidthFraction).toPrecision(2) : (100 * v.bandwidthFraction).toFixed(0)} %` : '–',
  ]);
}

/** One kernel's block: a title line (sizes, floor, reference, load) and a row per variant. */
export function kernelLines(k: KernelResult, f: KernelFigures): string[] {
  const bound = f.memoryBound === undefined ? '' : f.memoryBound ? ', memory-bound' : ', compute-bound';
  const title = `${k.kernel}  ${sizesText(k)} · floor ${formatDuration(f.floorS * 1000)}${bound} · validated against ${k.reference} · load ${loads(k.loadavg.start)} → ${loads(k.loadavg.end)}`;
  return [title, ...(k.error ? [`  error: ${firstLine(k.error)}`] : []), ...f.variants.map(variantRow)];
}

export function compileLines(analysis: Analysis): string[] {
  const header = ['kernel', 'build', 'optimize', 'emit', 'emit(auto)', 'b+o+e(auto)', 'g++', 'g++(auto)'];
  // A cache hit is no compile time: the optimized source equals the plain one (nothing applied), or --reuse-cache.
  const native = (k: KernelFigures, stage: 'native' | 'nativeAuto') => (k.cachedStages.includes(stage) ? 'cached' : formatDuration(k.stagesMs[stage]));
  const rows = analysis.kernels.map((k) => [
    k.kernel, formatDuration(k.stagesMs.build), formatDuration(k.stagesMs.optimize), formatDuration(k.stagesMs.emit),
    formatDuration(k.stagesMs.emitAuto), formatDuration(k.frontEndMs), native(k, 'native'), native(k, 'nativeAuto'),
  ]);
  return [
    'compile stages (builder, autoOptimize, emit: median of 10 after a cold run; g++: one compile into a fresh cache)',
    ...columns([header, ...rows], ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
  ];
}

/** Stage errors worth showing (the first line of each distinct one). */
export function stageErrorLines(results: BenchResults): string[] {
  const seen = new Map<string, string[]>();
  for (const k of results.kernels) {
    for (const [stage, t] of Object.entries(k.stages)) {
      if (!t?.error) continue;
      const key = `${stage}: ${firstLine(t.error, 120)}`;
      seen.set(key, [...(seen.get(key) ?? []), k.kernel]);
    }
  }
  return [...seen].map(([key, kernels]) => `  ${key} (${kernels.join(', ')})`);
}

export function summaryLines(results: BenchResults, analysis: Analysis): string[] {
  const means = Object.entries(analysis.geomeans).map(([v, g]) => `${v} ${formatRatio(g)}`).join(', ');
  const lines = [`geometric mean speed-up over ts: ${means || '–'}`];
  const mark = (met: boolean | null) => (met === true ? '[met] ' : met === false ? '[MISS]' : '[ ?  ]');
  lines.push(`targets (set for preset M${results.preset === 'M' ? '' : `; this run is preset ${results.preset}`}):`);
  lines.push(...columns(analysis.checks.map((c) => [`  ${mark(c.met)}`, c.goal, c.value])));
  lines.push(`load average: ${loads(results.loadavg.start)} at start → ${loads(results.loadavg.end)} at end · threads: OMP_NUM_THREADS=${results.machine.ompNumThreads ?? `unset (${results.machine.cores} cores)`}`);
  if (results.interrupted) lines.push('interrupted: the figures cover the kernels finished before Ctrl-C');
  return lines;
}
