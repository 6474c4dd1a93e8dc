// The pieces of canonical symbolic expressions: atoms, monomials and terms, Python integer arithmetic,
// and how each application is evaluated and spelled (DaCe text and C), side by side.
import { SymbolicError } from './errors.js';
import type { Expr } from './symbolic.js';

/** The structure printers need: `constant + Σ terms` (an Expr is one). */
export interface Sum {
  readonly constant: number;
  readonly terms: readonly Term[];
}

export type ApplyOp = 'floordiv' | 'mod' | 'min' | 'max';

export interface SymbolAtom {
  readonly kind: 'symbol';
  readonly name: string;
  readonly key: string;
}
export interface ApplyAtom {
  readonly kind: ApplyOp;
  readonly args: readonly Expr[];
  readonly key: string;
}
export type Atom = SymbolAtom | ApplyAtom;
/** `atom ** power`, power >= 1. */
export interface Factor {
  readonly atom: Atom;
  readonly power: number;
}
/** A non-empty product of factors ordered by atom key; `key` is its printed form ("M*N**2"). */
export interface Monomial {
  readonly factors: readonly Factor[];
  readonly key: string;
  readonly degree: number;
}
/** `coef * monomial` with a non-zero coefficient. */
export interface Term {
  readonly coef: number;
  readonly monomial: Monomial;
}

// ---------------------------------------------------------------------------------------------
// Integer arithmetic with Python semantics, checked against the safe-integer range.

export function overflow(what: string): SymbolicError {
  return new SymbolicError({
    code: 'integer-overflow',
    message: `${what} leaves the exact integer range (±${Number.MAX_SAFE_INTEGER})`,
  });
}

export function checked(n: number, what = 'integer arithmetic'): number {
  if (!Number.isSafeInteger(n)) throw overflow(what);
  return n === 0 ? 0 : n; // never -0
}

export function divisionByZero(what: string): SymbolicError {
  return new SymbolicError({ code: 'division-by-zero', message: `division by zero in ${what}` });
}

/** Python `a // b`: the quotient rounded toward negative infinity. */
export function pyFloorDiv(a: number, b: number): number {
  if (b === 0) throw divisionByZero(`${a} // 0`);
  let q = Math.floor(a / b);
  // The float quotient can be off by one for large operands; the remainder tells.
  const r = a - q * b;
  if (b > 0 ? r < 0 : r > 0) q -= 1;
  else if (b > 0 ? r >= b : r <= b) q += 1;
  return q === 0 ? 0 : q;
}

