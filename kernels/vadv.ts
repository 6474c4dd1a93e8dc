// NPBench vadv (COSMO vertical advection): a tridiagonal solve per column, sequential in K, parallel over I × J.
import { program, symbol, array, f64 } from '../index.js';
import { defineKernel, sizeOf, arrayOf, type KernelArgs } from './kernel.js';
import { vadvPresets } from './presets.js';
import { seeded } from './random.js';

const BET_M = 0.5;
const BET_P = 0.5;

export const vadvProgram = () => program('vadv', {
  I: symbol, J: symbol, K: symbol,
  utens_stage: array(f64, ['I', 'J', 'K']), u_stage: array(f64, ['I', 'J', 'K']), wcon: array(f64, ['I + 1', 'J', 'K']),
  u_pos: array(f64, ['I', 'J', 'K']), utens: array(f64, ['I', 'J', 'K']), dtr_stage: f64,
}, (p, { I, J, K, utens_stage: ustage, u_stage: u, wcon, u_pos: upos, utens, dtr_stage: dtr }) => {
  const ccol = p.transient('ccol', f64, [I, J, K]);
  const dcol = p.transient('dcol', f64, [I, J, K]);
  const dataCol = p.transient('data_col', f64, [I, J]);

  // Thomas algorithm, forward sweep: the top level, the interior levels in order, the bottom level
  p.map('forward_top')`i = 0:${I}, j = 0:${J}`.tasklet({
    wn: wcon.at`i + 1, j, 1`, w0: wcon.at`i, j, 1`, u1: u.at`i, j, 1`, u0: u.at`i, j, 0`,
    up: upos.at`i, j, 0`, ut: utens.at`i, j, 0`, us: ustage.at`i, j, 0`,
  }, { cc: ccol.at`i, j, 0`, dc: dcol.at`i, j, 0` })`
    let gcv = 0.25 * (wn + w0)
    let cs = gcv * ${BET_M}
    let c = gcv * ${BET_P}
    let bcol = ${dtr} - c
    let correction = -cs * (u1 - u0)
    let d = ${dtr} * up + ut + us + correction
    let divided = 1.0 / bcol
    cc = c * divided
    dc = d * divided
  `;
  p.for`k = 1:${K} - 1`((k) => {
    p.map('forward')`i = 0:${I}, j = 0:${J}`.tasklet({
      wn: wcon.at`i + 1, j, ${k}`, w0: wcon.at`i, j, ${k}`, wn1: wcon.at`i + 1, j, ${k} + 1`, w01: wcon.at`i, j, ${k} + 1`,
      um: u.at`i, j, ${k} - 1`, uc: u.at`i, j, ${k}`, upl: u.at`i, j, ${k} + 1`,
      up: upos.at`i, j, ${k}`, ut: utens.at`i, j, ${k}`, us: ustage.at`i, j, ${k}`,
      cprev: ccol.at`i, j, ${k} - 1`, dprev: dcol.at`i, j, ${k} - 1`,
    }, { cc: ccol.at`i, j, ${k}`, dc: dcol.at`i, j, ${k}` })`
      let gav = -0.25 * (wn + w0)
      let gcv = 0.25 * (wn1 + w01)
      let as_ = gav * ${BET_M}
      let cs = gcv * ${BET_M}
      let acol = gav * ${BET_P}
      let c = gcv * ${BET_P}
      let bcol = ${dtr} - acol - c
      let correction = -as_ * (um - uc) - cs * (upl - uc)
      let d = ${dtr} * up + ut + us + correction
      let divided = 1.0 / (bcol - cprev * acol)
      cc = c * divided
      dc = (d - dprev * acol) * divided
    `;
  });
  p.map('forward_bottom')`i = 0:${I}, j = 0:${J}`.tasklet({
    wn: wcon.at`i + 1, j, ${K} - 1`, w0: wcon.at`i, j, ${K} - 1`, um: u.at`i, j, ${K} - 2`, uc: u.at`i, j, ${K} - 1`,
    up: upos.at`i, j, ${K} - 1`, ut: utens.at`i, j, ${K} - 1`, us: ustage.at`i, j, ${K} - 1`,
    cprev: ccol.at`i, j, ${K} - 2`, dprev: dcol.at`i, j, ${K} - 2`,
  }, { dc: dcol.at`i, j, ${K} - 1` })`
    let gav = -0.25 * (wn + w0)
    let as_ = gav * ${BET_M}
    let acol = gav * ${BET_P}
    let bcol = ${dtr} - acol
    let correction = -as_ * (um - uc)
    let d = ${dtr} * up + ut + us + correction
    let divided = 1.0 / (bcol - cprev * acol)
    dc = (d - dprev * acol) * divided
  `;

  // backward substitution, bottom to top
  p.map('backward_bottom')`i = 0:${I}, j = 0:${J}`.tasklet(
    { d: dcol.at`i, j, ${K} - 1`, up: upos.at`i, j, ${K} - 1` }, { col: dataCol.at`i, j`, o: ustage.at`i, j, ${K} - 1` },
  )`
    col = d
    o = ${dtr} * (d - up)
  `;
  // (a second loop may not reuse the name k: the first one registered it as an SDFG symbol)
  p.for`kb = ${K} - 2:-1:-1`((k) => {
    p.map('backward')`i = 0:${I}, j = 0:${J}`.tasklet(
      { d: dcol.at`i, j, ${k}`, c: ccol.at`i, j, ${k}`, below: dataCol.at`i, j`, up: upos.at`i, j, ${k}` },
      { col: dataCol.at`i, j`, o: ustage.at`i, j, ${k}` },
    )`
      let datacol = d - c * below
      col = datacol
      o = ${dtr} * (datacol - up)
    `;
  });
});

