// Validation of data references: declared containers, memlets matching access nodes, subset ranks and bounds, arguments.
import assert from 'node:assert/strict';
import { addEdge, addState } from '../../../graph/construct.js';
import { f64 } from '../../../graph/dtypes.js';
import { parseSubset } from '../../../graph/subsets.js';
import { sym } from '../../../graph/symbolic.js';
import { validationIssues } from '../../../graph/validate.js';
import {
  access, copyProgram, expectOnly, expectValid, mapProgram, mem, program, vector,
} from './graphs.js';

describe('graph/validate: data', () => {
  describe('unknown-data', () => {
    it('rejects an access node of undeclared data', () => {
      const { sdfg, st } = mapProgram();
      access(st, 'Q');
      expectOnly(sdfg, {
        code: 'unknown-data', message: "AccessNode 'Q' refers to data 'Q', which SDFG 'prog' does not declare",
        path: { sdfg: 'prog', state: 's0', node: 'Q' }, hint: "declare 'Q' in sdfg.arrays, or use one of its data: A, B",
      });
    });

    it('rejects a memlet naming undeclared data', () => {
      const { sdfg, inInner } = mapProgram();
      inInner.memlet = mem('Q', 'i');
      expectOnly(sdfg, {
        code: 'unknown-data', message: "memlet Q[i] on edge m.OUT_A -> t.a names data 'Q', which SDFG 'prog' does not declare",
        path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_A -> t.a' }, hint: "declare 'Q' in sdfg.arrays, or use one of its data: A, B",
      });
    });
  });

  describe('memlet-data-mismatch', () => {
    it('rejects a memlet next to an access node that names other data', () => {
      const { sdfg, inOuter } = mapProgram();
      inOuter.memlet = mem('B', '0:N');
      expectOnly(sdfg, {
        code: 'memlet-data-mismatch', message: "memlet B[0:N] on edge A -> m.IN_A names 'B', but the edge touches access node data 'A'",
        path: { sdfg: 'prog', state: 's0', edge: 'A -> m.IN_A' }, hint: "name 'A' in the memlet (with a subset of 'A')",
      });
    });

    it('rejects a copy whose memlet names neither side', () => {
      const { sdfg, edge } = copyProgram();
      sdfg.arrays.C = vector();
      sdfg.argNames.push('C');
      edge.memlet = mem('C', '0:N');
      expectOnly(sdfg, {
        code: 'memlet-data-mismatch', message: "memlet C[0:N] on edge A -> B names 'C', but the edge touches access nodes of 'A' and 'B'",
        path: { sdfg: 'prog', state: 's0', edge: 'A -> B' }, hint: "name 'A' or 'B' in the memlet, with otherSubset for the other side of the copy",
      });
    });

    it('accepts a copy whose memlet names the destination', () => {
      const { sdfg, edge } = copyProgram();
      edge.memlet = mem('B', '0:N', { otherSubset: parseSubset('0:N') });
      expectValid(sdfg);
    });
  });

  describe('subset-dims', () => {
    it('rejects a subset with more dimensions than its data', () => {
      const { sdfg, inInner } = mapProgram();
      inInner.memlet = mem('A', 'i, 0');
      expectOnly(sdfg, {
        code: 'subset-dims', message: "memlet A[i, 0] on edge m.OUT_A -> t.a has 2 dimensions, but 'A' has 1",
        path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_A -> t.a' }, hint: "give one index or range per dimension of 'A' (shape [N])",
      });
    });

    it('checks the other side of a copy against the other container', () => {
      const { sdfg, edge } = copyProgram();
      sdfg.arrays.B = vector(f64, [sym('N'), 2]);
      edge.memlet = mem('A', '0:N', { otherSubset: parseSubset('0:N') });
      expectOnly(sdfg, {
        code: 'subset-dims', message: "memlet B[0:N] (otherSubset) on edge A -> B has 1 dimension, but 'B' has 2",
        path: { sdfg: 'prog', state: 's0', edge: 'A -> B' }, hint: "give one index or range per dimension of 'B' (shape [N, 2])",
      });
    });
  });

  describe('subset-out-of-bounds', () => {
    it('rejects a subset that never fits', () => {
      const { sdfg, outOuter } = mapProgram();
      outOuter.memlet = mem('B', '1:N + 1');
      expectOnly(sdfg, {
        code: 'subset-out-of-bounds',
        message: "memlet B[1:N + 1] on edge m.OUT_B -> B reaches outside 'B' (shape [N]): dimension 0: the last index N is not below the extent N",
        path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_B -> B' },
        hint: "keep every index of 'B' within 0 .. size - 1 of its dimension; check the map ranges and the offsets in the subset",
      });
    });

    it('uses the map ranges around a memlet: i in 0:N reaches A[i + N] outside A', () => {
      const { sdfg, inInner } = mapProgram();
      inInner.memlet = mem('A', 'i + N');
      expectOnly(sdfg, {
        code: 'subset-out-of-bounds',
        message: "memlet A[N + i] on edge m.OUT_A -> t.a reaches outside 'A' (shape [N]): dimension 0: the last index N + i is not below the extent N",
        path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_A -> t.a' },
        hint: "keep every index of 'A' within 0 .. size - 1 of its dimension; check the map ranges and the offsets in the subset",
      });
    });

    it('finds the off-by-one at the last iteration: A[i + 1] for i in 0:N', () => {
      const { sdfg, inInner } = mapProgram();
      inInner.memlet = mem('A', 'i + 1');
      expectOnly(sdfg, {
        code: 'subset-out-of-bounds',
        message: "memlet A[i + 1] on edge m.OUT_A -> t.a reaches outside 'A' (shape [N]): dimension 0: the last index i + 1 goes up to N over the map ranges, not below the extent N",
        path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_A -> t.a' },
        hint: "keep every index of 'A' within 0 .. size - 1 of its dimension; check the map ranges and the offsets in the subset",
      });
    });

    it('finds a negative first index: A[i - 1] for i in 0:N', () => {
      const { sdfg, inInner } = mapProgram();
      inInner.memlet = mem('A', 'i - 1');
      const [issue] = validationIssues(sdfg);
      assert.equal(issue?.summary,
        "memlet A[i - 1] on edge m.OUT_A -> t.a reaches outside 'A' (shape [N]): dimension 0: the first index i - 1 goes down to -1 over the map ranges");
    });

    it('reports nothing it cannot prove', () => {
      const { sdfg, inInner } = mapProgram();
      sdfg.symbols.M = sdfg.symbols.N!;
      inInner.memlet = mem('A', 'i + M'); // fits when M <= 0, which nothing rules out
      expectValid(sdfg);
    });
  });

  describe('transient-in-args / arg-unknown', () => {
    it('rejects a transient container among the arguments', () => {
      const { sdfg } = mapProgram();
      sdfg.arrays.A!.transient = true;
      // a transient read before any write: still only the argument list is wrong
      expectOnly(sdfg, {
        code: 'transient-in-args', message: "argument 'A' of SDFG 'prog' is transient data", path: { sdfg: 'prog' },
        hint: "make 'A' non-transient if the caller passes it, or remove it from argNames",
      });
    });

    it('rejects an argument that names nothing', () => {
      const sdfg = program({ A: vector() });
      addState(sdfg, 's0');
      sdfg.argNames.push('Z');
      expectOnly(sdfg, {
        code: 'arg-unknown', message: "argument 'Z' of SDFG 'prog' is neither data nor a symbol of it", path: { sdfg: 'prog' },
        hint: "declare 'Z' as data or as a symbol, or remove it from argNames",
      });
    });
  });

  it('accepts a copy between access nodes', () => {
    const { sdfg, st, B } = copyProgram();
    addEdge(st, B, null, access(st, 'A'), null, mem('B', '0:N'));
    expectValid(sdfg);
  });
});
