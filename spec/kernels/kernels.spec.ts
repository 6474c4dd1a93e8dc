// Every NPBench port runs on the reference interpreter and matches its plain TypeScript reference; every preset builds.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validate } from '../../index.js';
import {
  kernelList, kernels, kernel, presetNames, resolveSizes, compareOutputs, crc16, cholesky, type Kernel, type KernelArgs, type Sizes,
} from '../../kernels/index.js';

const runs = { numRuns: 4 };

/** Run the program and the reference on the same fresh inputs; assert every output within BENCH.md's tolerance. */
function checkAgainstReference(k: Kernel, sizes: Sizes, seed?: number): void {
  const program = k.build(), expected = k.init(sizes, seed), actual = k.init(sizes, seed);
  k.reference(expected);
  program.run(actual);
  for (const [name, c] of Object.entries(compareOutputs(k, expected, actual))) {
    assert.ok(c.ok, `${k.name} ${JSON.stringify(sizes)}: output ${name} differs (max violation ${c.maxViolation}, relative L2 ${c.relativeL2})`);
  }
}

const dim = (min: number, max: number) => fc.integer({ min, max });

/** Small random sizes per kernel, inside each algorithm's own constraints. */
const smallSizes: Record<string, fc.Arbitrary<Sizes>> = {
  gemm: fc.record({ NI: dim(1, 5), NJ: dim(1, 5), NK: dim(1, 5) }),
  gemver: fc.record({ N: dim(1, 6) }),
  syrk: fc.record({ M: dim(1, 5), N: dim(1, 6) }),
  cholesky: fc.record({ N: dim(1, 6) }),
  jacobi_2d: fc.record({ TSTEPS: dim(1, 3), N: dim(3, 6) }),
  fdtd_2d: fc.record({ TMAX: dim(1, 3), NX: dim(1, 5), NY: dim(1, 5) }),
  seidel_2d: fc.record({ TSTEPS: dim(1, 3), N: dim(3, 6) }),
  hdiff: fc.record({ I: dim(1, 4), J: dim(1, 4), K: dim(1, 3) }),
  vadv: fc.record({ I: dim(1, 3), J: dim(1, 3), K: dim(2, 5) }),
  deriche: fc.record({ W: dim(2, 6), H: dim(2, 6) }),
  softmax: fc.record({ N: dim(1, 2), H: dim(1, 2), SM: dim(1, 5) }),
  conv2d_bias: fc.record({ N: dim(1, 2), C_in: dim(1, 2), C_out: dim(1, 3), K: dim(1, 3), H: dim(3, 5), W: dim(3, 5) }),
  spmv: fc.record({ M: dim(1, 6), N: dim(1, 6) }).chain(({ M, N }) => fc.record({ M: fc.constant(M), N: fc.constant(N), nnz: dim(1, M * N) })),
  azimint_hist: fc.record({ N: dim(1, 60), npt: dim(1, 5) }),
  crc16: fc.record({ N: dim(1, 12) }),
  floyd_warshall: fc.record({ N: dim(1, 6) }),
};

