// The program object users hold: its graph, a run on the reference interpreter, and its text form.
import type { SDFG } from './graph/sdfg.js';
import type { AnyTypedArray } from './graph/dtypes.js';
import { captureSourceLocation } from './graph/source-location.js';
import { printSDFG } from './graph/printer.js';
import { toJSON } from './graph/json.js';
import { buildProgramSDFG } from './dsl/program.js';
import type { ProgramBuilder } from './dsl/builder.js';
import { declareParams, type Handles, type ParamDecls, type RunArgs } from './dsl/declarations.js';
import { runReference } from './targets/reference/index.js';
import type { ArgValue } from './targets/common/arguments.js';
import { autoOptimize, optimizeProgram, type OptimizationReport } from './passes/auto-optimize.js';
import type { Pipeline, PipelineOptions } from './passes/pipeline.js';
import './passes/index.js';

/** Arguments of `run`: typed from the declared parameters when the program declares them. */
export type ProgramArgs<P> = P extends ParamDecls ? RunArgs<P> : Readonly<Record<string, ArgValue>>;

/** What `run` gives back: every argument container (arrays are the objects passed in, written in place; scalars by value). */
export type RunResult = Record<string, AnyTypedArray | number>;

export class Program<P = unknown> {
  constructor(readonly sdfg: SDFG) {}

  get name(): string {
    return this.sdfg.name;
  }

  /** Run on the reference interpreter: outputs are written into the arrays passed in. */
  run(args: ProgramArgs<P>): RunResult {
    return runReference(this.sdfg, args as Readonly<Record<string, ArgValue>>);
  }

  /** The canonical text form of the graph. */
  toString(): string {
    return printSDFG(this.sdfg);
  }

  toJSON(): unknown {
    return toJSON(this.sdfg);
  }

  /**
   * A new program with transformations applied ('auto' for autoOptimize, or a pipeline of transformation names
   * and steps with options); this program is left as it is. The report lists what was applied where.
   */
  optimize(pipeline: 'auto' | Pipeline = 'auto', options: PipelineOptions = {}): Program<P> & { readonly report: OptimizationReport } {
    const { sdfg, report } = pipeline === 'auto' ? autoOptimize(this.sdfg, 'cpu', options) : optimizeProgram(this.sdfg, pipeline, options);
    return Object.assign(new Program<P>(sdfg), { report });
  }
}

/**
 * Build a program. Either declare data inside the body (`p.array(...)`), or declare the parameters up
 * front so that the handles and `run`'s arguments are typed:
 * `program('axpy', { N: symbol, a: f64, x: array(f64, ['N']), y: array(f64, ['N']) }, (p, { N, a, x, y }) => …)`.
 */
export function program(name: string, body: (p: ProgramBuilder) => void): Program;
export function program<P extends ParamDecls>(name: string, params: P, body: (p: ProgramBuilder, handles: Handles<P>) => void): Program<P>;
export function program(name: string, ...rest: unknown[]): Program<unknown> {
  const loc = captureSourceLocation();
  if (rest.length === 1) {
    const body = rest[0] as (p: ProgramBuilder) => void;
    return new Program(buildProgramSDFG(name, body, loc));
  }
  const [params, body] = rest as [ParamDecls, (p: ProgramBuilder, handles: unknown) => void];
  return new Program(buildProgramSDFG(name, (p) => body(p, declareParams(p, params, loc)), loc));
}

/** Wrap an existing graph (from JSON, from DaCe, from a transformation) as a program object. */
export function programFromSDFG(sdfg: SDFG): Program {
  return new Program(sdfg);
}
