// Tests of library nodes in the reference interpreter: Reduce over axes, MatMul against plain loops, unknown nodes.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addEdge, addNode, addState, createSDFG } from '../../../graph/construct.js';
import { makeArray, makeScalar } from '../../../graph/data.js';
import { f32, f64, i32 } from '../../../graph/dtypes.js';
import { SdfgError } from '../../../graph/errors.js';
import { type Memlet, makeMemlet } from '../../../graph/memlet.js';
import type { AccessNode, LibraryOp } from '../../../graph/nodes.js';
import type { SDFG, State } from '../../../graph/sdfg.js';
import { parseSubset } from '../../../graph/subsets.js';
import { type Expr, sym } from '../../../graph/symbolic.js';
import { runReference } from '../../../targets/reference/index.js';

function mem(spec: string, options: Partial<Omit<Memlet, 'data' | 'subset'>> = {}): Memlet {
  const at = spec.indexOf('[');
  return makeMemlet(spec.slice(0, at), parseSubset(spec.slice(at + 1, -1)), options);
}
const access = (st: State, data: string): AccessNode =>
  addNode(st, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {} });
/** One library node: inputs and outputs are `conn: 'A[0:N]'`. */
function library(op: LibraryOp, arrays: SDFG['arrays'], ins: Record<string, string>, outs: Record<string, string>): SDFG {
  const sdfg = createSDFG('lib');
  sdfg.arrays = arrays;
  const st = addState(sdfg, 'main');
  const node = addNode(st, {
    kind: 'LibraryNode', label: op.name.toLowerCase(), op, implementation: null, schedule: 'Default',
    inConnectors: Object.fromEntries(Object.keys(ins).map((c) => [c, null])), outConnectors: Object.fromEntries(Object.keys(outs).map((c) => [c, null])),
  });
  for (const [conn, spec] of Object.entries(ins)) addEdge(st, access(st, mem(spec).data!), null, node, conn, mem(spec));
  for (const [conn, spec] of Object.entries(outs)) addEdge(st, node, conn, access(st, mem(spec).data!), null, mem(spec));
  return sdfg;
}
const N = sym('N'), M = sym('M'), K = sym('K');
const values = (n: number) => fc.array(fc.integer({ min: -20, max: 20 }), { minLength: n, maxLength: n });
const shape2 = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }));

