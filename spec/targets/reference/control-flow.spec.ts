// Tests of the reference interpreter's control flow: loop regions, conditional blocks, interstate edges over
// symbols and data, late-sized transients.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addBranch, addConditionalBlock, addEdge, addInterstateEdge, addLoopRegion, addNode, addState, createSDFG,
} from '../../../graph/construct.js';
import { dataShape, makeArray, makeScalar } from '../../../graph/data.js';
import { f64, i32, i64 } from '../../../graph/dtypes.js';
import { SdfgError } from '../../../graph/errors.js';
import { type Memlet, emptyMemlet, makeMemlet } from '../../../graph/memlet.js';
import type { AccessNode, MapScope, Node } from '../../../graph/nodes.js';
import type { SDFG, State } from '../../../graph/sdfg.js';
import { fullSubset, parseSubset } from '../../../graph/subsets.js';
import { sym } from '../../../graph/symbolic.js';
import { parseTasklet, parseTaskletExpr as x } from '../../../dsl/tasklet-parser.js';
import { runReference } from '../../../targets/reference/index.js';

// ---- small graph-building helpers (as in interpreter.spec.ts) --------------------------------

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
function mapTasklet(sdfg: SDFG, st: State, params: string, ins: Record<string, string>, outs: Record<string, string>, src: string): void {
  const parts = params.split(',').map((p) => p.split('='));
  const map: MapScope = {
    label: 'm', params: parts.map(([p]) => p!.trim()), ranges: parts.map(([, r]) => parseSubset(r!).ranges[0]!),
    schedule: 'CPU_Multicore', unroll: false, collapse: 1,
  };
  const entry = addNode(st, { kind: 'MapEntry', label: 'm', map, inConnectors: {}, outConnectors: {} });
  const exit = addNode(st, { kind: 'MapExit', label: 'm', map, inConnectors: {}, outConnectors: {} });
  const t = tasklet(st, Object.keys(ins), Object.keys(outs), src);
  if (Object.keys(ins).length === 0) addEdge(st, entry, null, t, null, emptyMemlet()); // keeps the tasklet inside the map
  const sources = new Map<string, AccessNode>();
  for (const [conn, spec] of Object.entries(ins)) {
    const inner = mem(spec);
    if (!sources.has(inner.data!)) sources.set(inner.data!, access(st, inner.data!));
    addEdge(st, sources.get(inner.data!)!, null, entry, `IN_${conn}`, full(sdfg, inner.data!));
    addEdge(st, entry, `OUT_${conn}`, t, conn, inner);
  }
  for (const [conn, spec] of Object.entries(outs)) {
    const inner = mem(spec);
    addEdge(st, t, conn, exit, `IN_${conn}`, inner);
    addEdge(st, exit, `OUT_${conn}`, access(st, inner.data!), null, full(sdfg, inner.data!));
  }
}
/** A state with one tasklet and no map. */
function single(st: State, ins: Record<string, string>, outs: Record<string, string>, src: string): void {
  const t = tasklet(st, Object.keys(ins), Object.keys(outs), src);
  for (const [conn, spec] of Object.entries(ins)) addEdge(st, access(st, mem(spec).data!), null, t, conn, mem(spec));
  for (const [conn, spec] of Object.entries(outs)) addEdge(st, t, conn, access(st, mem(spec).data!), null, mem(spec));
}

const N = sym('N');

