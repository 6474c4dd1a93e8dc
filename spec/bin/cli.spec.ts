// The command line: each command's output and exit code, and its errors (printed, never thrown).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../bin/cli.js';
import { toJSONString } from '../../index.js';
import { axpy } from '../../samples/axpy.js';

/** Run the command line, collecting what it writes. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const [out, err]: string[][] = [[], []];
  const [write, writeErr] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  process.stdout.write = ((chunk: string) => { out.push(String(chunk)); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => { err.push(String(chunk)); return true; }) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

describe('the sdfg command line', function () {
  this.timeout(60_000);
  let folder: string;
  let file: string;
  before(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'sdfg-cli-'));
    file = path.join(folder, 'axpy.json');
    writeFileSync(file, toJSONString(axpy.sdfg));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('prints, validates and emits C++ from a graph file', async () => {
    assert.match((await run('print', file)).out, /^sdfg axpy\n/);
    assert.deepEqual(await run('validate', file), { code: 0, out: 'valid\n', err: '' });
    const emitted = await run('emit', file);
    assert.equal(emitted.code, 0);
    assert.match(emitted.out, /extern "C" void sdfg_axpy\(/);
  });

  it('writes a Vitis HLS project with emit --target hls', async () => {
    const out = path.join(folder, 'axpy_hls');
    const result = await run('emit', file, '--target', 'hls', '-o', out);
    assert.equal(result.code, 0);
    assert.match(result.out, /^wrote \d+ files to .*axpy_hls \(run: cd .* && vitis_hls -f run_hls\.tcl\)\n$/);
    for (const name of ['kernel.cpp', 'kernel.h', 'host.cpp', 'testbench.cpp', 'run_hls.tcl', 'report.txt', 'include/hls_stream.h']) {
      assert.ok(existsSync(path.join(out, name)), name);
    }
    assert.match(readFileSync(path.join(out, 'kernel.cpp'), 'utf8'), /#pragma HLS DATAFLOW/);
  });

  it('reports a kernel of the library for the FPGA, with a chosen stream depth', async () => {
    const result = await run('report', 'jacobi_2d', '--depth', '32');
    assert.equal(result.code, 0);
    assert.match(result.out, /^FPGA report for SDFG "jacobi_2d"/);
    assert.match(result.out, /depth 32/);
    assert.match(result.out, /estimated II=\d+/);
  });

  it('says what is wrong: an unknown target, a bad depth, a missing file, an unknown command', async () => {
    assert.deepEqual(await run('emit', file, '--target', 'vhdl'), {
      code: 1, out: '', err: '[unknown-target] emit does not know target "vhdl"\n  hint: targets: cpp, hls\n',
    });
    assert.deepEqual(await run('report', 'gemm', '--depth', 'zero'), {
      code: 1, out: '', err: '[usage] --depth must be a positive integer, got "zero"\n  hint: e.g. --depth 64\n',
    });
    const missing = await run('print', path.join(folder, 'nothing.json'));
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^\[unreadable-file\] cannot read .*nothing\.json: ENOENT/);
    assert.equal((await run('frobnicate')).code, 2);
  });
});