describe('targets/reference: library nodes', () => {
  describe('Reduce', () => {
    it('sums one axis of a matrix, dropping it or keeping it as 1', () => {
      for (const outShape of [[M], [1, M]] as Expr[][]) {
        const outSubset = outShape.length === 1 ? 'R[0:M]' : 'R[0, 0:M]';
        const sdfg = library({ name: 'Reduce', axes: [0], wcr: { op: 'sum' }, identity: 0 },
          { A: makeArray(f64, [N, M]), R: makeArray(f64, outShape) }, { _in: 'A[0:N, 0:M]' }, { _out: outSubset });
        fc.assert(fc.property(shape2.chain(([n, m]) => fc.tuple(fc.constant(m), values(n * m))), ([m, xs]) => {
          const R = new Float64Array(m);
          runReference(sdfg, { A: Float64Array.from(xs), R, N: xs.length / m });
          const expected = Array.from({ length: m }, (_, j) => xs.filter((_, k) => k % m === j).reduce((a, b) => a + b, 0));
          assert.deepEqual([...R], expected);
        }), { numRuns: 25 });
      }
    });

    it('reduces every axis when axes is null; max without identity starts from the first element', () => {
      const sdfg = library({ name: 'Reduce', axes: null, wcr: { op: 'max' }, identity: null },
        { A: makeArray(i32, [N, M]), r: makeScalar(i32) }, { _in: 'A[0:N, 0:M]' }, { _out: 'r[0]' });
      fc.assert(fc.property(shape2.chain(([n, m]) => fc.tuple(fc.constant(n), values(n * m))), ([n, xs]) => {
        const out = runReference(sdfg, { A: Int32Array.from(xs), r: 0, N: n });
        assert.equal(out.r, Math.max(...xs));
      }), { numRuns: 25 });
    });

    it('reduces the inner axes of a 3-D subset with a custom lambda, combining into the output with its wcr', () => {
      const body = { k: 'binary', op: '+', lhs: { k: 'name', name: 'a' }, rhs: { k: 'binary', op: '*', lhs: { k: 'name', name: 'b' }, rhs: { k: 'name', name: 'b' } } } as const;
      const sdfg = library({ name: 'Reduce', axes: [1, 2], wcr: { op: 'custom', params: ['a', 'b'], body }, identity: 0 },
        { A: makeArray(f64, [3, 2, 2]), R: makeArray(f64, [3]) }, { _in: 'A[0:3, 0:2, 0:2]' }, { _out: 'R[0:3]' });
      const node = sdfg.blocks[0]!;
      if (node.kind === 'State') node.edges.find((e) => e.memlet.data === 'R')!.memlet.wcr = { op: 'sum' };
      const R = Float64Array.of(100, 200, 300);
      runReference(sdfg, { A: Float64Array.from({ length: 12 }, (_, k) => k), R });
      // sum of squares of each 2x2 block, added to what R held
      assert.deepEqual([...R], [100 + 0 + 1 + 4 + 9, 200 + 16 + 25 + 36 + 49, 300 + 64 + 81 + 100 + 121]);
    });

    it("an output of the wrong size is 'shape-mismatch'", () => {
      const sdfg = library({ name: 'Reduce', axes: [1], wcr: { op: 'sum' }, identity: 0 },
        { A: makeArray(f64, [2, 3]), R: makeArray(f64, [3]) }, { _in: 'A[0:2, 0:3]' }, { _out: 'R[0:3]' });
      assert.throws(() => runReference(sdfg, { A: new Float64Array(6), R: new Float64Array(3) }), (e: unknown) => {
        assert.ok(e instanceof SdfgError);
        assert.equal(e.code, 'shape-mismatch');
        assert.equal(e.summary, 'Reduce reduce: reducing axes [1] of shape [2, 3] gives 2 elements, but the output has shape [3]');
        return true;
      });
    });
  });

  describe('MatMul', () => {
    const loop = (a: number[], b: number[], m: number, k: number, n: number): number[] => {
      const c = new Array<number>(m * n).fill(0);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let l = 0; l < k; l++) c[i * n + j] += a[i * k + l]! * b[l * n + j]!;
      return c;
    };
    const dims = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }));

    it('matrix @ matrix, matrix @ vector and vector @ matrix against plain loops', () => {
      const mm = library({ name: 'MatMul', alpha: 1, beta: 0 },
        { A: makeArray(f64, [M, K]), B: makeArray(f64, [K, N]), C: makeArray(f64, [M, N]) },
        { _a: 'A[0:M, 0:K]', _b: 'B[0:K, 0:N]' }, { _c: 'C[0:M, 0:N]' });
      const mv = library({ name: 'MatMul', alpha: 1, beta: 0 },
        { A: makeArray(f64, [M, K]), x: makeArray(f64, [K]), y: makeArray(f64, [M]) },
        { _a: 'A[0:M, 0:K]', _b: 'x[0:K]' }, { _c: 'y[0:M]' });
      const vm = library({ name: 'MatMul', alpha: 1, beta: 0 },
        { x: makeArray(f64, [K]), B: makeArray(f64, [K, N]), y: makeArray(f64, [N]) },
        { _a: 'x[0:K]', _b: 'B[0:K, 0:N]' }, { _c: 'y[0:N]' });
      fc.assert(fc.property(dims.chain(([m, k, n]) => fc.tuple(fc.constant([m, k, n]), values(m * k), values(k * n))), ([[m, k, n], a, b]) => {
        const C = new Float64Array(m * n);
        runReference(mm, { A: Float64Array.from(a), B: Float64Array.from(b), C, M: m, K: k });
        assert.deepEqual([...C], loop(a, b, m, k, n));
        const y = new Float64Array(m);
        runReference(mv, { A: Float64Array.from(a), x: Float64Array.from(b.slice(0, k)), y, M: m });
        assert.deepEqual([...y], loop(a, b.slice(0, k), m, k, 1));
        const z = new Float64Array(n);
        runReference(vm, { x: Float64Array.from(a.slice(0, k)), B: Float64Array.from(b), y: z });
        assert.deepEqual([...z], loop(a.slice(0, k), b, 1, k, n));
      }), { numRuns: 25 });
    });

    it('C = alpha * A @ B + beta * C_in, with C_in from _cin or C itself', () => {
      const arrays = () => ({ A: makeArray(f32, [2, 2]), B: makeArray(f32, [2, 2]), Cin: makeArray(f32, [2, 2]), C: makeArray(f32, [2, 2]) });
      const withCin = library({ name: 'MatMul', alpha: 2, beta: 0.5 }, arrays(),
        { _a: 'A[0:2, 0:2]', _b: 'B[0:2, 0:2]', _cin: 'Cin[0:2, 0:2]' }, { _c: 'C[0:2, 0:2]' });
      const inPlace = library({ name: 'MatMul', alpha: 2, beta: 0.5 }, arrays(), { _a: 'A[0:2, 0:2]', _b: 'B[0:2, 0:2]' }, { _c: 'C[0:2, 0:2]' });
      const A = Float32Array.of(1, 2, 3, 4), B = Float32Array.of(5, 6, 7, 8), Cin = Float32Array.of(10, 20, 30, 40);
      const product = [19, 22, 43, 50];
      const C = new Float32Array(4);
      runReference(withCin, { A, B, Cin, C });
      assert.deepEqual([...C], product.map((p, k) => 2 * p + 0.5 * Cin[k]!));
      const C2 = Float32Array.from(Cin);
      runReference(inPlace, { A, B, Cin, C: C2 });
      assert.deepEqual([...C2], [...C]);
    });

    it("mismatched inner dimensions are 'shape-mismatch'", () => {
      const sdfg = library({ name: 'MatMul', alpha: 1, beta: 0 },
        { A: makeArray(f64, [2, 3]), B: makeArray(f64, [2, 2]), C: makeArray(f64, [2, 2]) },
        { _a: 'A[0:2, 0:3]', _b: 'B[0:2, 0:2]' }, { _c: 'C[0:2, 0:2]' });
      assert.throws(() => runReference(sdfg, { A: new Float64Array(6), B: new Float64Array(4), C: new Float64Array(4) }), (e: unknown) =>
        e instanceof SdfgError && e.code === 'shape-mismatch' && e.summary === 'MatMul matmul: inner dimensions differ: [2, 3] @ [2, 2]');
    });
  });

  it("an Unknown library node is 'unsupported-node', naming its classpath", () => {
    const sdfg = library({ name: 'Unknown', classpath: 'dace.libraries.fft.FFT', attributes: {} },
      { A: makeArray(f64, [4]) }, { _in: 'A[0:4]' }, {});
    assert.throws(() => runReference(sdfg, { A: new Float64Array(4) }), (e: unknown) => {
      assert.ok(e instanceof SdfgError);
      assert.equal(e.code, 'unsupported-node');
      assert.equal(e.summary, 'library node unknown (dace.libraries.fft.FFT) is not known to the reference interpreter');
      assert.deepEqual(e.path, { sdfg: 'lib', state: 'main', node: 'unknown' });
      return true;
    });
  });
});
