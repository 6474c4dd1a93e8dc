// The kernel library under AddressSanitizer and UBSan: every kernel after autoOptimize (tiled, fused, vectorized: where
// an indexing mistake would hide), built sanitized, runs clean and matches the interpreter on the unoptimized program.
import assert from 'node:assert/strict';
import { runSanitized } from '../../../targets/cpp/index.js';
import { kernelList } from '../../../kernels/index.js';
import { compareOutputs, type KernelArgs } from '../../../kernels/kernel.js';

function copy(args: KernelArgs): KernelArgs {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));
}

describe('kernels under ASan/UBSan', function () {
  this.timeout(300_000);
  for (const kernel of kernelList) {
    it(kernel.name, async () => {
      const program = kernel.build('test');
      const args = kernel.init(kernel.presets.test, 3);
      const expected = copy(args);
      program.run(expected as never);
      const got = await runSanitized(program.optimize('auto'), copy(args) as never);
      const verdicts = compareOutputs(kernel, expected, got as KernelArgs);
      for (const [name, verdict] of Object.entries(verdicts)) assert.ok(verdict.ok, `${kernel.name}.${name}: ${JSON.stringify(verdict)}`);
    });
  }
});
