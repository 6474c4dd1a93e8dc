// What a run produces from its raw samples: derived figures, the text tables, the SVG chart and the JSON file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../../bench/analysis.js';
import { parseBenchArgs, type VariantName } from '../../bench/args.js';
import { columns, formatDuration, formatRatio, kernelHeaderLine, kernelLines, summaryLines, compileLines } from '../../bench/report.js';
import {
  resultsBasename, resultsJSON, resultsSchema, writeResultFile, type BenchResults, type KernelResult, type VariantResult,
} from '../../bench/results.js';
import { logRange, speedupChart } from '../../bench/svg.js';
import { kernelFigures } from '../../bench/analysis.js';

const ok = (variant: VariantName, samplesMs: number[]): VariantResult => ({
  variant, status: 'ok', samplesMs, warmupMs: samplesMs[0]! * 2,
  validation: { against: 'ts', outputs: [{ output: 'C', ok: true, maxViolation: 0, relativeL2: 1e-12 }] },
});

function kernelResult(name: string, ts: number, variants: VariantResult[], extra: Partial<KernelResult> = {}): KernelResult {
  return {
    kernel: name, sizes: { N: 100 }, flops: 2e9, bytes: 8e8, elements: 'f64', reference: 'ts',
    loadavg: { start: [1, 1, 1], end: [1.5, 1, 1] },
    stages: {
      build: { samplesMs: [9, 4, 5, 4, 6] }, optimize: { samplesMs: [20, 10, 11, 12, 10] }, emit: { samplesMs: [3, 2, 2, 2, 2] },
      emitAuto: { samplesMs: [4, 3, 3, 3, 3] }, native: { samplesMs: [800] }, nativeAuto: { samplesMs: [0.1], cached: true },
    },
    variants: [ok('ts', [ts, ts * 1.1, ts * 0.9]), ...variants],
    ...extra,
  };
}

/** Two kernels: gemm with every variant (one failed), softmax with an unavailable optimizer. */
function fixture(): BenchResults {
  return {
    schema: resultsSchema, startedAt: '2025-01-02T03:04:05.000Z', finishedAt: '2025-01-02T03:10:00.000Z', preset: 'M',
    argv: ['--preset', 'M'], options: parseBenchArgs(['--preset', 'M']), interrupted: false,
    machine: { cpu: 'Test CPU', cores: 2, ompNumThreads: '2', openblasNumThreads: null, node: 'v20', compiler: 'g++ 12', platform: 'linux' },
    probes: {
      bandwidth: { samplesS: [0.006], best: 40e9, median: 39e9 },
      peakF64: { samplesS: [0.1], best: 100e9, median: 95e9 }, peakF32: { samplesS: [0.1], best: 200e9, median: 190e9 }, threads: 2,
    },
    loadavg: { start: [0.5, 0.4, 0.3], end: [1.9, 1, 0.5] },
    kernels: [
      kernelResult('gemm', 1000, [
        { variant: 'interpreter', status: 'skipped', reason: 'the interpreter runs at test and S only', samplesMs: [] },
        ok('cpp', [500, 520, 480]),
        ok('cpp-auto', [50, 55, 45]),
        ok('openblas', [40, 41, 39]),
      ]),
      kernelResult('softmax', 100, [
        { variant: 'cpp', status: 'failed', reason: 'wrong results against the ts reference (out: max violation 1.00)', samplesMs: [] },
        { variant: 'cpp-auto', status: 'unavailable', reason: "optimize: 'auto' is not available yet", samplesMs: [] },
      ], { flops: 1e6, elements: 'f32' }),
    ],
  };
}

/** Well-formed XML, checked by hand: every tag closed in order, every attribute quoted, no stray '<' or '&'. */
function assertWellFormed(xml: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    const text = xml.slice(last, m.index);
    assert.ok(!/[<>]/.test(text), `stray angle bracket in text: ${JSON.stringify(text)}`);
    assert.ok(!/&(?!(lt|gt|amp|quot|apos);)/.test(text), `unescaped & in text: ${JSON.stringify(text)}`);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (selfClosing) continue;
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else stack.push(name!);
  }
  assert.ok(!/[<>]/.test(xml.slice(last)), 'text after the last tag');
  assert.deepEqual(stack, [], 'unclosed elements');
}

