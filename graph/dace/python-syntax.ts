// A parser for the Python subset DaCe writes in tasklets, interstate edges, loop statements and wcr lambdas.
//
// It builds a small Python AST (PyExpr / PyStmt); python-translate.ts turns it into the tasklet language. Only
// syntax is checked here: what the tasklet language cannot express is reported by the translator.
import { FormatError } from '../errors.js';
import type { CodePosition } from '../tasklet-ast.js';

export type PyBinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '<<' | '>>' | '&' | '|' | '^' | '@';
export type PyCompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'is' | 'is not' | 'in' | 'not in';
export type PyUnaryOp = '-' | '+' | '~' | 'not';

export type PyExpr =
  | { readonly k: 'num'; readonly value: number; readonly isFloat: boolean; readonly pos: CodePosition }
  | { readonly k: 'str'; readonly value: string; readonly pos: CodePosition }
  | { readonly k: 'const'; readonly value: boolean | null; readonly pos: CodePosition }
  | { readonly k: 'name'; readonly id: string; readonly pos: CodePosition }
  | { readonly k: 'attr'; readonly obj: PyExpr; readonly attr: string; readonly pos: CodePosition }
  | { readonly k: 'call'; readonly fn: PyExpr; readonly args: readonly PyExpr[]; readonly keywords: readonly string[]; readonly pos: CodePosition }
  | { readonly k: 'subscript'; readonly obj: PyExpr; readonly indices: readonly PyExpr[]; readonly pos: CodePosition }
  | { readonly k: 'slice'; readonly pos: CodePosition }
  | { readonly k: 'unary'; readonly op: PyUnaryOp; readonly arg: PyExpr; readonly pos: CodePosition }
  | { readonly k: 'binary'; readonly op: PyBinaryOp; readonly lhs: PyExpr; readonly rhs: PyExpr; readonly pos: CodePosition }
  | { readonly k: 'boolop'; readonly op: 'and' | 'or'; readonly values: readonly PyExpr[]; readonly pos: CodePosition }
  | { readonly k: 'compare'; readonly first: PyExpr; readonly ops: readonly PyCompareOp[]; readonly rest: readonly PyExpr[]; readonly pos: CodePosition }
  | { readonly k: 'ifexp'; readonly test: PyExpr; readonly body: PyExpr; readonly orelse: PyExpr; readonly pos: CodePosition }
  | { readonly k: 'lambda'; readonly params: readonly string[]; readonly body: PyExpr; readonly pos: CodePosition }
  | { readonly k: 'tuple'; readonly items: readonly PyExpr[]; readonly pos: CodePosition };

export type PyAugOp = '+=' | '-=' | '*=' | '/=' | '//=' | '%=' | '**=' | '<<=' | '>>=' | '&=' | '|=' | '^=';

export type PyStmt =
  | { readonly k: 'assign'; readonly targets: readonly PyExpr[]; readonly value: PyExpr; readonly pos: CodePosition }
  | { readonly k: 'augassign'; readonly target: PyExpr; readonly op: PyAugOp; readonly value: PyExpr; readonly pos: CodePosition }
  | { readonly k: 'expr'; readonly value: PyExpr; readonly pos: CodePosition }
  | { readonly k: 'if'; readonly test: PyExpr; readonly body: readonly PyStmt[]; readonly orelse: readonly PyStmt[]; readonly pos: CodePosition }
  | { readonly k: 'for'; readonly target: string; readonly iter: PyExpr; readonly body: readonly PyStmt[]; readonly pos: CodePosition }
  | { readonly k: 'pass'; readonly pos: CodePosition }
  /** A statement kind the subset does not cover (`while`, `def`, `return`, …): kept so the translator can name it. */
  | { readonly k: 'other'; readonly keyword: string; readonly pos: CodePosition };

// ---------------------------------------------------------------------------------------------------------------
// Tokens.

