// Scatters with a reducible resolution (a histogram's sums): per-thread copies combined by OpenMP while the array is
// small, atomics above the limit; both paths agree with the interpreter.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compile } from '../../../index.js';
import { emitCpp } from '../../../targets/cpp/emit.js';
import { histogram, histogramPlain } from '../../../samples/histogram.js';
import * as P from './programs.js';

describe('targets/cpp array reductions', function () {
  this.timeout(120_000);

  it('sums into per-thread copies of a small array (reduction over an array section), atomically above 256 KiB', () => {
    const source = emitCpp(histogram.sdfg).source;
    assert.match(source, /if \(4\*BINS <= 262144\) \{\n\s+#pragma omp parallel for reduction\(\+:hist\[0:BINS\]\)\n/);
    assert.match(source, /\} else \{\n\s+#pragma omp parallel for\n(.*\n)*?\s+#pragma omp atomic\n\s+hist\[h_at0\] \+= 1;/);
  });

  it('copies each array updated with one reducible resolution (sum, min), never one with a custom resolution', () => {
    const source = emitCpp(P.histogram()).source;
    assert.match(source, /reduction\(\+:count\[0:[^\]]+\]\)/);
    assert.match(source, /reduction\(min:low\[0:[^\]]+\]\)/);
    assert.doesNotMatch(source, /reduction\([^)]*high\[/, 'a custom resolution has no OpenMP reduction');
  });

  it('counts like the plain loop on both paths (random data, parallel sizes)', async () => {
    const native = await compile(histogram, { target: 'cpp' });
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(1, 7, 1000, 70_000), (seed, bins) => {
      let state = seed;
      const data = Float64Array.from({ length: 40_000 }, () => { state = (state * 48271) % 2147483647; return state / 2147483647 * 1.2 - 0.1; });
      const expected = new Int32Array(bins), got = new Int32Array(bins);
      histogramPlain(data, expected);
      native.run({ N: data.length, BINS: bins, data, hist: got });
      assert.deepEqual(got, expected);
    }), { numRuns: 8 });
  });
});
