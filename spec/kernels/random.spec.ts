// The seeded generator behind the random kernel inputs: deterministic per seed, in range, not degenerate.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Random, seeded, DEFAULT_SEED } from '../../kernels/index.js';

describe('kernels/random', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = seeded(5).float64Array(16), b = seeded(5).float64Array(16), c = seeded(6).float64Array(16);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.deepEqual(seeded().float64Array(4), new Random(DEFAULT_SEED).float64Array(4));
  });

  it('draws doubles and f32-exact floats in [0, 1), integers and bytes in range', () => fc.assert(fc.property(fc.integer(), (s) => {
    const rng = seeded(s);
    for (let k = 0; k < 64; k++) {
      const d = rng.random(), f = rng.randomF32(), n = rng.integer(-3, 4);
      assert.ok(d >= 0 && d < 1 && f >= 0 && f < 1 && Math.fround(f) === f);
      assert.ok(Number.isInteger(n) && n >= -3 && n < 4);
    }
    for (const byte of rng.uint8Array(32)) assert.ok(byte >= 0 && byte < 256);
  }), { numRuns: 20 }));

  it('spreads its values (mean near 1/2, every byte value seen)', () => {
    const xs = seeded(1).float64Array(20000);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
    assert.equal(new Set(seeded(2).uint8Array(20000)).size, 256);
  });

  it('rejects an empty integer range', () => {
    assert.throws(() => seeded(1).integer(3, 3), { name: 'RangeError', message: 'integer(3, 3): the range is empty' });
  });
});
