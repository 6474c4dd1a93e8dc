// Each kernel's program factory, so the harness can time a fresh build (`kernel.build()` caches its program).
import type { Program } from '../index.js';
import { gemmProgram } from '../kernels/gemm.js';
import { gemverProgram } from '../kernels/gemver.js';
import { syrkProgram } from '../kernels/syrk.js';
import { choleskyProgram } from '../kernels/cholesky.js';
import { jacobi2dProgram } from '../kernels/jacobi-2d.js';
import { fdtd2dProgram } from '../kernels/fdtd-2d.js';
import { seidel2dProgram } from '../kernels/seidel-2d.js';
import { hdiffProgram } from '../kernels/hdiff.js';
import { vadvProgram } from '../kernels/vadv.js';
import { dericheProgram } from '../kernels/deriche.js';
import { softmaxProgram } from '../kernels/softmax.js';
import { conv2dBiasProgram } from '../kernels/conv2d-bias.js';
import { spmvProgram } from '../kernels/spmv.js';
import { azimintHistProgram } from '../kernels/azimint-hist.js';
import { crc16Program } from '../kernels/crc16.js';
import { floydWarshallProgram } from '../kernels/floyd-warshall.js';

/** Factories by kernel name; a kernel missing here is timed through its first `build()` only. */
export const programFactories: Readonly<Record<string, () => Program>> = {
  gemm: gemmProgram,
  gemver: gemverProgram,
  syrk: syrkProgram,
  cholesky: choleskyProgram,
  jacobi_2d: jacobi2dProgram,
  fdtd_2d: fdtd2dProgram,
  seidel_2d: seidel2dProgram,
  hdiff: hdiffProgram,
  vadv: vadvProgram,
  deriche: dericheProgram,
  softmax: softmaxProgram,
  conv2d_bias: conv2dBiasProgram,
  spmv: spmvProgram,
  azimint_hist: azimintHistProgram,
  crc16: crc16Program,
  floyd_warshall: floydWarshallProgram,
};
