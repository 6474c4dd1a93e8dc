// Symbolic integer expressions in a canonical sum-of-monomials form, shared immutably between graphs.
//
// An `Expr` is `c0 + Σ ci * monomial_i`: integer coefficients, each monomial a product of atoms with
// positive exponents. Atoms are symbols or opaque applications (floordiv, mod, min, max) whose arguments
// are canonical Exprs. Everything is built through the functions below, which fold as they go, so two
// Exprs are equal exactly when their keys (their printed form) are equal.
// Atoms, monomials and printing live in `symbolic-terms.ts`; comparisons under assumptions in
// `symbolic-compare.ts` (import them from there); parsing in `symbolic-parse.ts`.
import { SymbolicError } from './errors.js';
import {
  type ApplyAtom, type ApplyOp, type Atom, type Factor, type Monomial, type Term,
  APPLY, applyAtom, byKey, checked, divisionByZero, gcd, makeMonomial, multiplyMonomials, pyFloorDiv, pyMod,
  renderC, renderText, symbolAtom, termOrder,
} from './symbolic-terms.js';

export type { ApplyAtom, ApplyOp, Atom, Factor, Monomial, SymbolAtom, Term } from './symbolic-terms.js';
export { pyFloorDiv, pyMod } from './symbolic-terms.js';
export type ExprLike = Expr | number;

// ---------------------------------------------------------------------------------------------
// Building canonical sums.

/** Accumulates `c0 + Σ ci * mi`, merging equal monomials and dropping zero coefficients. */
class SumBuilder {
  private constant = 0;
  private readonly terms = new Map<string, Term>();

  addConstant(c: number): this {
    this.constant = checked(this.constant + c);
    return this;
  }

  addTerm(coef: number, monomial: Monomial): this {
    if (coef === 0) return this;
    const old = this.terms.get(monomial.key);
    const sum = old ? checked(old.coef + coef) : coef;
    if (sum === 0) this.terms.delete(monomial.key);
    else this.terms.set(monomial.key, { coef: sum, monomial });
    return this;
  }

  addScaled(e: Expr, scale: number): this {
    this.addConstant(checked(e.constant * scale));
    for (const t of e.terms) this.addTerm(checked(t.coef * scale), t.monomial);
    return this;
  }

  build(): Expr {
    return new Expr(CANONICAL, this.constant, [...this.terms.values()].sort(termOrder));
  }
}

const CANONICAL: unique symbol = Symbol('canonical');

// ---------------------------------------------------------------------------------------------
// The expression class.

/** Symbol values for `subs`. */
export type Bindings = Readonly<Record<string, ExprLike>> | ReadonlyMap<string, ExprLike>;
/** Symbol values for `evaluate`. */
export type Environment = Readonly<Record<string, number>> | ReadonlyMap<string, number>;

function lookupIn<T>(env: Readonly<Record<string, T>> | ReadonlyMap<string, T>): (name: string) => T | undefined {
  if (env instanceof Map) return (name) => env.get(name);
  const record = env as Readonly<Record<string, T>>;
  return (name) => (Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined);
}

export class Expr {
  /** Canonical structural key, also the printed form: `a.equals(b)` iff `a.key === b.key`. */
  readonly key: string;
  private symbolsCache: readonly string[] | undefined;

  /** Internal: build Exprs with `sym`, `int`, `add`, `mul`, ... — the arguments must already be canonical. */
  constructor(
    token: typeof CANONICAL,
    /** The constant term c0. */
    readonly constant: number,
    /** The non-constant terms in canonical order. */
    readonly terms: readonly Term[],
  ) {
    if (token !== CANONICAL) throw new TypeError('Expr is built with sym(), int(), add(), mul(), ...');
    this.constant = constant === 0 ? 0 : constant;
    this.key = renderText(this);
  }

  isConstant(): boolean {
    return this.terms.length === 0;
  }
  constantValue(): number | undefined {
    return this.isConstant() ? this.constant : undefined;
  }
  isZero(): boolean {
    return this.isConstant() && this.constant === 0;
  }
  isSymbol(): boolean {
    return asAtom(this)?.kind === 'symbol';
  }
  symbolName(): string | undefined {
    const atom = asAtom(this);
    return atom?.kind === 'symbol' ? atom.name : undefined;
  }

