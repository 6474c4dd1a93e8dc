// NPBench conv2d_bias (f32, NHWC): a map over output pixels and channels with a sum over the K×K×C_in window, plus a bias.
import { program, symbol, array, f32 } from '../index.js';
import { defineKernel, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { conv2dBiasPresets } from './presets.js';
import { seeded } from './random.js';

export const conv2dBiasProgram = () => program('conv2d_bias', {
  N: symbol, C_in: symbol, C_out: symbol, K: symbol, H: symbol, W: symbol,
  input: array(f32, ['N', 'H', 'W', 'C_in']), weights: array(f32, ['K', 'K', 'C_in', 'C_out']), bias: array(f32, ['C_out']),
  output: array(f32, ['N', 'H - K + 1', 'W - K + 1', 'C_out']),
}, (p, { N, C_in, C_out, K, H, W, input, weights, bias, output }) => {
  const HO = H.sub(K).add(1), WO = W.sub(K).add(1);
  p.map('clear')`n = 0:${N}, i = 0:${HO}, j = 0:${WO}, co = 0:${C_out}`.tasklet({}, { o: output.at`n, i, j, co` })`o = 0`;
  p.map('window')`n = 0:${N}, i = 0:${HO}, j = 0:${WO}, co = 0:${C_out}, ki = 0:${K}, kj = 0:${K}, ci = 0:${C_in}`.tasklet(
    { x: input.at`n, i + ki, j + kj, ci`, w: weights.at`ki, kj, ci, co` }, { o: output.at`n, i, j, co`.wcr('+') },
  )`o = x * w`;
  p.map('bias')`n = 0:${N}, i = 0:${HO}, j = 0:${WO}, co = 0:${C_out}`.tasklet(
    { v: output.at`n, i, j, co`, b: bias.at`co` }, { o: output.at`n, i, j, co` },
  )`o = v + b`;
});

export function conv2dBiasReference(args: KernelArgs): void {
  const [N, C_in, C_out, K, H, W] = ['N', 'C_in', 'C_out', 'K', 'H', 'W'].map((n) => sizeOf(args, n)) as number[];
  const input = arrayOf<Float32Array>(args, 'input'), weights = arrayOf<Float32Array>(args, 'weights');
  const bias = arrayOf<Float32Array>(args, 'bias'), output = arrayOf<Float32Array>(args, 'output');
  const HO = H! - K! + 1, WO = W! - K! + 1;
  const r = Math.fround;
  for (let n = 0; n < N!; n++) {
    for (let i = 0; i < HO; i++) {
      for (let j = 0; j < WO; j++) {
        for (let co = 0; co < C_out!; co++) {
          let s = 0;
          for (let ki = 0; ki < K!; ki++) {
            for (let kj = 0; kj < K!; kj++) {
              for (let ci = 0; ci < C_in!; ci++) {
                s = r(s + r(input[((n * H! + i + ki) * W! + j + kj) * C_in! + ci]! * weights[((ki * K! + kj) * C_in! + ci) * C_out! + co]!));
              }
            }
          }
          output[((n * HO + i) * WO + j) * C_out! + co] = s + bias[co]!;
        }
      }
    }
  }
}

type Conv2dSizes = { N: number; C_in: number; C_out: number; K: number; H: number; W: number };
const outputSize = ({ N, C_out, K, H, W }: Conv2dSizes) => N * (H - K + 1) * (W - K + 1) * C_out;

export const conv2dBias = defineKernel<Conv2dSizes>({
  name: 'conv2d_bias',
  description: 'f32 NHWC convolution: a 7-D map (output pixels × window) with a sum (wcr) per output, then a bias map',
  sizeNames: ['N', 'C_in', 'C_out', 'K', 'H', 'W'],
  presets: conv2dBiasPresets,
  program: conv2dBiasProgram,
  init: (sizes, seed) => {
    const { N, C_in, C_out, K, H, W } = sizes;
    const rng = seeded(seed);
    return {
      N, C_in, C_out, K, H, W,
      input: rng.float32Array(N * H * W * C_in),
      weights: rng.float32Array(K * K * C_in * C_out),
      bias: rng.float32Array(C_out),
      output: new Float32Array(outputSize(sizes)),
    };
  },
  reference: conv2dBiasReference,
  outputs: ['output'],
  flops: (s) => outputSize(s) * (2 * s.K * s.K * s.C_in + 1),
  bytes: (s) => 4 * (s.N * s.H * s.W * s.C_in + s.K * s.K * s.C_in * s.C_out + s.C_out + outputSize(s)),
});
