// The transformation framework: what a transformation is, the registry of them by name, and typed options.
import type { SDFG } from '../graph/sdfg.js';
import { TransformationError } from '../graph/errors.js';

/** The parts of a graph a transformation may change; analyses that depend on them are recomputed. */
export type GraphAspect = 'nodes' | 'edges' | 'memlets' | 'descriptors' | 'symbols' | 'control-flow' | 'schedules';
export const allAspects: readonly GraphAspect[] = ['nodes', 'edges', 'memlets', 'descriptors', 'symbols', 'control-flow', 'schedules'];

/**
 * A semantics-preserving rewrite. `candidates` finds where it might apply, `canApply` says whether it
 * does (true) or why not (a reason), `apply` performs it. One transformation per file, registered by name.
 */
export interface Transformation<Candidate = unknown, Options extends object = Record<string, never>> {
  readonly name: string;
  /** One line: what it does. */
  readonly summary: string;
  readonly modifies: readonly GraphAspect[];
  /** Default options; user options are checked against these (same keys, same types). */
  readonly defaults: Options;
  candidates(sdfg: SDFG, options: Options): Iterable<Candidate>;
  canApply(sdfg: SDFG, candidate: Candidate, options: Options): true | string;
  apply(sdfg: SDFG, candidate: Candidate, options: Options): void;
  /** A short description of a candidate for reports ("map_0 -> map_1 in state s3"). */
  describe(candidate: Candidate): string;
}

// Transformations are stored type-erased; each is only ever called with its own candidates and options.
type AnyTransformation = Transformation<unknown, object>;
const registry = new Map<string, AnyTransformation>();

export function defineTransformation<C, O extends object>(t: Transformation<C, O>): Transformation<C, O> {
  if (registry.has(t.name)) throw new TransformationError({ code: 'duplicate-transformation', message: `transformation ${t.name} is registered twice` });
  registry.set(t.name, t as unknown as AnyTransformation);
  return t;
}

export function transformationNames(): string[] {
  return [...registry.keys()].sort();
}

export function getTransformation(name: string): AnyTransformation {
  const t = registry.get(name);
  if (!t) {
    const close = transformationNames().filter((n) => n.toLowerCase().includes(name.toLowerCase().slice(0, 4)));
    throw new TransformationError({
      code: 'unknown-transformation', message: `there is no transformation named ${JSON.stringify(name)}`,
      hint: close.length ? `did you mean ${close.join(', ')}?` : `known: ${transformationNames().join(', ')}`,
    });
  }
  return t;
}

/** Merge user options over a transformation's defaults, rejecting unknown keys and wrong types. */
export function resolveOptions(t: AnyTransformation, given: Readonly<Record<string, unknown>> = {}): object {
  const defaults = t.defaults as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    if (!(key in defaults)) {
      throw new TransformationError({
        code: 'unknown-option', message: `${t.name} has no option ${JSON.stringify(key)}`,
        hint: Object.keys(defaults).length ? `its options: ${Object.keys(defaults).join(', ')}` : `${t.name} takes no options`,
      });
    }
    const expected = defaults[key];
    const sameType = Array.isArray(expected) ? Array.isArray(value) : typeof value === typeof expected || expected === null || expected === undefined;
    if (!sameType) {
      throw new TransformationError({
        code: 'bad-option', message: `option ${key} of ${t.name} must be ${Array.isArray(expected) ? 'an array' : typeof expected}, got ${JSON.stringify(value)}`,
        hint: `the default is ${JSON.stringify(expected)}`,
      });
    }
  }
  return { ...defaults, ...given };
}

/** Apply one transformation to one candidate after checking it applies (else a TransformationError with the reason). */
export function applyTransformation<C, O extends object>(sdfg: SDFG, t: Transformation<C, O>, candidate: C, options?: Partial<O>): void {
  const resolved = resolveOptions(t as unknown as AnyTransformation, options as Record<string, unknown>) as O;
  const verdict = t.canApply(sdfg, candidate, resolved);
  if (verdict !== true) {
    throw new TransformationError({ code: 'cannot-apply', message: `${t.name} cannot apply to ${t.describe(candidate)}: ${verdict}` });
  }
  t.apply(sdfg, candidate, resolved);
}
