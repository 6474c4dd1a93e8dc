// optimize: 'auto' on the hls target runs the stages every target can run before the FPGA lowering: fused and
// collapsed maps still stream, and the C-simulation agrees with the interpreter.
import assert from 'node:assert/strict';
import { compile } from '../../../index.js';
import { kernelList } from '../../../kernels/index.js';
import { compareOutputs, type KernelArgs } from '../../../kernels/kernel.js';

describe("optimize: 'auto' on the hls target", function () {
  this.timeout(120_000);
  for (const name of ['hdiff', 'vadv', 'softmax']) {
    it(name, async () => {
      const kernel = kernelList.find((k) => k.name === name)!;
      const program = kernel.build('test');
      const compiled = await compile(program, { target: 'hls', optimize: 'auto' });
      const copy = (a: KernelArgs): KernelArgs => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));
      const args = kernel.init(kernel.presets.test, 4);
      const expected = copy(args), actual = copy(args);
      program.run(expected as never);
      compiled.run(actual as never);
      for (const [o, verdict] of Object.entries(compareOutputs(kernel, expected, actual))) assert.ok(verdict.ok, `${name}.${o}: ${JSON.stringify(verdict)}`);
    });
  }
});
