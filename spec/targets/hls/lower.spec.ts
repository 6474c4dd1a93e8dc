// The FPGA lowering of the hls target (library expansion, FPGATransform, the user's pipeline, StreamingComposition,
// StreamingMemory): which steps apply, and the lowered designs agreeing with the interpreter in C-simulation.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64 } from '../../../index.js';
import { compileHls, lowerForFpga } from '../../../targets/hls/index.js';

/** y = (2·x)² through a transient that StreamingComposition turns into a stream between the two maps. */
const chain = () => program('chain', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
  const tmp = p.transient('tmp', f64, [N]);
  p.state('pipeline', (s) => {
    s.map('produce')`i = 0:${N}`.tasklet({ a: x.at`i` }, { t: tmp.at`i` })`t = 2 * a`;
    s.map('consume')`i = 0:${N}`.tasklet({ t: tmp.at`i` }, { b: y.at`i` })`b = t * t`;
  });
});

const matmul = () => program('mm', { M: symbol, N: symbol, K: symbol, A: array(f64, ['M', 'K']), B: array(f64, ['K', 'N']), C: array(f64, ['M', 'N']) },
  (p, { A, B, C }) => p.matmul(A, B, C, { alpha: 2, beta: 0.5 }));

const random = (n: number, seed: number): Float64Array => Float64Array.from({ length: n }, (_, k) => Math.sin(seed * 7919 + k * 104729) * 2);

describe('hls lowering', function () {
  this.timeout(60_000);

  it('applies FPGATransform, then StreamingComposition, then StreamingMemory, in that order', () => {
    const { applied, sdfg } = lowerForFpga(chain().sdfg);
    assert.deepEqual(applied.map((s) => `${s.transformation}: ${s.where}`), [
      'FPGATransform: SDFG chain',
      'StreamingComposition: tmp in state pipeline',
      'StreamingMemory: read on e0 in state pipeline',
      'StreamingMemory: write on e7 in state pipeline',
    ]);
    assert.equal(sdfg.arrays.tmp, undefined);
    assert.equal(sdfg.arrays.tmp_stream?.kind, 'Stream');
    assert.deepEqual(lowerForFpga(chain().sdfg, { streamingComposition: false, streamingMemory: false }).applied.map((s) => s.transformation), ['FPGATransform']);
  });

  it('runs a producer → consumer pipeline connected by a stream in C-simulation', async () => {
    const made = chain();
    const simulated = await compileHls(made.sdfg, { streamDepth: 2 });
    assert.match(simulated.files['kernel.cpp'], /hls::stream<double, 2> tmp_stream\("tmp_stream"\);/);
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer(), (N, seed) => {
      const x = random(N, seed);
      const expected = { N, x: x.slice(), y: new Float64Array(N) }, actual = { N, x: x.slice(), y: new Float64Array(N) };
      made.run(expected as never);
      simulated.run(actual);
      assert.deepEqual(actual.y, expected.y);
    }), { numRuns: 5 });
  });

  it('expands MatMul (alpha, beta) into an initializing map and an accumulating one that match the interpreter', async () => {
    const made = matmul();
    const simulated = await compileHls(made.sdfg);
    fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 20 }), fc.integer(), (M, N, K, seed) => {
      const args = { M, N, K, A: random(M * K, seed), B: random(K * N, seed + 1), C: random(M * N, seed + 2) };
      const expected = { ...args, C: args.C.slice() }, actual = { ...args, C: args.C.slice() };
      made.run(expected as never);
      simulated.run(actual);
      actual.C.forEach((v, k) => assert.ok(Math.abs(v - expected.C[k]!) <= 1e-12 * (1 + Math.abs(expected.C[k]!)), `C[${k}] = ${v}, expected ${expected.C[k]}`));
    }), { numRuns: 5 });
  });
});