export function vadvReference(args: KernelArgs): void {
  const I = sizeOf(args, 'I'), J = sizeOf(args, 'J'), K = sizeOf(args, 'K'), dtr = sizeOf(args, 'dtr_stage');
  const [ustage, u, wcon, upos, utens] = ['utens_stage', 'u_stage', 'wcon', 'u_pos', 'utens'].map((n) => arrayOf<Float64Array>(args, n)) as Float64Array[];
  const ccol = new Float64Array(I * J * K), dcol = new Float64Array(I * J * K);
  for (let i = 0; i < I; i++) {
    for (let j = 0; j < J; j++) {
      const at = (k: number) => (i * J + j) * K + k;
      const w = (k: number) => wcon[((i + 1) * J + j) * K + k]! + wcon[at(k)]!;
      // forward sweep
      {
        const gcv = 0.25 * w(1), cs = gcv * BET_M, c = gcv * BET_P, bcol = dtr - c;
        const d = dtr * upos[at(0)]! + utens[at(0)]! + ustage[at(0)]! + -cs * (u[at(1)]! - u[at(0)]!);
        const divided = 1.0 / bcol;
        ccol[at(0)] = c * divided;
        dcol[at(0)] = d * divided;
      }
      for (let k = 1; k < K - 1; k++) {
        const gav = -0.25 * w(k), gcv = 0.25 * w(k + 1);
        const as = gav * BET_M, cs = gcv * BET_M, acol = gav * BET_P, c = gcv * BET_P;
        const bcol = dtr - acol - c;
        const correction = -as * (u[at(k - 1)]! - u[at(k)]!) - cs * (u[at(k + 1)]! - u[at(k)]!);
        const d = dtr * upos[at(k)]! + utens[at(k)]! + ustage[at(k)]! + correction;
        const divided = 1.0 / (bcol - ccol[at(k - 1)]! * acol);
        ccol[at(k)] = c * divided;
        dcol[at(k)] = (d - dcol[at(k - 1)]! * acol) * divided;
      }
      {
        const k = K - 1;
        const gav = -0.25 * w(k), as = gav * BET_M, acol = gav * BET_P, bcol = dtr - acol;
        const d = dtr * upos[at(k)]! + utens[at(k)]! + ustage[at(k)]! + -as * (u[at(k - 1)]! - u[at(k)]!);
        const divided = 1.0 / (bcol - ccol[at(k - 1)]! * acol);
        dcol[at(k)] = (d - dcol[at(k - 1)]! * acol) * divided;
      }
      // backward substitution
      let below = dcol[at(K - 1)]!;
      ustage[at(K - 1)] = dtr * (below - upos[at(K - 1)]!);
      for (let k = K - 2; k >= 0; k--) {
        below = dcol[at(k)]! - ccol[at(k)]! * below;
        ustage[at(k)] = dtr * (below - upos[at(k)]!);
      }
    }
  }
}

export const vadv = defineKernel<{ I: number; J: number; K: number }>({
  name: 'vadv',
  description: 'tridiagonal (Thomas) solve per column: forward and backward p.for sweeps over K around 2-D maps over I × J',
  sizeNames: ['I', 'J', 'K'],
  presets: vadvPresets,
  program: vadvProgram,
  init: ({ I, J, K }, seed) => {
    const rng = seeded(seed);
    return {
      I, J, K, dtr_stage: 3.0 / 20.0,
      utens_stage: rng.float64Array(I * J * K),
      u_stage: rng.float64Array(I * J * K),
      wcon: rng.float64Array((I + 1) * J * K),
      u_pos: rng.float64Array(I * J * K),
      utens: rng.float64Array(I * J * K),
    };
  },
  reference: vadvReference,
  outputs: ['utens_stage'],
  flops: ({ I, J, K }) => I * J * (30 * K + 4 * K),
  bytes: ({ I, J, K }) => 8 * I * J * K * 6,
});
