// Deciding comparisons between symbolic expressions, given inclusive bounds on some symbols.
//
// Every question is reduced to the sign of a difference d. A min/max term of d splits the question
// into cases. Bounded symbols are eliminated from d one at a time, each replaced by its lower or upper
// bound according to the sign of its coefficient; what is left is a symbolic interval over unbounded
// symbols, whose sign is then read by plain interval arithmetic (a symbol without assumptions is any
// integer, never assumed positive).
import {
  type ApplyAtom, type Expr, type ExprLike, type Factor, atomExpr, floorDiv, int, max, min, sym, termExpr, toExpr, ZERO,
} from './symbolic.js';

/** Inclusive bounds of one symbol; either side may be missing. */
export interface SymbolBounds {
  readonly lo?: ExprLike;
  readonly hi?: ExprLike;
}
export type Assumptions = Readonly<Record<string, SymbolBounds>>;

type Side = 'lo' | 'hi';
const flip = (s: Side): Side => (s === 'lo' ? 'hi' : 'lo');

/** How deep sign questions about coefficients and application arguments may recurse. */
const MAX_DEPTH = 6;

// ---------------------------------------------------------------------------------------------
// Interval arithmetic over numbers, for the sign of an expression with no bounded symbols left.

type Interval = readonly [lo: number, hi: number];
const ANY: Interval = [-Infinity, Infinity];

/** Keeps only exact values: anything beyond the safe range widens to infinity. */
function widen([lo, hi]: Interval): Interval {
  return [Number.isSafeInteger(lo) ? lo : -Infinity, Number.isSafeInteger(hi) ? hi : Infinity];
}

function times(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b; // 0 * inf is 0 here: the zero is exact
}

function mulI(a: Interval, b: Interval): Interval {
  const c = [times(a[0], b[0]), times(a[0], b[1]), times(a[1], b[0]), times(a[1], b[1])];
  return widen([Math.min(...c), Math.max(...c)]);
}

function powI(x: Interval, p: number): Interval {
  let result: Interval = [1, 1];
  for (let k = 0; k < p; k++) result = mulI(result, x);
  // An even power is never negative, whatever the rounding of the product bounds did.
  return p % 2 === 0 ? [Math.max(0, result[0]), result[1]] : result;
}

function atomInterval(atom: ApplyAtom): Interval {
  const args = atom.args.map(intervalOf);
  const divisor = atom.args[1]?.constantValue();
  switch (atom.kind) {
    case 'min':
      return [Math.min(...args.map((a) => a[0])), Math.min(...args.map((a) => a[1]))];
    case 'max':
      return [Math.max(...args.map((a) => a[0])), Math.max(...args.map((a) => a[1]))];
    case 'floordiv':
      // x // c is monotone in x for c > 0 (the canonical form keeps constant divisors positive)
      return divisor !== undefined && divisor > 0
        ? [Math.floor(args[0]![0] / divisor), Math.floor(args[0]![1] / divisor)]
        : ANY;
    case 'mod':
      if (divisor === undefined) return ANY;
      return divisor > 0 ? [0, divisor - 1] : [divisor + 1, 0];
  }
}

/** A numeric interval containing every value of `e` (symbols range over all integers). */
function intervalOf(e: Expr): Interval {
  let acc: Interval = [e.constant, e.constant];
  for (const t of e.terms) {
    let product: Interval = [t.coef, t.coef];
    for (const f of t.monomial.factors) {
      product = mulI(product, powI(f.atom.kind === 'symbol' ? ANY : atomInterval(f.atom), f.power));
    }
    acc = widen([acc[0] + product[0], acc[1] + product[1]]);
  }
  return acc;
}

// ---------------------------------------------------------------------------------------------
// Symbolic bounds: eliminate bounded symbols.

