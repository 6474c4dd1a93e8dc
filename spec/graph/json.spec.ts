// Our JSON format and deep copies: round trips over random graphs, exact messages for bad documents, clone independence.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { f64, i64 } from '../../graph/dtypes.js';
import { makeArray } from '../../graph/data.js';
import { int, sym } from '../../graph/symbolic.js';
import { fullSubset, index, range, subset } from '../../graph/subsets.js';
import { makeMemlet } from '../../graph/memlet.js';
import type { MapScope, Node } from '../../graph/nodes.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { FormatError } from '../../graph/errors.js';
import { addEdge, addInterstateEdge, addNode, addState, createSDFG } from '../../graph/construct.js';
import { allSDFGs, allStates, walkBlocks } from '../../graph/query.js';
import { printSDFG } from '../../graph/printer.js';
import { fromJSON, fromJSONString, toJSON, toJSONString, type SdfgJson } from '../../graph/json.js';
import { cloneSDFG, cloneState } from '../../graph/clone.js';
import { arbitrarySDFG } from '../support/arbitrary-graph.js';

const N = sym('N'), i = sym('i');

/** `A[N] -> map i -> tasklet -> B[N]`, with source locations on the state and the tasklet. */
function smallGraph(): SDFG {
  const g = createSDFG('small');
  g.symbols.N = i64;
  g.arrays.A = makeArray(f64, [N]);
  g.arrays.B = makeArray(f64, [N]);
  g.argNames = ['A', 'B', 'N'];
  const s = addState(g, 'main', { file: 'user.ts', line: 3, column: 5 });
  const map: MapScope = { label: 'm', params: ['i'], ranges: [range(0, N)], schedule: 'Default', unroll: false, collapse: 1 };
  const a = addNode(s, { kind: 'AccessNode', label: 'A', data: 'A', setzero: false, inConnectors: {}, outConnectors: {} });
  const entry = addNode(s, { kind: 'MapEntry', label: 'm', map, inConnectors: { IN_A: null }, outConnectors: { OUT_A: null } });
  const t = addNode(s, {
    kind: 'Tasklet', label: 't', inConnectors: { x: null }, outConnectors: { y: f64 },
    code: { language: 'tasklet', body: [{ k: 'assign', target: { k: 'name', name: 'y' }, op: '=', value: { k: 'name', name: 'x', pos: { line: 1, column: 5 } } }] },
    loc: { file: 'user.ts', line: 4, column: 7 },
  });
  const exit = addNode(s, { kind: 'MapExit', label: 'm', map, inConnectors: { IN_B: null }, outConnectors: { OUT_B: null } });
  const b = addNode(s, { kind: 'AccessNode', label: 'B', data: 'B', setzero: false, inConnectors: {}, outConnectors: {} });
  addEdge(s, a, null, entry, 'IN_A', makeMemlet('A', fullSubset([N])));
  addEdge(s, entry, 'OUT_A', t, 'x', makeMemlet('A', subset(index(i))));
  addEdge(s, t, 'y', exit, 'IN_B', makeMemlet('B', subset(index(i))));
  addEdge(s, exit, 'OUT_B', b, null, makeMemlet('B', fullSubset([N])));
  addInterstateEdge(g, s, addState(g, 'done'), { assignments: { k: { k: 'num', value: 1, isFloat: false } } });
  return g;
}

/** A JSON copy of the small graph's document, to break in one place. */
function doc(): Record<string, any> {
  return JSON.parse(toJSONString(smallGraph()));
}

/** fromJSON must throw a FormatError 'bad-json' with exactly this message. */
function rejects(json: unknown, message: string): void {
  assert.throws(() => fromJSON(json), (e: unknown) => {
    assert.ok(e instanceof FormatError, `expected a FormatError, got ${String(e)}`);
    assert.equal(e.code, 'bad-json');
    assert.equal(e.summary, message);
    return true;
  });
}

/** Map entries and exits of every state, to check that pairs share one scope object. */
function scopePairs(g: SDFG): [Node & { map: MapScope }, Node & { map: MapScope }][] {
  const pairs: [Node & { map: MapScope }, Node & { map: MapScope }][] = [];
  for (const sdfg of allSDFGs(g)) {
    for (const state of allStates(sdfg)) {
      for (const exit of state.nodes) {
        if (exit.kind !== 'MapExit') continue;
        const entry = state.nodes.find((n) => n.kind === 'MapEntry' && n.map === exit.map);
        if (entry && entry.kind === 'MapEntry') pairs.push([entry, exit]);
      }
    }
  }
  return pairs;
}

