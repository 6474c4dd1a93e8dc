// exportAddon: a standalone node-gyp project for one program, built here with npm's node-gyp and called from node.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { exportAddon } from '../../../targets/cpp/index.js';
import * as P from './programs.js';

/** The folder whose include/node holds Node's headers (Debian's node: /usr), so that node-gyp downloads nothing. */
function nodeDir(): string {
  const fromExec = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(fromExec, 'include', 'node', 'node_api.h')) ? fromExec : '/usr';
}

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
  });
}

describe('targets/cpp exportAddon', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'sdfg-addon-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a node-gyp project that builds and runs without this toolchain', async () => {
    const exported = await exportAddon(P.dot(), dir);
    assert.deepEqual([...exported.files].sort(), ['README.md', 'addon.cpp', 'binding.gyp', 'index.js', 'package.json', 'program.cpp']);
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts.install, 'node-gyp rebuild');
    await run('npm', ['run', 'build', '--', `--nodedir=${nodeDir()}`], dir);
    const addon = createRequire(import.meta.url)(path.join(dir, 'index.js')) as { run(args: Record<string, unknown>): Record<string, unknown> };
    const x = Float64Array.from([1, 2, 3]), y = Float64Array.from([4, -5, 6]);
    assert.deepEqual(addon.run({ x, y, result: 0.5, largest: -100, N: 3 }), { x, y, result: 12.5, largest: 18 });
    assert.throws(() => addon.run({ x, y: new Float32Array(3), result: 0, largest: 0, N: 3 }), { name: 'TypeError', message: 'y must hold float64 elements' });
    assert.throws(() => addon.run({ x, y, result: 0, largest: 0, N: 4 }), { name: 'TypeError', message: 'x has 3 elements, expected 4' });
    assert.throws(() => addon.run({ x, y, result: 0, largest: 0 }), { name: 'TypeError', message: "missing argument 'N' (symbol of int64)" });
  });
});
