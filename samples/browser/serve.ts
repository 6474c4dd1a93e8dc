// Bundle the browser sample (main.ts and the library) with esbuild into a folder, and serve it on localhost:
// `npx tsx samples/browser/serve.ts [port]`, then open the printed address in a browser with WebGPU.
// Bundles are made on the fly into a temporary folder, never committed.
import { createServer, type Server } from 'node:http';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Node-only modules the library imports for its other targets (the C++ compiler driver, koffi, Dawn) become empty
 * modules in the browser: nothing there runs in a page. The few Node helpers that the graph builder uses to name
 * the user's source line get small browser versions.
 */
const browserVersions: Record<string, string> = {
  'node:path': `
    const normalize = (p) => p.replace(/\\/+/g, '/');
    module.exports = {
      sep: '/',
      join: (...parts) => normalize(parts.join('/')),
      resolve: (...parts) => normalize(parts.join('/')),
      dirname: (p) => p.slice(0, Math.max(0, p.lastIndexOf('/'))) || '/',
      relative: (_from, to) => to,
    };
    module.exports.default = module.exports;`,
  'node:url': `module.exports = { fileURLToPath: (u) => String(u), pathToFileURL: (p) => new URL(p, location.href) };`,
  'node:module': `module.exports = { findSourceMap: () => undefined };`,
};

const nodeOnly: Plugin = {
  name: 'node-only-modules',
  setup(b) {
    b.onResolve({ filter: /^(node:.*|koffi|webgpu)$/ }, (args) => ({ path: args.path, namespace: 'node-only' }));
    b.onLoad({ filter: /.*/, namespace: 'node-only' }, (args) => ({ contents: browserVersions[args.path] ?? 'module.exports = {};', loader: 'js' }));
  },
};

/** Bundle the sample page into `outDir` (index.html and main.js); returns the folder. */
export async function bundleBrowserSample(outDir = mkdtempSync(path.join(os.tmpdir(), 'sdfg-browser-'))): Promise<string> {
  await build({
    entryPoints: [path.join(here, 'main.ts')],
    outfile: path.join(outDir, 'main.js'),
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', sourcemap: 'inline', logLevel: 'error',
    plugins: [nodeOnly],
  });
  copyFileSync(path.join(here, 'index.html'), path.join(outDir, 'index.html'));
  return outDir;
}

const contentTypes: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

/** Serve the files of `dir` on 127.0.0.1 (port 0: any free one); resolves with the server and its address. */
export function serveFolder(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const name = path.basename(new URL(request.url ?? '/', 'http://localhost').pathname) || 'index.html';
    try {
      const body = readFileSync(path.join(dir, name));
      response.writeHead(200, { 'content-type': contentTypes[path.extname(name)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/` });
  }));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = await bundleBrowserSample();
  const { url } = await serveFolder(dir, Number(process.argv[2] ?? 8123));
  console.log(`sdfg-ts browser sample (bundled into ${dir}): open ${url} in a browser with WebGPU (Ctrl-C to stop)`);
}
