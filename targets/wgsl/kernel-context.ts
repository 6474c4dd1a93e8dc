// One compute entry point being emitted: the names it binds, the symbols and scalars its uniform block carries, how it
// reaches each container's elements (plain, atomic, per-thread local), and how the finished function is assembled.
import type { DataDesc } from '../../graph/data.js';
import { dataShape } from '../../graph/data.js';
import type { DType } from '../../graph/dtypes.js';
import { i32 } from '../../graph/dtypes.js';
import type { GraphPath } from '../../graph/errors.js';
import type { Node } from '../../graph/nodes.js';
import type { State } from '../../graph/sdfg.js';
import type { Subset } from '../../graph/subsets.js';
import { isIndex, rangeSize } from '../../graph/subsets.js';
import { add, int, mul, ZERO, type Expr } from '../../graph/symbolic.js';
import {
  CodeWriter, type DeviceBuffer, type KernelBinding, type ModuleContext, type UniformField, type WgslKernel, indexText, nodePath, unsupported,
} from './emit-context.js';
import { demoter, wgslNumber, type Demote } from './expressions.js';
import { NameScope, isUsableWgslName } from './names.js';
import { storageType } from './precision.js';

/** A transient private to one thread (declared in the kernel's body). */
interface LocalData {
  readonly ident: string;
  readonly desc: DataDesc;
  readonly element: DType;
}

/** One dimension of a subset seen through a connector: its extent and the element stride between neighbours. */
export interface ViewDim {
  readonly size: Expr;
  readonly stride: Expr;
  readonly dim: number;
}

export class KernelContext {
  readonly names: NameScope;
  readonly demote: Demote;
  /** Map parameters and loop variables bound inside the kernel (i32 lets). */
  readonly params = new Set<string>();
  /** Buffers updated through their atomic view in this kernel (decided before printing). */
  readonly atomic = new Set<string>();
  private readonly usedSymbols = new Set<string>();
  private readonly fields = new Map<string, UniformField>();
  private readonly bound = new Map<string, KernelBinding>();
  private readonly locals = new Map<string, LocalData>();
  readonly uniformIdent: string;
  /** Module-scope declarations only this kernel uses (workgroup arrays). */
  readonly declarations: string[] = [];

  constructor(readonly module: ModuleContext, readonly entryPoint: string, readonly state: State) {
    this.names = module.globals.child();
    this.uniformIdent = module.globals.fresh(`${entryPoint}_args`);
    this.demote = demoter(module.options.precision, () => `kernel ${entryPoint} computes in f64`, { sdfg: module.sdfg.name, state: state.label });
  }

  get sdfg() {
    return this.module.sdfg;
  }

  path(node?: Node): GraphPath {
    return nodePath(this.sdfg, this.state, node);
  }

  /** Bind a map parameter or loop variable: printed verbatim inside index expressions, so its name must be usable. */
  bindParam(name: string, node: Node): void {
    if (!isUsableWgslName(name)) {
      throw unsupported(`parameter '${name}' of ${node.label} is a reserved word in WGSL`, this.path(node), 'rename the map parameter');
    }
    this.params.add(name);
    this.names.reserve(name);
  }

  /** An integer expression over symbols and parameters as WGSL text; records the symbols it reads. */
  expr(e: Expr): string {
    for (const s of e.freeSymbols()) this.useSymbol(s);
    return indexText(e);
  }

  /** The same, safe as the operand of any operator. */
  operand(e: Expr): string {
    for (const s of e.freeSymbols()) this.useSymbol(s);
    return e.toC();
  }

  /** Note that the kernel reads a symbol (or constant); false when the name is no symbol at all. */
  useSymbol(name: string): boolean {
    if (this.params.has(name)) return true;
    const isSymbol = name in this.sdfg.symbols || name in this.sdfg.constants || this.hostSymbol(name);
    if (!isSymbol) return false;
    if (!isUsableWgslName(name)) throw unsupported(`symbol '${name}' is a reserved word in WGSL`, { sdfg: this.sdfg.name }, 'rename the symbol');
    this.usedSymbols.add(name);
    this.names.reserve(name);
    return true;
  }

