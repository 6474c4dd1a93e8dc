// StreamingComposition: exact text of a producer → consumer pair joined by a stream, refusals, differential runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import { streamingComposition } from '../../../passes/transformations/streaming-composition.js';
import { applyEverywhere, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';

/** y = 2·x + 1 through a transient: the producer writes tmp[i], the consumer reads tmp[i]. */
const chain = (shift = 0) => program('chain', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
  const tmp = p.transient('tmp', f64, [N]);
  p.state('pipeline', (s) => {
    s.map('produce')`i = 0:${N}`.tasklet({ a: x.at`i` }, { t: tmp.at`i` })`t = 2 * a`;
    if (shift === 0) s.map('consume')`i = 0:${N}`.tasklet({ t: tmp.at`i` }, { b: y.at`i` })`b = t + 1`;
    else s.map('consume')`i = 0:${N} - 1`.tasklet({ t: tmp.at`i + 1` }, { b: y.at`i` })`b = t + 1`;
  });
});

/** The same over two dimensions, with the consumer's parameters named differently. */
const chain2d = () => program('chain2d', { N: symbol, M: symbol, x: array(f64, ['N', 'M']), y: array(f64, ['N', 'M']) }, (p, { N, M, x, y }) => {
  const tmp = p.transient('tmp', f64, [N, M]);
  p.state('pipeline', (s) => {
    s.map('produce')`i = 0:${N}, j = 0:${M}`.tasklet({ a: x.at`i, j` }, { t: tmp.at`i, j` })`t = a * a`;
    s.map('consume')`r = 0:${N}, c = 0:${M}`.tasklet({ t: tmp.at`r, c`, a: x.at`r, c` }, { b: y.at`r, c` })`b = t - a`;
  });
});

describe('StreamingComposition', () => {
  it('replaces the transient between two maps by a stream that both use one element per iteration', () => {
    const { sdfg } = chain();
    assert.equal(applyEverywhere(sdfg, streamingComposition, { depth: 4 }), 1);
    assert.equal(printSDFG(sdfg), `sdfg chain
  symbol N: int64
  stream tmp_stream: float64 (buffer 4, transient)
  array x: float64[N]
  array y: float64[N]
  args x, y, N
  state s0 "pipeline"
    n0 map_entry produce [i = 0:N]
    n1 map_exit produce
    n2 tasklet tasklet_0 (a -> t) {t = 2 * a}
    n3 access x
    n4 access tmp_stream
    n5 map_entry consume [i = 0:N]
    n6 map_exit consume
    n7 tasklet tasklet_1 (t -> b) {b = t + 1}
    n8 access y
    e0 n3 -> n0.IN_x  x[0:N]
    e1 n0.OUT_x -> n2.a  x[i]
    e2 n2.t -> n1.IN_tmp  tmp_stream[0] (dynamic)
    e3 n1.OUT_tmp -> n4  tmp_stream[0] (volume N, dynamic)
    e4 n4 -> n5.IN_tmp  tmp_stream[0] (volume N, dynamic)
    e5 n5.OUT_tmp -> n7.t  tmp_stream[0] (dynamic)
    e6 n7.b -> n6.IN_y  y[i]
    e7 n6.OUT_y -> n8  y[0:N]`);
  });

  describe('refuses', () => {
    it('a consumer that reads the elements in another order, and arguments (not transients)', () => {
      assert.deepEqual(refusals(chain(1).sdfg, streamingComposition),
        ['x is not a transient array', 'maps produce and consume iterate over different ranges', 'y is not a transient array']);
    });

    it('a consumer that reads the element on some paths only', () => {
      const maybe = program('maybe', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
        const tmp = p.transient('tmp', f64, [N]);
        p.state('pipeline', (s) => {
          s.map('produce')`i = 0:${N}`.tasklet({ a: x.at`i` }, { t: tmp.at`i` })`t = 2 * a`;
          s.map('consume')`i = 0:${N}`.tasklet({ t: tmp.at`i`, a: x.at`i` }, { b: y.at`i` })`
            b = a
            if (a > 0) { b = t }
          `;
        });
      });
      assert.ok(refusals(maybe.sdfg, streamingComposition).includes('tasklet_1 reads t on some paths only (a stream is popped on every one)'));
    });

    it('a transient read by two maps, and one written with conflict resolution', () => {
      const twice = program('twice', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
        const tmp = p.transient('tmp', f64, [N]);
        p.state('pipeline', (s) => {
          s.map('produce')`i = 0:${N}`.tasklet({ a: x.at`i` }, { t: tmp.at`i` })`t = 2 * a`;
          s.map('consume')`i = 0:${N}`.tasklet({ t: tmp.at`i` }, { b: y.at`i` })`b = t + 1`;
          s.map('again')`i = 0:${N}`.tasklet({ t: tmp.at`i` }, { b: y.at`i`.wcr('+') })`b = t`;
        });
      });
      assert.ok(refusals(twice.sdfg, streamingComposition).some((r) => /^tmp (is accessed elsewhere too|has 1 writers and 2 readers, not one each)$/.test(r)));
      const summed = program('summed', { N: symbol, x: array(f64, ['N']), y: array(f64, [1]) }, (p, { N, x, y }) => {
        const tmp = p.transient('tmp', f64, [1]);
        p.state('pipeline', (s) => {
          s.map('produce')`i = 0:${N}`.tasklet({ a: x.at`i` }, { t: tmp.at`0`.wcr('+') })`t = a`;
          s.map('consume')`i = 0:1`.tasklet({ t: tmp.at`0` }, { b: y.at`0` })`b = t`;
        });
      });
      assert.ok(refusals(summed.sdfg, streamingComposition).length > 0);
      assert.equal(applyEverywhere(summed.sdfg, streamingComposition), 0);
    });
  });

  describe('preserves what programs compute', () => {
    it('1-D chains of random length', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 12 }), depth: fc.integer({ min: 1, max: 4 }) }),
      program: () => chain(),
      symbols: ({ N }) => ({ N }),
      transform: { transformation: streamingComposition },
      optionsFor: ({ depth }) => ({ depth }),
    }));

    it('2-D chains whose consumer names its parameters differently', () => checkPreservesSemantics({
      params: fc.record({ N: fc.integer({ min: 1, max: 6 }), M: fc.integer({ min: 1, max: 6 }) }),
      program: () => chain2d(),
      symbols: ({ N, M }) => ({ N, M }),
      transform: { transformation: streamingComposition },
    }));
  });
});
