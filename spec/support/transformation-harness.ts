// Differential testing of transformations: run a program on the reference interpreter before and after, compare outputs.
//
//   checkPreservesSemantics({
//     params: fc.record({ N: fc.integer({ min: 1, max: 9 }) }),
//     program: ({ N }) => makeProgram(N),          // a fresh SDFG (or Program) per case
//     symbols: ({ N }) => ({ N }),                  // symbol values for the run (inputs are random)
//     transform: { transformation: mapFusion },     // or { pipeline: [...] } or (sdfg) => count
//   });
//
// Every case: build, clone, transform the clone, validate it, run both on the same random inputs and
// compare every argument container element-wise with a tolerance. A case where the transformation
// never applied fails (the property would test nothing), unless `minApplied: 0`.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AnyTypedArray } from '../../graph/dtypes.js';
import type { SDFG } from '../../graph/sdfg.js';
import { cloneSDFG } from '../../graph/clone.js';
import { validate } from '../../graph/validate.js';
import { printSDFG } from '../../graph/printer.js';
import { runReference } from '../../targets/reference/index.js';
import { argumentContainers, type ArgValue } from '../../targets/common/arguments.js';
import type { Transformation } from '../../passes/framework.js';
import { resolveOptions } from '../../passes/framework.js';
import { invalidate } from '../../passes/analysis.js';
import { runPipeline, type Pipeline } from '../../passes/pipeline.js';
import { seededRandom } from '../../samples/support.js';

export type Args = Record<string, ArgValue>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyT = Transformation<any, any>;

/** How to transform: one transformation on every candidate, a pipeline, or any function (returns #applications). */
export type TransformStep =
  | { readonly transformation: AnyT; readonly options?: Readonly<Record<string, unknown>>; readonly limit?: number }
  | { readonly pipeline: Pipeline }
  | ((sdfg: SDFG) => number);

export interface Tolerance { readonly rtol?: number; readonly atol?: number }

export interface RandomValueOptions {
  /** Floats are drawn from [lo, hi) (default [-1, 1)). */
  readonly lo?: number;
  readonly hi?: number;
  /** Integers are drawn from [intLo, intHi) (default [0, 8)). */
  readonly intLo?: number;
  readonly intHi?: number;
}

/**
 * Random values for every argument container of an SDFG, sized for the given symbol values;
 * the symbols themselves are included. Streams receive nothing (an empty typed array).
 */
export function randomArguments(sdfg: SDFG, symbols: Readonly<Record<string, number>>, random: () => number, options: RandomValueOptions = {}): Args {
  const args: Args = { ...symbols };
  const { lo = -1, hi = 1, intLo = 0, intHi = 8 } = options;
  const value = (kind: string): number => {
    if (kind === 'float') return lo + (hi - lo) * random();
    if (kind === 'bool') return random() < 0.5 ? 0 : 1;
    return intLo + Math.floor((intHi - intLo) * random());
  };
  for (const [name, desc] of argumentContainers(sdfg)) {
    if (desc.kind === 'Scalar') {
      args[name] = value(desc.dtype.kind);
      continue;
    }
    const length = desc.kind === 'Stream' ? 0 : desc.totalSize.evaluate(symbols) + desc.startOffset;
    const array = new desc.dtype.array(length) as AnyTypedArray;
    const big = array instanceof BigInt64Array || array instanceof BigUint64Array;
    for (let k = 0; k < length; k++) {
      const v = value(desc.dtype.kind);
      (array as unknown as Record<number, number | bigint>)[k] = big ? BigInt(v) : v;
    }
    args[name] = array;
  }
  return args;
}

/** A deep copy of arguments (typed arrays copied), so two runs start from the same values. */
export function copyArguments(args: Readonly<Args>): Args {
  const out: Args = {};
  for (const [k, v] of Object.entries(args)) out[k] = ArrayBuffer.isView(v) ? (v as AnyTypedArray).slice() : v;
  return out;
}

/** Default tolerance by element type: float32 results are compared loosely, everything else tightly. */
function toleranceFor(array: ArrayLike<unknown> | number, given: Tolerance): Required<Tolerance> {
  const f32 = array instanceof Float32Array;
  return { rtol: given.rtol ?? (f32 ? 1e-4 : 1e-9), atol: given.atol ?? (f32 ? 1e-5 : 1e-11) };
}

