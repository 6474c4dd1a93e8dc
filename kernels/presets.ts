// Problem sizes of every kernel: NPBench's presets S, M and L (same parameter names), and a tiny 'test' preset.
//
// S, M and L are NPBench's `bench_info/*.json` values (S is also BENCH.md's table).
// 'test' keeps every kernel well under a second on the reference interpreter.
import type { PresetName } from './kernel.js';

type Table<S> = Readonly<Record<PresetName, S>>;

export const gemmPresets: Table<{ NI: number; NJ: number; NK: number }> = {
  test: { NI: 5, NJ: 6, NK: 7 },
  S: { NI: 1000, NJ: 1100, NK: 1200 },
  M: { NI: 2500, NJ: 2750, NK: 3000 },
  L: { NI: 7000, NJ: 7500, NK: 8000 },
};

export const gemverPresets: Table<{ N: number }> = {
  test: { N: 7 },
  S: { N: 1000 },
  M: { N: 3000 },
  L: { N: 10000 },
};

export const syrkPresets: Table<{ M: number; N: number }> = {
  test: { M: 5, N: 7 },
  S: { M: 50, N: 70 },
  M: { M: 150, N: 200 },
  L: { M: 500, N: 600 },
};

export const choleskyPresets: Table<{ N: number }> = {
  test: { N: 6 },
  S: { N: 100 },
  M: { N: 300 },
  L: { N: 900 },
};

export const jacobi2dPresets: Table<{ TSTEPS: number; N: number }> = {
  test: { TSTEPS: 4, N: 8 },
  S: { TSTEPS: 50, N: 150 },
  M: { TSTEPS: 80, N: 350 },
  L: { TSTEPS: 200, N: 700 },
};

export const fdtd2dPresets: Table<{ TMAX: number; NX: number; NY: number }> = {
  test: { TMAX: 3, NX: 6, NY: 7 },
  S: { TMAX: 20, NX: 200, NY: 220 },
  M: { TMAX: 60, NX: 400, NY: 450 },
  L: { TMAX: 150, NX: 800, NY: 900 },
};

export const seidel2dPresets: Table<{ TSTEPS: number; N: number }> = {
  test: { TSTEPS: 3, N: 7 },
  S: { TSTEPS: 8, N: 50 },
  M: { TSTEPS: 15, N: 100 },
  L: { TSTEPS: 40, N: 200 },
};

export const hdiffPresets: Table<{ I: number; J: number; K: number }> = {
  test: { I: 4, J: 5, K: 3 },
  S: { I: 64, J: 64, K: 60 },
  M: { I: 128, J: 128, K: 160 },
  L: { I: 384, J: 384, K: 160 },
};

export const vadvPresets: Table<{ I: number; J: number; K: number }> = {
  test: { I: 3, J: 4, K: 5 },
  S: { I: 60, J: 60, K: 40 },
  M: { I: 112, J: 112, K: 80 },
  L: { I: 180, J: 180, K: 160 },
};

export const derichePresets: Table<{ W: number; H: number }> = {
  test: { W: 6, H: 5 },
  S: { W: 400, H: 200 },
  M: { W: 1500, H: 1000 },
  L: { W: 6000, H: 3000 },
};

export const softmaxPresets: Table<{ N: number; H: number; SM: number }> = {
  test: { N: 2, H: 3, SM: 5 },
  S: { N: 16, H: 16, SM: 128 },
  M: { N: 32, H: 8, SM: 256 },
  L: { N: 64, H: 16, SM: 448 },
};

export const conv2dBiasPresets: Table<{ N: number; C_in: number; C_out: number; K: number; H: number; W: number }> = {
  test: { N: 2, C_in: 2, C_out: 3, K: 2, H: 5, W: 4 },
  S: { N: 8, C_in: 3, C_out: 16, K: 2, H: 32, W: 32 },
  M: { N: 8, C_in: 3, C_out: 8, K: 5, H: 64, W: 64 },
  L: { N: 8, C_in: 3, C_out: 8, K: 10, H: 128, W: 128 },
};

export const spmvPresets: Table<{ M: number; N: number; nnz: number }> = {
  test: { M: 9, N: 8, nnz: 20 },
  S: { M: 4096, N: 4096, nnz: 8192 },
  M: { M: 32768, N: 32768, nnz: 65536 },
  L: { M: 262144, N: 262144, nnz: 262144 },
};

export const azimintHistPresets: Table<{ N: number; npt: number }> = {
  test: { N: 300, npt: 6 },
  S: { N: 400000, npt: 1000 },
  M: { N: 4000000, npt: 1000 },
  L: { N: 40000000, npt: 1000 },
};

export const crc16Presets: Table<{ N: number }> = {
  test: { N: 24 },
  S: { N: 1600 },
  M: { N: 16000 },
  L: { N: 160000 },
};

export const floydWarshallPresets: Table<{ N: number }> = {
  test: { N: 7 },
  S: { N: 200 },
  M: { N: 400 },
  L: { N: 850 },
};
