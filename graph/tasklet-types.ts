// Type inference and checking for the tasklet language: literal adaptation, promotion, conversions, name resolution.
//
// Rules: number literals are abstract and take the type of the other operands (an int literal any numeric type it
// fits, a float literal a float type, else f64); alone an int literal is i32 (i64 when it does not fit) and a float
// literal f64. Operands meet at `promote` (dtypes.ts). Assignment converts widening, int→int and int→float
// implicitly; float→int and f64→f32 are 'narrowing' errors. Conditions are bool; bitwise and shift operators take
// integers. The result is a map from AST nodes (by identity) to types, used by the interpreter and every printer.
import { bool, f64, i32, i64, isFloat, isInteger, promote, type DType } from './dtypes.js';
import { InternalError, TaskletError, type GraphPath } from './errors.js';
import type { SourceLocation } from './source-location.js';
import type { CodePosition, TExpr, TStmt } from './tasklet-ast.js';
import { binaryOps, isMathFunction, mathFunctions, unaryOps, type OperandClass } from './tasklet-ops.js';
import { formatCodeExcerpt, printNumber } from './tasklet-print.js';

export interface ConnectorInfo {
  readonly dtype: DType;
  /** 0 = scalar; else rank of the view. */
  readonly dims: number;
  /** The memlet's access count is only known at run time: the connector may stay unwritten. */
  readonly dynamic?: boolean;
}

export interface TaskletTypeEnv {
  readonly inputs: Readonly<Record<string, ConnectorInfo>>;
  readonly outputs: Readonly<Record<string, ConnectorInfo>>;
  /** SDFG symbols and map parameters in scope (integers, i64 unless declared otherwise). */
  readonly symbols: Readonly<Record<string, DType>>;
}

export interface TaskletTyping {
  typeOf(e: TExpr): DType;
  /** The type both operands of a binary/call are converted to (for other nodes: the operand's or the node's own type). */
  operandTypeOf(e: TExpr): DType;
  /** The type of a `let` local (a name declared twice, in sibling blocks, has one type). */
  localType(name: string): DType | undefined;
  /** For a compound assignment (`out += v`): the type `out + v` is computed in before converting back to `out`'s. */
  assignOperandType(s: TStmt & { k: 'assign' }): DType;
}

export interface TypingContext {
  readonly loc?: SourceLocation;
  readonly path?: GraphPath;
  /** The tasklet text (interpolations as `${…}`): errors then show the line with a caret. */
  readonly source?: string;
}

// ---------------------------------------------------------------------------------------------
// Inferred types before abstract literals settle.

/** An expression's type, or, for an abstract literal, its kind and signed value until the context fixes its type. */
type Inferred =
  | { readonly literal: false; readonly t: DType }
  | { readonly literal: 'int' | 'float'; readonly value: number };

const concrete = (t: DType): Inferred => ({ literal: false, t });

const int64Bound = 2 ** 63;
function fits(value: number, t: DType): boolean {
  if (isFloat(t)) return true;
  if (!isInteger(t)) return false;
  const bits = t.bytes * 8;
  if (t.kind === 'unsigned') return value >= 0 && value < 2 ** bits;
  return bits === 64 ? value >= -int64Bound && value < int64Bound : value >= -(2 ** (bits - 1)) && value < 2 ** (bits - 1);
}

const category = (t: DType): 'bool' | 'numeric' => (t.kind === 'bool' ? 'bool' : 'numeric');

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

function suggestion(name: string, candidates: Iterable<string>): string {
  let best: string | undefined, bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best ? `did you mean '${best}'? ` : '';
}

const indexNames = ['i', 'j', 'k', 'l', 'm', 'n'];
const exampleIndex = (name: string, dims: number): string => `${name}[${Array.from({ length: dims }, (_, d) => indexNames[d] ?? `i${d}`).join(', ')}]`;

interface Local { readonly kind: 'local' | 'loop'; readonly dtype: DType; readonly pos?: CodePosition }

// ---------------------------------------------------------------------------------------------

class Checker {
  readonly types = new WeakMap<TExpr, DType>();
  readonly operands = new WeakMap<TExpr, DType>();
  readonly compound = new WeakMap<TStmt, DType>();
  readonly localTypes = new Map<string, { dtype: DType; pos?: CodePosition }>();
  private readonly scopes: Map<string, Local>[] = [new Map()];
  /** Scalar outputs assigned on every path so far (an output may be read only then). */
  private assigned = new Set<string>();
  readonly everAssigned = new Set<string>();

