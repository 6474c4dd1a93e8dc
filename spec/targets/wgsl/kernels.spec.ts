// Every kernel of the library on the WGSL target agrees with the reference interpreter (test preset, two seeds, the
// kernels' own inputs); f64 kernels run with the f32 demotion they are refused without, compared at f32 tolerance;
// the kernels WebGPU cannot run are refused with exactly the reason coverage.ts lists.
import assert from 'node:assert/strict';
import { SdfgError } from '../../../graph/errors.js';
import { kernelList } from '../../../kernels/index.js';
import { compareArrays, compareOutputs, type KernelArgs } from '../../../kernels/kernel.js';
import { compileWgsl, releaseWgslDevice } from '../../../targets/wgsl/index.js';
import { demotionFor, f32Tolerance, holdsF64, refusedOnWgsl, roundedToF32 } from './coverage.js';

function copy(args: KernelArgs): KernelArgs {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));
}

async function refusal(make: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await make();
  } catch (error) {
    assert.ok(error instanceof SdfgError, `not an SdfgError: ${String(error)}`);
    return { code: error.code, message: error.summary };
  }
  return assert.fail('nothing was thrown');
}

describe('kernels on the wgsl target agree with the interpreter', function () {
  this.timeout(60_000);
  after(() => releaseWgslDevice());

  for (const kernel of kernelList) {
    const refused = refusedOnWgsl[kernel.name];
    if (refused) {
      it(`${kernel.name}: refused (${refused.code})`, async () => {
        const message = await refusal(() => compileWgsl(kernel.build('test').sdfg, refused.options));
        assert.deepEqual(message, { code: refused.code, message: refused.message });
      });
      continue;
    }
    const f64 = holdsF64(kernel.build('test').sdfg);
    it(`${kernel.name}${f64 ? ' (f64 demoted to f32)' : ''}`, async () => {
      const program = kernel.build('test');
      if (f64) assert.equal((await refusal(() => compileWgsl(program.sdfg))).code, 'wgsl-f64');
      const compiled = await compileWgsl(program.sdfg, demotionFor(kernel.name, program.sdfg));
      for (const seed of [1, 2]) {
        const args = f64 ? roundedToF32(kernel.init(kernel.presets.test, seed)) : kernel.init(kernel.presets.test, seed);
        const expected = copy(args), actual = copy(args);
        program.run(expected as never);
        await compiled.run(actual);
        const verdicts = f64
          ? Object.fromEntries(kernel.outputs.map((o) => [o, compareArrays(expected[o] as ArrayLike<number>, actual[o] as ArrayLike<number>, f32Tolerance.rtol, f32Tolerance.atol)]))
          : compareOutputs(kernel, expected, actual);
        for (const [name, verdict] of Object.entries(verdicts)) assert.ok(verdict.ok, `${kernel.name}.${name} (seed ${seed}): ${JSON.stringify(verdict)}`);
      }
    });
  }
});
