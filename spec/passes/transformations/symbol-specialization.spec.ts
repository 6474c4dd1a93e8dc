// SymbolSpecialization: exact text after binding symbols (shapes, memlets, ranges, code, loop bounds), refusals, differential runs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { program, symbol, array, f64, printSDFG } from '../../../index.js';
import { cloneSDFG } from '../../../graph/clone.js';
import type { SDFG } from '../../../graph/sdfg.js';
import { validate } from '../../../graph/validate.js';
import { runReference } from '../../../targets/reference/index.js';
import { symbolSpecialization } from '../../../passes/transformations/symbol-specialization.js';
import { applyEverywhere, assertSameOutputs, copyArguments, randomArguments, refusals } from '../../support/transformation-harness.js';
import { seededRandom } from '../../../samples/support.js';
import { axpy } from '../../../samples/axpy.js';
import { jacobi2d } from '../../../samples/jacobi-2d.js';
import { gemm } from '../../../samples/gemm.js';
import { softmax } from '../../../samples/softmax.js';

const specialized = (sdfg: SDFG, values: Record<string, number>): SDFG => {
  const copy = cloneSDFG(sdfg);
  assert.equal(applyEverywhere(copy, symbolSpecialization, { values }), 1);
  validate(copy);
  return copy;
};

describe('SymbolSpecialization', () => {
  it('binds a size everywhere and drops it from the signature', () => {
    const scaled = program('scaled', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
      p.map`i = 0:${N}`.tasklet({ xi: x.at`i` }, { out: y.at`${N} - 1 - i` })`out = xi * ${N}`;
    });
    assert.equal(printSDFG(specialized(scaled.sdfg, { N: 4 })), `sdfg scaled
  array x: float64[4]
  array y: float64[4]
  args x, y
  state s0 "map_0"
    n0 map_entry map_0 [i = 0:4]
    n1 map_exit map_0
    n2 tasklet tasklet_0 (xi -> out) {out = xi * i64(4)}
    n3 access x
    n4 access y
    e0 n3 -> n0.IN_x  x[0:4]
    e1 n0.OUT_x -> n2.xi  x[i]
    e2 n2.out -> n1.IN_y  y[3 - i]
    e3 n1.OUT_y -> n4  y[0:4]`);
  });

  it('binds loop bounds', () => {
    const text = printSDFG(specialized(jacobi2d.sdfg, { TSTEPS: 3, N: 5 }));
    assert.match(text, /^ {2}loop l0 "loop_t_0" for \(t = 1; t < 3; t = t \+ 1\)$/m);
    assert.match(text, /n0 map_entry to_B \[i = 1:4, j = 1:4\]/);
    assert.match(text, /^ {2}args A, B$/m);
  });

  it('refuses without values, with a non-integer, an unknown symbol or one the program assigns', () => {
    assert.deepEqual(refusals(axpy.sdfg, symbolSpecialization), ['no symbol values are given']);
    assert.deepEqual(refusals(axpy.sdfg, symbolSpecialization, { values: { N: 1.5 } }), ['the value of N must be an integer, got 1.5']);
    assert.deepEqual(refusals(axpy.sdfg, symbolSpecialization, { values: { Q: 1 } }), ['none of Q is a free symbol of axpy']);
    assert.deepEqual(refusals(jacobi2d.sdfg, symbolSpecialization, { values: { t: 1 } }), ['t is assigned inside the program']);
  });

  describe('preserves what programs compute', () => {
    const cases = [
      ['axpy', axpy.sdfg, fc.record({ N: fc.integer({ min: 1, max: 9 }) })],
      ['jacobi_2d', jacobi2d.sdfg, fc.record({ N: fc.integer({ min: 3, max: 6 }), TSTEPS: fc.integer({ min: 1, max: 3 }) })],
      ['gemm', gemm.sdfg, fc.record({ NI: fc.integer({ min: 1, max: 4 }), NJ: fc.integer({ min: 1, max: 4 }), NK: fc.integer({ min: 1, max: 4 }) })],
      ['softmax', softmax.sdfg, fc.record({ N: fc.integer({ min: 1, max: 4 }), M: fc.integer({ min: 1, max: 4 }) })],
    ] as const;
    for (const [name, sdfg, symbols] of cases) {
      it(`sample ${name} with every symbol bound`, () => fc.assert(fc.property(symbols as fc.Arbitrary<Record<string, number>>, fc.integer(), (values, seed) => {
        const after = specialized(sdfg, values);
        const args = randomArguments(sdfg, values, seededRandom(seed));
        const withoutSymbols = Object.fromEntries(Object.entries(copyArguments(args)).filter(([k]) => !(k in values)));
        assertSameOutputs(runReference(sdfg, copyArguments(args)), runReference(after, withoutSymbols));
      }), { numRuns: 6 }));
    }
  });
});
