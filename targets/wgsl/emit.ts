// The WGSL target's emitter: lower the SDFG for the GPU (GPUTransform), then print one WGSL module with a compute entry
// point per device map, Reduce, MatMul and device-to-device copy, and describe each kernel for the host.
//
// Bindings (all in group 0): one storage buffer per device container (plus an `array<atomic<…>>` view of it where a
// kernel updates it atomically), and one uniform block per kernel holding the symbols and scalar arguments it reads.
import { cloneSDFG } from '../../graph/clone.js';
import { isScopeEntry, type Node } from '../../graph/nodes.js';
import { allStates, inEdges, nodeById, scopeChildren, scopeDict } from '../../graph/query.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { helpersFor } from '../../graph/tasklet-ops.js';
import { validate } from '../../graph/validate.js';
import { applyTransformation } from '../../passes/framework.js';
import { gpuTransform, isGpuLowered, type GPUTransformOptions } from '../../passes/transformations/gpu-transform.js';
import { freeSymbolsOf, optionalSymbolsOf } from '../common/arguments.js';
import { type DeviceBuffer, ModuleContext, type WgslKernel, unsupported, wgslIndexHelpers } from './emit-context.js';
import { emitCopyKernel } from './emit-copy.js';
import { emitMapKernel } from './emit-kernel.js';
import { emitLibraryKernel } from './emit-library.js';
import { checkProgramTypes, defaultPrecision, storageType, type WgslPrecision } from './precision.js';

export type { WgslKernel, DeviceBuffer, UniformField, KernelBinding } from './emit-context.js';

export interface WgslEmitOptions {
  /** f64 data and arithmetic: refused ('error', the default) or computed in f32 ('f32'). */
  readonly f64?: 'error' | 'f32';
  /** i64/u64 data and explicit casts: refused ('error', the default) or computed in 32 bits ('i32'). */
  readonly i64?: 'error' | 'i32';
  /** Workgroup sizes of device maps (GPUTransform's options). */
  readonly blockSize?: readonly number[];
  readonly blockSize2D?: readonly number[];
  readonly blockSize3D?: readonly number[];
  /** Workgroup size of Reduce kernels: a power of two up to 256 (default 64). */
  readonly reduceWorkgroupSize?: number;
}

export interface WgslProgram {
  /** The WGSL module. */
  readonly source: string;
  /** The graph the kernels come from: the input after GPUTransform. */
  readonly sdfg: SDFG;
  readonly kernels: readonly WgslKernel[];
  readonly buffers: readonly DeviceBuffer[];
  readonly precision: WgslPrecision;
  /** The kernel a state's top-level map entry or library node became. */
  kernelFor(state: State, node: number): WgslKernel | undefined;
  /** The kernel of a top-level copy between two device buffers (by the copy's edge id). */
  copyKernelFor(state: State, edge: number): WgslKernel | undefined;
}

/** The program lowered for the device: a copy through GPUTransform, unless it already went through it. */
export function lowerForGpu(sdfg: SDFG, options: WgslEmitOptions = {}): SDFG {
  validate(sdfg);
  if (isGpuLowered(sdfg)) return sdfg;
  const lowered = cloneSDFG(sdfg);
  const transformOptions: Partial<GPUTransformOptions> = {
    ...(options.blockSize ? { blockSize: [...options.blockSize] } : {}),
    ...(options.blockSize2D ? { blockSize2D: [...options.blockSize2D] } : {}),
    ...(options.blockSize3D ? { blockSize3D: [...options.blockSize3D] } : {}),
  };
  try {
    applyTransformation(lowered, gpuTransform, { sdfg: lowered }, transformOptions);
  } catch (error) {
    if (!(error instanceof Error) || !('code' in error) || error.code !== 'cannot-apply') throw error;
    throw unsupported(`${sdfg.name} cannot run on WebGPU: ${(error as { summary?: string }).summary?.replace(/^GPUTransform cannot apply to SDFG \S+: /, '') ?? error.message}`,
      { sdfg: sdfg.name });
  }
  validate(lowered);
  return lowered;
}

/** Symbols the host has values for: arguments, symbols the program assigns (loop variables too), declared ones. */
function hostSymbols(sdfg: SDFG): Set<string> {
  const names = new Set([...freeSymbolsOf(sdfg), ...optionalSymbolsOf(sdfg), ...Object.keys(sdfg.symbols)]);
  const visit = (cfg: SDFG['blocks'][number] | SDFG): void => {
    if (cfg.kind === 'State') return;
    if (cfg.kind === 'ConditionalBlock') { cfg.branches.forEach((b) => visit(b.body)); return; }
    if (cfg.kind === 'LoopRegion' && cfg.loopVariable) names.add(cfg.loopVariable);
    for (const e of cfg.edges) for (const s of Object.keys(e.assignments)) names.add(s);
    cfg.blocks.forEach(visit);
  };
  visit(sdfg);
  return names;
}

function resolvePrecision(options: WgslEmitOptions): WgslPrecision {
  for (const [key, allowed] of [['f64', 'f32'], ['i64', 'i32']] as const) {
    const value = options[key];
    if (value !== undefined && value !== 'error' && value !== allowed) {
      throw unsupported(`option ${key} must be 'error' or '${allowed}', got ${JSON.stringify(value)}`, undefined,
        `pass ${key}: '${allowed}' to compute ${key} in ${allowed.slice(1)} bits`);
    }
  }
  return { f64: options.f64 ?? defaultPrecision.f64, i64: options.i64 ?? defaultPrecision.i64 };
}

