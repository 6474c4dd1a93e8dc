// MapFusion: exact text of fused producer/consumer maps (local and kept intermediates), refusals, differential runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, int, printSDFG, type Expr, type ArrayHandle, type MapBuilder } from '../../../index.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { mapFusion } from '../../../passes/transformations/map-fusion.js';
import { applyOnce, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { cloneSDFG } from '../../../graph/clone.js';
import { runPipeline } from '../../../passes/pipeline.js';
import '../../../passes/transformations/state-fusion.js';
import '../../../passes/transformations/reduce-expansion.js';
import { softmax } from '../../../samples/softmax.js';
import { jacobi2d } from '../../../samples/jacobi-2d.js';

const pc = program('pc', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
  const t = p.transient('t', f64, [N]);
  p.state('s', (s) => {
    s.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { o: t.at`i` })`o = a * 2`;
    s.map`j = 0:${N}`.tasklet({ x: t.at`j`, a: A.at`j` }, { o: B.at`j` })`o = x + a + j`;
  });
});

const rows = program('rows', { N: symbol, M: symbol, A: array(f64, ['N', 'M']), B: array(f64, ['N']) }, (p, { N, M, A, B }) => {
  const t = p.transient('t', f64, [N, M]);
  p.state('s', (s) => {
    s.map`i = 0:${N}`.map`k = 0:${M}`.tasklet({ a: A.at`i, k` }, { o: t.at`i, k` })`o = a * a`;
    s.map`j = 0:${N}`.tasklet({ r: t.at`j, 0:${M}` }, { o: B.at`j` })`o = 0; for (k in 0:${M}) { o += r[k] }`;
  });
});

/** Two maps through `t`, the consumer written with its own code (its range and what it reads vary). */
function pair(consumerRange: string, read: string, options: { wcr?: boolean } = {}) {
  return program('pair', { N: symbol, A: array(f64, ['N + 2']), B: array(f64, ['N + 2']) }, (p, { N, A, B }) => {
    const t = p.transient('t', f64, [N.add(2)]);
    p.state('s', (s) => {
      s.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { o: options.wcr ? t.at`i`.wcr('+') : t.at`i` })`o = a`;
      s.map({ j: consumerRange.split(':').map((x) => (x === 'N' ? N : Number(x))) as [number, number] }).tasklet({ x: t.at`${read === 'j' ? 0 : 1} + j` }, { o: B.at`j` })`o = x`;
    });
  });
}

/**
 * A chain of `length` maps over `shift:N + shift` (2-D when `square`, every other map with its parameters
 * swapped), each reading the previous one's output at the same point through a transient; when
 * `extraReader`, a last map reads the first intermediate again (so it must stay written).
 */
function chain(length: number, shift: number, square: boolean, extraReader: boolean) {
  return program('chain', { N: symbol, A: array(f64, ['N + 3', 'N + 3']), B: array(f64, ['N + 3', 'N + 3']), C: array(f64, ['N + 3', 'N + 3']) }, (p, { N, A, B, C }) => {
    const ts = Array.from({ length: length - 1 }, (_, k) => p.transient(`t${k}`, f64, [N.add(3), N.add(3)]));
    const r: [Expr, Expr] = [int(shift), N.add(shift)];
    const ranges = (swapped: boolean): Record<string, [Expr, Expr]> => (square ? (swapped ? { j: r, i: r } : { i: r, j: r }) : { i: r });
    const step = (m: MapBuilder, src: ArrayHandle, dst: ArrayHandle, code: 'step' | 'extra') => {
      const [input, output] = square ? [src.at`i, j`, dst.at`i, j`] : [src.at`i, 0`, dst.at`i, 0`];
      const tasklet = m.tasklet({ a: input }, { o: output });
      if (code === 'extra') tasklet`o = a + 1`;
      else if (square) tasklet`o = a * 0.5 + i - j`;
      else tasklet`o = a * 0.5 + i`;
    };
    p.state('s', (s) => {
      for (let k = 0; k < length; k++) step(s.map(ranges(square && k % 2 === 1)), k === 0 ? A : ts[k - 1]!, k === length - 1 ? B : ts[k]!, 'step');
      if (extraReader) step(s.map(ranges(false)), ts[0]!, C, 'extra');
    });
  });
}

