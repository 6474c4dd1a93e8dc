// Sequential maps that sum into one element per run (dot products, cholesky's updates): a local accumulator folded in
// SIMD lanes and written once; not where the map might read that element.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compile, program, symbol, array, f64 } from '../../../index.js';
import { emitCpp } from '../../../targets/cpp/emit.js';
import { choleskyProgram } from '../../../kernels/cholesky.js';

/** out[i] += A[i, k] * A[j, k] over k < j (j a loop variable), reading A next to the sum. */
const rowDots = program('row_dots', { N: symbol, A: array(f64, ['N', 'N']), out: array(f64, ['N']) }, (p, { N, A, out }) => {
  p.for`j = 0:${N}`((j) => {
    p.map('dot')`k = 0:${j}`.tasklet({ a: A.at`${j}, k`, b: A.at`k, ${j}` }, { o: out.at`${j}`.wcr('+') })`o = a * b`;
  });
});

describe('targets/cpp local sums', function () {
  this.timeout(60_000);

  it('folds a sum that no map parameter moves into a SIMD-reduced local, written once after the loop', () => {
    const source = emitCpp(choleskyProgram().sdfg).source;
    assert.match(source, /double A_sum = double\(0\);\n\s+#pragma omp simd reduction\(\+:A_sum\)\n\s+for \(int64_t k = 0; k < j; \+\+k\) \{/);
    assert.match(source, /A_sum \+= o;\n(.*\n)+?\s+A\[N\*i \+ j\] \+= A_sum;/);
  });

  it('keeps summing in place where a read may name the element being summed', () => {
    const risky = program('risky', { N: symbol, A: array(f64, ['N', 'N']) }, (p, { N, A }) => {
      p.for`j = 0:${N}`((j) => {
        p.map('m')`k = 0:${N}`.tasklet({ a: A.at`${j}, k` }, { o: A.at`${j}, ${j}`.wcr('+') })`o = a`;
      });
    });
    const source = emitCpp(risky.sdfg).source;
    assert.doesNotMatch(source, /A_sum/);
    assert.match(source, /A\[N\*j \+ j\] \+= o;/);
  });

  it('sums like the interpreter (random sizes and data)', async () => {
    const native = await compile(rowDots, { target: 'cpp' });
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer(), (n, seed) => {
      let s = seed >>> 0;
      const A = Float64Array.from({ length: n * n }, () => { s = (s * 1103515245 + 12345) >>> 0; return s / 2 ** 32 - 0.5; });
      const expected = { N: n, A: A.slice(), out: new Float64Array(n).fill(0.25) };
      const got = { N: n, A: A.slice(), out: new Float64Array(n).fill(0.25) };
      rowDots.run(expected);
      native.run(got);
      got.out.forEach((v, i) => assert.ok(Math.abs(v - expected.out[i]!) <= 1e-12 * Math.max(1, Math.abs(expected.out[i]!)), `out[${i}]`));
    }), { numRuns: 20 });
  });
});
