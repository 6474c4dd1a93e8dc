// The corpus under AddressSanitizer and UBSan: every sample, built sanitized, runs clean and matches the interpreter.
import assert from 'node:assert/strict';
import { runSanitized } from '../../../targets/cpp/index.js';
import { samples, copyArgs } from '../../../samples/catalogue.js';
import { maxViolation } from '../../../samples/support.js';

describe('samples under ASan/UBSan', function () {
  this.timeout(180_000);
  for (const sample of samples) {
    it(sample.name, async () => {
      const args = sample.inputs(5, 11);
      const expected = copyArgs(args);
      sample.program.run(expected as never);
      const got = await runSanitized(sample.program, copyArgs(args) as never);
      for (const out of sample.outputs) {
        assert.equal(maxViolation(expected[out] as ArrayLike<number>, got[out] as ArrayLike<number>, sample.rtol), 0, `${sample.name}.${out}`);
      }
    });
  }
});