function mapCount(sdfg: SDFG): number {
  return sdfg.blocks.reduce((n, b) => n + (b.kind === 'State' ? b.nodes.filter((x) => x.kind === 'MapEntry').length : 0), 0);
}

describe('MapFusion', () => {
  it('fuses producer and consumer, shrinking the intermediate to a scope-local scalar', () => {
    assert.equal(printSDFG(applyOnce(pc.sdfg, mapFusion)), `sdfg pc
  symbol N: int64
  array A: float64[N]
  array B: float64[N]
  scalar t: float64 (transient, storage Register)
  args A, B, N
  state s0 "s"
    n0 map_entry map_0_map_1 [i = 0:N]
    n1 map_exit map_0_map_1
    n2 tasklet tasklet_0 (a -> o) {o = a * 2}
    n3 access A
    n7 tasklet tasklet_1 (a, x -> o) {o = x + a + i}
    n8 access A
    n9 access B
    n10 access t
    e0 n3 -> n0.IN_A  A[0:N]
    e1 n0.OUT_A -> n2.a  A[i]
    e2 n2.o -> n10  t[0]
    e5 n10 -> n7.x  t[0]
    e6 n8 -> n0.IN_A_1  A[0:N]
    e7 n0.OUT_A_1 -> n7.a  A[i]
    e8 n7.o -> n1.IN_B  B[i]
    e9 n1.OUT_B -> n9  B[0:N]`);
  });

  it('fuses a consumer that reads what one iteration wrote, shrinking the intermediate to one row', () => {
    assert.equal(printSDFG(applyOnce(rows.sdfg, mapFusion)), `sdfg rows
  symbol M: int64
  symbol N: int64
  array A: float64[N, M]
  array B: float64[N]
  array t: float64[1, M] (transient)
  args A, B, N, M
  state s0 "s"
    n0 map_entry map_0_map_2 [i = 0:N]
    n1 map_exit map_0_map_2
    n2 map_entry map_1 [k = 0:M]
    n3 map_exit map_1
    n4 tasklet tasklet_0 (a -> o) {o = a * a}
    n5 access A
    n9 tasklet tasklet_1 (r -> o) {o = 0; for (k in 0:M) { o += r[k] }}
    n10 access B
    n11 access t
    e0 n5 -> n0.IN_A  A[0:N, 0:M]
    e1 n0.OUT_A -> n2.IN_A  A[i, 0:M]
    e2 n2.OUT_A -> n4.a  A[i, k]
    e3 n4.o -> n3.IN_t  t[0, k]
    e4 n3.OUT_t -> n11  t[0, 0:M]
    e7 n11 -> n9.r  t[0, 0:M]
    e8 n9.o -> n1.IN_B  B[i]
    e9 n1.OUT_B -> n10  B[0:N]`);
  });

  it('refuses different ranges, a read of another element, and wcr on the intermediate', () => {
    assert.deepEqual(refusals(pair('1:N', 'j').sdfg, mapFusion), ['the ranges differ: map_0 [i = 0:N] and map_1 [j = 1:N]']);
    assert.deepEqual(refusals(pair('0:N', 'j + 1').sdfg, mapFusion), ['map_1 reads t[j + 1] where map_0 writes t[i]: not the same element']);
    assert.deepEqual(refusals(pair('0:N', 'j', { wcr: true }).sdfg, mapFusion), ['map_0 writes t with write-conflict resolution (wcr sum)']);
  });

  it('refuses maps of different dimensions, another path between them, and a consumer overwriting the producer input', () => {
    const dims = program('dims', { N: symbol, A: array(f64, ['N', 'N']), B: array(f64, ['N', 'N']) }, (p, { N, A, B }) => {
      const t = p.transient('t', f64, [N, N]);
      p.state('s', (s) => {
        s.map`i = 0:${N}, j = 0:${N}`.tasklet({ a: A.at`i, j` }, { o: t.at`i, j` })`o = a`;
        s.map`i = 0:${N}`.tasklet({ x: t.at`i, i` }, { o: B.at`i, 0` })`o = x`;
      });
    });
    assert.deepEqual(refusals(dims.sdfg, mapFusion), ['map_0 has 2 dimensions and map_1 has 1']);
    const path = program('path', { N: symbol, A: array(f64, ['N']), B: array(f64, ['N']) }, (p, { N, A, B }) => {
      const t = p.transient('t', f64, [N]), u = p.transient('u', f64, [N]);
      p.state('s', (s) => {
        s.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { o: t.at`i`, q: u.at`i` })`o = a; q = a`;
        s.map`i = 0:${N}`.tasklet({ a: u.at`(i + 1) % ${N}` }, { o: u.at`i` })`o = a`;
        s.map`i = 0:${N}`.tasklet({ x: t.at`i`, y: u.at`i` }, { o: B.at`i` })`o = x + y`;
      });
    });
    assert.ok(refusals(path.sdfg, mapFusion).includes('another path leads from map_0 to map_2'));
    const overwrite = program('overwrite', { N: symbol, A: array(f64, ['N']) }, (p, { N, A }) => {
      const t = p.transient('t', f64, [N]);
      p.state('s', (s) => {
        s.map`i = 0:${N}`.tasklet({ a: A.at`(i + 1) % ${N}` }, { o: t.at`i` })`o = a`;
        s.map`i = 0:${N}`.tasklet({ x: t.at`i` }, { o: A.at`i` })`o = x`;
      });
    });
    assert.deepEqual(refusals(overwrite.sdfg, mapFusion), ['map_1 writes A, which map_0 reads']);
  });

  it('preserves semantics of random chains (1-D and 2-D with swapped parameters, kept intermediates)', () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 5 }), length: fc.integer({ min: 2, max: 4 }), shift: fc.integer({ min: 0, max: 2 }), square: fc.boolean(), extra: fc.boolean() }),
    program: ({ length, shift, square, extra }) => chain(length, shift, square, extra),
    symbols: ({ N }) => ({ N }),
    transform: { transformation: mapFusion },
    // The extra reader fuses too once the first intermediate is kept: everything ends up in one map.
    check: (after) => assert.equal(mapCount(after), 1),
  }));

  it("preserves semantics when the consumer reads one iteration's whole row", () => checkPreservesSemantics({
    params: fc.record({ N: fc.integer({ min: 1, max: 5 }), M: fc.integer({ min: 1, max: 5 }) }),
    program: () => rows, symbols: ({ N, M }) => ({ N, M }), transform: { transformation: mapFusion }, numRuns: 6,
  }));

  it('fuses maps of the samples once their states are fused (softmax), and refuses stencils (jacobi_2d)', () => {
    const pipeline = ['ReduceExpansion', 'StateFusion', 'MapFusion'];
    checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 4 }), M: fc.integer({ min: 1, max: 6 }) }),
      program: () => softmax, symbols: (s) => s, numRuns: 4,
      transform: (sdfg) => runPipeline(sdfg, pipeline, { log: () => {} }).applied.filter((a) => a.transformation === 'MapFusion').length,
    });
    const jacobi = cloneSDFG(jacobi2d.sdfg);
    runPipeline(jacobi, ['StateFusion'], { log: () => {} });
    assert.deepEqual(refusals(jacobi, mapFusion), ['to_A reads B[i, j - 1] where to_B writes B[i, j]: not the same element']);
  });
});