  constructor(private readonly env: TaskletTypeEnv, private readonly context: TypingContext) {}

  error(code: string, message: string, pos: CodePosition | undefined, hint?: string): TaskletError {
    const where = pos ? ` at ${pos.line}:${pos.column}` : '';
    const excerpt = pos && this.context.source ? formatCodeExcerpt(this.context.source, pos) : '';
    return new TaskletError({
      code,
      message: `${message}${where}${excerpt ? `\n${excerpt}` : ''}`,
      ...(hint ? { hint } : {}),
      ...(this.context.loc ? { loc: this.context.loc } : {}),
      ...(this.context.path ? { path: this.context.path } : {}),
    });
  }

  private lookupLocal(name: string): Local | undefined {
    for (let s = this.scopes.length - 1; s >= 0; s--) {
      const found = this.scopes[s]!.get(name);
      if (found) return found;
    }
    return undefined;
  }

  private namesInScope(): string[] {
    const names = new Set<string>([...Object.keys(this.env.inputs), ...Object.keys(this.env.outputs), ...Object.keys(this.env.symbols)]);
    for (const scope of this.scopes) for (const n of scope.keys()) names.add(n);
    return [...names];
  }

  private unknownName(name: string, pos: CodePosition | undefined): TaskletError {
    const names = this.namesInScope();
    return this.error('unknown-name', `unknown name '${name}'`, pos,
      `${suggestion(name, names)}names in scope: ${names.length ? names.join(', ') : '(none)'}`);
  }

  private own<K extends keyof TaskletTypeEnv>(table: K, name: string): TaskletTypeEnv[K][string] | undefined {
    const t = this.env[table] as Readonly<Record<string, TaskletTypeEnv[K][string]>>;
    return Object.prototype.hasOwnProperty.call(t, name) ? t[name] : undefined;
  }

  // ---- literals --------------------------------------------------------------------------

  /** Fix the type of an abstract literal (a number, possibly under unary +/-) now that its context is known. */
  private settle(e: TExpr, t: DType): void {
    this.types.set(e, t);
    this.operands.set(e, t);
    if (e.k === 'unary') this.settle(e.arg, t);
  }

  private loneLiteralType(lit: Inferred & { literal: 'int' | 'float' }, pos: CodePosition | undefined): DType {
    if (lit.literal === 'float') return f64;
    if (fits(lit.value, i32)) return i32;
    if (fits(lit.value, i64)) return i64;
    throw this.error('literal-out-of-range', `integer literal ${printNumber(lit.value, false)} does not fit i64`, pos, 'write it as a float (with a decimal point)');
  }

  /** A concrete type for `e`, settling a lone literal to its default type. */
  concreteType(e: TExpr): DType {
    const inf = this.infer(e);
    if (inf.literal === false) return inf.t;
    const t = this.loneLiteralType(inf, e.pos);
    this.settle(e, t);
    return t;
  }

  /**
   * The type operands meet at: promote the concrete ones, then let literals adapt (a float literal makes an integer
   * operation f64; an int literal that does not fit widens to its own type). Literals settle to the result.
   */
  private joint(parts: readonly TExpr[], inferred: readonly Inferred[]): DType {
    let t: DType | undefined;
    for (const inf of inferred) if (inf.literal === false) t = t ? promote(t, inf.t) : inf.t;
    if (inferred.some((inf) => inf.literal === 'float') && (!t || !isFloat(t))) t = t && t.kind === 'bool' ? t : f64;
    for (let k = 0; k < parts.length; k++) {
      const inf = inferred[k]!;
      if (inf.literal !== 'int') continue;
      if (!t) t = this.loneLiteralType(inf, parts[k]!.pos);
      else if (t.kind !== 'bool' && !fits(inf.value, t)) t = promote(t, this.loneLiteralType(inf, parts[k]!.pos));
    }
    const result = t!;
    parts.forEach((p, k) => { if (inferred[k]!.literal !== false) this.settle(p, result); });
    return result;
  }

  private kindOf(inf: Inferred): 'bool' | 'numeric' {
    return inf.literal === false ? category(inf.t) : 'numeric';
  }

  private shown(inf: Inferred): string {
    return inf.literal === false ? inf.t.short : `the ${inf.literal} literal ${printNumber(inf.value, inf.literal === 'float')}`;
  }

