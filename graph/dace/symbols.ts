// DaCe's symbolic expressions (SymPy text with `symbol($N, dtype=dace.int64)` or `$N` for symbols) to and from Expr.
import { FormatError, SdfgError } from '../errors.js';
import { parseExpr } from '../symbolic-parse.js';
import type { Expr } from '../symbolic.js';

/** A symbol's dtype as its DaCe spelling says (`$N` is DaCe's default symbol type, int32). */
export type SymbolSpellings = Map<string, string>;

export const DEFAULT_SYMBOL_DTYPE = 'int32';
/** Map parameters and symbols never declared are written as DaCe 2.0 writes them: int64. */
export const UNDECLARED_SYMBOL_DTYPE = 'int64';

const SPELLED_SYMBOL = /symbol\(\s*\$?([A-Za-z_]\w*)\s*((?:,\s*\w+\s*=\s*[\w.]+\s*)*)\)/g;
const DOLLAR_SYMBOL = /\$([A-Za-z_]\w*)/g;

/** The text with every symbol spelled by its plain name, recording the dtypes the spellings give. */
export function plainSymbols(text: string, spellings?: SymbolSpellings): string {
  return text
    .replace(SPELLED_SYMBOL, (_all, name: string, kwargs: string) => {
      const dtype = /dtype\s*=\s*dace\.(\w+)/.exec(kwargs)?.[1] ?? DEFAULT_SYMBOL_DTYPE;
      if (spellings && !spellings.has(name)) spellings.set(name, dtype);
      return name;
    })
    .replace(DOLLAR_SYMBOL, (_all, name: string) => {
      if (spellings && !spellings.has(name)) spellings.set(name, DEFAULT_SYMBOL_DTYPE);
      return name;
    });
}

/** A DaCe symbolic expression (a string, or a number where DaCe stored one). */
export function readSymbolic(value: unknown, what: string, spellings?: SymbolSpellings): Expr {
  if (typeof value === 'number' && Number.isInteger(value)) return parseExpr(String(value));
  if (typeof value !== 'string') {
    throw new FormatError({ code: 'dace-expression', message: `${what}: expected a symbolic expression, got ${JSON.stringify(value)}` });
  }
  const plain = plainSymbols(value, spellings);
  try {
    return parseExpr(plain);
  } catch (error) {
    const detail = error instanceof SdfgError ? error.summary : String(error);
    throw new FormatError({
      code: 'dace-expression', message: `${what}: cannot read the symbolic expression '${value}': ${detail}`,
      hint: 'integer expressions over symbols with + - * ** // %, Min, Max, int_floor, int_ceil, Mod are supported',
      cause: error,
    });
  }
}

/** How DaCe spells a symbol of a dtype: `$N` for its default (int32), `symbol($N, dtype=dace.int64)` otherwise. */
export function spellSymbol(name: string, dtype: string): string {
  return dtype === DEFAULT_SYMBOL_DTYPE ? `$${name}` : `symbol($${name}, dtype=dace.${dtype})`;
}

/** An expression in DaCe's spelling; `dtypeOf` gives each symbol's dtype name. */
export function writeSymbolic(e: Expr, dtypeOf: (name: string) => string): string {
  return e.toString().replace(/\b([A-Za-z_]\w*)\b(?!\s*\()/g, (name: string) => spellSymbol(name, dtypeOf(name)));
}
