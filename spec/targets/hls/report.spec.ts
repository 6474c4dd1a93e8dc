// The FPGA report (processing elements, streams and depths, on-chip buffers, estimated II per pipelined loop), and
// the graph features it describes running in C-simulation: InLocalStorage tiles and replicated processing elements.
import assert from 'node:assert/strict';
import { program, array, f64 } from '../../../index.js';
import { samples } from '../../../samples/catalogue.js';
import { compileHls, fpgaReport, fpgaReportData, lowerForFpga } from '../../../targets/hls/index.js';

const sample = (name: string) => samples.find((s) => s.name === name)!.program.sdfg;

/** Tiles of x that InLocalStorage copies into an on-chip buffer. */
const tiled = () => program('tiled', { x: array(f64, [16, 8]), y: array(f64, [16, 8]) }, (p, { x, y }) => {
  p.map('tiles')`ti = 0:16:4`.map('inner')`i = ti:ti + 4, j = 0:8`.tasklet({ a: x.at`i, j` }, { b: y.at`i, j` })`b = 2 * a`;
});

/** A top-level unrolled map: its inner map becomes four replicated processing elements. */
const lanes = () => program('lanes', { x: array(f64, [4, 8]), y: array(f64, [4, 8]) }, (p, { x, y }) => {
  p.map('lanes')`u = 0:4`.schedule('Unrolled').map('work')`i = 0:8`.tasklet({ a: x.at`u, i` }, { b: y.at`u, i` })`b = a * a + 1`;
});

describe('FPGA report', function () {
  this.timeout(60_000);

  it('prints gemm: ports, processing elements per state, loops with their II, streams with depths, buffers', () => {
    assert.equal(fpgaReport(sample('gemm')), `FPGA report for SDFG "gemm" (top function gemm_top)
off-chip memory (m_axi ports): fpga_A (float64[NI, NK]), fpga_B (float64[NK, NJ]), fpga_C (float64[NI, NJ])
scalar arguments (s_axilite): alpha, beta
host -> device copies: fpga_A, fpga_B, fpga_C; device -> host copies: fpga_C

state "scale" (s0): 3 processing elements, 1 dataflow region
  region 0 (DATAFLOW):
    PE read_C_c (reader)
      map read_C_c [i = 0:NI, j = 0:NJ]: pipelined, estimated II=1
    PE scale (compute)
      map scale [i = 0:NI, j = 0:NJ]: pipelined, estimated II=1
    PE write_C_out (writer)
      map write_C_out [i = 0:NI, j = 0:NJ]: pipelined, estimated II=1

state "multiply" (s1): 3 processing elements, 1 dataflow region
  region 0 (DATAFLOW):
    PE read_A_a (reader)
      map read_A_a [i = 0:NI, j = 0:NJ, k = 0:NK]: pipelined, estimated II=1
    PE read_B_b (reader)
      map read_B_b [i = 0:NI, j = 0:NJ, k = 0:NK]: pipelined, estimated II=1
    PE multiply (compute)
      map multiply [i = 0:NI, j = 0:NJ, k = 0:NK]: pipelined, estimated II=1
        - tasklet_1 accumulates into fpga_C over k in 8 interleaved partial results (combine latency 7)

streams:
  C_to_c: float64, depth 8, read_C_c -> scale
  A_to_a: float64, depth 8, read_A_a -> multiply
  B_to_b: float64, depth 8, read_B_b -> multiply
  C_from_out: float64, depth 8, scale -> write_C_out

on-chip buffers:
  fpga_C_partial in multiply: 8 elements, 64 bytes
`);
  });

  it('estimates an II above 1 where the graph forces it, with the reason', () => {
    const data = fpgaReportData(lowerForFpga(sample('stream_pipeline')).sdfg);
    const consume = data.loops.find((l) => l.loop === 'consume consume_0')!;
    assert.equal(consume.info.ii, 7);
    assert.deepEqual(consume.info.notes, ['II ≥ 7: every iteration updates the same element of fpga_total (combine latency 7)']);
    const histogram = fpgaReportData(lowerForFpga(sample('histogram')).sdfg);
    // Integer sums combine in one cycle: the data-dependent scatter still pipelines at II=1.
    assert.deepEqual(histogram.loops.map((l) => [l.loop, l.info.ii]), [['map read_data_v [i = 0:N]', 1], ['map scatter [i = 0:N]', 1]]);
  });

  it('sizes the on-chip tile that InLocalStorage introduces, and the tiles run in C-simulation', async () => {
    const program = tiled();
    const data = fpgaReportData(lowerForFpga(program.sdfg, { pipeline: ['InLocalStorage'] }).sdfg);
    assert.deepEqual(data.buffers.map((b) => `${b.name} ${b.process} ${b.elements} ${b.bytes}`), ['fpga_x_local tiles 32 256']);
    const simulated = await compileHls(program.sdfg, { pipeline: ['InLocalStorage'] });
    assert.match(simulated.files['kernel.cpp'], /double fpga_x_local\[32\];  \/\/ on-chip buffer/);
    const x = Float64Array.from({ length: 128 }, (_, k) => k / 3);
    const expected = { x: x.slice(), y: new Float64Array(128) }, actual = { x: x.slice(), y: new Float64Array(128) };
    program.run(expected as never);
    simulated.run(actual);
    assert.deepEqual(actual.y, expected.y);
  });

  it('reports replicated processing elements, which run as concurrent copies in C-simulation', async () => {
    const program = lanes();
    assert.match(fpgaReport(program.sdfg), /PE work \(compute ×4 \(replicated over u\)\)\n {6}map work \[i = 0:8\]: pipelined, estimated II=1/);
    const simulated = await compileHls(program.sdfg);
    assert.match(simulated.files['kernel.cpp'], /for \(int64_t u = 0; u < 4; u \+= 1\) \{\n\s+#pragma HLS UNROLL\n\s+SDFG_PROCESS_COPY\(u, work\(u, fpga_x, fpga_y\)\);/);
    const x = Float64Array.from({ length: 32 }, (_, k) => k - 7.5);
    const expected = { x: x.slice(), y: new Float64Array(32) }, actual = { x: x.slice(), y: new Float64Array(32) };
    program.run(expected as never);
    simulated.run(actual);
    assert.deepEqual(actual.y, expected.y);
  });
});
