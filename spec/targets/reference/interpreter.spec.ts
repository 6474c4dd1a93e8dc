// Tests of the reference interpreter's dataflow: maps, tasklets, write-conflict resolution, copies, setzero, errors.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addEdge, addNode, addState, createSDFG } from '../../../graph/construct.js';
import { type ViewDesc, dataShape, makeArray, makeScalar } from '../../../graph/data.js';
import { f32, f64, i32, i64 } from '../../../graph/dtypes.js';
import { SdfgError, TaskletError } from '../../../graph/errors.js';
import { type Memlet, type Wcr, makeMemlet } from '../../../graph/memlet.js';
import type { AccessNode, MapScope, Node } from '../../../graph/nodes.js';
import type { SDFG, State } from '../../../graph/sdfg.js';
import { fullSubset, parseSubset } from '../../../graph/subsets.js';
import { sym } from '../../../graph/symbolic.js';
import { parseTasklet } from '../../../dsl/tasklet-parser.js';
import { runReference } from '../../../targets/reference/index.js';

// ---- small graph-building helpers ------------------------------------------------------------

/** `A[i, j]` → a memlet on A with that subset. */
function mem(spec: string, options: Partial<Omit<Memlet, 'data' | 'subset'>> = {}): Memlet {
  const at = spec.indexOf('[');
  return makeMemlet(spec.slice(0, at), parseSubset(spec.slice(at + 1, -1)), options);
}
const full = (sdfg: SDFG, data: string, options: Partial<Omit<Memlet, 'data' | 'subset'>> = {}): Memlet =>
  makeMemlet(data, fullSubset(dataShape(sdfg.arrays[data]!)), options);
const access = (st: State, data: string, setzero = false): AccessNode =>
  addNode(st, { kind: 'AccessNode', label: data, data, setzero, inConnectors: {}, outConnectors: {} });
