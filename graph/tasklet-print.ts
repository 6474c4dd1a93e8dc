// Prints tasklet ASTs back in the tasklet language: canonical text, minimal parentheses, re-parses to the same AST.
import type { BinaryOp, CodePosition, TaskletCode, TExpr, TStmt } from './tasklet-ast.js';
import { assertNever } from './errors.js';

/**
 * Binding strength of each form, higher binds tighter. Shared with the parser so that the
 * two cannot disagree on what needs parentheses.
 */
export const precedence = {
  ternary: 1,
  '||': 2,
  '&&': 3,
  '|': 4,
  '^': 5,
  '&': 6,
  '==': 7, '!=': 7,
  '<': 8, '<=': 8, '>': 8, '>=': 8,
  '<<': 9, '>>': 9,
  '+': 10, '-': 10,
  '*': 11, '/': 11, '%': 11,
  unary: 12,
  // `**` binds tighter than a unary operator on its left (`-a ** 2` is `-(a ** 2)`) and takes a unary operand on its right.
  '**': 13,
  postfix: 14,
} as const satisfies Record<BinaryOp | 'ternary' | 'unary' | 'postfix', number>;

/** The precedence of the form at the root of an expression. */
export function exprPrecedence(e: TExpr): number {
  switch (e.k) {
    // A negative number prints with a leading '-', so it binds like a unary minus.
    case 'num':
      if (!Number.isFinite(e.value)) return precedence['/'];
      return e.value < 0 || Object.is(e.value, -0) ? precedence.unary : precedence.postfix;
    case 'bool': case 'name': case 'index': case 'call': case 'cast': return precedence.postfix;
    case 'unary': return precedence.unary;
    case 'binary': return precedence[e.op];
    case 'ternary': return precedence.ternary;
    default: return assertNever(e, 'tasklet expression');
  }
}

/** A number literal as the lexer reads it back: floats always carry a '.' or an exponent. */
export function printNumber(value: number, isFloat: boolean): string {
  // The language has no spelling for non-finite values; these expressions compute them (float division by zero).
  if (Number.isNaN(value)) return '0.0 / 0.0';
  if (value === Infinity) return '1.0 / 0.0';
  if (value === -Infinity) return '-1.0 / 0.0';
  if (!isFloat) {
    // BigInt avoids JS's exponent notation above 1e21, which would re-read as a float.
    return Number.isInteger(value) ? BigInt(value).toString() : String(Math.trunc(value));
  }
  const text = Object.is(value, -0) ? '-0' : String(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

function wrap(e: TExpr, min: number): string {
  const text = printTExpr(e);
  return exprPrecedence(e) < min ? `(${text})` : text;
}

/** One expression in tasklet syntax. */
export function printTExpr(e: TExpr): string {
  switch (e.k) {
    case 'num': return printNumber(e.value, e.isFloat);
    case 'bool': return e.value ? 'true' : 'false';
    case 'name': return e.name;
    case 'index': return `${e.name}[${e.indices.map(printTExpr).join(', ')}]`;
    case 'unary': {
      const arg = wrap(e.arg, precedence.unary);
      // `- -a` keeps two tokens apart; `--a` would read as one if the lexer ever grew a decrement.
      const sep = (e.op === '-' || e.op === '+') && arg.startsWith(e.op) ? ' ' : '';
      return `${e.op}${sep}${arg}`;
    }
    case 'binary': {
      const p = precedence[e.op];
      if (e.op === '**') return `${wrap(e.lhs, precedence.postfix)} ** ${wrap(e.rhs, precedence.unary)}`;
      return `${wrap(e.lhs, p)} ${e.op} ${wrap(e.rhs, p + 1)}`;
    }
    case 'ternary':
      // The middle operand is delimited by '?' and ':', so it needs no parentheses; the last one nests to the right.
      return `${wrap(e.cond, precedence.ternary + 1)} ? ${printTExpr(e.then)} : ${wrap(e.else, precedence.ternary)}`;
    case 'call': return `${e.fn}(${e.args.map(printTExpr).join(', ')})`;
    case 'cast': return `${e.dtype.short}(${printTExpr(e.arg)})`;
    default: return assertNever(e, 'tasklet expression');
  }
}

/** A loop bound: a ternary would be hard to read next to the range's own ':'. */
function printBound(e: TExpr): string {
  return wrap(e, precedence.ternary + 1);
}

function isUnitStep(e: TExpr): boolean {
  return e.k === 'num' && !e.isFloat && e.value === 1;
}

function printBlock(body: readonly TStmt[], indent: string): string {
  if (body.length === 0) return '{\n' + indent + '}';
  return '{\n' + printTStmts(body, indent + '  ') + '\n' + indent + '}';
}

function printStmt(s: TStmt, indent: string): string {
  switch (s.k) {
    case 'assign': return `${indent}${printTExpr(s.target)} ${s.op} ${printTExpr(s.value)}`;
    case 'let': return `${indent}let ${s.name}${s.dtype ? `: ${s.dtype.short}` : ''} = ${printTExpr(s.value)}`;
    case 'if': {
      let text = `${indent}if (${printTExpr(s.cond)}) ${printBlock(s.then, indent)}`;
      let rest = s.else;
      // An else branch holding exactly one `if` is an `else if` chain.
      while (rest.length === 1 && rest[0]!.k === 'if') {
        const inner: Extract<TStmt, { k: 'if' }> = rest[0]!;
        text += ` else if (${printTExpr(inner.cond)}) ${printBlock(inner.then, indent)}`;
        rest = inner.else;
      }
      if (rest.length > 0) text += ` else ${printBlock(rest, indent)}`;
      return text;
    }
    case 'for': {
      const step = isUnitStep(s.step) ? '' : `:${printBound(s.step)}`;
      return `${indent}for (${s.variable} in ${printBound(s.begin)}:${printBound(s.end)}${step}) ${printBlock(s.body, indent)}`;
    }
    default: return assertNever(s, 'tasklet statement');
  }
}

/** Statements, one per line, each prefixed by `indent`; blocks indent by two more spaces. */
export function printTStmts(body: readonly TStmt[], indent = ''): string {
  return body.map((s) => printStmt(s, indent)).join('\n');
}

/** Tasklet code as text: the typed language printed canonically, a raw block as written. */
export function printTaskletCode(code: TaskletCode): string {
  switch (code.language) {
    case 'tasklet': return printTStmts(code.body);
    case 'Python': case 'CPP': case 'CUDA': case 'WGSL': case 'HLS': return code.source;
    default: return assertNever(code, 'tasklet code');
  }
}

/** `line:column` of a position inside tasklet code. */
export function formatCodePosition(pos: CodePosition | undefined): string {
  return pos ? `${pos.line}:${pos.column}` : '?:?';
}

/** The source line holding `pos`, with a caret under its column (tabs kept so the caret lines up). */
export function formatCodeExcerpt(source: string, pos: CodePosition): string {
  const line = source.split(/\r?\n/)[pos.line - 1];
  if (line === undefined) return '';
  const lead = line.slice(0, Math.max(0, pos.column - 1)).replace(/[^\t]/g, ' ');
  return `  ${line}\n  ${lead}^`;
}