describe('kernels', () => {
  it('the registry lists the sixteen BENCH.md kernels in order', () => {
    assert.deepEqual(kernelList.map((k) => k.name), [
      'gemm', 'gemver', 'syrk', 'cholesky', 'jacobi_2d', 'fdtd_2d', 'seidel_2d', 'hdiff', 'vadv', 'deriche',
      'softmax', 'conv2d_bias', 'spmv', 'azimint_hist', 'crc16', 'floyd_warshall',
    ]);
    assert.equal(kernel('jacobi_2d'), kernels['jacobi_2d']);
  });

  it('an unknown kernel name is rejected with the list of names', () => {
    assert.throws(() => kernel('gemmm'), { name: 'RangeError', message: /^no kernel named "gemmm"; kernels are gemm, gemver, / });
  });

  it('bad sizes and unknown presets are rejected', () => {
    const gemm = kernels['gemm']!;
    assert.throws(() => resolveSizes(gemm, { NI: 4, NJ: 0, NK: 2 }), { name: 'RangeError', message: 'gemm: size NJ must be a positive integer, got 0' });
    assert.throws(() => gemm.build({ NI: 4, NK: 2 }), { name: 'RangeError', message: 'gemm: size NJ must be a positive integer, got undefined' });
    assert.throws(() => gemm.build('XL' as never), { name: 'RangeError', message: 'gemm has no preset "XL"; presets are test, S, M, L' });
  });

  for (const k of kernelList) {
    describe(k.name, () => {
      it('matches the TypeScript reference at the test preset', () => checkAgainstReference(k, k.presets.test));

      it('matches the TypeScript reference at random small sizes', () => {
        const sizes = smallSizes[k.name];
        assert.ok(sizes, `no size generator for ${k.name}`);
        fc.assert(fc.property(sizes, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (s, seed) => checkAgainstReference(k, s, seed)), runs);
      });

      it('builds a valid program at every preset, with a cost model', () => {
        for (const preset of presetNames) {
          const program = k.build(preset);
          validate(program.sdfg);
          const sizes = k.presets[preset];
          assert.deepEqual(Object.keys(sizes).sort(), [...k.sizeNames].sort());
          assert.ok(k.flops(sizes) > 0 && Number.isFinite(k.flops(sizes)), `${k.name} ${preset}: flops`);
          assert.ok(k.bytes(sizes) > 0 && Number.isFinite(k.bytes(sizes)), `${k.name} ${preset}: bytes`);
        }
        assert.equal(k.build('S'), k.build({ ...k.presets.M }), 'the program does not depend on the sizes');
      });

      it('initializes S-sized arguments that fit the program\'s declared shapes', () => {
        const sizes = k.presets.S, args = k.init(sizes), { arrays } = k.build().sdfg;
        for (const [name, desc] of Object.entries(arrays)) {
          if (desc.transient) continue;
          const value = args[name];
          assert.ok(value !== undefined, `${k.name}: init gives no ${name}`);
          if (desc.kind !== 'Array') { assert.equal(typeof value, 'number', `${k.name}: scalar ${name}`); continue; }
          const length = desc.shape.reduce((n, d) => n * d.evaluate(sizes), 1);
          assert.ok(typeof value !== 'number' && value.length === length, `${k.name}: ${name} has ${typeof value === 'number' ? 'a number' : value.length} elements, the program expects ${length}`);
          assert.equal(value.constructor, desc.dtype.array, `${k.name}: ${name} is a ${value.constructor.name}`);
        }
      });

      it('initializes deterministically', () => {
        const a = k.init(k.presets.test, 7), b = k.init(k.presets.test, 7);
        assert.deepEqual(a, b);
        for (const name of k.sizeNames) assert.equal(a[name], k.presets.test[name]);
      });
    });
  }

  it('crc16 gives the CRC-16/X-25 check value of "123456789" (byte-swapped, as NPBench returns it)', () => {
    const data = new TextEncoder().encode('123456789');
    const expected: KernelArgs = { N: 9, data, result: new Int32Array(1) }, actual: KernelArgs = { N: 9, data, result: new Int32Array(1) };
    crc16.reference(expected);
    crc16.build().run(actual);
    assert.equal((expected.result as Int32Array)[0], 0x6e90);
    assert.equal((actual.result as Int32Array)[0], 0x6e90);
  });

  it('cholesky factors its input: L·Lᵀ gives A back', () => {
    const N = 6, args = cholesky.init({ N }), A = (args.A as Float64Array).slice();
    cholesky.build().run(args);
    const L = args.A as Float64Array;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += L[i * N + k]! * L[j * N + k]!;
        assert.ok(Math.abs(s - A[i * N + j]!) < 1e-9 * Math.abs(A[i * N + j]!), `(${i}, ${j}): ${s} vs ${A[i * N + j]}`);
      }
    }
  });
});
