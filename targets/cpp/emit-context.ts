// Shared state of C++ emission: the code writer, options, the module being built, and per-function context.
import type { DataDesc } from '../../graph/data.js';
import type { DType } from '../../graph/dtypes.js';
import { TargetError, type GraphPath } from '../../graph/errors.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import type { Node } from '../../graph/nodes.js';
import type { Expr } from '../../graph/symbolic.js';
import type { Wcr } from '../../graph/memlet.js';
import type { RuntimeFeatures } from './runtime.js';

/** Lines of code with an indentation level. */
export class CodeWriter {
  readonly lines: string[] = [];
  private depth = 0;

  constructor(depth = 0) {
    this.depth = depth;
  }

  get indent(): string {
    return '  '.repeat(this.depth);
  }

  line(text = ''): void {
    this.lines.push(text === '' ? '' : this.indent + text);
  }

  /** A line that opens a block: the following lines are indented once more. */
  open(text: string): void {
    this.line(text);
    this.depth++;
  }

  close(text = '}'): void {
    this.depth--;
    this.line(text);
  }

  /** A line between two blocks at the outer level (`} else {`): indentation stays as inside the blocks. */
  middle(text: string): void {
    this.depth--;
    this.line(text);
    this.depth++;
  }

  /** Lines already indented relative to this writer's current level. */
  append(lines: readonly string[]): void {
    for (const l of lines) this.lines.push(l === '' ? '' : this.indent + l);
  }

  text(): string {
    return this.lines.join('\n');
  }
}

export interface EmitOptions {
  /** Library-node MatMul through `cblas_?gemm` ('openblas') or loops ('none', the default). */
  blas?: 'openblas' | 'none';
  /** Estimated iterations below which a parallel map runs serially (an OpenMP region costs microseconds). */
  parallelThreshold?: number;
  /** Transients up to this many bytes (and of constant size) live on the stack. */
  stackLimitBytes?: number;
  /** The caller has just validated this very graph (autoOptimize does, last thing): do not validate it again. */
  assumeValid?: boolean;
}

export interface ResolvedEmitOptions {
  readonly blas: 'openblas' | 'none';
  readonly parallelThreshold: number;
  readonly stackLimitBytes: number;
}

export function resolveEmitOptions(options: EmitOptions = {}): ResolvedEmitOptions {
  return {
    blas: options.blas ?? 'none',
    parallelThreshold: options.parallelThreshold ?? 16384,
    stackLimitBytes: options.stackLimitBytes ?? 4096,
  };
}

/** How a function reaches a data container. */
export type Placement =
  /** An array behind a pointer parameter or an allocation. */
  | 'pointer'
  /** A scalar parameter passed by value (read only). */
  | 'value'
  /** A written scalar parameter: a pointer to one element. */
  | 'scalar-pointer'
  /** A scalar local variable. */
  | 'local'
  /** An `sdfg_stream<T>` object. */
  | 'stream';

export interface ContainerAccess {
  /** The C identifier. */
  readonly cname: string;
  readonly desc: DataDesc;
  readonly placement: Placement;
  /** Elements between neighbours per dimension (arrays), possibly stride parameters of a nested function. */
  readonly strides: readonly Expr[];
  /** Every write combines under this resolution (a nested SDFG's output whose outer memlet has one). */
  readonly wcr?: Wcr;
}

/** The module being emitted: helper functions, features, and unique names across functions. */
export class ModuleContext {
  readonly features: RuntimeFeatures = { streams: false, atomics: false, blas: false };
  /** Static functions (nested SDFGs), in definition order. */
  readonly functions: string[] = [];
  /** Raw global code of CPP tasklets, once each. */
  readonly globals = new Set<string>();
  private readonly used = new Set<string>();

  constructor(readonly options: ResolvedEmitOptions, readonly root: SDFG) {}

  /** A module-wide unique identifier starting with `base`. */
  uniqueGlobal(base: string): string {
    let name = cIdentifier(base);
    for (let k = 1; this.used.has(name); k++) name = `${cIdentifier(base)}_${k}`;
    this.used.add(name);
    return name;
  }
}

/** Parallel map being emitted: what the OpenMP construct around its loops needs to know. */
export interface ParallelFrame {
  /** Parameters whose values are distributed over threads. */
  readonly threadParams: ReadonlySet<string>;
  /** Parameters of the scopes around the parallel map (fixed while it runs). */
  readonly outerParams: readonly string[];
  /** Reduction variables discovered in the body: key → declaration. */
  readonly reductions: Map<string, ReductionVariable>;
  /** Arrays each thread may update in a private copy, combined when the loop ends (OpenMP array reductions). */
  readonly arrayReductions?: ReadonlyMap<string, ArrayReduction>;
}

/** An array that conflicting writes update in per-thread copies: `reduction(op: cname[0:length])`. */
export interface ArrayReduction {
  readonly cname: string;
  /** Elements, as a C expression. */
  readonly length: string;
  readonly op: '+' | '*' | 'min' | 'max';
  /** The function whose parallel loop declares it (a nested function's pointer is not the private copy). */
  readonly owner: FunctionContext;
  /** Set when a write used it: only used arrays get a clause. */
  used: boolean;
}

