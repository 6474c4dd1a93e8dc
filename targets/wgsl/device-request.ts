/// <reference types="@webgpu/types" />
// Getting a device from one WebGPU entry point (`navigator.gpu`, or a Dawn instance in Node), with a timeout, and the
// error every failed search ends in: a TargetError that says what to install.
import { TargetError } from '../../graph/errors.js';

/** What `navigator.gpu` or Dawn's `create()` gives: enough of the GPU interface to get a device. */
export interface GpuEntry {
  requestAdapter(options?: GPURequestAdapterOptions): Promise<GPUAdapter | null>;
}

export interface AdapterSearch {
  /** Where the GPU interface comes from; by default `navigator.gpu`, else Dawn in Node. */
  readonly gpu?: () => Promise<GpuEntry>;
  /** Give up on an adapter or device request after this long (default 30 s). */
  readonly timeoutMs?: number;
}

/** The device and where it came from ("navigator.gpu", "Dawn (Vulkan)", "Dawn on SwiftShader …"). */
export interface WgslDevice {
  readonly device: GPUDevice;
  readonly description: string;
  /** The GPU entry point and adapter the device came from: Dawn's instance must outlive its devices (if it is
   * garbage-collected first, the process crashes). */
  readonly owners: readonly unknown[];
}

const installHint = 'in Node: `npm install webgpu`; without a GPU also install SwiftShader (Debian: chromium-common libvulkan1) '
  + 'or Mesa (Debian: libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri); '
  + 'in a browser: one with WebGPU enabled (Chromium: --enable-unsafe-webgpu)';

export function noAdapter(detail: string): TargetError {
  return new TargetError({ code: 'wgsl-no-adapter', message: `no WebGPU adapter: ${detail}`, hint: installHint });
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(noAdapter(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The largest limits the adapter offers for what kernels use (storage buffers per stage, buffer sizes). */
function wantedLimits(adapter: GPUAdapter): Record<string, number> {
  const keys = [
    'maxStorageBuffersPerShaderStage', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension',
    'maxComputeInvocationsPerWorkgroup', 'maxComputeWorkgroupSizeX', 'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ',
  ] as const;
  return Object.fromEntries(keys.map((k) => [k, adapter.limits[k]]));
}

/** Request an adapter and a device from one GPU entry point. */
export async function deviceFrom(gpu: GpuEntry, timeoutMs: number, where: string, options: GPURequestAdapterOptions = {}): Promise<WgslDevice | undefined> {
  const adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance', ...options }), timeoutMs, `${where}: requestAdapter`);
  if (!adapter) return undefined;
  const device = await withTimeout(adapter.requestDevice({ requiredLimits: wantedLimits(adapter) }), timeoutMs, `${where}: requestDevice`);
  const info = adapter.info as GPUAdapterInfo | undefined;
  const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ');
  return { device, description: `${where}${name ? ` (${name})` : ''}`, owners: [gpu, adapter] };
}