type Tok =
  | { readonly t: 'num'; readonly text: string; readonly pos: CodePosition }
  | { readonly t: 'str'; readonly text: string; readonly pos: CodePosition }
  | { readonly t: 'name'; readonly text: string; readonly pos: CodePosition }
  | { readonly t: 'op'; readonly text: string; readonly pos: CodePosition }
  | { readonly t: 'newline' | 'indent' | 'dedent' | 'end'; readonly text: string; readonly pos: CodePosition };

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '**', '//', '<<', '>>', '<=', '>=', '==', '!=', '->', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '+', '-', '*', '/', '%', '@', '&', '|', '^', '~', '<', '>', '(', ')', '[', ']', '{', '}', ',', ':', '.', ';', '=',
];

function syntaxError(what: string, source: string, pos: CodePosition, message: string): FormatError {
  const line = source.split('\n')[pos.line - 1] ?? '';
  return new FormatError({
    code: 'python-syntax', message: `${what}: ${message} at line ${pos.line}, column ${pos.column}`,
    hint: `in: ${line.trim()}`,
  });
}

/** Python tokens with INDENT/DEDENT, newlines inside brackets ignored, comments and line continuations dropped. */
function tokenize(source: string, what: string): Tok[] {
  const toks: Tok[] = [];
  const indents = [0];
  let depth = 0;
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let continued = false;
  lines.forEach((text, li) => {
    const line = li + 1;
    let i = 0;
    if (depth === 0 && !continued) {
      while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
      if (i === text.length || text[i] === '#') return; // blank or comment-only line
      const width = text.slice(0, i).replace(/\t/g, '        ').length;
      const top = indents[indents.length - 1]!;
      if (width > top) { indents.push(width); toks.push({ t: 'indent', text: '', pos: { line, column: 1 } }); }
      while (width < indents[indents.length - 1]!) {
        indents.pop();
        toks.push({ t: 'dedent', text: '', pos: { line, column: 1 } });
      }
      if (width !== indents[indents.length - 1]) throw syntaxError(what, source, { line, column: i + 1 }, 'inconsistent indentation');
    }
    continued = false;
    while (i < text.length) {
      const c = text[i]!;
      const pos = { line, column: i + 1 };
      if (c === ' ' || c === '\t') { i++; continue; }
      if (c === '#') break;
      if (c === '\\' && i === text.length - 1) { continued = true; i++; break; }
      const num = /^(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
      if (num && /[\d.]/.test(c) && num[0] !== '.') { toks.push({ t: 'num', text: num[0], pos }); i += num[0].length; continue; }
      const name = /^[A-Za-z_]\w*/.exec(text.slice(i));
      if (name) { toks.push({ t: 'name', text: name[0], pos }); i += name[0].length; continue; }
      if (c === '"' || c === "'") {
        const end = text.indexOf(c, i + 1);
        if (end < 0) throw syntaxError(what, source, pos, 'unterminated string');
        toks.push({ t: 'str', text: text.slice(i + 1, end), pos });
        i = end + 1;
        continue;
      }
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) throw syntaxError(what, source, pos, `unexpected character '${c}'`);
      if (op === '(' || op === '[' || op === '{') depth++;
      if (op === ')' || op === ']' || op === '}') depth = Math.max(0, depth - 1);
      toks.push({ t: 'op', text: op, pos });
      i += op.length;
    }
    if (depth === 0 && !continued && toks.length && toks[toks.length - 1]!.t !== 'newline') {
      toks.push({ t: 'newline', text: '', pos: { line, column: text.length + 1 } });
    }
  });
  const endPos = { line: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
  if (toks.length && toks[toks.length - 1]!.t !== 'newline') toks.push({ t: 'newline', text: '', pos: endPos });
  while (indents.length > 1) { indents.pop(); toks.push({ t: 'dedent', text: '', pos: endPos }); }
  toks.push({ t: 'end', text: '', pos: endPos });
  return toks;
}

// ---------------------------------------------------------------------------------------------------------------
// Parser (precedence climbing, following Python's grammar for the covered subset).

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);
const AUG_OPS = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '<<=', '>>=', '&=', '|=', '^=']);
const BINARY_LEVELS: readonly (readonly string[])[] = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '//', '%', '@']];
const COMPOUND_KEYWORDS = new Set(['while', 'def', 'class', 'with', 'try', 'return', 'break', 'continue', 'import', 'from', 'global', 'nonlocal', 'del', 'raise', 'assert', 'yield']);

