// Validation of connectors: dangling and undeclared connectors, scope connector pairs, one edge per input.
import { addEdge } from '../../../graph/construct.js';
import { expectOnly, mapProgram, mem, nestedProgram } from './graphs.js';

describe('graph/validate: connectors', () => {
  describe('dangling-connector', () => {
    it('rejects a tasklet input connector without an edge', () => {
      const { sdfg, t } = mapProgram();
      t.inConnectors.c = null;
      expectOnly(sdfg, {
        code: 'dangling-connector', message: "input connector 'c' of Tasklet 't' has no edge", path: { sdfg: 'prog', state: 's0', node: 't' },
        hint: 'connect a memlet to t.c, or remove the connector',
      });
    });

    it('rejects a nested SDFG output connector without an edge', () => {
      const { sdfg, st, outEdge } = nestedProgram();
      st.edges = st.edges.filter((e) => e !== outEdge);
      expectOnly(sdfg, {
        code: 'dangling-connector', message: "output connector 'y' of NestedSDFG 'call' has no edge", path: { sdfg: 'prog', state: 's0', node: 'call' },
        hint: 'connect call.y to where its result goes, or remove the connector',
      });
    });

    it('rejects an edge into a connector the tasklet does not declare', () => {
      const { sdfg, st, entry, t } = mapProgram();
      addEdge(st, entry, 'OUT_A', t, 'q', mem('A', 'i'));
      expectOnly(sdfg, {
        code: 'dangling-connector', message: "edge m.OUT_A -> t.q goes into connector 'q', which Tasklet 't' does not declare",
        path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_A -> t.q' },
        hint: "declare 'q' among the node's inConnectors, or connect the edge to a connector it declares",
      });
    });

    it('rejects data flowing into a tasklet without a connector', () => {
      const { sdfg, st, entry, t } = mapProgram();
      addEdge(st, entry, 'OUT_A', t, null, mem('A', 'i'));
      expectOnly(sdfg, {
        code: 'dangling-connector', message: "edge m.OUT_A -> t carries 'A' into Tasklet 't' without naming a connector",
        path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_A -> t' }, hint: 'set the edge\'s dstConn to one of the input connectors of t',
      });
    });

    it('rejects an IN_ connector of a map entry that nothing feeds', () => {
      const { sdfg, entry } = mapProgram();
      entry.inConnectors.IN_X = null;
      entry.outConnectors.OUT_X = null;
      expectOnly(sdfg, {
        code: 'dangling-connector', message: "input connector 'IN_X' of MapEntry 'm' has no edge", path: { sdfg: 'prog', state: 's0', node: 'm' },
        hint: 'connect a memlet to m.IN_X, or remove the connector',
      });
    });
  });

  describe('connector-mismatch', () => {
    it('rejects an IN_ connector of a scope node without its OUT_ partner', () => {
      const { sdfg, st, exit, outOuter } = mapProgram();
      st.edges = st.edges.filter((e) => e !== outOuter);
      delete exit.outConnectors.OUT_B;
      expectOnly(sdfg, {
        code: 'connector-mismatch', message: "MapExit 'm' has input connector 'IN_B' but no output connector 'OUT_B'",
        path: { sdfg: 'prog', state: 's0', node: 'm' }, hint: "declare scope connectors in pairs: add 'OUT_B', or remove 'IN_B'",
      });
    });

    it('rejects an OUT_ connector of a scope node without its IN_ partner', () => {
      const { sdfg, entry } = mapProgram();
      entry.outConnectors.OUT_Z = null;
      expectOnly(sdfg, {
        code: 'connector-mismatch', message: "MapEntry 'm' has output connector 'OUT_Z' but no input connector 'IN_Z'",
        path: { sdfg: 'prog', state: 's0', node: 'm' }, hint: "declare scope connectors in pairs: add 'IN_Z', or remove 'OUT_Z'",
      });
    });

    it('rejects data entering a scope node without an IN_ connector', () => {
      const { sdfg, st, A, entry } = mapProgram();
      addEdge(st, A, null, entry, null, mem('A', '0:N'));
      expectOnly(sdfg, {
        code: 'connector-mismatch', message: "edge A -> m carries 'A' into MapEntry 'm' without an IN_ connector",
        path: { sdfg: 'prog', state: 's0', edge: 'A -> m' },
        hint: 'data passes through a scope node as a pair IN_<name> / OUT_<name>: connect the edge to an IN_ connector',
      });
    });

    it('rejects an edge into a scope exit on a connector not starting with IN_', () => {
      const { sdfg, st, exit, t } = mapProgram();
      exit.inConnectors.B = null;
      addEdge(st, t, 'b', exit, 'B', mem('B', 'i'));
      expectOnly(sdfg, {
        code: 'connector-mismatch', message: "edge t.b -> m.B goes into connector 'B' of MapExit 'm', which does not start with IN_",
        path: { sdfg: 'prog', state: 's0', edge: 't.b -> m.B' },
        hint: 'data passes through a scope node as a pair IN_<name> / OUT_<name>: connect the edge to an IN_ connector',
      });
    });

    it('rejects two edges into one input connector', () => {
      const { sdfg, st, entry, t } = mapProgram();
      addEdge(st, entry, 'OUT_A', t, 'a', mem('A', 'i'));
      expectOnly(sdfg, {
        code: 'connector-mismatch', message: "input connector 'a' of Tasklet 't' has 2 incoming edges (m.OUT_A -> t.a, m.OUT_A -> t.a)",
        path: { sdfg: 'prog', state: 's0', edge: 'm.OUT_A -> t.a' }, hint: 'an input connector takes exactly one edge: give each edge its own connector',
      });
    });

    it('rejects a tasklet connector that is both an input and an output', () => {
      const { sdfg, st, t, exit, outInner } = mapProgram();
      t.outConnectors = { a: null };
      st.edges = st.edges.filter((e) => e !== outInner);
      addEdge(st, t, 'a', exit, 'IN_B', mem('B', 'i'));
      t.code = { language: 'tasklet', body: [] };
      expectOnly(sdfg, {
        code: 'connector-mismatch', message: "Tasklet 't' declares 'a' as both an input and an output connector",
        path: { sdfg: 'prog', state: 's0', node: 't' }, hint: 'rename one of the two: a tasklet reads its inputs and writes its outputs under distinct names',
      });
    });
  });
});
