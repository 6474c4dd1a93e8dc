// NPBench azimint_hist: azimuthal integration by histograms: min/max reductions, a scatter with conflicts, a division.
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { azimintHistPresets } from './presets.js';
import { seeded } from './random.js';

export const azimintHistProgram = () => program('azimint_hist', {
  N: symbol, npt: symbol, data: array(f64, ['N']), radius: array(f64, ['N']), res: array(f64, ['npt']),
}, (p, { N, npt, data, radius, res }) => {
  const rmin = p.scalar('rmin', f64, { transient: true }), rmax = p.scalar('rmax', f64, { transient: true });
  const histu = p.transient('histu', f64, [npt]), histw = p.transient('histw', f64, [npt]);
  p.reduce(radius, rmin, { op: 'min', identity: Infinity, label: 'radius_min' });
  p.reduce(radius, rmax, { op: 'max', identity: -Infinity, label: 'radius_max' });
  p.map('clear')`b = 0:${npt}`.tasklet({}, { u: histu.at`b`, w: histw.at`b` })`
    u = 0
    w = 0
  `;
  // every element lands in a bin only known at run time: concurrent updates of one bin are summed
  p.map('scatter')`i = 0:${N}`.tasklet(
    { r: radius.at`i`, d: data.at`i` }, { u: histu.all.wcr('+').dynamic(), w: histw.all.wcr('+').dynamic() },
  )`
    let bin = i64(${npt} * (r - ${rmin}) / (${rmax} - ${rmin}))
    if (r == ${rmax}) { bin = ${npt} - 1 }
    u[bin] = 1.0
    w[bin] = d
  `;
  p.map('divide')`b = 0:${npt}`.tasklet({ u: histu.at`b`, w: histw.at`b` }, { o: res.at`b` })`o = w / u`;
});

export function azimintHistReference(args: KernelArgs): void {
  const N = sizeOf(args, 'N'), npt = sizeOf(args, 'npt');
  const data = arrayOf<Float64Array>(args, 'data'), radius = arrayOf<Float64Array>(args, 'radius'), res = arrayOf<Float64Array>(args, 'res');
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < N; i++) { lo = Math.min(lo, radius[i]!); hi = Math.max(hi, radius[i]!); }
  const histu = new Float64Array(npt), histw = new Float64Array(npt);
  for (let i = 0; i < N; i++) {
    const r = radius[i]!;
    const bin = r === hi ? npt - 1 : Math.trunc((npt * (r - lo)) / (hi - lo));
    histu[bin]! += 1;
    histw[bin]! += data[i]!;
  }
  for (let b = 0; b < npt; b++) res[b] = histw[b]! / histu[b]!;
}

export const azimintHist = defineKernel<{ N: number; npt: number }>({
  name: 'azimint_hist',
  description: 'min/max Reduce nodes, a scatter map with data-dependent bins (dynamic memlets with sum wcr), a division map',
  sizeNames: ['N', 'npt'],
  presets: azimintHistPresets,
  program: azimintHistProgram,
  init: ({ N, npt }, seed) => {
    const rng = seeded(seed);
    return { N, npt, data: rng.float64Array(N), radius: rng.float64Array(N), res: new Float64Array(npt) };
  },
  reference: azimintHistReference,
  outputs: ['res'],
  flops: ({ N, npt }) => 8 * N + npt,
  bytes: ({ N, npt }) => 8 * (2 * N + npt),
});