  /** The names of all symbols, including those inside applications. */
  freeSymbols(): Set<string> {
    if (!this.symbolsCache) {
      const names = new Set<string>();
      for (const t of this.terms) {
        for (const { atom } of t.monomial.factors) {
          if (atom.kind === 'symbol') names.add(atom.name);
          else for (const arg of atom.args) for (const n of arg.freeSymbols()) names.add(n);
        }
      }
      this.symbolsCache = [...names].sort();
    }
    return new Set(this.symbolsCache);
  }

  equals(other: ExprLike): boolean {
    return this.key === toExpr(other).key;
  }

  add(o: ExprLike): Expr {
    return new SumBuilder().addScaled(this, 1).addScaled(toExpr(o), 1).build();
  }
  sub(o: ExprLike): Expr {
    return new SumBuilder().addScaled(this, 1).addScaled(toExpr(o), -1).build();
  }
  neg(): Expr {
    return new SumBuilder().addScaled(this, -1).build();
  }
  mul(o: ExprLike): Expr {
    const other = toExpr(o);
    if (other.isConstant()) return new SumBuilder().addScaled(this, other.constant).build();
    if (this.isConstant()) return new SumBuilder().addScaled(other, this.constant).build();
    const out = new SumBuilder().addConstant(checked(this.constant * other.constant));
    for (const t of this.terms) out.addTerm(checked(t.coef * other.constant), t.monomial);
    for (const u of other.terms) out.addTerm(checked(u.coef * this.constant), u.monomial);
    for (const t of this.terms) {
      for (const u of other.terms) out.addTerm(checked(t.coef * u.coef), multiplyMonomials(t.monomial, u.monomial));
    }
    return out.build();
  }
  /** `this ** n` for a non-negative integer n. */
  pow(n: number): Expr {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new SymbolicError({ code: 'bad-exponent', message: `exponent ${n} is not a non-negative integer` });
    }
    let result: Expr = ONE;
    let base: Expr = this;
    for (let k = n; k > 0; k = Math.floor(k / 2)) {
      if (k % 2 === 1) result = result.mul(base);
      if (k > 1) base = base.mul(base);
    }
    return result;
  }
  floorDiv(o: ExprLike): Expr {
    return floorDiv(this, o);
  }
  mod(o: ExprLike): Expr {
    return mod(this, o);
  }

  /** Simultaneous substitution, re-canonicalized: `(i + 2*j).subs({i: j, j: i})` is `2*i + j`. */
  subs(bindings: Bindings): Expr {
    const lookup = lookupIn(bindings);
    const names = [...this.freeSymbols()];
    if (!names.some((n) => lookup(n) !== undefined)) return this;
    const substituteAtom = (atom: Atom): Expr => {
      if (atom.kind !== 'symbol') return apply(atom.kind, atom.args.map((a) => a.subs(bindings)));
      const bound = lookup(atom.name);
      return bound === undefined ? atomExpr(atom) : toExpr(bound);
    };
    const out = new SumBuilder().addConstant(this.constant);
    for (const t of this.terms) {
      const product = t.monomial.factors.reduce((p, f) => p.mul(substituteAtom(f.atom).pow(f.power)), int(t.coef));
      out.addScaled(product, 1);
    }
    return out.build();
  }

  /** The value under `env`; every free symbol must be bound to an integer. */
  evaluate(env: Environment): number {
    return evaluateWith(this, lookupIn(env));
  }

  /** DaCe/sympy text: "N - 1", "2*M*N + i", "Min(N, i + 1)", "int_floor(N, 2)", "Mod(i, 2)". */
  toString(): string {
    return this.key;
  }
  toJSON(): string {
    return this.key;
  }
  /** Shown by console.log and in assertion diffs. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Expr(${this.key})`;
  }
  /**
   * C text, safe as the operand of any operator: "(N - 1)", "i", "min(a, b)", "sdfg_floordiv(N, 2)".
   * Floor division and modulo always go through the targets' Python-semantics helpers.
   */
  toC(): string {
    return renderC(this, true);
  }

  /**
   * The coefficient of `symbol` when the expression is affine in it (`a*symbol + b`, neither a nor b
   * mentioning it); undefined when the symbol is raised to a power or occurs inside an application.
   */
  linearCoefficient(symbol: string): Expr | undefined {
    const coefficient = new SumBuilder();
    for (const t of this.terms) {
      const own = t.monomial.factors.find((f) => f.atom.kind === 'symbol' && f.atom.name === symbol);
      const inside = t.monomial.factors.some((f) => f.atom.kind !== 'symbol' && atomMentions(f.atom, symbol));
      if (inside || (own && own.power > 1)) return undefined;
      if (!own) continue;
      const rest = t.monomial.factors.filter((f) => f !== own);
      if (rest.length === 0) coefficient.addConstant(t.coef);
      else coefficient.addTerm(t.coef, makeMonomial(rest));
    }
    return coefficient.build();
  }
}

