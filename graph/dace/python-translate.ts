// Translating DaCe's Python (tasklets, interstate edges, loop statements, wcr lambdas) into the tasklet language.
//
// DaCe compiles this Python to C++ operator by operator (its `cppunparse`), so the code means what the C++ means:
// `/` and `%` are C's, `a // b` is `floor(a / b)` (a truncating division for integers), `float(x)`/`int(x)` are C's
// `float`/`int` casts, and assignments convert implicitly. The translation keeps that meaning, which is what DaCe
// computes; it is not CPython's. What the tasklet language cannot express raises `Untranslatable` with the reason.
import { bool, dtypeByName, f32, i32, isFloat, isInteger, type DType } from '../dtypes.js';
import { TaskletError } from '../errors.js';
import type { Wcr } from '../memlet.js';
import type { AssignOp, BinaryOp, CodePosition, TExpr, TStmt } from '../tasklet-ast.js';
import { isMathFunction } from '../tasklet-ops.js';
import { type ConnectorInfo, type TaskletTypeEnv, typeTasklet, typeTaskletExpr } from '../tasklet-types.js';
import { type PyExpr, type PyStmt, parsePythonExpression, parsePythonStatements } from './python-syntax.js';

/** Code outside the subset: the reason names the construct and where it is. */
export class Untranslatable extends Error {
  constructor(readonly reason: string, readonly pos?: CodePosition) {
    super(pos ? `${reason} (line ${pos.line}, column ${pos.column})` : reason);
  }
}

const fail = (reason: string, pos?: CodePosition): never => { throw new Untranslatable(reason, pos); };

/** Names a translation may read: connectors or data containers, symbols. */
export interface TranslateEnv {
  readonly inputs: Readonly<Record<string, ConnectorInfo>>;
  readonly outputs: Readonly<Record<string, ConnectorInfo>>;
  readonly symbols: Readonly<Record<string, DType>>;
}

const EMPTY_ENV: TranslateEnv = { inputs: {}, outputs: {}, symbols: {} };

/** Module prefixes whose members are math functions or dtypes. */
const MODULES = new Set(['math', 'dace', 'np', 'numpy', 'cmath']);

/** Python and SymPy spellings of the tasklet language's math functions. */
const FUNCTION_ALIASES: Readonly<Record<string, string>> = {
  fabs: 'abs', Abs: 'abs', Min: 'min', Max: 'max', ceiling: 'ceil', power: 'pow', arctan2: 'atan2',
  arcsin: 'asin', arccos: 'acos', arctan: 'atan', arcsinh: 'asinh', arccosh: 'acosh', arctanh: 'atanh',
};

/** C++ casts DaCe's generated code applies for these builtins (C's `float` is 32-bit, `int` is 32-bit). */
const BUILTIN_CASTS: Readonly<Record<string, DType>> = { float: f32, int: i32, bool };

const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E, inf: Infinity, nan: NaN, infinity: Infinity };

const SYMPY_COMPARISONS: Readonly<Record<string, BinaryOp>> = { Eq: '==', Ne: '!=', NotEq: '!=', Lt: '<', Le: '<=', LtE: '<=', Gt: '>', Ge: '>=', GtE: '>=' };

type NameTarget = TExpr & { readonly k: 'name' | 'index' };

class Translator {
  /** Locals declared so far, with their types when known. */
  private readonly locals = new Map<string, DType | undefined>();
  private readonly assignedOutputs = new Set<string>();

  constructor(private readonly env: TranslateEnv) {}

  /** The typing environment as it stands: locals and written outputs are readable. */
  private typingEnv(): TaskletTypeEnv {
    const inputs: Record<string, ConnectorInfo> = { ...this.env.inputs };
    for (const [name, t] of this.locals) if (t) inputs[name] = { dtype: t, dims: 0 };
    for (const name of this.assignedOutputs) inputs[name] = this.env.outputs[name]!;
    return { inputs, outputs: this.env.outputs, symbols: this.env.symbols };
  }

  typeOf(e: TExpr): DType | undefined {
    try { return typeTaskletExpr(e, this.typingEnv()).type; } catch { return undefined; }
  }

  // ---- expressions

