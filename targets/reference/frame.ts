// One running SDFG: its symbol values and containers (transients allocated on demand), and the helpers that evaluate
// symbolic expressions and subsets in them.
import { freeSymbolsOf } from '../common/arguments.js';
import { type DataDesc, dataShape } from '../../graph/data.js';
import { type GraphPath, SdfgError, TargetError } from '../../graph/errors.js';
import type { SDFG } from '../../graph/sdfg.js';
import type { Subset } from '../../graph/subsets.js';
import type { Expr } from '../../graph/symbolic.js';
import type { TaskletTyping } from '../../graph/tasklet-types.js';
import { type Container, type Span, allocate } from './buffers.js';

/** Caches shared by every frame of one run (the graph does not change while it runs). */
export interface Run {
  /** Typings per SDFG, keyed by the Tasklet node or the TExpr object (and a variant, e.g. a wcr's dtype). */
  readonly typings: WeakMap<SDFG, WeakMap<object, Map<string, TaskletTyping>>>;
  /** Per-state schedules (scope children, setzero plan), keyed by the State object. */
  readonly plans: WeakMap<object, unknown>;
}

export function newRun(): Run {
  return { typings: new WeakMap(), plans: new WeakMap() };
}

export interface Frame {
  readonly run: Run;
  readonly sdfg: SDFG;
  /** "outer" or "outer/inner": the SDFG part of error paths. */
  readonly name: string;
  /** Symbol values; map parameters live in child maps made by `withSymbols`. */
  readonly symbols: Map<string, number>;
  readonly containers: Map<string, Container>;
}

/**
 * A typing computed once per run: types depend on the SDFG's declarations, so the cache is per SDFG (graphs may
 * share immutable expression objects), and per `variant` where the same code is typed in several ways.
 */
export function cachedTyping(frame: Frame, key: object, variant: string, make: () => TaskletTyping): TaskletTyping {
  let perSdfg = frame.run.typings.get(frame.sdfg);
  if (!perSdfg) frame.run.typings.set(frame.sdfg, (perSdfg = new WeakMap()));
  let variants = perSdfg.get(key);
  if (!variants) perSdfg.set(key, (variants = new Map()));
  let typing = variants.get(variant);
  if (!typing) variants.set(variant, (typing = make()));
  return typing;
}

/** Evaluate an integer expression, turning a missing symbol into a TargetError that says where. */
export function evalExpr(e: Expr, symbols: ReadonlyMap<string, number>, path: GraphPath | undefined, what: string): number {
  try {
    return e.evaluate(symbols);
  } catch (error) {
    if (!(error instanceof SdfgError)) throw error;
    throw new TargetError({
      code: 'undefined-symbol', message: `cannot evaluate ${what} (${e.toString()}): ${error.summary}`,
      ...(path ? { path } : {}), cause: error,
    });
  }
}

/** A subset's ranges as concrete spans (a negative size counts as empty). */
export function evalSubset(s: Subset, symbols: ReadonlyMap<string, number>, path: GraphPath | undefined, what: string): Span[] {
  return s.ranges.map((r) => {
    const begin = evalExpr(r.begin, symbols, path, `the begin of ${what}`);
    const end = evalExpr(r.end, symbols, path, `the end of ${what}`);
    const step = evalExpr(r.step, symbols, path, `the step of ${what}`);
    const size = step > 0 ? Math.ceil((end - begin) / step) : Math.ceil((begin - end) / -step);
    return { begin, size: Math.max(size, 0), step };
  });
}

/** The evaluated shape of a container. */
export function shapeOf(frame: Frame, name: string, symbols: ReadonlyMap<string, number>, path?: GraphPath): number[] {
  const desc = frame.sdfg.arrays[name]!;
  return dataShape(desc).map((d) => evalExpr(d, symbols, path, `the shape of ${name}`));
}

function canEvaluate(e: Expr, symbols: ReadonlyMap<string, number>): boolean {
  return [...e.freeSymbols()].every((s) => symbols.has(s));
}

/** The descriptor of a container the graph names, or an 'unknown-data' error. */
export function descOf(frame: Frame, name: string, path: GraphPath | undefined): DataDesc {
  const desc = frame.sdfg.arrays[name];
  if (desc) return desc;
  throw new TargetError({ code: 'unknown-data', message: `no container named ${name} in SDFG ${frame.sdfg.name}`, ...(path ? { path } : {}) });
}