describe('bench results', () => {
  it('derives speed-ups against ts, floors and bandwidth fractions from the raw samples', () => {
    const a = analyze(fixture());
    const gemm = a.kernels[0]!;
    const auto = gemm.variants.find((v) => v.variant === 'cpp-auto')!;
    assert.equal(auto.median, 50);
    assert.equal(auto.speedup!.ofMedians, 20);
    // floor: max(0.8 GB / 40 GB/s, 2 GFlop / 100 GFlop/s) = 20 ms
    assert.equal(gemm.floorS, 0.02);
    assert.equal(gemm.memoryBound, true);
    assert.ok(Math.abs(auto.floorRatio - 2.5) < 1e-12);
    assert.ok(Math.abs(auto.bandwidthFraction - 0.4) < 1e-12);
    assert.equal(gemm.variants.find((v) => v.variant === 'ts')!.speedup, undefined);
    assert.equal(gemm.stagesMs.build, 5);
    assert.equal(gemm.frontEndMs, 5 + 11 + 3);
    assert.deepEqual(gemm.cachedStages, ['nativeAuto']);
    // softmax is f32: its compute floor uses the f32 peak
    const softmax = kernelFigures(fixture().kernels[1]!, fixture().probes);
    assert.equal(softmax.floorS, 0.02);
    assert.ok(Math.abs(a.geomeans['cpp-auto']! - 20) < 1e-9);
    assert.ok(Math.abs(a.geomeans.openblas! - 25) < 1e-9);
    assert.equal(a.geomeans.interpreter, undefined);
  });

  it('judges the M targets, leaving open what was not measured', () => {
    const checks = Object.fromEntries(analyze(fixture()).checks.map((c) => [c.goal, c]));
    assert.deepEqual(checks['cpp-auto faster than ts on every kernel'], { goal: 'cpp-auto faster than ts on every kernel', value: '1/2; not timed: softmax', met: null });
    assert.equal(checks['cpp-auto geometric mean speed-up ≥ 5×']!.met, true);
    assert.equal(checks['gemm cpp-auto within 1.2× of OpenBLAS dgemm']!.value, "1.25× OpenBLAS's time");
    assert.equal(checks['gemm cpp-auto within 1.2× of OpenBLAS dgemm']!.met, false);
    assert.equal(checks['softmax cpp-auto at ≥ 60 % of measured bandwidth']!.met, null);
    assert.equal(checks['builder + autoOptimize + emit < 50 ms per kernel']!.met, true);
  });

  it('prints one block per kernel with a row per variant, and a summary with load and threads', () => {
    const results = fixture(), a = analyze(results);
    const lines = kernelLines(results.kernels[0]!, a.kernels[0]!);
    assert.match(lines[0]!, /^gemm {2}N=100 · floor 20\.0 ms, memory-bound · validated against ts · load 1\.00 1\.00 1\.00 → 1\.50 1\.00 1\.00$/);
    assert.equal(lines.length, 1 + 5);
    assert.match(lines[1]!, /^ {2}ts +1\.00 s +900 ms – 1\.10 s +baseline +50\.0× +2\.0 %$/);
    assert.match(lines[4]!, /^ {2}cpp-auto +50\.0 ms +45\.0 ms – 55\.0 ms +20\.0× +2\.50× +40 %$/);
    assert.equal(lines[2], '  interpreter  skipped: the interpreter runs at test and S only');
    // the header's columns line up with the rows'
    assert.equal(kernelHeaderLine().indexOf('median') + 'median'.length, lines[1]!.indexOf(' s ') + 2);
    const softmax = kernelLines(results.kernels[1]!, a.kernels[1]!);
    assert.equal(softmax[3], "  cpp-auto     unavailable: optimize: 'auto' is not available yet");
    const summary = summaryLines(results, a).join('\n');
    assert.match(summary, /geometric mean speed-up over ts: cpp 2\.00×, cpp-auto 20\.0×, openblas 25\.0×/);
    assert.match(summary, /load average: 0\.50 0\.40 0\.30 at start → 1\.90 1\.00 0\.50 at end · threads: OMP_NUM_THREADS=2/);
    assert.match(compileLines(a).join('\n'), /gemm +5\.00 ms +11\.0 ms +2\.00 ms +3\.00 ms +19\.0 ms +800 ms +cached/);
  });

  it('formats durations and ratios', () => {
    assert.deepEqual([0.0123, 1.5, 999, 1500, NaN].map(formatDuration), ['12.3 µs', '1.50 ms', '999 ms', '1.50 s', '–']);
    assert.deepEqual([0.0012, 0.5, 12.34, 250, undefined].map(formatRatio), ['1.2e-3×', '0.50×', '12.3×', '250×', '–']);
    assert.deepEqual(columns([['a', 'bb', 'c'], ['ccc', 'd', 'e']], ['l', 'r', 'l']), ['a    bb  c', 'ccc   d  e']);
  });

  it('draws a well-formed SVG with one bar per kernel and variant timed, plus the geometric means', () => {
    const svg = speedupChart(analyze(fixture()), { title: 'speed-ups <M> & more', subtitle: 'median of 10' });
    assertWellFormed(svg);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /speed-ups &lt;M&gt; &amp; more/);
    const bars = [...svg.matchAll(/<rect class="bar" data-kernel="([^"]+)" data-variant="([^"]+)"/g)].map((m) => `${m[1]}/${m[2]}`);
    assert.deepEqual(bars, ['gemm/cpp', 'gemm/cpp-auto', 'gemm/openblas']);
    assert.equal([...svg.matchAll(/<rect class="geomean"/g)].length, 3);
  });

  it('one variant: exactly one bar per kernel', () => {
    const results = fixture();
    const only = { ...results, kernels: results.kernels.map((k) => ({ ...k, variants: k.variants.filter((v) => v.variant === 'ts' || v.variant === 'cpp-auto').map((v) => (v.variant === 'cpp-auto' ? ok('cpp-auto', [10, 11, 12]) : v)) })) };
    const svg = speedupChart(analyze(only), { title: 't' });
    assertWellFormed(svg);
    assert.deepEqual([...svg.matchAll(/<rect class="bar" data-kernel="([^"]+)"/g)].map((m) => m[1]), ['gemm', 'softmax']);
  });

  it('the log axis spans powers of ten around every value and 1×', () => {
    assert.deepEqual(logRange([0.002, 35]), { lo: -3, hi: 2 });
    assert.deepEqual(logRange([]), { lo: 0, hi: 1 });
    assert.deepEqual(logRange([1]), { lo: 0, hi: 1 });
  });

  it('writes JSON with every raw sample, Infinity and NaN spelled out, under a sortable date name', () => {
    const results = fixture();
    const broken = { ...results, kernels: [kernelResult('syrk', 5, [{ ...ok('cpp', [1]), status: 'failed', validation: { against: 'ts', outputs: [{ output: 'C', ok: false, maxViolation: Infinity, relativeL2: NaN }] } }])] };
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-spec-'));
    try {
      const file = path.join(dir, `${resultsBasename(new Date(2025, 0, 2, 3, 4, 5))}.json`);
      assert.equal(path.basename(file), '2025-01-02_03-04-05.json');
      writeResultFile(file, resultsJSON({ ...broken, analysis: analyze(broken) }));
      assert.deepEqual(readdirSync(dir), ['2025-01-02_03-04-05.json'], 'no temporary file left behind');
      const parsed = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(parsed.schema, 'sdfg-ts-bench/1');
      assert.deepEqual(Object.keys(parsed).sort(), ['analysis', 'argv', 'finishedAt', 'interrupted', 'kernels', 'loadavg', 'machine', 'options', 'preset', 'probes', 'schema', 'startedAt']);
      const k = parsed.kernels[0];
      assert.deepEqual(Object.keys(k).sort(), ['bytes', 'elements', 'flops', 'kernel', 'loadavg', 'reference', 'sizes', 'stages', 'variants']);
      assert.deepEqual(k.variants[0].samplesMs, [5, 5.5, 4.5]);
      assert.deepEqual(k.variants[1].validation.outputs[0], { output: 'C', ok: false, maxViolation: 'Infinity', relativeL2: 'NaN' });
      assert.deepEqual(k.stages.build.samplesMs, [9, 4, 5, 4, 6]);
      assert.equal(parsed.probes.bandwidth.best, 40e9);
      assert.ok(Array.isArray(parsed.analysis.checks));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