/** The coefficient of each power p >= 1 of `s` in `e`; undefined when s occurs inside an application. */
function polynomialIn(e: Expr, s: string): Map<number, Expr> | undefined {
  const byPower = new Map<number, Expr>();
  for (const t of e.terms) {
    let power = 0;
    let coefficient = int(t.coef);
    for (const { atom, power: p } of t.monomial.factors) {
      if (atom.kind === 'symbol' && atom.name === s) power = p;
      else if (atom.kind !== 'symbol' && atom.args.some((a) => a.freeSymbols().has(s))) return undefined;
      else coefficient = coefficient.mul(atomExpr(atom).pow(p));
    }
    if (power > 0) byPower.set(power, (byPower.get(power) ?? ZERO).add(coefficient));
  }
  return byPower;
}

type Table = ReadonlyMap<string, { readonly lo?: Expr; readonly hi?: Expr }>;

const tables = new WeakMap<Assumptions, Table>();

/** The assumptions as Exprs; cached per assumptions object, since callers ask many questions under the same ones. */
function tableOf(assumptions: Assumptions): Table {
  let cached = tables.get(assumptions);
  if (!cached) tables.set(assumptions, (cached = buildTable(assumptions)));
  return cached;
}

function buildTable(assumptions: Assumptions): Table {
  const table = new Map<string, { lo?: Expr; hi?: Expr }>();
  for (const [name, b] of Object.entries(assumptions)) {
    table.set(name, {
      ...(b.lo === undefined ? {} : { lo: toExpr(b.lo) }),
      ...(b.hi === undefined ? {} : { hi: toExpr(b.hi) }),
    });
  }
  return table;
}

class Bounder {
  private readonly stepLimit: number;

  constructor(private readonly table: Table) {
    this.stepLimit = 2 * table.size + 8;
  }

