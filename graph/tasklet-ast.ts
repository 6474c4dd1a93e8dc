// The tasklet language as data: expressions and statements held by a Tasklet, printed by every target.
import type { DType } from './dtypes.js';

/** Position inside the tasklet's template text (1-based line and column). */
export interface CodePosition { readonly line: number; readonly column: number }

export type UnaryOp = '-' | '+' | '!' | '~';
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '**'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '&&' | '||'
  | '&' | '|' | '^' | '<<' | '>>';

export type TExpr =
  | { readonly k: 'num'; readonly value: number; readonly isFloat: boolean; readonly pos?: CodePosition }
  | { readonly k: 'bool'; readonly value: boolean; readonly pos?: CodePosition }
  /** A connector, a local variable, a symbol or a map parameter. */
  | { readonly k: 'name'; readonly name: string; readonly pos?: CodePosition }
  /** Element of an array-valued connector: `a[0]`, `a[i, j]` (indices relative to the memlet's subset). */
  | { readonly k: 'index'; readonly name: string; readonly indices: readonly TExpr[]; readonly pos?: CodePosition }
  | { readonly k: 'unary'; readonly op: UnaryOp; readonly arg: TExpr; readonly pos?: CodePosition }
  | { readonly k: 'binary'; readonly op: BinaryOp; readonly lhs: TExpr; readonly rhs: TExpr; readonly pos?: CodePosition }
  | { readonly k: 'ternary'; readonly cond: TExpr; readonly then: TExpr; readonly else: TExpr; readonly pos?: CodePosition }
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly TExpr[]; readonly pos?: CodePosition }
  | { readonly k: 'cast'; readonly dtype: DType; readonly arg: TExpr; readonly pos?: CodePosition };

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=';

export type TStmt =
  /** Assignment to an output connector (or an element of one) or a local variable. */
  | { readonly k: 'assign'; readonly target: TExpr & { readonly k: 'name' | 'index' }; readonly op: AssignOp; readonly value: TExpr; readonly pos?: CodePosition }
  /** A local variable, optionally typed; its type otherwise comes from the value. */
  | { readonly k: 'let'; readonly name: string; readonly dtype?: DType; readonly value: TExpr; readonly pos?: CodePosition }
  | { readonly k: 'if'; readonly cond: TExpr; readonly then: readonly TStmt[]; readonly else: readonly TStmt[]; readonly pos?: CodePosition }
  /** Bounded loop: `for v in begin:end[:step] { ... }` with an exclusive end. */
  | { readonly k: 'for'; readonly variable: string; readonly begin: TExpr; readonly end: TExpr; readonly step: TExpr; readonly body: readonly TStmt[]; readonly pos?: CodePosition };

/** Tasklet code: the typed tasklet language, or a raw block in a target's own language (the escape hatch). */
export type TaskletCode =
  | { readonly language: 'tasklet'; readonly body: readonly TStmt[]; readonly source?: string }
  | { readonly language: 'Python' | 'CPP' | 'CUDA' | 'WGSL' | 'HLS'; readonly source: string };

export type TaskletLanguage = TaskletCode['language'];

/** Every name an expression reads. */
export function namesRead(e: TExpr, into: Set<string> = new Set()): Set<string> {
  switch (e.k) {
    case 'num': case 'bool': break;
    case 'name': into.add(e.name); break;
    case 'index': into.add(e.name); e.indices.forEach((i) => namesRead(i, into)); break;
    case 'unary': namesRead(e.arg, into); break;
    case 'binary': namesRead(e.lhs, into); namesRead(e.rhs, into); break;
    case 'ternary': namesRead(e.cond, into); namesRead(e.then, into); namesRead(e.else, into); break;
    case 'call': e.args.forEach((a) => namesRead(a, into)); break;
    case 'cast': namesRead(e.arg, into); break;
  }
  return into;
}

/** Walk statements (depth-first), visiting each one. */
export function forEachStmt(body: readonly TStmt[], visit: (s: TStmt) => void): void {
  for (const s of body) {
    visit(s);
    switch (s.k) {
      case 'assign': case 'let': break;
      case 'if': forEachStmt(s.then, visit); forEachStmt(s.else, visit); break;
      case 'for': forEachStmt(s.body, visit); break;
    }
  }
}