  /** Symbols the host knows that are not declared (loop variables, shape symbols). */
  private hostSymbol(name: string): boolean {
    return !(name in this.sdfg.arrays) && /^[A-Za-z_]\w*$/.test(name) && this.module.hostSymbols.has(name);
  }

  // ---- containers ------------------------------------------------------------------------------------------

  buffer(data: string): DeviceBuffer | undefined {
    return this.module.buffers.get(data);
  }

  /** The WGSL global of a buffer in this kernel (its atomic view when the kernel updates it atomically). */
  private global(buffer: DeviceBuffer): string {
    const atomic = this.atomic.has(buffer.name);
    const ident = atomic ? this.module.atomicView(buffer) : buffer.ident;
    const binding = atomic ? buffer.atomicBinding! : buffer.binding;
    this.bound.set(`${buffer.name}:${atomic}`, { binding, buffer: buffer.name, atomic });
    return ident;
  }

  /** A per-thread transient, declared at the first use. */
  local(data: string, path: GraphPath): LocalData {
    const found = this.locals.get(data);
    if (found) return found;
    const desc = this.sdfg.arrays[data];
    if (!desc) throw unsupported(`container '${data}' is not declared`, path);
    const local: LocalData = { ident: this.names.fresh(data), desc, element: storageType(data, desc.dtype, this.module.options.precision) };
    this.locals.set(data, local);
    return local;
  }

  /** Declarations of the per-thread transients used so far (arrays must have a constant size). */
  localDeclarations(): string[] {
    return [...this.locals.values()].map((l) => {
      if (l.desc.kind === 'Scalar') return `var ${l.ident}: ${l.element.wgsl};`;
      const size = add(l.desc.kind === 'Array' || l.desc.kind === 'View' ? l.desc.totalSize : int(1), l.desc.kind === 'Array' ? l.desc.startOffset : 0).constantValue();
      if (size === undefined) {
        throw unsupported(`transient '${l.ident}' inside a device map has a size that depends on symbols`, { sdfg: this.sdfg.name },
          'give per-thread transients a constant shape, or make the transient live outside the map');
      }
      return `var ${l.ident}: array<${l.element.wgsl}, ${Math.max(size, 1)}>;`;
    });
  }

  /** Whether `data` is a read-only scalar argument (its value comes in the uniform block). */
  isHostScalar(data: string): boolean {
    const desc = this.sdfg.arrays[data];
    return !!desc && desc.kind === 'Scalar' && !desc.transient && !this.module.buffers.has(data);
  }

  /** The element type of a container as the device holds it. */
  elementType(data: string, path: GraphPath): DType {
    const buffer = this.buffer(data);
    if (buffer) return buffer.element;
    if (this.isHostScalar(data)) return this.scalarField(data).type;
    return this.local(data, path).element;
  }

  private scalarField(data: string): UniformField {
    let field = this.fields.get(data);
    if (!field) {
      const desc = this.sdfg.arrays[data]!;
      field = { name: data, source: 'scalar', type: storageType(data, desc.dtype, this.module.options.precision) };
      this.fields.set(data, field);
    }
    return field;
  }

  /** Elements between neighbours along each dimension, and where element [0, …] sits. */
  layout(data: string): { strides: readonly Expr[]; offset: readonly Expr[]; start: number } {
    const desc = this.sdfg.arrays[data]!;
    if (desc.kind === 'Array' || desc.kind === 'View') return { strides: desc.strides, offset: desc.offset, start: desc.startOffset };
    return { strides: [], offset: [], start: 0 };
  }

  /** Σ (index_d - offset_d) · stride_d + start: the element's position in its buffer. */
  linearOffset(data: string, indices: readonly Expr[]): Expr {
    const { strides, offset, start } = this.layout(data);
    if (strides.length === 0) return ZERO;
    return add(int(start), ...indices.map((i, d) => mul(i.sub(offset[d] ?? ZERO), strides[d] ?? int(1))));
  }

  /** The dimensions of a subset as a connector sees them, dropping single indices when `squeeze`. */
  viewDims(data: string, s: Subset, squeeze: boolean): ViewDim[] {
    const { strides } = this.layout(data);
    const dims = s.ranges.map((r, d): ViewDim => ({ size: rangeSize(r), stride: mul(strides[d] ?? int(1), r.step), dim: d }));
    return squeeze ? dims.filter((v) => !isIndex(s.ranges[v.dim]!)) : dims;
  }

