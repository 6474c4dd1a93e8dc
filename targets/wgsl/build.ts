/// <reference types="@webgpu/types" />
// From WGSL text to pipelines on a device: one shader module per program and one compute pipeline per kernel, cached
// per device by the source text. Compiler and pipeline errors become a TargetError that shows Dawn's messages.
import { TargetError } from '../../graph/errors.js';
import type { WgslProgram } from './emit.js';

export interface BuiltWgsl {
  readonly module: GPUShaderModule;
  /** Pipelines by entry point. */
  readonly pipelines: ReadonlyMap<string, GPUComputePipeline>;
  /** True when it came from the cache. */
  readonly cached: boolean;
}

const cache = new WeakMap<GPUDevice, Map<string, Promise<BuiltWgsl>>>();

/** `line:column: message` for each error the compiler reported, with the offending line. */
function compilerMessages(info: GPUCompilationInfo, source: string): string {
  const lines = source.split('\n');
  return info.messages
    .filter((m) => m.type === 'error')
    .map((m) => `${m.lineNum}:${m.linePos}: ${m.message}${m.lineNum > 0 ? `\n    ${lines[m.lineNum - 1]?.trim() ?? ''}` : ''}`)
    .join('\n');
}

async function build(device: GPUDevice, program: WgslProgram): Promise<BuiltWgsl> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code: program.source, label: program.sdfg.name });
  const info = await module.getCompilationInfo();
  const moduleError = await device.popErrorScope();
  const errors = compilerMessages(info, program.source);
  if (errors || moduleError) {
    throw new TargetError({
      code: 'wgsl-compile', path: { sdfg: program.sdfg.name },
      message: `the generated WGSL for ${program.sdfg.name} does not compile:\n${errors || moduleError?.message}`,
      hint: 'this is a bug in sdfg-ts; please report it with the program (compile(...).source holds the WGSL)',
    });
  }
  const pipelines = new Map<string, GPUComputePipeline>();
  for (const kernel of program.kernels) {
    device.pushErrorScope('validation');
    try {
      pipelines.set(kernel.entryPoint, await device.createComputePipelineAsync({
        label: kernel.entryPoint, layout: 'auto', compute: { module, entryPoint: kernel.entryPoint },
      }));
    } catch (error) {
      await device.popErrorScope();
      throw pipelineError(program, kernel.entryPoint, error instanceof Error ? error.message : String(error));
    }
    const error = await device.popErrorScope();
    if (error) throw pipelineError(program, kernel.entryPoint, error.message);
  }
  return { module, pipelines, cached: false };
}

function pipelineError(program: WgslProgram, entryPoint: string, detail: string): TargetError {
  return new TargetError({
    code: 'wgsl-pipeline', path: { sdfg: program.sdfg.name },
    message: `the device rejected kernel ${entryPoint} of ${program.sdfg.name}: ${detail}`,
    hint: 'a kernel may bind more storage buffers than this device allows; split the map, or use a device with higher limits',
  });
}

/** The module and pipelines of a program on a device, built once per (device, source). */
export async function buildWgsl(device: GPUDevice, program: WgslProgram): Promise<BuiltWgsl> {
  let perDevice = cache.get(device);
  if (!perDevice) cache.set(device, (perDevice = new Map()));
  const found = perDevice.get(program.source);
  if (found) return { ...(await found), cached: true };
  const pending = build(device, program);
  perDevice.set(program.source, pending);
  pending.catch(() => perDevice!.delete(program.source));
  return pending;
}