/** Index offsets (DaCe's `offset`, e.g. 1-based arrays) are not interpreted yet: refuse them rather than disagree with native targets. */
export function refuseIndexOffsets(frame: Frame, name: string, path?: GraphPath): void {
  const desc = frame.sdfg.arrays[name]!;
  if ((desc.kind === 'Array' || desc.kind === 'View') && desc.offset.some((o) => !o.equals(0))) {
    throw new TargetError({
      code: 'unsupported-offset', ...(path ? { path } : {}),
      message: `${name} has index offsets [${desc.offset.join(', ')}], which the reference interpreter does not support yet`,
      hint: 'rewrite the accesses to 0-based indices (offsets 0)',
    });
  }
}

/** Allocate one transient now, with the current symbol values. */
export function allocateTransient(frame: Frame, name: string, symbols: ReadonlyMap<string, number>, path?: GraphPath): Container {
  const desc = frame.sdfg.arrays[name]!;
  const shape = shapeOf(frame, name, symbols, path);
  let container: Container;
  if (desc.kind === 'Array' || desc.kind === 'View') {
    refuseIndexOffsets(frame, name, path);
    const strides = desc.strides.map((s) => evalExpr(s, symbols, path, `the strides of ${name}`));
    const total = evalExpr(desc.totalSize, symbols, path, `the total size of ${name}`);
    container = allocate(name, desc, shape, { strides, total, startOffset: desc.startOffset });
  } else {
    container = allocate(name, desc, shape);
  }
  frame.containers.set(name, container);
  return container;
}

/** Transients whose shapes are known at the start are allocated (zeroed) then; the others at first use. */
export function allocateTransients(frame: Frame): void {
  for (const [name, desc] of Object.entries(frame.sdfg.arrays)) {
    if (!desc.transient || desc.kind === 'View' || frame.containers.has(name)) continue;
    const sized = [...dataShape(desc), ...(desc.kind === 'Array' ? [...desc.strides, desc.totalSize] : [])];
    if (sized.every((e) => canEvaluate(e, frame.symbols))) allocateTransient(frame, name, frame.symbols);
  }
}

const variablySizedBySdfg = new WeakMap<SDFG, Set<string>>();

/** Transients whose size mentions symbols that change while the program runs (loop variables, assignments, map parameters). */
function variablySized(sdfg: SDFG): Set<string> {
  let set = variablySizedBySdfg.get(sdfg);
  if (set) return set;
  const fixed = new Set([...freeSymbolsOf(sdfg), ...Object.keys(sdfg.constants)]);
  set = new Set(Object.entries(sdfg.arrays)
    .filter(([, d]) => d.transient && d.kind === 'Array' && [...dataShape(d), ...d.strides, d.totalSize].some((e) => [...e.freeSymbols()].some((x) => !fixed.has(x))))
    .map(([n]) => n));
  variablySizedBySdfg.set(sdfg, set);
  return set;
}

/** The container behind a name, allocating a late-sized transient on first use and again whenever its size changes. */
export function containerOf(frame: Frame, name: string, symbols: ReadonlyMap<string, number>, path: GraphPath | undefined): Container {
  const found = frame.containers.get(name);
  if (found) {
    if (found.kind !== 'array' || !variablySized(frame.sdfg).has(name)) return found;
    const shape = shapeOf(frame, name, symbols, path);
    if (shape.length === found.shape.length && shape.every((size, d) => size === found.shape[d])) return found;
    return allocateTransient(frame, name, symbols, path);
  }
  const desc = descOf(frame, name, path);
  if (!desc.transient) {
    throw new TargetError({ code: 'unbound-data', message: `non-transient ${name} of SDFG ${frame.sdfg.name} is not bound to any data`, ...(path ? { path } : {}), hint: 'connect it to the nested SDFG node with a memlet on the connector of the same name' });
  }
  if (desc.kind === 'View') {
    throw new TargetError({ code: 'unbound-view', message: `view ${name} is used before an access node binds it to its source`, ...(path ? { path } : {}) });
  }
  return allocateTransient(frame, name, symbols, path);
}

/** A child symbol environment (map parameters, consume PE index) on top of the frame's. */
export function withSymbols(parent: ReadonlyMap<string, number>, extra: Readonly<Record<string, number>>): Map<string, number> {
  const child = new Map(parent);
  for (const [k, v] of Object.entries(extra)) child.set(k, v);
  return child;
}
