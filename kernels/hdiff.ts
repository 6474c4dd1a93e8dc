// NPBench hdiff (COSMO horizontal diffusion): a three-stage 3-D stencil with a halo of 2 and predicated fluxes.
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { hdiffPresets } from './presets.js';
import { seeded } from './random.js';

export const hdiffProgram = () => program('hdiff', {
  I: symbol, J: symbol, K: symbol,
  in_field: array(f64, ['I + 4', 'J + 4', 'K']), out_field: array(f64, ['I', 'J', 'K']), coeff: array(f64, ['I', 'J', 'K']),
}, (p, { I, J, K, in_field: inp, out_field, coeff }) => {
  // the intermediates are transients, so that passes may fuse the stages and keep them in registers
  const lap = p.transient('lap_field', f64, [I.add(2), J.add(2), K]);
  const flx = p.transient('flx_field', f64, [I.add(1), J, K]);
  const fly = p.transient('fly_field', f64, [I, J.add(1), K]);
  p.map('laplacian')`i = 0:${I} + 2, j = 0:${J} + 2, k = 0:${K}`.tasklet({
    c: inp.at`i + 1, j + 1, k`, s: inp.at`i + 2, j + 1, k`, n: inp.at`i, j + 1, k`, e: inp.at`i + 1, j + 2, k`, w: inp.at`i + 1, j, k`,
  }, { o: lap.at`i, j, k` })`o = 4.0 * c - (s + n + e + w)`;
  p.map('flux_x')`i = 0:${I} + 1, j = 0:${J}, k = 0:${K}`.tasklet({
    l1: lap.at`i + 1, j + 1, k`, l0: lap.at`i, j + 1, k`, f1: inp.at`i + 2, j + 2, k`, f0: inp.at`i + 1, j + 2, k`,
  }, { o: flx.at`i, j, k` })`
    let res = l1 - l0
    o = res * (f1 - f0) > 0 ? 0 : res
  `;
  p.map('flux_y')`i = 0:${I}, j = 0:${J} + 1, k = 0:${K}`.tasklet({
    l1: lap.at`i + 1, j + 1, k`, l0: lap.at`i + 1, j, k`, f1: inp.at`i + 2, j + 2, k`, f0: inp.at`i + 2, j + 1, k`,
  }, { o: fly.at`i, j, k` })`
    let res = l1 - l0
    o = res * (f1 - f0) > 0 ? 0 : res
  `;
  p.map('output')`i = 0:${I}, j = 0:${J}, k = 0:${K}`.tasklet({
    c: inp.at`i + 2, j + 2, k`, cf: coeff.at`i, j, k`, x1: flx.at`i + 1, j, k`, x0: flx.at`i, j, k`, y1: fly.at`i, j + 1, k`, y0: fly.at`i, j, k`,
  }, { o: out_field.at`i, j, k` })`o = c - cf * (x1 - x0 + y1 - y0)`;
});

export function hdiffReference(args: KernelArgs): void {
  const I = sizeOf(args, 'I'), J = sizeOf(args, 'J'), K = sizeOf(args, 'K');
  const inp = arrayOf<Float64Array>(args, 'in_field'), out = arrayOf<Float64Array>(args, 'out_field'), coeff = arrayOf<Float64Array>(args, 'coeff');
  const at = (i: number, j: number, k: number) => inp[(i * (J + 4) + j) * K + k]!;
  const lap = new Float64Array((I + 2) * (J + 2) * K);
  const L = (i: number, j: number, k: number) => lap[(i * (J + 2) + j) * K + k]!;
  for (let i = 0; i < I + 2; i++) {
    for (let j = 0; j < J + 2; j++) {
      for (let k = 0; k < K; k++) {
        lap[(i * (J + 2) + j) * K + k] = 4.0 * at(i + 1, j + 1, k) - (at(i + 2, j + 1, k) + at(i, j + 1, k) + at(i + 1, j + 2, k) + at(i + 1, j, k));
      }
    }
  }
  const flx = new Float64Array((I + 1) * J * K), fly = new Float64Array(I * (J + 1) * K);
  for (let i = 0; i < I + 1; i++) {
    for (let j = 0; j < J; j++) {
      for (let k = 0; k < K; k++) {
        const res = L(i + 1, j + 1, k) - L(i, j + 1, k);
        flx[(i * J + j) * K + k] = res * (at(i + 2, j + 2, k) - at(i + 1, j + 2, k)) > 0 ? 0 : res;
      }
    }
  }
  for (let i = 0; i < I; i++) {
    for (let j = 0; j < J + 1; j++) {
      for (let k = 0; k < K; k++) {
        const res = L(i + 1, j + 1, k) - L(i + 1, j, k);
        fly[(i * (J + 1) + j) * K + k] = res * (at(i + 2, j + 2, k) - at(i + 2, j + 1, k)) > 0 ? 0 : res;
      }
    }
  }
  for (let i = 0; i < I; i++) {
    for (let j = 0; j < J; j++) {
      for (let k = 0; k < K; k++) {
        const c = (i * J + j) * K + k;
        const dx = flx[((i + 1) * J + j) * K + k]! - flx[c]!;
        const dy = fly[(i * (J + 1) + j + 1) * K + k]! - fly[(i * (J + 1) + j) * K + k]!;
        out[c] = at(i + 2, j + 2, k) - coeff[c]! * (dx + dy);
      }
    }
  }
}

export const hdiff = defineKernel<{ I: number; J: number; K: number }>({
  name: 'hdiff',
  description: 'three-stage 3-D stencil with halo 2 through transient intermediates; predication (?:) in the flux stages',
  sizeNames: ['I', 'J', 'K'],
  presets: hdiffPresets,
  program: hdiffProgram,
  init: ({ I, J, K }, seed) => {
    const rng = seeded(seed);
    return {
      I, J, K,
      in_field: rng.float64Array((I + 4) * (J + 4) * K),
      out_field: rng.float64Array(I * J * K),
      coeff: rng.float64Array(I * J * K),
    };
  },
  reference: hdiffReference,
  outputs: ['out_field'],
  flops: ({ I, J, K }) => K * (6 * (I + 2) * (J + 2) + 4 * (I + 1) * J + 4 * I * (J + 1) + 6 * I * J),
  bytes: ({ I, J, K }) => 8 * K * ((I + 4) * (J + 4) + 2 * I * J),
});
