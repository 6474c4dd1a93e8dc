// autoOptimize: every sample computes the same before and after, the report says what was applied, stages are plain data.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import '../../passes/index.js';
import { TransformationError } from '../../graph/errors.js';
import { printSDFG } from '../../graph/printer.js';
import type { SDFG } from '../../graph/sdfg.js';
import { autoOptimize, cpuStages, optimizeProgram, simplifyPipeline } from '../../passes/auto-optimize.js';
import { assertSameBehaviour, randomArguments, type Args } from '../support/transformation-harness.js';
import { seededRandom } from '../../samples/support.js';
import { axpy } from '../../samples/axpy.js';
import { gemm } from '../../samples/gemm.js';
import { jacobi2d } from '../../samples/jacobi-2d.js';
import { softmax } from '../../samples/softmax.js';
import { spmv } from '../../samples/spmv.js';
import { histogram } from '../../samples/histogram.js';
import { streamPipeline } from '../../samples/stream-pipeline.js';
import { blur3, sharpen5 } from '../../samples/generated-stencil.js';

type Sizes = fc.Arbitrary<Record<string, number>>;
const size = (max: number, min = 1) => fc.integer({ min, max });

/** Arguments for spmv: a random sparse matrix in CSR form with valid row pointers and column indices. */
function csrArguments(sdfg: SDFG, { M, N }: Record<string, number>, random: () => number): Args {
  const rowptr = new Int32Array(M! + 1), cols: number[] = [];
  for (let i = 0; i < M!; i++) {
    for (let j = 0; j < N!; j++) if (random() < 0.4) cols.push(j);
    rowptr[i + 1] = cols.length;
  }
  const args = randomArguments(sdfg, { M: M!, N: N!, NNZ: cols.length }, random);
  return { ...args, rowptr, col: Int32Array.from(cols) };
}

const samples: [string, { sdfg: SDFG }, Sizes, ((sdfg: SDFG, s: Record<string, number>, r: () => number) => Args)?][] = [
  ['axpy', axpy, fc.record({ N: size(12) })],
  ['gemm', gemm, fc.record({ NI: size(5), NJ: size(5), NK: size(5) })],
  ['jacobi_2d', jacobi2d, fc.record({ N: size(7, 3), TSTEPS: size(3) })],
  ['softmax', softmax, fc.record({ N: size(4), M: size(6) })],
  ['spmv', spmv, fc.record({ M: size(6), N: size(6) }), csrArguments],
  ['histogram', histogram, fc.record({ N: size(20), BINS: size(5) })],
  ['stream_pipeline', streamPipeline, fc.record({ N: size(10) })],
  ['blur3', blur3, fc.record({ N: size(12) })],
  ['sharpen5', sharpen5, fc.record({ N: size(12) })],
];

const applied = (sdfg: { sdfg: SDFG }): string[] => autoOptimize(sdfg, 'cpu').report.applied.map((a) => `${a.transformation}: ${a.where}`);

