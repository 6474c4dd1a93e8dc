// Parsing integer expressions in DaCe/Python syntax, over plain strings or tagged-template pieces.
//
// Grammar (Python precedence):  sum := product (('+' | '-') product)*
//   product := unary (('*' | '//' | '%') unary)*      unary := ('-' | '+') unary | power
//   power := primary ('**' unary)?                    primary := int | ${value} | name | call | '(' sum ')'
// `a / b` is accepted only as the whole argument of floor()/ceiling(), where it is exact rounding division.
import { SymbolicError } from './errors.js';
import { type Expr, ceilDiv, floorDiv, int, max, min, mod, sym } from './symbolic.js';

/** Like a tagged template: values[k] sits between strings[k] and strings[k+1]. */
export interface TemplateSource {
  readonly strings: readonly string[];
  readonly values: readonly Expr[];
}
/** segment = index into strings (0 for a plain string); offset within that string. */
export interface SourcePosition {
  readonly segment: number;
  readonly offset: number;
}
export type Token =
  | { readonly kind: 'int'; readonly value: number; readonly pos: SourcePosition }
  | { readonly kind: 'ident'; readonly name: string; readonly pos: SourcePosition }
  | { readonly kind: 'punct'; readonly text: string; readonly pos: SourcePosition }
  | { readonly kind: 'value'; readonly value: Expr; readonly pos: SourcePosition }
  | { readonly kind: 'end'; readonly pos: SourcePosition };

/** Longest first, so that `**` and `//` win over `*` and `/`. */
const PUNCTUATION = ['**', '//', ':', ',', '=', '(', ')', '[', ']', '+', '-', '*', '%', '/'];

// ---------------------------------------------------------------------------------------------
// Positions and errors.

function asTemplate(src: string | TemplateSource): TemplateSource {
  if (typeof src === 'string') return { strings: [src], values: [] };
  if (src.strings.length !== src.values.length + 1) {
    throw new SymbolicError({
      code: 'bad-template',
      message: `a template with ${src.values.length} values needs ${src.values.length + 1} strings, got ${src.strings.length}`,
    });
  }
  return src;
}

/** "at column 5" for a plain string, "in template part 2, column 3" for a template (both count from 1). */
export function describePosition(source: string | TemplateSource, pos: SourcePosition): string {
  const template = asTemplate(source);
  return template.values.length === 0
    ? `at column ${pos.offset + 1}`
    : `in template part ${pos.segment + 1}, column ${pos.offset + 1}`;
}

/** The source on one line (values shown as `${...}`) and a caret line under `pos`. */
export function showPosition(source: string | TemplateSource, pos: SourcePosition): string {
  const { strings, values } = asTemplate(source);
  let text = '';
  let caret = 0;
  strings.forEach((s, k) => {
    if (k === pos.segment) caret = text.length + pos.offset;
    text += s + (k < values.length ? `\${${values[k]!.toString()}}` : '');
  });
  return `  ${text.replace(/\s/g, ' ')}\n  ${' '.repeat(caret)}^`;
}

function syntaxError(source: TemplateSource, pos: SourcePosition, message: string, hint?: string): SymbolicError {
  return new SymbolicError({
    code: 'expr-syntax',
    message: `${message} ${describePosition(source, pos)}\n${showPosition(source, pos)}`,
    ...(hint ? { hint } : {}),
  });
}

export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'int':
      return `'${t.value}'`;
    case 'ident':
      return `'${t.name}'`;
    case 'punct':
      return `'${t.text}'`;
    case 'value':
      return `the interpolated value \${${t.value.toString()}}`;
    case 'end':
      return 'the end of the input';
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens.

