// Every sample on the WGSL target agrees with the reference interpreter on random inputs (fast-check picks sizes and
// seeds); f64 samples run only with the f32 demotion they are refused without, and are compared at f32 tolerance.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SdfgError } from '../../../graph/errors.js';
import { samples, copyArgs, type Sample } from '../../../samples/catalogue.js';
import { maxViolation } from '../../../samples/support.js';
import { compileWgsl, releaseWgslDevice } from '../../../targets/wgsl/index.js';
import { demotionFor, f32Tolerance, holdsF64, refusedOnWgsl, roundedToF32 } from './coverage.js';

async function refusal(make: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await make();
  } catch (error) {
    assert.ok(error instanceof SdfgError, `not an SdfgError: ${String(error)}`);
    return { code: error.code, message: error.summary };
  }
  return assert.fail('nothing was thrown');
}

async function agrees(sample: Sample): Promise<void> {
  const options = demotionFor(sample.name, sample.program.sdfg);
  const demoted = options.f64 === 'f32';
  const compiled = await compileWgsl(sample.program.sdfg, options);
  await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (size, seed) => {
    const inputs = demoted ? roundedToF32(sample.inputs(size, seed)) : sample.inputs(size, seed);
    const expected = copyArgs(inputs), actual = copyArgs(inputs);
    sample.program.run(expected as never);
    await compiled.run(actual);
    for (const out of sample.outputs) {
      const [rtol, atol] = demoted ? [Math.max(sample.rtol, f32Tolerance.rtol), f32Tolerance.atol] : [sample.rtol, 1e-8];
      const violation = maxViolation(expected[out] as ArrayLike<number>, actual[out] as ArrayLike<number>, rtol, atol);
      assert.equal(violation, 0, `${sample.name}.${out} at size ${size}, seed ${seed}: max violation ${violation}`);
    }
  }), { numRuns: 3 });
}

describe('samples on the wgsl target agree with the interpreter', function () {
  this.timeout(60_000);
  after(() => releaseWgslDevice());

  for (const sample of samples) {
    const refused = refusedOnWgsl[sample.name];
    if (refused) {
      it(`${sample.name}: refused (${refused.code})`, async () => {
        assert.deepEqual(await refusal(() => compileWgsl(sample.program.sdfg, refused.options)), { code: refused.code, message: refused.message });
      });
      continue;
    }
    const f64 = holdsF64(sample.program.sdfg);
    it(`${sample.name}${f64 ? ' (f64 demoted to f32)' : ''}`, async () => {
      if (f64) assert.equal((await refusal(() => compileWgsl(sample.program.sdfg))).code, 'wgsl-f64');
      await agrees(sample);
    });
  }
});