describe('autoOptimize (cpu)', () => {
  for (const [name, made, sizes, inputs] of samples) {
    it(`keeps what sample ${name} computes`, () => {
      const { sdfg: after, report } = autoOptimize(made, 'cpu');
      assert.deepEqual(report.warnings, []);
      fc.assert(fc.property(sizes, fc.integer(), (symbols, seed) => {
        const random = seededRandom(seed);
        const args = inputs ? inputs(made.sdfg, symbols, random) : randomArguments(made.sdfg, symbols, random);
        assertSameBehaviour(made.sdfg, after, args);
      }), { numRuns: 6 });
    });
  }

  it('reports what it applied to gemm and jacobi_2d', () => {
    assert.deepEqual(applied(gemm), [
      'StateFusion: scale + multiply',
      'WcrMapSplit: multiply in state scale',
      'CpuScheduleAssignment: scale in state scale',
      'CpuScheduleAssignment: multiply in state scale',
      'Vectorization: scale in state scale',
      'Vectorization: multiply_reduce in state scale',
    ]);
    assert.deepEqual(applied(jacobi2d), [
      'StateFusion: to_B + to_A',
      'CpuScheduleAssignment: to_B in state to_B',
      'CpuScheduleAssignment: to_A in state to_B',
      'Vectorization: to_B in state to_B',
      'Vectorization: to_A in state to_B',
    ]);
    const { report } = autoOptimize(gemm, 'cpu');
    assert.deepEqual(report.stages.map((s) => `${s.stage} ${s.applied}`), [
      'simplify 1', 'loops 0', 'collapse 0', 'fusion 0', 'reduction 0', 'cleanup 0', 'wcr 1', 'schedules 2', 'storage 0', 'vectorization 2',
    ]);
  });

  it('works on a copy unless asked to work in place', () => {
    const before = printSDFG(gemm.sdfg);
    const { sdfg } = autoOptimize(gemm, 'cpu');
    assert.notEqual(printSDFG(sdfg), before);
    assert.equal(printSDFG(gemm.sdfg), before);
    const mine = optimizeProgram(gemm, []).sdfg;
    const inPlace = autoOptimize(mine, 'cpu', { inPlace: true });
    assert.equal(inPlace.sdfg, mine);
    assert.equal(mine.blocks.length, 1);
  });

  it('skips a transformation nobody registered with a warning instead of failing', () => {
    const { report } = autoOptimize(axpy, 'cpu', { stages: [{ name: 'mine', pipeline: ['NoSuchTransformation', ...simplifyPipeline] }] });
    assert.deepEqual(report.warnings, ['stage mine: skipped NoSuchTransformation (no transformation of that name is registered)']);
    assert.deepEqual(report.stages, [{ stage: 'mine', applied: 0, skipped: ['NoSuchTransformation'] }]);
  });

  it('optimizeProgram runs a given pipeline (unknown names are errors there) or the default one', () => {
    const fused = optimizeProgram(jacobi2d, ['StateFusion']);
    assert.deepEqual(fused.report.applied.map((a) => a.transformation), ['StateFusion']);
    assert.equal(optimizeProgram(jacobi2d, 'auto').report.applied.length, 5);
    assert.throws(() => optimizeProgram(jacobi2d, ['StateFusin']), (e: unknown) => e instanceof TransformationError && e.code === 'unknown-transformation');
  });

  it('rejects devices it has no pipeline for', () => {
    assert.throws(() => autoOptimize(axpy, 'fpga' as 'cpu'), (e: unknown) => e instanceof TransformationError && e.code === 'unknown-device'
      && e.summary === 'autoOptimize has no pipeline for device "fpga"' && e.hint === "use 'cpu' or 'gpu'");
  });

  it("'gpu' runs the target-neutral stages, then lowers for the GPU", () => {
    const { sdfg, report } = autoOptimize(axpy, 'gpu');
    assert.deepEqual(report.stages.map((s) => s.stage), ['simplify', 'collapse', 'fusion', 'reduction', 'cleanup', 'gpu', 'threadBlocks', 'storage']);
    const schedules = sdfg.blocks.flatMap((b) => (b.kind === 'State' ? b.nodes : [])).flatMap((n) => (n.kind === 'MapEntry' ? [n.map.schedule] : []));
    assert.deepEqual(schedules.sort(), ['GPU_Device', 'GPU_ThreadBlock']);
  });

  it('its stages are lists of transformation names', () => {
    assert.deepEqual(cpuStages.map((s) => s.name), ['simplify', 'loops', 'collapse', 'fusion', 'reduction', 'cleanup', 'wcr', 'schedules', 'storage', 'vectorization']);
    assert.deepEqual(simplifyPipeline, ['TrivialMapElimination', 'StateFusion', 'DeadDataflowElimination', 'RedundantArrayRemoval', 'LoopToMap']);
  });
});