  expr(e: PyExpr): TExpr {
    const pos = e.pos;
    switch (e.k) {
      case 'num': return { k: 'num', value: e.value, isFloat: e.isFloat, pos };
      case 'const':
        if (e.value === null) return fail('None is not a value in the tasklet language', pos);
        return { k: 'bool', value: e.value, pos };
      case 'str': return fail(`the string '${e.value}' is not a value in the tasklet language`, pos);
      case 'name': return this.name(e.id, pos);
      case 'attr': return this.attribute(e);
      case 'call': return this.call(e);
      case 'subscript': {
        if (e.obj.k !== 'name') return fail('only connectors and containers can be indexed', pos);
        const items = e.indices.length === 1 && e.indices[0]!.k === 'tuple' ? e.indices[0]!.items : e.indices;
        if (items.some((i) => i.k === 'slice')) return fail(`slicing ${e.obj.id}[…] is not in the tasklet language`, pos);
        return { k: 'index', name: e.obj.id, indices: items.map((i) => this.expr(i)), pos };
      }
      case 'unary':
        if (e.op === 'not') return { k: 'unary', op: '!', arg: this.condition(e.arg), pos };
        return { k: 'unary', op: e.op, arg: this.expr(e.arg), pos };
      case 'binary': return this.binary(e.op, this.expr(e.lhs), this.expr(e.rhs), pos);
      case 'boolop': {
        const op = e.op === 'and' ? '&&' : '||';
        return e.values.map((v) => this.condition(v)).reduce((lhs, rhs) => ({ k: 'binary', op, lhs, rhs, pos }));
      }
      case 'compare': {
        let lhs = this.expr(e.first);
        const parts: TExpr[] = [];
        e.ops.forEach((op, i) => {
          if (op === 'is' || op === 'is not' || op === 'in' || op === 'not in') return fail(`the '${op}' operator is not in the tasklet language`, pos);
          const rhs = this.expr(e.rest[i]!);
          parts.push({ k: 'binary', op, lhs, rhs, pos });
          lhs = rhs;
        });
        // a < b < c means a < b and b < c
        return parts.reduce((l, r) => ({ k: 'binary', op: '&&', lhs: l, rhs: r, pos }));
      }
      case 'ifexp': return { k: 'ternary', cond: this.condition(e.test), then: this.expr(e.body), else: this.expr(e.orelse), pos };
      case 'lambda': return fail('a lambda is only allowed as a write-conflict resolution', pos);
      case 'tuple': return fail('tuples are not in the tasklet language', pos);
      case 'slice': return fail('slices are not in the tasklet language', pos);
    }
  }

  private name(id: string, pos: CodePosition): TExpr {
    if (id === 'inf' || id === 'nan') return { k: 'num', value: CONSTANTS[id]!, isFloat: true, pos };
    return { k: 'name', name: id, pos };
  }

  private attribute(e: PyExpr & { k: 'attr' }): TExpr {
    if (e.obj.k === 'name' && MODULES.has(e.obj.id) && e.attr in CONSTANTS) return { k: 'num', value: CONSTANTS[e.attr]!, isFloat: true, pos: e.pos };
    return fail(`the attribute ${describe(e)} is not in the tasklet language`, e.pos);
  }

  /** A condition: Python's truthiness of a number is `x != 0`. */
  condition(e: PyExpr): TExpr {
    const t = this.expr(e);
    const type = this.typeOf(t);
    if (!type || type.kind === 'bool') return t;
    return { k: 'binary', op: '!=', lhs: t, rhs: { k: 'num', value: 0, isFloat: false }, pos: t.pos };
  }

  binary(op: string, lhs: TExpr, rhs: TExpr, pos: CodePosition): TExpr {
    switch (op) {
      case '+': case '-': case '*': case '/': case '%': case '**': case '<<': case '>>': case '&': case '|': case '^':
        return { k: 'binary', op, lhs, rhs, pos };
      case '//': {
        // dace::math::ifloor(a / b): the C division, floored (a no-op for integers).
        const quotient: TExpr = { k: 'binary', op: '/', lhs, rhs, pos };
        const [a, b] = [this.typeOf(lhs), this.typeOf(rhs)];
        const integral = (t: DType | undefined): boolean => !!t && (isInteger(t) || t.kind === 'bool');
        return integral(a) && integral(b) ? quotient : { k: 'call', fn: 'floor', args: [quotient], pos };
      }
      case '@': return fail('matrix multiplication (@) is not in the tasklet language', pos);
      default: return fail(`the operator '${op}' is not in the tasklet language`, pos);
    }
  }

