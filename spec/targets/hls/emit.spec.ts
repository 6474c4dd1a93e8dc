// Emitted Vitis HLS C++: snapshots of the dataflow structure and pragmas of a stencil, gemm and a stream pipeline
// (spec/targets/hls/snapshots, rewritten with UPDATE_SNAPSHOTS=1), the structure of the project, and the errors.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { program, symbol, array, f16, f64 } from '../../../index.js';
import type { ArrayHandle } from '../../../dsl/handles.js';
import { cloneSDFG } from '../../../graph/clone.js';
import { addEdge, addNode, removeBlock, type NewNode } from '../../../graph/construct.js';
import type { Node } from '../../../graph/nodes.js';
import type { State } from '../../../graph/sdfg.js';
import { TargetError } from '../../../graph/errors.js';
import { emitHls, planKernel, writeHlsProject } from '../../../targets/hls/index.js';
import { samples } from '../../../samples/catalogue.js';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';

const snapshots = path.join(path.dirname(fileURLToPath(import.meta.url)), 'snapshots');

/** The kernel's own code: from the first processing element to the end (the prelude is the C++ target's runtime). */
const kernelCode = (source: string): string => source.slice(source.indexOf('// processing element'));

function matchSnapshot(name: string, text: string): void {
  const file = path.join(snapshots, name);
  if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(file)) {
    mkdirSync(snapshots, { recursive: true });
    writeFileSync(file, text);
  }
  assert.equal(text, readFileSync(file, 'utf8'), `${name} differs from its snapshot (UPDATE_SNAPSHOTS=1 rewrites it)`);
}

const sample = (name: string) => samples.find((s) => s.name === name)!.program.sdfg;

describe('targets/hls emit: snapshots', () => {
  it('jacobi_2d (a stencil in a time loop): one reader per neighbour, a pipelined compute element and a writer per DATAFLOW region', () => {
    matchSnapshot('jacobi_2d.kernel.cpp', kernelCode(emitHls(sample('jacobi_2d')).files['kernel.cpp']));
  });

  it('gemm: interleaved partial sums keep the floating-point accumulation at II=1', () => {
    matchSnapshot('gemm.kernel.cpp', kernelCode(emitHls(sample('gemm')).files['kernel.cpp']));
  });

  it('stream_pipeline: a stream declared in the top function connects two states; the consume loop pops it', () => {
    matchSnapshot('stream_pipeline.kernel.cpp', kernelCode(emitHls(sample('stream_pipeline')).files['kernel.cpp']));
  });
});

