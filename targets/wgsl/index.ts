/// <reference types="@webgpu/types" />
// The WGSL target's public surface: compile a program into WGSL plus host code that runs it on WebGPU (Dawn in Node,
// `navigator.gpu` in a browser), taking the interpreter's arguments.
import type { SDFG } from '../../graph/sdfg.js';
import type { ArgValue } from '../common/arguments.js';
import { sharedWgslDevice, type AdapterSearch } from './adapter.js';
import { buildWgsl } from './build.js';
import { emitWgsl, type WgslEmitOptions, type WgslProgram } from './emit.js';
import { runWgsl, type WgslRunResult } from './runtime.js';

export { emitWgsl, lowerForGpu, type WgslEmitOptions, type WgslProgram, type WgslKernel } from './emit.js';
export { requestWgslDevice, sharedWgslDevice, releaseWgslDevice, type AdapterSearch, type WgslDevice } from './adapter.js';
export { buildWgsl } from './build.js';
export type { WgslRunResult } from './runtime.js';

export interface WgslCompileOptions extends WgslEmitOptions {
  /** Run on this device instead of the shared one found automatically. */
  readonly device?: GPUDevice;
  /** How the shared device is found (tests use it to simulate a machine without WebGPU). */
  readonly adapter?: AdapterSearch;
}

export interface CompiledWgsl {
  readonly target: 'wgsl';
  /** Run with the interpreter's arguments; arrays are written in place, every argument container is returned. */
  run(args: Readonly<Record<string, ArgValue>>): Promise<WgslRunResult>;
  /** The WGSL module. */
  readonly source: string;
  readonly program: WgslProgram;
  /** Which device runs it ("Dawn on SwiftShader (...)", "navigator.gpu (...)"). */
  readonly deviceDescription: string;
  /** True when the shader module and pipelines came from the cache. */
  readonly cached: boolean;
}

/** Emit, find a device, build the pipelines: a program ready to run on WebGPU. */
export async function compileWgsl(sdfg: SDFG, options: WgslCompileOptions = {}): Promise<CompiledWgsl> {
  const program = emitWgsl(sdfg, options);
  const found = options.device ? { device: options.device, description: 'the given device', owners: [] } : await sharedWgslDevice(options.adapter);
  const built = await buildWgsl(found.device, program);
  return {
    target: 'wgsl', source: program.source, program, deviceDescription: found.description, cached: built.cached,
    // Holding `found` keeps the device's owners alive as long as this program.
    run: (args) => runWgsl(program, built, found.device, args).finally(() => void found.owners),
  };
}