const NUMBER = /\d+(\.\d*)?([eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

function scan(source: TemplateSource, segment: number, tokens: Token[]): void {
  const text = source.strings[segment]!;
  const fail = (offset: number, message: string, hint?: string): never => {
    throw syntaxError(source, { segment, offset }, message, hint);
  };
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const pos = { segment, offset: i };
    NUMBER.lastIndex = i;
    IDENT.lastIndex = i;
    const number = NUMBER.exec(text);
    const ident = number ? null : IDENT.exec(text);
    if (number) {
      const literal = number[0];
      if (number[1] || number[2]) fail(i, `non-integer constant '${literal}'`, 'symbolic expressions are integer-valued');
      const value = Number(literal);
      if (!Number.isSafeInteger(value)) fail(i, `integer constant ${literal} is too large`);
      IDENT.lastIndex = i + literal.length;
      const glued = IDENT.exec(text);
      if (glued) fail(i + literal.length, `missing operator between '${literal}' and '${glued[0]}'`, `write ${literal}*${glued[0]}`);
      tokens.push({ kind: 'int', value, pos });
      i += literal.length;
    } else if (ident) {
      tokens.push({ kind: 'ident', name: ident[0], pos });
      i += ident[0].length;
    } else {
      const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
      if (!punct) fail(i, `unexpected character '${text[i]}'`);
      tokens.push({ kind: 'punct', text: punct!, pos });
      i += punct!.length;
    }
  }
}

export function tokenize(src: string | TemplateSource): Token[] {
  const source = asTemplate(src);
  const tokens: Token[] = [];
  source.strings.forEach((text, segment) => {
    scan(source, segment, tokens);
    const value = source.values[segment];
    if (value) tokens.push({ kind: 'value', value, pos: { segment, offset: text.length } });
  });
  const last = source.strings.length - 1;
  tokens.push({ kind: 'end', pos: { segment: last, offset: source.strings[last]!.length } });
  return tokens;
}

function isPunct(t: Token, text: string): boolean {
  return t.kind === 'punct' && t.text === text;
}

// ---------------------------------------------------------------------------------------------
// Functions callable in expressions.

type Rounding = 'floor' | 'ceil';
type Fn =
  | { readonly kind: 'call'; readonly arity: number | 'variadic'; readonly apply: (args: Expr[]) => Expr }
  | { readonly kind: 'rounding'; readonly rounding: Rounding };

const FUNCTIONS: ReadonlyMap<string, Fn> = new Map<string, Fn>([
  ['Min', { kind: 'call', arity: 'variadic', apply: (args) => min(...args) }],
  ['Max', { kind: 'call', arity: 'variadic', apply: (args) => max(...args) }],
  ['min', { kind: 'call', arity: 'variadic', apply: (args) => min(...args) }],
  ['max', { kind: 'call', arity: 'variadic', apply: (args) => max(...args) }],
  ['int_floor', { kind: 'call', arity: 2, apply: ([a, b]) => floorDiv(a!, b!) }],
  ['int_ceil', { kind: 'call', arity: 2, apply: ([a, b]) => ceilDiv(a!, b!) }],
  ['Mod', { kind: 'call', arity: 2, apply: ([a, b]) => mod(a!, b!) }],
  ['floor', { kind: 'rounding', rounding: 'floor' }],
  ['ceiling', { kind: 'rounding', rounding: 'ceil' }],
  ['ceil', { kind: 'rounding', rounding: 'ceil' }],
]);

/** Inside floor(...)/ceiling(...): '/' is allowed once, in the first product, as the last operation. */
interface DivisionSite {
  readonly fn: string;
  readonly rounding: Rounding;
  readonly first: boolean;
}

// ---------------------------------------------------------------------------------------------
// The parser.

/** Recursive descent over tokens with one-token lookahead; other grammars (subsets, map ranges) build on it. */
export class ExprParser {
  private readonly source: TemplateSource;
  private readonly tokens: readonly Token[];
  private index = 0;

  constructor(src: string | TemplateSource) {
    this.source = asTemplate(src);
    this.tokens = tokenize(this.source);
  }

  peek(): Token {
    return this.tokens[this.index]!;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.index++;
    return t;
  }

  accept(punct: string): boolean {
    if (!isPunct(this.peek(), punct)) return false;
    this.index++;
    return true;
  }

  expect(punct: string): Token {
    const t = this.peek();
    if (!isPunct(t, punct)) this.fail(`expected '${punct}' but found ${describeToken(t)}`, t);
    this.index++;
    return t;
  }

  atEnd(): boolean {
    return this.peek().kind === 'end';
  }

  /** Throws SymbolicError 'expr-syntax' pointing at `token` (the next token by default). */
  fail(message: string, token: Token = this.peek(), hint?: string): never {
    throw syntaxError(this.source, token.pos, message, hint);
  }

  /** One expression; stops before any token that cannot continue it (':' ',' ')' ']' '=' or the end). */
  parseExpr(): Expr {
    return this.parseSum(undefined);
  }

  private parseSum(division: DivisionSite | undefined): Expr {
    let result = this.parseProduct(division);
    const rest = division && { ...division, first: false };
    for (;;) {
      if (this.accept('+')) result = result.add(this.parseProduct(rest));
      else if (this.accept('-')) result = result.sub(this.parseProduct(rest));
      else return result;
    }
  }

  private parseProduct(division: DivisionSite | undefined): Expr {
    let result = this.parseUnary();
    for (;;) {
      const op = this.peek();
      if (op.kind !== 'punct') return result;
      if (op.text === '*') (this.next(), (result = result.mul(this.parseUnary())));
      else if (op.text === '//') (this.next(), (result = floorDiv(result, this.parseUnary())));
      else if (op.text === '%') (this.next(), (result = mod(result, this.parseUnary())));
      else if (op.text === '/') return this.parseRoundingDivision(result, op, division);
      else return result;
    }
  }

  /** `a / b` as the whole argument of floor()/ceiling(): exact rounding division. */
  private parseRoundingDivision(dividend: Expr, slash: Token, division: DivisionSite | undefined): Expr {
    if (!division) {
      this.fail("'/' is true division, which integer expressions do not have", slash, "use '//' for floor division (or int_floor(a, b))");
    }
    const misuse = (t: Token): never =>
      this.fail(`${division.fn}() takes a single division a / b as its whole argument`, t, `write ${division.fn}((a + b) / c), or use '//'`);
    if (!division.first) misuse(slash);
    this.next();
    const divisor = this.parseUnary();
    if (!isPunct(this.peek(), ')')) misuse(this.peek());
    return division.rounding === 'floor' ? floorDiv(dividend, divisor) : ceilDiv(dividend, divisor);
  }

  private parseUnary(): Expr {
    if (this.accept('-')) return this.parseUnary().neg();
    if (this.accept('+')) return this.parseUnary();
    return this.parsePower();
  }

  private parsePower(): Expr {
    const base = this.parsePrimary();
    if (!this.accept('**')) return base;
    const at = this.peek();
    const exponent = this.parseUnary();
    const n = exponent.constantValue();
    if (n === undefined || n < 0) {
      this.fail(`the exponent ${exponent.toString()} is not a non-negative integer constant`, at);
    }
    return base.pow(n);
  }

  private parsePrimary(): Expr {
    const t = this.next();
    if (t.kind === 'int') return int(t.value);
    if (t.kind === 'value') return t.value;
    if (t.kind === 'ident') return isPunct(this.peek(), '(') ? this.parseCall(t.name, t) : sym(t.name);
    if (isPunct(t, '(')) {
      const inner = this.parseExpr();
      this.expect(')');
      return inner;
    }
    return this.fail(`expected an expression but found ${describeToken(t)}`, t);
  }

  private parseCall(name: string, at: Token): Expr {
    const fn = FUNCTIONS.get(name);
    if (!fn) this.fail(`unknown function '${name}'`, at, `known functions: ${[...FUNCTIONS.keys()].join(', ')}`);
    this.expect('(');
    if (fn.kind === 'rounding') {
      const inner = this.parseSum({ fn: name, rounding: fn.rounding, first: true });
      this.expect(')');
      return inner;
    }
    const args: Expr[] = [];
    if (!isPunct(this.peek(), ')')) {
      do args.push(this.parseExpr());
      while (this.accept(','));
    }
    this.expect(')');
    if (fn.arity === 'variadic' ? args.length === 0 : args.length !== fn.arity) {
      const wanted = fn.arity === 'variadic' ? 'at least 1 argument' : `${fn.arity} arguments`;
      this.fail(`${name}() takes ${wanted} but got ${args.length}`, at);
    }
    return fn.apply(args);
  }
}

/** Parses a whole input as one expression. */
export function parseExpr(src: string | TemplateSource): Expr {
  const parser = new ExprParser(src);
  const e = parser.parseExpr();
  const extra = parser.peek();
  if (extra.kind !== 'end') {
    const operand = extra.kind === 'int' || extra.kind === 'ident' || extra.kind === 'value';
    parser.fail(`expected an operator or the end of the input but found ${describeToken(extra)}`, extra, operand ? 'is an operator missing?' : undefined);
  }
  return e;
}
