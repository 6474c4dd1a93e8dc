// Checking and binding the arguments of a run (typed arrays, scalars, symbols) against an SDFG; shared by every target.
import type { AnyTypedArray, DType } from '../../graph/dtypes.js';
import type { DataDesc } from '../../graph/data.js';
import { ArgumentError } from '../../graph/errors.js';
import type { ControlFlowGraph, SDFG } from '../../graph/sdfg.js';
import type { SourceLocation } from '../../graph/source-location.js';
import { type Expr, mul } from '../../graph/symbolic.js';

export type ArgValue = AnyTypedArray | number | bigint | boolean;

export interface BoundArguments {
  /** Every free symbol of the SDFG, passed or inferred; symbols the program assigns, when passed. */
  symbols: Record<string, number>;
  /** Every non-transient container: arrays and streams as given, scalars as numbers (bools as 0|1). */
  data: Record<string, AnyTypedArray | number>;
}

/** "array A: float64[N, M]", "scalar alpha: float64", "stream S: float32". */
export function describeData(name: string, desc: DataDesc): string {
  switch (desc.kind) {
    case 'Array': return `array ${name}: ${desc.dtype.name}[${desc.shape.join(', ')}]`;
    case 'View': return `view ${name}: ${desc.dtype.name}[${desc.shape.join(', ')}]`;
    case 'Scalar': return `scalar ${name}: ${desc.dtype.name}`;
    case 'Stream': {
      const single = desc.shape.length === 1 && desc.shape[0]!.equals(1);
      return `stream ${name}: ${desc.dtype.name}${single ? '' : `[${desc.shape.join(', ')}]`}`;
    }
  }
}

/** Symbols given a value inside the program (interstate assignments, loop variables): not arguments. */
function assignedSymbols(cfg: ControlFlowGraph, into: Set<string>): Set<string> {
  for (const e of cfg.edges) for (const name of Object.keys(e.assignments)) into.add(name);
  for (const block of cfg.blocks) {
    switch (block.kind) {
      case 'State': break;
      case 'LoopRegion':
        if (block.loopVariable) into.add(block.loopVariable);
        assignedSymbols(block, into);
        break;
      case 'ControlFlowRegion': assignedSymbols(block, into); break;
      case 'ConditionalBlock': for (const b of block.branches) assignedSymbols(b.body, into); break;
    }
  }
  return into;
}

/** The symbols a caller must provide (or have inferred): declared and shape symbols, less the ones the program assigns. */
export function freeSymbolsOf(sdfg: SDFG): string[] {
  const names = new Set(Object.keys(sdfg.symbols));
  for (const desc of Object.values(sdfg.arrays)) {
    if (desc.transient || desc.kind === 'Scalar') continue;
    for (const dim of desc.shape) for (const s of dim.freeSymbols()) names.add(s);
  }
  const assigned = assignedSymbols(sdfg, new Set());
  return [...names].filter((n) => !assigned.has(n) && !(n in sdfg.constants));
}

/** Declared symbols the program assigns itself: a caller may still give their starting value (a symbol read before it is assigned). */
export function optionalSymbolsOf(sdfg: SDFG): string[] {
  const assigned = assignedSymbols(sdfg, new Set());
  return Object.keys(sdfg.symbols).filter((n) => assigned.has(n) && !(n in sdfg.constants));
}

/** Non-transient containers in argument order: `argNames` first, then the rest as declared. */
export function argumentContainers(sdfg: SDFG): [string, DataDesc][] {
  const ordered = [...sdfg.argNames.filter((n) => n in sdfg.arrays), ...Object.keys(sdfg.arrays)];
  return [...new Set(ordered)].map((n) => [n, sdfg.arrays[n]!] as [string, DataDesc]).filter(([, d]) => !d.transient);
}

function isTypedArray(v: unknown): v is AnyTypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** How a received value is named in messages: the typed-array class, or its JS type. */
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (ArrayBuffer.isView(v) || Array.isArray(v)) return v.constructor.name;
  if (typeof v === 'object') return v.constructor?.name ?? 'object';
  return typeof v;
}

