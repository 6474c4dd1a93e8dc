// Every kind of bad input to the CUDA target, with its exact error: options, programs the GPU cannot run, a missing
// or failing nvcc, bad arguments, and running without a CUDA device.
import assert from 'node:assert/strict';
import { SdfgError, TargetError } from '../../../graph/errors.js';
import { axpy } from '../../../samples/axpy.js';
import { cublasAvailable, emitCuda, nvccAvailable } from '../../../targets/cuda/index.js';
import { esm } from './esm.js';
import { P, symbolicStep } from './programs.js';

type ErrorClass = abstract new (...args: never[]) => SdfgError;
/** The library in one object (see esm.ts). */
let L: Awaited<ReturnType<typeof esm>>;
before(async () => { L = await esm(); });

function expectError(run: () => unknown, kind: ErrorClass, code: string, message: string): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof kind, `expected ${kind.name}, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.message, message);
    return true;
  });
}

async function expectRejection(run: () => Promise<unknown>, kind: ErrorClass, code: string, message: string | RegExp): Promise<SdfgError> {
  let caught: unknown;
  await assert.rejects(run(), (error: unknown) => { caught = error; return true; });
  assert.ok(caught instanceof kind, `expected ${kind.name}, got ${String(caught)}`);
  assert.equal(caught.code, code);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  return caught;
}

const hasNvcc = nvccAvailable();

describe('targets/cuda errors: options', () => {
  it('block sizes: the right count of positive integers, at most 1024 threads', () => {
    expectError(() => emitCuda(axpy.sdfg, { blockSize: [64, 2] }), TargetError, 'bad-option',
      '[bad-option] blockSize must be 1 positive integer, got [64, 2]\n  hint: e.g. blockSize: [64]');
    expectError(() => emitCuda(axpy.sdfg, { blockSize3D: [4, 4, 0.5] }), TargetError, 'bad-option',
      '[bad-option] blockSize3D must be 3 positive integers, got [4, 4, 0.5]\n  hint: e.g. blockSize3D: [4, 4, 4]');
    expectError(() => emitCuda(axpy.sdfg, { blockSize2D: [64, 32] }), TargetError, 'bad-option',
      "[bad-option] blockSize2D [64, 32] has 2048 threads per block, more than CUDA's 1024\n  hint: use at most 1024 threads per block");
  });

  it('streams: an integer from 1 to 32', () => {
    expectError(() => emitCuda(axpy.sdfg, { streams: 0 }), TargetError, 'bad-option',
      '[bad-option] streams must be an integer from 1 to 32, got 0\n  hint: e.g. streams: 4');
  });

  it("optimize: 'auto', 'none' or a pipeline of known transformations", async () => {
    await expectRejection(() => L.compile(L.axpy, { target: 'cuda', optimize: 'fast' as never }), L.errors.TargetError, 'bad-option',
      `[bad-option] optimize must be 'auto', 'none' or a list of transformations, got "fast"\n  hint: e.g. optimize: ['MapFusion']`);
    await expectRejection(() => L.compile(L.axpy, { target: 'cuda', optimize: ['NoSuchThing'] }), L.errors.TransformationError, 'unknown-transformation',
      /^\[unknown-transformation\] there is no transformation named "NoSuchThing"\n {2}hint: known: .*GPUThreadBlocks, GPUTransform, GPUTransientStorage/);
  });

  it("blas: 'cublas' where cuBLAS is not installed", async function () {
    if (cublasAvailable()) this.skip();
    await expectRejection(() => L.compile(L.programs.P.matmul(), { target: 'cuda', blas: 'cublas' }), L.errors.TargetError, 'not-available',
      /^\[not-available\] blas: 'cublas' was asked for, but cuBLAS is not installed in \S+\n {2}hint: install the CUDA toolkit's cuBLAS, or pass blas: 'none' \(a MatMul kernel\) or 'auto'$/);
  });
});

describe('targets/cuda errors: programs the GPU cannot run', () => {
  it('streams and consume scopes, views, control flow reading data', () => {
    expectError(() => emitCuda(P.streams()), TargetError, 'cuda-unsupported',
      "[cuda-unsupported] program 'streams' cannot run on a GPU: stream S has no GPU lowering (streams and consume scopes run on CPUs and FPGAs)\n  hint: run it with target 'cpp' instead");
    expectError(() => emitCuda(P.views()), TargetError, 'cuda-unsupported',
      "[cuda-unsupported] program 'views' cannot run on a GPU: view row has no GPU lowering yet\n  hint: run it with target 'cpp' instead");
    expectError(() => emitCuda(P.conditional()), TargetError, 'cuda-unsupported',
      "[cuda-unsupported] program 'conditional' cannot run on a GPU: conditional choose reads flag: control flow runs on the host and may only read symbols\n  hint: run it with target 'cpp' instead");
  });

  it('a map whose step is not a constant', () => {
    expectError(() => emitCuda(symbolicStep.sdfg), TargetError, 'cuda-unsupported',
      "[cuda-unsupported] device map 'map_0' in state 'map_0' cannot be split into thread blocks: the step of i is S, not a positive constant\n  hint: give the map positive constant steps, or lower it with GPUThreadBlocks yourself");
  });

  it('a nested SDFG inside a map, a C++ tasklet, a transient of symbolic size inside a kernel', () => {
    expectError(() => emitCuda(P.nested()), TargetError, 'cuda-unsupported',
      "[cuda-unsupported] nested SDFG 'row_kernel' inside a kernel is not supported by the CUDA target yet\n  in nested / main / row_call (n2)\n  hint: inline the nested SDFG into the map, or run the program with target 'cpp'");
    expectError(() => emitCuda(P.rawCpp()), TargetError, 'cuda-unsupported',
      "[cuda-unsupported] tasklet 'raw_tasklet' is written in CPP; the CUDA target runs the tasklet language or raw CUDA code\n  in raw_cpp / main / raw_tasklet (n2)\n  hint: write the tasklet in the tasklet language so that every target can print it");
    expectError(() => emitCuda(P.rows()), TargetError, 'cuda-unsupported',
      "[cuda-unsupported] transient 'large' is used inside a kernel but its size is not a constant\n  in rows\n  hint: give it a constant size (registers and shared memory need one), or use it outside the map");
  });
});

describe('targets/cuda errors: building and running', function () {
  this.timeout(60_000);
  before(function () {
    if (!hasNvcc) {
      console.log('    (skipped: nvcc is not installed; set $NVCC or $CUDA_HOME to run these)');
      this.skip();
    }
  });

  it('nvcc that cannot be run', async () => {
    await expectRejection(() => L.compile(L.axpy, { target: 'cuda', nvcc: '/nonexistent/nvcc' }), L.errors.TargetError, 'compiler-missing',
      "[compiler-missing] nvcc cannot be run ('/nonexistent/nvcc')\n  hint: install the CUDA toolkit (nvcc), set $NVCC or $CUDA_HOME, or pass the `nvcc` option");
  });

  it('code nvcc rejects: the compiler output is kept and shown, with the source file', async () => {
    const error = await expectRejection(() => L.compile(L.programs.rawCuda('w = v * 3 - i'), { target: 'cuda' }), L.errors.CompilerError, 'compiler-failed',
      /^\[compiler-failed\] \S*nvcc failed to compile program 'raw_cpp' \(\S+program\.cu\):\n\S+program\.cu\(\d+\): error: expected a ";"/);
    assert.ok(error instanceof L.errors.CompilerError);
    assert.match(error.compilerOutput, /error: expected a ";"/);
    assert.match(error.sourceFile ?? '', /program\.cu$/);
  });

  it('arguments that do not fit the program, with or without a GPU', async () => {
    const compiled = await L.compile(L.axpy, { target: 'cuda' });
    expectError(() => compiled.run({ a: 1, x: new Float64Array(3), y: new Float64Array(4) }), L.errors.ArgumentError, 'wrong-length',
      '[wrong-length] y has 4 elements, expected N = 3 (N=3)');
  });

  it('running without a CUDA device: a typed error saying so (the cause varies: no driver, no GPU)', async function () {
    const compiled = await L.compile(L.axpy, { target: 'cuda' });
    if (compiled.deviceCount() > 0) this.skip();
    assert.throws(() => compiled.run({ a: 1, x: new Float64Array(3), y: new Float64Array(3) }), (error: unknown) => {
      assert.ok(error instanceof L.errors.TargetError);
      assert.equal(error.code, 'no-cuda-device');
      assert.match(error.message, /^\[no-cuda-device\] no CUDA device: .+ \(cuda\w+, error \d+\)\n {2}hint: run on a machine with an NVIDIA GPU and its driver; compiling works without one$/);
      return true;
    });
  });
});
