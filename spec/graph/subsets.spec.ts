// Ranges and subsets: sizes, inclusive-end conversion, intersection, union, parsing, printing and bounds checks.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { type Expr, mul, sym } from '../../graph/symbolic.js';
import type { Assumptions } from '../../graph/symbolic-compare.js';
import {
  type Range, type Subset, beginsAffineIn, boundingUnion, formatRange, formatSubset, fromInclusive, fullSubset, index, intersectSubsets,
  isIndex, offsetSubset, parseSubset, range, rangeSize, subset, subsetFitsShape, subsetFreeSymbols, subsetShape,
  subsetShapeSqueezed, subsetVolume, subsetsEqual, subsSubset, toInclusiveEnd,
} from '../../graph/subsets.js';
import { build, trees } from './symbolic-trees.js';

const [N, M, K, i, j] = ['N', 'M', 'K', 'i', 'j'].map(sym) as [Expr, Expr, Expr, Expr, Expr];
const texts = (es: readonly Expr[]): string[] => es.map((e) => e.toString());
const S = parseSubset;

function intersection(a: string, b: string, assumptions: Assumptions = {}): string | null | undefined {
  const result = intersectSubsets(S(a), S(b), assumptions);
  return result && formatSubset(result);
}

describe('graph/subsets', () => {
  describe('ranges', () => {
    it('builds indices and full subsets', () => {
      assert.equal(formatRange(index(i)), 'i');
      assert.ok(isIndex(index(i.add(1))));
      assert.ok(!isIndex(range(0, N)));
      assert.equal(formatSubset(fullSubset([N, 3])), '0:N, 0:3');
      assert.equal(formatRange(range(0, N, 2)), '0:N:2');
      assert.throws(() => range(0, N, 0), { code: 'zero-step', summary: 'a range step cannot be 0' });
    });

    it('counts elements, with exclusive ends and any step', () => {
      const cases: [Range, string][] = [
        [range(0, N), 'N'],
        [range(1, N.sub(1)), 'N - 2'],
        [range(0, N, 2), 'int_floor(N + 1, 2)'],
        [range(0, mul(2, N), 2), 'N'],
        [range(0, 10, 3), '4'],
        [range(10, 0, -3), '4'],
        [range(N.sub(1), -1, -1), 'N'],
        [range(0, N, K), 'int_floor(K + N - 1, K)'],
      ];
      for (const [r, size] of cases) assert.equal(rangeSize(r).toString(), size, formatRange(r));
    });

    it('converts to and from inclusive ends', () => {
      const cases: [Range, string][] = [
        [range(0, N), 'N - 1'],
        [range(0, 10, 3), '9'],
        [range(10, 0, -3), '1'],
        [range(0, mul(2, N), 2), '2*N - 2'],
        [range(0, N, 2), '2*int_floor(N + 1, 2) - 2'],
      ];
      for (const [r, last] of cases) assert.equal(toInclusiveEnd(r).toString(), last, formatRange(r));
      assert.equal(formatRange(fromInclusive(0, N.sub(1))), '0:N');
      assert.equal(formatRange(fromInclusive(0, 8, 2)), '0:9:2');
      assert.equal(formatRange(fromInclusive(10, 1, -3)), '10:0:-3');
    });

    it('size and last element agree with enumeration for constant ranges', () => {
      fc.assert(
        fc.property(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }), fc.integer({ min: -5, max: 5 }).filter((s) => s !== 0), (b, e, s) => {
          const elements: number[] = [];
          for (let x = b; s > 0 ? x < e : x > e; x += s) elements.push(x);
          const r = range(b, e, s);
          const size = rangeSize(r).constantValue()!;
          assert.equal(Math.max(size, 0), elements.length);
          if (elements.length > 0) {
            assert.equal(toInclusiveEnd(r).constantValue(), elements.at(-1));
            const back = fromInclusive(b, elements.at(-1)!, s);
            assert.equal(rangeSize(back).constantValue(), elements.length);
          }
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('subsets', () => {
    it('gives shape, squeezed shape and volume', () => {
      const s = S('i, 0:N, j:j+2');
      assert.deepEqual(texts(subsetShape(s)), ['1', 'N', '2']);
      assert.deepEqual(texts(subsetShapeSqueezed(s)), ['N', '2']);
      assert.equal(subsetVolume(s).toString(), '2*N');
      assert.equal(subsetVolume(subset()).toString(), '1');
    });

    it('offsets by expressions or by another subset', () => {
      assert.equal(formatSubset(offsetSubset(S('i, 0:N'), [1, M])), 'i + 1, M:M + N');
      assert.equal(formatSubset(offsetSubset(S('i, j:j+4'), S('i, j'), true)), '0, 0:4');
      assert.throws(() => offsetSubset(S('i'), [1, 2]), { code: 'dimension-mismatch', summary: 'offsetting a subset: 1 dimensions against 2' });
    });

    it('intersects when decidable', () => {
      assert.equal(intersection('0:N', '1:N+1', { N: { lo: 2 } }), '1:N');
      assert.equal(intersection('0:N', 'N:2*N'), null);
      assert.equal(intersection('i, 0:4', 'i + 1, 0:4'), null); // disjoint in one dimension is enough
      assert.equal(intersection('0:N', 'M:M+1'), undefined);
      assert.equal(intersection('i', '0:N', { i: { lo: 0, hi: N.sub(1) } }), 'i');
      assert.equal(intersection('0:N', '2:M', { N: { lo: 3 }, M: { lo: 3 } }), '2:Min(M, N)');
      assert.equal(intersection('0:N:2', 'N:2*N'), null);
      assert.equal(intersection('0:N:2', '0:N', { N: { lo: 1 } }), undefined); // strided: only disjointness is decided
    });

    it('unites into a bounding box', () => {
      assert.equal(formatSubset(boundingUnion(S('0:N'), S('1:N+1'))), '0:N + 1');
      assert.equal(formatSubset(boundingUnion(S('i'), S('j'))), 'Min(i, j):Max(i + 1, j + 1)');
      assert.equal(formatSubset(boundingUnion(S('10:0:-3'), S('2:4'))), '1:11');
    });

    it('substitutes, lists symbols and compares', () => {
      const s = S('i, j-1:j+2:K');
      assert.equal(formatSubset(subsSubset(s, { i: 0, j: N })), '0, N - 1:N + 2:K');
      assert.deepEqual([...subsetFreeSymbols(s)].sort(), ['K', 'i', 'j']);
      assert.ok(subsetsEqual(S('i + 1 - 1, 0:N'), S('i, 0:N')));
      assert.ok(!subsetsEqual(S('i, 0:N'), S('i, 0:N:2')));
      assert.ok(!subsetsEqual(S('i'), S('i, j')));
    });
  });

  describe('parsing and printing', () => {
    it('prints our exclusive-end syntax', () => {
      assert.equal(formatSubset(S('i, j-1:j+2, 0:N:2')), 'i, j - 1:j + 2, 0:N:2');
      assert.equal(formatSubset(S('1:N-1')), '1:N - 1');
      assert.equal(formatSubset(S('Min(i, 4):N // 2')), 'Min(4, i):int_floor(N, 2)');
    });

    it('reads template values', () => {
      const s = S({ strings: ['i-1:i+', ''], values: [K] });
      assert.equal(formatSubset(s), 'i - 1:K + i');
      assert.equal(formatSubset(S({ strings: ['', ', 0:', ':2'], values: [i, N] })), 'i, 0:N:2');
    });

    it('round trips random subsets', () => {
      const exprs = trees({ symbols: ['i', 'N'], constantDivisors: true, maxDepth: 2 }).map(build);
      const ranges = fc.tuple(exprs, exprs, fc.option(exprs, { nil: undefined })).filter(([, , s]) => !s?.isZero())
        .map(([b, e, s]) => range(b, e, s));
      fc.assert(
        fc.property(fc.array(ranges, { minLength: 1, maxLength: 3 }), (rs) => {
          const s: Subset = subset(...rs);
          assert.ok(subsetsEqual(S(formatSubset(s)), s), formatSubset(s));
        }),
        { numRuns: 200 },
      );
    });

    it('explains malformed subsets', () => {
      const bad = (src: string, summary: string, hint?: string) =>
        assert.throws(() => S(src), { name: 'SymbolicError', code: 'expr-syntax', summary, ...(hint ? { hint } : {}) });
      bad(':', "expected a range but found ':' at column 1\n  :\n  ^", "write begin:end (exclusive end), e.g. 0:N; a bare ':' would need the array's shape");
      bad('i, :N', "expected a range but found ':' at column 4\n  i, :N\n     ^");
      bad('', 'expected a range but found the end of the input at column 1\n  \n  ^');
      bad('i,', 'expected a range but found the end of the input at column 3\n  i,\n    ^');
      bad('0:', 'a range needs an end after the colon at column 3\n  0:\n    ^', 'write 0:N (ends are exclusive)');
      bad('0:N:0', 'a range step cannot be 0 at column 5\n  0:N:0\n      ^');
      bad('i j', "expected ',' or the end of the subset but found 'j' at column 3\n  i j\n    ^");
      bad('A[i]', "expected ',' or the end of the subset but found '[' at column 2\n  A[i]\n   ^");
    });
  });

  describe('fitting a shape', () => {
    const loop = (lo: Expr | number, hi: Expr | number): Assumptions => ({ i: { lo, hi } });

    it('accepts subsets provably inside', () => {
      assert.deepEqual(subsetFitsShape(S('0:N'), [N]), { ok: true });
      assert.deepEqual(subsetFitsShape(S('i-1:i+2, 0:M'), [N, M], loop(1, N.sub(2))), { ok: true });
      assert.deepEqual(subsetFitsShape(S('N-1:-1:-1'), [N]), { ok: true });
      assert.deepEqual(subsetFitsShape(S('5:5'), [3]), { ok: true }); // empty: touches nothing
      assert.deepEqual(subsetFitsShape(S('0:11:3'), [10]), { ok: true }); // the last element is 9
    });

    it('reports provable violations', () => {
      assert.deepEqual(subsetFitsShape(S('1:N+1'), [N]), {
        ok: false, dim: 0, reason: 'end-past-shape', detail: 'dimension 0: the last index N is not below the extent N',
      });
      assert.deepEqual(subsetFitsShape(S('0:M, -1:N'), [M, N]), {
        ok: false, dim: 1, reason: 'negative-begin', detail: 'dimension 1: the first index -1 is negative',
      });
      assert.deepEqual(subsetFitsShape(S('i + 1'), [N], loop(0, N.sub(1))), { ok: 'unknown' }); // i = N - 1 is out, i = 0 is in
      assert.deepEqual(subsetFitsShape(S('i + N'), [N], loop(0, N.sub(1))), {
        ok: false, dim: 0, reason: 'end-past-shape', detail: 'dimension 0: the last index N + i is not below the extent N',
      });
    });

    it('says unknown when it cannot tell', () => {
      assert.deepEqual(subsetFitsShape(S('0:M'), [N]), { ok: 'unknown' });
      assert.deepEqual(subsetFitsShape(S('i-1:i+2'), [N], loop(0, N.sub(1))), { ok: 'unknown' });
      assert.throws(() => subsetFitsShape(S('i'), [N, M]), { code: 'dimension-mismatch' });
    });
  });
});

describe('beginsAffineIn', () => {
  it('accepts c·p + rest with a nonzero constant c and rest free of the other parameters', () => {
    const others = new Set(['j']);
    assert.equal(beginsAffineIn(index(sym('i').mul(2).add(sym('N'))), 'i', others), true);
    assert.equal(beginsAffineIn(index(sym('i').add(sym('j'))), 'i', others), false);
    assert.equal(beginsAffineIn(index(sym('i').mul(sym('N'))), 'i', others), false);
    assert.equal(beginsAffineIn(index(sym('N')), 'i', others), false);
  });
});