/** Edit distance counting a swap of neighbours as one edit (typos like `alpah`). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest known name, when close enough to be a likely typo. */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined, bestDistance = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, k);
    if (d < bestDistance) { best = k; bestDistance = d; }
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

function integerRange(t: DType): [number, number] {
  const bits = t.bytes * 8;
  if (t.kind === 'unsigned') return [0, bits >= 53 ? Number.MAX_SAFE_INTEGER : 2 ** bits - 1];
  return bits >= 53 ? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
}

/** Element count a container's buffer must have, and its text ("N*M"): the shape's product unless strides pad it. */
function lengthOf(desc: DataDesc & { kind: 'Array' | 'View' }): { expr: Expr; text: string; symbols: string[] } {
  // Symbols in the order the shape mentions them, so that messages read like the declaration: (N=3, M=4).
  const symbols = [...new Set([...desc.shape.flatMap((d) => [...d.freeSymbols()]), ...desc.totalSize.freeSymbols()])];
  const product = mul(...desc.shape);
  if (!desc.totalSize.equals(product)) return { expr: desc.totalSize, text: desc.totalSize.toString(), symbols };
  if (desc.shape.length === 0) return { expr: product, text: '1', symbols };
  const text = desc.shape.map((d) => (d.terms.length + (d.constant !== 0 ? 1 : 0) > 1 ? `(${d})` : d.toString())).join('*');
  return { expr: product, text, symbols };
}

interface SizedArray { name: string; length: number; expr: Expr; text: string; symbols: string[] }

class Binder {
  readonly symbols = new Map<string, number>();
  readonly explicit = new Set<string>();
  readonly data: Record<string, AnyTypedArray | number> = {};
  readonly containers: [string, DataDesc][];
  readonly free: string[];
  readonly optional: string[];

  constructor(readonly sdfg: SDFG, readonly args: Readonly<Record<string, unknown>>, readonly loc: SourceLocation | undefined) {
    this.containers = argumentContainers(sdfg);
    this.free = freeSymbolsOf(sdfg);
    this.optional = optionalSymbolsOf(sdfg);
  }

  fail(code: string, message: string, hint?: string): never {
    throw new ArgumentError({ code, message, ...(hint ? { hint } : {}), ...(this.loc ? { loc: this.loc } : {}) });
  }

  checkNames(): void {
    const known = [...this.containers.map(([n]) => n), ...this.free, ...this.optional];
    for (const name of Object.keys(this.args)) {
      if (known.includes(name)) continue;
      const close = closestName(name, known);
      const transient = this.sdfg.arrays[name]?.transient;
      const hint = close ? `did you mean '${close}'?`
        : transient ? `${name} is transient: the program allocates it itself`
        : `the program takes ${known.length ? known.join(', ') : 'no arguments'}`;
      this.fail('unknown-argument', `unknown argument '${name}'`, hint);
    }
  }

  bindContainer(name: string, desc: DataDesc): void {
    if (!Object.prototype.hasOwnProperty.call(this.args, name) || this.args[name] === undefined) {
      this.fail('missing-argument', `missing argument for ${describeData(name, desc)}`);
    }
    const value = this.args[name];
    if (desc.kind === 'Scalar') {
      this.data[name] = this.scalarValue(name, desc, value);
      return;
    }
    if (!isTypedArray(value)) {
      const hint = Array.isArray(value) ? `wrap it: new ${desc.dtype.array.name}([...])` : `pass a ${desc.dtype.array.name}`;
      this.fail('wrong-kind', `${name} must be a typed array (${describeData(name, desc)}), got ${describeValue(value)}`, hint);
    }
    if (!(value instanceof desc.dtype.array) || value.constructor !== desc.dtype.array) {
      this.fail('wrong-dtype', `${name} expects ${desc.dtype.array.name} (${desc.dtype.name}), got ${describeValue(value)}`);
    }
    this.data[name] = value;
  }

