// Every sample through the C++ target matches the reference interpreter on random inputs.
import assert from 'node:assert/strict';
import { compile } from '../../../index.js';
import { samples, copyArgs } from '../../../samples/catalogue.js';
import { maxViolation } from '../../../samples/support.js';

describe('samples on the cpp target agree with the interpreter', () => {
  for (const sample of samples) {
    it(sample.name, async () => {
      const native = await compile(sample.program, { target: 'cpp' });
      for (const [size, seed] of [[3, 1], [7, 2], [12, 3]] as const) {
        const args = sample.inputs(size, seed);
        const expected = copyArgs(args), actual = copyArgs(args);
        sample.program.run(expected as never);
        native.run(actual as never);
        for (const out of sample.outputs) {
          const violation = maxViolation(expected[out] as ArrayLike<number>, actual[out] as ArrayLike<number>, sample.rtol);
          assert.equal(violation, 0, `${sample.name}.${out} at size ${size}: max violation ${violation}`);
        }
      }
    });
  }
});
