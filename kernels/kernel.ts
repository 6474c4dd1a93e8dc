// What every kernel of the library provides (the registry's entries), and helpers shared by their initializers.
import type { Program } from '../index.js';

/** The presets of every kernel: NPBench's S, M and L, and a tiny one for the reference interpreter. */
export type PresetName = 'test' | 'S' | 'M' | 'L';
export const presetNames: readonly PresetName[] = ['test', 'S', 'M', 'L'];

/** Problem sizes by NPBench parameter name (these are also the program's symbols). */
export type Sizes = Readonly<Record<string, number>>;

/** The typed arrays kernels take and write. */
export type KernelArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/** Arguments of a kernel run: arrays by name, scalars, and every size symbol (so nothing has to be inferred). */
export type KernelArgs = Record<string, KernelArray | number>;

export interface Kernel<S extends Sizes = Sizes> {
  /** NPBench's name (`jacobi_2d`, `floyd_warshall`, …). */
  readonly name: string;
  /** One line: what the kernel computes and which constructs it exercises. */
  readonly description: string;
  /** Size parameters, in NPBench's order. */
  readonly sizeNames: readonly string[];
  readonly presets: Readonly<Record<PresetName, S>>;
  /**
   * The program. It is generic in the sizes (they are symbols bound at run time from `init`'s arguments), so the
   * argument only resolves and checks a preset; every size gives the same graph.
   */
  build(sizes?: PresetName | S): Program;
  /** Fresh inputs (and zeroed outputs) for one run, following NPBench's `initialize` (random ones seeded). */
  init(sizes: S, seed?: number): KernelArgs;
  /** The plain TypeScript implementation (what a user would write without us): writes the outputs in `args`. */
  reference(args: KernelArgs): void;
  /** The arrays to compare after a run. */
  readonly outputs: readonly string[];
  /** Floating-point (or integer, for the integer kernels) operations of one run. */
  flops(sizes: S): number;
  /** Compulsory memory traffic of one run in bytes: every input read once, every output written once. */
  bytes(sizes: S): number;
}

/** Resolve a preset name or explicit sizes, checking that every size is a positive integer. */
export function resolveSizes<S extends Sizes>(kernel: Pick<Kernel<S>, 'name' | 'sizeNames' | 'presets'>, sizes: PresetName | S): S {
  if (typeof sizes === 'string') {
    const preset = kernel.presets[sizes];
    if (!preset) throw new RangeError(`${kernel.name} has no preset ${JSON.stringify(sizes)}; presets are ${presetNames.join(', ')}`);
    return preset;
  }
  for (const name of kernel.sizeNames) {
    const v = sizes[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new RangeError(`${kernel.name}: size ${name} must be a positive integer, got ${String(v)}`);
    }
  }
  return sizes;
}

/** Define a kernel: the program is built once, lazily, and `build` accepts a preset or sizes. */
export function defineKernel<S extends Sizes>(spec: Omit<Kernel<S>, 'build'> & { program: () => Program }): Kernel<S> {
  let built: Program | undefined;
  const { program, ...rest } = spec;
  const kernel: Kernel<S> = {
    ...rest,
    build(sizes) {
      if (sizes !== undefined) resolveSizes(kernel, sizes);
      built ??= program();
      return built;
    },
  };
  return kernel;
}

/** NumPy's `fromfunction` for a 2-D array in row-major order. */
export function fromFunction2<T extends Float64Array | Float32Array | Int32Array>(
  make: new (n: number) => T, rows: number, cols: number, f: (i: number, j: number) => number,
): T {
  const out = new make(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = f(i, j);
  return out;
}

/** NumPy's `fromfunction` for a 1-D array. */
export function fromFunction1<T extends Float64Array | Float32Array | Int32Array>(make: new (n: number) => T, n: number, f: (i: number) => number): T {
  const out = new make(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out;
}

/** Python's `%` (the sign of the divisor), which NPBench's initializers use on negative operands. */
export function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Read a size symbol out of a kernel's arguments. */
export function sizeOf(args: KernelArgs, name: string): number {
  const v = args[name];
  if (typeof v !== 'number') throw new RangeError(`argument ${name} must be a number (a size), got ${typeof v}`);
  return v;
}

/** Read an array out of a kernel's arguments. */
export function arrayOf<T extends KernelArray>(args: KernelArgs, name: string): T {
  const v = args[name];
  if (typeof v === 'number' || v === undefined) throw new RangeError(`argument ${name} must be an array`);
  return v as T;
}

/** How far `actual` is from `expected` under BENCH.md's rule. */
export interface Comparison {
  /** Pass: every element within `atol + rtol·|ref|`, or the relative L2 error below `rtol`. */
  readonly ok: boolean;
  /** Largest excess over the element-wise bound (0 when every element is within it; Infinity for a NaN mismatch). */
  readonly maxViolation: number;
  /** ‖ref − val‖₂ / ‖ref‖₂ (NaN pairs count as equal). */
  readonly relativeL2: number;
}

/** Compare two arrays with BENCH.md's tolerance (`|ref - val| <= 1e-8 + 1e-5 |ref|` element-wise, or relative L2 < 1e-5). */
export function compareArrays(expected: ArrayLike<number>, actual: ArrayLike<number>, rtol = 1e-5, atol = 1e-8): Comparison {
  if (expected.length !== actual.length) return { ok: false, maxViolation: Infinity, relativeL2: Infinity };
  let worst = 0, diff2 = 0, ref2 = 0;
  for (let i = 0; i < expected.length; i++) {
    const r = expected[i]!, v = actual[i]!;
    if (Number.isNaN(r) || Number.isNaN(v)) {
      // a NaN is only matched by a NaN (empty histogram bins divide 0 by 0 on every side)
      if (!(Number.isNaN(r) && Number.isNaN(v))) { worst = Infinity; diff2 = Infinity; }
      continue;
    }
    const d = r === v ? 0 : Math.abs(r - v);
    worst = Math.max(worst, d - (atol + rtol * Math.abs(r)));
    diff2 += d * d;
    ref2 += r * r;
  }
  const relativeL2 = diff2 === 0 ? 0 : Math.sqrt(diff2 / ref2);
  return { ok: worst <= 0 || relativeL2 < rtol, maxViolation: Math.max(worst, 0), relativeL2 };
}

/** Compare every output of a kernel run against the reference run's. */
export function compareOutputs(kernel: Pick<Kernel, 'outputs'>, expected: KernelArgs, actual: KernelArgs): Record<string, Comparison> {
  return Object.fromEntries(kernel.outputs.map((name) => [name, compareArrays(arrayOf(expected, name), arrayOf(actual, name))]));
}
