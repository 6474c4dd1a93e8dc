// The `optimize` option every target takes: the graph as it is, autoOptimize's stages, or a pipeline of the caller's.
import { TargetError } from '../../graph/errors.js';
import type { SDFG } from '../../graph/sdfg.js';
import { autoOptimize, optimizeProgram, type Stage } from '../../passes/auto-optimize.js';
import type { Pipeline } from '../../passes/pipeline.js';
import '../../passes/index.js';

export type OptimizeOption = 'auto' | 'none' | Pipeline;

/**
 * The graph a target compiles: the program's own ('none', the default), or a transformed copy ('auto': `stages`, the
 * ones the target can run; a pipeline: the caller's transformations, unknown names reported).
 */
export function optimizedSDFG(sdfg: SDFG, optimize: OptimizeOption | undefined, stages: readonly Stage[]): SDFG {
  if (optimize === undefined || optimize === 'none') return sdfg;
  if (optimize === 'auto') return autoOptimize(sdfg, 'cpu', { stages }).sdfg;
  if (!Array.isArray(optimize)) {
    throw new TargetError({
      code: 'bad-option', message: `optimize must be 'auto', 'none' or a list of transformations, got ${JSON.stringify(optimize)}`,
      hint: "e.g. optimize: ['MapFusion']",
    });
  }
  return optimizeProgram(sdfg, optimize).sdfg;
}