  /** Check operands against an operator's class; `what` names it in messages ("operator '+'", "function 'sqrt'"). */
  private checkClass(cls: OperandClass, what: string, inferred: readonly Inferred[], operandType: DType, pos: CodePosition | undefined): void {
    const kinds = inferred.map((inf) => this.kindOf(inf));
    const offender = (k: 'bool' | 'numeric'): Inferred => inferred[kinds.indexOf(k)]!;
    switch (cls) {
      case 'numeric': case 'float':
        if (kinds.includes('bool')) throw this.error('type-mismatch', `${what} needs numbers, not bool`, pos, 'convert explicitly: i32(flag) or f64(flag)');
        return;
      case 'integer':
        if (!isInteger(operandType)) {
          const bad = inferred.find((inf) => inf.literal === 'float' || (inf.literal === false && !isInteger(inf.t)))!;
          throw this.error('type-mismatch', `${what} needs integers, not ${this.shown(bad)}`, pos, 'convert explicitly: i32(x)');
        }
        return;
      case 'bool':
        if (kinds.includes('numeric')) throw this.error('type-mismatch', `${what} needs bool operands, not ${this.shown(offender('numeric'))}`, pos, 'compare explicitly: x != 0');
        return;
      case 'scalar':
        if (kinds.includes('bool') && kinds.includes('numeric')) {
          throw this.error('type-mismatch', `${what} mixes bool and ${this.shown(offender('numeric'))}`, pos, 'compare like with like: bool(x) or i32(flag)');
        }
        return;
    }
  }

  // ---- expressions -----------------------------------------------------------------------

  private record(e: TExpr, t: DType, operand: DType = t): Inferred {
    this.types.set(e, t);
    this.operands.set(e, operand);
    return concrete(t);
  }

  infer(e: TExpr): Inferred {
    switch (e.k) {
      case 'num': return { literal: e.isFloat ? 'float' : 'int', value: e.value };
      case 'bool': return this.record(e, bool);
      case 'name': return this.record(e, this.readName(e.name, e.pos));
      case 'index': return this.record(e, this.readIndex(e));
      case 'unary': {
        const arg = this.infer(e.arg);
        // `-1` stays abstract, so that `x * -1` has the type of x.
        if ((e.op === '-' || e.op === '+') && arg.literal !== false) return { literal: arg.literal, value: e.op === '-' ? -arg.value : arg.value };
        const def = unaryOps[e.op];
        const t = arg.literal === false ? arg.t : this.concreteType(e.arg);
        this.checkClass(def.operands, `operator '${e.op}'`, [arg], t, e.pos);
        return this.record(e, def.resultType(t), t);
      }
      case 'binary': {
        const def = binaryOps[e.op];
        const inferred = [this.infer(e.lhs), this.infer(e.rhs)];
        const t = this.joint([e.lhs, e.rhs], inferred);
        this.checkClass(def.operands, `operator '${e.op}'`, inferred, t, e.pos);
        return this.record(e, def.resultType(t), t);
      }
      case 'ternary': {
        this.condition(e.cond, "'?:'");
        const inferred = [this.infer(e.then), this.infer(e.else)];
        const t = this.joint([e.then, e.else], inferred);
        this.checkClass('scalar', `the conditional '?:'`, inferred, t, e.pos);
        return this.record(e, t);
      }
      case 'call': return this.call(e);
      case 'cast': {
        const from = this.concreteType(e.arg);
        return this.record(e, e.dtype, from);
      }
    }
  }

  private call(e: TExpr & { k: 'call' }): Inferred {
    if (!isMathFunction(e.fn)) {
      throw this.error('unknown-function', `unknown function '${e.fn}'`, e.pos,
        `${suggestion(e.fn, Object.keys(mathFunctions))}functions: ${Object.keys(mathFunctions).join(', ')}; casts: f64(x), f32(x), i32(x), …`);
    }
    const def = mathFunctions[e.fn]!;
    if (e.args.length !== def.arity) {
      throw this.error('wrong-arity', `'${e.fn}' takes ${def.arity} argument${def.arity === 1 ? '' : 's'}, not ${e.args.length}`, e.pos);
    }
    const inferred = e.args.map((a) => this.infer(a));
    let t = this.joint(e.args, inferred);
    this.checkClass(def.operands, `function '${e.fn}'`, inferred, t, e.pos);
    if (def.operands === 'float' && !isFloat(t)) {
      t = f64;
      e.args.forEach((a, k) => { if (inferred[k]!.literal !== false) this.settle(a, t); });
    }
    return this.record(e, def.resultType(t), t);
  }

