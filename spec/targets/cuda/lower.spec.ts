// Lowering for CUDA as graph rewrites (GPUTransform, GPUThreadBlocks, GPUTransientStorage): the lowered graph of every
// sample and kernel still computes what the program does (reference interpreter), transients land in registers,
// shared or global memory, each step can be logged, and optimize: 'auto' runs the target-neutral stages first.
import assert from 'node:assert/strict';
import { program, symbol, array, f64 } from '../../../index.js';
import { allStates } from '../../../graph/query.js';
import { samples, copyArgs } from '../../../samples/catalogue.js';
import { maxViolation } from '../../../samples/support.js';
import { kernelList, compareOutputs, type KernelArgs } from '../../../kernels/index.js';
import { runReference } from '../../../targets/reference/index.js';
import { gpuOptimizationStages, gpuStages, lowerForCuda, optimizeForGpu } from '../../../targets/cuda/index.js';
import { sharedRows } from './programs.js';

const copy = (args: KernelArgs): KernelArgs => Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));

const withLocal = program('with_local', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
  p.map`i = 0:${N}`.scope((m) => {
    const t = m.transient('t', f64);
    m.tasklet({ v: x.at`i` }, { o: t }, 'square')`o = v * v`;
    m.tasklet({ v: t }, { o: y.at`i` }, 'add')`o = v + 1`;
  });
});

describe('targets/cuda lowering', () => {
  it('keeps what every sample computes (reference interpreter on the lowered graph, random inputs)', () => {
    for (const sample of samples) {
      if (sample.name === 'stream_pipeline') continue;
      const lowered = lowerForCuda(sample.program.sdfg);
      for (const [size, seed] of [[5, 1], [9, 2]] as const) {
        const args = sample.inputs(size, seed);
        const expected = copyArgs(args), actual = copyArgs(args);
        sample.program.run(expected as never);
        runReference(lowered, actual);
        for (const out of sample.outputs) {
          assert.equal(maxViolation(expected[out] as ArrayLike<number>, actual[out] as ArrayLike<number>, sample.rtol), 0, `${sample.name}.${out} at size ${size}`);
        }
      }
    }
  });

  it('keeps what every kernel computes, as built and after optimize: auto', function () {
    this.timeout(60_000);
    for (const kernel of kernelList) {
      const built = kernel.build('test');
      for (const [what, lowered] of [['built', lowerForCuda(built.sdfg)], ['optimized', lowerForCuda(optimizeForGpu(built.sdfg, 'auto'))]] as const) {
        const args = kernel.init(kernel.presets.test, 1);
        const expected = copy(args), actual = copy(args);
        built.run(expected as never);
        runReference(lowered, actual);
        for (const [name, verdict] of Object.entries(compareOutputs(kernel, expected, actual))) {
          assert.ok(verdict.ok, `${kernel.name} (${what}).${name}: ${JSON.stringify(verdict)}`);
        }
      }
    }
  });

  it('puts transients in registers inside thread-block maps, in shared memory between them, else in global memory', () => {
    assert.equal(lowerForCuda(withLocal.sdfg).arrays['t']?.storage, 'Register');
    assert.equal(lowerForCuda(sharedRows()).arrays['t']?.storage, 'GPU_Shared');
    const softmax = samples.find((s) => s.name === 'softmax')!.program.sdfg;
    const storage = lowerForCuda(softmax).arrays;
    assert.deepEqual(['e', 'row_max', 'row_sum', 'gpu_x', 'gpu_out'].map((n) => storage[n]?.storage), Array(5).fill('GPU_Global'));
  });

  it('logs the graph after each lowering step', () => {
    const steps: string[] = [];
    lowerForCuda(withLocal.sdfg, { log: (text) => steps.push(text.split('\n')[0]!) });
    assert.deepEqual(steps, ['// lowering after GPUTransform', '// lowering after GPUThreadBlocks', '// lowering after GPUTransientStorage']);
  });

  it("keeps a map's own block size through GPUTransform, and lowers a graph already lowered by hand as it is", () => {
    const sized = program('sized', { N: symbol, x: array(f64, ['N']) }, (p, { N, x }) => {
      p.map`i = 0:${N}`.tasklet({}, { o: x.at`i` })`o = 1`;
    });
    for (const s of allStates(sized.sdfg)) for (const n of s.nodes) if (n.kind === 'MapEntry') n.map.gpuBlockSize = [256];
    const blocks = [...allStates(lowerForCuda(sized.sdfg))].flatMap((s) => s.nodes.flatMap((n) => (n.kind === 'MapEntry' ? [`${n.map.schedule} ${n.map.gpuBlockSize}`] : [])));
    assert.deepEqual(blocks, ['GPU_ThreadBlock 256', 'GPU_Device 256']);
    const manual = sharedRows();
    const maps = [...allStates(lowerForCuda(manual))].flatMap((s) => s.nodes.flatMap((n) => (n.kind === 'MapEntry' ? [`${n.map.label} ${n.map.schedule}`] : [])));
    assert.deepEqual(maps.sort(), ['load GPU_ThreadBlock', 'row GPU_Device', 'store GPU_ThreadBlock']);
  });

  it("names autoOptimize's stages for 'gpu': the target-neutral ones, then the three lowering steps", () => {
    assert.deepEqual(gpuStages.map((s) => s.name), [...gpuOptimizationStages.map((s) => s.name), 'gpu', 'threadBlocks', 'storage']);
    assert.deepEqual(gpuOptimizationStages.map((s) => s.name), ['simplify', 'collapse', 'fusion', 'reduction', 'cleanup']);
  });
});
