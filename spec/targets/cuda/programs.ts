// Test programs of the CUDA target's specs beyond the C++ target's (spec/targets/cpp/programs.ts): shared memory from a
// hand-lowered graph, every atomic flavour, maps the GPU cannot split, raw CUDA tasklets.
import { program, symbol, array, f32, f64, i32, i64, u8 } from '../../../index.js';
import type { SDFG } from '../../../graph/sdfg.js';
import type { ArrayHandle } from '../../../dsl/handles.js';
import { allStates } from '../../../graph/query.js';
import { cloneSDFG } from '../../../graph/clone.js';
import { applyTransformation } from '../../../passes/framework.js';
import { gpuTransform } from '../../../passes/transformations/gpu-transform.js';
import * as P from '../cpp/programs.js';

export { P };

/**
 * Per row: threads of a block load 8 values into a block-shared buffer, meet, and store them reversed. Lowered by hand
 * (GPUTransform, then the inner maps scheduled GPU_ThreadBlock): the buffer lives between thread-block maps, so
 * GPUTransientStorage puts it in shared memory.
 */
export function sharedRows(): SDFG {
  const rows = program('shared_rows', { N: symbol, A: array(f64, ['N', 8]), B: array(f64, ['N', 8]) }, (p, { N, A, B }) => {
    p.map('row')`i = 0:${N}`.scope((m) => {
      const t = m.transient('t', f64, [8]) as ArrayHandle<'float64'>;
      m.map('load')`j = 0:8`.tasklet({ a: A.at`i, j` }, { o: t.at`j` })`o = a * 2`;
      m.map('store')`j = 0:8`.tasklet({ a: t.at`7 - j` }, { o: B.at`i, j` })`o = a + 1`;
    });
  });
  const sdfg = cloneSDFG(rows.sdfg);
  applyTransformation(sdfg, gpuTransform, { sdfg });
  for (const state of allStates(sdfg)) {
    for (const n of state.nodes) {
      if (n.kind === 'MapEntry' && n.map.schedule === 'Sequential') {
        n.map.schedule = 'GPU_ThreadBlock';
        n.map.gpuBlockSize = [8];
      }
      if (n.kind === 'MapEntry' && n.map.label === 'row') n.map.gpuBlockSize = [8];
    }
  }
  return sdfg;
}

/** Conflicting writes of every kind: sums, products, minima and maxima of several types, and a custom lambda. */
export const atomics = program('atomics', {
  N: symbol, v: array(f64, ['N']), w: array(f32, ['N']), k: array(i32, ['N']), b: array(u8, ['N']),
  sums: array(f64, [2]), fsum: array(f32, [1]), lsum: array(i64, [1]), prod: array(f32, [1]), imin: array(i32, [1]), lmax: array(i64, [1]),
  dmin: array(f64, [1]), bmax: array(u8, [1]), odd: array(f64, [1]),
}, (p, { N, v, w, k, b, sums, fsum, lsum, prod, imin, lmax, dmin, bmax, odd }) => {
  p.map('reduce')`i = 0:${N}`.tasklet({ x: v.at`i`, y: w.at`i`, n: k.at`i`, c: b.at`i` }, {
    s: sums.at`i % 2`.wcr('+'), fs: fsum.at`0`.wcr('+'), ls: lsum.at`0`.wcr('+'), pr: prod.at`0`.wcr('*'), mi: imin.at`0`.wcr('min'),
    ma: lmax.at`0`.wcr('max'), dm: dmin.at`0`.wcr('min'), bm: bmax.at`0`.wcr('max'), od: odd.at`0`.wcr`a + 2 * b`,
  })`s = x
fs = y
ls = i64(n)
pr = y
mi = n
ma = i64(n)
dm = x
bm = c
od = x`;
});

/** A map whose step is a symbol: GPUThreadBlocks needs constant steps to cut tiles. */
export const symbolicStep = program('symbolic_step', { N: symbol, S: symbol, x: array(f64, ['N']) }, (p, { N, S, x }) => {
  p.map`i = 0:${N}:${S}`.tasklet({}, { o: x.at`i` })`o = 1`;
});

/** A raw CUDA tasklet (the escape hatch), pasted as written. */
export function rawCuda(code: string): SDFG {
  const sdfg = P.rawCpp(code);
  for (const state of allStates(sdfg)) {
    for (const n of state.nodes) if (n.kind === 'Tasklet') n.code = { language: 'CUDA', source: code };
  }
  return sdfg;
}