class Parser {
  private at = 0;
  constructor(private readonly toks: Tok[], private readonly source: string, private readonly what: string) {}

  private peek(offset = 0): Tok { return this.toks[Math.min(this.at + offset, this.toks.length - 1)]!; }
  private next(): Tok { return this.toks[Math.min(this.at++, this.toks.length - 1)]!; }
  private isOp(text: string): boolean { const t = this.peek(); return t.t === 'op' && t.text === text; }
  private isName(text: string): boolean { const t = this.peek(); return t.t === 'name' && t.text === text; }
  private accept(text: string): boolean {
    if (this.isOp(text) || this.isName(text)) { this.at++; return true; }
    return false;
  }

  fail(message: string, tok: Tok = this.peek()): never {
    throw syntaxError(this.what, this.source, tok.pos, message);
  }

  private expect(text: string): Tok {
    if (!this.isOp(text) && !this.isName(text)) this.fail(`expected '${text}' but found ${describe(this.peek())}`);
    return this.next();
  }

  atEnd(): boolean { return this.peek().t === 'end'; }

  // --- statements

  statements(): PyStmt[] {
    const out: PyStmt[] = [];
    while (this.peek().t === 'newline') this.next();
    while (!this.atEnd()) {
      if (this.peek().t === 'indent') this.fail('unexpected indentation');
      out.push(...this.statement());
      while (this.peek().t === 'newline') this.next();
    }
    return out;
  }

  private block(): PyStmt[] {
    this.expect(':');
    if (this.peek().t !== 'newline') return this.simpleLine();
    this.next();
    if (this.peek().t !== 'indent') this.fail('expected an indented block');
    this.next();
    const body: PyStmt[] = [];
    while (this.peek().t !== 'dedent' && !this.atEnd()) {
      body.push(...this.statement());
      while (this.peek().t === 'newline') this.next();
    }
    if (this.peek().t === 'dedent') this.next();
    return body;
  }

  private statement(): PyStmt[] {
    const tok = this.peek();
    if (tok.t === 'name' && (tok.text === 'if' || tok.text === 'for')) return [tok.text === 'if' ? this.ifStatement() : this.forStatement()];
    return this.simpleLine();
  }

  private ifStatement(): PyStmt {
    const pos = this.next().pos;
    const test = this.expr();
    const body = this.block();
    let orelse: PyStmt[] = [];
    if (this.isName('elif')) orelse = [this.ifStatement()];
    else if (this.isName('else')) { this.next(); orelse = this.block(); }
    return { k: 'if', test, body, orelse, pos };
  }

  private forStatement(): PyStmt {
    const pos = this.next().pos;
    const target = this.next();
    if (target.t !== 'name') this.fail('a for loop needs a single loop variable', target);
    this.expect('in');
    const iter = this.expr();
    return { k: 'for', target: target.text, iter, body: this.block(), pos };
  }

  /** Simple statements on one line, separated by ';'. */
  private simpleLine(): PyStmt[] {
    const out = [this.simpleStatement()];
    while (this.accept(';')) {
      if (this.peek().t === 'newline' || this.atEnd()) break;
      out.push(this.simpleStatement());
    }
    if (this.peek().t !== 'newline' && !this.atEnd()) this.fail(`expected the end of the statement but found ${describe(this.peek())}`);
    if (this.peek().t === 'newline') this.next();
    return out;
  }

  private simpleStatement(): PyStmt {
    const tok = this.peek();
    if (tok.t === 'name' && tok.text === 'pass') { this.next(); return { k: 'pass', pos: tok.pos }; }
    if (tok.t === 'name' && COMPOUND_KEYWORDS.has(tok.text)) {
      // Skip to the end of the construct: the translator reports the keyword; the raw code is kept as it was.
      while (!this.atEnd()) this.next();
      return { k: 'other', keyword: tok.text, pos: tok.pos };
    }
    const first = this.exprList();
    const op = this.peek();
    if (op.t === 'op' && AUG_OPS.has(op.text)) {
      this.next();
      return { k: 'augassign', target: first, op: op.text as PyAugOp, value: this.exprList(), pos: tok.pos };
    }
    if (this.isOp('=')) {
      const targets = [first];
      let value = first;
      while (this.accept('=')) { value = this.exprList(); targets.push(value); }
      targets.pop();
      return { k: 'assign', targets, value, pos: tok.pos };
    }
    return { k: 'expr', value: first, pos: tok.pos };
  }

