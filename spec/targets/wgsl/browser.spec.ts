// The host code in a browser: samples/browser is bundled on the fly (esbuild, into a temporary folder) and driven in
// headless Chromium (playwright-core), where it compiles softmax to WGSL and runs it on navigator.gpu (SwiftShader
// without a GPU). One browser launch (5–8 s); the page's numbers are checked against the interpreter run here.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { softmax } from '../../../samples/softmax.js';
import { randomArray, seededRandom, maxViolation } from '../../../samples/support.js';
import { bundleBrowserSample, serveFolder } from '../../../samples/browser/serve.js';
import type { BrowserResult } from '../../../samples/browser/main.js';

const chromiumPath = '/usr/bin/chromium';
const flags = ['--headless', '--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

describe('WGSL host code in a browser (samples/browser in headless Chromium)', function () {
  this.timeout(90_000);

  it('runs softmax on navigator.gpu and matches the interpreter', async function () {
    if (!existsSync(chromiumPath)) this.skip();
    const work = mkdtempSync(path.join(os.tmpdir(), 'sdfg-browser-test-'));
    const { server, url } = await serveFolder(await bundleBrowserSample(path.join(work, 'site')));
    const browser = await chromium.launchPersistentContext(path.join(work, 'profile'), { executablePath: chromiumPath, headless: true, args: flags });
    const logs: string[] = [];
    try {
      const page = browser.pages()[0] ?? await browser.newPage();
      page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => logs.push(`page error: ${e.message}`));
      const [N, M, seed] = [6, 37, 5];
      await page.goto(`${url}?N=${N}&M=${M}&seed=${seed}`);
      await page.waitForFunction(() => (globalThis as { sdfgResult?: unknown }).sdfgResult !== undefined, undefined, { timeout: 60_000 });
      const result = await page.evaluate(() => (globalThis as unknown as { sdfgResult: BrowserResult }).sdfgResult);
      assert.ok(result.ok, `${result.error}\n${logs.join('\n')}`);
      assert.match(result.device!, /^navigator\.gpu/);
      const x = randomArray(Float32Array, N * M, seededRandom(seed));
      const expected = new Float32Array(N * M);
      softmax.run({ N, M, x, out: expected });
      assert.deepEqual(result.reference, [...expected], 'the interpreter in the page agrees with the one in Node');
      assert.equal(maxViolation(expected, result.gpu!, 1e-5), 0);
      assert.match(await page.textContent('#source') ?? '', /@compute @workgroup_size/);
    } finally {
      await browser.close();
      server.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});