  private condition(e: TExpr, what: string): void {
    const t = this.concreteType(e);
    if (t.kind !== 'bool') throw this.error('not-a-condition', `the condition of ${what} is ${t.short}, not bool`, e.pos ?? undefined, 'compare explicitly: x != 0');
  }

  private readName(name: string, pos: CodePosition | undefined): DType {
    const local = this.lookupLocal(name);
    if (local) return local.dtype;
    const connector = this.own('inputs', name) ?? this.own('outputs', name);
    if (connector) {
      if (connector.dims > 0) {
        throw this.error('wrong-index-count', `'${name}' is an array with ${connector.dims} dimension${connector.dims === 1 ? '' : 's'} and needs ${connector.dims === 1 ? 'an index' : `${connector.dims} indices`}`, pos, `write ${exampleIndex(name, connector.dims)}`);
      }
      if (!this.own('inputs', name) && !this.assigned.has(name)) {
        throw this.error('output-read-before-write', `output '${name}' is read before it is written`, pos, `outputs start undefined: assign ${name} first, or read the value from an input connector`);
      }
      return connector.dtype;
    }
    const symbol = this.own('symbols', name);
    if (symbol) return symbol;
    throw this.unknownName(name, pos);
  }

  /** What a name that is not an array connector is, for messages. */
  private describeName(name: string): string | undefined {
    const local = this.lookupLocal(name);
    if (local) return local.kind === 'loop' ? 'a loop variable' : 'a local variable';
    const connector = this.own('inputs', name) ?? this.own('outputs', name);
    if (connector) return connector.dims === 0 ? 'a scalar connector' : undefined;
    if (this.own('symbols', name)) return 'a symbol';
    return undefined;
  }

  private readIndex(e: TExpr & { k: 'index' }): DType {
    const connector = this.lookupLocal(e.name) ? undefined : this.own('inputs', e.name) ?? this.own('outputs', e.name);
    if (!connector || connector.dims === 0) {
      const what = this.describeName(e.name);
      if (!what) throw this.unknownName(e.name, e.pos);
      throw this.error('wrong-index-count', `'${e.name}' is ${what} and takes no index`, e.pos, `write ${e.name}`);
    }
    if (e.indices.length !== connector.dims) {
      throw this.error('wrong-index-count',
        `'${e.name}' has ${connector.dims} dimension${connector.dims === 1 ? '' : 's'} but ${e.indices.length} ind${e.indices.length === 1 ? 'ex was' : 'ices were'} given`,
        e.pos, `write ${exampleIndex(e.name, connector.dims)}`);
    }
    e.indices.forEach((index, k) => {
      const t = this.concreteType(index);
      if (!isInteger(t)) {
        throw this.error('type-mismatch', `index ${k + 1} of '${e.name}' is ${t.short}, not an integer`, index.pos ?? e.pos, 'convert explicitly: i64(x)');
      }
    });
    return connector.dtype;
  }

  // ---- conversions -----------------------------------------------------------------------

  /** Check that `value` may be stored into something of type `to` (and settle a literal value to it). */
  private assignable(value: TExpr, inferred: Inferred, to: DType, what: string, pos: CodePosition | undefined): void {
    if (inferred.literal !== false) {
      if (to.kind === 'bool') throw this.error('type-mismatch', `cannot assign a number to ${what} (bool)`, pos, 'write true or false');
      if (inferred.literal === 'float' && !isFloat(to)) {
        throw this.error('narrowing', `cannot assign the float literal ${printNumber(inferred.value, true)} to ${what} (${to.short})`, pos, `write an integer, or convert explicitly: ${to.short}(…)`);
      }
      if (!fits(inferred.value, to)) {
        throw this.error('narrowing', `the literal ${printNumber(inferred.value, false)} does not fit ${what} (${to.short})`, pos, `convert explicitly to wrap it: ${to.short}(${printNumber(inferred.value, false)})`);
      }
      this.settle(value, to);
      return;
    }
    const from = inferred.t;
    if (from === to) return;
    if (to.kind === 'bool') {
      throw this.error('type-mismatch', `cannot assign ${from.short} to ${what} (bool)`, pos, 'compare explicitly (x != 0) or convert: bool(x)');
    }
    const narrowing = isFloat(from) && (!isFloat(to) || to.bytes < from.bytes);
    if (narrowing) {
      throw this.error('narrowing', `cannot assign ${from.short} to ${what} (${to.short}) without a cast`, pos, `this conversion loses precision: write ${to.short}(…) to convert explicitly`);
    }
  }