  // --- expressions

  /** `a, b` is a tuple. */
  exprList(): PyExpr {
    const first = this.expr();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.accept(',')) {
      if (this.isOp('=') || this.isOp(')') || this.peek().t === 'newline' || this.atEnd()) break;
      items.push(this.expr());
    }
    return { k: 'tuple', items, pos: first.pos };
  }

  expr(): PyExpr {
    if (this.isName('lambda')) return this.lambda();
    const body = this.orExpr();
    if (!this.isName('if')) return body;
    this.next();
    const test = this.orExpr();
    this.expect('else');
    return { k: 'ifexp', test, body, orelse: this.expr(), pos: body.pos };
  }

  private lambda(): PyExpr {
    const pos = this.next().pos;
    const params: string[] = [];
    while (!this.isOp(':')) {
      const p = this.next();
      if (p.t !== 'name') this.fail('lambda parameters must be plain names', p);
      params.push(p.text);
      if (!this.accept(',')) break;
    }
    this.expect(':');
    return { k: 'lambda', params, body: this.expr(), pos };
  }

  private orExpr(): PyExpr { return this.boolChain('or', () => this.andExpr()); }
  private andExpr(): PyExpr { return this.boolChain('and', () => this.notExpr()); }

  private boolChain(op: 'and' | 'or', operand: () => PyExpr): PyExpr {
    const first = operand();
    if (!this.isName(op)) return first;
    const values = [first];
    while (this.accept(op)) values.push(operand());
    return { k: 'boolop', op, values, pos: first.pos };
  }

  private notExpr(): PyExpr {
    if (this.isName('not')) {
      const pos = this.next().pos;
      return { k: 'unary', op: 'not', arg: this.notExpr(), pos };
    }
    return this.comparison();
  }

  private compareOp(): PyCompareOp | undefined {
    const t = this.peek();
    if (t.t === 'op' && COMPARE_OPS.has(t.text)) { this.next(); return t.text as PyCompareOp; }
    if (t.t !== 'name') return undefined;
    if (t.text === 'in') { this.next(); return 'in'; }
    if (t.text === 'is') { this.next(); return this.accept('not') ? 'is not' : 'is'; }
    if (t.text === 'not' && this.peek(1).t === 'name' && this.peek(1).text === 'in') { this.next(); this.next(); return 'not in'; }
    return undefined;
  }

  private comparison(): PyExpr {
    const first = this.binary(0);
    const ops: PyCompareOp[] = [], rest: PyExpr[] = [];
    for (let op = this.compareOp(); op; op = this.compareOp()) { ops.push(op); rest.push(this.binary(0)); }
    return ops.length ? { k: 'compare', first, ops, rest, pos: first.pos } : first;
  }

  private binary(level: number): PyExpr {
    if (level === BINARY_LEVELS.length) return this.unary();
    let lhs = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || !BINARY_LEVELS[level]!.includes(t.text)) return lhs;
      this.next();
      lhs = { k: 'binary', op: t.text as PyBinaryOp, lhs, rhs: this.binary(level + 1), pos: lhs.pos };
    }
  }

  private unary(): PyExpr {
    const t = this.peek();
    if (t.t === 'op' && (t.text === '-' || t.text === '+' || t.text === '~')) {
      this.next();
      return { k: 'unary', op: t.text, arg: this.unary(), pos: t.pos };
    }
    return this.power();
  }

  /** `a ** b` binds tighter than a unary minus on its left, looser on its right: `-a ** -b` is `-(a ** (-b))`. */
  private power(): PyExpr {
    const base = this.postfix();
    if (!this.isOp('**')) return base;
    this.next();
    return { k: 'binary', op: '**', lhs: base, rhs: this.unary(), pos: base.pos };
  }

  private postfix(): PyExpr {
    let e = this.atom();
    for (;;) {
      if (this.accept('.')) {
        const name = this.next();
        if (name.t !== 'name') this.fail('expected an attribute name after \'.\'', name);
        e = { k: 'attr', obj: e, attr: name.text, pos: e.pos };
      } else if (this.isOp('(')) {
        this.next();
        const args: PyExpr[] = [], keywords: string[] = [];
        while (!this.isOp(')')) {
          if (this.peek().t === 'name' && this.peek(1).t === 'op' && this.peek(1).text === '=') {
            keywords.push(this.next().text);
            this.next();
            this.expr();
          } else args.push(this.expr());
          if (!this.accept(',')) break;
        }
        this.expect(')');
        e = { k: 'call', fn: e, args, keywords, pos: e.pos };
      } else if (this.isOp('[')) {
        this.next();
        const indices: PyExpr[] = [];
        while (!this.isOp(']')) {
          indices.push(this.subscriptItem());
          if (!this.accept(',')) break;
        }
        this.expect(']');
        e = { k: 'subscript', obj: e, indices, pos: e.pos };
      } else return e;
    }
  }

  private subscriptItem(): PyExpr {
    const pos = this.peek().pos;
    const startsSlice = (): boolean => this.isOp(':');
    if (!startsSlice()) {
      const e = this.expr();
      if (!startsSlice()) return e;
    }
    // A slice: parsed for syntax, represented only by its position (the translator rejects slices).
    while (this.accept(':')) if (!this.isOp(':') && !this.isOp(',') && !this.isOp(']')) this.expr();
    return { k: 'slice', pos };
  }

  private atom(): PyExpr {
    const t = this.next();
    switch (t.t) {
      case 'num': return parseNumber(t.text, t.pos);
      case 'str': return { k: 'str', value: t.text, pos: t.pos };
      case 'name':
        if (t.text === 'True' || t.text === 'False') return { k: 'const', value: t.text === 'True', pos: t.pos };
        if (t.text === 'None') return { k: 'const', value: null, pos: t.pos };
        return { k: 'name', id: t.text, pos: t.pos };
      case 'op':
        if (t.text === '(') {
          if (this.accept(')')) return { k: 'tuple', items: [], pos: t.pos };
          const inner = this.exprList();
          this.expect(')');
          return inner;
        }
        return this.fail(`unexpected ${describe(t)}`, t);
      default: return this.fail(`unexpected ${describe(t).replace(/^the /, '')}`, t);
    }
  }
}

