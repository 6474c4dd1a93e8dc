// Reading DaCe 2.0 SDFG JSON: the hand-built corpus files as text, conventions (ranges, symbols, defaults), reports and errors.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fromDace, fromDaceFile } from '../../../dace-interop.js';
import { FormatError, SdfgError } from '../../../graph/errors.js';
import { allStates } from '../../../graph/query.js';
import { formatSubset, toInclusiveEnd } from '../../../graph/subsets.js';
import { validate } from '../../../graph/validate.js';
import { readDaceSDFG } from '../../../graph/dace/read.js';
import { corpusDir, requireCorpus } from './corpus-cases.js';
import { array, edge, mappedTasklet, memlet, node, range, sdfg, state, sym } from './dace-docs.js';

const corpus = corpusDir;

function formatError(fn: () => unknown, code: string, message: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    if (!(e instanceof FormatError)) return false;
    assert.equal(e.code, code, e.message);
    if (typeof message === 'string') assert.equal(e.summary, message);
    else assert.match(e.summary, message);
    return true;
  });
}

/** A copy of a document with one change. */
function edit<T>(doc: T, change: (d: any) => void): T {
  const copy = structuredClone(doc);
  change(copy);
  return copy;
}

describe('graph/dace/read', () => {
  describe('the hand-built files', () => {
    before(requireCorpus);
    it('reads axpy_builder: a map, a Reduce, an interstate condition and assignment', () => {
      const p = fromDaceFile(path.join(corpus, 'hand-built/axpy_builder.sdfg'));
      assert.equal(p.toString(), [
        'sdfg axpy_builder', '  symbol N: int64', '  scalar a: float64', '  array s: float64[1]', '  array tmp: float64[N] (transient)',
        '  array x: float64[N]', '  array y: float64[N]', '  args N', '  state s0 "compute"',
        '    n0 map_entry axpy_map [i = 0:N] label "axpy_map[i=0:N]"', '    n1 tasklet axpy (ai, xi, yi -> o) {o = ai * xi + yi}',
        '    n2 map_exit axpy_map label "axpy_map[i=0:N]"', '    n3 access a', '    n4 access x', '    n5 access y', '    n6 access tmp',
        '    e0 n3 -> n0.IN_a  a[0] (volume N)', '    e1 n4 -> n0.IN_x  x[0:N]', '    e2 n5 -> n0.IN_y  y[0:N]', '    e3 n0.OUT_a -> n1.ai  a[0]',
        '    e4 n2.OUT_tmp -> n6  tmp[0:N]', '    e5 n0.OUT_x -> n1.xi  x[i]', '    e6 n0.OUT_y -> n1.yi  y[i]', '    e7 n1.o -> n2.IN_tmp  tmp[i]',
        '  state s1 "reduce"', '    n0 access tmp', '    n1 access s', '    n2 library "Reduce (Sum), Axes: all" (_in -> _out) Reduce wcr sum identity 0',
        '    e0 n0 -> n2._in  tmp[0:N]', '    e1 n2._out -> n1  s[0]', '  edge s0 -> s1 if (N > 0) assign k = N - 1',
      ].join('\n'));
      assert.equal(p.report.runnable, true);
      validate(p.sdfg);
      const x = Float64Array.from([1, 2, 3]), y = Float64Array.from([10, 20, 30]), s = new Float64Array(1);
      p.run({ a: 2, x, y, s });
      assert.deepEqual([...s], [2 + 10 + 4 + 20 + 6 + 30]);
    });

    it('reads prog_loop: a LoopRegion around a ConditionalBlock, and runs it', () => {
      const p = fromDaceFile(path.join(corpus, 'hand-built/prog_loop.sdfg'));
      const text = p.toString();
      assert.match(text, /loop l0 "for_5" for \(t = 0; t < 10; t = t \+ 1\)/);
      assert.match(text, /branch r0 "if_6_body" if \(t % 2 == 0\)/);
      assert.match(text, /branch r1 "if_6_else_9" else/);
      validate(p.sdfg);
      const A = Float64Array.from([1, 2]), B = Float64Array.from([3, 5]);
      const a = [...A], b = [...B];
      for (let t = 0; t < 10; t++) {
        if (t % 2 === 0) a.forEach((v, i) => { a[i] = v + b[i]!; });
        else a.forEach((v, i) => { b[i] = v * 2; });
      }
      p.run({ A, B });
      assert.deepEqual([...A], a);
      assert.deepEqual([...B], b);
    });
  });

  describe('conventions', () => {
    it('turns inclusive range ends into exclusive ones, steps included', () => {
      const doc = edit(mappedTasklet('b = a'), (d) => {
        d.nodes[0].nodes[0].attributes.range = { type: 'Range', ranges: [{ start: '1', end: `-2 + ${sym('N')}`, step: '2', tile: '1' }] };
      });
      const entry = fromDace(doc).sdfg.blocks[0]!;
      assert.ok(entry.kind === 'State' && entry.nodes[0]!.kind === 'MapEntry');
      const r = entry.nodes[0].map.ranges[0]!;
      assert.equal(formatSubset({ ranges: [r] }), '1:N - 1:2');
      assert.equal(toInclusiveEnd(r).toString(), '2*int_floor(N + 1, 2) - 3');
    });

    it('reads both symbol spellings, `$N` (DaCe\'s int32 default) and symbol($N, dtype=…)', () => {
      const doc = sdfg('s', { A: array('float64', ['$N']), B: array('float64', [sym('M', 'uint32')]) }, [state('s', [], [])], { symbols: { N: 'int32', M: 'uint32' } });
      const { sdfg: g } = readDaceSDFG(doc);
      assert.equal(g.arrays['A']!.kind === 'Array' && g.arrays['A'].shape.join(), 'N');
      assert.equal(g.symbols['M']!.name, 'uint32');
    });

    it("fills in the values DaCe leaves out because they are the default", () => {
      const doc = sdfg('d', { A: array(undefined, ['4']), s: { type: 'Scalar', attributes: { shape: ['1'] } } }, [state('s', [node('AccessNode', 0, { data: 'A' })], [])]);
      const g = readDaceSDFG(doc).sdfg;
      const A = g.arrays['A']!;
      assert.ok(A.kind === 'Array');
      assert.deepEqual([A.dtype.name, A.transient, A.storage, A.lifetime, A.alignment, A.startOffset], ['int32', false, 'Default', 'Scope', 0, 0]);
      assert.equal(g.arrays['s']!.dtype.name, 'int32');
      const n = (g.blocks[0] as { nodes: { inConnectors: object; outConnectors: object }[] }).nodes[0]!;
      assert.deepEqual([n.inConnectors, n.outConnectors], [{}, {}]);
    });

    it('keeps enumeration values it does not know, with a note', () => {
      const doc = edit(mappedTasklet('b = a'), (d) => { d.attributes._arrays.x.attributes.storage = 'SVE_Register'; d.nodes[0].nodes[0].attributes.schedule = 'Snitch'; });
      const p = fromDace(doc);
      assert.equal(p.sdfg.arrays['x']!.storage, 'Default');
      assert.deepEqual(p.report.notes, [
        'mapped: data x: storage "SVE_Register" is not known here; read as Default (the original is kept for writing back)',
        'mapped / s / m: schedule "Snitch" is not known here; read as Default (the original is kept for writing back)',
      ]);
    });

    it('names the connectors DaCe leaves off library-node edges, and the adjacent container on copies through scopes', function () {
      requireCorpus.call(this);
      const p = fromDaceFile(path.join(corpus, 'gemver/gemver.auto_cpu.sdfg'));
      const st = [...allStates(p.sdfg)][0]!;
      const e = st.edges.find((x) => st.nodes.find((n) => n.id === x.src && n.kind === 'AccessNode' && n.data === '__map_fusion_A') && x.dstConn === 'IN_1')!;
      assert.equal(e.memlet.data, '__map_fusion_A');
      assert.equal(formatSubset(e.memlet.subset!), '0, 0');
      assert.equal(formatSubset(e.memlet.otherSubset!), '__i0_0, __i1_0');
    });
  });

  describe('what is not translated', () => {
    it('keeps a Python tasklet outside the subset as raw Python, and reports why', () => {
      const p = fromDace(mappedTasklet('b = foo(a)'));
      assert.equal(p.report.runnable, false);
      assert.deepEqual(p.report.untranslatedTasklets, [{
        sdfg: 'mapped', state: 's', node: 't', id: 1, language: 'Python', code: 'b = foo(a)',
        reason: 'the function foo is not in the tasklet language (line 1, column 5)',
      }]);
      assert.match(p.toString(), /n1 tasklet t \(a -> b\) Python "b = foo\(a\)"/);
      validate(p.sdfg);
      assert.equal(String(p.report), 'untranslated Python tasklet mapped / s / t (#1): the function foo is not in the tasklet language (line 1, column 5)\n    b = foo(a)');
      assert.throws(() => p.run({ x: new Float64Array(2), y: new Float64Array(2) }), (e: unknown) => e instanceof SdfgError && e.code === 'unsupported-tasklet-language');
    });

    it('keeps C++ tasklets as raw C++', () => {
      const p = fromDace(mappedTasklet('b = a * 2;', { language: 'CPP' }));
      assert.equal(p.report.untranslatedTasklets[0]!.reason, 'CPP code is kept as a raw CPP tasklet (not translated)');
      assert.match(p.toString(), /CPP "b = a \* 2;"/);
    });

    it('keeps an unknown library node and reports it', () => {
      const doc = sdfg('lib', { x: array('float64', ['4']), r: array('float64', ['1']) }, [state('s', [
        node('AccessNode', 0, { data: 'x' }), node('AccessNode', 1, { data: 'r' }),
        node('LibraryNode', 2, { name: 'Sum', label: 'Sum', in_connectors: { _x: null }, out_connectors: { _r: null }, special: 3 }, { classpath: 'mylib.nodes.Sum' }),
      ], [edge(0, null, 2, '_x', memlet('x', range(['0', '3']))), edge(2, '_r', 1, null, memlet('r', range(['0', '0'])))])]);
      const p = fromDace(doc);
      assert.deepEqual(p.report.unknownLibraryNodes, [{ sdfg: 'lib', state: 's', node: 'Sum', id: 2, classpath: 'mylib.nodes.Sum' }]);
      assert.match(p.toString(), /library Sum \(_x -> _r\) Unknown "mylib.nodes.Sum"/);
      validate(p.sdfg);
      assert.throws(() => p.run({ x: new Float64Array(4), r: new Float64Array(1) }), (e: unknown) => e instanceof SdfgError && e.code === 'unsupported-node');
    });
  });

  describe('errors', () => {
    const base = mappedTasklet('b = a');

    it('rejects what is not a DaCe SDFG', () => {
      formatError(() => readDaceSDFG('{'), 'bad-json', /^the text is not JSON: /);
      formatError(() => readDaceSDFG({ type: 'Foo' }), 'not-dace-sdfg', 'not a DaCe SDFG: the top-level "type" is "Foo", not "SDFG"');
      assert.throws(() => readDaceSDFG({ format: 'sdfg-ts' }), (e: unknown) => e instanceof FormatError && e.hint === 'this is an sdfg-ts JSON file: read it with fromJSON');
      formatError(() => readDaceSDFG([1]), 'bad-structure', 'the DaCe file: expected an object, got [1]');
    });

    it('names containers, types, blocks and nodes it does not model', () => {
      formatError(() => readDaceSDFG(edit(base, (d) => { d.attributes._arrays.x = { type: 'Structure', attributes: {} }; })),
        'unsupported-data', 'mapped: data x is a "Structure", which sdfg-ts does not model');
      formatError(() => readDaceSDFG(edit(base, (d) => { d.attributes._arrays.x.attributes.dtype = 'complex128'; })),
        'unsupported-dtype', 'mapped: data x: the data type "complex128" is not supported');
      formatError(() => readDaceSDFG(edit(base, (d) => { d.attributes.symbols.N = { type: 'pointer' }; })),
        'unsupported-dtype', 'mapped: symbol N has the type {"type":"pointer"}, which is not supported');
      formatError(() => readDaceSDFG(edit(base, (d) => { d.nodes.push({ type: 'BreakBlock', label: 'brk', attributes: {} }); })),
        'unsupported-block', 'mapped / brk: control-flow blocks of type "BreakBlock" are not supported');
      formatError(() => readDaceSDFG(edit(base, (d) => { d.nodes[0].nodes[3].type = 'RTLTasklet'; })),
        'unsupported-node', 'mapped / s / x: nodes of type "RTLTasklet" are not supported');
      formatError(() => readDaceSDFG(edit(base, (d) => { d.nodes[0].nodes[1].attributes.code.language = 'SystemVerilog'; })),
        'unsupported-language', 'mapped / s / t: tasklets in SystemVerilog are not supported');
    });

    it('names broken references and shapes', () => {
      formatError(() => readDaceSDFG(edit(base, (d) => { d.nodes[0].edges[0].src = '7'; })),
        'bad-edge', 'mapped / s: edge 0: its src "7" is no node of the state');
      formatError(() => readDaceSDFG(edit(base, (d) => { d.nodes[0].nodes[2].scope_entry = '3'; })),
        'unmatched-scope', 'mapped / s / MapExit: the MapExit names "3" as its entry, which is no MapEntry');
      formatError(() => readDaceSDFG(edit(base, (d) => { d.nodes[0].nodes[0].attributes.params = ['i', 'j']; })),
        'bad-map', 'mapped / s / m: 2 parameters but 1 ranges');
      formatError(() => readDaceSDFG(edit(base, (d) => { d.edges = [{ type: 'Edge', attributes: { data: { type: 'InterstateEdge', attributes: {} } }, src: '0', dst: '4' }]; })),
        'bad-edge', 'mapped: interstate edge 0: its dst "4" is no block of the graph');
      formatError(() => readDaceSDFG(edit(base, (d) => { d.nodes[0].nodes[4].attributes.data = 3; })),
        'bad-node', 'mapped / s / y: an access node needs its data\'s name');
    });

    it('names expressions it cannot read', () => {
      formatError(() => readDaceSDFG(edit(base, (d) => { d.attributes._arrays.x.attributes.shape = ['N/2']; })),
        'dace-expression', /^mapped: data x: shape\[0\]: cannot read the symbolic expression 'N\/2': '\/' is true division/);
      formatError(() => readDaceSDFG(edit(base, (d) => { d.nodes[0].edges[1].attributes.data.attributes.wcr = 'lambda a: a'; })),
        'unsupported-wcr', /^mapped \/ s: edge 1: cannot read the write-conflict resolution lambda a: a: /);
      const withEdge = (condition: string) => edit(base, (d) => {
        d.nodes.push(state('t', [], [], 1));
        d.edges = [{ type: 'Edge', attributes: { data: { type: 'InterstateEdge', attributes: { condition: { string_data: condition, language: 'Python' } } } }, src: '0', dst: '1' }];
      });
      formatError(() => readDaceSDFG(withEdge('x in y')), 'untranslatable-expression',
        "mapped: interstate edge 0 condition: cannot translate 'x in y': the 'in' operator is not in the tasklet language (line 1, column 1)");
      formatError(() => readDaceSDFG(withEdge('(N >')), 'python-syntax', 'mapped: interstate edge 0 condition: unexpected end of the code at line 1, column 5');
      formatError(() => readDaceSDFG(edit(base, (d) => {
        d.nodes[0].nodes.push(node('LibraryNode', 5, { identity: 'abc' }, { classpath: 'dace.libraries.standard.nodes.reduce.Reduce' }));
      })), 'bad-number', 'mapped / s / LibraryNode: identity: expected a number, got "abc"');
    });
  });
});
