// autoOptimize: the default CPU pipeline (in the spirit of DaCe's auto_optimize), as named stages of plain data.
//
// The stages, in order (each runs to a fixed point; README lists them from here):
//   simplify        TrivialMapElimination, StateFusion, DeadDataflowElimination, RedundantArrayRemoval, LoopToMap
//   loops           MoveLoopIntoMap: a loop around one map whose iterations write disjoint data moves into the map
//   collapse        MapCollapse: nested maps with nothing between them become one multi-dimensional map
//   fusion          MapFusion, MapFusionSiblings: greedy, producer into consumer, then maps reading the same data
//   reduction       MapReduceFusion: a map producing only a Reduce's input fused into the reduction
//   cleanup         simplify again: fusion leaves empty states and dead transients behind
//   wcr             WcrMapSplit: maps reducing into their output split into output × reduced parameters (one writer
//                   per element). Other conflicting writes are left to the target (the C++ one updates per-thread copies
//                   of small arrays); WcrMapTiling is available but not part of the pipeline: tiles cut long rows short.
//   schedules       CpuScheduleAssignment: outermost maps CPU_Multicore, everything inside Sequential
//   storage         SmallTransientsToRegisters: transients of constant size up to 4 KiB live on the stack
//   vectorization   Vectorization: innermost unit-stride maps over one tasklet marked for SIMD
// Library nodes (MatMul, Reduce) are left alone: the target expands them to its fastest implementation (BLAS).
// ReduceExpansion is not part of the CPU pipeline for the same reason.
import { cloneSDFG } from '../graph/clone.js';
import { TransformationError, ValidationError } from '../graph/errors.js';
import type { MapEntry } from '../graph/nodes.js';
import { allSDFGs, allStates, scopeDict } from '../graph/query.js';
import { type ProgramLike, type SDFG, type State, sdfgOf } from '../graph/sdfg.js';
import { validate } from '../graph/validate.js';
import { defineTransformation, getTransformation, resolveOptions, transformationNames } from './framework.js';
import { type AppliedStep, type Pipeline, type PipelineOptions, type PipelineReport, runPipeline } from './pipeline.js';
import { writeIsExclusiveIn } from './transformations/wcr-map-split.js';
import './transformations/move-loop-into-map.js';

export const simplifyPipeline: Pipeline = ['TrivialMapElimination', 'StateFusion', 'DeadDataflowElimination', 'RedundantArrayRemoval', 'LoopToMap'];
export const collapsePipeline: Pipeline = ['MapCollapse'];
export const loopsPipeline: Pipeline = ['MoveLoopIntoMap'];
export const fusionPipeline: Pipeline = ['MapFusion', 'MapFusionSiblings'];
export const reductionPipeline: Pipeline = ['MapReduceFusion'];
export const wcrPipeline: Pipeline = ['WcrMapSplit'];
export const schedulePipeline: Pipeline = ['CpuScheduleAssignment'];
export const storagePipeline: Pipeline = [{ name: 'SmallTransientsToRegisters', options: { maxBytes: 4096 } }];
export const vectorizationPipeline: Pipeline = [{ name: 'Vectorization', options: { width: 8 } }];

export interface Stage { readonly name: string; readonly pipeline: Pipeline }

/** The CPU pipeline: stage names and their pipelines, in order. */
export const cpuStages: readonly Stage[] = [
  { name: 'simplify', pipeline: simplifyPipeline },
  { name: 'loops', pipeline: loopsPipeline },
  { name: 'collapse', pipeline: collapsePipeline },
  { name: 'fusion', pipeline: fusionPipeline },
  { name: 'reduction', pipeline: reductionPipeline },
  { name: 'cleanup', pipeline: simplifyPipeline },
  { name: 'wcr', pipeline: wcrPipeline },
  { name: 'schedules', pipeline: schedulePipeline },
  { name: 'storage', pipeline: storagePipeline },
  { name: 'vectorization', pipeline: vectorizationPipeline },
];

/** The stages every target can run (GPU kernels cannot hold the nested SDFGs that MoveLoopIntoMap makes). */
export const portableStages: readonly Stage[] = cpuStages.filter((s) => ['simplify', 'collapse', 'fusion', 'reduction', 'cleanup'].includes(s.name));

/**
 * The GPU pipeline: the target-neutral CPU stages, then the lowering (GPUTransient storage is registered by the CUDA
 * target, which owns the storage plan it shares with the C++ emitter).
 */
export const gpuStages: readonly Stage[] = [
  ...portableStages,
  { name: 'gpu', pipeline: ['GPUTransform'] },
  { name: 'threadBlocks', pipeline: ['GPUThreadBlocks'] },
  { name: 'storage', pipeline: ['GPUTransientStorage'] },
];