function describe(t: Tok): string {
  switch (t.t) {
    case 'end': return 'the end of the code';
    case 'newline': return 'the end of the line';
    case 'indent': return 'an indented line';
    case 'dedent': return 'the end of a block';
    case 'str': return `the string '${t.text}'`;
    default: return `'${t.text}'`;
  }
}

function parseNumber(text: string, pos: CodePosition): PyExpr {
  const clean = text.replace(/_/g, '');
  if (/^0[xXoObB]/.test(clean)) return { k: 'num', value: Number(clean), isFloat: false, pos };
  const isFloat = /[.eE]/.test(clean);
  return { k: 'num', value: Number(clean), isFloat, pos };
}

/** Parse Python statements (a tasklet body, `t = 0`). `what` names the code in error messages. */
export function parsePythonStatements(source: string, what = 'Python code'): PyStmt[] {
  return new Parser(tokenize(source, what), source, what).statements();
}

/** Parse one Python expression (an interstate condition, a wcr lambda). */
export function parsePythonExpression(source: string, what = 'Python expression'): PyExpr {
  const toks = tokenize(source, what).filter((t) => t.t !== 'newline' && t.t !== 'indent' && t.t !== 'dedent');
  const parser = new Parser(toks, source, what);
  if (parser.atEnd()) parser.fail('the expression is empty');
  const e = parser.exprList();
  if (!parser.atEnd()) parser.fail('unexpected text after the expression');
  return e;
}