  private functionName(fn: PyExpr): string | undefined {
    if (fn.k === 'name') return fn.id;
    if (fn.k === 'attr' && fn.obj.k === 'name' && MODULES.has(fn.obj.id)) return fn.attr;
    if (fn.k === 'attr' && fn.obj.k === 'attr' && fn.obj.obj.k === 'name' && fn.obj.obj.id === 'dace' && fn.obj.attr === 'math') return fn.attr;
    return undefined;
  }

  private castType(fn: PyExpr): DType | undefined {
    if (fn.k === 'name') return BUILTIN_CASTS[fn.id];
    if (fn.k === 'attr' && fn.obj.k === 'name' && MODULES.has(fn.obj.id)) {
      const name = fn.attr === 'bool_' ? 'bool' : fn.attr === 'float_' ? 'float64' : fn.attr === 'int_' ? 'int64' : fn.attr;
      return dtypeByName(name);
    }
    return undefined;
  }

  private call(e: PyExpr & { k: 'call' }): TExpr {
    const pos = e.pos;
    if (e.keywords.length) return fail(`keyword arguments (${e.keywords.join(', ')}) are not in the tasklet language`, pos);
    const cast = this.castType(e.fn);
    if (cast) {
      if (e.args.length !== 1) return fail(`the cast ${describe(e.fn)}(…) takes one argument`, pos);
      const arg = e.args[0]!;
      if (arg.k === 'str' && isFloat(cast) && /^[+-]?(inf|infinity|nan)$/i.test(arg.value)) {
        return { k: 'num', value: Number(arg.value.replace(/inf(inity)?/i, 'Infinity').replace(/nan/i, 'NaN')), isFloat: true, pos };
      }
      return { k: 'cast', dtype: cast, arg: this.expr(arg), pos };
    }
    const raw = this.functionName(e.fn);
    if (raw === undefined) return fail(`calling ${describe(e.fn)} is not in the tasklet language`, pos);
    const name = FUNCTION_ALIASES[raw] ?? raw;
    const args = (): TExpr[] => e.args.map((a) => this.expr(a));
    if (name in SYMPY_COMPARISONS && e.args.length === 2) {
      const [l, r] = args();
      return { k: 'binary', op: SYMPY_COMPARISONS[name]!, lhs: l!, rhs: r!, pos };
    }
    switch (name) {
      case 'And': case 'Or':
        return e.args.map((a) => this.condition(a)).reduce((lhs, rhs) => ({ k: 'binary', op: name === 'And' ? '&&' : '||', lhs, rhs, pos }));
      case 'Not': return { k: 'unary', op: '!', arg: this.condition(this.single(e)), pos };
      case 'Mod': return this.binary('%', ...this.pair(e), pos);
      case 'int_floor': return this.binary('//', ...this.pair(e), pos);
      case 'int_ceil': {
        const [a, b] = this.pair(e);
        const negA: TExpr = { k: 'unary', op: '-', arg: a, pos };
        return { k: 'unary', op: '-', arg: this.binary('//', negA, b, pos), pos };
      }
      case 'min': case 'max': {
        if (e.args.length < 2) return fail(`${name}(…) needs at least two arguments here`, pos);
        return args().reduce((a, b) => ({ k: 'call', fn: name, args: [a, b], pos }));
      }
      case 'log':
        if (e.args.length === 2) {
          const [x, base] = args();
          return { k: 'binary', op: '/', lhs: { k: 'call', fn: 'log', args: [x!], pos }, rhs: { k: 'call', fn: 'log', args: [base!], pos }, pos };
        }
        break;
      case 'fmod': return this.binary('%', ...this.pair(e), pos);
      case 'reciprocal': return { k: 'binary', op: '/', lhs: { k: 'num', value: 1, isFloat: true }, rhs: this.expr(this.single(e)), pos };
      default: break;
    }
    if (!isMathFunction(name)) return fail(`the function ${describe(e.fn)} is not in the tasklet language`, pos);
    return { k: 'call', fn: name, args: args(), pos };
  }

  private single(e: PyExpr & { k: 'call' }): PyExpr {
    if (e.args.length !== 1) fail(`${describe(e.fn)}(…) takes one argument`, e.pos);
    return e.args[0]!;
  }

  private pair(e: PyExpr & { k: 'call' }): [TExpr, TExpr] {
    if (e.args.length !== 2) fail(`${describe(e.fn)}(…) takes two arguments`, e.pos);
    return [this.expr(e.args[0]!), this.expr(e.args[1]!)];
  }

  // ---- statements

  statements(body: readonly PyStmt[]): TStmt[] {
    return body.flatMap((s) => this.statement(s));
  }