const stagesByDevice = { cpu: cpuStages, gpu: gpuStages } as const;
export type Device = keyof typeof stagesByDevice;

// ---------------------------------------------------------------------------------------------------------------
// Steps that only make sense as part of this pipeline.

interface MapRef { readonly sdfg: SDFG; readonly state: State; readonly entry: MapEntry; readonly outermost: boolean }

function* mapRefs(root: SDFG): Generator<MapRef> {
  for (const sdfg of allSDFGs(root)) {
    for (const state of allStates(sdfg)) {
      const dict = scopeDict(state);
      for (const n of state.nodes) {
        // Maps inside a nested SDFG run inside whatever calls it: never the outermost level.
        if (n.kind === 'MapEntry') yield { sdfg, state, entry: n, outermost: sdfg === root && (dict.get(n.id) ?? null) === null };
      }
    }
  }
}

const describeMap = (c: MapRef): string => `${c.entry.map.label} in state ${c.state.label}`;

/** Outermost maps run on all cores; maps inside them are the loops each core runs. */
export const cpuScheduleAssignment = defineTransformation<MapRef, Record<string, never>>({
  name: 'CpuScheduleAssignment',
  summary: 'Schedule outermost maps CPU_Multicore and nested maps Sequential (maps with a chosen schedule keep it)',
  modifies: ['schedules'],
  defaults: {},
  candidates: (sdfg) => mapRefs(sdfg),
  canApply: (_sdfg, c) => (c.entry.map.schedule === 'Default' ? true : `${c.entry.map.label} is already scheduled ${c.entry.map.schedule}`),
  apply: (_sdfg, c) => { c.entry.map.schedule = c.outermost ? 'CPU_Multicore' : 'Sequential'; },
  describe: describeMap,
});

interface WcrTilingOptions { readonly tileSize: number }

/** Maps that write through a write-conflict resolution: tiles update the shared result once per tile element. */
export const wcrMapTiling = defineTransformation<MapRef, WcrTilingOptions>({
  name: 'WcrMapTiling',
  summary: 'Tile the outermost maps that write with a write-conflict resolution (MapTiling on those only)',
  modifies: ['nodes', 'edges', 'memlets', 'schedules'],
  defaults: { tileSize: 32 },
  candidates: (sdfg) => [...mapRefs(sdfg)].filter((c) => c.outermost),
  canApply: (sdfg, c, options) => {
    const exit = c.state.nodes.find((n) => n.kind === 'MapExit' && n.map === c.entry.map);
    if (!exit || !c.state.edges.some((e) => e.src === exit.id && e.memlet.wcr)) return `${c.entry.map.label} writes nothing with a wcr`;
    const params = new Set(c.entry.map.params);
    const writes = c.state.edges.filter((e) => e.dst === exit.id && e.memlet.wcr && e.memlet.data !== null);
    if (writes.every((e) => c.entry.map.params.every((p) => writeIsExclusiveIn(e, p, new Set([...params].filter((q) => q !== p)))))) {
      return `${c.entry.map.label} writes each element from one iteration: there are no conflicts to tile`;
    }
    const tiling = getTransformation('MapTiling');
    return tiling.canApply(sdfg, { sdfg: c.sdfg, state: c.state, entry: c.entry.id }, resolveOptions(tiling, { tileSizes: [options.tileSize] }));
  },
  apply: (sdfg, c, options) => {
    const tiling = getTransformation('MapTiling');
    tiling.apply(sdfg, { sdfg: c.sdfg, state: c.state, entry: c.entry.id }, resolveOptions(tiling, { tileSizes: [options.tileSize] }));
  },
  describe: describeMap,
});

interface TransientRef { readonly sdfg: SDFG; readonly data: string }
interface RegisterOptions { readonly maxBytes: number }

/** Small transients of constant size need no heap allocation: the target keeps them on the stack or in registers. */
export const smallTransientsToRegisters = defineTransformation<TransientRef, RegisterOptions>({
  name: 'SmallTransientsToRegisters',
  summary: 'Give transients of constant size up to maxBytes Register storage (stack or registers)',
  modifies: ['descriptors'],
  defaults: { maxBytes: 4096 },
  candidates: function* (root) {
    for (const sdfg of allSDFGs(root)) for (const data of Object.keys(sdfg.arrays)) yield { sdfg, data };
  },
  canApply: (_sdfg, c, options) => {
    const desc = c.sdfg.arrays[c.data];
    if (!desc?.transient) return `${c.data} is not transient`;
    if (desc.kind === 'Stream' || desc.kind === 'View') return `${c.data} is a ${desc.kind}`;
    if (desc.storage !== 'Default') return `${c.data} already has storage ${desc.storage}`;
    const elements = desc.kind === 'Scalar' ? 1 : desc.totalSize.constantValue();
    if (elements === undefined) return `the size of ${c.data} is not constant`;
    const bytes = elements * desc.dtype.bytes;
    return bytes <= options.maxBytes ? true : `${c.data} takes ${bytes} bytes, more than ${options.maxBytes}`;
  },
  apply: (_sdfg, c) => { c.sdfg.arrays[c.data]!.storage = 'Register'; },
  describe: (c) => c.data,
});

