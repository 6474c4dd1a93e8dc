// Splits tasklet-language text (a string or a tagged template's pieces) into tokens with line:column positions.
import { TaskletError } from '../graph/errors.js';
import type { CodePosition } from '../graph/tasklet-ast.js';
import { formatCodeExcerpt } from '../graph/tasklet-print.js';
import type { SourceLocation } from '../graph/source-location.js';

export type TokenKind = 'num' | 'name' | 'op' | 'interp' | 'newline' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: CodePosition;
  /** For 'num': the value, and whether it was written as a float. For 'interp': the template value's index. */
  readonly value?: number;
  readonly isFloat?: boolean;
}

/** A tagged template's pieces: the literal strings and the interpolated values between them. */
export interface TaskletTemplate { readonly strings: readonly string[]; readonly values: readonly unknown[] }

/** How an interpolation shows in positions and error excerpts. */
export const placeholder = '${…}';

/** The template as text, each interpolation standing as its `${…}` placeholder. */
export function taskletSourceText(src: string | TaskletTemplate): string {
  return typeof src === 'string' ? src : src.strings.join(placeholder);
}

export const keywords: ReadonlySet<string> = new Set(['let', 'if', 'else', 'for', 'in', 'true', 'false']);

// Longest first, so that `<<=` is not read as `<<` `=`.
const operators = [
  '<<=', '>>=',
  '**', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '|', '^', '?', ':', '(', ')', '[', ']', '{', '}', ',', ';',
];

/** After these a line break cannot end a statement: the expression or list goes on on the next line. */
const continuesLine = new Set([
  '<<=', '>>=', '**', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=',
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '|', '^', '?', ':', '(', '[', '{', ',', ';',
]);

export interface SyntaxErrorDetails {
  readonly message: string;
  readonly pos: CodePosition;
  readonly source: string;
  readonly hint?: string;
  readonly loc?: SourceLocation;
}

/** A 'tasklet-syntax' error: what and where (line:column), the source line with a caret, and how to fix it. */
export function syntaxError(d: SyntaxErrorDetails): TaskletError {
  const excerpt = formatCodeExcerpt(d.source, d.pos);
  return new TaskletError({
    code: 'tasklet-syntax',
    message: `${d.message} at ${d.pos.line}:${d.pos.column}${excerpt ? `\n${excerpt}` : ''}`,
    ...(d.hint ? { hint: d.hint } : {}),
    ...(d.loc ? { loc: d.loc } : {}),
  });
}

const numberPattern = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;
const namePattern = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Tokens of the whole template; newlines inside brackets or after an operator are dropped (the line goes on). */
export function tokenize(src: string | TaskletTemplate, loc?: SourceLocation): Token[] {
  const pieces = typeof src === 'string' ? [src] : src.strings;
  const source = taskletSourceText(src);
  const tokens: Token[] = [];
  let line = 1, column = 1, depth = 0;
  const push = (t: Token): void => {
    if (t.kind === 'newline') {
      const last = tokens[tokens.length - 1];
      const continued = !last || last.kind === 'newline' || (last.kind === 'op' && continuesLine.has(last.text));
      if (depth > 0 || continued) return;
    }
    tokens.push(t);
  };
  pieces.forEach((piece, index) => {
    let i = 0;
    while (i < piece.length) {
      const pos = { line, column };
      const ch = piece[i]!;
      const rest = piece.slice(i);
      let length = 1;
      if (ch === '\n') {
        push({ kind: 'newline', text: '\n', pos });
        line += 1;
        column = 1;
        i += 1;
        continue;
      } else if (ch === ' ' || ch === '\t' || ch === '\r') {
        // whitespace
      } else if (rest.startsWith('//')) {
        length = rest.includes('\n') ? rest.indexOf('\n') : rest.length;
      } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(piece[i + 1] ?? ''))) {
        const text = numberPattern.exec(rest)![0];
        if (namePattern.test(piece.slice(i + text.length))) {
          throw syntaxError({ message: `malformed number '${text}${namePattern.exec(piece.slice(i + text.length))![0]}'`, pos, source, hint: 'numbers are written 12, 1.5, 1e-3 or 0xff', loc });
        }
        const isFloat = !/^0[xX]/.test(text) && /[.eE]/.test(text);
        push({ kind: 'num', text, pos, value: Number(text), isFloat });
        length = text.length;
      } else if (namePattern.test(rest)) {
        const text = namePattern.exec(rest)![0];
        push({ kind: 'name', text, pos });
        length = text.length;
      } else {
        const op = operators.find((o) => rest.startsWith(o));
        if (!op) {
          throw syntaxError({ message: `unexpected character '${ch}'`, pos, source, hint: 'tasklet code holds names, numbers and the operators of C', loc });
        }
        if (op === '(' || op === '[') depth += 1;
        if ((op === ')' || op === ']') && depth > 0) depth -= 1;
        push({ kind: 'op', text: op, pos });
        length = op.length;
      }
      i += length;
      column += length;
    }
    if (index < pieces.length - 1) {
      push({ kind: 'interp', text: placeholder, pos: { line, column }, value: index });
      column += placeholder.length;
    }
  });
  tokens.push({ kind: 'eof', text: 'end of code', pos: { line, column } });
  return tokens;
}