describe('targets/hls emit: structure', () => {
  const gemm = emitHls(sample('gemm'));
  const kernel = gemm.files['kernel.cpp'];

  it('gives the top function m_axi ports for off-chip memory and s_axilite for scalars, symbols and return', () => {
    assert.match(kernel, /void gemm_top\(double\* fpga_A, double\* fpga_B, double\* fpga_C, double alpha, double beta, int64_t NI, int64_t NJ, int64_t NK\) \{\n {2}#pragma HLS INTERFACE m_axi port=fpga_A offset=slave bundle=gmem0\n/);
    for (const port of ['alpha', 'beta', 'NI', 'NJ', 'NK', 'return']) assert.match(kernel, new RegExp(`#pragma HLS INTERFACE s_axilite port=${port}\\n`));
  });

  it('declares every stream with its depth, and each state with concurrent processes as a DATAFLOW region', () => {
    const streams = [...kernel.matchAll(/hls::stream<double, (\d+)> (\w+)\("\w+"\);\n\s+#pragma HLS STREAM variable=(\w+) depth=(\d+)/g)];
    assert.deepEqual(streams.map((m) => m[2]).sort(), ['A_to_a', 'B_to_b', 'C_from_out', 'C_to_c']);
    for (const m of streams) assert.ok(m[1] === m[4] && m[2] === m[3]);
    assert.equal([...kernel.matchAll(/#pragma HLS DATAFLOW/g)].length, 2);
  });

  it('uses only hls_stream.h and standard headers, with <cstdint> integer types', () => {
    const includes = [...kernel.matchAll(/#include <([^>]+)>/g)].map((m) => m[1]);
    assert.ok(includes.includes('hls_stream.h'));
    assert.deepEqual(includes.filter((h) => h!.includes('.h') && h !== 'hls_stream.h'), []);
    assert.doesNotMatch(kernel, /ap_int|ap_fixed|hls_math/);
  });

  it('names the state and node of every processing element and loop in comments', () => {
    assert.match(kernel, /\/\/ processing element multiply \(compute\): state "multiply", map "multiply" \(n0\)/);
    assert.match(kernel, /\/\/ state "multiply", map "multiply" \(n0\): pipelined, estimated II=1/);
  });

  it('unrolls an unrolled inner map and partitions the on-chip buffer it indexes', () => {
    const unrolled = program('unrolled', { N: symbol, x: array(f64, ['N', 4]), y: array(f64, ['N']) }, (p, { N, x, y }) => {
      p.map('rows')`i = 0:${N}`.scope((s) => {
        const row = s.transient('row', f64, [4]) as ArrayHandle<'float64'>;
        s.map('load')`k = 0:4`.schedule('Unrolled').tasklet({ a: x.at`i, k` }, { r: row.at`k` })`r = 2 * a`;
        s.map('sum')`k = 0:4`.schedule('Unrolled').tasklet({ r: row.at`k` }, { o: y.at`i`.wcr('+') })`o = r`;
      });
    });
    const source = emitHls(unrolled.sdfg).files['kernel.cpp'];
    assert.match(source, /double row\[4\];  \/\/ on-chip buffer\n\s+#pragma HLS ARRAY_PARTITION variable=row complete/);
    assert.equal([...source.matchAll(/#pragma HLS UNROLL/g)].length >= 2, true);
  });

  it('writes a Vitis HLS project: kernel, host code, testbench, Tcl script, report, simulation header, inputs', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'sdfg-hls-project-'));
    const axpy = samples.find((s) => s.name === 'axpy')!;
    writeHlsProject(axpy.program, folder, { args: axpy.inputs(3, 1) });
    assert.deepEqual(readdirSync(folder).sort(), ['data', 'host.cpp', 'include', 'kernel.cpp', 'kernel.h', 'report.txt', 'run_hls.tcl', 'testbench.cpp']);
    assert.deepEqual(readdirSync(path.join(folder, 'data')).sort(), ['scalars.txt', 'x.bin', 'y.bin']);
    const tcl = readFileSync(path.join(folder, 'run_hls.tcl'), 'utf8');
    assert.match(tcl, /set_top axpy_top\n/);
    assert.match(tcl, /csim_design -argv \[file normalize data\]\n/);
    assert.match(readFileSync(path.join(folder, 'testbench.cpp'), 'utf8'), /int main\(int argc, char\*\* argv\)/);
  });
});

describe('targets/hls emit: errors', () => {
  it('refuses float16 data (it needs the vendor header hls_half.h)', () => {
    const half = program('half', { x: array(f16, [4]) }, (p, { x }) => {
      p.map('m')`i = 0:4`.tasklet({ a: x.at`i` }, { b: x.at`i` })`b = a`;
    });
    assert.throws(() => emitHls(half.sdfg), (e: unknown) => e instanceof TargetError && e.code === 'hls-unsupported'
      && e.summary === 'float16 has no spelling in HLS C++ without the vendor header hls_half.h');
  });

  it('refuses to plan a graph that is not lowered, and programs the lowering cannot take', () => {
    assert.throws(() => planKernel(sample('axpy')), (e: unknown) => e instanceof TargetError && e.code === 'hls-not-lowered' && e.summary === 'SDFG axpy is not lowered for the FPGA');
    const gpu = program('gpu', { x: array(f64, [4]) }, (p, { x }) => {
      p.map('g')`i = 0:4`.schedule('GPU_Device').tasklet({ a: x.at`i` }, { b: x.at`i` })`b = a + 1`;
    });
    assert.throws(() => emitHls(gpu.sdfg), (e: unknown) => e instanceof TargetError && e.code === 'hls-cannot-lower'
      && e.summary === 'the FPGA lowering cannot apply to gpu: map g is scheduled GPU_Device');
  });

  it('expands MatMul nodes of matrices, and refuses the others with the reason', () => {
    const mm = program('mm', { A: array(f64, [4, 3]), B: array(f64, [3, 5]), C: array(f64, [4, 5]) }, (p, { A, B, C }) => p.matmul(A, B, C, { alpha: 2, beta: 0.5 }));
    const emitted = emitHls(mm.sdfg);
    assert.deepEqual(emitted.applied.map((s) => s.transformation).slice(0, 2), ['MatMul expansion (hls)', 'FPGATransform']);
    assert.match(emitted.files['kernel.cpp'], /out = 0\.5 \* cin;/);
    assert.match(emitted.files['kernel.cpp'], /out = 2\.0 \* \(a \* b\);/);
    const mv = program('mv', { A: array(f64, [4, 3]), v: array(f64, [3]), w: array(f64, [4]) }, (p, { A, v, w }) => p.matmul(A, v, w));
    assert.throws(() => emitHls(mv.sdfg), (e: unknown) => e instanceof TargetError && e.code === 'hls-unsupported'
      && e.summary === 'MatMul matmul_0 has no FPGA expansion: _b (v) is not a matrix with unit steps');
  });

  it('refuses a consume scope in the dataflow region of its producer (its loop would stop on a momentarily empty stream)', () => {
    // stream_pipeline with its two states merged by hand: the consume scope now runs beside the map pushing the queue.
    const sdfg = cloneSDFG(sample('stream_pipeline'));
    const [pipeline, consume] = [sdfg.blocks[0] as State, sdfg.blocks[1] as State];
    const moved = new Map<number, Node>();
    for (const { id, ...node } of consume.nodes) moved.set(id, addNode(pipeline, node as NewNode));
    for (const e of consume.edges) addEdge(pipeline, moved.get(e.src)!, e.srcConn, moved.get(e.dst)!, e.dstConn, e.memlet);
    removeBlock(sdfg, consume);
    assert.throws(() => emitHls(sdfg), (e: unknown) => e instanceof TargetError && e.code === 'hls-unsupported'
      && e.summary === 'consume scope consume_0 pops stream queue while map_0 pushes it in the same dataflow region; the consume loop stops when the stream is empty, which can happen before map_0 is done');
  });

  it('refuses a kernel state that uses a host array (a transformation fused the copies into it)', () => {
    assert.throws(() => emitHls(sample('stream_pipeline'), { pipeline: ['StateFusion'] }), (e: unknown) => e instanceof TargetError && e.code === 'hls-unsupported'
      && e.summary === 'state fpga_copy_in of the kernel accesses the host array total; the kernel reaches arguments only through their FPGA_Global copies');
  });

  it('refuses an unrolled top-level map without a constant trip count (it would replicate processing elements)', () => {
    const lanes = program('lanes', { N: symbol, x: array(f64, ['N', 8]) }, (p, { N, x }) => {
      p.map('lanes')`u = 0:${N}`.schedule('Unrolled').map('work')`i = 0:8`.tasklet({ a: x.at`u, i` }, { b: x.at`u, i` })`b = a + 1`;
    });
    assert.throws(() => emitHls(lanes.sdfg), (e: unknown) => e instanceof TargetError && e.code === 'hls-unsupported'
      && e.summary === 'the unrolled map lanes replicates processing elements, so it needs one parameter with a constant range');
  });
});