// ---------------------------------------------------------------------------------------------------------------
// Running stages.

export interface StageReport { readonly stage: string; readonly applied: number; readonly skipped: readonly string[] }

export interface OptimizationReport extends PipelineReport {
  readonly stages: readonly StageReport[];
  /** Transformations a stage names but nobody registered (skipped, not fatal). */
  readonly warnings: readonly string[];
}

export interface AutoOptimizeOptions extends PipelineOptions {
  /** Transform the given SDFG instead of a copy. */
  readonly inPlace?: boolean;
  /** The stages to run (default: `cpuStages`). */
  readonly stages?: readonly Stage[];
}

type SdfgLike = ProgramLike;
const stepName = (s: Pipeline[number]): string => (typeof s === 'string' ? s : s.name);

/** Run stages in order on `sdfg` (in place); a step whose transformation is not registered is skipped with a warning. */
export function runStages(sdfg: SDFG, stages: readonly Stage[], options: PipelineOptions = {}): OptimizationReport {
  const started = performance.now();
  const known = new Set(transformationNames());
  const applied: AppliedStep[] = [];
  const reports: StageReport[] = [];
  const warnings: string[] = [];
  let rounds = 0;
  for (const stage of stages) {
    const skipped = stage.pipeline.map(stepName).filter((n) => !known.has(n));
    for (const name of skipped) warnings.push(`stage ${stage.name}: skipped ${name} (no transformation of that name is registered)`);
    const present = stage.pipeline.filter((s) => known.has(stepName(s)));
    if (present.length === 0) {
      reports.push({ stage: stage.name, applied: 0, skipped });
      continue;
    }
    const report = runPipeline(sdfg, present, { log: () => {}, ...options });
    applied.push(...report.applied.map((a) => ({ ...a, round: rounds + a.round })));
    rounds += report.rounds;
    reports.push({ stage: stage.name, applied: report.applied.length, skipped });
  }
  return { applied, rounds, milliseconds: performance.now() - started, stages: reports, warnings };
}

/**
 * Optimize an SDFG (or a program holding one) for a device with the default pipeline. Works on a copy unless
 * `inPlace`; the result is validated (an invalid result is a bug in a transformation, reported as such).
 */
export function autoOptimize(target: SdfgLike, device: Device = 'cpu', options: AutoOptimizeOptions = {}): { sdfg: SDFG; report: OptimizationReport } {
  if (!Object.hasOwn(stagesByDevice, device)) {
    throw new TransformationError({ code: 'unknown-device', message: `autoOptimize has no pipeline for device ${JSON.stringify(device)}`, hint: "use 'cpu' or 'gpu'" });
  }
  const sdfg = options.inPlace ? sdfgOf(target) : cloneSDFG(sdfgOf(target));
  const report = runStages(sdfg, options.stages ?? stagesByDevice[device], options);
  try {
    validate(sdfg);
  } catch (error) {
    const detail = error instanceof ValidationError ? error.message : String(error);
    throw new TransformationError({
      code: 'broke-graph', message: `autoOptimize produced an invalid graph:\n${detail}`, cause: error,
      hint: 'run with validateEachStep: true to find the transformation at fault, and report it with the program',
    });
  }
  return { sdfg, report };
}

/** A new program-like `{ sdfg, report }`: the program's graph copied and transformed by a pipeline, or by autoOptimize. */
export function optimizeProgram(program: SdfgLike, pipeline: Pipeline | 'auto', options: PipelineOptions = {}): { sdfg: SDFG; report: OptimizationReport } {
  if (pipeline === 'auto') return autoOptimize(program, 'cpu', options);
  const sdfg = cloneSDFG(sdfgOf(program));
  // A pipeline the caller wrote: an unknown name is a mistake to report, not a step to skip.
  const report = runPipeline(sdfg, pipeline, { log: () => {}, ...options });
  return { sdfg, report: { ...report, stages: [{ stage: 'custom', applied: report.applied.length, skipped: [] }], warnings: [] } };
}
