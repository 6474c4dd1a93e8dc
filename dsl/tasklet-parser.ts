// Parses the tasklet language (text or a tagged template with typed interpolations) into the AST of graph/tasklet-ast.ts.
import { TaskletError } from '../graph/errors.js';
import { dtypeByName } from '../graph/dtypes.js';
import { Expr } from '../graph/symbolic.js';
import { exprToTExpr } from '../graph/expr-to-tasklet.js';
import type { AssignOp, BinaryOp, CodePosition, TExpr, TStmt, UnaryOp } from '../graph/tasklet-ast.js';
import { formatCodeExcerpt, precedence } from '../graph/tasklet-print.js';
import type { SourceLocation } from '../graph/source-location.js';
import { keywords, syntaxError, taskletSourceText, tokenize, type TaskletTemplate, type Token } from './tasklet-lexer.js';

export { taskletSourceText, type TaskletTemplate } from './tasklet-lexer.js';
export { exprToTExpr } from '../graph/expr-to-tasklet.js';

export interface ParseContext { readonly loc?: SourceLocation }

const assignOps: ReadonlySet<string> = new Set<AssignOp>(['=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=']);
const unaryOps: ReadonlySet<string> = new Set<UnaryOp>(['-', '+', '!', '~']);
/** Binary operators read by precedence climbing; `**` is read apart (right-associative, above unary). */
const climbing: ReadonlyMap<string, number> = new Map(
  (['||', '&&', '|', '^', '&', '==', '!=', '<', '<=', '>', '>=', '<<', '>>', '+', '-', '*', '/', '%'] as const)
    .map((op) => [op, precedence[op]]),
);

type Num = Extract<TExpr, { k: 'num' }>;
const num = (value: number, isFloat: boolean, pos?: CodePosition): Num => (pos ? { k: 'num', value, isFloat, pos } : { k: 'num', value, isFloat });

/** Copy `e` with `pos` on every node that has none: a converted interpolation points at its placeholder. */
function withPos(e: TExpr, pos: CodePosition): TExpr {
  const p = e.pos ?? pos;
  switch (e.k) {
    case 'num': case 'bool': case 'name': return { ...e, pos: p };
    case 'index': return { ...e, indices: e.indices.map((i) => withPos(i, pos)), pos: p };
    case 'unary': return { ...e, arg: withPos(e.arg, pos), pos: p };
    case 'binary': return { ...e, lhs: withPos(e.lhs, pos), rhs: withPos(e.rhs, pos), pos: p };
    case 'ternary': return { ...e, cond: withPos(e.cond, pos), then: withPos(e.then, pos), else: withPos(e.else, pos), pos: p };
    case 'call': return { ...e, args: e.args.map((a) => withPos(a, pos)), pos: p };
    case 'cast': return { ...e, arg: withPos(e.arg, pos), pos: p };
  }
}

// ---------------------------------------------------------------------------------------------
// Interpolations.

const interpolationHint = 'write the name inside the template, or pass a symbol/number';

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `a ${typeof value}`;
}

// ---------------------------------------------------------------------------------------------
// The parser: recursive descent over the token list, one method per grammar rule.

