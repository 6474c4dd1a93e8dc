// Validation of nodes with an inside: nested SDFG connectors and symbols, library node operands.
import { addEdge, addState } from '../../../graph/construct.js';
import { f32 } from '../../../graph/dtypes.js';
import { sym } from '../../../graph/symbolic.js';
import {
  access, expectOnly, expectValid, library, mem, nestedProgram, program, vector,
} from './graphs.js';

describe('graph/validate: nested SDFGs and library nodes', () => {
  describe('nested-sdfg-connectors', () => {
    it('rejects a connector that names no data of the inner SDFG', () => {
      const { sdfg, call, inEdge } = nestedProgram();
      call.inConnectors = { z: null };
      inEdge.dstConn = 'z';
      expectOnly(sdfg, {
        code: 'nested-sdfg-connectors', message: "connector 'z' of NestedSDFG 'call' names no data of its SDFG 'inner'",
        path: { sdfg: 'prog', state: 's0', node: 'call' }, hint: "name each connector after a non-transient container of 'inner' (x, y)",
      });
    });

    it('rejects a connector bound to transient inner data', () => {
      const { sdfg, inner } = nestedProgram();
      inner.arrays.x!.transient = true;
      inner.argNames = ['y', 'M'];
      expectOnly(sdfg, {
        code: 'nested-sdfg-connectors', message: "connector 'x' of NestedSDFG 'call' is transient data 'x' of its SDFG 'inner'",
        path: { sdfg: 'prog', state: 's0', node: 'call' }, hint: "make 'x' non-transient in 'inner' so that the outer data is passed in",
      });
    });

    it('rejects outer data of another dtype than the inner container', () => {
      const { sdfg } = nestedProgram();
      sdfg.arrays.A = vector(f32);
      expectOnly(sdfg, {
        code: 'nested-sdfg-connectors',
        message: "edge A -> call.x passes float32 data 'A' to connector 'x' of NestedSDFG 'call', which is float64 data in 'inner'",
        path: { sdfg: 'prog', state: 's0', edge: 'A -> call.x' }, hint: "give 'x' in 'inner' the dtype float32, or convert the data before the call",
      });
    });

    it('rejects an inner symbol the node does not map', () => {
      const { sdfg, call } = nestedProgram();
      call.symbolMapping = {};
      expectOnly(sdfg, {
        code: 'nested-sdfg-connectors', message: "symbol 'M' used inside SDFG 'inner' is not mapped by NestedSDFG 'call'",
        path: { sdfg: 'prog', state: 's0', node: 'call' }, hint: "add 'M' to the node's symbolMapping (an expression over the outer symbols, e.g. M: sym('M'))",
      });
    });
  });

  describe('library-node', () => {
    function reduceProgram(axes: number[] | null) {
      const sdfg = program({ A: vector(undefined, [sym('N'), 4]), B: vector() });
      const st = addState(sdfg, 's0');
      const r = library(st, 'reduce', { name: 'Reduce', axes, wcr: { op: 'sum' }, identity: 0 }, ['_in'], ['_out']);
      addEdge(st, access(st, 'A'), null, r, '_in', mem('A', '0:N, 0:4'));
      addEdge(st, r, '_out', access(st, 'B'), null, mem('B', '0:N'));
      return sdfg;
    }

    it('accepts a Reduce over an axis of its input', () => {
      expectValid(reduceProgram([1]));
      expectValid(reduceProgram(null));
    });

    it('rejects a Reduce axis outside its input', () => {
      expectOnly(reduceProgram([2]), {
        code: 'library-node', message: "LibraryNode 'reduce' reduces axis 2, but its input A[0:N, 0:4] has 2 dimensions",
        path: { sdfg: 'prog', state: 's0', node: 'reduce' }, hint: 'use axes between 0 and 1, or null to reduce all of them',
      });
    });

    it('rejects a Reduce axis listed twice', () => {
      expectOnly(reduceProgram([1, 1]), {
        code: 'library-node', message: "LibraryNode 'reduce' lists axis 1 more than once",
        path: { sdfg: 'prog', state: 's0', node: 'reduce' }, hint: 'list each axis once',
      });
    });

    function matmulProgram(a: string) {
      const sdfg = program({ A: vector(undefined, [4, 4, 4]), B: vector(undefined, [4, 4]), C: vector(undefined, [4, 4]) }, { symbols: {} });
      const st = addState(sdfg, 's0');
      const mm = library(st, 'mm', { name: 'MatMul', alpha: 1, beta: 0 }, ['_a', '_b'], ['_c']);
      const aEdge = addEdge(st, access(st, 'A'), null, mm, '_a', mem('A', a));
      addEdge(st, access(st, 'B'), null, mm, '_b', mem('B', '0:4, 0:4'));
      addEdge(st, mm, '_c', access(st, 'C'), null, mem('C', '0:4, 0:4'));
      return { sdfg, st, mm, aEdge };
    }

    it('accepts MatMul operands that are matrices or vectors after dropping single indices', () => {
      expectValid(matmulProgram('0, 0:4, 0:4').sdfg);
    });

    it('rejects a MatMul operand of rank 3', () => {
      expectOnly(matmulProgram('0:4, 0:4, 0:4').sdfg, {
        code: 'library-node',
        message: "left operand A[0:4, 0:4, 0:4] of LibraryNode 'mm' has 3 dimensions; MatMul multiplies vectors and matrices (1 or 2 dimensions)",
        path: { sdfg: 'prog', state: 's0', edge: 'A -> mm._a' },
        hint: 'pass a matrix or vector slice of the operand (single indices drop a dimension), or map over the extra dimensions',
      });
    });

    it('rejects a MatMul without an operand', () => {
      const { sdfg, st, mm, aEdge } = matmulProgram('0, 0:4, 0:4');
      st.edges = st.edges.filter((e) => e !== aEdge);
      delete mm.inConnectors._a;
      expectOnly(sdfg, {
        code: 'library-node', message: "LibraryNode 'mm' has no left operand on connector '_a'",
        path: { sdfg: 'prog', state: 's0', node: 'mm' }, hint: 'connect the left operand of the product to mm._a',
      });
    });
  });
});