/** Python `a % b`: the remainder has the sign of the divisor. */
export function pyMod(a: number, b: number): number {
  if (b === 0) throw divisionByZero(`${a} % 0`);
  const r = a - pyFloorDiv(a, b) * b;
  return r === 0 ? 0 : r;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

// ---------------------------------------------------------------------------------------------
// How each application is evaluated and spelled, side by side so they cannot drift.

interface ApplySpelling {
  /** DaCe/sympy name used by toString (and accepted by the parser). */
  readonly text: string;
  readonly c: (args: readonly string[]) => string;
  readonly evaluate: (args: readonly number[]) => number;
}

function nestC(fn: string, args: readonly string[]): string {
  return args.reduceRight((inner, arg) => `${fn}(${arg}, ${inner})`);
}

export const APPLY: Record<ApplyOp, ApplySpelling> = {
  floordiv: { text: 'int_floor', c: ([a, b]) => `sdfg_floordiv(${a}, ${b})`, evaluate: ([a, b]) => pyFloorDiv(a!, b!) },
  mod: { text: 'Mod', c: ([a, b]) => `sdfg_mod(${a}, ${b})`, evaluate: ([a, b]) => pyMod(a!, b!) },
  min: { text: 'Min', c: (args) => nestC('min', args), evaluate: (args) => Math.min(...args) },
  max: { text: 'Max', c: (args) => nestC('max', args), evaluate: (args) => Math.max(...args) },
};

// ---------------------------------------------------------------------------------------------
// Canonical structure: atoms, monomials, and the sum builder.

export function symbolAtom(name: string): SymbolAtom {
  return { kind: 'symbol', name, key: name };
}

export function applyAtom(kind: ApplyOp, args: readonly Expr[]): ApplyAtom {
  return { kind, args, key: `${APPLY[kind].text}(${args.map((a) => a.key).join(', ')})` };
}

export function byKey<T extends { readonly key: string }>(a: T, b: T): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export function makeMonomial(factors: readonly Factor[]): Monomial {
  const key = factors.map((f) => (f.power === 1 ? f.atom.key : `${f.atom.key}**${f.power}`)).join('*');
  const degree = factors.reduce((d, f) => d + f.power, 0);
  return { factors, key, degree };
}

/** The product of two monomials: merge the sorted factor lists, adding powers of equal atoms. */
export function multiplyMonomials(a: Monomial, b: Monomial): Monomial {
  const out: Factor[] = [];
  let i = 0;
  let j = 0;
  while (i < a.factors.length || j < b.factors.length) {
    const fa = a.factors[i];
    const fb = b.factors[j];
    const order = !fa ? 1 : !fb ? -1 : byKey(fa.atom, fb.atom);
    if (order < 0) (out.push(fa!), i++);
    else if (order > 0) (out.push(fb!), j++);
    else (out.push({ atom: fa!.atom, power: fa!.power + fb!.power }), i++, j++);
  }
  return makeMonomial(out);
}

/** Higher degree first, then by key; the constant is kept apart and printed last. */
export function termOrder(a: Term, b: Term): number {
  return b.monomial.degree - a.monomial.degree || byKey(a.monomial, b.monomial);
}

// ---------------------------------------------------------------------------------------------
// Printing: DaCe/sympy text (also the key) and C.

interface Signed {
  readonly negative: boolean;
  readonly body: string;
}

/** Joins signed parts with " + " / " - ", leading with a positive part when there is one ("1 - i"). */
function joinSigned(parts: Signed[]): string {
  const lead = parts.findIndex((p) => !p.negative);
  if (lead > 0) parts.unshift(...parts.splice(lead, 1));
  return parts
    .map((p, k) => (k === 0 ? (p.negative ? `-${p.body}` : p.body) : `${p.negative ? ' - ' : ' + '}${p.body}`))
    .join('');
}

function signedParts(e: Sum, monomialText: (m: Monomial) => string): Signed[] {
  const parts: Signed[] = e.terms.map((t) => {
    const abs = Math.abs(t.coef);
    const mono = monomialText(t.monomial);
    return { negative: t.coef < 0, body: abs === 1 ? mono : `${abs}*${mono}` };
  });
  if (e.constant !== 0 || parts.length === 0) parts.push({ negative: e.constant < 0, body: String(Math.abs(e.constant)) });
  return parts;
}

/** DaCe/sympy text; also the canonical key. */
export function renderText(e: Sum): string {
  return joinSigned(signedParts(e, (m) => m.key));
}

function atomC(atom: Atom): string {
  return atom.kind === 'symbol' ? atom.name : APPLY[atom.kind].c(atom.args.map((a) => renderC(a, false)));
}

function monomialC(m: Monomial): string {
  return m.factors.flatMap((f) => Array.from({ length: f.power }, () => atomC(f.atom))).join('*');
}

/** C text; with `primary`, safe as the operand of any C operator. */
export function renderC(e: Sum, primary: boolean): string {
  const [only, ...others] = e.terms;
  const single = only && others.length === 0 && e.constant === 0 && only.coef === 1 ? only.monomial.factors : [];
  if (single.length === 1 && single[0]!.power === 1) return atomC(single[0]!.atom);
  if (e.terms.length === 0 && e.constant >= 0) return String(e.constant);
  const body = joinSigned(signedParts(e, monomialC));
  return primary ? `(${body})` : body;
}
