// Validation of state structure: unique ids, edge endpoints, acyclic dataflow, matched scopes, edges respecting scopes.
import assert from 'node:assert/strict';
import { addEdge, addState } from '../../../graph/construct.js';
import type { Node } from '../../../graph/nodes.js';
import { captureSourceLocation } from '../../../graph/source-location.js';
import { validationIssues } from '../../../graph/validate.js';
import {
  access, assign, bin, empty, expectOnly, expectValid, mapProgram, mapScope, mem, name, num, program, tasklet, vector,
} from './graphs.js';

describe('graph/validate: state structure', () => {
  describe('duplicate-name', () => {
    it('rejects two nodes with one id in a state', () => {
      const { sdfg, st, t } = mapProgram();
      st.nodes.push({ ...st.nodes.find((n) => n.kind === 'AccessNode')!, id: t.id, label: 'A2' } as Node);
      expectOnly(sdfg, {
        code: 'duplicate-name', message: "node id 3 is used by both Tasklet 't' and AccessNode 'A2' in state 's0'",
        path: { sdfg: 'prog', state: 's0', node: 'A2' }, hint: 'give every node of a state its own id (nodes added with addNode get one)',
      });
    });

    it('rejects two edges with one id in a state', () => {
      const { sdfg, st, outOuter } = mapProgram();
      st.edges.push({ ...outOuter, memlet: mem('B', '0:N') });
      // The copy also writes B twice from the exit: one writer, so no race; only the id is wrong.
      expectOnly(sdfg, {
        code: 'duplicate-name', message: "edge id 3 is used by more than one edge in state 's0'",
        path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_B -> B' }, hint: 'give every edge of a state its own id (edges added with addEdge get one)',
      });
    });
  });

  describe('edge-endpoint', () => {
    it('rejects an edge from a node that is not in the state', () => {
      const { sdfg, st, B } = mapProgram();
      st.edges.push({ id: 99, src: 42, srcConn: null, dst: B.id, dstConn: null, memlet: mem('B', '0') });
      expectOnly(sdfg, {
        code: 'edge-endpoint', message: "edge #42 -> B refers to node #42, which is not in state 's0'",
        path: { sdfg: 'prog', state: 's0', edge: '#42 -> B' },
        hint: 'connect edges only between nodes of the same state; remove the edge when its node was removed (removeNode does both)',
      });
    });
  });

  describe('state-cycle', () => {
    it('rejects dataflow that feeds back into itself', () => {
      const sdfg = program({ A: vector() });
      const st = addState(sdfg, 's0');
      const A = access(st, 'A');
      const t = tasklet(st, 'inc', { a: null }, { b: null }, [assign('b', bin('+', name('a'), num(1)))]);
      addEdge(st, A, null, t, 'a', mem('A', '0'));
      addEdge(st, t, 'b', A, null, mem('A', '0'));
      expectOnly(sdfg, {
        code: 'state-cycle', message: "state 's0' has a dataflow cycle: AccessNode 'A' -> Tasklet 'inc' -> AccessNode 'A'",
        path: { sdfg: 'prog', state: 's0', node: 'A' },
        hint: 'dataflow within a state must be acyclic: move the write that closes the cycle to a later state, or loop with a LoopRegion',
      });
    });
  });

  describe('map-entry-without-exit / map-exit-without-entry', () => {
    it('rejects an entry whose map has no exit', () => {
      const sdfg = program({});
      const st = addState(sdfg, 's0');
      const { exit } = mapScope(st, 'm', { i: '0:N' });
      st.nodes = st.nodes.filter((n) => n !== exit);
      expectOnly(sdfg, {
        code: 'map-entry-without-exit', message: "MapEntry 'm' has no matching MapExit in state 's0'", path: { sdfg: 'prog', state: 's0', node: 'm' },
        hint: "add a MapExit holding the same map object as the entry, and route the scope's outputs through it",
      });
    });

    it('rejects an exit whose map has no entry', () => {
      const sdfg = program({});
      const st = addState(sdfg, 's0');
      const { entry } = mapScope(st, 'm', { i: '0:N' });
      st.nodes = st.nodes.filter((n) => n !== entry);
      expectOnly(sdfg, {
        code: 'map-exit-without-entry', message: "MapExit 'm' has no matching MapEntry in state 's0'", path: { sdfg: 'prog', state: 's0', node: 'm' },
        hint: 'add a MapEntry holding the same map object as the exit, or remove the exit',
      });
    });

    it('pairs entries and exits by the map object they share, not by label', () => {
      const sdfg = program({});
      const st = addState(sdfg, 's0');
      const { exit } = mapScope(st, 'm', { i: '0:N' });
      exit.map = { ...exit.map };
      const issues = validationIssues(sdfg);
      assert.deepEqual(issues.map((e) => e.code), ['map-entry-without-exit', 'map-exit-without-entry']);
    });
  });

  describe('scope-crossing', () => {
    it('rejects an edge leaving a map without passing its exit', () => {
      const { sdfg, st, t } = mapProgram();
      sdfg.arrays.C = vector();
      sdfg.argNames.push('C');
      t.outConnectors.c = null;
      t.code = { language: 'tasklet', body: [assign('b', name('a')), assign('c', name('a'))] };
      const loc = captureSourceLocation();
      addEdge(st, t, 'c', access(st, 'C'), null, mem('C', 'i'), loc);
      const issue = expectOnly(sdfg, {
        code: 'scope-crossing', message: "edge t.c -> C leaves the scope of MapEntry 'm' without passing through MapExit 'm'",
        path: { sdfg: 'prog', state: 's0', edge: 't.c -> C' },
        hint: "connect t.c to an IN_ connector of MapExit 'm' and its matching OUT_ connector to C",
      });
      assert.deepEqual(issue.loc, loc);
    });

    it('rejects an edge entering a map without passing its entry', () => {
      const { sdfg, st, t, A } = mapProgram();
      t.inConnectors.a2 = null;
      addEdge(st, A, null, t, 'a2', mem('A', 'i'));
      expectOnly(sdfg, {
        code: 'scope-crossing', message: "edge A -> t.a2 enters the scope of MapEntry 'm' without passing through it",
        path: { sdfg: 'prog', state: 's0', edge: 'A -> t.a2' },
        hint: "connect A to an IN_ connector of MapEntry 'm' and its matching OUT_ connector to t.a2",
      });
    });

    it('rejects an edge from one map into another', () => {
      const sdfg = program({ A: vector(), B: vector() });
      const st = addState(sdfg, 's0');
      const A = access(st, 'A'), B = access(st, 'B');
      const m1 = mapScope(st, 'm1', { i: '0:N' }, { in: ['A'], out: ['B'] });
      const m2 = mapScope(st, 'm2', { i: '0:N' }, { in: ['A'], out: ['B'] });
      const t1 = tasklet(st, 't1', { a: null }, { b: null, x: null }, [assign('b', name('a')), assign('x', name('a'))]);
      const t2 = tasklet(st, 't2', { a: null, x: null }, { b: null }, [assign('b', bin('+', name('a'), name('x')))]);
      for (const [{ entry, exit }, t] of [[m1, t1], [m2, t2]] as const) {
        addEdge(st, A, null, entry, 'IN_A', mem('A', '0:N'));
        addEdge(st, entry, 'OUT_A', t, 'a', mem('A', 'i'));
        addEdge(st, t, 'b', exit, 'IN_B', mem('B', 'i'));
        addEdge(st, exit, 'OUT_B', B, null, mem('B', '0:N'));
      }
      addEdge(st, t1, 'x', t2, 'x', mem('A', 'i'));
      const issues = validationIssues(sdfg).filter((e) => e.code === 'scope-crossing');
      assert.deepEqual(issues.map((e) => e.summary), ["edge t1.x -> t2.x leaves the scope of MapEntry 'm1' without passing through MapExit 'm1'"]);
    });

    it('accepts nested maps and nodes inside a scope fed by empty memlets', () => {
      const sdfg = program({ A: vector(), B: vector(), T: { ...vector(), transient: true } });
      sdfg.argNames = ['A', 'B', 'N'];
      const st = addState(sdfg, 's0');
      const A = access(st, 'A'), B = access(st, 'B');
      const outer = mapScope(st, 'outer', { i: '0:N' }, { in: ['A'], out: ['B'] });
      const inner = mapScope(st, 'inner', { j: '0:1' }, { in: ['A'], out: ['B'] });
      const t = tasklet(st, 't', { a: null }, { b: null }, [assign('b', name('a'))]);
      const init = tasklet(st, 'init', {}, { z: null }, [assign('z', num(0))]);
      const T = access(st, 'T');
      addEdge(st, A, null, outer.entry, 'IN_A', mem('A', '0:N'));
      addEdge(st, outer.entry, 'OUT_A', inner.entry, 'IN_A', mem('A', 'i'));
      addEdge(st, inner.entry, 'OUT_A', t, 'a', mem('A', 'i + j'));
      addEdge(st, t, 'b', inner.exit, 'IN_B', mem('B', 'i + j'));
      addEdge(st, inner.exit, 'OUT_B', outer.exit, 'IN_B', mem('B', 'i'));
      addEdge(st, outer.exit, 'OUT_B', B, null, mem('B', '0:N'));
      // a tasklet without inputs inside the outer map, writing a scratch element
      addEdge(st, outer.entry, null, init, null, empty());
      addEdge(st, init, 'z', T, null, mem('T', 'i'));
      addEdge(st, T, null, outer.exit, null, empty());
      expectValid(sdfg);
    });
  });
});