  scalarValue(name: string, desc: DataDesc, value: unknown): number {
    const t = desc.dtype;
    const noun = t.kind === 'bool' ? 'a boolean' : t.kind === 'float' ? 'a number' : 'an integer';
    if (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'boolean') {
      this.fail('wrong-kind', `${name} must be ${noun} (${describeData(name, desc)}), got ${describeValue(value)}`,
        isTypedArray(value) ? 'scalars are passed as plain values, not arrays' : undefined);
    }
    switch (t.kind) {
      case 'bool':
        if (typeof value === 'boolean') return value ? 1 : 0;
        if (value === 0 || value === 1 || value === 0n || value === 1n) return Number(value);
        return this.fail('wrong-dtype', `${name} expects a boolean (bool), got ${String(value)}`);
      case 'float':
        if (typeof value !== 'number') return this.fail('wrong-dtype', `${name} expects a number (${t.name}), got ${describeValue(value)}`);
        return value;
      case 'signed': case 'unsigned': {
        const [lo, hi] = integerRange(t);
        const n = typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : NaN;
        if (!Number.isInteger(n) || n < lo || n > hi) {
          this.fail('wrong-dtype', `${name} expects an integer (${t.name}: ${lo} to ${hi}), got ${String(value)}`);
        }
        return n;
      }
    }
  }

  bindExplicitSymbols(): void {
    for (const name of [...this.free, ...this.optional]) {
      if (!Object.prototype.hasOwnProperty.call(this.args, name) || this.args[name] === undefined) continue;
      const value = this.args[name];
      const what = `symbol ${name}: ${(this.sdfg.symbols[name] ?? { name: 'int64' }).name}`;
      if (typeof value !== 'number' && typeof value !== 'bigint') {
        if (typeof value === 'boolean') this.fail('bad-symbol', `symbol ${name} must be an integer, got ${value}`);
        this.fail('wrong-kind', `${name} must be an integer (${what}), got ${describeValue(value)}`);
      }
      const n = Number(value);
      if (!Number.isSafeInteger(n)) this.fail('bad-symbol', `symbol ${name} must be an integer, got ${String(value)}`);
      const sized = this.sizedBy(name);
      if (n < 0 && sized) {
        this.fail('bad-symbol', `symbol ${name} must not be negative (it sizes ${describeData(sized, this.sdfg.arrays[sized]!)}), got ${n}`);
      }
      this.symbols.set(name, n);
      this.explicit.add(name);
    }
  }

  /** A container whose shape mentions the symbol, if any. */
  sizedBy(symbol: string): string | undefined {
    for (const [name, desc] of Object.entries(this.sdfg.arrays)) {
      if (desc.kind !== 'Scalar' && desc.shape.some((d) => d.freeSymbols().has(symbol))) return name;
    }
    return undefined;
  }

  /** Arrays whose length is checked and can determine symbols. */
  sizedArrays(): SizedArray[] {
    const out: SizedArray[] = [];
    for (const [name, desc] of this.containers) {
      if (desc.kind !== 'Array' && desc.kind !== 'View') continue;
      out.push({ name, length: (this.data[name] as AnyTypedArray).length, ...lengthOf(desc) });
    }
    return out;
  }

  /** Solve `expr(x) = length` for the one unknown x of an affine expression; undefined when no valid x exists. */
  solve(expr: Expr, unknown: string, length: number): number | undefined {
    const coefficient = expr.linearCoefficient(unknown);
    const a = coefficient?.constantValue();
    if (coefficient === undefined) return this.solveMonotone(expr, unknown, length);
    if (a === undefined || a === 0) return undefined;
    const b = expr.subs({ [unknown]: 0 }).constantValue();
    if (b === undefined || (length - b) % a !== 0) return undefined;
    const x = (length - b) / a;
    return x >= 0 && Number.isSafeInteger(x) ? x + 0 : undefined;
  }

