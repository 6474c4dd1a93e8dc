// A histogram: every element scatters into a data-dependent bin; concurrent updates are resolved by a sum.
import { program, symbol, array, f64, i32 } from '../index.js';

export const histogram = program('histogram', { N: symbol, BINS: symbol, data: array(f64, ['N']), hist: array(i32, ['BINS']) }, (p, { N, BINS, data, hist }) => {
  p.map('scatter')`i = 0:${N}`.tasklet({ v: data.at`i` }, { h: hist.all.wcr('+').dynamic() })`
    let bin = i64(v * ${BINS})
    bin = min(max(bin, 0), ${BINS} - 1)
    h[bin] = 1
  `;
});

export function histogramPlain(data: Float64Array, hist: Int32Array): void {
  const bins = hist.length;
  for (const v of data) {
    const bin = Math.min(Math.max(Math.trunc(v * bins), 0), bins - 1);
    hist[bin]! += 1;
  }
}
