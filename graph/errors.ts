// The typed errors of the library: each says what is wrong, where (graph path and user source line), and how to fix it.
import { formatSourceLocation, type SourceLocation } from './source-location.js';

/** Where in a graph something is: sdfg / state (or block) / node or edge. */
export interface GraphPath {
  readonly sdfg?: string;
  readonly state?: string;
  readonly node?: string;
  readonly edge?: string;
}

export interface SdfgErrorDetails {
  readonly code: string;
  readonly message: string;
  readonly loc?: SourceLocation;
  readonly path?: GraphPath;
  readonly hint?: string;
  readonly cause?: unknown;
}

export function formatGraphPath(p: GraphPath | undefined): string | undefined {
  if (!p) return undefined;
  const parts = [p.sdfg, p.state, p.node ?? p.edge].filter((x): x is string => !!x);
  return parts.length ? parts.join(' / ') : undefined;
}

/** Base of every error the library raises on purpose. */
export class SdfgError extends Error {
  readonly code: string;
  readonly loc?: SourceLocation;
  readonly path?: GraphPath;
  readonly hint?: string;
  /** The message without location, path and hint. */
  readonly summary: string;

  constructor(details: SdfgErrorDetails) {
    const lines = [`[${details.code}] ${details.message}`];
    const where = formatGraphPath(details.path);
    if (where) lines.push(`  in ${where}`);
    if (details.loc) lines.push(`  at ${formatSourceLocation(details.loc)}`);
    if (details.hint) lines.push(`  hint: ${details.hint}`);
    super(lines.join('\n'), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.summary = details.message;
    if (details.loc) this.loc = details.loc;
    if (details.path) this.path = details.path;
    if (details.hint) this.hint = details.hint;
  }
}

/** A symbolic expression or subset that cannot be parsed or evaluated. */
export class SymbolicError extends SdfgError {}
/** A graph that breaks a validation rule. */
export class ValidationError extends SdfgError {}
/** A builder call with bad input. */
export class BuilderError extends SdfgError {}
/** Tasklet code that does not parse or type-check. */
export class TaskletError extends SdfgError {}
/** Arguments passed to `run` that do not fit the program. */
export class ArgumentError extends SdfgError {}
/** A graph file (our JSON or DaCe's) that cannot be read. */
export class FormatError extends SdfgError {}
/** A transformation asked to apply where it cannot. */
export class TransformationError extends SdfgError {}
/** A target that cannot emit, compile or run a program. */
export class TargetError extends SdfgError {}
/** A native compiler invocation that failed; holds the compiler output and the generated file. */
export class CompilerError extends TargetError {
  readonly compilerOutput: string;
  readonly sourceFile: string;
  constructor(details: SdfgErrorDetails & { compilerOutput: string; sourceFile: string }) {
    super(details);
    this.compilerOutput = details.compilerOutput;
    this.sourceFile = details.sourceFile;
  }
}
/** Something that should be impossible: a bug in the library, reported as such. */
export class InternalError extends SdfgError {}

export function assertNever(value: never, what = 'value'): never {
  throw new InternalError({ code: 'internal', message: `unexpected ${what}: ${JSON.stringify(value)}` });
}