function atomMentions(atom: ApplyAtom, symbol: string): boolean {
  return atom.args.some((a) => a.freeSymbols().has(symbol));
}

function evaluateWith(e: Expr, lookup: (name: string) => number | undefined): number {
  const atomValue = (atom: Atom): number => {
    if (atom.kind !== 'symbol') return APPLY[atom.kind].evaluate(atom.args.map((a) => evaluateWith(a, lookup)));
    const value = lookup(atom.name);
    if (value === undefined) {
      throw new SymbolicError({
        code: 'undefined-symbol',
        message: `symbol '${atom.name}' has no value`,
        hint: `bind '${atom.name}' when evaluating ${e.key}`,
      });
    }
    if (!Number.isSafeInteger(value)) {
      throw new SymbolicError({ code: 'non-integer', message: `symbol '${atom.name}' is bound to ${value}, not an integer` });
    }
    return value;
  };
  let total = e.constant;
  for (const t of e.terms) {
    let product = t.coef;
    for (const f of t.monomial.factors) {
      const v = atomValue(f.atom);
      for (let k = 0; k < f.power; k++) product = checked(product * v, `evaluating ${e.key}`);
    }
    total = checked(total + product, `evaluating ${e.key}`);
  }
  return total;
}

/** The atom when `e` is exactly one atom (coefficient 1, power 1, no constant). */
export function asAtom(e: Expr): Atom | undefined {
  if (e.constant !== 0 || e.terms.length !== 1) return undefined;
  const [t] = e.terms;
  if (t!.coef !== 1 || t!.monomial.factors.length !== 1 || t!.monomial.factors[0]!.power !== 1) return undefined;
  return t!.monomial.factors[0]!.atom;
}

/** The Expr of one atom taken from a canonical Expr. */
export function atomExpr(atom: Atom): Expr {
  return new Expr(CANONICAL, 0, [{ coef: 1, monomial: makeMonomial([{ atom, power: 1 }]) }]);
}

/** The Expr of one term taken from a canonical Expr. */
export function termExpr(term: Term): Expr {
  return new Expr(CANONICAL, 0, [term]);
}

// ---------------------------------------------------------------------------------------------
// Constructors.

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function sym(name: string): Expr {
  if (!IDENTIFIER.test(name)) {
    throw new SymbolicError({
      code: 'bad-symbol-name',
      message: `'${name}' is not a valid symbol name`,
      hint: 'symbol names are identifiers: a letter or _ followed by letters, digits or _',
    });
  }
  return atomExpr(symbolAtom(name));
}

export function int(n: number): Expr {
  if (!Number.isInteger(n)) {
    throw new SymbolicError({
      code: 'non-integer',
      message: `${n} is not an integer`,
      hint: 'symbolic expressions are integer-valued; use // for floor division',
    });
  }
  return new Expr(CANONICAL, checked(n, `the constant ${n}`), []);
}

export const ZERO: Expr = int(0);
export const ONE: Expr = int(1);

export function toExpr(x: ExprLike): Expr {
  return x instanceof Expr ? x : int(x);
}

