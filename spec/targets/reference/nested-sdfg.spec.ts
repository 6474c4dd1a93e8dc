// Tests of nested SDFGs in the reference interpreter: windows on outer arrays (contiguous, strided, single elements),
// symbol mappings from map parameters, and outputs combined under a wcr.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addEdge, addLoopRegion, addNode, addState, createSDFG } from '../../../graph/construct.js';
import { dataShape, makeArray, makeScalar } from '../../../graph/data.js';
import { f64, i64 } from '../../../graph/dtypes.js';
import { SdfgError } from '../../../graph/errors.js';
import { type Memlet, type Wcr, emptyMemlet, makeMemlet } from '../../../graph/memlet.js';
import type { AccessNode, MapScope, Node } from '../../../graph/nodes.js';
import type { SDFG, State } from '../../../graph/sdfg.js';
import { fullSubset, parseSubset } from '../../../graph/subsets.js';
import { type Expr, int, sym } from '../../../graph/symbolic.js';
import { parseTasklet, parseTaskletExpr as x } from '../../../dsl/tasklet-parser.js';
import { runReference } from '../../../targets/reference/index.js';

// ---- small graph-building helpers (as in interpreter.spec.ts) --------------------------------

function mem(spec: string, options: Partial<Omit<Memlet, 'data' | 'subset'>> = {}): Memlet {
  const at = spec.indexOf('[');
  return makeMemlet(spec.slice(0, at), parseSubset(spec.slice(at + 1, -1)), options);
}
const full = (sdfg: SDFG, data: string, wcr: Wcr | null = null): Memlet => makeMemlet(data, fullSubset(dataShape(sdfg.arrays[data]!)), { wcr });
const access = (st: State, data: string): AccessNode =>
  addNode(st, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {} });
function tasklet(st: State, ins: string[], outs: string[], src: string): Node {
  const conns = (names: string[]) => Object.fromEntries(names.map((n) => [n, null]));
  return addNode(st, { kind: 'Tasklet', label: 't', inConnectors: conns(ins), outConnectors: conns(outs), code: { language: 'tasklet', body: parseTasklet(src) } });
}
function mapNodes(st: State, params: string): { entry: Node; exit: Node } {
  const parts = params.split(',').map((p) => p.split('='));
  const map: MapScope = {
    label: 'm', params: parts.map(([p]) => p!.trim()), ranges: parts.map(([, r]) => parseSubset(r!).ranges[0]!),
    schedule: 'Sequential', unroll: false, collapse: 1,
  };
  return {
    entry: addNode(st, { kind: 'MapEntry', label: 'm', map, inConnectors: {}, outConnectors: {} }),
    exit: addNode(st, { kind: 'MapExit', label: 'm', map, inConnectors: {}, outConnectors: {} }),
  };
}
function mapTasklet(sdfg: SDFG, st: State, params: string, ins: Record<string, string>, outs: Record<string, string>, src: string): void {
  const { entry, exit } = mapNodes(st, params);
  const t = tasklet(st, Object.keys(ins), Object.keys(outs), src);
  if (Object.keys(ins).length === 0) addEdge(st, entry, null, t, null, emptyMemlet());
  for (const [conn, spec] of Object.entries(ins)) {
    addEdge(st, access(st, mem(spec).data!), null, entry, `IN_${conn}`, full(sdfg, mem(spec).data!));
    addEdge(st, entry, `OUT_${conn}`, t, conn, mem(spec));
  }
  for (const [conn, spec] of Object.entries(outs)) {
    addEdge(st, t, conn, exit, `IN_${conn}`, mem(spec));
    addEdge(st, exit, `OUT_${conn}`, access(st, mem(spec).data!), null, full(sdfg, mem(spec).data!));
  }
}
function nested(st: State, inner: SDFG, symbolMapping: Record<string, Expr>, ins: string[], outs: string[]): Node {
  const conns = (names: string[]) => Object.fromEntries(names.map((n) => [n, null]));
  return addNode(st, { kind: 'NestedSDFG', label: inner.name, sdfg: inner, symbolMapping, inConnectors: conns(ins), outConnectors: conns(outs) });
}

const N = sym('N'), M = sym('M'), R = sym('R'), C = sym('C');