  /** Read the element at `index` (WGSL text of its linear position). */
  load(data: string, index: string, path: GraphPath): string {
    const buffer = this.buffer(data);
    if (buffer) {
      const ident = this.global(buffer);
      if (!this.atomic.has(data)) return `${ident}[${index}]`;
      const value = `atomicLoad(&${ident}[${index}])`;
      return buffer.element.name === 'float32' ? `bitcast<f32>(${value})` : value;
    }
    if (this.isHostScalar(data)) return `${this.uniformIdent}.${this.scalarField(data).name}`;
    const local = this.local(data, path);
    return local.desc.kind === 'Scalar' ? local.ident : `${local.ident}[${index}]`;
  }

  /** A statement storing `value` (already of the element type) at `index`. */
  store(data: string, index: string, value: string, path: GraphPath): string {
    const buffer = this.buffer(data);
    if (buffer) {
      const ident = this.global(buffer);
      if (!this.atomic.has(data)) {
        buffer.writtenPlain = true;
        return `${ident}[${index}] = ${value};`;
      }
      return `atomicStore(&${ident}[${index}], ${buffer.element.name === 'float32' ? `bitcast<u32>(${value})` : value});`;
    }
    if (this.isHostScalar(data)) throw unsupported(`scalar argument '${data}' is written on the device but was not moved to device memory`, path);
    const local = this.local(data, path);
    return local.desc.kind === 'Scalar' ? `${local.ident} = ${value};` : `${local.ident}[${index}] = ${value};`;
  }

  /** The atomic view's element reference, for atomic read-modify-write operations. */
  atomicRef(data: string, index: string): string {
    return `&${this.global(this.buffer(data)!)}[${index}]`;
  }

  /** The shape of a container (for whole-container memlets). */
  shape(data: string): readonly Expr[] {
    return dataShape(this.sdfg.arrays[data]!);
  }

  // ---- assembling ------------------------------------------------------------------------------------------

  /** The kernel's function: attribute, signature, prologue (symbols from the uniform block), then the body. */
  finish(
    header: { comment: string; workgroupSize: readonly [number, number, number]; builtins: readonly string[] },
    body: CodeWriter, record: Omit<WgslKernel, 'entryPoint' | 'bindings' | 'uniform' | 'workgroupSize'>,
  ): void {
    const symbols = [...this.usedSymbols].sort();
    const fields: UniformField[] = [
      ...symbols.filter((s) => !(s in this.sdfg.constants)).map((s): UniformField => ({ name: s, source: 'symbol', type: i32 })),
      ...[...this.fields.values()],
    ];
    const uniform = fields.length ? { binding: this.module.binding(), ident: this.uniformIdent, fields } : null;
    const out: string[] = [];
    if (uniform) {
      out.push(`struct ${this.uniformIdent}_t {`, ...fields.map((f) => `  ${f.name}: ${f.type.wgsl},`), '}');
      out.push(`@group(0) @binding(${uniform.binding}) var<uniform> ${this.uniformIdent}: ${this.uniformIdent}_t;`, '');
    }
    out.push(...this.declarations);
    const [x, y, z] = header.workgroupSize;
    out.push(header.comment, `@compute @workgroup_size(${x}, ${y}, ${z})`, `fn ${this.entryPoint}(${header.builtins.join(', ')}) {`);
    for (const s of symbols) {
      const constant = this.sdfg.constants[s];
      out.push(constant ? `  const ${s} = ${wgslNumber(constant.value, this.demote(constant.dtype))};` : `  let ${s} = ${this.uniformIdent}.${s};`);
    }
    out.push(...body.lines, '}', '');
    this.module.sections.push(out.join('\n'));
    this.module.kernels.push({ ...record, entryPoint: this.entryPoint, workgroupSize: header.workgroupSize, bindings: [...this.bound.values()], uniform });
  }
}

/** A writer for a kernel body, one level in. */
export function bodyWriter(): CodeWriter {
  return new CodeWriter(1);
}