describe('targets/reference: control flow', () => {
  it('a Jacobi stencil in a time loop, swapping buffers through an interstate-assigned symbol', () => {
    // buf[cur] holds the current grid; each step writes buf[1 - cur], then `cur = 1 - cur` on the edge to the next.
    const sdfg = createSDFG('jacobi');
    sdfg.symbols = { N: i64, T: i64, cur: i64 };
    sdfg.arrays = { A: makeArray(f64, [N, N]), buf: makeArray(f64, [2, N, N], { transient: true }) };
    const init = addState(sdfg, 'init');
    const a = access(init, 'A');
    addEdge(init, a, null, access(init, 'buf'), null, mem('A[0:N, 0:N]', { otherSubset: parseSubset('0, 0:N, 0:N') }));
    addEdge(init, a, null, access(init, 'buf'), null, mem('A[0:N, 0:N]', { otherSubset: parseSubset('1, 0:N, 0:N') }));
    const loop = addLoopRegion(sdfg, 'time', { loopVariable: 't', init: x('0'), condition: x('t < T'), update: x('t + 1') });
    const step = addState(loop, 'step');
    mapTasklet(sdfg, step, 'i=1:N-1, j=1:N-1',
      { c: 'buf[cur, i, j]', u: 'buf[cur, i-1, j]', d: 'buf[cur, i+1, j]', l: 'buf[cur, i, j-1]', r: 'buf[cur, i, j+1]' },
      { o: 'buf[1-cur, i, j]' }, 'o = 0.2 * (c + u + d + l + r)');
    const swap = addState(loop, 'swap');
    addInterstateEdge(loop, step, swap, { assignments: { cur: x('1 - cur') } });
    const done = addState(sdfg, 'done');
    addEdge(done, access(done, 'buf'), null, access(done, 'A'), null, mem('buf[cur, 0:N, 0:N]', { otherSubset: parseSubset('0:N, 0:N') }));
    addInterstateEdge(sdfg, init, loop, { assignments: { cur: x('0') } });
    addInterstateEdge(sdfg, loop, done);

    const plain = (grid: number[], n: number, steps: number): number[] => {
      let now = [...grid];
      for (let t = 0; t < steps; t++) {
        const next = [...now];
        for (let i = 1; i < n - 1; i++) {
          for (let j = 1; j < n - 1; j++) {
            const at = (p: number, q: number) => now[p * n + q]!;
            next[i * n + j] = 0.2 * (at(i, j) + at(i - 1, j) + at(i + 1, j) + at(i, j - 1) + at(i, j + 1));
          }
        }
        now = next;
      }
      return now;
    };
    const grids = fc.integer({ min: 1, max: 7 }).chain((n) =>
      fc.tuple(fc.constant(n), fc.integer({ min: 0, max: 5 }), fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n * n, maxLength: n * n })));
    fc.assert(fc.property(grids, ([n, steps, values]) => {
      const A = Float64Array.from(values);
      runReference(sdfg, { A, N: n, T: steps });
      assert.deepEqual([...A], plain(values, n, steps));
    }), { numRuns: 40 });
  });

  it('a conditional block takes the first branch whose condition holds, reading a scalar container', () => {
    const sdfg = createSDFG('branch');
    sdfg.arrays = { flag: makeScalar(i32), R: makeArray(f64, [1]) };
    const cond = addConditionalBlock(sdfg, 'if');
    single(addState(addBranch(cond, x('flag > 10')), 'big'), {}, { o: 'R[0]' }, 'o = 1');
    single(addState(addBranch(cond, x('flag > 0')), 'small'), {}, { o: 'R[0]' }, 'o = 2');
    single(addState(addBranch(cond, null), 'else'), {}, { o: 'R[0]' }, 'o = 3');
    for (const [flag, expected] of [[11, 1], [10, 2], [1, 2], [0, 3], [-5, 3]] as const) {
      const R = new Float64Array(1);
      runReference(sdfg, { flag, R });
      assert.equal(R[0], expected, `flag=${flag}`);
    }
  });

  it('interstate assignments read scalar containers and array elements, and size late transients', () => {
    // n = count; lim = row_ptr[n] (CSR-style), then a transient of size lim is filled and copied out.
    const sdfg = createSDFG('csr');
    sdfg.symbols = { N: i64, n: i64, lim: i64 };
    sdfg.arrays = {
      count: makeScalar(i32), row_ptr: makeArray(i32, [N]), out: makeArray(f64, [8]),
      tmp: makeArray(f64, [sym('lim')], { transient: true }),
    };
    const s0 = addState(sdfg, 's0'), s1 = addState(sdfg, 's1'), s2 = addState(sdfg, 's2');
    mapTasklet(sdfg, s2, 'i=0:lim', {}, { o: 'tmp[i]' }, 'o = f64(i * i)');
    addEdge(s2, access(s2, 'tmp'), null, access(s2, 'out'), null, mem('tmp[0:lim]', { otherSubset: parseSubset('0:lim') }));
    addInterstateEdge(sdfg, s0, s1, { assignments: { n: x('count') } });
    addInterstateEdge(sdfg, s1, s2, { assignments: { lim: x('row_ptr[n]') } });
    const out = new Float64Array(8);
    runReference(sdfg, { count: 2, row_ptr: Int32Array.of(0, 3, 5, 8), out });
    assert.deepEqual([...out], [0, 1, 4, 9, 16, 0, 0, 0]);
  });

  it('interstate assignments are evaluated first, then applied together', () => {
    const sdfg = createSDFG('swap');
    sdfg.symbols = { a: i64, b: i64 };
    sdfg.arrays = { R: makeArray(i64, [2]) };
    const s0 = addState(sdfg, 's0');
    const s1 = addState(sdfg, 's1');
    single(s1, {}, { p: 'R[0]', q: 'R[1]' }, 'p = a; q = b');
    addInterstateEdge(sdfg, s0, s1, { assignments: { a: x('b'), b: x('a') } });
    const R = new BigInt64Array(2);
    runReference(sdfg, { a: 1, b: 2, R });
    assert.deepEqual([...R], [2n, 1n]);
  });

  it('the first enabled out-edge in id order is taken; a block without one ends the region', () => {
    const sdfg = createSDFG('edges');
    sdfg.arrays = { R: makeArray(f64, [3]) };
    const s0 = addState(sdfg, 's0');
    const targets = [0, 1, 2].map((k) => {
      const st = addState(sdfg, `s${k + 1}`);
      single(st, {}, { o: `R[${k}]` }, 'o = 1');
      return st;
    });
    addInterstateEdge(sdfg, s0, targets[0]!, { condition: x('false') });
    addInterstateEdge(sdfg, s0, targets[1]!, { condition: x('1 < 2') });
    addInterstateEdge(sdfg, s0, targets[2]!);
    const R = new Float64Array(3);
    runReference(sdfg, { R });
    assert.deepEqual([...R], [0, 1, 0]);
  });

  it('while loops (no variable) and do-while loops (inverted) test data', () => {
    const build = (inverted: boolean): SDFG => {
      const sdfg = createSDFG('while');
      sdfg.arrays = { v: makeArray(f64, [1]) };
      const loop = addLoopRegion(sdfg, 'grow', { loopVariable: null, init: null, condition: x('v[0] < 100'), update: null, inverted });
      single(addState(loop, 'double'), { a: 'v[0]' }, { o: 'v[0]' }, 'o = a * 2 + 1');
      return sdfg;
    };
    for (const [inverted, start, expected] of [[false, 3, 127], [false, 500, 500], [true, 500, 1001], [true, 3, 127]] as const) {
      const v = Float64Array.of(start);
      runReference(build(inverted), { v });
      assert.equal(v[0], expected, `inverted=${inverted} start=${start}`);
    }
  });

  it('loop variables count with init, condition and update (stepping by 3, downwards)', () => {
    const sdfg = createSDFG('count');
    sdfg.arrays = { R: makeArray(i64, [10]) };
    const loop = addLoopRegion(sdfg, 'down', { loopVariable: 'k', init: x('9'), condition: x('k >= 0'), update: x('k - 3') });
    single(addState(loop, 'mark'), {}, { o: 'R[k]' }, 'o = k + 1');
    const R = new BigInt64Array(10);
    runReference(sdfg, { R });
    assert.deepEqual([...R], [1n, 0n, 0n, 4n, 0n, 0n, 7n, 0n, 0n, 10n]);
  });

  it("a symbol read before any assignment is 'undefined-symbol'", () => {
    const sdfg = createSDFG('undef');
    sdfg.symbols = { later: i64 };
    sdfg.arrays = { R: makeArray(f64, [1]) };
    const s0 = addState(sdfg, 's0'), s1 = addState(sdfg, 's1');
    addInterstateEdge(sdfg, s0, s1, { condition: x('later > 0') });
    addInterstateEdge(sdfg, s1, s0, { assignments: { later: x('later - 1') } });
    // Assigned by the program, so optional: given, it is the starting value (3 trips around s0 -> s1 -> s0).
    runReference(sdfg, { R: new Float64Array(1), later: 3 });
    assert.throws(() => runReference(sdfg, { R: new Float64Array(1) }), (e: unknown) => {
      assert.ok(e instanceof SdfgError);
      assert.equal(e.code, 'undefined-symbol');
      assert.equal(e.summary, 'symbol later has no value here');
      assert.deepEqual(e.path, { sdfg: 'undef', edge: 's0 -> s1' });
      return true;
    });
  });
});
