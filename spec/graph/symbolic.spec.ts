// Symbolic expressions: canonical form, folding, printing (text and C), evaluation, substitution, and their properties.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SymbolicError } from '../../graph/errors.js';
import {
  type Expr, ONE, ZERO, add, ceilDiv, floorDiv, int, max, min, mod, mul, sub, sym, toExpr,
} from '../../graph/symbolic.js';
import { parseExpr } from '../../graph/symbolic-parse.js';
import { build, envs, interpret, trees, unlessDivisionByZero } from './symbolic-trees.js';

const [N, M, i, j, a, b] = ['N', 'M', 'i', 'j', 'a', 'b'].map(sym) as [Expr, Expr, Expr, Expr, Expr, Expr];

/** Expected text of an Expr, compared through toString so failures show both sides. */
function text(e: Expr, expected: string): void {
  assert.equal(e.toString(), expected);
}

describe('graph/symbolic', () => {
  describe('canonical form', () => {
    it('cancels and collects terms', () => {
      text(add(i, 1).sub(1), 'i'); // i + 1 - 1 -> i
      assert.ok(sub(mul(2, N), N).equals(N)); // 2*N - N -> N
      assert.ok(mul(N, M).sub(mul(M, N)).equals(ZERO)); // N*M - M*N -> 0
      text(add(i, i, i), '3*i');
      text(mul(add(N, 1), add(N, -1)), 'N**2 - 1');
    });

    it('orders terms by degree, then by name, with the constant last', () => {
      text(add(i, mul(2, N, M)), '2*M*N + i');
      text(add(1, i, N), 'N + i + 1');
      text(add(mul(N, N), N, 5), 'N**2 + N + 5');
      assert.equal(add(i, N).key, add(N, i).key);
    });

    it('prints negative terms with " - " and leads with a positive term', () => {
      text(N.sub(1), 'N - 1');
      text(int(1).sub(i), '1 - i');
      text(i.neg(), '-i');
      text(i.neg().sub(1), '-i - 1');
      text(mul(-2, N).add(M), 'M - 2*N');
      text(int(-7), '-7');
    });

    it('answers structural questions', () => {
      assert.equal(int(5).constantValue(), 5);
      assert.equal(N.constantValue(), undefined);
      assert.ok(N.isSymbol());
      assert.equal(N.symbolName(), 'N');
      assert.equal(N.add(1).symbolName(), undefined);
      assert.equal(mul(2, N).isSymbol(), false);
      assert.deepEqual([...add(mul(i, j), min(N, M)).freeSymbols()], ['M', 'N', 'i', 'j']);
      assert.ok(toExpr(3).equals(3));
      assert.ok(ONE.equals(1) && ZERO.equals(0));
      assert.equal(JSON.stringify({ n: N.sub(1) }), '{"n":"N - 1"}');
    });

    it('raises to constant powers', () => {
      text(add(i, 1).pow(2), 'i**2 + 2*i + 1');
      text(N.pow(0), '1');
      text(int(2).pow(10), '1024');
    });
  });

  describe('folding', () => {
    it('floor division and modulo of constants follow Python', () => {
      const cases: [number, number, number, number][] = [
        [7, 2, 3, 1], [-7, 2, -4, 1], [7, -2, -4, -1], [-7, -2, 3, -1], [0, -3, 0, 0], [6, 3, 2, 0],
      ];
      for (const [x, y, q, r] of cases) {
        assert.equal(floorDiv(x, y).constantValue(), q, `${x} // ${y}`);
        assert.equal(mod(x, y).constantValue(), r, `${x} % ${y}`);
      }
    });

    it('simplifies floor division', () => {
      text(floorDiv(N, 1), 'N'); // x // 1 -> x
      text(floorDiv(mul(4, i), 4), 'i'); // (c*x) // c -> x
      text(floorDiv(mul(2, i).add(2), 4), 'int_floor(i + 1, 2)'); // (g*y + r) // (g*k) -> (y + r // g) // k
      text(floorDiv(mul(2, i).add(1), 2), 'i'); // (2i + 1) // 2 -> i
      text(floorDiv(mul(6, i).add(N), 3), '2*i + int_floor(N, 3)'); // divisible terms leave
      text(floorDiv(N.add(5), 2), 'int_floor(N + 1, 2) + 2'); // constant reduced into [0, c)
      text(floorDiv(N, -2), 'int_floor(-N, 2)'); // divisor kept positive
      text(floorDiv(0, N), '0');
      text(floorDiv(mul(3, N), N), '3'); // (k*x) // x -> k
      text(floorDiv(N, M), 'int_floor(N, M)');
      text(ceilDiv(N, 2), '-int_floor(-N, 2)');
    });

    it('simplifies modulo', () => {
      text(mod(N, 1), '0'); // x % 1 -> 0
      text(mod(mul(4, i), 4), '0');
      text(mod(i.add(5), 2), 'Mod(i + 1, 2)');
      text(mod(mul(2, i).add(3), 4), '2*Mod(i + 1, 2) + 1');
      text(mod(i, -3), '-Mod(-i, 3)');
      text(mod(i, N), 'Mod(i, N)');
    });

    it('simplifies min and max', () => {
      text(min(3, -2, 7), '-2');
      text(max(3, -2, 7), '7');
      text(min(N, N), 'N');
      text(min(i, i.add(1)), 'i'); // min(a, a + 1) -> a
      text(max(i, i.add(1)), 'i + 1');
      text(min(N, i.add(1)), 'Min(N, i + 1)');
      text(min(i.add(1), N), 'Min(N, i + 1)');
      text(max(a, max(b, 3), 1), 'Max(3, a, b)'); // nested max flattens, constants fold
      text(min(N, M, min(N, 4)), 'Min(4, M, N)');
      text(max(N), 'N');
    });
  });

  describe('printing C', () => {
    const cases: [Expr, string][] = [
      [N, 'N'],
      [int(5), '5'],
      [int(-5), '(-5)'],
      [N.sub(1), '(N - 1)'],
      [mul(2, N), '(2*N)'],
      [N.neg(), '(-N)'],
      [mul(N, N, M), '(M*N*N)'],
      [add(mul(2, N, M), i), '(2*M*N + i)'],
      [min(N, i.add(1)), 'min(N, i + 1)'],
      [max(a, b, 0), 'max(0, max(a, b))'],
      [floorDiv(N, 2), 'sdfg_floordiv(N, 2)'],
      [mod(i.add(1), N), 'sdfg_mod(i + 1, N)'],
      [floorDiv(N, 2).mul(3).sub(1), '(3*sdfg_floordiv(N, 2) - 1)'],
    ];
    for (const [e, c] of cases) it(`${e.toString()} -> ${c}`, () => assert.equal(e.toC(), c));
  });

  describe('evaluation and substitution', () => {
    it('evaluates with records and maps', () => {
      const e = add(mul(2, N, M), floorDiv(i, 2), mod(j, 3), min(N, 4));
      assert.equal(e.evaluate({ N: 5, M: 3, i: -3, j: -1 }), 30 - 2 + 2 + 4);
      assert.equal(e.evaluate(new Map([['N', 1], ['M', 1], ['i', 3], ['j', 4]])), 2 + 1 + 1 + 1);
    });

    it('names the missing symbol', () => {
      assert.throws(() => N.add(i).evaluate({ N: 1 }), {
        name: 'SymbolicError', code: 'undefined-symbol', summary: "symbol 'i' has no value",
      });
    });

    it('rejects a non-integer binding', () => {
      assert.throws(() => N.evaluate({ N: 0.5 }), { code: 'non-integer', summary: "symbol 'N' is bound to 0.5, not an integer" });
    });

    it('reports division by zero', () => {
      assert.throws(() => floorDiv(N, M).evaluate({ N: 1, M: 0 }), { code: 'division-by-zero', summary: 'division by zero in 1 // 0' });
      assert.throws(() => mod(N, 0), { code: 'division-by-zero', summary: 'division by zero in Mod(N, 0)' });
    });

    it('substitutes simultaneously and re-canonicalizes', () => {
      text(add(i, mul(2, j)).subs({ i: j, j: i }), '2*i + j');
      text(i.add(1).subs({ i: N.sub(1) }), 'N');
      text(min(i, N).subs(new Map([['i', N.add(2)]])), 'N');
      text(floorDiv(i, 2).subs({ i: mul(2, M) }), 'M');
      assert.equal(N.subs({ i: 3 }), N); // untouched expressions are shared
    });

    it('finds affine coefficients', () => {
      const e = add(mul(3, i), mul(N, i), j, 1);
      text(e.linearCoefficient('i')!, 'N + 3');
      text(e.linearCoefficient('k')!, '0');
      assert.equal(mul(i, i).linearCoefficient('i'), undefined);
      assert.equal(min(i, N).add(i).linearCoefficient('i'), undefined);
    });
  });

  describe('errors', () => {
    it('rejects non-integer constants', () => {
      assert.throws(() => int(1.5), {
        name: 'SymbolicError', code: 'non-integer', summary: '1.5 is not an integer',
        hint: 'symbolic expressions are integer-valued; use // for floor division',
      });
      assert.throws(() => N.add(0.5), { code: 'non-integer' });
      assert.throws(() => int(NaN), { code: 'non-integer', summary: 'NaN is not an integer' });
    });

    it('rejects integers beyond the exact range', () => {
      assert.throws(() => int(2 ** 53), { code: 'integer-overflow' });
      assert.throws(() => mul(N, 2 ** 40, 2 ** 20), { code: 'integer-overflow' });
    });

    it('validates symbol names', () => {
      assert.throws(() => sym('2x'), { code: 'bad-symbol-name', summary: "'2x' is not a valid symbol name" });
      assert.throws(() => sym('a-b'), SymbolicError);
    });

    it('needs an argument for min', () => {
      assert.throws(() => min(), { code: 'arity', summary: 'Min needs at least one argument' });
    });
  });

  describe('properties', () => {
    const symbols = ['i', 'j', 'N'];
    const anyTree = trees({ symbols });

    it('canonical evaluation equals direct interpretation', () => {
      fc.assert(
        fc.property(anyTree, envs(symbols), (t, env) => {
          const direct = unlessDivisionByZero(() => interpret(t, env));
          if (direct === undefined) return;
          assert.equal(build(t).evaluate(env), direct);
        }),
        { numRuns: 400 },
      );
    });

    it('parses its own printed form back', () => {
      fc.assert(
        fc.property(anyTree, (t) => {
          const e = unlessDivisionByZero(() => build(t));
          if (e) assert.equal(parseExpr(e.toString()).key, e.key);
        }),
        { numRuns: 300 },
      );
    });

    it('C text evaluates like the expression', () => {
      const pyFloorDiv = (x: number, y: number): number => Math.floor(x / y);
      const helpers = { min: Math.min, max: Math.max, sdfg_floordiv: pyFloorDiv, sdfg_mod: (x: number, y: number) => x - y * pyFloorDiv(x, y) };
      fc.assert(
        fc.property(trees({ symbols, constantDivisors: true }), envs(symbols), (t, env) => {
          const e = build(t);
          const scope = { ...helpers, ...env };
          const run = new Function(...Object.keys(scope), `return ${e.toC()};`) as (...args: unknown[]) => number;
          assert.equal(run(...Object.values(scope)) + 0, e.evaluate(env)); // + 0: JS has -0, integers don't
        }),
        { numRuns: 200 },
      );
    });

    it('substituting then evaluating equals evaluating with the extended environment', () => {
      fc.assert(
        fc.property(anyTree, trees({ symbols: ['j', 'N'], maxDepth: 2 }), envs(symbols), (t, replacement, env) => {
          const e = unlessDivisionByZero(() => build(t));
          const r = unlessDivisionByZero(() => build(replacement));
          if (!e || !r) return;
          const extended = unlessDivisionByZero(() => e.evaluate({ ...env, i: r.evaluate(env) }));
          if (extended === undefined) return;
          assert.equal(e.subs({ i: r }).evaluate(env), extended);
        }),
        { numRuns: 300 },
      );
    });

    it('addition and multiplication commute and distribute', () => {
      const polynomial = trees({ symbols, constantDivisors: true });
      fc.assert(
        fc.property(polynomial, polynomial, polynomial, (ta, tb, tc) => {
          const [x, y, z] = [build(ta), build(tb), build(tc)];
          assert.equal(add(x, y).key, add(y, x).key);
          assert.equal(mul(x, y).key, mul(y, x).key);
          assert.equal(mul(x, add(y, z)).key, add(mul(x, y), mul(x, z)).key);
          assert.ok(sub(add(x, y), y).equals(x));
        }),
        { numRuns: 200 },
      );
    });
  });
});