  private statement(s: PyStmt): TStmt[] {
    switch (s.k) {
      case 'pass': return [];
      case 'expr': return fail('an expression statement has no effect in the tasklet language', s.pos);
      case 'other': return fail(`'${s.keyword}' statements are not in the tasklet language`, s.pos);
      case 'assign': {
        if (s.targets.length !== 1 || s.targets[0]!.k === 'tuple') return fail('assigning to several targets at once is not in the tasklet language', s.pos);
        return [this.assign(s.targets[0]!, '=', this.expr(s.value), s.pos)];
      }
      case 'augassign': {
        const op = s.op.slice(0, -1);
        if (op === '//' || op === '**') {
          const current = this.expr(s.target);
          return [this.assign(s.target, '=', this.binary(op, current, this.expr(s.value), s.pos), s.pos)];
        }
        return [this.assign(s.target, s.op as AssignOp, this.expr(s.value), s.pos)];
      }
      case 'if': {
        const cond = this.condition(s.test);
        return [{ k: 'if', cond, then: this.statements(s.body), else: this.statements(s.orelse), pos: s.pos }];
      }
      case 'for': return [this.forLoop(s)];
    }
  }

  private forLoop(s: PyStmt & { k: 'for' }): TStmt {
    const it = s.iter;
    if (it.k !== 'call' || it.fn.k !== 'name' || it.fn.id !== 'range' || it.args.length < 1 || it.args.length > 3) {
      return fail('only `for v in range(…)` loops are in the tasklet language', s.pos);
    }
    const args = it.args.map((a) => this.expr(a));
    const [begin, end, step] = args.length === 1 ? [{ k: 'num', value: 0, isFloat: false } as TExpr, args[0]!, undefined] : [args[0]!, args[1]!, args[2]];
    if (step && !(step.k === 'num' && step.value > 0 && !step.isFloat)) return fail('a range step must be a positive integer literal here', s.pos);
    this.locals.set(s.target, this.typeOf(begin));
    const body = this.statements(s.body);
    return { k: 'for', variable: s.target, begin, end, step: step ?? { k: 'num', value: 1, isFloat: false }, body, pos: s.pos };
  }

  /** Assignment with C's implicit conversion: a narrowing one gets the cast C would apply. */
  private assign(target: PyExpr, op: AssignOp, value: TExpr, pos: CodePosition): TStmt {
    if (target.k === 'subscript') {
      const t = this.expr(target) as NameTarget;
      const out = this.env.outputs[t.name];
      if (!out) return fail(`'${t.name}' is not an output connector, so it cannot be assigned`, pos);
      return { k: 'assign', target: t, op, value: this.converted(value, out.dtype, op), pos };
    }
    if (target.k !== 'name') return fail(`cannot assign to ${describe(target)}`, pos);
    const name = target.id;
    const out = this.env.outputs[name];
    const nameExpr: NameTarget = { k: 'name', name, pos: target.pos };
    if (out) {
      const stmt: TStmt = { k: 'assign', target: nameExpr, op, value: this.converted(value, out.dtype, op), pos };
      this.assignedOutputs.add(name);
      return stmt;
    }
    if (name in this.env.inputs) return fail(`'${name}' is an input connector, so it cannot be assigned`, pos);
    if (name in this.env.symbols) return fail(`'${name}' is a symbol, so it cannot be assigned in a tasklet`, pos);
    if (this.locals.has(name)) {
      const t = this.locals.get(name);
      return { k: 'assign', target: nameExpr, op, value: t ? this.converted(value, t, op) : value, pos };
    }
    if (op !== '=') return fail(`'${name}' is updated before it has a value`, pos);
    this.locals.set(name, this.typeOf(value));
    // `t = dace.int32(x)` declares t's type; where the conversion is implicit it reads as the typed `let t: i32 = x`.
    if (value.k === 'cast' && this.implicitlyConverts(value.arg, value.dtype)) return { k: 'let', name, dtype: value.dtype, value: value.arg, pos };
    return { k: 'let', name, value, pos };
  }

  private implicitlyConverts(value: TExpr, to: DType): boolean {
    try {
      typeTasklet([{ k: 'let', name: '__dace_probe', dtype: to, value }], { ...this.typingEnv(), outputs: {} });
      return true;
    } catch {
      return false;
    }
  }