  /**
   * Lengths such as N*N or N*(N + 1) are not affine but grow with N: find the N that gives the length by
   * bisection over 0..length, accepting it only when it reproduces the length exactly.
   */
  solveMonotone(expr: Expr, unknown: string, length: number): number | undefined {
    const f = (x: number): number => expr.evaluate({ [unknown]: x });
    let lo = 0, hi = Math.max(1, length);
    if (f(hi) < length) return undefined;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (f(mid) < length) lo = mid + 1; else hi = mid;
    }
    return f(lo) === length && (lo === 0 || f(lo - 1) < length) ? lo : undefined;
  }

  inferSymbols(): void {
    // Simplest lengths first (fewest symbols), one solution at a time: `x: [M]` fixes M before `A: [N, M]` is used,
    // so an explicit but wrong N is reported against A instead of producing a wrong M.
    const arrays = this.sizedArrays();
    const bySimplicity = [...arrays].sort((a, b) => a.expr.freeSymbols().size - b.expr.freeSymbols().size);
    for (let progress = true; progress;) {
      progress = false;
      for (const a of bySimplicity) {
        const rest = a.expr.subs(this.symbols);
        const unknowns = [...rest.freeSymbols()];
        if (unknowns.length !== 1) continue;
        const x = this.solve(rest, unknowns[0]!, a.length);
        if (x === undefined) continue;
        this.symbols.set(unknowns[0]!, x);
        progress = true;
        break;
      }
    }
    for (const name of this.free) {
      if (!this.symbols.has(name)) this.cannotInfer(name, arrays);
    }
  }

  cannotInfer(name: string, arrays: SizedArray[]): never {
    const users = arrays.filter((a) => a.expr.freeSymbols().has(name));
    const hint = `pass ${name} explicitly`;
    if (users.length === 0) this.fail('cannot-infer-symbol', `cannot infer symbol ${name}: no array argument's length uses it`, hint);
    for (const a of users) {
      const rest = a.expr.subs(this.symbols);
      if (rest.freeSymbols().size !== 1) continue;
      if (rest.linearCoefficient(name)?.isZero()) {
        this.fail('cannot-infer-symbol', `cannot infer symbol ${name}: the length of ${a.name}, ${a.text}, is not linear in it`, hint);
      }
      // Affine in the one unknown, yet no non-negative integer fits: the array has the wrong length.
      this.fail('wrong-length', `${a.name} has ${a.length} elements, expected ${a.text}, which no non-negative integer ${name} gives${this.bindingsText(a, name)}`);
    }
    this.fail('cannot-infer-symbol', `cannot infer symbol ${name}: every array whose length uses it has another unknown symbol`, hint);
  }

  /** " (N=3, M=4)" for the symbols of an expression that have values. */
  bindingsText(a: SizedArray, except?: string): string {
    const bound = a.symbols.filter((s) => s !== except && this.symbols.has(s));
    return bound.length ? ` (${bound.map((s) => `${s}=${this.symbols.get(s)}`).join(', ')})` : '';
  }

  checkLengths(): void {
    for (const a of this.sizedArrays()) {
      const expected = a.expr.evaluate(this.symbols);
      if (expected === a.length) continue;
      const shown = a.expr.isConstant() ? `${expected}` : `${a.text} = ${expected}${this.bindingsText(a)}`;
      const detail = `${a.name} has ${a.length} elements, expected ${shown}`;
      const passed = a.symbols.filter((s) => this.explicit.has(s));
      if (passed.length === 0) this.fail('wrong-length', detail);
      const which = passed.map((s) => `${s}=${this.symbols.get(s)}`).join(', ');
      this.fail('symbol-mismatch', `symbol${passed.length > 1 ? 's' : ''} ${which} contradict${passed.length > 1 ? '' : 's'} the length of ${a.name}: ${detail}`,
        `leave ${passed.join(', ')} out to infer ${passed.length > 1 ? 'them' : 'it'} from the arrays, or pass ${a.name} with ${expected} elements`);
    }
  }
}

/** Check every argument against the SDFG's non-transient containers and free symbols; infer missing symbols. */
export function bindArguments(sdfg: SDFG, args: Readonly<Record<string, ArgValue>>, options: { loc?: SourceLocation } = {}): BoundArguments {
  const binder = new Binder(sdfg, args, options.loc);
  binder.checkNames();
  for (const [name, desc] of binder.containers) binder.bindContainer(name, desc);
  binder.bindExplicitSymbols();
  binder.inferSymbols();
  binder.checkLengths();
  const symbols: Record<string, number> = {};
  for (const name of binder.free) symbols[name] = binder.symbols.get(name)!;
  for (const name of binder.optional) if (binder.symbols.has(name)) symbols[name] = binder.symbols.get(name)!;
  return { symbols, data: binder.data };
}
