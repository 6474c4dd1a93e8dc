// Lowering for CUDA as graph rewrites, in order: GPUTransform, GPUThreadBlocks, GPUTransientStorage (+ autoOptimize 'gpu').
//
//   gpu            GPUTransform: device maps with block sizes, GPU_Global copies of the data, host<->device copy states
//   threadBlocks   GPUThreadBlocks: each device map holds a GPU_ThreadBlock map over the threads of one block
//   storage        GPUTransientStorage: transients inside kernels in registers or shared memory
// A graph that is already lowered (device maps, GPU storage) skips the first step. Each step can be logged
// ("Lowering after X"), as Halide does.
import { cloneSDFG } from '../../graph/clone.js';
import { TargetError, ValidationError } from '../../graph/errors.js';
import type { MapEntry, MapScope } from '../../graph/nodes.js';
import { printSDFG } from '../../graph/printer.js';
import { allStates, scopeDict, scopeNodes } from '../../graph/query.js';
import type { SDFG } from '../../graph/sdfg.js';
import { validate } from '../../graph/validate.js';
import { gpuStages, portableStages, type Stage } from '../../passes/auto-optimize.js';
import { applyTransformation, resolveOptions } from '../../passes/framework.js';
import { type Pipeline, runPipeline } from '../../passes/pipeline.js';
import { gpuTransform, isGpuLowered, type GPUTransformOptions } from '../../passes/transformations/gpu-transform.js';
import { gpuThreadBlocks } from '../../passes/transformations/gpu-thread-blocks.js';
import { gpuTransientStorage } from './lower-storage.js';
import '../../passes/index.js';
import { optimizedSDFG } from '../common/optimize.js';

export interface CudaLoweringOptions {
  /** Threads per block of 1-D device maps (default [64]); a map's own `gpuBlockSize` wins. */
  blockSize?: number[];
  /** Of 2-D maps, [x, y] with x along the last parameter (default [8, 8]). */
  blockSize2D?: number[];
  /** Of maps with three or more parameters, [x, y, z] (default [4, 4, 4]). */
  blockSize3D?: number[];
  /** Receives the graph after each lowering step ("// lowering after GPUTransform"). */
  log?: (text: string) => void;
}

/** The stages of `gpuStages` that come before the lowering (what `optimize: 'auto'` adds in front of it). */
export { gpuStages };

export const gpuOptimizationStages: readonly Stage[] = portableStages;

function unsupported(message: string, hint?: string): TargetError {
  return new TargetError({ code: 'cuda-unsupported', message, ...(hint ? { hint } : {}) });
}

function badOption(message: string, hint: string): TargetError {
  return new TargetError({ code: 'bad-option', message, hint });
}

const blockOptionExamples: Record<keyof GPUTransformOptions, string> = { blockSize: '[64]', blockSize2D: '[8, 8]', blockSize3D: '[4, 4, 4]' };

/** GPUTransform's options from the compile options, each checked: the right number of positive integers, at most 1024 threads. */
function transformOptions(options: CudaLoweringOptions): GPUTransformOptions {
  const resolved = { ...gpuTransform.defaults };
  const lists: [keyof GPUTransformOptions, number][] = [['blockSize', 1], ['blockSize2D', 2], ['blockSize3D', 3]];
  for (const [key, length] of lists) {
    const sizes: unknown = options[key] ?? resolved[key];
    if (!Array.isArray(sizes) || sizes.length !== length || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      const shown = Array.isArray(sizes) ? `[${sizes.map((s) => JSON.stringify(s)).join(', ')}]` : JSON.stringify(sizes);
      throw badOption(`${key} must be ${length} positive integer${length > 1 ? 's' : ''}, got ${shown}`, `e.g. ${key}: ${blockOptionExamples[key]}`);
    }
    const threads = (sizes as number[]).reduce((a, b) => a * b, 1);
    if (threads > 1024) throw badOption(`${key} [${sizes.join(', ')}] has ${threads} threads per block, more than CUDA's 1024`, 'use at most 1024 threads per block');
    resolved[key] = [...(sizes as number[])];
  }
  return resolved;
}

