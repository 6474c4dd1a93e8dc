// Running lists of transformations to a fixed point, with validation and "graph after X" logging.
import type { SDFG } from '../graph/sdfg.js';
import { validate } from '../graph/validate.js';
import { printSDFG } from '../graph/printer.js';
import { TransformationError, ValidationError } from '../graph/errors.js';
import { getTransformation, resolveOptions } from './framework.js';
import { invalidate } from './analysis.js';

export interface PipelineStep {
  readonly name: string;
  readonly options?: Readonly<Record<string, unknown>>;
  /** Apply at most this many times in the whole run (default: unlimited, to the fixed point). */
  readonly limit?: number;
}
/** A pipeline: transformation names, or steps with options — plain data, so it can come from configuration. */
export type Pipeline = readonly (string | PipelineStep)[];

export interface PipelineOptions {
  /** Validate the graph after every application (debug mode); a failure names the transformation. */
  readonly validateEachStep?: boolean;
  /** Print the graph after each application, like "Lowering after X". */
  readonly printAfterEach?: boolean;
  /** Where logs go (default: stderr). */
  readonly log?: (line: string) => void;
  /** Rounds over the whole list before giving up on reaching a fixed point. */
  readonly maxRounds?: number;
}

export interface AppliedStep { readonly transformation: string; readonly where: string; readonly round: number }
export interface PipelineReport { readonly applied: AppliedStep[]; readonly rounds: number; readonly milliseconds: number }

/** Apply every step to every candidate it accepts, round after round, until a round changes nothing. */
export function runPipeline(sdfg: SDFG, pipeline: Pipeline, options: PipelineOptions = {}): PipelineReport {
  const started = performance.now();
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const steps = pipeline.map((s) => (typeof s === 'string' ? { name: s } : s)).map((s) => {
    const t = getTransformation(s.name);
    return { step: s, t, opts: resolveOptions(t, s.options), count: 0 };
  });
  const applied: AppliedStep[] = [];
  const maxRounds = options.maxRounds ?? 50;
  let round = 0;
  for (; round < maxRounds; round++) {
    let changed = false;
    for (const entry of steps) {
      const { t, opts, step } = entry;
      for (let guard = 0; guard < 10_000; guard++) {
        if (step.limit !== undefined && entry.count >= step.limit) break;
        let found: unknown;
        for (const candidate of t.candidates(sdfg, opts)) {
          if (t.canApply(sdfg, candidate, opts) === true) { found = candidate; break; }
        }
        if (found === undefined) break;
        const where = t.describe(found);
        t.apply(sdfg, found, opts);
        invalidate(sdfg, t.modifies);
        entry.count++;
        changed = true;
        applied.push({ transformation: t.name, where, round });
        if (options.validateEachStep) {
          try {
            validate(sdfg);
          } catch (error) {
            const detail = error instanceof ValidationError ? error.message : String(error);
            throw new TransformationError({ code: 'broke-graph', message: `after ${t.name} on ${where} the graph is invalid:\n${detail}`, hint: 'this is a bug in the transformation; please report it with the program', cause: error });
          }
        }
        if (options.printAfterEach) log(`// graph after ${t.name} (${where})\n${printSDFG(sdfg)}`);
      }
    }
    if (!changed) break;
  }
  return { applied, rounds: round + 1, milliseconds: performance.now() - started };
}
