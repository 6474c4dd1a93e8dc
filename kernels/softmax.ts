// NPBench softmax (f32): max and sum reductions along the last axis of a 4-D tensor, broadcast back by maps.
import { program, symbol, array, f32 } from '../index.js';
import { defineKernel, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { softmaxPresets } from './presets.js';
import { seeded } from './random.js';

export const softmaxProgram = () => program('softmax', {
  N: symbol, H: symbol, SM: symbol, x: array(f32, ['N', 'H', 'SM', 'SM']), output: array(f32, ['N', 'H', 'SM', 'SM']),
}, (p, { N, H, SM, x, output }) => {
  const tmpMax = p.transient('tmp_max', f32, [N, H, SM]);
  const tmpSum = p.transient('tmp_sum', f32, [N, H, SM]);
  p.reduce(x, tmpMax, { op: 'max', axes: [3], identity: -Infinity, label: 'row_max' });
  // the exponentials go straight into `output`, normalized in place below
  p.map('exp')`i = 0:${N}, j = 0:${H}, k = 0:${SM}, l = 0:${SM}`.tasklet(
    { v: x.at`i, j, k, l`, m: tmpMax.at`i, j, k` }, { o: output.at`i, j, k, l` },
  )`o = exp(v - m)`;
  p.reduce(output, tmpSum, { op: '+', axes: [3], identity: 0, label: 'row_sum' });
  p.map('normalize')`i = 0:${N}, j = 0:${H}, k = 0:${SM}, l = 0:${SM}`.tasklet(
    { v: output.at`i, j, k, l`, s: tmpSum.at`i, j, k` }, { o: output.at`i, j, k, l` },
  )`o = v / s`;
});

export function softmaxReference(args: KernelArgs): void {
  const rows = sizeOf(args, 'N') * sizeOf(args, 'H') * sizeOf(args, 'SM'), SM = sizeOf(args, 'SM');
  const x = arrayOf<Float32Array>(args, 'x'), out = arrayOf<Float32Array>(args, 'output');
  const r = Math.fround;
  for (let row = 0; row < rows; row++) {
    const base = row * SM;
    let m = -Infinity;
    for (let l = 0; l < SM; l++) m = Math.max(m, x[base + l]!);
    let s = 0;
    for (let l = 0; l < SM; l++) {
      const e = r(Math.exp(r(x[base + l]! - m)));
      out[base + l] = e;
      s = r(s + e);
    }
    for (let l = 0; l < SM; l++) out[base + l] = out[base + l]! / s;
  }
}

export const softmax = defineKernel<{ N: number; H: number; SM: number }>({
  name: 'softmax',
  description: 'f32 softmax over the last axis of a 4-D tensor: Reduce library nodes (max, sum) and broadcasting 4-D maps',
  sizeNames: ['N', 'H', 'SM'],
  presets: softmaxPresets,
  program: softmaxProgram,
  init: ({ N, H, SM }, seed) => ({ N, H, SM, x: seeded(seed).float32Array(N * H * SM * SM), output: new Float32Array(N * H * SM * SM) }),
  reference: softmaxReference,
  outputs: ['output'],
  flops: ({ N, H, SM }) => 5 * N * H * SM * SM,
  bytes: ({ N, H, SM }) => 4 * 2 * N * H * SM * SM,
});