function emitTopLevel(module: ModuleContext, state: State, node: Node): void {
  switch (node.kind) {
    case 'MapEntry':
      if (node.map.schedule !== 'GPU_Device') {
        throw unsupported(`map '${node.map.label}' at the top of state ${state.label} is ${node.map.schedule}; the WGSL target runs GPU_Device maps`,
          { sdfg: module.sdfg.name, state: state.label, node: node.label }, 'run GPUTransform on the whole SDFG (compile does it for you)');
      }
      return emitMapKernel(module, state, node);
    case 'LibraryNode': return emitLibraryKernel(module, state, node);
    case 'AccessNode':
      for (const e of inEdges(state, node)) {
        const src = nodeById(state, e.src);
        if (e.memlet.data === null || src?.kind !== 'AccessNode') continue;
        if (module.buffers.has(src.data) && module.buffers.has(node.data)) emitCopyKernel(module, state, e, src.data, node.data);
      }
      return;
    case 'MapExit': case 'ConsumeExit': return;
    case 'Tasklet': case 'NestedSDFG': case 'ConsumeEntry':
      throw unsupported(`${node.kind} '${node.label}' at the top of state ${state.label} would run on the host`,
        { sdfg: module.sdfg.name, state: state.label, node: node.label }, 'run GPUTransform on the whole SDFG (compile does it for you)');
  }
}

function bufferDeclarations(buffers: readonly DeviceBuffer[], kernels: readonly WgslKernel[]): string[] {
  const used = new Set(kernels.flatMap((k) => k.bindings.map((b) => `${b.buffer}:${b.atomic}`)));
  const lines: [number, string][] = [];
  for (const b of buffers) {
    if (used.has(`${b.name}:false`)) {
      lines.push([b.binding, `@group(0) @binding(${b.binding}) var<storage, ${b.writtenPlain ? 'read_write' : 'read'}> ${b.ident}: array<${b.element.wgsl}>;`]);
    }
    if (used.has(`${b.name}:true`)) {
      const atomic = b.element.name === 'float32' ? 'u32' : b.element.wgsl;
      lines.push([b.atomicBinding!, `@group(0) @binding(${b.atomicBinding}) var<storage, read_write> ${b.ident}_atomic: array<atomic<${atomic}>>;`]);
    }
  }
  return lines.sort((a, b) => a[0] - b[0]).map(([, line]) => line);
}

/** Emit a program as WGSL, lowering it for the GPU first. */
export function emitWgsl(sdfg: SDFG, options: WgslEmitOptions = {}): WgslProgram {
  const precision = resolvePrecision(options);
  const reduceWorkgroupSize = options.reduceWorkgroupSize ?? 64;
  if (!Number.isInteger(Math.log2(reduceWorkgroupSize)) || reduceWorkgroupSize < 2 || reduceWorkgroupSize > 256) {
    throw unsupported(`reduceWorkgroupSize must be a power of two from 2 to 256, got ${reduceWorkgroupSize}`);
  }
  checkProgramTypes(sdfg, precision);
  const lowered = lowerForGpu(sdfg, options);
  checkProgramTypes(lowered, precision);
  const module = new ModuleContext(lowered, { precision, reduceWorkgroupSize }, hostSymbols(lowered));
  for (const [name, desc] of Object.entries(lowered.arrays)) {
    if (desc.storage === 'GPU_Global') module.addBuffer(name, desc, storageType(name, desc.dtype, precision));
  }
  for (const state of allStates(lowered)) {
    const dict = scopeDict(state);
    for (const node of scopeChildren(state, null, dict)) {
      if (isScopeEntry(node) || node.kind !== 'MapExit') emitTopLevel(module, state, node);
    }
  }
  const program = module.sections.join('\n');
  const helpers = [
    ...Object.entries(wgslIndexHelpers).filter(([name]) => new RegExp(`\\b${name}\\(`).test(program)).map(([, text]) => text),
    helpersFor('wgsl', program),
  ].filter(Boolean);
  const demoted = [precision.f64 === 'f32' ? 'f64 computed in f32' : '', precision.i64 === 'i32' ? 'i64 computed in i32' : ''].filter(Boolean);
  const source = [
    `// SDFG "${sdfg.name}": WGSL compute shaders generated by sdfg-ts${demoted.length ? ` (${demoted.join(', ')})` : ''}.`,
    `// ${module.kernels.length} entry point${module.kernels.length === 1 ? '' : 's'}, dispatched in order by the host: ${module.kernels.map((k) => k.entryPoint).join(', ') || '(none)'}.`,
    '',
    ...helpers,
    ...bufferDeclarations([...module.buffers.values()], module.kernels),
    '',
    program,
  ].join('\n');
  const kernels = module.kernels;
  return {
    source, sdfg: lowered, kernels, buffers: [...module.buffers.values()], precision,
    kernelFor: (state, node) => kernels.find((k) => k.state === state && k.node === node && k.kind !== 'copy'),
    copyKernelFor: (state, edge) => kernels.find((k) => k.state === state && k.node === edge && k.kind === 'copy'),
  };
}
