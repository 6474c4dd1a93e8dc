// Validation of concurrent execution: racing writes in parallel maps and between unordered nodes; stream use.
import { addEdge, addNode, addState } from '../../../graph/construct.js';
import type { ConsumeScope } from '../../../graph/nodes.js';
import { int } from '../../../graph/symbolic.js';
import {
  access, assign, at, empty, expectOnly, expectValid, mapScope, mem, name, num, program, stream, tasklet, vector, wcrSumProgram,
} from './graphs.js';

describe('graph/validate: concurrency', () => {
  describe('concurrent-write-without-wcr', () => {
    it('rejects a parallel map whose iterations all write the same element', () => {
      const { sdfg, st } = wcrSumProgram();
      for (const e of st.edges) e.memlet.wcr = null;
      expectOnly(sdfg, {
        code: 'concurrent-write-without-wcr',
        message: "memlet S[0] on edge t.s -> sum.IN_S is written by every iteration of parallel MapEntry 'sum' without write-conflict resolution: its subset does not depend on 'i'",
        path: { sdfg: 'prog', state: 's0', edge: 't.s -> sum.IN_S' },
        hint: "index the written subset by 'i', give the memlet a wcr (e.g. sum), or make the map Sequential",
      });
    });

    it('accepts the same write in a sequential map, and with a wcr', () => {
      const { sdfg, st, entry } = wcrSumProgram();
      expectValid(sdfg);
      for (const e of st.edges) e.memlet.wcr = null;
      entry.map.schedule = 'Sequential';
      expectValid(sdfg);
    });

    it('names every parameter the write ignores', () => {
      const sdfg = program({ A: vector(), B: vector() });
      const st = addState(sdfg, 's0');
      const { entry, exit } = mapScope(st, 'm', { i: '0:N', j: '0:4', k: '0:1' }, { in: ['A'], out: ['B'] });
      const t = tasklet(st, 't', { a: null }, { b: null }, [assign('b', name('a'))]);
      addEdge(st, access(st, 'A'), null, entry, 'IN_A', mem('A', '0:N'));
      addEdge(st, entry, 'OUT_A', t, 'a', mem('A', 'i'));
      addEdge(st, t, 'b', exit, 'IN_B', mem('B', 'i'));
      addEdge(st, exit, 'OUT_B', access(st, 'B'), null, mem('B', '0:N'));
      // k takes one value, so only j makes iterations collide
      expectOnly(sdfg, {
        code: 'concurrent-write-without-wcr',
        message: "memlet B[i] on edge t.b -> m.IN_B is written by every iteration of parallel MapEntry 'm' without write-conflict resolution: its subset does not depend on 'j'",
        path: { sdfg: 'prog', state: 's0', edge: 't.b -> m.IN_B' },
        hint: "index the written subset by 'j', give the memlet a wcr (e.g. sum), or make the map Sequential",
      });
    });

    it('rejects two unordered nodes writing the same element', () => {
      const sdfg = program({ B: vector() });
      const st = addState(sdfg, 's0');
      const one = tasklet(st, 'one', {}, { o: null }, [assign('o', num(1))]);
      const two = tasklet(st, 'two', {}, { o: null }, [assign(at('o', num(0)), num(2)), assign(at('o', num(1)), num(2))]);
      addEdge(st, one, 'o', access(st, 'B'), null, mem('B', '0'));
      addEdge(st, two, 'o', access(st, 'B'), null, mem('B', '0:2'));
      expectOnly(sdfg, {
        code: 'concurrent-write-without-wcr',
        message: "Tasklet 'one' and Tasklet 'two' both write B[0:2] (edges one.o -> B and two.o -> B) with no path between them, so the order of the writes is undefined",
        path: { sdfg: 'prog', state: 's0', edge: 'two.o -> B' },
        hint: 'order the writers (an empty memlet from one to the other, or separate states), or give both memlets a wcr',
      });
    });

    it('proves symbolic overlaps too: two writers of B[N - 1]', () => {
      const sdfg = program({ B: vector() });
      const st = addState(sdfg, 's0');
      const B = access(st, 'B');
      for (const label of ['one', 'two']) addEdge(st, tasklet(st, label, {}, { o: null }, [assign('o', num(1))]), 'o', B, null, mem('B', 'N - 1'));
      expectOnly(sdfg, {
        code: 'concurrent-write-without-wcr',
        message: "Tasklet 'one' and Tasklet 'two' both write B[N - 1] (edges one.o -> B and two.o -> B) with no path between them, so the order of the writes is undefined",
        path: { sdfg: 'prog', state: 's0', edge: 'two.o -> B' },
        hint: 'order the writers (an empty memlet from one to the other, or separate states), or give both memlets a wcr',
      });
    });

    it('accepts unordered writers of disjoint elements, and ordered writers of the same one', () => {
      const sdfg = program({ B: vector() });
      const st = addState(sdfg, 's0');
      const one = tasklet(st, 'one', {}, { o: null }, [assign('o', num(1))]);
      const two = tasklet(st, 'two', {}, { o: null }, [assign('o', num(2))]);
      const B = access(st, 'B');
      addEdge(st, one, 'o', B, null, mem('B', '0'));
      const second = addEdge(st, two, 'o', B, null, mem('B', '1'));
      expectValid(sdfg);
      second.memlet = mem('B', '0');
      addEdge(st, one, null, two, null, empty());
      expectValid(sdfg);
    });
  });

  describe('stream-misuse', () => {
    function streamProgram() {
      const sdfg = program({ A: vector(), S: stream(), B: vector() });
      const st = addState(sdfg, 's0');
      const push = tasklet(st, 'push', { a: null }, { s: null }, [assign('s', name('a'))]);
      const pop = tasklet(st, 'pop', { s: null }, { b: null }, [assign('b', name('s'))]);
      const S = access(st, 'S');
      addEdge(st, access(st, 'A'), null, push, 'a', mem('A', '0'));
      addEdge(st, push, 's', S, null, mem('S', '0'));
      const read = addEdge(st, S, null, pop, 's', mem('S', '0', { dynamic: true }));
      addEdge(st, pop, 'b', access(st, 'B'), null, mem('B', '0'));
      return { sdfg, st, S, read, pop };
    }

    it('accepts a stream pushed and popped through a dynamic memlet', () => {
      expectValid(streamProgram().sdfg);
    });

    it('rejects a stream read without a dynamic memlet', () => {
      const { sdfg, read } = streamProgram();
      read.memlet.dynamic = false;
      expectOnly(sdfg, {
        code: 'stream-misuse', message: "memlet S[0] on edge S -> pop.s reads stream 'S' into Tasklet 'pop' without being dynamic",
        path: { sdfg: 'prog', state: 's0', edge: 'S -> pop.s' }, hint: 'mark the memlet dynamic: how often a stream is popped is known only at run time',
      });
    });

    it('rejects a transient stream that is written but never read', () => {
      const { sdfg, st, read, pop } = streamProgram();
      st.edges = st.edges.filter((e) => e !== read);
      pop.inConnectors = {};
      pop.code = { language: 'tasklet', body: [assign('b', num(0))] };
      expectOnly(sdfg, {
        code: 'stream-misuse', message: "transient stream 'S' is written but never read in SDFG 'prog'",
        path: { sdfg: 'prog', state: 's0', node: 'S' }, hint: 'read the stream (e.g. with a consume scope), or remove the writes',
      });
    });

    it('rejects a transient stream that is read but never written, and accepts it as an input', () => {
      const { sdfg, st, S } = streamProgram();
      st.edges = st.edges.filter((e) => e.dst !== S.id);
      st.nodes = st.nodes.filter((n) => n.label !== 'push' && n.label !== 'A');
      st.edges = st.edges.filter((e) => st.nodes.some((n) => n.id === e.src));
      delete sdfg.arrays.A;
      sdfg.argNames = ['B', 'N'];
      expectOnly(sdfg, {
        code: 'stream-misuse', message: "transient stream 'S' is read but never written in SDFG 'prog'",
        path: { sdfg: 'prog', state: 's0', node: 'S' },
        hint: 'write to the stream before it is read, or make it non-transient so that the caller provides it',
      });
      sdfg.arrays.S!.transient = false;
      sdfg.argNames.push('S');
      expectValid(sdfg);
    });

    it('rejects a consume scope over an array', () => {
      const sdfg = program({ A: vector(), B: vector(undefined, [1]) });
      const st = addState(sdfg, 's0');
      const consume: ConsumeScope = { label: 'c', peIndex: 'p', numPes: int(1), condition: null, schedule: 'Sequential', chunksize: 1 };
      const entry = addNode(st, { kind: 'ConsumeEntry', label: 'c', consume, inConnectors: { IN_A: null }, outConnectors: { OUT_A: null } });
      const exit = addNode(st, { kind: 'ConsumeExit', label: 'c', consume, inConnectors: { IN_B: null }, outConnectors: { OUT_B: null } });
      const t = tasklet(st, 't', { a: null }, { b: null }, [assign('b', name('a'))]);
      addEdge(st, access(st, 'A'), null, entry, 'IN_A', mem('A', '0:N'));
      addEdge(st, entry, 'OUT_A', t, 'a', mem('A', '0'));
      addEdge(st, t, 'b', exit, 'IN_B', mem('B', '0'));
      addEdge(st, exit, 'OUT_B', access(st, 'B'), null, mem('B', '0'));
      expectOnly(sdfg, {
        code: 'stream-misuse', message: "ConsumeEntry 'c' consumes 'A', which is an Array, not a Stream",
        path: { sdfg: 'prog', state: 's0', edge: 'A -> c.IN_A' }, hint: 'connect a Stream container to the consume entry, or iterate over the data with a map',
      });
      // the same scope over a stream is fine; inside, each iteration gets one popped element (no dynamic memlet needed)
      sdfg.arrays.A = stream(undefined, false);
      for (const e of st.edges) if (e.memlet.data === 'A') e.memlet = mem('A', '0', { dynamic: e.dst === entry.id });
      expectValid(sdfg);
    });
  });
});
