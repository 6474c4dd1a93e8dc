// Declaring a program's parameters up front, so `run(args)` and the handles are typed from them.
import type { DType, DTypeName, TypedArrayOf } from '../graph/dtypes.js';
import { i64 } from '../graph/dtypes.js';
import { BuilderError } from '../graph/errors.js';
import { parseExpr } from '../graph/symbolic-parse.js';
import { type Expr, type ExprLike, toExpr } from '../graph/symbolic.js';
import type { ArrayHandle, ScalarHandle, StreamHandle } from './handles.js';
import type { ProgramBuilder } from './builder.js';
import type { SourceLocation } from '../graph/source-location.js';

export interface SymbolDecl { readonly decl: 'symbol'; readonly dtype: DType }
export interface ArrayDecl<N extends DTypeName = DTypeName> { readonly decl: 'array'; readonly dtype: DType<N>; readonly shape: readonly (string | ExprLike)[] }
export interface ScalarDecl<N extends DTypeName = DTypeName> { readonly decl: 'scalar'; readonly dtype: DType<N> }

/** An integer symbol parameter: `{ N: symbol }`. */
export const symbol: SymbolDecl = Object.freeze({ decl: 'symbol', dtype: i64 });

/** An array parameter: `{ A: array(f64, ['N', 'M']) }` — sizes are symbol names, expressions over them, or numbers. */
export function array<N extends DTypeName>(dtype: DType<N>, shape: readonly (string | ExprLike)[]): ArrayDecl<N> {
  return { decl: 'array', dtype, shape };
}

/** A scalar parameter: `{ alpha: scalar(f64) }` (a bare dtype works too: `{ alpha: f64 }`). */
export function scalar<N extends DTypeName>(dtype: DType<N>): ScalarDecl<N> {
  return { decl: 'scalar', dtype };
}

export type ParamDecl = SymbolDecl | ArrayDecl | ScalarDecl | DType;
export type ParamDecls = Readonly<Record<string, ParamDecl>>;

/** The handle the builder function receives for each declared parameter. */
export type HandleOf<D> =
  D extends SymbolDecl ? Expr
  : D extends ArrayDecl<infer N> ? ArrayHandle<N>
  : D extends ScalarDecl<infer N> ? ScalarHandle<N>
  : D extends DType<infer N> ? ScalarHandle<N>
  : never;
export type Handles<P extends ParamDecls> = { readonly [K in keyof P]: HandleOf<P[K]> };

type ScalarValue<N extends DTypeName> = N extends 'bool' ? boolean | number : N extends 'int64' | 'uint64' ? number | bigint : number;

/** The value `run` takes for each declared parameter. */
export type ArgOf<D> =
  D extends ArrayDecl<infer N> ? TypedArrayOf<N>
  : D extends ScalarDecl<infer N> ? ScalarValue<N>
  : D extends DType<infer N> ? ScalarValue<N>
  : never;
type SymbolKeys<P> = { [K in keyof P]: P[K] extends SymbolDecl ? K : never }[keyof P];
type DataKeys<P> = Exclude<keyof P, SymbolKeys<P>>;
/** Arguments of `run`: every container by name; symbols optional where they can be inferred from array lengths. */
export type RunArgs<P extends ParamDecls> = { [K in DataKeys<P>]: ArgOf<P[K]> } & { [K in SymbolKeys<P>]?: number };

export type AnyHandle = Expr | ArrayHandle | ScalarHandle | StreamHandle;

function isDType(d: ParamDecl): d is DType {
  return !('decl' in d);
}

/** Declare every parameter on the builder, in order; symbols first so shapes can use them. */
export function declareParams<P extends ParamDecls>(p: ProgramBuilder, decls: P, loc?: SourceLocation): Handles<P> {
  const handles: Record<string, unknown> = {};
  const entries = Object.entries(decls);
  for (const [name, d] of entries) {
    if (!isDType(d) && d.decl === 'symbol') handles[name] = p.symbol(name, d.dtype);
  }
  for (const [name, d] of entries) {
    if (isDType(d)) handles[name] = p.scalar(name, d);
    else if (d.decl === 'scalar') handles[name] = p.scalar(name, d.dtype);
    else if (d.decl === 'array') {
      const shape = d.shape.map((s) => {
        if (typeof s !== 'string') return toExpr(s);
        try {
          return parseExpr(s);
        } catch (error) {
          throw new BuilderError({ code: 'bad-shape', loc, message: `the shape of ${name} has ${JSON.stringify(s)}, which is not an expression`, hint: 'sizes are symbol names (declared in the same object), expressions over them, or numbers', cause: error });
        }
      });
      handles[name] = p.array(name, d.dtype, shape);
    } else if (d.decl !== 'symbol') {
      throw new BuilderError({ code: 'bad-declaration', loc, message: `parameter ${name} has an unknown declaration`, hint: 'use symbol, array(dtype, shape), scalar(dtype) or a dtype' });
    }
  }
  return handles as Handles<P>;
}
