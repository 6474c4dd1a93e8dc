// Every sample through the hls target: C-simulation matches the interpreter on random sizes and inputs (fast-check),
// or the target refuses it with exactly the error listed in support.ts.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { samples, copyArgs } from '../../../samples/catalogue.js';
import { maxViolation } from '../../../samples/support.js';
import { TargetError } from '../../../graph/errors.js';
import { compileHls } from '../../../targets/hls/index.js';
import { refusedByHls } from './support.js';

describe('samples on the hls target (C-simulation) agree with the interpreter', function () {
  this.timeout(120_000);
  for (const sample of samples) {
    const refused = refusedByHls[`sample ${sample.name}`];
    if (refused) {
      it(`${sample.name} is refused: ${refused.message}`, async () => {
        await assert.rejects(compileHls(sample.program.sdfg), (error: unknown) => error instanceof TargetError && error.code === refused.code && error.summary === refused.message);
      });
      continue;
    }
    it(sample.name, async () => {
      const simulated = await compileHls(sample.program.sdfg);
      // Sizes up to 9 keep every stream that crosses states (stream_pipeline's queue, depth 64) from filling up.
      fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 1000 }), (size, seed) => {
        const args = sample.inputs(size, seed);
        const expected = copyArgs(args), actual = copyArgs(args);
        sample.program.run(expected as never);
        simulated.run(actual as never);
        for (const out of sample.outputs) {
          const violation = maxViolation(expected[out] as ArrayLike<number>, actual[out] as ArrayLike<number>, sample.rtol);
          assert.equal(violation, 0, `${sample.name}.${out} at size ${size}, seed ${seed}: max violation ${violation}`);
        }
      }), { numRuns: 4 });
    });
  }

  it('lists only samples and kernels that exist in its table of refusals', async () => {
    const { kernelList } = await import('../../../kernels/index.js');
    const names = new Set([...samples.map((s) => `sample ${s.name}`), ...kernelList.map((k) => `kernel ${k.name}`)]);
    for (const name of Object.keys(refusedByHls)) assert.ok(names.has(name), `${name} is not a sample or kernel`);
  });
});