  // ---- statements ------------------------------------------------------------------------

  statements(body: readonly TStmt[]): void {
    for (const s of body) this.statement(s);
  }

  private block(body: readonly TStmt[], declare?: [string, Local]): Set<string> {
    const saved = new Set(this.assigned);
    this.scopes.push(new Map(declare ? [declare] : []));
    this.statements(body);
    this.scopes.pop();
    const after = this.assigned;
    this.assigned = saved;
    return after;
  }

  private statement(s: TStmt): void {
    switch (s.k) {
      case 'assign': return this.assign(s);
      case 'let': {
        const inferred = this.infer(s.value);
        let t: DType;
        if (s.dtype) {
          t = s.dtype;
          this.assignable(s.value, inferred, t, `'${s.name}'`, s.pos);
        } else {
          t = inferred.literal === false ? inferred.t : this.concreteType(s.value);
        }
        this.declare(s.name, { kind: 'local', dtype: t, ...(s.pos ? { pos: s.pos } : {}) }, 'let');
        return;
      }
      case 'if': {
        this.condition(s.cond, "'if'");
        const afterThen = this.block(s.then);
        const afterElse = this.block(s.else);
        // Assigned after the `if` only when assigned on both branches.
        for (const name of afterThen) if (afterElse.has(name)) this.assigned.add(name);
        return;
      }
      case 'for': {
        (['begin', 'end', 'step'] as const).forEach((part) => {
          const e = s[part];
          const inferred = this.infer(e);
          if (inferred.literal !== false) {
            if (inferred.literal === 'float') throw this.error('type-mismatch', `the loop's ${part} is a float, not an integer`, e.pos ?? s.pos, 'loops count with integers');
            this.settle(e, i64);
          } else if (!isInteger(inferred.t)) {
            throw this.error('type-mismatch', `the loop's ${part} is ${inferred.t.short}, not an integer`, e.pos ?? s.pos, 'convert explicitly: i64(x)');
          }
          if (part === 'step' && inferred.literal === 'int' && inferred.value === 0) {
            throw this.error('zero-step', `the loop step is 0`, e.pos ?? s.pos, 'a loop steps by a non-zero amount: for (k in 0:n:2)');
          }
        });
        const loop: Local = { kind: 'loop', dtype: i64, ...(s.pos ? { pos: s.pos } : {}) };
        this.checkShadowing(s.variable, 'loop variable', s.pos);
        this.block(s.body, [s.variable, loop]);
        return;
      }
    }
  }

  private checkShadowing(name: string, what: string, pos: CodePosition | undefined): void {
    const hidden = this.own('inputs', name) ? `the input connector '${name}'`
      : this.own('outputs', name) ? `the output connector '${name}'`
      : this.own('symbols', name) ? `the symbol '${name}'` : undefined;
    const local = this.lookupLocal(name);
    const shadowed = hidden ?? (local ? `the ${local.kind === 'loop' ? 'loop variable' : 'local'} '${name}'${local.pos ? ` (declared at ${local.pos.line}:${local.pos.column})` : ''}` : undefined);
    if (shadowed) throw this.error('shadowing', `${what} '${name}' would hide ${shadowed}`, pos, 'choose another name');
  }

  private declare(name: string, local: Local, what: 'let'): void {
    this.checkShadowing(name, what, local.pos);
    const previous = this.localTypes.get(name);
    if (previous && previous.dtype !== local.dtype) {
      const at = previous.pos ? ` at ${previous.pos.line}:${previous.pos.column}` : '';
      throw this.error('redeclared', `local '${name}' was declared as ${previous.dtype.short}${at} and is declared as ${local.dtype.short}`, local.pos, 'give it the same type, or another name');
    }
    if (!previous) this.localTypes.set(name, { dtype: local.dtype, ...(local.pos ? { pos: local.pos } : {}) });
    this.scopes[this.scopes.length - 1]!.set(name, local);
  }