describe('graph/json', () => {
  describe('round trip', () => {
    it('reads back what it writes, for random graphs (print and document unchanged)', () => {
      fc.assert(fc.property(arbitrarySDFG(), (g) => {
        const json = toJSON(g);
        const back = fromJSON(json);
        assert.equal(printSDFG(back), printSDFG(g));
        assert.deepEqual(toJSON(back), json);
      }), { numRuns: 60 });
    });

    it('survives JSON text, for random graphs', () => {
      fc.assert(fc.property(arbitrarySDFG(), (g) => {
        const text = JSON.stringify(toJSON(g));
        const back = fromJSON(JSON.parse(text));
        assert.equal(printSDFG(back), printSDFG(g));
        assert.equal(toJSONString(back), text);
        assert.equal(printSDFG(fromJSONString(text)), printSDFG(g));
      }), { numRuns: 60 });
    });

    it('keeps a map entry and its exit sharing one scope, even when the exit comes first', () => {
      const json = doc();
      json.blocks[0].nodes.reverse();
      const back = fromJSON(json);
      const state = back.blocks[0] as State;
      const entry = state.nodes.find((n) => n.kind === 'MapEntry')!;
      const exit = state.nodes.find((n) => n.kind === 'MapExit')!;
      assert.ok(entry.kind === 'MapEntry' && exit.kind === 'MapExit' && entry.map === exit.map);
      for (const [e, x] of scopePairs(fromJSON(toJSON(fromJSON(doc()))))) assert.equal(e.map, x.map);
    });

    it('stores the scope once, on the entry, and expressions, subsets and dtypes as text', () => {
      const json = toJSON(smallGraph());
      assert.equal(json.format, 'sdfg-ts');
      assert.equal(json.version, 1);
      const state = json.blocks[0]!;
      assert.ok(state.kind === 'State');
      assert.deepEqual(state.nodes[1], {
        kind: 'MapEntry', id: 1, label: 'm', inConnectors: { IN_A: null }, outConnectors: { OUT_A: null },
        map: { label: 'm', params: ['i'], ranges: ['0:N'], schedule: 'Default', unroll: false, collapse: 1 },
      });
      assert.deepEqual(state.nodes[3], {
        kind: 'MapExit', id: 3, label: 'm', inConnectors: { IN_B: null }, outConnectors: { OUT_B: null }, entry: 1,
      });
      assert.deepEqual(state.edges[1]!.memlet, { data: 'A', subset: 'i', otherSubset: null, volume: '1', dynamic: false, wcr: null });
      assert.deepEqual(json.arrays.A, {
        kind: 'Array', dtype: 'float64', transient: false, storage: 'Default', lifetime: 'Scope', shape: ['N'],
        strides: ['1'], offset: ['0'], totalSize: 'N', alignment: 0, startOffset: 0, mayAlias: false,
      });
    });

    it('keeps source locations and tasklet code positions; reads dtypes back as the shared singletons', () => {
      const back = fromJSON(doc());
      const state = back.blocks[0] as State;
      assert.deepEqual(state.loc, { file: 'user.ts', line: 3, column: 5 });
      const t = state.nodes[2]!;
      assert.ok(t.kind === 'Tasklet' && t.code.language === 'tasklet');
      assert.deepEqual(t.loc, { file: 'user.ts', line: 4, column: 7 });
      assert.deepEqual(t.code.body[0], { k: 'assign', target: { k: 'name', name: 'y' }, op: '=', value: { k: 'name', name: 'x', pos: { line: 1, column: 5 } } });
      assert.equal(t.outConnectors.y, f64);
      assert.equal(back.symbols.N, i64);
    });

    it('saves an exit whose entry is missing (a broken graph) with its own scope', () => {
      const g = smallGraph();
      const state = g.blocks[0] as State;
      state.nodes = state.nodes.filter((n) => n.kind !== 'MapEntry');
      const json = toJSON(g);
      const exit = (json.blocks[0] as { nodes: { kind: string; entry?: unknown; map?: unknown }[] }).nodes.find((n) => n.kind === 'MapExit')!;
      assert.equal(exit.entry, null);
      assert.deepEqual(exit.map, { label: 'm', params: ['i'], ranges: ['0:N'], schedule: 'Default', unroll: false, collapse: 1 });
      assert.equal(printSDFG(fromJSON(json)), printSDFG(g));
    });

    it('writes non-finite numbers as strings and reads them back', () => {
      const g = smallGraph();
      g.constants.big = { dtype: f64, value: Infinity };
      g.constants.nan = { dtype: f64, value: NaN };
      const json = JSON.parse(toJSONString(g)) as SdfgJson;
      assert.deepEqual(json.constants, { big: { dtype: 'float64', value: 'Infinity' }, nan: { dtype: 'float64', value: 'NaN' } });
      const back = fromJSON(json);
      assert.equal(back.constants.big!.value, Infinity);
      assert.ok(Number.isNaN(back.constants.nan!.value));
    });
  });

  describe('bad documents', () => {
    it('names the path of a value of the wrong type', () => {
      const json = doc();
      json.blocks[0].nodes[1].map.ranges[0] = 3;
      rejects(json, 'blocks[0].nodes[1].map.ranges[0]: expected string, got number 3');
      const json2 = doc();
      json2.blocks[0].nodes[0].id = 1.5;
      rejects(json2, 'blocks[0].nodes[0].id: expected integer, got number 1.5');
      const json3 = doc();
      json3.blocks[0].edges[2].memlet.dynamic = 'yes';
      rejects(json3, 'blocks[0].edges[2].memlet.dynamic: expected boolean, got string "yes"');
    });

    it('names an unknown node kind and lists the known ones', () => {
      const json = doc();
      json.blocks[0].nodes[2].kind = 'Kernel';
      rejects(json, 'blocks[0].nodes[2].kind: unknown node kind "Kernel" (expected one of "AccessNode", "Tasklet", '
        + '"MapEntry", "MapExit", "ConsumeEntry", "ConsumeExit", "NestedSDFG", "LibraryNode")');
    });

    it('names a missing field', () => {
      const json = doc();
      delete json.blocks[0].nodes[0].data;
      rejects(json, 'blocks[0].nodes[0].data: missing field (expected string)');
      const json2 = doc();
      delete json2.blocks[1].kind;
      rejects(json2, 'blocks[1].kind: missing field (expected one of "State", "ControlFlowRegion", "LoopRegion", "ConditionalBlock")');
    });

    it('names an unknown field', () => {
      const json = doc();
      json.blocks[0].nodes[4].colour = 'red';
      rejects(json, 'blocks[0].nodes[4]: unknown field "colour"');
    });

    it('names a bad expression string and says what is wrong with it', () => {
      const json = doc();
      json.arrays.A.shape[0] = 'N +';
      rejects(json, 'arrays.A.shape[0]: bad expression "N +": expected an expression but found the end of the input at column 4');
      const json2 = doc();
      json2.blocks[0].edges[1].memlet.subset = 'i, ';
      rejects(json2, 'blocks[0].edges[1].memlet.subset: bad subset "i, ": expected a range but found the end of the input at column 4');
      const json3 = doc();
      json3.blocks[0].nodes[1].map.ranges[0] = '0:N, 0:M';
      rejects(json3, 'blocks[0].nodes[1].map.ranges[0]: expected one range, got 2 in "0:N, 0:M"');
    });

    it('names bad enumerations, negative ids and records of the wrong type', () => {
      const json = doc();
      json.arrays.B.dtype = 'float128';
      rejects(json, 'arrays.B.dtype: expected one of "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", '
        + '"uint32", "uint64", "float16", "float32", "float64", got string "float128"');
      const json2 = doc();
      json2.blocks[0].edges[0].src = -1;
      rejects(json2, 'blocks[0].edges[0].src: expected a number >= 0, got number -1');
      const json3 = doc();
      json3.symbols = ['N'];
      rejects(json3, 'symbols: expected object, got an array');
      const json4 = doc();
      json4.blocks[0].nodes[2].code.body[0].value.k = 'lambda';
      rejects(json4, 'blocks[0].nodes[2].code.body[0].value.k: unknown expression kind "lambda" (expected one of "num", '
        + '"bool", "name", "index", "unary", "binary", "ternary", "call", "cast")');
    });

    it('names an exit whose entry is not in its state', () => {
      const json = doc();
      json.blocks[0].nodes[3].entry = 0;
      rejects(json, 'blocks[0].nodes[3].entry: no MapEntry with id 0 in this state');
      const json2 = doc();
      json2.blocks[0].nodes[3].entry = null;
      rejects(json2, 'blocks[0].nodes[3].entry: an exit without an entry must hold its own map');
    });

    it('rejects other formats, other versions, non-objects and text that is not JSON', () => {
      const json = doc();
      json.format = 'dace';
      rejects(json, 'format: expected "sdfg-ts", got string "dace"');
      rejects({ type: 'SDFG', attributes: {} }, 'format: expected "sdfg-ts", got nothing');
      const json2 = doc();
      json2.version = 2;
      rejects(json2, 'version: expected 1 (the only version this library reads), got number 2');
      rejects([], 'expected an sdfg-ts document (a JSON object), got an array');
      rejects(null, 'expected an sdfg-ts document (a JSON object), got null');
      assert.throws(() => fromJSONString('{"format": '), (e: unknown) =>
        e instanceof FormatError && e.code === 'bad-json' && e.summary.startsWith('not valid JSON: '));
    });

    it('hints at fromDace for a DaCe file', () => {
      assert.throws(() => fromJSON({ type: 'SDFG' }), (e: unknown) =>
        e instanceof FormatError && e.hint === 'this looks like a DaCe .sdfg file: read it with fromDace');
    });

    it('never crashes on random damage: every failure is a FormatError', () => {
      const base = toJSONString(smallGraph());
      fc.assert(fc.property(fc.nat(base.length - 1), fc.string({ maxLength: 3 }), (at, insert) => {
        const text = base.slice(0, at) + insert + base.slice(at + 1);
        try {
          fromJSONString(text);
        } catch (e) {
          assert.ok(e instanceof FormatError, `not a FormatError: ${String(e)}`);
        }
      }), { numRuns: 300 });
    });
  });
});

