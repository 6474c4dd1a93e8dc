// Random expression trees for property tests: built through the API, and interpreted directly with Python semantics.
import fc from 'fast-check';
import { type Expr, add, floorDiv, int, max, min, mod, mul, sub, sym } from '../../graph/symbolic.js';

export type Tree =
  | { readonly op: 'const'; readonly value: number }
  | { readonly op: 'sym'; readonly name: string }
  | { readonly op: 'neg'; readonly a: Tree }
  | { readonly op: 'add' | 'sub' | 'mul' | 'floordiv' | 'mod'; readonly a: Tree; readonly b: Tree }
  | { readonly op: 'min' | 'max'; readonly args: readonly Tree[] };

export class DivisionByZero extends Error {}

export interface TreeOptions {
  readonly symbols: readonly string[];
  readonly maxDepth?: number;
  /** Binary operators to draw from. */
  readonly ops?: readonly ('add' | 'sub' | 'mul' | 'floordiv' | 'mod')[];
  /** Divisors of floordiv/mod are positive constants instead of whole trees. */
  readonly constantDivisors?: boolean;
}

export function trees(options: TreeOptions): fc.Arbitrary<Tree> {
  const ops = options.ops ?? ['add', 'sub', 'mul', 'floordiv', 'mod'];
  const leaf: fc.Arbitrary<Tree> = fc.oneof(
    fc.integer({ min: -6, max: 6 }).map((value): Tree => ({ op: 'const', value })),
    fc.constantFrom(...options.symbols).map((name): Tree => ({ op: 'sym', name })),
  );
  const positive = fc.integer({ min: 1, max: 5 }).map((value): Tree => ({ op: 'const', value }));
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => {
    const sub = tie('tree');
    const binary = fc
      .record({ op: fc.constantFrom(...ops), a: sub, b: sub, divisor: positive })
      .map(({ op, a, b, divisor }): Tree => {
        const division = op === 'floordiv' || op === 'mod';
        return { op, a, b: division && options.constantDivisors ? divisor : b };
      });
    return {
      tree: fc.oneof(
        { maxDepth: options.maxDepth ?? 3, depthIdentifier: 'tree' },
        leaf,
        leaf,
        binary,
        binary,
        fc.record({ op: fc.constantFrom('min' as const, 'max' as const), args: fc.array(sub, { minLength: 1, maxLength: 3 }) }),
        sub.map((a): Tree => ({ op: 'neg', a })),
      ),
    };
  });
  return tree;
}

/** The tree built through the public constructors (canonicalizing as it goes). */
export function build(t: Tree): Expr {
  switch (t.op) {
    case 'const':
      return int(t.value);
    case 'sym':
      return sym(t.name);
    case 'neg':
      return build(t.a).neg();
    case 'add':
      return add(build(t.a), build(t.b));
    case 'sub':
      return sub(build(t.a), build(t.b));
    case 'mul':
      return mul(build(t.a), build(t.b));
    case 'floordiv':
      return floorDiv(build(t.a), build(t.b));
    case 'mod':
      return mod(build(t.a), build(t.b));
    case 'min':
      return min(...t.args.map(build));
    case 'max':
      return max(...t.args.map(build));
  }
}

/** Direct interpretation, with Python's floor division and modulo; throws DivisionByZero. */
export function interpret(t: Tree, env: Readonly<Record<string, number>>): number {
  return interpretRaw(t, env) + 0; // JS has -0, integers don't
}

function interpretRaw(t: Tree, env: Readonly<Record<string, number>>): number {
  const floorDivide = (a: number, b: number): number => {
    if (b === 0) throw new DivisionByZero();
    return Math.floor(a / b);
  };
  switch (t.op) {
    case 'const':
      return t.value;
    case 'sym':
      return env[t.name]!;
    case 'neg':
      return -interpret(t.a, env);
    case 'add':
      return interpret(t.a, env) + interpret(t.b, env);
    case 'sub':
      return interpret(t.a, env) - interpret(t.b, env);
    case 'mul':
      return interpret(t.a, env) * interpret(t.b, env);
    case 'floordiv':
      return floorDivide(interpret(t.a, env), interpret(t.b, env));
    case 'mod': {
      const [a, b] = [interpret(t.a, env), interpret(t.b, env)];
      return a - b * floorDivide(a, b);
    }
    case 'min':
      return Math.min(...t.args.map((a) => interpret(a, env)));
    case 'max':
      return Math.max(...t.args.map((a) => interpret(a, env)));
  }
}

/** Runs `f`, returning undefined when it divides by zero (directly or through the library). */
export function unlessDivisionByZero<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof DivisionByZero || (e as { code?: string }).code === 'division-by-zero') return undefined;
    throw e;
  }
}

export function envs(symbols: readonly string[]): fc.Arbitrary<Record<string, number>> {
  return fc.record(Object.fromEntries(symbols.map((s) => [s, fc.integer({ min: -9, max: 9 })])));
}