export function add(...xs: ExprLike[]): Expr {
  const out = new SumBuilder();
  for (const x of xs) out.addScaled(toExpr(x), 1);
  return out.build();
}

export function sub(a: ExprLike, b: ExprLike): Expr {
  return toExpr(a).sub(b);
}

export function mul(...xs: ExprLike[]): Expr {
  return xs.reduce<Expr>((p, x) => p.mul(x), ONE);
}

/** Ceiling division, `-((-a) // b)`. */
export function ceilDiv(a: ExprLike, b: ExprLike): Expr {
  return floorDiv(toExpr(a).neg(), b).neg();
}

/** Builds an application through its folding rules. */
export function apply(op: ApplyOp, args: readonly ExprLike[]): Expr {
  switch (op) {
    case 'floordiv':
    case 'mod':
      if (args.length !== 2) {
        throw new SymbolicError({ code: 'arity', message: `${APPLY[op].text} takes 2 arguments, got ${args.length}` });
      }
      return op === 'floordiv' ? floorDiv(args[0]!, args[1]!) : mod(args[0]!, args[1]!);
    case 'min':
      return min(...args);
    case 'max':
      return max(...args);
  }
}

// ---------------------------------------------------------------------------------------------
// Folding rules for floor division and modulo. Each rule returns the folded Expr or undefined;
// the first that applies wins, otherwise the application stays opaque.

type Fold = (a: Expr, b: Expr) => Expr | undefined;

/** k when `a == k*b` for an integer k (b non-zero and non-constant). */
function multipleOf(a: Expr, b: Expr): number | undefined {
  const lead = b.terms[0];
  if (!lead) return undefined;
  const match = a.terms.find((t) => t.monomial.key === lead.monomial.key);
  if (!match || match.coef % lead.coef !== 0) return undefined;
  const k = match.coef / lead.coef;
  return a.equals(b.mul(k)) ? k : undefined;
}

/** Splits `a` for a positive constant divisor c: `a = c*quotient + rest`, rest keeping only the
 *  terms whose coefficients c does not divide and a constant in [0, c). */
function splitByDivisor(a: Expr, c: number): { quotient: Expr; rest: Expr } {
  const quotient = new SumBuilder().addConstant(pyFloorDiv(a.constant, c));
  const rest = new SumBuilder().addConstant(pyMod(a.constant, c));
  for (const t of a.terms) {
    if (t.coef % c === 0) quotient.addTerm(t.coef / c, t.monomial);
    else rest.addTerm(t.coef, t.monomial);
  }
  return { quotient: quotient.build(), rest: rest.build() };
}

/** The gcd of c and the rest's term coefficients, and the rest's terms divided by it. */
function commonFactor(rest: Expr, c: number): { g: number; reduced: SumBuilder } {
  const g = rest.terms.reduce((acc, t) => gcd(acc, t.coef), c);
  const reduced = new SumBuilder();
  for (const t of rest.terms) reduced.addTerm(t.coef / g, t.monomial);
  return { g, reduced };
}

const leadingNegative = (e: Expr): boolean => (e.terms[0]?.coef ?? e.constant) < 0;

const FLOOR_DIV_RULES: readonly Fold[] = [
  // x // 0 -> error
  (a, b) => {
    if (b.isZero()) throw divisionByZero(`int_floor(${a.key}, 0)`);
    return undefined;
  },
  // c1 // c2 -> Python floor division
  (a, b) => (a.isConstant() && b.isConstant() ? int(pyFloorDiv(a.constant, b.constant)) : undefined),
  // x // 1 -> x
  (a, b) => (b.equals(ONE) ? a : undefined),
  // x // -y -> (-x) // y   (divisor led by a positive coefficient)
  (a, b) => (leadingNegative(b) ? floorDiv(a.neg(), b.neg()) : undefined),
  // 0 // x -> 0
  (a) => (a.isZero() ? ZERO : undefined),
  // (k*x) // x -> k
  (a, b) => {
    const k = multipleOf(a, b);
    return k === undefined ? undefined : int(k);
  },
  // (c*q + r) // c -> q + r // c;   (g*y + r0) // (g*k) -> (y + r0 // g) // k
  (a, b) => {
    const c = b.constantValue();
    if (c === undefined) return undefined;
    const { quotient, rest } = splitByDivisor(a, c);
    if (rest.isConstant()) return quotient; // 0 <= rest < c
    const { g, reduced } = commonFactor(rest, c);
    const dividend = reduced.addConstant(pyFloorDiv(rest.constant, g)).build();
    return quotient.add(atomExpr(applyAtom('floordiv', [dividend, int(c / g)])));
  },
];