  /**
   * A bound of `e` on `side` in which no bounded symbol is left, except those whose bound on the
   * needed side is missing (they stay, as parameters). Undefined when a bounded symbol cannot be
   * eliminated: raised to a power, inside a nonlinear application, or with a coefficient of unknown sign.
   */
  bound(e: Expr, side: Side, depth = 0): Expr | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let current = this.boundApplications(e, side, depth);
    const kept = new Set<string>();
    for (let step = 0; current && step < this.stepLimit; step++) {
      const s = this.pick(current, kept);
      if (!s) return current;
      const next = this.eliminate(current, s, side, depth);
      if (next === 'keep') kept.add(s);
      else current = next && this.boundApplications(next, side, depth);
    }
    return undefined;
  }

  /** Sign of `e` where decidable: 1 when >= 0, -1 when <= 0. */
  sign(e: Expr, depth: number): 1 | -1 | undefined {
    const c = e.constantValue();
    if (c !== undefined) return c >= 0 ? 1 : -1;
    const lo = this.bound(e, 'lo', depth);
    if (lo && intervalOf(lo)[0] >= 0) return 1;
    const hi = this.bound(e, 'hi', depth);
    if (hi && intervalOf(hi)[1] <= 0) return -1;
    return undefined;
  }

  private mentionsBounded(e: Expr): boolean {
    for (const s of e.freeSymbols()) if (this.table.has(s)) return true;
    return false;
  }

  /** A bounded symbol of `e` to eliminate next: preferably one no other candidate's bounds mention. */
  private pick(e: Expr, kept: ReadonlySet<string>): string | undefined {
    const candidates = [...e.freeSymbols()].filter((s) => this.table.has(s) && !kept.has(s));
    const mentionedByOthers = (s: string): boolean =>
      candidates.some((o) => {
        const b = this.table.get(o)!;
        return o !== s && !!(b.lo?.freeSymbols().has(s) || b.hi?.freeSymbols().has(s));
      });
    return candidates.find((s) => !mentionedByOthers(s)) ?? candidates[0];
  }

  /**
   * `Σ c_p * s**p + rest` -> the same with s replaced by its lower or upper bound. Sound when the
   * expression is monotone in s: every c_p of one sign, and s >= 0 when some power is even.
   */
  private eliminate(e: Expr, s: string, side: Side, depth: number): Expr | 'keep' | undefined {
    const polynomial = polynomialIn(e, s);
    if (!polynomial || polynomial.size === 0) return undefined;
    const signs = [...polynomial.values()].map((c) => this.sign(c, depth + 1));
    const sign = signs[0];
    if (sign === undefined || signs.some((other) => other !== sign)) return undefined;
    const evenPower = [...polynomial.keys()].some((p) => p % 2 === 0);
    if (evenPower && this.sign(sym(s), depth + 1) !== 1) return undefined;
    const replacement = this.table.get(s)![sign > 0 ? side : flip(side)];
    return replacement ? e.subs({ [s]: replacement }) : 'keep';
  }

  /** Replaces each application that mentions a bounded symbol by its bound. */
  private boundApplications(e: Expr, side: Side, depth: number): Expr | undefined {
    const involved = (t: Expr['terms'][number]): boolean =>
      t.monomial.factors.some((f) => f.atom.kind !== 'symbol' && f.atom.args.some((a) => this.mentionsBounded(a)));
    if (!e.terms.some(involved)) return e;
    let out = int(e.constant);
    for (const t of e.terms) {
      if (!involved(t)) {
        out = out.add(termExpr(t));
        continue;
      }
      const [only, ...others] = t.monomial.factors;
      if (others.length > 0 || only!.power !== 1 || only!.atom.kind === 'symbol') return undefined;
      const b = this.applicationBound(only!.atom, t.coef > 0 ? side : flip(side), depth + 1);
      if (!b) return undefined;
      out = out.add(b.mul(t.coef));
    }
    return out;
  }

  private applicationBound(atom: ApplyAtom, side: Side, depth: number): Expr | undefined {
    const argBounds = (s: Side) => atom.args.map((a) => this.bound(a, s, depth));
    const all = (bs: (Expr | undefined)[]) => (bs.every((b) => b) ? (bs as Expr[]) : undefined);
    const some = (bs: (Expr | undefined)[]) => {
      const known = bs.filter((b): b is Expr => !!b);
      return known.length ? known : undefined;
    };
    const divisor = atom.args[1]?.constantValue();
    switch (atom.kind) {
      case 'min': {
        // lo(min) = min of all lows; hi(min) <= the high of any argument
        const bs = side === 'lo' ? all(argBounds('lo')) : some(argBounds('hi'));
        return bs && min(...bs);
      }
      case 'max': {
        const bs = side === 'hi' ? all(argBounds('hi')) : some(argBounds('lo'));
        return bs && max(...bs);
      }
      case 'floordiv': {
        if (divisor === undefined || divisor <= 0) return undefined;
        const b = this.bound(atom.args[0]!, side, depth);
        return b && floorDiv(b, divisor);
      }
      case 'mod':
        if (divisor === undefined) return undefined;
        if (divisor > 0) return side === 'lo' ? ZERO : int(divisor - 1);
        return side === 'lo' ? int(divisor + 1) : ZERO;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Public questions.

/**
 * A symbolic interval of `e`: bounded symbols are replaced by their bounds according to the sign of
 * their affine coefficient, repeatedly, until none is left; min/max/floordiv/mod atoms are bounded
 * through their arguments. A side is missing when some bounded symbol could not be eliminated.
 */
export function bounds(e: ExprLike, assumptions: Assumptions = {}): { lo?: Expr; hi?: Expr } {
  const expr = toExpr(e);
  const found = remembered(knownBounds, `${assumptionsKey(assumptions)}|${expr.key}`, () => {
    const bounder = new Bounder(tableOf(assumptions));
    const lo = bounder.bound(expr, 'lo');
    const hi = bounder.bound(expr, 'hi');
    return { ...(lo ? { lo } : {}), ...(hi ? { hi } : {}) };
  });
  return { ...found };
}

/** How many min/max terms a question may be split on. */
const MAX_SPLITS = 4;

/** `rest + c*Min(a, b)` as `Min(rest + c*a, rest + c*b)` (Max when c < 0): the split of one min/max term. */
function splitMinMax(d: Expr): { op: 'min' | 'max'; cases: Expr[] } | undefined {
  for (const t of d.terms) {
    const [{ atom, power }, ...others] = t.monomial.factors as [Factor, ...Factor[]];
    if (others.length > 0 || power !== 1 || (atom.kind !== 'min' && atom.kind !== 'max')) continue;
    const rest = d.sub(termExpr(t));
    const op = atom.kind === 'min' === t.coef > 0 ? 'min' : 'max';
    return { op, cases: atom.args.map((a) => rest.add(a.mul(t.coef))) };
  }
  return undefined;
}

/**
 * The answer `compute` gives for `key`, remembered in `cache`: validation and propagation ask the same questions of
 * many memlets, each time with assumptions built afresh. Bounded: a cache is cleared when it reaches 50 000 entries.
 */
export function remembered<V>(cache: Map<string, V>, key: string, compute: () => V): V {
  if (cache.has(key)) return cache.get(key)!;
  const value = compute();
  if (cache.size >= 50_000) cache.clear();
  cache.set(key, value);
  return value;
}

/** Verdicts and bounds already reached, by assumptions and question. */
const decisions = new Map<string, boolean | undefined>();
const knownBounds = new Map<string, { lo?: Expr; hi?: Expr }>();
const assumptionKeys = new WeakMap<Assumptions, string>();

/** A canonical text of assumptions (the same bounds give the same key), cached per object. */
export function assumptionsKey(assumptions: Assumptions): string {
  let key = assumptionKeys.get(assumptions);
  if (key === undefined) {
    key = Object.entries(assumptions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, b]) => `${name}:${b.lo === undefined ? '' : toExpr(b.lo).key}:${b.hi === undefined ? '' : toExpr(b.hi).key}`).join(';');
    assumptionKeys.set(assumptions, key);
  }
  return key;
}

