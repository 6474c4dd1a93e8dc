// NPBench deriche: a recursive (IIR) edge filter: recurrences along one axis, parallel along the other, both directions.
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, fromFunction2, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { derichePresets } from './presets.js';

export const dericheProgram = () => program('deriche', {
  W: symbol, H: symbol, alpha: f64, imgIn: array(f64, ['W', 'H']), imgOut: array(f64, ['W', 'H']),
}, (p, { W, H, alpha, imgIn, imgOut }) => {
  const y1 = p.transient('y1', f64, [W, H]);
  const y2 = p.transient('y2', f64, [W, H]);
  // the filter's coefficients (a5..a8 equal a1..a4, c1 = c2 = 1), as NPBench writes them (its k lacks PolyBench's 2·alpha)
  const [a1, a2, a3, a4, b1, b2] = ['a1', 'a2', 'a3', 'a4', 'b1', 'b2'].map((n) => p.scalar(n, f64, { transient: true }));
  p.tasklet({}, { o1: a1!, o2: a2!, o3: a3!, o4: a4!, ob1: b1!, ob2: b2! }, 'coefficients')`
    let e = exp(-${alpha})
    let k = (1.0 - e) * (1.0 - e) / (1.0 + ${alpha} * e - exp(2.0 * ${alpha}))
    o1 = k
    o2 = k * e * (${alpha} - 1.0)
    o3 = k * e * (${alpha} + 1.0)
    o4 = -k * exp(-2.0 * ${alpha})
    ob1 = pow(2.0, -${alpha})
    ob2 = -exp(-2.0 * ${alpha})
  `;
  // loop variables get distinct names: a loop variable becomes a program symbol and cannot be declared twice

  // along the second axis (j), every row i in parallel: causal, then anti-causal
  p.map('rows_start')`i = 0:${W}`.tasklet({ x0: imgIn.at`i, 0`, x1: imgIn.at`i, 1` }, { o0: y1.at`i, 0`, o1: y1.at`i, 1` })`
    o0 = ${a1} * x0
    o1 = ${a1} * x1 + ${a2} * x0 + ${b1} * o0
  `;
  p.for`jf = 2:${H}`((j) => {
    p.map('rows_causal')`i = 0:${W}`.tasklet(
      { x: imgIn.at`i, ${j}`, xp: imgIn.at`i, ${j} - 1`, yp: y1.at`i, ${j} - 1`, ypp: y1.at`i, ${j} - 2` }, { o: y1.at`i, ${j}` },
    )`o = ${a1} * x + ${a2} * xp + ${b1} * yp + ${b2} * ypp`;
  });
  p.map('rows_end')`i = 0:${W}`.tasklet({ x: imgIn.at`i, ${H} - 1` }, { o0: y2.at`i, ${H} - 1`, o1: y2.at`i, ${H} - 2` })`
    o0 = 0.0
    o1 = ${a3} * x
  `;
  p.for`jb = ${H} - 3:-1:-1`((j) => {
    p.map('rows_anticausal')`i = 0:${W}`.tasklet(
      { xn: imgIn.at`i, ${j} + 1`, xnn: imgIn.at`i, ${j} + 2`, yn: y2.at`i, ${j} + 1`, ynn: y2.at`i, ${j} + 2` }, { o: y2.at`i, ${j}` },
    )`o = ${a3} * xn + ${a4} * xnn + ${b1} * yn + ${b2} * ynn`;
  });
  p.map('combine_rows')`i = 0:${W}, j = 0:${H}`.tasklet({ u: y1.at`i, j`, v: y2.at`i, j` }, { o: imgOut.at`i, j` })`o = u + v`;

  // along the first axis (i), every column j in parallel
  p.map('cols_start')`j = 0:${H}`.tasklet({ x0: imgOut.at`0, j`, x1: imgOut.at`1, j` }, { o0: y1.at`0, j`, o1: y1.at`1, j` })`
    o0 = ${a1} * x0
    o1 = ${a1} * x1 + ${a2} * x0 + ${b1} * o0
  `;
  p.for`ic = 2:${W}`((i) => {
    p.map('cols_causal')`j = 0:${H}`.tasklet(
      { x: imgOut.at`${i}, j`, xp: imgOut.at`${i} - 1, j`, yp: y1.at`${i} - 1, j`, ypp: y1.at`${i} - 2, j` }, { o: y1.at`${i}, j` },
    )`o = ${a1} * x + ${a2} * xp + ${b1} * yp + ${b2} * ypp`;
  });
  p.map('cols_end')`j = 0:${H}`.tasklet({ x: imgOut.at`${W} - 1, j` }, { o0: y2.at`${W} - 1, j`, o1: y2.at`${W} - 2, j` })`
    o0 = 0.0
    o1 = ${a3} * x
  `;
  p.for`ib = ${W} - 3:-1:-1`((i) => {
    p.map('cols_anticausal')`j = 0:${H}`.tasklet(
      { xn: imgOut.at`${i} + 1, j`, xnn: imgOut.at`${i} + 2, j`, yn: y2.at`${i} + 1, j`, ynn: y2.at`${i} + 2, j` }, { o: y2.at`${i}, j` },
    )`o = ${a3} * xn + ${a4} * xnn + ${b1} * yn + ${b2} * ynn`;
  });
  p.map('combine_cols')`i = 0:${W}, j = 0:${H}`.tasklet({ u: y1.at`i, j`, v: y2.at`i, j` }, { o: imgOut.at`i, j` })`o = u + v`;
});