function tasklet(st: State, ins: string[], outs: string[], src: string, label = 't'): Node {
  const conns = (names: string[]) => Object.fromEntries(names.map((n) => [n, null]));
  return addNode(st, { kind: 'Tasklet', label, inConnectors: conns(ins), outConnectors: conns(outs), code: { language: 'tasklet', body: parseTasklet(src) } });
}
/** `i=0:N, j=0:M` → a map entry and exit sharing one scope. */
function mapNodes(st: State, params: string): { entry: Node; exit: Node } {
  const parts = params.split(',').map((p) => p.split('='));
  const map: MapScope = {
    label: 'm', params: parts.map(([p]) => p!.trim()), ranges: parts.map(([, r]) => parseSubset(r!).ranges[0]!),
    schedule: 'Sequential', unroll: false, collapse: 1,
  };
  const entry = addNode(st, { kind: 'MapEntry', label: 'm', map, inConnectors: {}, outConnectors: {} });
  const exit = addNode(st, { kind: 'MapExit', label: 'm', map, inConnectors: {}, outConnectors: {} });
  return { entry, exit };
}
/** One tasklet in a map: inputs and outputs are `conn: 'A[i]'`; outer memlets cover whole containers. */
function mapTasklet(
  sdfg: SDFG, st: State, params: string, ins: Record<string, string>, outs: Record<string, string>, src: string,
  wcr: Record<string, Wcr> = {},
): Node {
  const { entry, exit } = mapNodes(st, params);
  const t = tasklet(st, Object.keys(ins), Object.keys(outs), src);
  for (const [conn, spec] of Object.entries(ins)) {
    const inner = mem(spec);
    addEdge(st, access(st, inner.data!), null, entry, `IN_${conn}`, full(sdfg, inner.data!));
    addEdge(st, entry, `OUT_${conn}`, t, conn, inner);
  }
  for (const [conn, spec] of Object.entries(outs)) {
    const inner = mem(spec, { wcr: wcr[conn] ?? null });
    addEdge(st, t, conn, exit, `IN_${conn}`, inner);
    addEdge(st, exit, `OUT_${conn}`, access(st, inner.data!), null, full(sdfg, inner.data!, { wcr: wcr[conn] ?? null }));
  }
  return t;
}
function throwsTarget(run: () => unknown, code: string, message: string, check: (e: SdfgError) => void = () => {}): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof SdfgError, `expected an SdfgError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.summary, message);
    check(e);
    return true;
  });
}

const N = sym('N'), M = sym('M');
const doubles = (n: number) => fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: n, maxLength: n });

// ---- tests -----------------------------------------------------------------------------------

describe('targets/reference: dataflow', () => {
  it('axpy: y = a*x + y over a map, on random inputs', () => {
    const sdfg = createSDFG('axpy');
    sdfg.symbols = { N: i64 };
    sdfg.arrays = { a: makeScalar(f64), x: makeArray(f64, [N]), y: makeArray(f64, [N]) };
    const st = addState(sdfg, 's');
    mapTasklet(sdfg, st, 'i=0:N', { s: 'a[0]', xi: 'x[i]', yi: 'y[i]' }, { out: 'y[i]' }, 'out = s * xi + yi');
    fc.assert(fc.property(fc.integer({ min: 0, max: 40 }).chain((n) => fc.tuple(fc.double({ noNaN: true, min: -10, max: 10 }), doubles(n), doubles(n))), ([a, xs, ys]) => {
      const x = Float64Array.from(xs), y = Float64Array.from(ys);
      const expected = ys.map((v, i) => a * xs[i]! + v);
      const out = runReference(sdfg, { a, x, y });
      assert.equal(out.y, y);
      assert.deepEqual([...y], expected);
    }), { numRuns: 50 });
  });

  it('dot product: a wcr sum into an output scalar, returned by run', () => {
    const sdfg = createSDFG('dot');
    sdfg.arrays = { x: makeArray(f64, [N]), y: makeArray(f64, [N]), res: makeScalar(f64) };
    const st = addState(sdfg, 's');
    mapTasklet(sdfg, st, 'i=0:N', { a: 'x[i]', b: 'y[i]' }, { r: 'res[0]' }, 'r = a * b', { r: { op: 'sum' } });
    fc.assert(fc.property(fc.integer({ min: 0, max: 30 }).chain((n) => fc.tuple(doubles(n), doubles(n))), ([xs, ys]) => {
      let expected = 0.5;
      xs.forEach((v, i) => { expected += v * ys[i]!; });
      const out = runReference(sdfg, { x: Float64Array.from(xs), y: Float64Array.from(ys), res: 0.5 });
      assert.equal(out.res, expected);
    }), { numRuns: 50 });
  });

  it('min and max wcr on int32 data', () => {
    const sdfg = createSDFG('minmax');
    sdfg.arrays = { A: makeArray(i32, [N]), lo: makeArray(i32, [1]), hi: makeArray(i32, [1]) };
    const st = addState(sdfg, 's');
    mapTasklet(sdfg, st, 'i=0:N', { a: 'A[i]' }, { l: 'lo[0]', h: 'hi[0]' }, 'l = a; h = a', { l: { op: 'min' }, h: { op: 'max' } });
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 30 }), (values) => {
      const lo = Int32Array.of(2 ** 31 - 1), hi = Int32Array.of(-(2 ** 31));
      runReference(sdfg, { A: Int32Array.from(values), lo, hi });
      assert.equal(lo[0], Math.min(...values));
      assert.equal(hi[0], Math.max(...values));
    }), { numRuns: 50 });
  });

  it('a custom wcr lambda combines writes', () => {
    const sdfg = createSDFG('absmax');
    sdfg.arrays = { A: makeArray(f64, [N]), r: makeArray(f64, [1]) };
    const st = addState(sdfg, 's');
    const body = { k: 'call', fn: 'max', args: [{ k: 'call', fn: 'abs', args: [{ k: 'name', name: 'p' }] }, { k: 'call', fn: 'abs', args: [{ k: 'name', name: 'q' }] }] } as const;
    mapTasklet(sdfg, st, 'i=0:N', { a: 'A[i]' }, { o: 'r[0]' }, 'o = a', { o: { op: 'custom', params: ['p', 'q'], body } });
    const r = Float64Array.of(0);
    runReference(sdfg, { A: Float64Array.of(1, -7, 3), r });
    assert.equal(r[0], 7);
  });

  it('2-D maps run row-major and infer both symbols from the arrays', () => {
    const sdfg = createSDFG('add2d');
    sdfg.symbols = { N: i64, M: i64 };
    sdfg.arrays = { A: makeArray(f64, [N, M]), v: makeArray(f64, [M]), B: makeArray(f64, [N, M]), order: makeArray(i64, [N, M]), k: makeArray(i64, [1]) };
    const st = addState(sdfg, 's');
    mapTasklet(sdfg, st, 'i=0:N, j=0:M', { a: 'A[i, j]', b: 'v[j]' }, { o: 'B[i, j]' }, 'o = a + b + f64(i * 100 + j)');
    const A = Float64Array.from({ length: 12 }, (_, k) => k), v = Float64Array.of(10, 20, 30, 40), B = new Float64Array(12);
    const out = runReference(sdfg, { A, v, B, order: new BigInt64Array(12), k: new BigInt64Array(1) });
    assert.deepEqual([...B], [...A].map((a, k) => a + v[k % 4]! + Math.floor(k / 4) * 100 + (k % 4)));
    assert.equal(out.B, B);
  });

  it('copies between access nodes: subset to otherSubset, same-shape defaults, whole extents', () => {
    const sdfg = createSDFG('copies');
    sdfg.arrays = {
      A: makeArray(f64, [6]), B: makeArray(f64, [6]), C: makeArray(f64, [3]),
      P: makeArray(f64, [3, 3]), Q: makeArray(f64, [2, 2]), R: makeArray(f64, [3, 3]),
    };
    const st = addState(sdfg, 's');
    // A[1:4] -> B[3:6] (otherSubset); A -> C: C's whole extent receives A[2:5]; P[1:3, 0:2] -> Q whole; P -> R same shape.
    addEdge(st, access(st, 'A'), null, access(st, 'B'), null, mem('A[1:4]', { otherSubset: parseSubset('3:6') }));
    addEdge(st, access(st, 'A'), null, access(st, 'C'), null, mem('A[2:5]'));
    addEdge(st, access(st, 'P'), null, access(st, 'Q'), null, mem('P[1:3, 0:2]'));
    addEdge(st, access(st, 'P'), null, access(st, 'R'), null, mem('P[0:3:2, 1]'));
    const A = Float64Array.of(0, 1, 2, 3, 4, 5), B = new Float64Array(6), C = new Float64Array(3);
    const P = Float64Array.from({ length: 9 }, (_, k) => k + 1), Q = new Float64Array(4), R = new Float64Array(9);
    runReference(sdfg, { A, B, C, P, Q, R });
    assert.deepEqual([...B], [0, 0, 0, 1, 2, 3]);
    assert.deepEqual([...C], [2, 3, 4]);
    assert.deepEqual([...Q], [4, 5, 7, 8]);
    assert.deepEqual([...R], [0, 2, 0, 0, 0, 0, 0, 8, 0]);
  });

  it('a copy with mismatched element counts is an error', () => {
    const sdfg = createSDFG('bad');
    sdfg.arrays = { A: makeArray(f64, [4]), C: makeArray(f64, [3]) };
    const st = addState(sdfg, 's');
    addEdge(st, access(st, 'A'), null, access(st, 'C'), null, mem('A[0:4]'));
    throwsTarget(() => runReference(sdfg, { A: new Float64Array(4), C: new Float64Array(3) }), 'copy-shape-mismatch',
      'cannot copy A[0:4] (4 elements) to C[0:3] (3 elements)');
  });

  it('setzero zeroes the data before the first write in the state, then wcr accumulates', () => {
    const sdfg = createSDFG('hist');
    sdfg.arrays = { A: makeArray(i32, [N]), H: makeArray(i32, [4]) };
    const st = addState(sdfg, 's');
    const { entry, exit } = mapNodes(st, 'i=0:N');
    const t = tasklet(st, ['a'], ['h'], 'h[a % 4] = 1');
    addEdge(st, access(st, 'A'), null, entry, 'IN_a', full(sdfg, 'A'));
    addEdge(st, entry, 'OUT_a', t, 'a', mem('A[i]'));
    addEdge(st, t, 'h', exit, 'IN_h', mem('H[0:4]', { wcr: { op: 'sum' }, dynamic: true }));
    addEdge(st, exit, 'OUT_h', access(st, 'H', true), null, full(sdfg, 'H', { wcr: { op: 'sum' } }));
    const H = Int32Array.of(100, 100, 100, 100);
    runReference(sdfg, { A: Int32Array.of(0, 1, 1, 2, 3, 3, 3, 7), H });
    assert.deepEqual([...H], [1, 2, 1, 4]);
  });

  it('tasklet code: locals, loops, branches, C integer semantics and 64-bit data', () => {
    const sdfg = createSDFG('code');
    sdfg.arrays = { A: makeArray(i32, [N]), B: makeArray(i64, [N]), C: makeArray(f32, [N]), W: makeArray(i32, [N]) };
    const st = addState(sdfg, 's');
    mapTasklet(sdfg, st, 'i=0:N', { a: 'A[i]' }, { b: 'B[i]', c: 'C[i]', w: 'W[i]' }, [
      'let s: i64 = 0',
      'for (k in 0:4) { if (k % 2 == 0) { s += i64(a) * 3000000000 } else { s -= 1 } }',
      'b = s',
      'c = f32(a / 7) + 0.1',
      'w = a * 2147483647',
    ].join('\n'));
    const A = Int32Array.of(-20, 0, 20, 1000000), B = new BigInt64Array(4), C = new Float32Array(4);
    const W = new Int32Array(4);
    runReference(sdfg, { A, B, C, W });
    assert.deepEqual([...B], [...A].map((a) => BigInt(a) * 6000000000n - 2n));
    assert.deepEqual([...W], [...A].map((a) => Math.imul(a, 2147483647)));
    assert.deepEqual([...C], [...A].map((a) => Math.fround(Math.trunc(a / 7) + Math.fround(0.1))));
  });

  it('an output on a dynamic memlet that the code does not assign writes nothing', () => {
    const sdfg = createSDFG('relu');
    sdfg.arrays = { A: makeArray(f64, [N]), B: makeArray(f64, [N]) };
    const st = addState(sdfg, 's');
    const { entry, exit } = mapNodes(st, 'i=0:N');
    const t = tasklet(st, ['a'], ['b'], 'if (a > 0) { b = a }');
    addEdge(st, access(st, 'A'), null, entry, 'IN_a', full(sdfg, 'A'));
    addEdge(st, entry, 'OUT_a', t, 'a', mem('A[i]'));
    addEdge(st, t, 'b', exit, 'IN_b', mem('B[i]', { dynamic: true }));
    addEdge(st, exit, 'OUT_b', access(st, 'B'), null, full(sdfg, 'B'));
    const B = Float64Array.of(9, 9, 9);
    runReference(sdfg, { A: Float64Array.of(-1, 2, -3), B });
    assert.deepEqual([...B], [9, 2, 9]);
  });

  it('array-valued connectors are views indexed from the subset begin', () => {
    const sdfg = createSDFG('rows');
    sdfg.arrays = { A: makeArray(f64, [N, M]), S: makeArray(f64, [N]) };
    sdfg.symbols = { N: i64, M: i64 };
    const st = addState(sdfg, 's');
    mapTasklet(sdfg, st, 'i=0:N', { row: 'A[i, 1:M]' }, { s: 'S[i]' }, 's = 0\nfor (k in 0:M - 1) { s += row[k] }');
    const S = new Float64Array(2);
    runReference(sdfg, { A: Float64Array.of(1, 2, 3, 4, 5, 6), S });
    assert.deepEqual([...S], [5, 11]);
  });

  it('views reinterpret a subset of another container, for reads and for writes', () => {
    const sdfg = createSDFG('views');
    const view = (shape: number[]): ViewDesc => ({ ...makeArray(f64, shape, { transient: true }), kind: 'View' });
    sdfg.arrays = { A: makeArray(f64, [8]), B: makeArray(f64, [2, 3]), C: makeArray(f64, [7]), V: view([2, 3]), W: view([3, 2]) };
    const st = addState(sdfg, 's');
    const { entry, exit } = mapNodes(st, 'i=0:2, j=0:3');
    const t = tasklet(st, ['v'], ['b', 'w'], 'b = v * 10; w = f64(i * 3 + j)');
    const v = access(st, 'V');
    addEdge(st, access(st, 'A'), null, v, null, mem('A[2:8]'));
    addEdge(st, v, null, entry, 'IN_v', full(sdfg, 'V'));
    addEdge(st, entry, 'OUT_v', t, 'v', mem('V[i, j]'));
    addEdge(st, t, 'b', exit, 'IN_b', mem('B[i, j]'));
    addEdge(st, exit, 'OUT_b', access(st, 'B'), null, full(sdfg, 'B'));
    // W (3 x 2) views C[1:7]; the tasklet writes W row-major position i*3+j, transposed into W's shape.
    addEdge(st, t, 'w', exit, 'IN_w', mem('W[(i * 3 + j) // 2, (i * 3 + j) % 2]'));
    const w = access(st, 'W');
    addEdge(st, exit, 'OUT_w', w, null, full(sdfg, 'W'));
    addEdge(st, w, null, access(st, 'C'), null, mem('C[1:7]'));
    const A = Float64Array.of(0, 1, 2, 3, 4, 5, 6, 7), B = new Float64Array(6), C = new Float64Array(7);
    runReference(sdfg, { A, B, C });
    assert.deepEqual([...B], [20, 30, 40, 50, 60, 70]);
    assert.deepEqual([...C], [0, 0, 1, 2, 3, 4, 5]);
  });

  describe('errors', () => {
    function shifted(src: string, inner: string): SDFG {
      const sdfg = createSDFG('shift');
      sdfg.arrays = { A: makeArray(f64, [N]), B: makeArray(f64, [N]) };
      const st = addState(sdfg, 'main');
      mapTasklet(sdfg, st, 'i=0:N', { a: inner }, { b: 'B[i]' }, src);
      return sdfg;
    }

    it("'out-of-bounds' for a memlet subset outside the data, naming the data, the index and the node", () => {
      throwsTarget(() => runReference(shifted('b = a', 'A[i + 1]'), { A: new Float64Array(4), B: new Float64Array(4) }),
        'out-of-bounds', 'subset A[4] is out of bounds for A (shape [4])',
        (e) => assert.deepEqual(e.path, { sdfg: 'shift', state: 'main', node: 't' }));
    });

    it("'out-of-bounds' for an index the tasklet computes", () => {
      throwsTarget(() => runReference(shifted('b = a[i + 1]', 'A[0:N]'), { A: new Float64Array(4), B: new Float64Array(4) }),
        'out-of-bounds', 'index [4] is out of bounds for A[0:4] (shape [4])',
        (e) => assert.deepEqual(e.path, { sdfg: 'shift', state: 'main', node: 't' }));
    });

    it('integer division by zero is a TaskletError with the node path', () => {
      const sdfg = createSDFG('div');
      sdfg.arrays = { A: makeArray(i32, [N]), B: makeArray(i32, [N]) };
      mapTasklet(sdfg, addState(sdfg, 'main'), 'i=0:N', { a: 'A[i]' }, { b: 'B[i]' }, 'b = 10 / a');
      assert.throws(() => runReference(sdfg, { A: Int32Array.of(1, 0), B: new Int32Array(2) }), (e: unknown) =>
        e instanceof TaskletError && e.code === 'division-by-zero' && e.path?.node === 't');
    });

    it("'unsupported-tasklet-language' for raw code", () => {
      const sdfg = createSDFG('raw');
      sdfg.arrays = { A: makeArray(f64, [1]) };
      const st = addState(sdfg, 'main');
      const t = addNode(st, { kind: 'Tasklet', label: 'cpp', inConnectors: {}, outConnectors: { o: null }, code: { language: 'CPP', source: 'o = 1;' } });
      addEdge(st, t, 'o', access(st, 'A'), null, mem('A[0]'));
      throwsTarget(() => runReference(sdfg, { A: new Float64Array(1) }), 'unsupported-tasklet-language',
        'tasklet cpp is written in CPP, which the reference interpreter cannot run');
    });

    it("'unknown-data' for a memlet on a container the SDFG lacks, never a raw exception", () => {
      const sdfg = createSDFG('ghost');
      sdfg.arrays = { A: makeArray(f64, [1]) };
      const st = addState(sdfg, 'main');
      const t = tasklet(st, ['g'], ['o'], 'o = g');
      addEdge(st, t, 'o', access(st, 'A'), null, mem('A[0]'));
      addEdge(st, access(st, 'A'), null, t, 'g', mem('Ghost[0]'));
      throwsTarget(() => runReference(sdfg, { A: new Float64Array(1) }), 'unknown-data', 'no container named Ghost in SDFG ghost',
        (e) => assert.equal(e.path?.node, 't'));
      const plain = createSDFG('ghost2');
      plain.arrays = { A: makeArray(f64, [1]) };
      const st2 = addState(plain, 'main');
      addEdge(st2, access(st2, 'A'), null, access(st2, 'A'), null, mem('Ghost[0]'));
      throwsTarget(() => runReference(plain, { A: new Float64Array(1) }), 'memlet-data-mismatch', 'the memlet of a copy from A to A names Ghost');
    });

    it('argument errors come before running', () => {
      throwsTarget(() => runReference(shifted('b = a', 'A[i]'), { A: new Float64Array(4), B: new Float64Array(3) }),
        'wrong-length', 'B has 3 elements, expected N = 4 (N=4)');
    });
  });
});

describe('reference interpreter: index offsets', () => {
  it('refuses arrays with non-zero index offsets instead of guessing', async () => {
    const { program, symbol, array, f64, TargetError } = await import('../../../index.js');
    const p = program('shifted', { N: symbol, x: array(f64, ['N']) }, (b, { N, x }) => {
      b.map`i = 0:${N}`.tasklet({ v: x.at`i` }, { o: x.at`i` })`o = v + 1`;
    });
    (p.sdfg.arrays.x as { offset: unknown[] }).offset = [(await import('../../../graph/symbolic.js')).int(-1)];
    assert.throws(() => p.run({ x: new Float64Array(3) }), (e: unknown) => e instanceof TargetError && e.code === 'unsupported-offset'
      && e.summary === 'x has index offsets [-1], which the reference interpreter does not support yet');
  });
});
