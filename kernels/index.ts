// The kernel library: every NPBench port by name, with its presets, inputs, plain TypeScript reference and cost model.
import type { Kernel } from './kernel.js';
import { gemm } from './gemm.js';
import { gemver } from './gemver.js';
import { syrk } from './syrk.js';
import { cholesky } from './cholesky.js';
import { jacobi2d } from './jacobi-2d.js';
import { fdtd2d } from './fdtd-2d.js';
import { seidel2d } from './seidel-2d.js';
import { hdiff } from './hdiff.js';
import { vadv } from './vadv.js';
import { deriche } from './deriche.js';
import { softmax } from './softmax.js';
import { conv2dBias } from './conv2d-bias.js';
import { spmv } from './spmv.js';
import { azimintHist } from './azimint-hist.js';
import { crc16 } from './crc16.js';
import { floydWarshall } from './floyd-warshall.js';

export type { Kernel, KernelArgs, KernelArray, PresetName, Sizes } from './kernel.js';
export { presetNames, resolveSizes, compareArrays, compareOutputs, type Comparison } from './kernel.js';
export { Random, seeded, DEFAULT_SEED } from './random.js';
export * as blas from './blas.js';
export {
  gemm, gemver, syrk, cholesky, jacobi2d, fdtd2d, seidel2d, hdiff, vadv, deriche, softmax, conv2dBias, spmv, azimintHist, crc16, floydWarshall,
};

/** Every kernel in BENCH.md's order. */
export const kernelList: readonly Kernel[] = [
  gemm, gemver, syrk, cholesky, jacobi2d, fdtd2d, seidel2d, hdiff, vadv, deriche, softmax, conv2dBias, spmv, azimintHist, crc16, floydWarshall,
];

/** Kernels by NPBench name (`jacobi_2d`, `floyd_warshall`, …). */
export const kernels: Readonly<Record<string, Kernel>> = Object.fromEntries(kernelList.map((k) => [k.name, k]));

/** The kernel called `name`, or a RangeError listing the known names. */
export function kernel(name: string): Kernel {
  const k = kernels[name];
  if (!k) throw new RangeError(`no kernel named ${JSON.stringify(name)}; kernels are ${Object.keys(kernels).join(', ')}`);
  return k;
}
