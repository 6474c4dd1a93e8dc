// The WGSL target's host side on a real device (Dawn, on SwiftShader without a GPU): compile and run through
// `compile`, host control flow dispatching kernels in order, scalar results, the pipeline cache, and every refusal
// of the runtime and the adapter search (no adapter, an adapter that never answers, no driver at all) with its text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { program, symbol, array, scalar, f32, i32 } from '../../../index.js';
import { SdfgError } from '../../../graph/errors.js';
import { compileWgsl, releaseWgslDevice, requestWgslDevice } from '../../../targets/wgsl/index.js';
import { findSwiftShader } from '../../../targets/wgsl/node-adapter.js';

const axpy32 = program('axpy32', { N: symbol, a: f32, x: array(f32, ['N']), y: array(f32, ['N']) }, (p, { N, a, x, y }) => {
  p.map`i = 0:${N}`.tasklet({ xi: x.at`i`, yi: y.at`i` }, { out: y.at`i` })`out = ${a} * xi + yi`;
});

/** A loop on the host whose body branches on the loop variable: even steps add 1, odd steps double. */
const steps = program('steps', { T: symbol, N: symbol, x: array(i32, ['N']) }, (p, { T, N, x }) => {
  p.for`t = 0:${T}`((t) => {
    p.if`${t} % 2 == 0`(() => {
      p.map('add_one')`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: x.at`i` })`o = v + 1`;
    }).else(() => {
      p.map('double')`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: x.at`i` })`o = v * 2`;
    });
  });
});

/** A sum of an array into a scalar argument (an f32 atomic on the device), returned by run. */
const total = program('total', { N: symbol, x: array(f32, ['N']), s: scalar(f32) }, (p, { N, x, s }) => {
  p.map`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: s.all.wcr('+') })`o = v`;
});

const shifted = program('shifted', { N: symbol, K: symbol, x: array(i32, ['N']) }, (p, { N, K, x }) => {
  p.map`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: x.at`i` })`o = v + i32(${K} % 7)`;
});

