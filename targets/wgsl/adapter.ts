/// <reference types="@webgpu/types" />
// Finding a WebGPU device: `navigator.gpu` in a browser; in Node, Dawn from the `webgpu` package, falling back to
// SwiftShader's Vulkan driver (shipped with Chromium) when the machine has no GPU. No adapter is a TargetError that
// says what to install — never a crash or a hang.
import { deviceFrom, noAdapter, type AdapterSearch, type GpuEntry, type WgslDevice } from './device-request.js';
import { nodeWgslDevice } from './node-adapter.js';

export type { AdapterSearch, GpuEntry, WgslDevice } from './device-request.js';

function browserGpu(): GpuEntry | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GpuEntry } }).navigator;
  return nav?.gpu;
}

/** Find an adapter and make a device: the browser's, or Dawn's in Node. */
export async function requestWgslDevice(search: AdapterSearch = {}): Promise<WgslDevice> {
  const timeoutMs = search.timeoutMs ?? 30_000;
  if (search.gpu) {
    const found = await deviceFrom(await search.gpu(), timeoutMs, 'the given GPU');
    if (!found) throw noAdapter('the given GPU offered none');
    return found;
  }
  const browser = browserGpu();
  if (browser) {
    const found = await deviceFrom(browser, timeoutMs, 'navigator.gpu');
    if (!found) throw noAdapter('navigator.gpu offered none (is WebGPU enabled in this browser?)');
    return found;
  }
  if (typeof process === 'undefined' || !process.versions?.node) throw noAdapter('this environment has neither navigator.gpu nor Node');
  return nodeWgslDevice(timeoutMs);
}

let shared: Promise<WgslDevice> | undefined;

/**
 * The process's shared device, found on first use (and again after it is lost or released). A search with its own
 * GPU entry point gets a device of its own: it must neither reuse nor replace the one found automatically.
 */
export function sharedWgslDevice(search: AdapterSearch = {}): Promise<WgslDevice> {
  if (search.gpu) return requestWgslDevice(search);
  if (!shared) {
    const pending = requestWgslDevice(search);
    shared = pending;
    pending.then((d) => {
      void d.device.lost.then(() => { if (shared === pending) shared = undefined; });
    }, () => { if (shared === pending) shared = undefined; });
  }
  return shared;
}

/** Destroy the shared device (so that Node can exit); the next compile finds a new one. */
export async function releaseWgslDevice(): Promise<void> {
  const pending = shared;
  shared = undefined;
  if (!pending) return;
  try {
    (await pending).device.destroy();
  } catch {
    // It was never made: nothing to release.
  }
}
