// `npm run test:gpu` (npx tsx bench/gpu.ts): on a machine with an NVIDIA GPU, the whole differential suite (interpreter
// vs cuda on random inputs, every sample and kernel, as built and optimized) and then the kernel benchmarks at a preset,
// kernel time against the floor from bandwidth and peak. Without nvcc or a device it says so and runs nothing.
//
//   --preset S|M|L       benchmark sizes (default M)          --only NAME[,NAME]  samples/kernels to run
//   --bandwidth GB/s     device memory bandwidth (default 3350, H100 SXM; 4800 for H200)
//   --peak-f64 TFLOP/s   (default 34: H100 vector FP64)      --peak-f32 TFLOP/s  (default 67)
//   --runs N             timed runs per kernel (default 10)   --no-bench          differential suite only
//   --strict             exit 3 when there is no device (default: report and exit 0)
import { compile } from '../index.js';
import type { CompiledCuda } from '../targets/cuda/index.js';
import { nvccAvailable, nvccPath } from '../targets/cuda/build.js';
import { samples, copyArgs } from '../samples/catalogue.js';
import { maxViolation } from '../samples/support.js';
import { kernelList, compareOutputs, type KernelArgs, type PresetName } from '../kernels/index.js';
import { floorSeconds, median } from './stats.js';

interface Options {
  preset: PresetName; only: string[] | null; bandwidth: number; peakF64: number; peakF32: number; runs: number; bench: boolean; strict: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { preset: 'M', only: null, bandwidth: 3350, peakF64: 34, peakF32: 67, runs: 10, bench: true, strict: false };
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k]!, value = (): string => {
      const v = argv[++k];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--preset': options.preset = value() as PresetName; break;
      case '--only': options.only = value().split(','); break;
      case '--bandwidth': options.bandwidth = Number(value()); break;
      case '--peak-f64': options.peakF64 = Number(value()); break;
      case '--peak-f32': options.peakF32 = Number(value()); break;
      case '--runs': options.runs = Number(value()); break;
      case '--no-bench': options.bench = false; break;
      case '--strict': options.strict = true; break;
      default: throw new Error(`unknown option ${flag} (see the top of bench/gpu.ts)`);
    }
  }
  if (!['S', 'M', 'L', 'test'].includes(options.preset)) throw new Error(`--preset must be S, M or L, got ${options.preset}`);
  return options;
}

const copy = (args: KernelArgs): KernelArgs => Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));
const wanted = (options: Options, name: string): boolean => options.only === null || options.only.includes(name);

/** Compile axpy and ask the CUDA runtime for devices: null when there is one, else why not. */
async function noDeviceReason(): Promise<string | null> {
  if (!nvccAvailable()) return `no CUDA toolkit: nvcc cannot be run ('${nvccPath()}'); install it or set $NVCC / $CUDA_HOME`;
  const probe = samples.find((s) => s.name === 'axpy')!;
  const compiled = await compile(probe.program, { target: 'cuda' });
  if (compiled.deviceCount() > 0) return null;
  try {
    compiled.run(probe.inputs(2, 1) as never);
    return 'no CUDA device: the CUDA runtime found none';
  } catch (error) {
    // "[no-cuda-device] no CUDA device: <why>" without the code.
    return (error instanceof Error ? error.message.split('\n')[0]! : String(error)).replace(/^\[[\w-]+\] /, '');
  }
}

interface Failure { readonly what: string; readonly detail: string }

/** Every sample through cuda vs the interpreter, at three sizes. */
async function differentialSamples(options: Options, failures: Failure[]): Promise<number> {
  let checked = 0;
  for (const sample of samples) {
    if (sample.name === 'stream_pipeline' || !wanted(options, sample.name)) continue;
    for (const optimize of ['none', 'auto'] as const) {
      const what = `sample ${sample.name} (optimize ${optimize})`;
      try {
        const native = await compile(sample.program, { target: 'cuda', optimize });
        for (const [size, seed] of [[3, 1], [7, 2], [33, 3], [130, 4]] as const) {
          const args = sample.inputs(size, seed);
          const expected = copyArgs(args), actual = copyArgs(args);
          sample.program.run(expected as never);
          native.run(actual as never);
          for (const out of sample.outputs) {
            const violation = maxViolation(expected[out] as ArrayLike<number>, actual[out] as ArrayLike<number>, sample.rtol);
            if (violation !== 0) failures.push({ what, detail: `${out} at size ${size}: max violation ${violation}` });
          }
        }
        checked++;
        console.log(`  ok    ${what}`);
      } catch (error) {
        failures.push({ what, detail: error instanceof Error ? error.message : String(error) });
        console.log(`  FAIL  ${what}`);
      }
    }
  }
  return checked;
}

