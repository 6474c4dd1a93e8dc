// Every kernel of the library through the C++ target agrees with the reference interpreter (test preset, two seeds).
import assert from 'node:assert/strict';
import { compile } from '../../../index.js';
import { kernelList } from '../../../kernels/index.js';
import { compareOutputs, type KernelArgs } from '../../../kernels/kernel.js';

function copy(args: KernelArgs): KernelArgs {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));
}

describe('kernels on the cpp target agree with the interpreter', function () {
  this.timeout(180_000);
  for (const kernel of kernelList) {
    it(kernel.name, async () => {
      const program = kernel.build('test');
      const native = await compile(program, { target: 'cpp' });
      for (const seed of [1, 2]) {
        const args = kernel.init(kernel.presets.test, seed);
        const expected = copy(args), actual = copy(args);
        program.run(expected as never);
        native.run(actual as never);
        const verdicts = compareOutputs(kernel, expected, actual);
        for (const [name, verdict] of Object.entries(verdicts)) assert.ok(verdict.ok, `${kernel.name}.${name} (seed ${seed}): ${JSON.stringify(verdict)}`);
      }
    });
  }
});
