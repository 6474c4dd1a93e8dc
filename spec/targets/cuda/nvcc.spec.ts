// nvcc over the CUDA target's output: every sample, kernel and test program through `nvcc -ptx -arch=sm_90` (batched
// in a few translation units, each program in its own namespace), one host harness compiled and linked with the CUDA
// runtime, and compile() building a cached shared library. Where nvcc is missing these tests skip, saying why.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { samples } from '../../../samples/catalogue.js';
import { kernelList } from '../../../kernels/index.js';
import { checkCudaPrograms, cublasAvailable, emitCuda, nvccAvailable, optimizeForGpu, type NamedProgram } from '../../../targets/cuda/index.js';
import { buildCudaHarness, HARNESS_CUDA_ERROR, runCudaHarness } from '../../../targets/cuda/harness.js';
import { esm } from './esm.js';
import { P, atomics, rawCuda, sharedRows } from './programs.js';

const hasNvcc = nvccAvailable();

/** Fails with nvcc's messages (the CompilerError names the programs whose code failed). */
async function check(programs: readonly NamedProgram[]): Promise<void> {
  await checkCudaPrograms(programs, { jobs: 2 });
}

describe('targets/cuda with nvcc', function () {
  this.timeout(120_000);
  before(function () {
    if (!hasNvcc) {
      console.log('    (skipped: nvcc is not installed; CI has it — set $NVCC or $CUDA_HOME, or install the CUDA toolkit)');
      this.skip();
    }
  });

  it('every sample the GPU can run passes nvcc -ptx -arch=sm_90 (stream_pipeline is refused: streams run on CPUs)', async () => {
    const gpu = samples.filter((s) => s.name !== 'stream_pipeline');
    assert.equal(gpu.length, samples.length - 1);
    await check(gpu.map((s) => ({ name: `sample ${s.name}`, program: emitCuda(s.program.sdfg) })));
  });

  it('every kernel of the library passes nvcc -ptx -arch=sm_90, as built and after optimize: auto', async () => {
    await check(kernelList.flatMap((k) => {
      const sdfg = k.build('test').sdfg;
      return [
        { name: `kernel ${k.name}`, program: emitCuda(sdfg) },
        { name: `kernel ${k.name} (optimized)`, program: emitCuda(optimizeForGpu(sdfg, 'auto')) },
      ];
    }));
  });

  it('the test programs (atomics of every kind, reductions, shared memory, copies, MatMul, profiling) pass nvcc -ptx', async () => {
    const programs: NamedProgram[] = [
      { name: 'atomics', program: emitCuda(atomics.sdfg) }, { name: 'shared rows', program: emitCuda(sharedRows()) },
      { name: 'dot', program: emitCuda(P.dot()) }, { name: 'reductions', program: emitCuda(P.reductions()) },
      { name: 'copies', program: emitCuda(P.copies()) }, { name: 'matmul', program: emitCuda(P.matmul(0.5)) },
      { name: 'histogram', program: emitCuda(P.histogram()) }, { name: 'integers', program: emitCuda(P.integers()) },
      { name: 'gemm map', program: emitCuda(P.gemmMap()) }, { name: 'stencil', program: emitCuda(P.stencil()) },
      { name: 'profiled one-stream axpy', program: emitCuda(P.axpy(), { profile: true, streams: 1, blockSize: [256] }) },
    ];
    if (cublasAvailable()) programs.push({ name: 'matmul (cuBLAS)', program: emitCuda(P.matmul(0.5), { blas: 'cublas' }) });
    await check(programs);
  });

  it('names the program whose code nvcc rejects', async () => {
    const bad: NamedProgram = { name: 'broken', program: emitCuda(rawCuda('w = v * 3 - i')) };
    await assert.rejects(check([{ name: 'fine', program: emitCuda(P.axpy()) }, bad]), /^CompilerError: \[compiler-failed\] nvcc -ptx failed for broken \(/);
  });

  it('compiles and links a host harness with -lcudart; run without a GPU, it stops at the first CUDA call with exit code 4', async () => {
    const gemm = samples.find((s) => s.name === 'gemm')!;
    const program = emitCuda(gemm.program.sdfg);
    const harness = await buildCudaHarness(program, 'gemm');
    assert.ok(existsSync(harness.executable));
    const folder = mkdtempSync(path.join(tmpdir(), 'sdfg-cuda-harness-'));
    try {
      const args = gemm.inputs(3, 1);
      mkdirSync(path.join(folder, 'out'));
      program.params.forEach((p, k) => {
        const value = args[p.name]!;
        const cell = typeof value !== 'number' ? value : p.kind === 'symbol' ? BigInt64Array.of(BigInt(value)) : Float64Array.of(value);  // gemm's scalars are f64
        writeFileSync(path.join(folder, `p${k}.bin`), new Uint8Array(cell.buffer, cell.byteOffset, cell.byteLength));
      });
      const { code, report } = await runCudaHarness(harness.executable, folder, path.join(folder, 'out'));
      if (code === HARNESS_CUDA_ERROR) assert.match(report, /^CUDA error \d+ \(cuda\w+\): .+, in cudaStreamCreateWithFlags\(&stream, cudaStreamNonBlocking\) \(line \d+\)$/);
      else assert.equal(code, 0, report);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("compile(program, { target: 'cuda' }) builds a shared library once (cached by content hash) and runs it through the C++ runtime", async () => {
    const L = await esm();
    const first = await L.compile(L.axpy, { target: 'cuda', blockSize: [96] });
    assert.equal(first.target, 'cuda');
    assert.ok(existsSync(first.library) && existsSync(first.sourceFile));
    assert.match(first.source, /__launch_bounds__\(96\)/);
    const again = await L.compile(L.axpy, { target: 'cuda', blockSize: [96] });
    assert.equal(again.cached, true);
    assert.equal(again.library, first.library);
    const args = { a: 1.5, x: new Float64Array([1, 2, 3]), y: new Float64Array([1, 1, 1]) };
    if (first.deviceCount() === 0) {
      assert.throws(() => first.run(args), /no CUDA device/);
      return;
    }
    first.run(args);
    assert.deepEqual([...args.y], [2.5, 4, 5.5]);
  });
});
