// Tasklet-language code in WGSL: the shared C-like printer with a WGSL dialect, plus the two places WGSL's grammar
// departs from C's — it has no `?:` (we print `select`), and it wants parentheses C's precedence does not (operands
// of bitwise operators and shifts, `&&` mixed with `||`, comparisons of comparisons).
//
// Both are handled by rewriting the AST before printing: such a subexpression is replaced by a placeholder name that
// the name resolver prints as `(…)` or `select(…)`. Placeholders carry their original node's type, so the typing of
// the untouched program serves the rewritten one.
import { bool, type DType } from '../../graph/dtypes.js';
import type { GraphPath } from '../../graph/errors.js';
import type { BinaryOp, TExpr, TStmt } from '../../graph/tasklet-ast.js';
import type { TaskletTyping } from '../../graph/tasklet-types.js';
import { CLikePrinter, type CLikeDialect, type ExprTyping, type NameResolver } from '../common/c-like.js';
import { deviceType, f64Error, type WgslPrecision } from './precision.js';

/** Converts a value's type to its WGSL type (f64 → f32 under demotion; implicit i64 → i32). */
export type Demote = (t: DType) => DType;

export function demoter(precision: WgslPrecision, what: () => string, path?: GraphPath): Demote {
  return (t) => deviceType(t, precision, () => { throw f64Error(what(), path); });
}

/** A WGSL literal of type `t` (already a WGSL type). */
export function wgslNumber(value: number, t: DType): string {
  switch (t.name) {
    case 'bool': return value !== 0 ? 'true' : 'false';
    case 'float32': case 'float16': {
      const suffix = t.name === 'float32' ? 'f' : 'h';
      const rounded = Math.fround(value);
      // WGSL has no literal for infinities and NaN, and rejects them in constant expressions: a function makes them.
      if (Number.isNaN(rounded)) return 'sdfg_f32_bits(0x7fc00000u)';
      if (!Number.isFinite(rounded)) return `sdfg_f32_bits(${rounded > 0 ? '0x7f800000u' : '0xff800000u'})`;
      let text = Object.is(value, -0) ? '-0.0' : String(value);
      if (!/[.eE]/.test(text)) text += '.0';
      return text + suffix;
    }
    case 'uint32': return `${Number(BigInt.asUintN(32, BigInt(Math.trunc(value))))}u`;
    default: {
      const n = Number(BigInt.asIntN(32, BigInt(Math.trunc(value))));
      // 2147483648 alone is no i32: the most negative one goes through a conversion.
      return n === -(2 ** 31) ? 'i32(-2147483648)' : String(n);
    }
  }
}

