// NPBench fdtd_2d: a time loop of three coupled one-sided stencils (ey, ex, then hz) and a boundary row per step.
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, fromFunction1, fromFunction2, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { fdtd2dPresets } from './presets.js';

export const fdtd2dProgram = () => program('fdtd_2d', {
  TMAX: symbol, NX: symbol, NY: symbol,
  ex: array(f64, ['NX', 'NY']), ey: array(f64, ['NX', 'NY']), hz: array(f64, ['NX', 'NY']), _fict_: array(f64, ['TMAX']),
}, (p, { TMAX, NX, NY, ex, ey, hz, _fict_ }) => {
  p.for`t = 0:${TMAX}`((t) => {
    p.map('boundary')`j = 0:${NY}`.tasklet({ f: _fict_.at`${t}` }, { o: ey.at`0, j` })`o = f`;
    p.map('update_ey')`i = 1:${NX}, j = 0:${NY}`.tasklet(
      { e: ey.at`i, j`, h: hz.at`i, j`, hn: hz.at`i - 1, j` }, { o: ey.at`i, j` },
    )`o = e - 0.5 * (h - hn)`;
    p.map('update_ex')`i = 0:${NX}, j = 1:${NY}`.tasklet(
      { e: ex.at`i, j`, h: hz.at`i, j`, hw: hz.at`i, j - 1` }, { o: ex.at`i, j` },
    )`o = e - 0.5 * (h - hw)`;
    p.map('update_hz')`i = 0:${NX} - 1, j = 0:${NY} - 1`.tasklet(
      { h: hz.at`i, j`, xe: ex.at`i, j + 1`, x: ex.at`i, j`, ys: ey.at`i + 1, j`, y: ey.at`i, j` }, { o: hz.at`i, j` },
    )`o = h - 0.7 * (xe - x + ys - y)`;
  });
});

export function fdtd2dReference(args: KernelArgs): void {
  const TMAX = sizeOf(args, 'TMAX'), NX = sizeOf(args, 'NX'), NY = sizeOf(args, 'NY');
  const [ex, ey, hz, fict] = ['ex', 'ey', 'hz', '_fict_'].map((n) => arrayOf<Float64Array>(args, n)) as Float64Array[];
  for (let t = 0; t < TMAX; t++) {
    for (let j = 0; j < NY; j++) ey[j] = fict[t]!;
    for (let i = 1; i < NX; i++) for (let j = 0; j < NY; j++) ey[i * NY + j]! -= 0.5 * (hz[i * NY + j]! - hz[(i - 1) * NY + j]!);
    for (let i = 0; i < NX; i++) for (let j = 1; j < NY; j++) ex[i * NY + j]! -= 0.5 * (hz[i * NY + j]! - hz[i * NY + j - 1]!);
    for (let i = 0; i < NX - 1; i++) {
      for (let j = 0; j < NY - 1; j++) {
        const c = i * NY + j;
        hz[c]! -= 0.7 * (ex[c + 1]! - ex[c]! + ey[c + NY]! - ey[c]!);
      }
    }
  }
}

export const fdtd2d = defineKernel<{ TMAX: number; NX: number; NY: number }>({
  name: 'fdtd_2d',
  description: 'time loop around a boundary-row map and three coupled one-sided 2-D stencil maps',
  sizeNames: ['TMAX', 'NX', 'NY'],
  presets: fdtd2dPresets,
  program: fdtd2dProgram,
  init: ({ TMAX, NX, NY }) => ({
    TMAX, NX, NY,
    ex: fromFunction2(Float64Array, NX, NY, (i, j) => (i * (j + 1)) / NX),
    ey: fromFunction2(Float64Array, NX, NY, (i, j) => (i * (j + 2)) / NY),
    hz: fromFunction2(Float64Array, NX, NY, (i, j) => (i * (j + 3)) / NX),
    _fict_: fromFunction1(Float64Array, TMAX, (i) => i),
  }),
  reference: fdtd2dReference,
  outputs: ['ex', 'ey', 'hz'],
  flops: ({ TMAX, NX, NY }) => TMAX * (3 * (NX - 1) * NY + 3 * NX * (NY - 1) + 5 * (NX - 1) * (NY - 1)),
  bytes: ({ TMAX, NX, NY }) => 8 * (6 * NX * NY + TMAX),
});