/** Assert two runs' outputs agree element-wise (|a - b| <= atol + rtol |a|; NaN matches NaN). */
export function assertSameOutputs(expected: Readonly<Record<string, unknown>>, actual: Readonly<Record<string, unknown>>, tolerance: Tolerance = {}, context = ''): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${context}the two runs return different containers`);
  for (const [name, ref] of Object.entries(expected)) {
    const got = actual[name];
    const refs = typeof ref === 'number' ? [ref] : Array.from(ref as ArrayLike<number | bigint>, Number);
    const gots = typeof got === 'number' ? [got] : Array.from(got as ArrayLike<number | bigint>, Number);
    assert.equal(gots.length, refs.length, `${context}${name}: ${refs.length} elements before, ${gots.length} after`);
    const { rtol, atol } = toleranceFor(ref as ArrayLike<unknown> | number, tolerance);
    for (let k = 0; k < refs.length; k++) {
      const [a, b] = [refs[k]!, gots[k]!];
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      if (a === b || Math.abs(a - b) <= atol + rtol * Math.abs(a)) continue;
      assert.fail(`${context}${name}[${k}] is ${b} after the transformation, ${a} before (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/** Apply a transformation wherever it applies, one application at a time (candidates recomputed after each); returns the count. */
export function applyEverywhere(sdfg: SDFG, t: AnyT, options: Readonly<Record<string, unknown>> = {}, limit = 100): number {
  const resolved = resolveOptions(t, options);
  let count = 0;
  for (; count < limit; count++) {
    let found: unknown;
    for (const candidate of t.candidates(sdfg, resolved)) {
      if (t.canApply(sdfg, candidate, resolved) === true) { found = candidate; break; }
    }
    if (found === undefined) break;
    t.apply(sdfg, found, resolved);
    invalidate(sdfg, t.modifies);
  }
  return count;
}

/** Candidates of `t` that apply in `sdfg`, in the order `candidates` yields them. */
export function applicableCandidates(sdfg: SDFG, t: AnyT, options: Readonly<Record<string, unknown>> = {}): unknown[] {
  const resolved = resolveOptions(t, options);
  return [...t.candidates(sdfg, resolved)].filter((c) => t.canApply(sdfg, c, resolved) === true);
}

/** Run a transform step on an SDFG in place; returns how many applications happened. */
export function runStep(sdfg: SDFG, step: TransformStep): number {
  if (typeof step === 'function') return step(sdfg);
  if ('pipeline' in step) return runPipeline(sdfg, step.pipeline, { log: () => {} }).applied.length;
  return applyEverywhere(sdfg, step.transformation, step.options, step.limit);
}

/** Run `before` and `after` on copies of the same arguments and compare every output. */
export function assertSameBehaviour(before: SDFG, after: SDFG, args: Readonly<Args>, tolerance: Tolerance = {}): void {
  const expected = runReference(before, copyArguments(args));
  let actual: Record<string, unknown>;
  try {
    actual = runReference(after, copyArguments(args));
  } catch (error) {
    throw new Error(`the transformed program fails to run: ${error instanceof Error ? error.message : String(error)}\n${printSDFG(after)}`, { cause: error });
  }
  try {
    assertSameOutputs(expected, actual, tolerance);
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- before\n${printSDFG(before)}\n--- after\n${printSDFG(after)}`, { cause: error });
  }
}

export interface DifferentialSpec<P> extends Tolerance {
  /** Parameters of one generated case (sizes, shapes, offsets, …). */
  readonly params: fc.Arbitrary<P>;
  /** A fresh program for the parameters: an SDFG or anything holding one (a Program). */
  readonly program: (params: P) => SDFG | { readonly sdfg: SDFG };
  /** Symbol values for the run (default: none; undefined values are left out). */
  readonly symbols?: (params: P) => Readonly<Record<string, number | undefined>>;
  /** Inputs for a run (default: `randomArguments` with `values`). */
  readonly inputs?: (params: P, sdfg: SDFG, random: () => number) => Args;
  readonly values?: RandomValueOptions;
  readonly transform: TransformStep;
  /** Options for a `{ transformation }` step that vary with the case (merged over the step's own). */
  readonly optionsFor?: (params: P) => Readonly<Record<string, unknown>>;
  /**
   * `'all'` (default): transform one copy with every application in turn. `'each'`: for every
   * candidate that applies in the original, a fresh copy with only that one applied (needs a transformation step).
   */
  readonly mode?: 'all' | 'each';
  /** Each case must apply at least this often (default 1), so the property cannot pass vacuously. */
  readonly minApplied?: number;
  /** Extra checks on the transformed graph (e.g. that a map is gone). */
  readonly check?: (after: SDFG, params: P) => void;
  readonly numRuns?: number;
  readonly seed?: number;
}

function sdfgOf(made: SDFG | { readonly sdfg: SDFG }): SDFG {
  return 'kind' in made && made.kind === 'SDFG' ? made : (made as { sdfg: SDFG }).sdfg;
}

function checkOne<P>(spec: DifferentialSpec<P>, params: P, original: SDFG, after: SDFG, applied: number, seed: number): void {
  const minApplied = spec.minApplied ?? 1;
  assert.ok(applied >= minApplied, `the transformation applied ${applied} times, expected at least ${minApplied}\n${printSDFG(original)}`);
  try {
    validate(after);
  } catch (error) {
    throw new Error(`the transformed graph is invalid: ${error instanceof Error ? error.message : String(error)}\n${printSDFG(after)}`, { cause: error });
  }
  spec.check?.(after, params);
  const random = seededRandom(seed);
  const symbols = Object.fromEntries(Object.entries(spec.symbols?.(params) ?? {}).filter((kv): kv is [string, number] => kv[1] !== undefined));
  const args = spec.inputs ? spec.inputs(params, original, random) : randomArguments(original, symbols, random, spec.values);
  assertSameBehaviour(original, after, args, spec);
}

function withOptions(step: TransformStep, options: Readonly<Record<string, unknown>> | undefined): TransformStep {
  if (!options || typeof step === 'function' || 'pipeline' in step) return step;
  return { ...step, options: { ...step.options, ...options } };
}

/** The property: for random parameters and inputs, the transformed program computes what the original did. */
export function checkPreservesSemantics<P>(spec: DifferentialSpec<P>): void {
  const property = fc.property(spec.params, fc.integer(), (params, seed) => {
    const original = sdfgOf(spec.program(params));
    const step = withOptions(spec.transform, spec.optionsFor?.(params));
    if ((spec.mode ?? 'all') === 'all') {
      const after = cloneSDFG(original);
      const applied = runStep(after, step);
      checkOne(spec, params, original, after, applied, seed);
      return;
    }
    if (typeof step === 'function' || 'pipeline' in step) throw new Error("mode 'each' needs a { transformation } step");
    const count = applicableCandidates(original, step.transformation, step.options).length;
    assert.ok(count >= (spec.minApplied ?? 1), `only ${count} candidates apply\n${printSDFG(original)}`);
    for (let k = 0; k < count; k++) {
      const after = cloneSDFG(original);
      const candidate = applicableCandidates(after, step.transformation, step.options)[k];
      const options = resolveOptions(step.transformation, step.options);
      step.transformation.apply(after, candidate, options);
      checkOne(spec, params, original, after, 1, seed);
    }
  });
  fc.assert(property, { numRuns: spec.numRuns ?? 12, ...(spec.seed !== undefined ? { seed: spec.seed } : {}) });
}

/** Every candidate `t` proposes, with its verdict (true or the reason it cannot apply). */
export function verdicts(sdfg: SDFG, t: AnyT, options: Readonly<Record<string, unknown>> = {}): { candidate: unknown; verdict: true | string }[] {
  const resolved = resolveOptions(t, options);
  return [...t.candidates(sdfg, resolved)].map((candidate) => ({ candidate, verdict: t.canApply(sdfg, candidate, resolved) }));
}

/** The reasons `t` gives for the candidates that do not apply (in candidate order). */
export function refusals(sdfg: SDFG, t: AnyT, options: Readonly<Record<string, unknown>> = {}): string[] {
  return verdicts(sdfg, t, options).map((v) => v.verdict).filter((v): v is string => v !== true);
}

/** Apply `t` once to the first candidate that applies, on a copy; returns the copy (throws if nothing applies). */
export function applyOnce(sdfg: SDFG, t: AnyT, options: Readonly<Record<string, unknown>> = {}): SDFG {
  const copy = cloneSDFG(sdfg);
  const applied = applyEverywhere(copy, t, options, 1);
  assert.equal(applied, 1, `${t.name} applies nowhere:\n${refusals(copy, t, options).join('\n')}`);
  validate(copy);
  return copy;
}
