// Graph validation: one table of named rules, run over an SDFG and every SDFG nested in it.
import { ValidationError } from './errors.js';
import type { SDFG, State } from './sdfg.js';
import { buildContext, type ValidationContext, type ValidationRule } from './validation/context.js';
import { missingStart, interstateEdgeEndpoint, unreachableBlock } from './validation/control-flow-rules.js';
import {
  duplicateName, edgeEndpoint, stateCycle, mapEntryWithoutExit, mapExitWithoutEntry, scopeCrossing,
} from './validation/structure-rules.js';
import { danglingConnector, connectorMismatch } from './validation/connector-rules.js';
import {
  unknownData, memletDataMismatch, subsetDims, subsetOutOfBounds, transientInArgs, argUnknown,
} from './validation/data-rules.js';
import { undefinedSymbol } from './validation/symbol-rules.js';
import { dtypeMismatch, taskletCode } from './validation/type-rules.js';
import { nestedSdfgConnectors, libraryNode } from './validation/node-rules.js';
import { concurrentWriteWithoutWcr, streamMisuse } from './validation/concurrency-rules.js';

export type { ValidationRule, ValidationContext } from './validation/context.js';

/**
 * Every rule, in the order failures are reported: structure before contents, so that the first failure
 * is the root cause (a missing node before the memlets that point at it). Rules skip what an earlier
 * rule already rejects, so each mistake is reported once.
 */
export const validationRules: readonly ValidationRule[] = Object.freeze([
  // control flow
  missingStart, interstateEdgeEndpoint, unreachableBlock,
  // the shape of each state
  duplicateName, edgeEndpoint, stateCycle, mapEntryWithoutExit, mapExitWithoutEntry, scopeCrossing,
  danglingConnector, connectorMismatch,
  // what the edges and nodes refer to
  unknownData, memletDataMismatch, subsetDims, subsetOutOfBounds, undefinedSymbol,
  dtypeMismatch, nestedSdfgConnectors, libraryNode, taskletCode,
  // execution
  concurrentWriteWithoutWcr, streamMisuse,
  // the program's signature
  transientInArgs, argUnknown,
]);

export interface ValidateOptions {
  /** Run only the rules with these names. */
  readonly only?: readonly string[];
  /** Skip the rules with these names. */
  readonly skip?: readonly string[];
}

function selectedRules(options: ValidateOptions): ValidationRule[] {
  const known = new Set(validationRules.map((r) => r.name));
  for (const name of [...(options.only ?? []), ...(options.skip ?? [])]) {
    if (!known.has(name)) {
      throw new ValidationError({
        code: 'unknown-rule', message: `there is no validation rule named '${name}'`,
        hint: `known rules: ${[...known].join(', ')}`,
      });
    }
  }
  return validationRules.filter((r) => (!options.only || options.only.includes(r.name)) && !options.skip?.includes(r.name));
}

function* run(ctx: ValidationContext, options: ValidateOptions): Generator<ValidationError> {
  for (const rule of selectedRules(options)) yield* rule.check(ctx);
}

/** Every failure of every rule, in rule order. */
export function validationIssues(sdfg: SDFG, options: ValidateOptions = {}): ValidationError[] {
  return [...run(buildContext(sdfg), options)];
}

/** Throws the first failure as a `ValidationError`; stops at it, so a valid graph pays for one full pass only. */
export function validate(sdfg: SDFG, options: ValidateOptions = {}): void {
  for (const issue of run(buildContext(sdfg), options)) throw issue;
}

/**
 * The failures of the dataflow rules in one state of `sdfg` (at any depth of regions or nested SDFGs),
 * for passes that changed only that state. Control-flow, argument and whole-SDFG stream rules do not run.
 */
export function stateIssues(sdfg: SDFG, state: State, options: ValidateOptions = {}): ValidationError[] {
  return [...run(stateContext(sdfg, state), options)];
}

/** Throws the first failure of `stateIssues`. */
export function validateState(sdfg: SDFG, state: State, options: ValidateOptions = {}): void {
  for (const issue of run(stateContext(sdfg, state), options)) throw issue;
}

function stateContext(sdfg: SDFG, state: State): ValidationContext {
  const full = buildContext(sdfg);
  const states = full.states.filter((s) => s.state === state);
  if (states.length === 0) {
    throw new ValidationError({
      code: 'unknown-state', message: `state '${state.label}' is not part of SDFG '${sdfg.name}'`,
      hint: 'pass the SDFG that holds the state (or the root SDFG around it)',
    });
  }
  return { ...full, sdfgs: [], graphs: [], states };
}