/** Block sizes the user put on maps before lowering: GPUTransform assigns its own, these are put back. */
function userBlockSizes(sdfg: SDFG): Map<MapScope, number[]> {
  const sizes = new Map<MapScope, number[]>();
  for (const state of allStates(sdfg)) {
    for (const n of state.nodes) if (n.kind === 'MapEntry' && n.map.gpuBlockSize) sizes.set(n.map, [...n.map.gpuBlockSize]);
  }
  return sizes;
}

/** Every device map must now hold a thread-block map; otherwise say why GPUThreadBlocks could not split it. */
function checkThreadBlocks(sdfg: SDFG): void {
  for (const state of allStates(sdfg)) {
    const dict = scopeDict(state);
    for (const n of state.nodes) {
      if (n.kind !== 'MapEntry' || n.map.schedule !== 'GPU_Device') continue;
      const inside = scopeNodes(state, n, dict).filter((m): m is MapEntry => m.kind === 'MapEntry');
      if (inside.some((m) => m.map.schedule === 'GPU_ThreadBlock')) continue;
      const verdict = gpuThreadBlocks.canApply(sdfg, { sdfg, state, entry: n.id }, resolveOptions(gpuThreadBlocks as never, {}) as never);
      throw unsupported(`device map '${n.map.label}' in state '${state.label}' cannot be split into thread blocks: ${verdict === true ? 'unknown reason' : verdict}`,
        'give the map positive constant steps, or lower it with GPUThreadBlocks yourself');
    }
  }
}

/**
 * A copy of `sdfg` lowered for CUDA. Programs the GPU cannot run (streams, consume scopes, control flow reading
 * data) are refused with TargetError 'cuda-unsupported' and GPUTransform's reason.
 */
export function lowerForCuda(input: SDFG, options: CudaLoweringOptions = {}): SDFG {
  const sdfg = cloneSDFG(input);
  const log = options.log;
  const blockOptions = transformOptions(options);
  if (!isGpuLowered(sdfg)) {
    const kept = userBlockSizes(sdfg);
    const verdict = gpuTransform.canApply(sdfg, { sdfg }, blockOptions);
    if (verdict !== true) throw unsupported(`program '${sdfg.name}' cannot run on a GPU: ${verdict}`, "run it with target 'cpp' instead");
    applyTransformation(sdfg, gpuTransform, { sdfg }, blockOptions);
    for (const [map, size] of kept) map.gpuBlockSize = size;
    log?.(`// lowering after GPUTransform\n${printSDFG(sdfg)}`);
  }
  runPipeline(sdfg, ['GPUThreadBlocks'], { log: () => {} });
  checkThreadBlocks(sdfg);
  log?.(`// lowering after GPUThreadBlocks\n${printSDFG(sdfg)}`);
  runPipeline(sdfg, ['GPUTransientStorage'], { log: () => {} });
  log?.(`// lowering after GPUTransientStorage\n${printSDFG(sdfg)}`);
  try {
    validate(sdfg);
  } catch (error) {
    const detail = error instanceof ValidationError ? error.message : String(error);
    throw new TargetError({ code: 'internal', message: `lowering '${sdfg.name}' for CUDA produced an invalid graph:\n${detail}`, hint: 'this is a bug; please report it with the program', cause: error });
  }
  return sdfg;
}

/** The graph to lower: the program's own, or optimized first ('auto': the target-neutral stages of `gpuStages`). */
export function optimizeForGpu(sdfg: SDFG, optimize: 'auto' | 'none' | Pipeline | undefined): SDFG {
  return optimizedSDFG(sdfg, optimize, gpuOptimizationStages);
}

export { gpuTransientStorage, gpuThreadBlocks };
