// TrivialMapElimination: exact text after removing one-iteration dimensions and whole maps, refusals, differential runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, int, printSDFG, type Expr } from '../../../index.js';
import { cloneSDFG } from '../../../graph/clone.js';
import { trivialMapElimination } from '../../../passes/transformations/trivial-map-elimination.js';
import { applyEverywhere, applyOnce, checkPreservesSemantics, refusals } from '../../support/transformation-harness.js';
import { axpy } from '../../../samples/axpy.js';

const triv = program('triv', { N: symbol, A: array(f64, ['N', 4]), B: array(f64, ['N']) }, (p, { N, A, B }) => {
  p.map`i = 0:${N}, k = 2:3`.tasklet({ a: A.at`i, k` }, { b: B.at`i` })`b = a + k`;
});
const single = program('single', { A: array(f64, [4]), B: array(f64, [4]) }, (p, { A, B }) => {
  p.map`q = 1:2`.map`r = 0:4`.tasklet({ a: A.at`r` }, { b: B.at`r`.wcr('+') })`b = a * q`;
});

/**
 * A 3-D map where the dimensions flagged in `trivial` have one iteration, at `begin + S` (S a symbol);
 * the others run over 0:N. The tasklet reads every parameter.
 */
function mixed(trivial: readonly boolean[], begins: readonly number[]) {
  const shape = ['N + S + 3', 'N + S + 3', 'N + S + 3'];
  return program('mixed', { N: symbol, S: symbol, A: array(f64, shape), B: array(f64, shape) }, (p, { N, S, A, B }) => {
    const r = (d: number): [Expr, Expr] => (trivial[d] ? [S.add(begins[d]!), S.add(begins[d]! + 1)] : [int(0), N]);
    p.map({ i: r(0), j: r(1), k: r(2) }).tasklet({ a: A.at`i, j, k` }, { b: B.at`i, j, k` })`b = a * (i + 1) + j - 2 * k`;
  });
}

describe('TrivialMapElimination', () => {
  it('drops a one-iteration dimension, substituting its begin in memlets and code', () => {
    assert.equal(printSDFG(applyOnce(triv.sdfg, trivialMapElimination)), `sdfg triv
  symbol N: int64
  array A: float64[N, 4]
  array B: float64[N]
  args A, B, N
  state s0 "map_0"
    n0 map_entry map_0 [i = 0:N]
    n1 map_exit map_0
    n2 tasklet tasklet_0 (a -> b) {b = a + i64(2)}
    n3 access A
    n4 access B
    e0 n3 -> n0.IN_A  A[0:N, 2]
    e1 n0.OUT_A -> n2.a  A[i, 2]
    e2 n2.b -> n1.IN_B  B[i]
    e3 n1.OUT_B -> n4  B[0:N]`);
  });

  it('removes a map left without dimensions, lifting its body into the parent scope', () => {
    assert.equal(printSDFG(applyOnce(single.sdfg, trivialMapElimination)), `sdfg single
  array A: float64[4]
  array B: float64[4]
  args A, B
  state s0 "map_0"
    n2 map_entry map_1 [r = 0:4]
    n3 map_exit map_1
    n4 tasklet tasklet_0 (a -> b) {b = a * i64(1)}
    n5 access A
    n6 access B
    e2 n2.OUT_A -> n4.a  A[r]
    e3 n4.b -> n3.IN_B  B[r] (wcr sum)
    e6 n5 -> n2.IN_A  A[0:4]
    e7 n3.OUT_B -> n6  B[0:4] (wcr sum)`);
  });

  it('refuses maps without a one-iteration dimension and raw code that reads the parameter', () => {
    assert.deepEqual(refusals(axpy.sdfg, trivialMapElimination), ['no dimension of map_0 has exactly one iteration']);
    const raw = cloneSDFG(triv.sdfg);
    for (const b of raw.blocks) if (b.kind === 'State') for (const n of b.nodes) if (n.kind === 'Tasklet') n.code = { language: 'CPP', source: 'b = a + k;' };
    assert.deepEqual(refusals(raw, trivialMapElimination), ['tasklet tasklet_0 is raw CPP code that uses k']);
  });

  it('preserves semantics with trivial dimensions anywhere, at symbolic offsets', () => checkPreservesSemantics({
    params: fc.record({
      N: fc.integer({ min: 1, max: 4 }), S: fc.integer({ min: 0, max: 2 }),
      trivial: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()).filter((t) => t.some((x) => x)),
      begins: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    }),
    program: ({ trivial, begins }) => mixed(trivial, begins),
    symbols: ({ N, S }) => ({ N, S }),
    transform: { transformation: trivialMapElimination },
  }));

  it('preserves semantics when whole nested maps disappear', () => checkPreservesSemantics({
    params: fc.integer({ min: 0, max: 3 }),
    program: () => single,
    transform: (sdfg) => applyEverywhere(sdfg, trivialMapElimination),
    numRuns: 3,
  }));
});
