// Tests of streams in the reference interpreter: maps pushing, consume scopes popping until empty, worklists,
// stream arguments, and reading an empty stream.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addEdge, addNode, addState, createSDFG } from '../../../graph/construct.js';
import { dataShape, makeArray, makeStream } from '../../../graph/data.js';
import { f64, i32 } from '../../../graph/dtypes.js';
import { SdfgError } from '../../../graph/errors.js';
import { type Memlet, makeMemlet } from '../../../graph/memlet.js';
import type { AccessNode, ConsumeScope, MapScope, Node } from '../../../graph/nodes.js';
import type { SDFG, State } from '../../../graph/sdfg.js';
import { fullSubset, parseSubset } from '../../../graph/subsets.js';
import { int, sym } from '../../../graph/symbolic.js';
import { parseTasklet } from '../../../dsl/tasklet-parser.js';
import { runReference } from '../../../targets/reference/index.js';

function mem(spec: string, options: Partial<Omit<Memlet, 'data' | 'subset'>> = {}): Memlet {
  const at = spec.indexOf('[');
  return makeMemlet(spec.slice(0, at), parseSubset(spec.slice(at + 1, -1)), options);
}
const full = (sdfg: SDFG, data: string): Memlet => makeMemlet(data, fullSubset(dataShape(sdfg.arrays[data]!)));
const access = (st: State, data: string): AccessNode =>
  addNode(st, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {} });
function tasklet(st: State, ins: string[], outs: string[], src: string): Node {
  const conns = (names: string[]) => Object.fromEntries(names.map((n) => [n, null]));
  return addNode(st, { kind: 'Tasklet', label: 't', inConnectors: conns(ins), outConnectors: conns(outs), code: { language: 'tasklet', body: parseTasklet(src) } });
}

/** A map over A pushing `A[i] * 2` into `stream`, which ends at the returned access node. */
function producer(sdfg: SDFG, st: State, stream: string): AccessNode {
  const map: MapScope = { label: 'produce', params: ['i'], ranges: [...parseSubset('0:N').ranges], schedule: 'CPU_Multicore', unroll: false, collapse: 1 };
  const entry = addNode(st, { kind: 'MapEntry', label: 'produce', map, inConnectors: {}, outConnectors: {} });
  const exit = addNode(st, { kind: 'MapExit', label: 'produce', map, inConnectors: {}, outConnectors: {} });
  const t = tasklet(st, ['a'], ['s'], 's = a * 2');
  addEdge(st, access(st, 'A'), null, entry, 'IN_A', full(sdfg, 'A'));
  addEdge(st, entry, 'OUT_A', t, 'a', mem('A[i]'));
  addEdge(st, t, 's', exit, 'IN_S', mem(`${stream}[0]`));
  const out = access(st, stream);
  addEdge(st, exit, 'OUT_S', out, null, mem(`${stream}[0]`));
  return out;
}

/** A consume scope over `stream` running `src` with the element on connector `x`; outputs are `conn: [memlet, wcr]`. */
function consumer(st: State, source: AccessNode, src: string, outs: Record<string, Memlet>): void {
  const consume: ConsumeScope = { label: 'consume', peIndex: 'p', numPes: int(4), condition: null, schedule: 'Sequential', chunksize: 1 };
  const entry = addNode(st, { kind: 'ConsumeEntry', label: 'consume', consume, inConnectors: {}, outConnectors: {} });
  const exit = addNode(st, { kind: 'ConsumeExit', label: 'consume', consume, inConnectors: {}, outConnectors: {} });
  const t = tasklet(st, ['x'], Object.keys(outs), src);
  addEdge(st, source, null, entry, 'IN_stream', mem(`${source.data}[0]`));
  addEdge(st, entry, 'OUT_stream', t, 'x', mem(`${source.data}[0]`, { dynamic: true }));
  for (const [conn, memlet] of Object.entries(outs)) {
    addEdge(st, t, conn, exit, `IN_${conn}`, memlet);
    addEdge(st, exit, `OUT_${conn}`, access(st, memlet.data!), null, { ...memlet });
  }
}

const N = sym('N');

describe('targets/reference: streams', () => {
  it('a map pushes into a stream and a consume scope pops every element (producer / consumer)', () => {
    const sdfg = createSDFG('pc');
    sdfg.arrays = { A: makeArray(f64, [N]), S: makeStream(f64, 8), total: makeArray(f64, [1]) };
    const st = addState(sdfg, 'main');
    consumer(st, producer(sdfg, st, 'S'), 'o = x + 1', { o: mem('total[0]', { wcr: { op: 'sum' } }) });
    fc.assert(fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 20 }), (xs) => {
      const total = Float64Array.of(0.5);
      runReference(sdfg, { A: Float64Array.from(xs), total });
      assert.equal(total[0], xs.reduce((acc, v) => acc + (v * 2 + 1), 0.5));
    }), { numRuns: 30 });
  });

  it('a non-transient stream starts with the given elements and run returns what is left, in FIFO order', () => {
    const sdfg = createSDFG('fifo');
    sdfg.arrays = { A: makeArray(f64, [N]), Q: makeStream(f64, 8, { transient: false }) };
    producer(sdfg, addState(sdfg, 'main'), 'Q');
    const out = runReference(sdfg, { A: Float64Array.of(1, 2, 3), Q: Float64Array.of(7) });
    assert.deepEqual([...(out.Q as Float64Array)], [7, 2, 4, 6]);
  });

  it('elements pushed while consuming are consumed too (a worklist)', () => {
    // Each element x > 0 pushes x - 1 back: starting from [3, 1] the scope pops 3, 1, 2, 0, 1, 0.
    const sdfg = createSDFG('worklist');
    sdfg.arrays = { W: makeStream(i32, 16, { transient: false }), count: makeArray(i32, [1]), sum: makeArray(i32, [1]) };
    const st = addState(sdfg, 'main');
    consumer(st, access(st, 'W'), 'c = 1\ns = x\nif (x > 0) { back = x - 1 }', {
      c: mem('count[0]', { wcr: { op: 'sum' } }), s: mem('sum[0]', { wcr: { op: 'sum' } }), back: mem('W[0]', { dynamic: true }),
    });
    const count = new Int32Array(1), sum = new Int32Array(1);
    const out = runReference(sdfg, { W: Int32Array.of(3, 1), count, sum });
    assert.equal(count[0], 6);
    assert.equal(sum[0], 3 + 1 + 2 + 0 + 1 + 0);
    assert.equal((out.W as Int32Array).length, 0);
  });

  it("reading an empty stream outside a consume scope is 'stream-empty'", () => {
    const sdfg = createSDFG('empty');
    sdfg.arrays = { S: makeStream(f64, 4), R: makeArray(f64, [1]) };
    const st = addState(sdfg, 'main');
    const t = tasklet(st, ['x'], ['o'], 'o = x');
    addEdge(st, access(st, 'S'), null, t, 'x', mem('S[0]', { dynamic: true }));
    addEdge(st, t, 'o', access(st, 'R'), null, mem('R[0]'));
    assert.throws(() => runReference(sdfg, { R: new Float64Array(1) }), (e: unknown) => {
      assert.ok(e instanceof SdfgError);
      assert.equal(e.code, 'stream-empty');
      assert.equal(e.summary, 'read from empty stream S');
      assert.deepEqual(e.path, { sdfg: 'empty', state: 'main', node: 't' });
      return true;
    });
  });
});