/** WGSL's spelling of types, literals, conversions, locals and loops. */
export function wgslDialect(demote: Demote): CLikeDialect {
  const name = (t: DType): string => demote(t).wgsl ?? 'f32';
  return {
    target: 'wgsl',
    typeName: name,
    number: (value, t) => wgslNumber(value, demote(t)),
    boolean: (v) => (v ? 'true' : 'false'),
    cast: (text, to) => `${name(to)}(${text})`,
    declare: (local, t, value) => `var ${local}: ${name(t)} = ${value};`,
    forHeader: (v, t, begin, end, step, sign) => {
      const test = sign > 0 ? `${v} < ${end}` : sign < 0 ? `${v} > ${end}` : `select(${v} > ${end}, ${v} < ${end}, ${step} > 0)`;
      return `for (var ${v}: ${name(t)} = ${begin}; ${test}; ${v} += ${step}) {`;
    },
    semicolon: ';',
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rewriting for WGSL's grammar.

const bitwise = new Set<BinaryOp>(['&', '|', '^']);
const shifts = new Set<BinaryOp>(['<<', '>>']);
const logical = new Set<BinaryOp>(['&&', '||']);
const comparisons = new Set<BinaryOp>(['==', '!=', '<', '<=', '>', '>=']);

/** Whether WGSL needs parentheses around `child` as an operand of `parent` where C's precedence adds none. */
function needsParentheses(parent: BinaryOp, child: TExpr, side: 'lhs' | 'rhs'): boolean {
  if (child.k !== 'binary') return false;
  // The shift count is spelled inside u32(…) already.
  if (shifts.has(parent)) return side === 'lhs';
  if (bitwise.has(parent)) return child.op !== parent;
  if (logical.has(parent)) return logical.has(child.op) && child.op !== parent;
  if (comparisons.has(parent)) return comparisons.has(child.op) || bitwise.has(child.op) || logical.has(child.op);
  return false;
}

type Placeholder = { readonly kind: 'parens'; readonly expr: TExpr } | { readonly kind: 'select'; readonly expr: TExpr & { k: 'ternary' } };

const PLACEHOLDER = '\u0001wgsl';

class GrammarRewriter {
  /** Rewritten node → the node it stands for in the typed original. */
  readonly origin = new Map<object, object>();
  readonly placeholders = new Map<string, Placeholder>();

  private copy<T extends object>(original: T, rewritten: T): T {
    this.origin.set(rewritten, this.origin.get(original) ?? original);
    return rewritten;
  }

  private placeholder(kind: Placeholder['kind'], expr: TExpr, original: TExpr): TExpr {
    const node: TExpr = { k: 'name', name: `${PLACEHOLDER}${this.placeholders.size}` };
    this.placeholders.set(node.name, { kind, expr } as Placeholder);
    this.origin.set(node, original);
    return node;
  }

  expr(e: TExpr): TExpr {
    switch (e.k) {
      case 'num': case 'bool': case 'name': return e;
      case 'index': return this.copy(e, { ...e, indices: e.indices.map((i) => this.expr(i)) });
      case 'unary': return this.copy(e, { ...e, arg: this.expr(e.arg) });
      case 'cast': return this.copy(e, { ...e, arg: this.expr(e.arg) });
      case 'call': return this.copy(e, { ...e, args: e.args.map((a) => this.expr(a)) });
      case 'binary': {
        const operand = (child: TExpr, side: 'lhs' | 'rhs'): TExpr => {
          const printed = this.expr(child);
          return needsParentheses(e.op, child, side) ? this.placeholder('parens', printed, child) : printed;
        };
        return this.copy(e, { ...e, lhs: operand(e.lhs, 'lhs'), rhs: operand(e.rhs, 'rhs') });
      }
      case 'ternary': {
        const parts = this.copy(e, { ...e, cond: this.expr(e.cond), then: this.expr(e.then), else: this.expr(e.else) });
        return this.placeholder('select', parts, e);
      }
    }
  }

  statements(body: readonly TStmt[]): TStmt[] {
    return body.map((s): TStmt => {
      switch (s.k) {
        case 'assign': return this.copy(s, { ...s, target: this.expr(s.target) as typeof s.target, value: this.expr(s.value) });
        case 'let': return this.copy(s, { ...s, value: this.expr(s.value) });
        case 'if': return this.copy(s, { ...s, cond: this.expr(s.cond), then: this.statements(s.then), else: this.statements(s.else) });
        case 'for': return this.copy(s, { ...s, begin: this.expr(s.begin), end: this.expr(s.end), step: this.expr(s.step), body: this.statements(s.body) });
      }
    });
  }
}

/** Prints tasklet-language code as WGSL. */
export class WgslCodePrinter {
  readonly typing: ExprTyping & { assignOperandType(s: TStmt & { k: 'assign' }): DType };
  private readonly printer: CLikePrinter;
  private readonly rewriter = new GrammarRewriter();

  constructor(typing: TaskletTyping, demote: Demote, names: NameResolver) {
    const origin = this.rewriter.origin;
    const original = <T extends object>(x: T): T => (origin.get(x) ?? x) as T;
    this.typing = {
      typeOf: (e) => demote(typing.typeOf(original(e))),
      operandTypeOf: (e) => demote(typing.operandTypeOf(original(e))),
      localType: (n) => { const t = typing.localType(n); return t && demote(t); },
      assignOperandType: (s) => demote(typing.assignOperandType(original(s))),
    };
    const placeholders = this.rewriter.placeholders;
    const resolver: NameResolver = {
      ...names,
      read: (name) => {
        const p = placeholders.get(name);
        if (!p) return names.read(name);
        if (p.kind === 'parens') return `(${this.printer.expr(p.expr)})`;
        const t = this.typing.typeOf(p.expr);
        return `select(${this.printer.exprAs(p.expr.else, t)}, ${this.printer.exprAs(p.expr.then, t)}, ${this.printer.exprAs(p.expr.cond, bool)})`;
      },
    };
    this.printer = new CLikePrinter(wgslDialect(demote), this.typing, resolver);
  }

  statements(body: readonly TStmt[], indent = ''): string[] {
    return this.printer.statements(this.rewriter.statements(body), indent);
  }

  /** An expression converted to `t`. */
  exprAs(e: TExpr, t: DType): string {
    return this.printer.exprAs(this.rewriter.expr(e), t);
  }
}