/** Run no-adapter-child.ts with an environment of its own: what it prints (it must exit by itself, quickly). */
function runChild(env: NodeJS.ProcessEnv): string {
  const script = fileURLToPath(new URL('./no-adapter-child.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000, env });
  assert.equal(child.status, 0, `${child.error ?? ''}${child.stderr}`);
  return child.stdout.trim();
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

describe('WGSL runtime (WebGPU through Dawn)', function () {
  this.timeout(60_000);
  after(() => releaseWgslDevice());

  it('finds a device by itself and runs a map through compile(), writing arrays in place', async () => {
    // compile() loads the target with import(); mocha loads spec files with require(), which makes that a second copy
    // of the library, so this test builds its program with the import()ed copy too (users load one copy: ESM).
    const lib = await import('../../../index.js');
    const inPlace = lib.program('axpy32', { N: lib.symbol, a: lib.f32, x: lib.array(lib.f32, ['N']), y: lib.array(lib.f32, ['N']) }, (p, { N, a, x, y }) => {
      p.map`i = 0:${N}`.tasklet({ xi: x.at`i`, yi: y.at`i` }, { out: y.at`i` })`out = ${a} * xi + yi`;
    });
    const compiled = await lib.compile(inPlace, { target: 'wgsl' });
    assert.equal(compiled.target, 'wgsl');
    assert.match(compiled.deviceDescription, /^(Dawn|navigator\.gpu)/);
    const x = Float32Array.from({ length: 1000 }, (_, k) => k), y = new Float32Array(1000).fill(0.5);
    const result = await compiled.run({ N: 1000, a: 2, x, y });
    assert.equal(result['y'], y);
    assert.deepEqual([...y.slice(0, 4)], [0.5, 2.5, 4.5, 6.5]);
    assert.equal(y[999], 1998.5);
  });

  it('walks loops and branches on the host, dispatching each state\'s kernels in order', async () => {
    const compiled = await compileWgsl(steps.sdfg);
    assert.deepEqual(compiled.program.kernels.map((k) => k.entryPoint), ['add_one', 'double']);
    const x = Int32Array.from([0, 1, 2, 3, 4]);
    const expected = x.slice();
    steps.run({ T: 5, N: 5, x: expected });
    await compiled.run({ T: 5, N: 5, x });
    assert.deepEqual([...x], [...expected]);
    assert.deepEqual([...x], [7, 11, 15, 19, 23]); // ((((v + 1) * 2) + 1) * 2) + 1
  });

  it('returns a scalar result (a sum through an f32 compare-exchange loop)', async () => {
    const compiled = await compileWgsl(total.sdfg);
    const x = Float32Array.from({ length: 300 }, (_, k) => (k % 8) / 4);
    const result = await compiled.run({ N: 300, x, s: 1 });
    assert.equal(result['s'], 1 + 37 * 7 + 1.5); // 37 runs of 0/4 … 7/4, then 0/4 … 3/4
    assert.equal(result['s'], total.run({ N: 300, x, s: 1 })['s']);
  });

  it('builds a program once per device: the second compile finds its pipelines in the cache', async () => {
    const first = await compileWgsl(axpy32.sdfg);
    const second = await compileWgsl(axpy32.sdfg);
    assert.equal(first.source, second.source);
    assert.equal(second.cached, true);
  });

  it('refuses bad arguments before touching the device', async () => {
    const compiled = await compileWgsl(axpy32.sdfg);
    const { code } = await refusal(() => compiled.run({ N: 4, a: 2, x: new Float32Array(4) }));
    assert.equal(code, 'missing-argument');
  });

  it('refuses a symbol that does not fit the 32-bit integers kernels compute in', async () => {
    const compiled = await compileWgsl(shifted.sdfg);
    assert.deepEqual(await refusal(() => compiled.run({ N: 2, K: 2 ** 40, x: new Int32Array(2) })), {
      code: 'wgsl-symbol-range', message: 'symbol K = 1099511627776 does not fit i32, which kernel map_0 computes it in',
    });
    const x = new Int32Array(2);
    await compiled.run({ N: 2, K: 9, x });
    assert.deepEqual([...x], [2, 2]);
  });

  describe('without an adapter: a typed error saying what to install, no crash, no hang', () => {
    const noneOffered = { requestAdapter: async () => null };
    const neverAnswers = { requestAdapter: () => new Promise<null>(() => undefined) };

    it('a GPU interface that offers no adapter', async () => {
      const error = await refusal(() => compileWgsl(axpy32.sdfg, { adapter: { gpu: async () => noneOffered } }));
      assert.deepEqual(error, { code: 'wgsl-no-adapter', message: 'no WebGPU adapter: the given GPU offered none' });
    });

    it('an adapter request that never answers gives up after the timeout', async () => {
      const error = await refusal(() => requestWgslDevice({ gpu: async () => neverAnswers, timeoutMs: 50 }));
      assert.deepEqual(error, { code: 'wgsl-no-adapter', message: 'no WebGPU adapter: the given GPU: requestAdapter did not answer within 50 ms' });
    });

    it('names what to install in its hint', async () => {
      try {
        await requestWgslDevice({ gpu: async () => noneOffered });
        assert.fail('nothing was thrown');
      } catch (error) {
        assert.ok(error instanceof SdfgError);
        assert.match(error.hint ?? '', /npm install webgpu/);
        assert.match(error.hint ?? '', /chromium-common libvulkan1/);
        assert.match(error.hint ?? '', /--enable-unsafe-webgpu/);
      }
    });

    it('Dawn in a process with no Vulkan driver: the error, and the process exits on its own', () => {
      const child = runChild({ ...process.env, SDFG_WEBGPU_BACKEND: 'vulkan', VK_ICD_FILENAMES: '/nonexistent/icd.json' });
      assert.equal(child, 'TargetError wgsl-no-adapter no WebGPU adapter: Dawn found no adapter (tried vulkan)');
    });
  });

  it('locates SwiftShader by itself when VK_ICD_FILENAMES is unset and no Vulkan driver is installed', function () {
    const icd = findSwiftShader(fs, {});
    if (!icd || fs.existsSync('/usr/share/vulkan/icd.d') && fs.readdirSync('/usr/share/vulkan/icd.d').length > 0) this.skip();
    assert.equal(findSwiftShader(fs, { SDFG_SWIFTSHADER_ICD: '/nonexistent/icd.json' }), undefined);
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['VK_ICD_FILENAMES'];
    delete env['SDFG_WEBGPU_BACKEND'];
    assert.equal(runChild(env), `Dawn on SwiftShader | 2,3,4 | ${icd}`);
  });
});
