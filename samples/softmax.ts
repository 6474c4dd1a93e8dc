// Row-wise softmax: a max reduction and a sum reduction along the last axis, broadcast back (f32).
import { program, symbol, array, f32 } from '../index.js';

export const softmax = program('softmax', { N: symbol, M: symbol, x: array(f32, ['N', 'M']), out: array(f32, ['N', 'M']) }, (p, { N, M, x, out }) => {
  const rowMax = p.transient('row_max', f32, [N]);
  const rowSum = p.transient('row_sum', f32, [N]);
  const e = p.transient('e', f32, [N, M]);
  p.reduce(x, rowMax, { op: 'max', axes: [1], identity: -Infinity });
  p.map('exp')`i = 0:${N}, j = 0:${M}`.tasklet({ v: x.at`i, j`, m: rowMax.at`i` }, { o: e.at`i, j` })`o = exp(v - m)`;
  p.reduce(e, rowSum, { op: '+', axes: [1], identity: 0 });
  p.map('normalize')`i = 0:${N}, j = 0:${M}`.tasklet({ v: e.at`i, j`, s: rowSum.at`i` }, { o: out.at`i, j` })`o = v / s`;
});

export function softmaxPlain(N: number, M: number, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < N; i++) {
    let m = -Infinity;
    for (let j = 0; j < M; j++) m = Math.max(m, x[i * M + j]!);
    let s = 0;
    for (let j = 0; j < M; j++) s = Math.fround(s + Math.fround(Math.exp(Math.fround(x[i * M + j]! - m))));
    for (let j = 0; j < M; j++) out[i * M + j] = Math.fround(Math.exp(Math.fround(x[i * M + j]! - m))) / s;
  }
}
