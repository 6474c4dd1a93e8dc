// Prints tasklet-language ASTs in C-like languages (C++, CUDA, HLS C++, WGSL): one printer, per-language overrides.
//
// Operators and math functions are spelled by graph/tasklet-ops.ts; this file only decides where parentheses
// and conversions go, how literals, casts, locals and loops look, and asks the caller how names resolve.
import type { DType } from '../../graph/dtypes.js';
import { i64, isFloat } from '../../graph/dtypes.js';
import { assertNever, TargetError } from '../../graph/errors.js';
import type { AssignOp, TExpr, TStmt } from '../../graph/tasklet-ast.js';
import { binaryOps, castValue, mathFunction, unaryOps, type Spelling, type SpellingTarget } from '../../graph/tasklet-ops.js';
import { precedence } from '../../graph/tasklet-print.js';

/** What the printer needs from tasklet type inference (graph/tasklet-types.ts). */
export interface ExprTyping {
  /** The type of an expression's value. */
  typeOf(e: TExpr): DType;
  /** The type an operator or function computes in (its operands are converted to it). */
  operandTypeOf(e: TExpr): DType;
  /** The type of a `let` local (loop variables are i64 and may be unknown here). */
  localType(name: string): DType | undefined;
  /** For `out += v`: the type `out + v` is computed in. */
  assignOperandType?(s: TStmt & { k: 'assign' }): DType;
}

/** How the caller's names appear in the printed code. */
export interface NameResolver {
  /** A name read: a connector, symbol, map parameter or local. */
  read(name: string): string;
  /** An element of an array-valued connector, `a[i, j]`, from the printed indices. */
  element(name: string, indices: readonly string[]): string;
  /** An assignment's target name (defaults to `read`). */
  write?(name: string): string;
  /**
   * Statements for `name[indices] op= value` when the caller must do more than assign (a write that combines
   * under a write-conflict resolution); undefined to print a plain assignment.
   */
  assignElement?(name: string, indices: readonly string[], op: AssignOp, value: string): string[] | undefined;
}

/** The per-language parts of the printer. */
export interface CLikeDialect {
  readonly target: SpellingTarget;
  typeName(t: DType): string;
  /** A number of type `t` (finite or not). */
  number(value: number, t: DType): string;
  boolean(value: boolean): string;
  /** Convert printed `text` (of any precedence: wrap it if needed) to `t`. Returns a primary expression. */
  cast(text: string, to: DType, from: DType): string;
  /** A local declaration statement. */
  declare(name: string, t: DType, value: string): string;
  /** The header of a counted loop, up to and including the opening brace. */
  forHeader(variable: string, t: DType, begin: string, end: string, step: string, stepSign: 1 | -1 | 0): string;
  /** Statement terminator (";" in C, ";" in WGSL). */
  readonly semicolon: string;
}

/** A printed expression with the binding strength of its outermost form. */
interface Printed {
  readonly text: string;
  readonly prec: number;
}

const PRIMARY = precedence.postfix;
const LOWEST = 0;

/** C++ spellings of types, literals, casts, locals and loops. */
export const cppDialect: CLikeDialect = {
  target: 'c',
  typeName: (t) => t.c,
  number: (value, t) => cNumber(value, t),
  boolean: (v) => (v ? 'true' : 'false'),
  cast: (text, to) => `static_cast<${to.c}>(${text})`,
  declare: (name, t, value) => `${t.c} ${name} = ${value};`,
  forHeader: (v, t, begin, end, step, sign) => {
    const test = sign > 0 ? `${v} < ${end}` : sign < 0 ? `${v} > ${end}` : `(${step} > 0 ? ${v} < ${end} : ${v} > ${end})`;
    const inc = step === '1' ? `++${v}` : `${v} += ${step}`;
    return `for (${t.c} ${v} = ${begin}; ${test}; ${inc}) {`;
  },
  semicolon: ';',
};

