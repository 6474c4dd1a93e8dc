// The protocol's arithmetic: medians, ranges, geometric means, alternation order, speed-up ratios, floors.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { alternation, floorSeconds, geometricMean, median, memoryBound, scaleEstimate, speedup, summarize } from '../../bench/stats.js';

describe('bench statistics', () => {
  it('median of odd and even samples, unsorted input left alone', () => {
    const samples = [5, 1, 3];
    assert.equal(median(samples), 3);
    assert.deepEqual(samples, [5, 1, 3]);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.ok(Number.isNaN(median([])));
  });

  it('the median lies between min and max and does not move when an outlier grows', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 30 }), (xs) => {
      const s = summarize(xs);
      assert.ok(s.min <= s.median && s.median <= s.max);
      assert.equal(s.count, xs.length);
      const worse = [...xs];
      const i = xs.indexOf(s.max);
      worse[i] = s.max * 10 + 1;
      assert.equal(median(worse), s.median);
    }));
  });

  it('summary of nothing is NaN with count 0', () => {
    const s = summarize([]);
    assert.equal(s.count, 0);
    assert.ok([s.median, s.min, s.max].every(Number.isNaN));
  });

  it('geometric mean ignores what is not a positive finite number', () => {
    assert.equal(geometricMean([2, 8]), 4);
    assert.ok(Math.abs(geometricMean([10, 0.1, NaN, 0, -3, Infinity]) - 1) < 1e-12);
    assert.ok(Number.isNaN(geometricMean([])));
  });

  it('alternation: a warm-up round (rep -1), then every round runs every variant once in order', () => {
    assert.deepEqual(alternation(['ts', 'cpp'], 2).map((r) => `${r.rep}:${r.variant}`), ['-1:ts', '-1:cpp', '0:ts', '0:cpp', '1:ts', '1:cpp']);
    fc.assert(fc.property(fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 12 }), (vs, reps) => {
      const order = alternation(vs, reps);
      assert.equal(order.length, vs.length * (reps + 1));
      for (const v of vs) assert.deepEqual(order.filter((r) => r.variant === v).map((r) => r.rep), Array.from({ length: reps + 1 }, (_, i) => i - 1));
      // no variant runs twice in a row unless it is the only one
      if (vs.length > 1) for (let i = 1; i < order.length; i++) assert.notEqual(order[i]!.variant, order[i - 1]!.variant);
    }));
  });

  it('speed-up: ratio of medians, and the median of the round-by-round ratios', () => {
    const s = speedup([10, 12, 11, 30], [1, 2, 1, 3]);
    assert.equal(s.ofMedians, 11.5 / 1.5);
    assert.equal(s.paired, 10);
    assert.equal(speedup([5, 5], [10, 10]).ofMedians, 0.5);
  });

  it('floor: the larger of moving the bytes and doing the flops', () => {
    assert.equal(floorSeconds(40e9, 1e9, 40e9, 100e9), 1);
    assert.equal(floorSeconds(1e9, 200e9, 40e9, 100e9), 2);
    assert.equal(memoryBound(40e9, 1e9, 40e9, 100e9), true);
    assert.equal(memoryBound(1e9, 200e9, 40e9, 100e9), false);
    assert.equal(floorSeconds(8, 8, 0, 0), 0);
  });

  it('interpreter estimates scale by the larger work ratio, never below the measured run', () => {
    assert.equal(scaleEstimate(0.01, { flops: 100, bytes: 100 }, { flops: 10000, bytes: 1000 }, 1), 1);
    assert.equal(scaleEstimate(0.01, { flops: 100, bytes: 100 }, { flops: 100, bytes: 100 }, 12), 0.12);
    assert.equal(scaleEstimate(2, { flops: 100, bytes: 100 }, { flops: 10, bytes: 10 }, 1), 2);
  });
});