  /** The value, cast to `to` where the tasklet language would reject the implicit conversion C performs. */
  private converted(value: TExpr, to: DType, op: AssignOp): TExpr {
    if (op !== '=') return value;
    const probe: TStmt = { k: 'assign', target: { k: 'name', name: '__dace_target' }, op: '=', value };
    const env = this.typingEnv();
    try {
      typeTasklet([probe], { ...env, outputs: { __dace_target: { dtype: to, dims: 0 } } });
      return value;
    } catch (error) {
      if (error instanceof TaskletError && (error.code === 'narrowing' || error.code === 'type-mismatch')) {
        return to.kind === 'bool' && value.k !== 'num'
          ? { k: 'binary', op: '!=', lhs: value, rhs: { k: 'num', value: 0, isFloat: false }, ...(value.pos ? { pos: value.pos } : {}) }
          : { k: 'cast', dtype: to, arg: value, ...(value.pos ? { pos: value.pos } : {}) };
      }
      return value;
    }
  }
}

function describe(e: PyExpr): string {
  switch (e.k) {
    case 'name': return e.id;
    case 'attr': return `${describe(e.obj)}.${e.attr}`;
    case 'call': return `${describe(e.fn)}(…)`;
    case 'subscript': return `${describe(e.obj)}[…]`;
    default: return `a ${e.k} expression`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points.

export type TaskletTranslation =
  | { readonly ok: true; readonly body: TStmt[] }
  | { readonly ok: false; readonly reason: string };

/**
 * A Python tasklet body in the tasklet language, type-checked against the connectors; or why it cannot be.
 * Syntax errors are reasons too: DaCe may hold code only its own parser accepts.
 */
export function translateTasklet(source: string, env: TranslateEnv): TaskletTranslation {
  try {
    const body = new Translator(env).statements(parsePythonStatements(source, 'tasklet code'));
    typeTasklet(body, { inputs: env.inputs, outputs: env.outputs, symbols: env.symbols }, { source });
    return { ok: true, body };
  } catch (error) {
    if (error instanceof Untranslatable) return { ok: false, reason: error.message };
    if (error instanceof Error && 'summary' in error) return { ok: false, reason: String((error as { summary: string }).summary).split('\n')[0]! };
    throw error;
  }
}

/** A Python expression over symbols and data (an interstate condition or assignment, a loop bound). */
export function translateExpression(source: string, env: TranslateEnv = EMPTY_ENV, what = 'Python expression'): TExpr {
  return new Translator(env).expr(parsePythonExpression(source, what));
}

/** The value of `variable = value` (a loop's init or update statement). */
export function translateAssignmentValue(source: string, variable: string, env: TranslateEnv = EMPTY_ENV, what = 'loop statement'): TExpr {
  const stmts = parsePythonStatements(source, what);
  const only = stmts[0];
  if (stmts.length !== 1 || !only || only.k !== 'assign' || only.targets.length !== 1) {
    return fail(`${what} '${source}' is not a single assignment to ${variable}`);
  }
  const target = only.targets[0]!;
  if (target.k !== 'name' || target.id !== variable) return fail(`${what} '${source}' assigns ${describe(target)}, not the loop variable ${variable}`);
  return new Translator(env).expr(only.value);
}

/** The parameters and body of `lambda a, b: …`. */
export function translateLambda(source: string, what = 'write-conflict resolution'): { params: [string, string]; body: TExpr } {
  const e = parsePythonExpression(source, what);
  if (e.k !== 'lambda' || e.params.length !== 2) return fail(`${what} '${source}' is not a lambda of two parameters`);
  const [a, b] = e.params as [string, string];
  return { params: [a, b], body: new Translator(EMPTY_ENV).expr(e.body) };
}

/** A wcr lambda as a built-in op where it is one (`a + b`, `a * b`, `min(a, b)`, `max(a, b)`), else custom. */
export function translateWcr(source: string): Wcr {
  const { params: [a, b], body } = translateLambda(source);
  const isParams = (x: TExpr, y: TExpr): boolean =>
    x.k === 'name' && y.k === 'name' && ((x.name === a && y.name === b) || (x.name === b && y.name === a));
  if (body.k === 'binary' && isParams(body.lhs, body.rhs)) {
    if (body.op === '+') return { op: 'sum' };
    if (body.op === '*') return { op: 'product' };
  }
  if (body.k === 'call' && (body.fn === 'min' || body.fn === 'max') && body.args.length === 2 && isParams(body.args[0]!, body.args[1]!)) {
    return { op: body.fn };
  }
  return { op: 'custom', params: [a, b], body };
}