class Parser {
  private at = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly source: string,
    private readonly values: readonly unknown[],
    private readonly loc: SourceLocation | undefined,
  ) {}

  private peek(offset = 0): Token { return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]!; }
  private next(): Token { const t = this.peek(); if (t.kind !== 'eof') this.at += 1; return t; }
  private isOp(text: string, offset = 0): boolean { const t = this.peek(offset); return t.kind === 'op' && t.text === text; }
  private isName(text: string): boolean { const t = this.peek(); return t.kind === 'name' && t.text === text; }

  private fail(token: Token, expected: string, hint?: string): never {
    const shown = token.kind === 'eof' ? 'end of code' : token.kind === 'newline' ? 'line break' : `'${token.text}'`;
    throw syntaxError({ message: `unexpected ${shown}, expected ${expected}`, pos: token.pos, source: this.source, hint: hint ?? 'see the tasklet language: `out = a * b`, `let t = …`, `if (c) { … }`, `for (k in 0:n) { … }`', ...(this.loc ? { loc: this.loc } : {}) });
  }

  private expectOp(text: string, hint?: string): Token {
    if (!this.isOp(text)) this.fail(this.peek(), `'${text}'`, hint);
    return this.next();
  }

  private expectName(what: string): Token {
    const t = this.peek();
    if (t.kind !== 'name' || keywords.has(t.text)) this.fail(t, what);
    return this.next();
  }

  skipSeparators(): void {
    while (this.peek().kind === 'newline' || this.isOp(';')) this.next();
  }

  // program := sep* (stmt (sep+ stmt)*)? sep* EOF ; block := '{' program '}'
  statements(end: 'eof' | '}'): TStmt[] {
    const body: TStmt[] = [];
    this.skipSeparators();
    while (!(end === 'eof' ? this.peek().kind === 'eof' : this.isOp('}'))) {
      if (this.peek().kind === 'eof') this.fail(this.peek(), "'}'", 'close the block with }');
      body.push(this.statement());
      const t = this.peek();
      // A statement ends at a separator, at the end of its block, or at its own closing brace (`if … { } x = 1`).
      const closedByBrace = this.tokens[this.at - 1]?.text === '}';
      if (t.kind !== 'newline' && !this.isOp(';') && !(end === '}' && this.isOp('}')) && t.kind !== 'eof' && !closedByBrace) {
        this.fail(t, 'a line break or \';\' after the statement');
      }
      this.skipSeparators();
    }
    return body;
  }

  private block(): TStmt[] {
    // The opening brace may start the next line.
    let look = 0;
    while (this.peek(look).kind === 'newline') look += 1;
    if (this.isOp('{', look)) this.at += look;
    this.expectOp('{', 'put the body in braces: { … }');
    const body = this.statements('}');
    this.expectOp('}');
    return body;
  }

  private statement(): TStmt {
    const t = this.peek();
    if (t.kind === 'name' && t.text === 'let') return this.letStatement();
    if (t.kind === 'name' && t.text === 'if') return this.ifStatement();
    if (t.kind === 'name' && t.text === 'for') return this.forStatement();
    if (t.kind === 'name' && !keywords.has(t.text)) return this.assignment();
    return this.fail(t, 'a statement', 'statements are `name = value`, `name[i] = value`, `let`, `if` and `for`');
  }

  private letStatement(): TStmt {
    this.next();
    const name = this.expectName('a variable name after let');
    let dtype;
    if (this.isOp(':')) {
      this.next();
      const typeToken = this.expectName('a type (f64, f32, i64, i32, u8, bool, …)');
      dtype = dtypeByName(typeToken.text);
      if (!dtype) this.fail(typeToken, 'a type (f64, f32, i64, i32, u8, bool, …)');
    }
    this.expectOp('=', 'a local is declared with a value: let t = a + 1');
    const value = this.expression();
    return { k: 'let', name: name.text, ...(dtype ? { dtype } : {}), value, pos: name.pos };
  }

  private ifStatement(): TStmt {
    const keyword = this.next();
    const cond = this.expression();
    const then = this.block();
    let otherwise: TStmt[] = [];
    // `else` may start the next line.
    let look = 0;
    while (this.peek(look).kind === 'newline') look += 1;
    const after = this.peek(look);
    if (after.kind === 'name' && after.text === 'else') {
      this.at += look + 1;
      otherwise = this.isName('if') ? [this.ifStatement()] : this.block();
    }
    return { k: 'if', cond, then, else: otherwise, pos: keyword.pos };
  }

  // for (v in begin:end[:step]) { … }, the parentheses optional
  private forStatement(): TStmt {
    const keyword = this.next();
    const parenthesised = this.isOp('(');
    if (parenthesised) this.next();
    const variable = this.expectName('a loop variable');
    if (!this.isName('in')) this.fail(this.peek(), "'in'", 'loops read: for (k in 0:n) { … }');
    this.next();
    const begin = this.ternary();
    this.expectOp(':', 'a loop range is begin:end or begin:end:step (end excluded)');
    const end = this.ternary();
    let step: TExpr = num(1, false, end.pos);
    if (this.isOp(':')) { this.next(); step = this.ternary(); }
    if (parenthesised) this.expectOp(')');
    const body = this.block();
    return { k: 'for', variable: variable.text, begin, end, step, body, pos: keyword.pos };
  }

  private assignment(): TStmt {
    const target = this.postfix();
    if (target.k !== 'name' && target.k !== 'index') {
      return this.fail(this.peek(), 'an assignment target');
    }
    const op = this.peek();
    if (op.kind !== 'op' || !assignOps.has(op.text)) {
      return this.fail(op, 'an assignment (=, +=, …)', `a statement assigns: ${target.k === 'name' ? target.name : 'a[i]'} = …`);
    }
    this.next();
    const value = this.expression();
    return { k: 'assign', target, op: op.text as AssignOp, value, pos: op.pos };
  }

  // expression := ternary
  expression(): TExpr { return this.ternary(); }

  private ternary(): TExpr {
    const cond = this.binary(precedence['||']);
    if (!this.isOp('?')) return cond;
    const q = this.next();
    const then = this.ternary();
    this.expectOp(':', 'a conditional expression reads c ? a : b');
    const otherwise = this.ternary();
    return { k: 'ternary', cond, then, else: otherwise, pos: q.pos };
  }

  private binary(min: number): TExpr {
    let lhs = this.unary();
    for (;;) {
      const t = this.peek();
      const p = t.kind === 'op' ? climbing.get(t.text) : undefined;
      if (p === undefined || p < min) return lhs;
      this.next();
      const rhs = this.binary(p + 1);
      lhs = { k: 'binary', op: t.text as BinaryOp, lhs, rhs, pos: t.pos };
    }
  }

  private unary(): TExpr {
    const t = this.peek();
    if (t.kind === 'op' && unaryOps.has(t.text)) {
      this.next();
      return { k: 'unary', op: t.text as UnaryOp, arg: this.unary(), pos: t.pos };
    }
    return this.power();
  }

  // power := postfix ('**' unary)? — right-associative, and `-a ** 2` is `-(a ** 2)`
  private power(): TExpr {
    const base = this.postfix();
    if (!this.isOp('**')) return base;
    const t = this.next();
    return { k: 'binary', op: '**', lhs: base, rhs: this.unary(), pos: t.pos };
  }

  private postfix(): TExpr {
    const t = this.next();
    switch (t.kind) {
      case 'num': return num(t.value!, t.isFloat!, t.pos);
      case 'interp': return this.interpolation(t);
      case 'name': {
        if (t.text === 'true' || t.text === 'false') return { k: 'bool', value: t.text === 'true', pos: t.pos };
        if (keywords.has(t.text)) return this.fail(t, 'an expression');
        if (this.isOp('(')) return this.call(t);
        if (this.isOp('[')) return this.index(t);
        return { k: 'name', name: t.text, pos: t.pos };
      }
      case 'op':
        if (t.text === '(') {
          const inner = this.expression();
          this.expectOp(')', 'close the parenthesis');
          return inner;
        }
        return this.fail(t, 'an expression');
      case 'newline': case 'eof':
        return this.fail(t, 'an expression');
    }
  }

  private list(close: string): TExpr[] {
    const items: TExpr[] = [];
    if (this.isOp(close)) { this.next(); return items; }
    for (;;) {
      items.push(this.expression());
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(close, `separate items with ',' and close with '${close}'`);
    return items;
  }

  private call(name: Token): TExpr {
    const open = this.next();
    const args = this.list(')');
    const dtype = dtypeByName(name.text);
    if (!dtype) return { k: 'call', fn: name.text, args, pos: name.pos };
    if (args.length !== 1) {
      throw syntaxError({ message: `the cast ${name.text}(…) takes one value, not ${args.length}`, pos: open.pos, source: this.source, hint: `write ${name.text}(x)`, ...(this.loc ? { loc: this.loc } : {}) });
    }
    return { k: 'cast', dtype, arg: args[0]!, pos: name.pos };
  }

  private index(name: Token): TExpr {
    this.next();
    const indices = this.list(']');
    if (indices.length === 0) this.fail(this.tokens[this.at - 1]!, 'an index', 'write a[i] or a[i, j]');
    if (this.isOp('[')) this.fail(this.peek(), 'the end of the element access', `index several dimensions at once: ${name.text}[i, j]`);
    return { k: 'index', name: name.text, indices, pos: name.pos };
  }

  private interpolation(t: Token): TExpr {
    const index = t.value!;
    const value = this.values[index];
    const where = `interpolation #${index + 1} at ${t.pos.line}:${t.pos.column}`;
    const reject = (code: string, what: string): never => {
      const excerpt = formatCodeExcerpt(this.source, t.pos);
      throw new TaskletError({ code, message: `${where} is ${what}${excerpt ? `\n${excerpt}` : ''}`, hint: interpolationHint, ...(this.loc ? { loc: this.loc } : {}) });
    };
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return reject('bad-interpolation', `${value}, which tasklet code cannot hold`);
      const literal = num(Math.abs(value), !Number.isInteger(value), t.pos);
      return value < 0 ? { k: 'unary', op: '-', arg: literal, pos: t.pos } : literal;
    }
    if (typeof value === 'boolean') return { k: 'bool', value, pos: t.pos };
    if (typeof value === 'string') return reject('interpolated-string', `the string ${JSON.stringify(value)}; text is never pasted into tasklet code`);
    if (value instanceof Expr) return withPos(exprToTExpr(value), t.pos);
    if (value !== null && typeof value === 'object') {
      const v = value as { toTaskletExpr?: unknown; toExpr?: unknown };
      if (typeof v.toTaskletExpr === 'function') return withPos((v.toTaskletExpr as () => TExpr).call(value), t.pos);
      if (typeof v.toExpr === 'function') {
        const e: unknown = (v.toExpr as () => unknown).call(value);
        if (e instanceof Expr) return withPos(exprToTExpr(e), t.pos);
      }
    }
    return reject('bad-interpolation', `${describe(value)}, not a number, boolean, symbol or data handle`);
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') this.fail(this.peek(), 'the end of the expression');
  }
}

function parser(src: string | TaskletTemplate, context: ParseContext | undefined): Parser {
  const tokens = tokenize(src, context?.loc);
  return new Parser(tokens, taskletSourceText(src), typeof src === 'string' ? [] : src.values, context?.loc);
}

/** Parse tasklet statements; every node records its line:column within the template text. */
export function parseTasklet(src: string | TaskletTemplate, context?: ParseContext): TStmt[] {
  return parser(src, context).statements('eof');
}

/** Parse one expression (a condition, a custom wcr body). */
export function parseTaskletExpr(src: string | TaskletTemplate, context?: ParseContext): TExpr {
  const p = parser(src, context);
  p.skipSeparators();
  const e = p.expression();
  p.skipSeparators();
  p.expectEnd();
  return e;
}
