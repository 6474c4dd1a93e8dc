// optimize: 'auto' on the wgsl target runs the stages every target can run (no nested SDFGs in kernels): the kernels
// that the CPU pipeline would restructure most (loops moved into maps, reductions split) still run and agree.
import assert from 'node:assert/strict';
import { compile } from '../../../index.js';
import { kernelList } from '../../../kernels/index.js';
import { compareArrays, type KernelArgs } from '../../../kernels/kernel.js';
import { releaseWgslDevice } from '../../../targets/wgsl/index.js';
import { demotionFor, f32Tolerance, roundedToF32 } from './coverage.js';

describe("optimize: 'auto' on the wgsl target", function () {
  this.timeout(60_000);
  after(() => releaseWgslDevice());

  for (const name of ['vadv', 'deriche', 'conv2d_bias']) {
    it(name, async () => {
      const kernel = kernelList.find((k) => k.name === name)!;
      const program = kernel.build('test');
      const compiled = await compile(program, { target: 'wgsl', optimize: 'auto', ...demotionFor(name, program.sdfg) });
      const args = roundedToF32(kernel.init(kernel.presets.test, 3));
      const copy = (a: KernelArgs): KernelArgs => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));
      const expected = copy(args), actual = copy(args);
      program.run(expected as never);
      await compiled.run(actual);
      for (const o of kernel.outputs) {
        const verdict = compareArrays(expected[o] as ArrayLike<number>, actual[o] as ArrayLike<number>, f32Tolerance.rtol, f32Tolerance.atol);
        assert.ok(verdict.ok, `${name}.${o}: ${JSON.stringify(verdict)}`);
      }
    });
  }
});