/** Inner SDFG: win[i, j] = win[i, j] * 2 + i over its R x C array. */
function scaleWindow(): SDFG {
  const inner = createSDFG('scale');
  inner.symbols = { R: i64, C: i64 };
  inner.arrays = { win: makeArray(f64, [R, C]) };
  mapTasklet(inner, addState(inner, 'body'), 'i=0:R, j=0:C', { a: 'win[i, j]' }, { o: 'win[i, j]' }, 'o = a * 2 + f64(i)');
  return inner;
}

describe('targets/reference: nested SDFGs', () => {
  it('operate on a window of the outer array, writing through to it', () => {
    const sdfg = createSDFG('outer');
    sdfg.arrays = { A: makeArray(f64, [6, 8]) };
    const st = addState(sdfg, 'main');
    const node = nested(st, scaleWindow(), { R: int(3), C: int(5) }, ['win'], ['win']);
    addEdge(st, access(st, 'A'), null, node, 'win', mem('A[2:5, 1:6]'));
    addEdge(st, node, 'win', access(st, 'A'), null, mem('A[2:5, 1:6]'));
    fc.assert(fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 48, maxLength: 48 }), (values) => {
      const A = Float64Array.from(values);
      runReference(sdfg, { A });
      const expected = values.map((v, k) => {
        const [i, j] = [Math.floor(k / 8), k % 8];
        return i >= 2 && i < 5 && j >= 1 && j < 6 ? v * 2 + (i - 2) : v;
      });
      assert.deepEqual([...A], expected);
    }), { numRuns: 30 });
  });

  it('see strided windows (every other row of a column) through their own shape', () => {
    const inner = createSDFG('bump');
    inner.symbols = { R: i64 };
    inner.arrays = { v: makeArray(f64, [R]) };
    mapTasklet(inner, addState(inner, 'body'), 'k=0:R', { a: 'v[k]' }, { o: 'v[k]' }, 'o = a + f64(k) * 10');
    const sdfg = createSDFG('outer');
    sdfg.arrays = { A: makeArray(f64, [8, 3]) };
    const st = addState(sdfg, 'main');
    const node = nested(st, inner, { R: int(4) }, ['v'], ['v']);
    addEdge(st, access(st, 'A'), null, node, 'v', mem('A[0:8:2, 1]'));
    addEdge(st, node, 'v', access(st, 'A'), null, mem('A[0:8:2, 1]'));
    const A = new Float64Array(24);
    runReference(sdfg, { A });
    const expected = new Array(24).fill(0);
    [0, 2, 4, 6].forEach((row, k) => { expected[row * 3 + 1] = k * 10; });
    assert.deepEqual([...A], expected);
  });

  it('inside a map: symbols mapped from map parameters, a row per call, a loop region inside (prefix sums)', () => {
    const inner = createSDFG('prefix');
    inner.symbols = { C: i64, k: i64 };
    inner.arrays = { row: makeArray(f64, [C]), scale: makeScalar(f64) };
    const loop = addLoopRegion(inner, 'scan', { loopVariable: 'k', init: x('1'), condition: x('k < C'), update: x('k + 1') });
    const st = addState(loop, 'add');
    const t = tasklet(st, ['p', 'c', 's'], ['o'], 'o = p + c * s');
    addEdge(st, access(st, 'row'), null, t, 'p', mem('row[k - 1]'));
    addEdge(st, access(st, 'row'), null, t, 'c', mem('row[k]'));
    addEdge(st, access(st, 'scale'), null, t, 's', mem('scale[0]'));
    addEdge(st, t, 'o', access(st, 'row'), null, mem('row[k]'));

    const sdfg = createSDFG('rows');
    sdfg.symbols = { N: i64, M: i64 };
    sdfg.arrays = { A: makeArray(f64, [N, M]), w: makeArray(f64, [N]) };
    const main = addState(sdfg, 'main');
    const { entry, exit } = mapNodes(main, 'i=0:N');
    const node = nested(main, inner, { C: M }, ['row', 'scale'], ['row']);
    addEdge(main, access(main, 'A'), null, entry, 'IN_A', full(sdfg, 'A'));
    addEdge(main, access(main, 'w'), null, entry, 'IN_w', full(sdfg, 'w'));
    addEdge(main, entry, 'OUT_A', node, 'row', mem('A[i, 0:M]'));
    addEdge(main, entry, 'OUT_w', node, 'scale', mem('w[i]'));
    addEdge(main, node, 'row', exit, 'IN_A', mem('A[i, 0:M]'));
    addEdge(main, exit, 'OUT_A', access(main, 'A'), null, full(sdfg, 'A'));
    const sizes = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 6 }));
    fc.assert(fc.property(sizes.chain(([n, m]) => fc.tuple(fc.constant(m),
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: n * m, maxLength: n * m }),
      fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }))), ([m, values, weights]) => {
      const A = Float64Array.from(values);
      runReference(sdfg, { A, w: Float64Array.from(weights), M: m });
      const expected = [...values];
      for (let i = 0; i < weights.length; i++) {
        for (let k = 1; k < m; k++) expected[i * m + k] = expected[i * m + k - 1]! + expected[i * m + k]! * weights[i]!;
      }
      assert.deepEqual([...A], expected);
    }), { numRuns: 30 });
  });

  it('outputs on a wcr memlet combine with the outer data', () => {
    const inner = createSDFG('square');
    inner.arrays = { v: makeScalar(f64), acc: makeScalar(f64) };
    const body = addState(inner, 'body');
    const t = tasklet(body, ['a'], ['o'], 'o = a * a');
    addEdge(body, access(body, 'v'), null, t, 'a', mem('v[0]'));
    addEdge(body, t, 'o', access(body, 'acc'), null, mem('acc[0]'));
    const sdfg = createSDFG('sumsq');
    sdfg.arrays = { x: makeArray(f64, [N]), total: makeArray(f64, [1]) };
    const main = addState(sdfg, 'main');
    const { entry, exit } = mapNodes(main, 'i=0:N');
    const node = nested(main, inner, {}, ['v'], ['acc']);
    addEdge(main, access(main, 'x'), null, entry, 'IN_x', full(sdfg, 'x'));
    addEdge(main, entry, 'OUT_x', node, 'v', mem('x[i]'));
    addEdge(main, node, 'acc', exit, 'IN_t', mem('total[0]', { wcr: { op: 'sum' } }));
    addEdge(main, exit, 'OUT_t', access(main, 'total'), null, full(sdfg, 'total', { op: 'sum' }));
    const total = Float64Array.of(1);
    runReference(sdfg, { x: Float64Array.of(1, 2, 3), total });
    assert.equal(total[0], 15);
  });

  it("a connector naming no container inside is 'unknown-connector'", () => {
    const sdfg = createSDFG('outer');
    sdfg.arrays = { A: makeArray(f64, [6, 8]) };
    const st = addState(sdfg, 'main');
    const node = nested(st, scaleWindow(), { R: int(3), C: int(5) }, ['w'], []);
    addEdge(st, access(st, 'A'), null, node, 'w', mem('A[2:5, 1:6]'));
    assert.throws(() => runReference(sdfg, { A: new Float64Array(48) }), (e: unknown) => {
      assert.ok(e instanceof SdfgError);
      assert.equal(e.code, 'unknown-connector');
      assert.equal(e.summary, 'connector w of nested SDFG scale names no non-transient container inside it');
      assert.deepEqual(e.path, { sdfg: 'outer', state: 'main', node: 'scale' });
      return true;
    });
  });

  it("out-of-bounds inside a nested SDFG names the inner path", () => {
    const inner = createSDFG('peek');
    inner.arrays = { v: makeArray(f64, [3]), o: makeScalar(f64) };
    const st = addState(inner, 'body');
    const t = tasklet(st, ['a'], ['r'], 'r = a[3]');
    addEdge(st, access(st, 'v'), null, t, 'a', mem('v[0:3]'));
    addEdge(st, t, 'r', access(st, 'o'), null, mem('o[0]'));
    const sdfg = createSDFG('outer');
    sdfg.arrays = { A: makeArray(f64, [8]) };
    const main = addState(sdfg, 'main');
    const node = nested(main, inner, {}, ['v'], ['o']);
    addEdge(main, access(main, 'A'), null, node, 'v', mem('A[2:5]'));
    addEdge(main, node, 'o', access(main, 'A'), null, mem('A[0]'));
    assert.throws(() => runReference(sdfg, { A: new Float64Array(8) }), (e: unknown) => {
      assert.ok(e instanceof SdfgError);
      assert.equal(e.code, 'out-of-bounds');
      assert.equal(e.summary, 'index [3] is out of bounds for v[0:3] (shape [3])');
      assert.deepEqual(e.path, { sdfg: 'outer/peek', state: 'body', node: 't' });
      return true;
    });
  });
});

