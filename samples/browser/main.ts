// The browser sample: build the softmax sample with the library, compile it for WebGPU (navigator.gpu), run it on
// seeded inputs, compare with the reference interpreter running in the same page, and show both. The result is also
// left on `window.sdfgResult` for the test that drives this page in headless Chromium.
import { compile, SdfgError } from '../../index.js';
import { softmax } from '../softmax.js';
import { randomArray, seededRandom } from '../support.js';

export interface BrowserResult {
  readonly ok: boolean;
  readonly device?: string;
  readonly N?: number;
  readonly M?: number;
  readonly seed?: number;
  /** Outputs of WebGPU and of the interpreter, as plain arrays. */
  readonly gpu?: number[];
  readonly reference?: number[];
  readonly error?: string;
}

/** The little of the DOM this page uses (the project compiles without the DOM library). */
interface PageElement { textContent: string | null; innerHTML: string; className: string }
interface Page {
  readonly document: { getElementById(id: string): PageElement | null };
  readonly location: { readonly search: string };
  sdfgResult?: BrowserResult;
}
const page = globalThis as unknown as Page;
const element = (id: string): PageElement => page.document.getElementById(id)!;

function show(result: BrowserResult): void {
  page.sdfgResult = result;
  const status = element('status');
  if (!result.ok) {
    status.textContent = `Failed: ${result.error}`;
    status.className = 'failed';
    return;
  }
  const worst = result.gpu!.reduce((w, v, k) => Math.max(w, Math.abs(v - result.reference![k]!)), 0);
  status.textContent = `softmax of a ${result.N}×${result.M} matrix on ${result.device}: largest difference from the interpreter ${worst.toExponential(2)}`;
  const rows = result.gpu!.slice(0, 8).map((v, k) => `<tr><td>${k}</td><td>${v.toFixed(7)}</td><td>${result.reference![k]!.toFixed(7)}</td></tr>`);
  element('results').innerHTML = `<tr><th>element</th><th>WebGPU</th><th>interpreter</th></tr>${rows.join('')}`;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(page.location.search);
  const [N, M, seed] = [Number(params.get('N') ?? 8), Number(params.get('M') ?? 50), Number(params.get('seed') ?? 1)];
  const x = randomArray(Float32Array, N * M, seededRandom(seed));
  try {
    const compiled = await compile(softmax, { target: 'wgsl' });
    element('source').textContent = compiled.source;
    const gpu = new Float32Array(N * M), reference = new Float32Array(N * M);
    await compiled.run({ N, M, x, out: gpu });
    softmax.run({ N, M, x, out: reference });
    show({ ok: true, device: compiled.deviceDescription, N, M, seed, gpu: [...gpu], reference: [...reference] });
  } catch (error) {
    show({ ok: false, error: error instanceof SdfgError ? `${error.code}: ${error.message}` : String(error) });
  }
}

void main();
