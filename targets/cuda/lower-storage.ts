// GPUTransientStorage: where each transient of a GPU-lowered SDFG lives — registers, shared memory or global memory.
//
// A transient used only inside one GPU_ThreadBlock map (at any depth) is private to a thread: Register. One used only
// inside one GPU_Device map, outside its thread-block maps, belongs to a block: GPU_Shared. Everything else that device
// code touches is shared between kernels: GPU_Global. Register and shared storage need a constant size; a transient
// that lacks one keeps its storage, and the CUDA emitter reports it by name.
import type { DataDesc, StorageType } from '../../graph/data.js';
import { nodeById, scopeDict } from '../../graph/query.js';
import type { SDFG } from '../../graph/sdfg.js';
import { defineTransformation } from '../../passes/framework.js';
import { planTransients } from '../cpp/emit-alloc.js';

export interface TransientRef {
  readonly sdfg: SDFG;
  readonly data: string;
}

/** The memory a transient should live in, from the scopes its access nodes share. */
export function deviceStorageOf(sdfg: SDFG, data: string): StorageType {
  for (const [state, byScope] of planTransients(sdfg).scoped) {
    for (const [entryId, names] of byScope) {
      if (!names.includes(data)) continue;
      // Walk out from the scope that holds every access: the first GPU schedule met decides.
      const dict = scopeDict(state);
      for (let id: number | null = entryId; id !== null; id = dict.get(id) ?? null) {
        const entry = nodeById(state, id);
        if (entry?.kind !== 'MapEntry') continue;
        if (entry.map.schedule === 'GPU_ThreadBlock') return 'Register';
        if (entry.map.schedule === 'GPU_Device') return 'GPU_Shared';
      }
    }
  }
  return 'GPU_Global';
}

function hasConstantSize(desc: DataDesc): boolean {
  return desc.kind === 'Scalar' || (desc.kind === 'Array' && desc.totalSize.constantValue() !== undefined);
}

function canApply(sdfg: SDFG, c: TransientRef): true | string {
  if (c.sdfg !== sdfg) return 'only the root SDFG is placed (nested SDFGs run inside one thread)';
  const desc = sdfg.arrays[c.data];
  if (!desc?.transient) return `${c.data} is not transient`;
  if (desc.kind === 'Stream' || desc.kind === 'View') return `${c.data} is a ${desc.kind}`;
  if (desc.storage === 'GPU_Shared' || desc.storage === 'GPU_Global') return `${c.data} is already in ${desc.storage}`;
  const storage = deviceStorageOf(sdfg, c.data);
  if (storage !== 'GPU_Global' && !hasConstantSize(desc)) return `${c.data} would live in ${storage} but its size is not a constant`;
  return desc.storage === storage ? `${c.data} is already in ${storage}` : true;
}

export const gpuTransientStorage = defineTransformation<TransientRef, Record<string, never>>({
  name: 'GPUTransientStorage',
  summary: 'Place the transients of a GPU-lowered SDFG: Register inside thread-block maps, GPU_Shared in a block, else GPU_Global',
  modifies: ['descriptors'],
  defaults: {},
  candidates: (sdfg) => Object.keys(sdfg.arrays).map((data) => ({ sdfg, data })),
  canApply,
  apply: (sdfg, c) => { sdfg.arrays[c.data]!.storage = deviceStorageOf(sdfg, c.data); },
  describe: (c) => c.data,
});
