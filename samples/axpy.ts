// y = a·x + y: the smallest data-centric program, with typed parameters.
import { program, symbol, array, f64 } from '../index.js';

export const axpy = program('axpy', { N: symbol, a: f64, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, a, x, y }) => {
  p.map`i = 0:${N}`.tasklet({ xi: x.at`i`, yi: y.at`i` }, { out: y.at`i` })`out = ${a} * xi + yi`;
});

export function axpyPlain(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = a * x[i]! + y[i]!;
}
