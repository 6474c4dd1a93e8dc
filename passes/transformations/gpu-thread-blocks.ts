// GPUThreadBlocks: a GPU_Device map becomes a device map over thread blocks holding a GPU_ThreadBlock map over threads.
//
// `i = b:e:s` with block size T along CUDA's x becomes the device map `i_blk = b:e:T*s` and, inside it, the thread-block
// map `i = i_blk:Min(i_blk + T*s, e):s` (scheduled GPU_ThreadBlock, gpuBlockSize [T]). The last parameter runs along
// x, the one before along y, the third-last along z; parameters before those stay whole in the device map (one block
// per value). Nothing changes what the map computes: the thread-block map visits exactly the points of one tile.
import type { MapEntry, MapScope } from '../../graph/nodes.js';
import { inEdges, outEdges, scopeNodes, scopeDict } from '../../graph/query.js';
import type { SDFG } from '../../graph/sdfg.js';
import { range, type Range } from '../../graph/subsets.js';
import { min, sym } from '../../graph/symbolic.js';
import { defineTransformation } from '../framework.js';
import { type MapCandidate, describeMapCandidate, freshSymbolName, mapCandidates, mustResolveMap, repropagate, resolveMap } from './helpers.js';
import { addMapNodes, wrapInOuterMap } from './helpers-scope.js';
import { gpuBlockSizeFor } from './gpu-transform.js';

export interface GPUThreadBlocksOptions {
  /** Threads per block when a device map has no gpuBlockSize ([] : GPUTransform's defaults by dimension). */
  blockSize: number[];
}

/** CUDA's limit on the threads of one block. */
export const MAX_THREADS_PER_BLOCK = 1024;

/** The block size a device map gets: its own, else the option, else GPUTransform's default for its dimensions. */
export function threadBlockSize(map: MapScope, options: GPUThreadBlocksOptions): number[] {
  const threadDims = Math.min(map.params.length, 3);
  const given = map.gpuBlockSize ?? (options.blockSize.length ? options.blockSize : gpuBlockSizeFor(map.params.length));
  return Array.from({ length: threadDims }, (_, k) => given[k] ?? 1);
}

function badBlock(block: readonly number[]): string | undefined {
  if (block.some((b) => !Number.isInteger(b) || b < 1)) return `block sizes must be positive integers, got [${block.join(', ')}]`;
  const threads = block.reduce((a, b) => a * b, 1);
  if (threads > MAX_THREADS_PER_BLOCK) return `a block of [${block.join(', ')}] has ${threads} threads, more than CUDA's ${MAX_THREADS_PER_BLOCK}`;
  return undefined;
}

function canApply(_sdfg: SDFG, c: MapCandidate, options: GPUThreadBlocksOptions): true | string {
  const found = resolveMap(c.state, c.entry);
  if (typeof found === 'string') return found;
  const map = found.entry.map;
  if (map.schedule !== 'GPU_Device') return `${map.label} is scheduled ${map.schedule}, not GPU_Device`;
  const dict = scopeDict(c.state);
  const inner = scopeNodes(c.state, found.entry, dict).filter((n): n is MapEntry => n.kind === 'MapEntry');
  if (inner.some((n) => n.map.schedule === 'GPU_ThreadBlock')) return `${map.label} already has a GPU_ThreadBlock map inside`;
  if ((dict.get(found.entry.id) ?? null) !== null) return `${map.label} is nested in another scope (dynamic parallelism is not supported)`;
  for (const [d, r] of map.ranges.entries()) {
    const step = r.step.constantValue();
    if (step === undefined || step <= 0) return `the step of ${map.params[d]} is ${r.step.toString()}, not a positive constant`;
  }
  return badBlock(threadBlockSize(map, options)) ?? true;
}

function apply(sdfg: SDFG, c: MapCandidate, options: GPUThreadBlocksOptions): void {
  const { entry, exit } = mustResolveMap(c.state, c.entry);
  const map = entry.map;
  const block = threadBlockSize(map, options);
  const n = map.params.length;
  // Dimension d runs along block[k] for k = n - 1 - d (x is the last parameter).
  const tileOf = (d: number): number | undefined => block[n - 1 - d];
  const outerParams: string[] = [], outerRanges: Range[] = [];
  const innerParams: string[] = [], innerRanges: Range[] = [];
  map.params.forEach((p, d) => {
    const r = map.ranges[d]!;
    const tile = tileOf(d);
    if (tile === undefined) {
      // Leading parameters beyond three dimensions: one block per value.
      outerParams.push(p);
      outerRanges.push(r);
      return;
    }
    const start = freshSymbolName(sdfg, c.state, `${p}_blk`);
    const width = r.step.mul(tile);
    outerParams.push(start);
    outerRanges.push(range(r.begin, r.end, width));
    innerParams.push(p);
    innerRanges.push(range(sym(start), min(sym(start).add(width), r.end), r.step));
  });
  const deviceMap: MapScope = {
    label: map.label, params: outerParams, ranges: outerRanges, schedule: 'GPU_Device', unroll: false, collapse: 1, gpuBlockSize: [...block],
  };
  map.label = `${map.label}_threads`;
  map.params = innerParams;
  map.ranges = innerRanges;
  map.schedule = 'GPU_ThreadBlock';
  map.gpuBlockSize = [...block];
  map.collapse = 1;
  entry.label = exit.label = map.label;
  // The tiles visit exactly the points of the map, so the memlets outside it stay what they were; propagating
  // through Min(tile end, e) would only loosen them (0:Min(64*int_floor(N + 63, 64), N) for 0:N).
  const outside = [...inEdges(c.state, entry), ...outEdges(c.state, exit)].map((e) => [e, e.memlet] as const);
  wrapInOuterMap(c.state, entry, exit, addMapNodes(c.state, deviceMap, entry));
  repropagate(sdfg, c.state);
  for (const [edge, memlet] of outside) edge.memlet = memlet;
}

export const gpuThreadBlocks = defineTransformation<MapCandidate, GPUThreadBlocksOptions>({
  name: 'GPUThreadBlocks',
  summary: 'Split a GPU_Device map into a device map over thread blocks and a GPU_ThreadBlock map over the threads of one block',
  modifies: ['nodes', 'edges', 'memlets', 'schedules'],
  defaults: { blockSize: [] },
  candidates: (sdfg) => mapCandidates(sdfg),
  canApply,
  apply,
  describe: describeMapCandidate,
});