/** A C/C++ literal of type `t`: suffixes keep its type; non-finite floats use numeric_limits. */
export function cNumber(value: number, t: DType): string {
  if (t.kind === 'bool') return value !== 0 ? 'true' : 'false';
  if (isFloat(t)) {
    if (Number.isNaN(value)) return `std::numeric_limits<${t.c}>::quiet_NaN()`;
    if (!Number.isFinite(value)) return `${value < 0 ? '-' : ''}std::numeric_limits<${t.c}>::infinity()`;
    let text = Object.is(value, -0) ? '-0.0' : String(value);
    if (!/[.eE]/.test(text)) text += '.0';
    if (t.name === 'float32') return `${text}f`;
    if (t.name === 'float16') return `static_cast<_Float16>(${text}f)`;
    return text;
  }
  const text = Number.isInteger(value) ? BigInt(value).toString() : String(Math.trunc(value));
  if (t.kind === 'unsigned') return t.bytes === 8 ? `${text}ull` : t.bytes === 4 ? `${text}u` : text;
  if (t.bytes === 8 && Math.abs(value) > 2 ** 31 - 1) return `${text}ll`;
  // The most negative int32 has no literal: spell it as an expression.
  if (value === -(2 ** 31)) return '(-2147483647 - 1)';
  return text;
}

/** Where a spelled operation puts each operand: inside a call's parentheses, or next to an operator. */
type OperandSlot = 'call' | 'other';

const slotCache = new Map<string, { slots: OperandSlot[]; infix: boolean }>();

/**
 * Probe a spelling with placeholder operands to learn, per operand, whether it sits as a call argument
 * (no parentheses needed) and whether the whole is the plain infix form `a op b`.
 */
