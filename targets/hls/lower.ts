// The FPGA lowering the hls target runs before printing: library nodes expanded (Reduce, MatMul), FPGATransform, the user's own
// transformations, then StreamingComposition and StreamingMemory wherever they apply. Each step is a graph rewrite.
import { cloneSDFG } from '../../graph/clone.js';
import { TargetError } from '../../graph/errors.js';
import type { SDFG } from '../../graph/sdfg.js';
import { validate } from '../../graph/validate.js';
import { invalidate } from '../../passes/analysis.js';
import { type Transformation, resolveOptions } from '../../passes/framework.js';
import { runPipeline, type AppliedStep, type Pipeline } from '../../passes/pipeline.js';
import { expandMatMuls } from './expand-matmul.js';
import { fpgaTransform, isFpgaLowered } from '../../passes/transformations/fpga-transform.js';
import { reduceExpansion } from '../../passes/transformations/reduce-expansion.js';
import { streamingComposition } from '../../passes/transformations/streaming-composition.js';
import { streamingMemory } from '../../passes/transformations/streaming-memory.js';

export interface FpgaLoweringOptions {
  /** Off-chip reads and writes of the maps become reader and writer processing elements (default true). */
  streamingMemory?: boolean;
  /** Producer → consumer maps through a transient array become a stream between them (default true). */
  streamingComposition?: boolean;
  /** Transformations to run after FPGATransform, before streaming (e.g. `['MapTiling', 'InLocalStorage']`). */
  pipeline?: Pipeline;
  /** FIFO depth of the streams the streaming transformations add (default 8). */
  streamDepth?: number;
}

export interface FpgaLowering {
  readonly sdfg: SDFG;
  /** Every transformation applied, in order. */
  readonly applied: readonly AppliedStep[];
}

// Transformations are called with their own candidates and options only.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTransformation = Transformation<any, any>;

/** Apply `t` wherever it applies (candidates recomputed after each application). */
function applyEverywhere(sdfg: SDFG, t: AnyTransformation, options: Record<string, unknown>, applied: AppliedStep[]): void {
  const resolved = resolveOptions(t, options);
  for (let guard = 0; guard < 1000; guard++) {
    const found = [...t.candidates(sdfg, resolved)].find((c) => t.canApply(sdfg, c, resolved) === true);
    if (found === undefined) return;
    applied.push({ transformation: t.name, where: t.describe(found), round: 0 });
    t.apply(sdfg, found, resolved);
    invalidate(sdfg, t.modifies);
  }
}

/** Lower a copy of `sdfg` for the FPGA (a graph already lowered is only copied). */
export function lowerForFpga(sdfg: SDFG, options: FpgaLoweringOptions = {}): FpgaLowering {
  const lowered = cloneSDFG(sdfg);
  const applied: AppliedStep[] = [];
  if (isFpgaLowered(lowered)) return { sdfg: lowered, applied };
  applyEverywhere(lowered, reduceExpansion, {}, applied);
  const products = expandMatMuls(lowered);
  if (products > 0) applied.push({ transformation: 'MatMul expansion (hls)', where: `${products} MatMul node${products > 1 ? 's' : ''}`, round: 0 });
  const verdict = fpgaTransform.canApply(lowered, { sdfg: lowered }, {});
  if (verdict !== true) {
    throw new TargetError({ code: 'hls-cannot-lower', message: `the FPGA lowering cannot apply to ${sdfg.name}: ${verdict}`, path: { sdfg: sdfg.name } });
  }
  fpgaTransform.apply(lowered, { sdfg: lowered }, {});
  invalidate(lowered, fpgaTransform.modifies);
  applied.push({ transformation: fpgaTransform.name, where: `SDFG ${sdfg.name}`, round: 0 });
  if (options.pipeline) applied.push(...runPipeline(lowered, options.pipeline, { log: () => {} }).applied);
  const depth = { depth: options.streamDepth ?? 8 };
  if (options.streamingComposition ?? true) applyEverywhere(lowered, streamingComposition, depth, applied);
  if (options.streamingMemory ?? true) applyEverywhere(lowered, streamingMemory, depth, applied);
  validate(lowered);
  return { sdfg: lowered, applied };
}
