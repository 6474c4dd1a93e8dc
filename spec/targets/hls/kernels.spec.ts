// Every kernel of the library through the hls target: C-simulation agrees with the interpreter (test preset, two
// seeds), or the target refuses it with exactly the error listed in support.ts.
import assert from 'node:assert/strict';
import { kernelList } from '../../../kernels/index.js';
import { compareOutputs } from '../../../kernels/kernel.js';
import { TargetError } from '../../../graph/errors.js';
import { compileHls } from '../../../targets/hls/index.js';
import { copyKernelArgs, refusedByHls } from './support.js';

describe('kernels on the hls target (C-simulation) agree with the interpreter', function () {
  this.timeout(120_000);
  for (const kernel of kernelList) {
    const refused = refusedByHls[`kernel ${kernel.name}`];
    if (refused) {
      it(`${kernel.name} is refused: ${refused.message}`, async () => {
        await assert.rejects(compileHls(kernel.build('test').sdfg), (error: unknown) => {
          assert.ok(error instanceof TargetError);
          assert.equal(error.code, refused.code);
          assert.equal(error.summary, refused.message);
          return true;
        });
      });
      continue;
    }
    it(kernel.name, async () => {
      const program = kernel.build('test');
      const simulated = await compileHls(program.sdfg);
      for (const seed of [1, 2]) {
        const args = kernel.init(kernel.presets.test, seed);
        const expected = copyKernelArgs(args), actual = copyKernelArgs(args);
        program.run(expected as never);
        simulated.run(actual as never);
        for (const [name, verdict] of Object.entries(compareOutputs(kernel, expected, actual))) {
          assert.ok(verdict.ok, `${kernel.name}.${name} (seed ${seed}): ${JSON.stringify(verdict)}`);
        }
      }
    });
  }
});
