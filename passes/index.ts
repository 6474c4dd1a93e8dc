// The passes: importing this module registers every transformation; it re-exports the framework, pipelines and autoOptimize.
export {
  type GraphAspect, type Transformation, allAspects, applyTransformation, defineTransformation, getTransformation, resolveOptions,
  transformationNames,
} from './framework.js';
export { type Analysis, analyze, invalidate } from './analysis.js';
export {
  type AppliedStep, type Pipeline, type PipelineOptions, type PipelineReport, type PipelineStep, runPipeline,
} from './pipeline.js';
export {
  type AutoOptimizeOptions, type OptimizationReport, type Stage, type StageReport, autoOptimize, collapsePipeline, cpuScheduleAssignment,
  cpuStages, type Device, fusionPipeline, gpuStages, loopsPipeline, portableStages, optimizeProgram, reductionPipeline, runStages, schedulePipeline, simplifyPipeline, smallTransientsToRegisters,
  storagePipeline, vectorizationPipeline, wcrMapTiling, wcrPipeline,
} from './auto-optimize.js';

// Map-level transformations.
export { mapFusion } from './transformations/map-fusion.js';
export { mapFusionSiblings } from './transformations/map-fusion-siblings.js';
export { mapTiling } from './transformations/map-tiling.js';
export { mapCollapse } from './transformations/map-collapse.js';
export { mapExpansion } from './transformations/map-expansion.js';
export { mapInterchange } from './transformations/map-interchange.js';
export { vectorization } from './transformations/vectorization.js';
export { trivialMapElimination } from './transformations/trivial-map-elimination.js';
export { mapReduceFusion } from './transformations/map-reduce-fusion.js';
export { reduceExpansion } from './transformations/reduce-expansion.js';
export { wcrMapSplit } from './transformations/wcr-map-split.js';
export { moveLoopIntoMap } from './transformations/move-loop-into-map.js';
// State- and dataflow-level transformations.
export { stateFusion } from './transformations/state-fusion.js';
export { loopToMap } from './transformations/loop-to-map.js';
export { redundantArrayRemoval } from './transformations/redundant-array-removal.js';
export { deadDataflowElimination } from './transformations/dead-dataflow-elimination.js';
export { inLocalStorage } from './transformations/in-local-storage.js';
export { outLocalStorage } from './transformations/out-local-storage.js';
export { symbolSpecialization } from './transformations/symbol-specialization.js';
// Devices.
export { gpuTransform } from './transformations/gpu-transform.js';
export { gpuThreadBlocks } from './transformations/gpu-thread-blocks.js';
export { fpgaTransform } from './transformations/fpga-transform.js';
export { streamingMemory } from './transformations/streaming-memory.js';
export { streamingComposition } from './transformations/streaming-composition.js';
