// Shared state of WGSL emission: the code writer, device buffers and their bindings, kernels and their uniform blocks.
import type { DataDesc } from '../../graph/data.js';
import type { DType } from '../../graph/dtypes.js';
import { TargetError, type GraphPath } from '../../graph/errors.js';
import type { Node } from '../../graph/nodes.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import type { Expr } from '../../graph/symbolic.js';
import { NameScope, wgslIdentifier } from './names.js';
import type { WgslPrecision } from './precision.js';

/** Lines of code with an indentation level. */
export class CodeWriter {
  readonly lines: string[] = [];
  private depth: number;

  constructor(depth = 0) {
    this.depth = depth;
  }

  line(text = ''): void {
    this.lines.push(text === '' ? '' : '  '.repeat(this.depth) + text);
  }

  open(text: string): void {
    this.line(text);
    this.depth++;
  }

  close(text = '}'): void {
    this.depth--;
    this.line(text);
  }

  /** Lines already indented relative to the current level. */
  append(lines: readonly string[]): void {
    for (const l of lines) this.line(l);
  }
}

/** A container in device memory (GPU_Global): one storage buffer. */
export interface DeviceBuffer {
  readonly name: string;
  /** The WGSL global through which kernels read and write it. */
  readonly ident: string;
  readonly desc: DataDesc;
  /** Its element type in WGSL (f32, i32 or u32). */
  readonly element: DType;
  readonly binding: number;
  /** The `array<atomic<…>>` view some kernel updates it through, if any. */
  atomicBinding?: number;
  /** Whether some kernel writes it through the plain view (else it is declared read-only). */
  writtenPlain: boolean;
}

/** A value of a kernel's uniform block: a symbol or a read-only scalar argument. */
export interface UniformField {
  readonly name: string;
  readonly source: 'symbol' | 'scalar';
  /** Its WGSL type (i32, u32 or f32). */
  readonly type: DType;
}

export interface KernelBinding {
  readonly binding: number;
  readonly buffer: string;
  readonly atomic: boolean;
}

/** One compute entry point and what the host needs to dispatch it. */
export interface WgslKernel {
  readonly entryPoint: string;
  readonly kind: 'map' | 'reduce' | 'matmul' | 'copy';
  /** Where it comes from: a state and its node (a map entry or library node) or, for copies, the copy's edge id. */
  readonly state: State;
  readonly node: number;
  readonly workgroupSize: readonly [number, number, number];
  /** Invocations (threads) wanted along x, y, z, or for reductions the number of workgroups along x. */
  readonly grid: readonly [Expr, Expr, Expr];
  readonly gridUnit: 'threads' | 'workgroups';
  readonly bindings: readonly KernelBinding[];
  readonly uniform: { readonly binding: number; readonly ident: string; readonly fields: readonly UniformField[] } | null;
}

export interface WgslEmitOptions {
  readonly precision: WgslPrecision;
  /** Workgroup size of Reduce kernels (a power of two). */
  readonly reduceWorkgroupSize: number;
}

/** The module being emitted. */
export class ModuleContext {
  readonly buffers = new Map<string, DeviceBuffer>();
  readonly kernels: WgslKernel[] = [];
  /** Kernel sources and module-scope declarations they need (workgroup arrays), in order. */
  readonly sections: string[] = [];
  readonly globals = new NameScope();
  private nextBinding = 0;

  constructor(
    readonly sdfg: SDFG,
    readonly options: WgslEmitOptions,
    /** Every symbol the host has a value for when it dispatches (arguments, loop variables, assigned symbols). */
    readonly hostSymbols: ReadonlySet<string>,
  ) {}

  binding(): number {
    return this.nextBinding++;
  }

  addBuffer(name: string, desc: DataDesc, element: DType): DeviceBuffer {
    const buffer: DeviceBuffer = { name, ident: this.globals.fresh(wgslIdentifier(name)), desc, element, binding: this.binding(), writtenPlain: false };
    this.buffers.set(name, buffer);
    return buffer;
  }

  /** The atomic view of a buffer, made on first use. */
  atomicView(buffer: DeviceBuffer): string {
    buffer.atomicBinding ??= this.binding();
    return `${buffer.ident}_atomic`;
  }
}

/** The error for a graph feature the WGSL target does not handle. */
export function unsupported(message: string, path?: GraphPath, hint?: string): TargetError {
  return new TargetError({ code: 'wgsl-unsupported', message, ...(path ? { path } : {}), ...(hint ? { hint } : {}) });
}

export function nodePath(sdfg: SDFG, state: State, node?: Node): GraphPath {
  return { sdfg: sdfg.name, state: state.label, ...(node ? { node: `${node.label} (n${node.id})` } : {}) };
}

/** `// state "init", map "scale" (n3)`: names a block's origin in the generated code. */
export function originComment(state: State, node: Node, what: string): string {
  return `// state "${state.label}", ${what} "${node.label}" (n${node.id})`;
}

/** Text of an integer expression over i32 symbols and parameters, without outer parentheses. */
export function indexText(e: Expr): string {
  const text = e.toC();
  if (!text.startsWith('(')) return text;
  let depth = 0;
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '(') depth++;
    else if (text[k] === ')' && --depth === 0) return k === text.length - 1 ? text.slice(1, -1) : text;
  }
  return text;
}

/** Helpers generated code calls: floor division and modulo with Python semantics (symbolic expressions), float bit patterns. */
export const wgslIndexHelpers: Readonly<Record<string, string>> = {
  sdfg_floordiv: `fn sdfg_floordiv(a: i32, b: i32) -> i32 {
  let q = a / b;
  return select(q, q - 1, (a % b != 0) && ((a < 0) != (b < 0)));
}
`,
  sdfg_f32_bits: `fn sdfg_f32_bits(bits: u32) -> f32 {
  // A call, not a constant expression: WGSL rejects infinities and NaN in those.
  return bitcast<f32>(bits);
}
`,
  sdfg_mod: `fn sdfg_mod(a: i32, b: i32) -> i32 {
  let r = a % b;
  return select(r, r + b, (r != 0) && ((r < 0) != (b < 0)));
}
`,
};

/** An entry point's name: the state's label and the node's, once when they are the same. */
export function kernelName(state: State, label: string): string {
  return state.label === label || label.startsWith(`${state.label}_`) ? label : `${state.label}_${label}`;
}
