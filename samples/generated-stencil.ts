// Kernels generated from configuration: a function that returns a program, one map per stencil weight.
import { program, symbol, array, f64, f32, type DType } from '../index.js';

export interface StencilConfig {
  readonly name: string;
  readonly dtype: DType<'float64'> | DType<'float32'>;
  /** Weights of the neighbours at offsets -radius … +radius. */
  readonly weights: readonly number[];
}

export function makeStencil(config: StencilConfig) {
  const radius = (config.weights.length - 1) / 2;
  if (!Number.isInteger(radius)) throw new RangeError('a stencil needs an odd number of weights');
  return program(config.name, { N: symbol, input: array(config.dtype, ['N']), output: array(config.dtype, ['N']) }, (p, { N, input, output }) => {
    p.map('clear')`i = 0:${N}`.tasklet({}, { o: output.at`i` })`o = 0`;
    config.weights.forEach((w, k) => {
      if (w === 0) return;
      const offset = k - radius;
      p.map(`tap_${k}`)`i = ${radius}:${N} - ${radius}`
        .tasklet({ v: input.at`i + ${offset}` }, { o: output.at`i`.wcr('+') })`o = ${w} * v`;
    });
  });
}

export const blur3 = makeStencil({ name: 'blur3', dtype: f64, weights: [0.25, 0.5, 0.25] });
export const sharpen5 = makeStencil({ name: 'sharpen5', dtype: f32, weights: [-0.5, 0, 2, 0, -0.5] });

export function stencilPlain(weights: readonly number[], input: ArrayLike<number>, output: { length: number; [i: number]: number }, round: (x: number) => number = (x) => x): void {
  const r = (weights.length - 1) / 2;
  for (let i = 0; i < output.length; i++) output[i] = 0;
  for (let i = r; i < input.length - r; i++) {
    let acc = 0;
    weights.forEach((w, k) => { if (w !== 0) acc = round(acc + round(w * input[i + k - r]!)); });
    output[i] = acc;
  }
}
