// Comparisons under assumptions: decided cases, undecidable ones, symbolic bounds, and soundness on random assignments.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Expr, add, floorDiv, max, min, mod, mul, sym } from '../../graph/symbolic.js';
import { type Assumptions, bounds, proveEqual, proveLess, proveLessEqual } from '../../graph/symbolic-compare.js';
import { build, trees, unlessDivisionByZero } from './symbolic-trees.js';

const [N, M, i, j, k] = ['N', 'M', 'i', 'j', 'k'].map(sym) as [Expr, Expr, Expr, Expr, Expr];

/** i in [0, N-1]: the loop variable of `for i in range(N)`. */
const loop: Assumptions = { i: { lo: 0, hi: N.sub(1) } };

function boundsText(e: Expr, assumptions: Assumptions): { lo?: string; hi?: string } {
  const b = bounds(e, assumptions);
  return { ...(b.lo ? { lo: b.lo.toString() } : {}), ...(b.hi ? { hi: b.hi.toString() } : {}) };
}

describe('graph/symbolic-compare', () => {
  it('decides the loop-bound questions', () => {
    assert.equal(proveLessEqual(i, N.sub(1), loop), true);
    assert.equal(proveLessEqual(i.add(1), N, loop), true);
    assert.equal(proveLess(i, N, loop), true);
    assert.equal(proveLessEqual(i.add(2), N, loop), undefined);
    assert.equal(proveLessEqual(N, N.sub(1), loop), false);
    assert.equal(proveLessEqual(0, i, loop), true);
    assert.equal(proveLess(N, i, loop), false);
  });

  it('decides constant differences without assumptions', () => {
    assert.equal(proveLessEqual(N, N), true);
    assert.equal(proveLess(N, N), false);
    assert.equal(proveLessEqual(N.add(3), N.add(2)), false);
    assert.equal(proveEqual(add(N, M), add(M, N)), true);
    assert.equal(proveEqual(N, N.add(1)), false);
  });

  it('does not assume symbols are positive', () => {
    assert.equal(proveLessEqual(0, N), undefined);
    assert.equal(proveLessEqual(N, mul(2, N)), undefined);
    assert.equal(proveEqual(N, M), undefined);
  });

  it('uses intrinsic bounds of min, max, mod and even powers', () => {
    assert.equal(proveLessEqual(min(N, 5), 5), true);
    assert.equal(proveLessEqual(0, max(N, 0)), true);
    assert.equal(proveLess(mod(N, 4), 4), true);
    assert.equal(proveLessEqual(0, mod(N, 4)), true);
    assert.equal(proveLessEqual(0, mul(N, N)), true);
    assert.equal(proveLess(max(N, 3), 3), false);
  });

  it('follows chained assumptions', () => {
    const triangle: Assumptions = { N: { lo: 1, hi: 100 }, i: { lo: 0, hi: N.sub(1) }, j: { lo: i, hi: N.sub(1) } };
    assert.equal(proveLessEqual(i, j, triangle), true);
    assert.equal(proveLess(j, 100, triangle), true);
    assert.equal(proveLessEqual(0, j.sub(i), triangle), true);
    assert.equal(proveLessEqual(0, mul(i, j), triangle), true); // nonlinear, with a non-negative coefficient
    assert.equal(proveLess(j, i, triangle), false);
    assert.equal(proveEqual(i, j, triangle), undefined);
  });

  it('bounds min, max and floor division through their arguments', () => {
    assert.equal(proveLessEqual(min(i.add(1), M), N, loop), true);
    assert.equal(proveLessEqual(max(i, 0), N.sub(1), loop), undefined); // N = 0 leaves i no values, yet Max(i, 0) = 0 > N - 1
    assert.equal(proveLessEqual(max(i, 0), N.sub(1), { N: { lo: 1 }, ...loop }), true);
    assert.equal(proveLess(floorDiv(i, 2), 5, { i: { lo: 0, hi: 9 } }), true);
    assert.equal(proveLessEqual(0, floorDiv(i, 2), loop), true);
    // Known limit: N - int_floor(N + 1, 2) >= 0 needs reasoning about N inside the division.
    assert.equal(proveLess(floorDiv(i, 2), N, { N: { lo: 0 }, ...loop }), undefined);
    assert.equal(proveLessEqual(max(i, M), N, loop), undefined);
  });

  it('gives symbolic intervals', () => {
    assert.deepEqual(boundsText(N.sub(i), loop), { lo: '1', hi: 'N' });
    assert.deepEqual(boundsText(mul(2, i).add(1), loop), { lo: '1', hi: '2*N - 1' });
    assert.deepEqual(boundsText(i.add(j), { ...loop, j: { lo: 0 } }), { lo: '0', hi: 'N + j - 1' }); // j has no upper bound: it stays
    assert.deepEqual(boundsText(min(i, 3), loop), { lo: '0', hi: 'Min(3, N - 1)' });
    assert.deepEqual(boundsText(floorDiv(i, 4), loop), { lo: '0', hi: 'int_floor(N + 3, 4) - 1' });
    assert.deepEqual(boundsText(mul(i, i), loop), { lo: '0', hi: 'N**2 - 2*N + 1' }); // monotone: i >= 0
    assert.deepEqual(boundsText(mul(i, i), { i: { lo: -3, hi: N } }), {}); // i**2 is not monotone over [-3, N]
    assert.deepEqual(boundsText(mul(i, i, i), { i: { lo: -3, hi: N } }), { lo: '-27', hi: 'N**3' }); // odd powers are
    assert.deepEqual(boundsText(k.add(1), loop), { lo: 'k + 1', hi: 'k + 1' });
  });

  it('never decides wrongly on random assignments within the assumptions', () => {
    const assumptions: Assumptions = { N: { lo: 1, hi: 12 }, i: { lo: 0, hi: N.sub(1) }, j: { lo: i, hi: N.sub(1) } };
    const expressions = trees({ symbols: ['i', 'j', 'N', 'k'], ops: ['add', 'sub', 'mul', 'floordiv', 'mod'], constantDivisors: true });
    const assignments = fc.array(
      fc.record({ n: fc.integer({ min: 1, max: 12 }), u: fc.nat(), v: fc.nat(), k: fc.integer({ min: -20, max: 20 }) }).map(({ n, u, v, k }) => {
        const iv = u % n;
        return { N: n, i: iv, j: iv + (v % (n - iv)), k };
      }),
      { minLength: 10, maxLength: 30 },
    );
    let decided = 0;
    fc.assert(
      fc.property(expressions, expressions, assignments, (ta, tb, envs) => {
        const [a, b] = [build(ta), build(tb)];
        const verdict = proveLessEqual(a, b, assumptions);
        const { lo, hi } = bounds(a, assumptions);
        if (verdict !== undefined) decided++;
        for (const env of envs) {
          const [va, vb] = [a.evaluate(env), b.evaluate(env)];
          if (verdict !== undefined) assert.equal(va <= vb, verdict, `${a.toString()} <= ${b.toString()} at ${JSON.stringify(env)}`);
          if (lo) assert.ok(lo.evaluate(env) <= va, `lo ${lo.toString()} of ${a.toString()} at ${JSON.stringify(env)}`);
          if (hi) assert.ok(va <= hi.evaluate(env), `hi ${hi.toString()} of ${a.toString()} at ${JSON.stringify(env)}`);
        }
      }),
      { numRuns: 500 },
    );
    assert.ok(decided > 50, `only ${decided} comparisons were decided`);
  });

  it('bounds stay sound with symbolic divisors and nested applications', () => {
    const assumptions: Assumptions = { i: { lo: -3, hi: 4 }, N: { lo: i, hi: 9 } };
    fc.assert(
      fc.property(trees({ symbols: ['i', 'N'] }), fc.integer({ min: -3, max: 4 }), fc.nat(), (t, iv, u) => {
        const e = unlessDivisionByZero(() => build(t));
        if (!e) return;
        const env = { i: iv, N: iv + (u % (10 - iv)) };
        const value = unlessDivisionByZero(() => e.evaluate(env));
        if (value === undefined) return;
        const { lo, hi } = bounds(e, assumptions);
        const at = (x: Expr | undefined) => x && unlessDivisionByZero(() => x.evaluate(env));
        const [vlo, vhi] = [at(lo), at(hi)];
        if (vlo !== undefined) assert.ok(vlo <= value, `lo ${lo!.toString()} of ${e.toString()}`);
        if (vhi !== undefined) assert.ok(value <= vhi, `hi ${hi!.toString()} of ${e.toString()}`);
      }),
      { numRuns: 400 },
    );
  });
});