/** Decides `d >= 0`: true when always, false when never, undefined when it cannot tell. */
function decideNonNegative(d: Expr, assumptions: Assumptions, splits = 0): boolean | undefined {
  const c = d.constantValue();
  if (c !== undefined) return c >= 0;
  if (splits > 0) return decideUncached(d, assumptions, splits);
  return remembered(decisions, `${assumptionsKey(assumptions)}|${d.key}`, () => decideUncached(d, assumptions, splits));
}

function decideUncached(d: Expr, assumptions: Assumptions, splits: number): boolean | undefined {
  const split = splits < MAX_SPLITS ? splitMinMax(d) : undefined;
  if (split) {
    // min(x, y) >= 0 iff both are; max(x, y) >= 0 iff either is
    const verdicts = split.cases.map((x) => decideNonNegative(x, assumptions, splits + 1));
    const [all, any] = [(v: boolean) => verdicts.every((x) => x === v), (v: boolean) => verdicts.some((x) => x === v)];
    const verdict = split.op === 'min' ? (all(true) ? true : any(false) ? false : undefined) : any(true) ? true : all(false) ? false : undefined;
    if (verdict !== undefined) return verdict;
  }
  const bounder = new Bounder(tableOf(assumptions));
  const lo = bounder.bound(d, 'lo');
  if (lo && intervalOf(lo)[0] >= 0) return true;
  const hi = bounder.bound(d, 'hi');
  if (hi && intervalOf(hi)[1] < 0) return false;
  return undefined;
}

/** `a <= b`: true = provably always, false = provably never, undefined = cannot decide. */
export function proveLessEqual(a: ExprLike, b: ExprLike, assumptions: Assumptions = {}): boolean | undefined {
  return decideNonNegative(toExpr(b).sub(a), assumptions);
}

/** `a < b`, which for integers is `a + 1 <= b`. */
export function proveLess(a: ExprLike, b: ExprLike, assumptions: Assumptions = {}): boolean | undefined {
  return decideNonNegative(toExpr(b).sub(a).sub(1), assumptions);
}

/** `a == b`: true = provably always, false = provably never, undefined = cannot decide. */
export function proveEqual(a: ExprLike, b: ExprLike, assumptions: Assumptions = {}): boolean | undefined {
  const d = toExpr(b).sub(a);
  const atLeast = decideNonNegative(d, assumptions);
  const atMost = decideNonNegative(d.neg(), assumptions);
  if (atLeast === false || atMost === false) return false;
  if (atLeast === true && atMost === true) return true;
  return undefined;
}