function probe(key: string, spell: Spelling, arity: number, t: DType, op?: string): { slots: OperandSlot[]; infix: boolean } {
  const cacheKey = `${key}\0${t.name}`;
  let found = slotCache.get(cacheKey);
  if (found) return found;
  const marks = Array.from({ length: arity }, (_, k) => `\u0001${k}\u0002`);
  const text = spell(marks, t);
  const slots = marks.map((m): OperandSlot => {
    const at = text.indexOf(m);
    if (at < 0 || text.indexOf(m, at + 1) >= 0) return 'other';
    const before = text.slice(0, at), after = text.slice(at + m.length);
    const opens = /(\(|, )$/.test(before) && !/\)\($/.test(before);
    // `(T)(` is a cast around the operand, not a call: only a name before '(' makes a call.
    const callBefore = /[A-Za-z0-9_>:]\($/.test(before) || before.endsWith(', ');
    return opens && callBefore && /^(\)|,)/.test(after) ? 'call' : 'other';
  });
  const infix = op !== undefined && text === `${marks[0]} ${op} ${marks[1]}`;
  found = { slots, infix };
  slotCache.set(cacheKey, found);
  return found;
}

/** The binding strength of a spelled result: primary when fully enclosed by a call or parentheses. */
function spelledPrecedence(text: string, infixPrec: number | undefined): number {
  if (infixPrec !== undefined) return infixPrec;
  if (enclosedByParens(text) || /^[A-Za-z_][\w:<>, ]*\(/.test(text) && closesAtEnd(text, text.indexOf('('))) return PRIMARY;
  if (/^\([A-Za-z_][\w: ]*\)/.test(text)) return precedence.unary;
  return LOWEST;
}

function closesAtEnd(text: string, open: number): boolean {
  let depth = 0;
  for (let k = open; k < text.length; k++) {
    if (text[k] === '(') depth++;
    else if (text[k] === ')' && --depth === 0) return k === text.length - 1;
  }
  return false;
}

function enclosedByParens(text: string): boolean {
  return text.startsWith('(') && closesAtEnd(text, 0);
}

const wrap = (p: Printed, min: number): string => (p.prec < min ? `(${p.text})` : p.text);

/** Prints expressions and statements of one tasklet for one dialect. */
export class CLikePrinter {
  constructor(
    readonly dialect: CLikeDialect,
    readonly typing: ExprTyping,
    readonly names: NameResolver,
  ) {}

  /** An expression as text, safe as a full expression (not necessarily as an operand). */
  expr(e: TExpr): string {
    return this.print(e).text;
  }

  /** An expression converted to `t` when its own type differs. */
  exprAs(e: TExpr, t: DType): string {
    return this.convert(e, t).text;
  }

  private convert(e: TExpr, t: DType): Printed {
    if (e.k === 'num') return { text: this.dialect.number(e.value, t), prec: e.value < 0 ? precedence.unary : PRIMARY };
    const printed = this.print(e);
    const own = this.typing.typeOf(e);
    if (own === t || own.name === t.name) return printed;
    return { text: this.dialect.cast(printed.text, t, own), prec: PRIMARY };
  }

  private print(e: TExpr): Printed {
    switch (e.k) {
      case 'num': {
        const t = this.typing.typeOf(e);
        return { text: this.dialect.number(e.value, t), prec: e.value < 0 || Object.is(e.value, -0) ? precedence.unary : PRIMARY };
      }
      case 'bool': return { text: this.dialect.boolean(e.value), prec: PRIMARY };
      case 'name': return { text: this.names.read(e.name), prec: PRIMARY };
      case 'index': return { text: this.names.element(e.name, e.indices.map((i) => this.expr(i))), prec: PRIMARY };
      case 'unary': {
        const t = this.typing.operandTypeOf(e);
        const def = unaryOps[e.op];
        const arg = this.convert(e.arg, t);
        const { slots } = probe(`${this.dialect.target}:u${e.op}`, def[this.dialect.target], 1, t);
        // `- -a` must not print as `--a`: a signed operand of a sign gets parentheses.
        const needsParens = slots[0] === 'other' && (arg.prec < precedence.unary || /^[-+]/.test(arg.text));
        const text = def[this.dialect.target]([needsParens ? `(${arg.text})` : arg.text], t);
        return { text, prec: spelledPrecedence(text, text.startsWith(e.op) || text === arg.text ? precedence.unary : undefined) };
      }
      case 'binary': {
        const t = this.typing.operandTypeOf(e);
        const def = binaryOps[e.op];
        const spell = def[this.dialect.target];
        const { slots, infix } = probe(`${this.dialect.target}:b${e.op}`, spell, 2, t, e.op);
        const p = precedence[e.op];
        const lhs = this.convert(e.lhs, t), rhs = this.convert(e.rhs, t);
        // Operands outside call parentheses sit next to the operator itself (possibly inside a narrowing cast).
        const args = [
          slots[0] === 'call' ? lhs.text : wrap(lhs, p),
          slots[1] === 'call' ? rhs.text : wrap(rhs, p + 1),
        ];
        const text = spell(args, t);
        return { text, prec: spelledPrecedence(text, infix ? p : undefined) };
      }
      case 'ternary': {
        const t = this.typing.typeOf(e);
        const cond = this.print(e.cond);
        const then = this.convert(e.then, t), otherwise = this.convert(e.else, t);
        return { text: `${wrap(cond, precedence.ternary + 1)} ? ${then.text} : ${wrap(otherwise, precedence.ternary)}`, prec: precedence.ternary };
      }
      case 'call': {
        const def = mathFunction(e.fn);
        const t = this.typing.operandTypeOf(e);
        const spell = def[this.dialect.target];
        const { slots } = probe(`${this.dialect.target}:f${e.fn}`, spell, def.arity, t);
        const args = e.args.map((a, k) => {
          const printed = this.convert(a, t);
          return slots[k] === 'call' ? printed.text : wrap(printed, PRIMARY);
        });
        const text = spell(args, t);
        return { text, prec: spelledPrecedence(text, undefined) };
      }
      case 'cast': {
        // A literal is simply spelled in the target type: f32(2.5) is 2.5f.
        if (e.arg.k === 'num' && (isFloat(e.dtype) || (Number.isInteger(e.arg.value) && castValue(e.arg.value, e.dtype) === e.arg.value))) {
          return this.convert(e.arg, e.dtype);
        }
        const from = this.typing.typeOf(e.arg);
        const arg = this.print(e.arg);
        if (from.name === e.dtype.name) return arg;
        return { text: this.dialect.cast(arg.text, e.dtype, from), prec: PRIMARY };
      }
      default: return assertNever(e, 'tasklet expression');
    }
  }

  /** Statements as lines, each prefixed by `indent` (blocks indent by two more spaces). */
  statements(body: readonly TStmt[], indent: string): string[] {
    return body.flatMap((s) => this.statement(s, indent));
  }

  private statement(s: TStmt, indent: string): string[] {
    const semi = this.dialect.semicolon;
    switch (s.k) {
      case 'assign': {
        if (s.target.k === 'index' && this.names.assignElement) {
          const indices = s.target.indices.map((i) => this.expr(i));
          const lines = this.names.assignElement(s.target.name, indices, s.op, this.exprAs(s.value, this.typing.typeOf(s.target)));
          if (lines) return lines.map((l) => indent + l);
        }
        const target = s.target.k === 'name'
          ? (this.names.write ?? this.names.read)(s.target.name)
          : this.names.element(s.target.name, s.target.indices.map((i) => this.expr(i)));
        const targetType = this.typing.typeOf(s.target);
        return [indent + this.assignment(target, targetType, s) + semi];
      }
      case 'let': {
        const t = this.typing.localType(s.name) ?? this.typing.typeOf(s.value);
        return [indent + this.dialect.declare(this.names.write?.(s.name) ?? this.names.read(s.name), t, this.exprAs(s.value, t))];
      }
      case 'if': {
        const lines = [`${indent}if (${this.exprAs(s.cond, this.typing.typeOf(s.cond))}) {`, ...this.statements(s.then, indent + '  ')];
        let rest = s.else;
        while (rest.length === 1 && rest[0]!.k === 'if') {
          const inner = rest[0] as Extract<TStmt, { k: 'if' }>;
          lines.push(`${indent}} else if (${this.expr(inner.cond)}) {`, ...this.statements(inner.then, indent + '  '));
          rest = inner.else;
        }
        if (rest.length > 0) lines.push(`${indent}} else {`, ...this.statements(rest, indent + '  '));
        lines.push(`${indent}}`);
        return lines;
      }
      case 'for': {
        const t = this.typing.localType(s.variable) ?? i64;
        const sign = s.step.k === 'num' ? (s.step.value > 0 ? 1 : -1)
          : s.step.k === 'unary' && s.step.op === '-' && s.step.arg.k === 'num' ? -1 : 0;
        const name = this.names.write?.(s.variable) ?? this.names.read(s.variable);
        const header = this.dialect.forHeader(name, t, this.exprAs(s.begin, t), this.convert(s.end, t).text, wrap(this.convert(s.step, t), PRIMARY), sign);
        return [indent + header, ...this.statements(s.body, indent + '  '), `${indent}}`];
      }
      default: return assertNever(s, 'tasklet statement');
    }
  }

  /** `target op= value`: C's compound forms, except where a spelling is not a plain operator (float `%=`). */
  private assignment(target: string, targetType: DType, s: TStmt & { k: 'assign' }): string {
    if (s.op === '=') return `${target} = ${this.exprAs(s.value, targetType)}`;
    const binary = s.op.slice(0, -1) as keyof typeof binaryOps;
    const def = binaryOps[binary];
    if (!def) throw new TargetError({ code: 'internal', message: `unknown assignment operator ${s.op}` });
    const t = this.typing.assignOperandType?.(s) ?? targetType;
    const value = wrap(this.convert(s.value, t), precedence[binary] + 1);
    const operand = t.name === targetType.name ? target : this.dialect.cast(target, t, targetType);
    const spelled = def[this.dialect.target]([operand, value], t);
    if (spelled === `${operand} ${binary} ${value}`) return `${target} ${s.op} ${this.print(s.value).text}`;
    return `${target} = ${t.name === targetType.name ? spelled : this.dialect.cast(spelled, targetType, t)}`;
  }
}