  /** The type of an assignment target; the error when it cannot be assigned. */
  private targetType(target: TExpr & { k: 'name' | 'index' }): { t: DType; output?: string; scalarOutput: boolean } {
    const name = target.name;
    const local = this.lookupLocal(name);
    if (local) {
      if (local.kind === 'loop') throw this.error('assign-to-read-only', `cannot assign to the loop variable '${name}'`, target.pos, 'copy it into a local: let t = …');
      if (target.k === 'index') return { t: this.readIndex(target), scalarOutput: false }; // throws: locals are scalars
      this.record(target, local.dtype);
      return { t: local.dtype, scalarOutput: false };
    }
    if (this.own('inputs', name)) {
      throw this.error('assign-to-input', `cannot assign to the input connector '${name}'`, target.pos, `write results to an output connector, or copy it into a local: let t = ${name}`);
    }
    const output = this.own('outputs', name);
    if (output) {
      if (target.k === 'index') {
        this.record(target, this.readIndex(target));
        return { t: output.dtype, output: name, scalarOutput: false };
      }
      if (output.dims > 0) {
        throw this.error('wrong-index-count', `'${name}' is an array with ${output.dims} dimension${output.dims === 1 ? '' : 's'} and needs ${output.dims === 1 ? 'an index' : `${output.dims} indices`}`, target.pos, `write ${exampleIndex(name, output.dims)}`);
      }
      this.types.set(target, output.dtype);
      this.operands.set(target, output.dtype);
      return { t: output.dtype, output: name, scalarOutput: true };
    }
    if (this.own('symbols', name)) throw this.error('assign-to-read-only', `cannot assign to the symbol '${name}'`, target.pos, 'symbols are fixed while the program runs; use a local');
    throw this.unknownName(name, target.pos);
  }

  private assign(s: TStmt & { k: 'assign' }): void {
    const target = this.targetType(s.target);
    const what = `'${s.target.name}'`;
    if (s.op === '=') {
      this.assignable(s.value, this.infer(s.value), target.t, what, s.pos);
    } else {
      if (target.scalarOutput && !this.assigned.has(target.output!)) {
        throw this.error('output-read-before-write', `output '${target.output}' is read before it is written`, s.pos, `outputs start undefined: assign ${target.output} = … before '${s.op}'`);
      }
      const op = s.op.slice(0, -1) as keyof typeof binaryOps;
      const def = binaryOps[op];
      const inferred = [concrete(target.t), this.infer(s.value)];
      const t = this.joint([s.target, s.value], inferred);
      this.checkClass(def.operands, `operator '${s.op}'`, inferred, t, s.pos);
      this.compound.set(s, t);
      this.assignable(s.value, concrete(def.resultType(t)), target.t, what, s.pos);
    }
    if (target.output) {
      this.everAssigned.add(target.output);
      if (target.scalarOutput) this.assigned.add(target.output);
    }
  }

  checkOutputsWritten(): void {
    for (const [name, info] of Object.entries(this.env.outputs)) {
      if (!info.dynamic && !this.everAssigned.has(name)) {
        throw this.error('output-not-written', `output connector '${name}' is never written`, undefined,
          `assign it (${info.dims > 0 ? exampleIndex(name, info.dims) : name} = …), or mark its memlet dynamic if it is written only sometimes`);
      }
    }
  }
}

function typingOf(checker: Checker): TaskletTyping {
  const lookup = (map: WeakMap<object, DType>, e: object, what: string): DType => {
    const t = map.get(e);
    if (!t) throw new InternalError({ code: 'untyped-node', message: `${what} was not typed by this typing (a node from another tasklet?)` });
    return t;
  };
  return {
    typeOf: (e) => lookup(checker.types, e, 'expression'),
    operandTypeOf: (e) => lookup(checker.operands, e, 'expression'),
    localType: (name) => checker.localTypes.get(name)?.dtype,
    assignOperandType: (s) => lookup(checker.compound, s, 'compound assignment'),
  };
}

/** Type-check a tasklet body against its connectors and symbols; throws a TaskletError on the first problem. */
export function typeTasklet(body: readonly TStmt[], env: TaskletTypeEnv, context: TypingContext = {}): TaskletTyping {
  const checker = new Checker(env, context);
  checker.statements(body);
  checker.checkOutputsWritten();
  return typingOf(checker);
}

/** Type one expression (an interstate condition, a custom wcr body); inputs and symbols are what it may read. */
export function typeTaskletExpr(e: TExpr, env: TaskletTypeEnv, context: TypingContext = {}): TaskletTyping & { readonly type: DType } {
  const checker = new Checker(env, context);
  const type = checker.concreteType(e);
  return { ...typingOf(checker), type };
}
