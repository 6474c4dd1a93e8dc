// Handles the builder gives back for data containers, and the memlet specs made from them (`A.at\`i, j\``).
import type { DType, DTypeName } from '../graph/dtypes.js';
import type { DataDesc } from '../graph/data.js';
import { BuilderError } from '../graph/errors.js';
import type { Wcr } from '../graph/memlet.js';
import { captureSourceLocation, type SourceLocation } from '../graph/source-location.js';
import type { Subset } from '../graph/subsets.js';
import { fullSubset, index, parseSubset, subset } from '../graph/subsets.js';
import { type Expr, type ExprLike, toExpr } from '../graph/symbolic.js';
import type { TExpr } from '../graph/tasklet-ast.js';
import { parseTaskletExpr } from './tasklet-parser.js';
import { atCall, interpolationToExpr, isTemplateCall, templateSource } from './templates.js';

export type WcrName = '+' | 'sum' | '*' | 'product' | 'min' | 'max';

const wcrByName: Record<WcrName, Wcr> = {
  '+': { op: 'sum' }, sum: { op: 'sum' }, '*': { op: 'product' }, product: { op: 'product' },
  min: { op: 'min' }, max: { op: 'max' },
};

export function wcrFromName(name: string, loc?: SourceLocation): Wcr {
  const wcr = (wcrByName as Record<string, Wcr | undefined>)[name];
  if (!wcr) {
    throw new BuilderError({
      code: 'unknown-wcr', loc, message: `unknown write-conflict resolution ${JSON.stringify(name)}`,
      hint: "use '+', '*', 'min', 'max', or a custom lambda: .wcr`a + b` (params a and b)",
    });
  }
  return wcr;
}

/** Which elements of a container a tasklet connector reads or writes, and how concurrent writes combine. */
export class MemletSpec<N extends DTypeName = DTypeName> {
  constructor(
    readonly container: DataHandle<N>,
    readonly subset: Subset,
    readonly wcrOp: Wcr | null = null,
    readonly isDynamic = false,
    readonly loc: SourceLocation | undefined = undefined,
  ) {}

  /** Resolve write conflicts: `.wcr('+')`, `'min'`, `'max'`, `'*'`, or a lambda over `a` and `b`: ``.wcr`max(a, b) + 1` ``. */
  wcr(op: WcrName): MemletSpec<N>;
  wcr(strings: TemplateStringsArray, ...values: unknown[]): MemletSpec<N>;
  wcr(...args: unknown[]): MemletSpec<N> {
    const loc = captureSourceLocation();
    let wcr: Wcr;
    if (isTemplateCall(args)) {
      const [strings, ...values] = args;
      const body: TExpr = parseTaskletExpr({ strings: [...strings], values }, { loc });
      wcr = { op: 'custom', params: ['a', 'b'], body };
    } else {
      wcr = wcrFromName(String(args[0]), loc);
    }
    return new MemletSpec(this.container, this.subset, wcr, this.isDynamic, this.loc ?? loc);
  }

  /** The number of accesses is decided at run time (at most the subset's volume). */
  dynamic(): MemletSpec<N> {
    return new MemletSpec(this.container, this.subset, this.wcrOp, true, this.loc);
  }
}

/** A data container of the program being built. */
export abstract class DataHandle<N extends DTypeName = DTypeName> {
  constructor(readonly name: string, readonly dtype: DType<N>, readonly desc: DataDesc) {}

  /** The tasklet-language name of this container (interpolating a scalar into tasklet code reads it). */
  toTaskletExpr(): TExpr {
    return { k: 'name', name: this.name };
  }

  /** The whole container. */
  get all(): MemletSpec<N> {
    return new MemletSpec(this, fullSubset(this.shapeForMemlets()), null, false, captureSourceLocation());
  }

  protected abstract shapeForMemlets(): readonly Expr[];

  toString(): string {
    return this.name;
  }
}

export class ArrayHandle<N extends DTypeName = DTypeName> extends DataHandle<N> {
  get shape(): readonly Expr[] {
    return (this.desc as { shape: Expr[] }).shape;
  }

  protected shapeForMemlets(): readonly Expr[] {
    return this.shape;
  }

  /** Elements of this array: ``A.at`i, k` ``, ``A.at`i-1:i+2, 0:${N}` `` (exclusive ends), or `A.at(i, k)`. */
  at(strings: TemplateStringsArray, ...values: unknown[]): MemletSpec<N>;
  at(...indices: ExprLike[]): MemletSpec<N>;
  at(...args: unknown[]): MemletSpec<N> {
    const loc = captureSourceLocation();
    const what = `${this.name}.at`;
    let parsed: Subset;
    if (isTemplateCall(args)) {
      const [strings, ...values] = args;
      const src = templateSource(strings, values, what, loc);
      parsed = atCall(loc, what, () => parseSubset(src));
    } else {
      parsed = subset(...args.map((a, i) => index(interpolationToExpr(a, i, what, loc))));
    }
    if (parsed.ranges.length !== this.shape.length) {
      throw new BuilderError({
        code: 'subset-rank', loc,
        message: `${what} gives ${parsed.ranges.length} dimension(s), but ${this.name} has ${this.shape.length} ([${this.shape.join(', ')}])`,
        hint: `write one index or range per dimension, e.g. ${this.name}.at\`${this.shape.map((_, d) => 'ijkl'[d] ?? `i${d}`).join(', ')}\``,
      });
    }
    return new MemletSpec(this, parsed, null, false, loc);
  }
}

export class ScalarHandle<N extends DTypeName = DTypeName> extends DataHandle<N> {
  protected shapeForMemlets(): readonly Expr[] {
    return [toExpr(1)];
  }
}

export class StreamHandle<N extends DTypeName = DTypeName> extends DataHandle<N> {
  protected shapeForMemlets(): readonly Expr[] {
    return [toExpr(1)];
  }

  /** Write to this memlet to push one element. */
  get push(): MemletSpec<N> {
    return new MemletSpec(this, subset(index(0)), null, true, captureSourceLocation());
  }

  /** Read from this memlet to pop one element (inside `consume`: the element being consumed). */
  get pop(): MemletSpec<N> {
    return new MemletSpec(this, subset(index(0)), null, true, captureSourceLocation());
  }
}

export type AnyHandle = ArrayHandle | ScalarHandle | StreamHandle;

/** What a tasklet connector may be bound to: a memlet spec, or a whole container. */
export type MemletLike<N extends DTypeName = DTypeName> = MemletSpec<N> | DataHandle<N>;

export function toMemletSpec(x: unknown, connector: string, loc?: SourceLocation): MemletSpec {
  if (x instanceof MemletSpec) return x;
  if (x instanceof StreamHandle) {
    throw new BuilderError({
      code: 'bad-connector', loc, message: `connector ${connector} is bound to stream ${x.name} itself`,
      hint: `use ${x.name}.push to push an element or ${x.name}.pop to pop one`,
    });
  }
  if (x instanceof DataHandle) {
    if (x instanceof ScalarHandle) return new MemletSpec(x, subset(index(0)), null, false, loc);
    return x.all;
  }
  throw new BuilderError({
    code: 'bad-connector', loc,
    message: `connector ${connector} is bound to ${typeof x === 'string' ? `the string ${JSON.stringify(x)}` : typeof x}, not to data`,
    hint: 'bind connectors to memlets such as A.at`i` or to a whole container handle',
  });
}