export interface ReductionVariable {
  readonly cname: string;
  readonly dtype: DType;
  /** OpenMP reduction operator. */
  readonly op: '+' | '*' | 'min' | 'max' | '||' | '&&';
  /** The element it combines into once the loop is done. */
  readonly target: string;
}

/** Where in the scope tree code is being emitted. */
export interface ScopeFrame {
  readonly state: State;
  /** The innermost enclosing parallel map, if any (also set inside nested SDFGs called from one). */
  readonly parallel: ParallelFrame | null;
  /** True when some enclosing code runs on several threads (maps must not open another parallel region). */
  readonly inParallel: boolean;
  /** Map parameters and loop variables of every enclosing scope. */
  readonly params: readonly string[];
  /** Streams consumed by an enclosing consume scope: stream → the popped element's variable. */
  readonly consumed: ReadonlyMap<string, string>;
  /** Containers allocated inside the current parallel region (private to a thread). */
  readonly privateData: ReadonlySet<string>;
  /** Elements a sequential loop nest sums (min, max, …) into a local accumulator: `data[indices]` key → variable. */
  readonly localSums?: ReadonlyMap<string, string>;
}

/** The key of one element in `ScopeFrame.localSums`. */
export function elementKey(data: string, indices: readonly Expr[]): string {
  return `${data}[${indices.map((i) => i.key).join(', ')}]`;
}

/** One C++ function being emitted for an SDFG (the entry, or a nested SDFG's static function). */
export class FunctionContext {
  readonly containers = new Map<string, ContainerAccess>();
  /** Symbols visible in the function (free symbols are parameters, assigned ones are locals). */
  readonly symbols = new Set<string>();
  /** Transients private to a scope: state → scope entry id → names (see emit-alloc.ts). */
  scopedTransients = new Map<State, Map<number, string[]>>();
  private readonly used = new Set<string>();
  private labels = 0;

  constructor(
    readonly module: ModuleContext,
    readonly sdfg: SDFG,
    /** Whether the function runs inside a parallel region of its caller. */
    readonly calledInParallel: boolean,
  ) {}

  access(data: string, path?: GraphPath): ContainerAccess {
    const found = this.containers.get(data);
    if (!found) throw unsupported(`container '${data}' is not declared in SDFG '${this.sdfg.name}'`, path);
    return found;
  }

  /** Reserve a C identifier in this function (containers, symbols, locals). */
  reserve(name: string): void {
    this.used.add(name);
  }

  /** A fresh local identifier starting with `base`. */
  fresh(base: string): string {
    let name = cIdentifier(base);
    for (let k = 0; this.used.has(name) || reservedWords.has(name); k++) name = `${cIdentifier(base)}_${k}`;
    this.used.add(name);
    return name;
  }

  freshLabel(base: string): string {
    return `${cIdentifier(base)}_${this.labels++}`;
  }
}

/** Words that cannot name a C++ variable here (keywords and the runtime's helpers). */
export const reservedWords = new Set([
  'alignas', 'alignof', 'and', 'asm', 'auto', 'bool', 'break', 'case', 'catch', 'char', 'class', 'const', 'constexpr',
  'continue', 'default', 'delete', 'do', 'double', 'else', 'enum', 'explicit', 'extern', 'false', 'float', 'for',
  'friend', 'goto', 'if', 'inline', 'int', 'long', 'mutable', 'namespace', 'new', 'not', 'nullptr', 'operator', 'or',
  'private', 'protected', 'public', 'register', 'return', 'short', 'signed', 'sizeof', 'static', 'struct', 'switch',
  'template', 'this', 'throw', 'true', 'try', 'typedef', 'typename', 'union', 'unsigned', 'using', 'virtual', 'void',
  'volatile', 'while', 'xor', 'std', 'min', 'max', 'main', 'errno', 'sdfg_floordiv', 'sdfg_mod', 'sdfg_ipow',
]);

/** A valid C identifier derived from arbitrary text. */
export function cIdentifier(text: string): string {
  let name = text.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(name)) name = `_${name}`;
  return name;
}

/** The error for a graph feature this target does not handle. */
export function unsupported(message: string, path?: GraphPath, hint?: string): TargetError {
  return new TargetError({ code: 'cpp-unsupported', message, ...(path ? { path } : {}), ...(hint ? { hint } : {}) });
}

/** Graph path of a node for error messages. */
export function nodePath(fn: FunctionContext, state: State, node?: Node): GraphPath {
  return { sdfg: fn.sdfg.name, state: state.label, ...(node ? { node: `${node.label} (n${node.id})` } : {}) };
}

/** `// state "init", map "gemm_map" (n3)`: names a block's origin in the generated code. */
export function originComment(state: State, node: Node, what: string): string {
  return `// state "${state.label}", ${what} "${node.label}" (n${node.id})`;
}