export function dericheReference(args: KernelArgs): void {
  const W = sizeOf(args, 'W'), H = sizeOf(args, 'H'), alpha = sizeOf(args, 'alpha');
  const imgIn = arrayOf<Float64Array>(args, 'imgIn'), imgOut = arrayOf<Float64Array>(args, 'imgOut');
  const e = Math.exp(-alpha);
  const k = (1.0 - e) * (1.0 - e) / (1.0 + alpha * e - Math.exp(2.0 * alpha));
  const a1 = k, a2 = k * e * (alpha - 1.0), a3 = k * e * (alpha + 1.0), a4 = -k * Math.exp(-2.0 * alpha);
  const b1 = Math.pow(2.0, -alpha), b2 = -Math.exp(-2.0 * alpha);
  const y1 = new Float64Array(W * H), y2 = new Float64Array(W * H);
  for (let i = 0; i < W; i++) {
    const r = i * H;
    let ym1 = 0, ym2 = 0, xm1 = 0;
    for (let j = 0; j < H; j++) {
      const y = a1 * imgIn[r + j]! + a2 * xm1 + b1 * ym1 + b2 * ym2;
      y1[r + j] = y;
      xm1 = imgIn[r + j]!; ym2 = ym1; ym1 = y;
    }
    let yp1 = 0, yp2 = 0, xp1 = 0, xp2 = 0;
    for (let j = H - 1; j >= 0; j--) {
      const y = a3 * xp1 + a4 * xp2 + b1 * yp1 + b2 * yp2;
      y2[r + j] = y;
      xp2 = xp1; xp1 = imgIn[r + j]!; yp2 = yp1; yp1 = y;
    }
  }
  for (let c = 0; c < W * H; c++) imgOut[c] = y1[c]! + y2[c]!;
  for (let j = 0; j < H; j++) {
    let ym1 = 0, ym2 = 0, xm1 = 0;
    for (let i = 0; i < W; i++) {
      const y = a1 * imgOut[i * H + j]! + a2 * xm1 + b1 * ym1 + b2 * ym2;
      y1[i * H + j] = y;
      xm1 = imgOut[i * H + j]!; ym2 = ym1; ym1 = y;
    }
    let yp1 = 0, yp2 = 0, xp1 = 0, xp2 = 0;
    for (let i = W - 1; i >= 0; i--) {
      const y = a3 * xp1 + a4 * xp2 + b1 * yp1 + b2 * yp2;
      y2[i * H + j] = y;
      xp2 = xp1; xp1 = imgOut[i * H + j]!; yp2 = yp1; yp1 = y;
    }
  }
  for (let c = 0; c < W * H; c++) imgOut[c] = y1[c]! + y2[c]!;
}

export const deriche = defineKernel<{ W: number; H: number }>({
  name: 'deriche',
  description: 'IIR edge filter: coefficient tasklet into scalar transients, p.for recurrences (both directions) around 1-D maps, 2-D maps',
  sizeNames: ['W', 'H'],
  presets: derichePresets,
  program: dericheProgram,
  init: ({ W, H }) => ({
    W, H, alpha: 0.25,
    imgIn: fromFunction2(Float64Array, W, H, (i, j) => ((313 * i + 991 * j) % 65536) / 65535.0),
    imgOut: new Float64Array(W * H),
  }),
  reference: dericheReference,
  outputs: ['imgOut'],
  flops: ({ W, H }) => 32 * W * H,
  bytes: ({ W, H }) => 8 * 2 * W * H,
});
