// Writing programs as DaCe 2.0 JSON: DaCe's conventions, round trips ours → DaCe → ours, and .sdfg/.sdfgz files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromDace, fromDaceFile, toDace, toDaceFile } from '../../../dace-interop.js';
import { FormatError } from '../../../graph/errors.js';
import { array, f64, program, symbol } from '../../../index.js';
import { printSDFG } from '../../../graph/printer.js';
import { validate } from '../../../graph/validate.js';
import { samples, copyArgs } from '../../../samples/catalogue.js';
import { axpy } from '../../../samples/axpy.js';
import { jacobi2d } from '../../../samples/jacobi-2d.js';
import { softmax } from '../../../samples/softmax.js';
import { histogram } from '../../../samples/histogram.js';

type Json = any;
const N = 'symbol($N, dtype=dace.int64)';

describe('graph/dace/write', () => {
  describe("DaCe's conventions", () => {
    const doc: Json = toDace(axpy);
    const st = doc.nodes[0];
    const byType = (type: string): Json => st.nodes.find((n: Json) => n.type === type);

    it('writes the SDFG header: data arguments only, spelled symbols, no default-valued properties', () => {
      assert.equal(doc.type, 'SDFG');
      assert.deepEqual(doc.attributes.arg_names, ['a', 'x', 'y']);
      assert.deepEqual(doc.attributes.symbols, { N: 'int64' });
      assert.deepEqual(doc.attributes._arrays.x, { type: 'Array', attributes: { strides: ['1'], total_size: N, offset: ['0'], dtype: 'float64', shape: [N] } });
      assert.deepEqual(doc.attributes._arrays.a, { type: 'Scalar', attributes: { dtype: 'float64', shape: ['1'] } });
      assert.deepEqual([doc.cfg_list_id, doc.start_block, doc.id], [0, 0, null]);
    });

    it('writes map ranges with inclusive ends and links scopes both ways', () => {
      const entry = byType('MapEntry'), exit = byType('MapExit'), tasklet = byType('Tasklet');
      assert.deepEqual(entry.attributes.range, { type: 'Range', ranges: [{ start: '0', end: `${N} - 1`, step: '1', tile: '1' }] });
      assert.equal(entry.attributes.schedule, undefined);
      assert.deepEqual([entry.scope_entry, entry.scope_exit], [null, String(exit.id)]);
      assert.deepEqual([exit.scope_entry, exit.scope_exit], [String(entry.id), String(exit.id)]);
      assert.deepEqual([tasklet.scope_entry, tasklet.scope_exit], [String(entry.id), String(exit.id)]);
      assert.deepEqual(st.scope_dict[String(entry.id)], [exit.id, tasklet.id].sort());
      assert.ok(st.scope_dict['-1'].includes(entry.id));
    });

    it('writes tasklets as Python and memlets with their source and destination subsets', () => {
      assert.deepEqual(byType('Tasklet').attributes.code, { string_data: 'out = ((a * xi) + yi)', language: 'Python' });
      const into = st.edges.find((e: Json) => e.dst_connector === 'xi').attributes.data.attributes;
      assert.deepEqual([into.data, into.is_data_src, into.dst_subset, into.volume, into.num_accesses], ['x', true, null, '1', '1']);
      assert.deepEqual(into.subset, { type: 'Range', ranges: [{ start: 'symbol($i, dtype=dace.int64)', end: 'symbol($i, dtype=dace.int64)', step: '1', tile: '1' }] });
      const exit = String(byType('MapExit').id);
      const out = st.edges.find((e: Json) => e.src === exit && e.src_connector === 'OUT_y').attributes.data.attributes;
      assert.deepEqual([out.is_data_src, out.src_subset], [false, null]);
      assert.deepEqual(out.dst_subset, out.subset);
    });

    it('writes loops as LoopRegions with Python statements', () => {
      const loop: Json = (toDace(jacobi2d) as Json).nodes[0];
      assert.equal(loop.type, 'LoopRegion');
      assert.deepEqual(loop.attributes, {
        update_statement: { string_data: 't = (t + 1)', language: 'Python' }, init_statement: { string_data: 't = 1', language: 'Python' },
        loop_condition: { string_data: '(t < TSTEPS)', language: 'Python' }, loop_variable: 't',
      });
      assert.equal(loop.cfg_list_id, 1);
    });

    it('writes library nodes by classpath and write-conflict resolutions as lambdas', () => {
      const reduce = (toDace(softmax) as Json).nodes[0].nodes.find((n: Json) => n.type === 'LibraryNode');
      assert.equal(reduce.classpath, 'dace.libraries.standard.nodes.reduce.Reduce');
      assert.deepEqual([reduce.attributes.wcr, reduce.attributes.axes, reduce.attributes.identity], ['(lambda a, b: max(a, b))', [1], '-inf']);
      const scatter = (toDace(histogram) as Json).nodes[0].edges.find((e: Json) => e.attributes.data.attributes.wcr);
      assert.deepEqual([scatter.attributes.data.attributes.wcr, scatter.attributes.data.attributes.dynamic], ['(lambda a, b: (a + b))', true]);
    });
  });

  it("writes the tasklet language's float `%` as fmod, which DaCe's C++ needs, and reads it back", () => {
    const fm = program('fm', { N: symbol, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, x, y }) => {
      p.map`i = 0:${N}`.tasklet({ a: x.at`i` }, { o: y.at`i` })`o = a % 2.5
o %= 2.0`;
    });
    const doc: Json = toDace(fm);
    const tasklet = doc.nodes[0].nodes.find((n: Json) => n.type === 'Tasklet');
    assert.equal(tasklet.attributes.code.string_data, 'o = fmod(a, 2.5)\no = fmod(o, 2.0)');
    assert.equal(printSDFG(fromDace(doc).sdfg), printSDFG(fm.sdfg).replace('o %= 2.0', 'o = o % 2.0'));
  });

  describe('round trips ours → DaCe → ours', () => {
    for (const sample of samples) {
      it(`keeps ${sample.name}: the same graph, the same results`, () => {
        const back = fromDace(JSON.stringify(toDace(sample.program)));
        assert.equal(back.report.runnable, true, String(back.report));
        assert.equal(printSDFG(back.sdfg), printSDFG(sample.program.sdfg));
        validate(back.sdfg);
        const args = sample.inputs(3, 7), again = copyArgs(args);
        sample.program.run(args as never);
        back.run(again as never);
        for (const o of sample.outputs) assert.deepEqual(again[o], args[o], o);
      });
    }
  });

  describe('files', () => {
    let dir = '';
    before(() => { dir = mkdtempSync(path.join(tmpdir(), 'sdfg-dace-')); });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('writes .sdfg as JSON and .sdfgz gzip-compressed, and reads both back', () => {
      toDaceFile(axpy, path.join(dir, 'axpy.sdfg'));
      toDaceFile(axpy, path.join(dir, 'axpy.sdfgz'));
      const plain = readFileSync(path.join(dir, 'axpy.sdfg'));
      const packed = readFileSync(path.join(dir, 'axpy.sdfgz'));
      assert.equal(JSON.parse(plain.toString('utf8')).type, 'SDFG');
      assert.deepEqual([packed[0], packed[1]], [0x1f, 0x8b]);
      assert.ok(packed.length < plain.length);
      for (const f of ['axpy.sdfg', 'axpy.sdfgz']) assert.equal(fromDaceFile(path.join(dir, f)).toString(), axpy.toString());
    });

    it('names files it cannot read', () => {
      assert.throws(() => fromDaceFile(path.join(dir, 'missing.sdfg')), (e: unknown) => e instanceof FormatError && e.code === 'file-not-readable' && e.summary.startsWith(`cannot read ${path.join(dir, 'missing.sdfg')}: `));
      writeFileSync(path.join(dir, 'broken.sdfgz'), new Uint8Array([0x1f, 0x8b, 1, 2, 3]));
      assert.throws(() => fromDaceFile(path.join(dir, 'broken.sdfgz')), (e: unknown) => e instanceof FormatError && e.code === 'bad-gzip' && e.summary.startsWith(`${path.join(dir, 'broken.sdfgz')} looks compressed but cannot be decompressed: `));
    });
  });
});