describe('graph/clone', () => {
  /** Change every mutable part of a graph, nested SDFGs included. */
  function mutate(g: SDFG): void {
    for (const sdfg of allSDFGs(g)) {
      sdfg.name += '_x';
      sdfg.symbols.Z = i64;
      sdfg.argNames.push('Z');
      for (const desc of Object.values(sdfg.arrays)) {
        desc.transient = !desc.transient;
        if (desc.kind !== 'Scalar') desc.shape.push(int(7));
      }
      for (const c of Object.values(sdfg.constants)) c.value += 1;
      for (const block of [sdfg, ...walkBlocks(sdfg)]) {
        if (block.kind !== 'State') {
          if ('edges' in block) for (const e of block.edges) e.assignments.zz = { k: 'num', value: 9, isFloat: false };
          if (block.kind === 'ConditionalBlock') block.branches.pop();
          else if ('blocks' in block) block.nextBlockId += 5;
          continue;
        }
        block.label += '!';
        for (const n of block.nodes) {
          n.label += '!';
          n.inConnectors.extra = null;
          if (n.kind === 'MapEntry') { n.map.params.push('z'); n.map.ranges.push(range(0, 2)); n.map.schedule = 'MPI'; }
          if (n.kind === 'ConsumeEntry') n.consume.chunksize += 1;
          if (n.kind === 'NestedSDFG') n.symbolMapping.Q = int(1);
          if (n.kind === 'LibraryNode' && n.op.name === 'Reduce') n.op.axes = [5];
        }
        for (const e of block.edges) { e.memlet.data = 'other'; e.memlet.dynamic = !e.memlet.dynamic; e.src += 100; }
        block.nodes.pop();
      }
    }
  }

  it('makes a copy that prints the same and can be changed without touching the original', () => {
    fc.assert(fc.property(arbitrarySDFG(), (g) => {
      const before = printSDFG(g);
      const beforeJson = toJSONString(g);
      const copy = cloneSDFG(g);
      assert.equal(printSDFG(copy), before);
      assert.equal(toJSONString(copy), beforeJson);
      mutate(copy);
      assert.equal(printSDFG(g), before);
      assert.equal(toJSONString(g), beforeJson);
    }), { numRuns: 60 });
  });

  it('gives each entry/exit pair one new scope object, shared as in the original', () => {
    fc.assert(fc.property(arbitrarySDFG(), (g) => {
      const copy = cloneSDFG(g);
      const original = scopePairs(g), copied = scopePairs(copy);
      assert.equal(copied.length, original.length);
      copied.forEach(([entry, exit], n) => {
        assert.equal(entry.map, exit.map);
        assert.notEqual(entry.map, original[n]![0].map);
      });
    }), { numRuns: 40 });
  });

  it('shares immutable parts: expressions, subsets, dtypes', () => {
    const g = smallGraph();
    const copy = cloneSDFG(g);
    assert.equal(copy.arrays.A!.dtype, g.arrays.A!.dtype);
    const [s, c] = [g.blocks[0] as State, copy.blocks[0] as State];
    assert.equal(c.edges[0]!.memlet.subset, s.edges[0]!.memlet.subset);
    assert.notEqual(c.edges[0]!.memlet, s.edges[0]!.memlet);
    assert.ok(c.nodes[1]!.kind === 'MapEntry' && s.nodes[1]!.kind === 'MapEntry');
    assert.equal(c.nodes[1].map.ranges[0]!.end, N);
  });

  it('copies one state on its own', () => {
    const g = smallGraph();
    const state = g.blocks[0] as State;
    const copy = cloneState(state);
    const [entry, exit] = [copy.nodes[1]!, copy.nodes[3]!];
    assert.ok(entry.kind === 'MapEntry' && exit.kind === 'MapExit');
    assert.equal(entry.map, exit.map);
    assert.ok(state.nodes[1]!.kind === 'MapEntry' && entry.map !== state.nodes[1].map);
    copy.nodes.push(copy.nodes[0]!);
    assert.equal(state.nodes.length, 5);
  });
});
