// Liveness of transients: the states using each one, and whether its value may be read after a state (loops included).
import assert from 'node:assert/strict';
import { program, symbol, array, f64 } from '../../../index.js';
import { allStates } from '../../../graph/query.js';
import { analyze } from '../../../passes/analysis.js';
import { isLiveAfter, singleStateTransients, transientUses } from '../../../passes/analyses/liveness.js';
import { statesAfter } from '../../../passes/analyses/control-flow-order.js';
import { softmax } from '../../../samples/softmax.js';

describe('liveness', () => {
  it('lists the states that read and write each transient of softmax', () => {
    const uses = analyze(softmax.sdfg, transientUses);
    const labels = [...uses].map(([name, u]) => `${name}: ${u.states.map((s) => s.label).join(', ')}; read in ${[...u.readIn].map((s) => s.label).join(', ')}`);
    assert.deepEqual(labels, ['row_max: reduce_0, exp; read in exp', 'row_sum: reduce_1, normalize; read in normalize', 'e: exp, reduce_1, normalize; read in reduce_1, normalize']);
    assert.deepEqual(singleStateTransients(uses), new Map());
  });

  it('says a transient is dead after its last reader, and an argument is always live', () => {
    const live = [...allStates(softmax.sdfg)].map((s) => `${s.label}: ${isLiveAfter(softmax.sdfg, 'e', s)} ${isLiveAfter(softmax.sdfg, 'row_max', s)} ${isLiveAfter(softmax.sdfg, 'out', s)}`);
    assert.deepEqual(live, ['reduce_0: true true true', 'exp: true false true', 'reduce_1: true false true', 'normalize: false false true']);
  });

  it('keeps a transient live after its reader inside a loop, which may run again', () => {
    const looped = program('looped', { N: symbol, T: symbol, A: array(f64, ['N']) }, (p, { N, T, A }) => {
      const tmp = p.transient('tmp', f64, [N]);
      p.for`t = 0:${T}`(() => {
        p.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { o: tmp.at`i` })`o = a * 2`;
        p.map`i = 0:${N}`.tasklet({ x: tmp.at`i` }, { o: A.at`i` })`o = x + 1`;
      });
      p.map`i = 0:${N}`.tasklet({ a: A.at`i` }, { o: A.at`i` })`o = a`;
    });
    const [writer, reader, after] = [...allStates(looped.sdfg)];
    assert.equal(isLiveAfter(looped.sdfg, 'tmp', writer!), true);
    assert.equal(isLiveAfter(looped.sdfg, 'tmp', reader!), true);
    assert.equal(isLiveAfter(looped.sdfg, 'tmp', after!), false);
    assert.deepEqual([...statesAfter(looped.sdfg, reader!)].map((s) => s.label).sort(), [after!.label, reader!.label, writer!.label].sort());
  });
});