/** Every kernel through cuda vs the interpreter at the test preset, two seeds, as built and optimized. */
async function differentialKernels(options: Options, failures: Failure[]): Promise<number> {
  let checked = 0;
  for (const kernel of kernelList) {
    if (!wanted(options, kernel.name)) continue;
    const program = kernel.build('test');
    for (const optimize of ['none', 'auto'] as const) {
      const what = `kernel ${kernel.name} (optimize ${optimize})`;
      try {
        const native = await compile(program, { target: 'cuda', optimize });
        for (const seed of [1, 2]) {
          const args = kernel.init(kernel.presets.test, seed);
          const expected = copy(args), actual = copy(args);
          program.run(expected as never);
          native.run(actual as never);
          for (const [name, verdict] of Object.entries(compareOutputs(kernel, expected, actual))) {
            if (!verdict.ok) failures.push({ what, detail: `${name} (seed ${seed}): ${JSON.stringify(verdict)}` });
          }
        }
        checked++;
        console.log(`  ok    ${what}`);
      } catch (error) {
        failures.push({ what, detail: error instanceof Error ? error.message : String(error) });
        console.log(`  FAIL  ${what}`);
      }
    }
  }
  return checked;
}

/** Kernel time of one run: the sum of every launch's event-timed milliseconds. */
function kernelMilliseconds(compiled: CompiledCuda): number {
  return compiled.profile().reduce((sum, p) => sum + p.milliseconds, 0);
}

/** Each kernel at the preset: validated against the plain TypeScript version, warmed up, median of `runs`. */
async function benchmarks(options: Options, failures: Failure[]): Promise<void> {
  console.log(`\nkernel benchmarks at preset ${options.preset} (floor: max(bytes / ${options.bandwidth} GB/s, flops / peak); ${options.runs} runs, median)`);
  console.log(`  ${'kernel'.padEnd(16)} ${'kernel ms'.padStart(10)} ${'wall ms'.padStart(10)} ${'floor ms'.padStart(10)} ${'x floor'.padStart(8)}  bound`);
  for (const kernel of kernelList) {
    if (!wanted(options, kernel.name)) continue;
    try {
      const sizes = kernel.presets[options.preset];
      const compiled = await compile(kernel.build(options.preset), { target: 'cuda', optimize: 'auto', profile: true });
      const args = kernel.init(sizes, 1);
      const expected = copy(args), actual = copy(args);
      kernel.reference(expected);
      compiled.run(actual as never);
      const bad = Object.entries(compareOutputs(kernel, expected, actual)).filter(([, v]) => !v.ok);
      if (bad.length) throw new Error(`wrong results at ${options.preset}: ${bad.map(([n, v]) => `${n} ${JSON.stringify(v)}`).join('; ')}`);
      const kernelTimes: number[] = [], wallTimes: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        const fresh = copy(args);
        const start = performance.now();
        compiled.run(fresh as never);
        wallTimes.push(performance.now() - start);
        kernelTimes.push(kernelMilliseconds(compiled));
      }
      const f32 = Object.values(args).some((v) => v instanceof Float32Array);
      const peak = (f32 ? options.peakF32 : options.peakF64) * 1e12;
      const floorMs = floorSeconds(kernel.bytes(sizes), kernel.flops(sizes), options.bandwidth * 1e9, peak) * 1000;
      const kernelMs = median(kernelTimes);
      const bound = kernel.bytes(sizes) / (options.bandwidth * 1e9) >= kernel.flops(sizes) / peak ? 'memory' : 'compute';
      console.log(`  ${kernel.name.padEnd(16)} ${kernelMs.toFixed(3).padStart(10)} ${median(wallTimes).toFixed(3).padStart(10)} ${floorMs.toFixed(3).padStart(10)} ${(kernelMs / floorMs).toFixed(1).padStart(8)}  ${bound}`);
    } catch (error) {
      failures.push({ what: `benchmark ${kernel.name}`, detail: error instanceof Error ? error.message : String(error) });
      console.log(`  ${kernel.name.padEnd(16)} FAILED`);
    }
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const reason = await noDeviceReason();
  if (reason !== null) {
    console.log(`test:gpu: ${reason}`);
    console.log('nothing was run: the differential suite and the benchmarks need an NVIDIA GPU (compiling is checked by npm test).');
    return options.strict ? 3 : 0;
  }
  const failures: Failure[] = [];
  console.log('differential suite: cuda vs the reference interpreter on random inputs');
  const started = performance.now();
  const checked = (await differentialSamples(options, failures)) + (await differentialKernels(options, failures));
  console.log(`${checked} programs agree with the interpreter (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (options.bench) await benchmarks(options, failures);
  for (const f of failures) console.log(`\nFAILED ${f.what}:\n${f.detail}`);
  console.log(failures.length ? `\n${failures.length} failure(s)` : '\nall passed');
  return failures.length ? 1 : 0;
}

process.exitCode = await main();
