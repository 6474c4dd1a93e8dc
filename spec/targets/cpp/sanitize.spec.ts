// The sanitizer harness: a program built with AddressSanitizer and UBSan runs as its own executable on file inputs.
import assert from 'node:assert/strict';
import { TargetError } from '../../../graph/errors.js';
import { runSanitized } from '../../../targets/cpp/index.js';
import { runReference } from '../../../targets/reference/index.js';
import * as P from './programs.js';

describe('targets/cpp runSanitized', function () {
  this.timeout(120_000);

  it('runs a clean program and returns what the reference returns', async () => {
    const x = Float64Array.from({ length: 33 }, (_, i) => i / 4), y = Float64Array.from({ length: 33 }, (_, i) => 1 - i);
    const expected = runReference(P.dot(), { x, y, result: 1, largest: -50 });
    const got = await runSanitized(P.dot(), { x, y, result: 1, largest: -50 });
    assert.deepEqual(got, expected);
  });

  it('fails with the sanitizer report when the program writes outside an array', async () => {
    const overflow = P.rawCpp('w = v;\nd[i + N] = 1;');
    const error = await runSanitized(overflow, { d: new BigInt64Array(4) }).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof TargetError);
    assert.equal(error.code, 'sanitizer');
    assert.ok(error.summary.startsWith("the sanitized build of 'raw_cpp' failed (exit code 1):\n"), error.summary.slice(0, 200));
    assert.match(error.summary, /ERROR: AddressSanitizer: heap-buffer-overflow/);
  });
});
