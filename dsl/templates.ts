// Tagged-template plumbing: typed interpolations (never pasted text) and the map-range grammar.
import { BuilderError } from '../graph/errors.js';
import { Expr, int } from '../graph/symbolic.js';
import { ExprParser, type TemplateSource } from '../graph/symbolic-parse.js';
import type { Range } from '../graph/subsets.js';
import { range } from '../graph/subsets.js';
import type { SourceLocation } from '../graph/source-location.js';

export function isTemplateCall(args: readonly unknown[]): args is [TemplateStringsArray, ...unknown[]] {
  const first = args[0];
  return Array.isArray(first) && Object.prototype.hasOwnProperty.call(first, 'raw');
}

/** Something that stands for an integer expression inside a subset or range template. */
export interface SymbolicValue { toExpr(): Expr }

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return `a ${typeof value}`;
}

/** Turn one `${…}` of a subset/range template into an integer expression, or explain why it can't be one. */
export function interpolationToExpr(value: unknown, index: number, what: string, loc?: SourceLocation): Expr {
  if (value instanceof Expr) return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return int(value);
    throw new BuilderError({
      code: 'bad-interpolation', loc,
      message: `interpolation #${index + 1} in ${what} is ${value}, not an integer`,
      hint: 'subsets and ranges are integer expressions: interpolate an integer, a symbol or an expression over symbols',
    });
  }
  if (typeof value === 'string') {
    throw new BuilderError({
      code: 'interpolated-string', loc,
      message: `interpolation #${index + 1} in ${what} is the string ${JSON.stringify(value)}; text is never pasted into templates`,
      hint: 'write the name inside the template itself, or interpolate a symbol (p.symbol(...)) or a number',
    });
  }
  if (value && typeof (value as SymbolicValue).toExpr === 'function') return (value as SymbolicValue).toExpr();
  throw new BuilderError({
    code: 'bad-interpolation', loc,
    message: `interpolation #${index + 1} in ${what} is ${describe(value)}, not an integer expression`,
    hint: 'interpolate a symbol, a number or an expression over symbols',
  });
}

export function templateSource(strings: TemplateStringsArray, values: readonly unknown[], what: string, loc?: SourceLocation): TemplateSource {
  return { strings: [...strings], values: values.map((v, i) => interpolationToExpr(v, i, what, loc)) };
}

/** Rethrow a symbolic parse error as a builder error at the user's call. */
export function atCall<T>(loc: SourceLocation | undefined, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof BuilderError) throw error;
    if (error instanceof Error && 'code' in error && !(error as BuilderError).loc) {
      const e = error as BuilderError;
      throw new BuilderError({ code: e.code, message: `in ${what}: ${e.summary ?? e.message}`, loc, hint: e.hint, cause: error });
    }
    throw error;
  }
}

export interface ParamRange { readonly param: string; readonly range: Range }

/** `i = 0:N, j = 1:M - 1:2` — parameters with exclusive-end ranges. */
export function parseMapRanges(src: string | TemplateSource): ParamRange[] {
  const parser: ExprParser = new ExprParser(src);
  const result: ParamRange[] = [];
  do {
    const token = parser.next();
    if (token.kind !== 'ident') parser.fail('expected a parameter name', token, 'write ranges as `i = 0:N, j = 0:M`');
    const name = token;
    parser.expect('=');
    const begin = parser.parseExpr();
    parser.expect(':');
    const end = parser.parseExpr();
    const step = parser.accept(':') ? parser.parseExpr() : int(1);
    if (result.some((r) => r.param === name.name)) parser.fail(`parameter ${name.name} appears twice`, name);
    result.push({ param: name.name, range: range(begin, end, step) });
  } while (parser.accept(','));
  if (!parser.atEnd()) parser.fail('expected `,` or the end of the ranges', parser.peek());
  return result;
}