const MOD_RULES: readonly Fold[] = [
  // x % 0 -> error
  (a, b) => {
    if (b.isZero()) throw divisionByZero(`Mod(${a.key}, 0)`);
    return undefined;
  },
  // c1 % c2 -> Python modulo
  (a, b) => (a.isConstant() && b.isConstant() ? int(pyMod(a.constant, b.constant)) : undefined),
  // x % 1 -> 0
  (_a, b) => (b.equals(ONE) ? ZERO : undefined),
  // x % -y -> -((-x) % y)
  (a, b) => (leadingNegative(b) ? mod(a.neg(), b.neg()).neg() : undefined),
  // 0 % x -> 0
  (a) => (a.isZero() ? ZERO : undefined),
  // (k*x) % x -> 0
  (a, b) => (multipleOf(a, b) === undefined ? undefined : ZERO),
  // (c*q + r) % c -> r % c;   (g*y + r0) % (g*k) -> g*((y + r0 // g) % k) + r0 % g
  (a, b) => {
    const c = b.constantValue();
    if (c === undefined) return undefined;
    const { rest } = splitByDivisor(a, c);
    if (rest.isConstant()) return rest;
    const { g, reduced } = commonFactor(rest, c);
    const dividend = reduced.addConstant(pyFloorDiv(rest.constant, g)).build();
    return atomExpr(applyAtom('mod', [dividend, int(c / g)])).mul(g).add(pyMod(rest.constant, g));
  },
];

function fold(rules: readonly Fold[], op: ApplyOp, a: Expr, b: Expr): Expr {
  for (const rule of rules) {
    const folded = rule(a, b);
    if (folded) return folded;
  }
  return atomExpr(applyAtom(op, [a, b]));
}

/** Python floor division `a // b` (printed `int_floor(a, b)`). */
export function floorDiv(a: ExprLike, b: ExprLike): Expr {
  return fold(FLOOR_DIV_RULES, 'floordiv', toExpr(a), toExpr(b));
}

/** Python modulo `a % b`, with the sign of the divisor (printed `Mod(a, b)`). */
export function mod(a: ExprLike, b: ExprLike): Expr {
  return fold(MOD_RULES, 'mod', toExpr(a), toExpr(b));
}

// ---------------------------------------------------------------------------------------------
// Min and max: flatten, drop arguments another one dominates by a constant, sort.

function minMax(op: 'min' | 'max', xs: readonly ExprLike[]): Expr {
  if (xs.length === 0) {
    throw new SymbolicError({ code: 'arity', message: `${APPLY[op].text} needs at least one argument` });
  }
  // min(min(a, b), c) -> min(a, b, c)
  const args = xs.flatMap((x) => {
    const e = toExpr(x);
    const atom = asAtom(e);
    return atom?.kind === op ? atom.args : [e];
  });
  // min(a, a + k) -> a for k >= 0 (so also min(a, a) -> a and min(c1, c2) -> the smaller)
  const dominates = (winner: Expr, loser: Expr): boolean => {
    const gap = loser.sub(winner).constantValue();
    return gap !== undefined && (op === 'min' ? gap >= 0 : gap <= 0);
  };
  let kept: Expr[] = [];
  for (const e of args) {
    if (kept.some((k) => dominates(k, e))) continue;
    kept = kept.filter((k) => !dominates(e, k));
    kept.push(e);
  }
  if (kept.length === 1) return kept[0]!;
  return atomExpr(applyAtom(op, kept.sort(byKey)));
}

export function min(...xs: ExprLike[]): Expr {
  return minMax('min', xs);
}

export function max(...xs: ExprLike[]): Expr {
  return minMax('max', xs);
}
