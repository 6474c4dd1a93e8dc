/// <reference types="@webgpu/types" />
// The host side of a WGSL program: bind the arguments, make a buffer per device container, then walk the control flow
// on the host (loops, branches and symbol assignments evaluated here) doing each state's work in order — uploads,
// kernel dispatches with their uniform blocks, device copies, downloads — and finally write the results in place.
//
// Dispatches are recorded and submitted in batches: each gets its own slice of a uniform arena (symbols may change
// between dispatches, e.g. a loop variable). An upload first flushes what is recorded, so the queue keeps program order.
import { dataShape } from '../../graph/data.js';
import type { AnyTypedArray, DType } from '../../graph/dtypes.js';
import { i64 } from '../../graph/dtypes.js';
import { TargetError, assertNever, type GraphPath } from '../../graph/errors.js';
import { isScopeExit, type AccessNode, type Node } from '../../graph/nodes.js';
import { blockById, entryOf, inEdges, nodeById, outInterstateEdges, scopeChildren, scopeDict } from '../../graph/query.js';
import type { ControlFlowBlock, ControlFlowGraph, Edge, SDFG, State } from '../../graph/sdfg.js';
import { fullSubset, subsetsEqual } from '../../graph/subsets.js';
import type { TExpr } from '../../graph/tasklet-ast.js';
import { castValue } from '../../graph/tasklet-ops.js';
import { typeTaskletExpr } from '../../graph/tasklet-types.js';
import { argumentContainers, bindArguments, type ArgValue } from '../common/arguments.js';
import { TaskletEvaluator } from '../reference/tasklet-eval.js';
import type { BuiltWgsl } from './build.js';
import type { DeviceBuffer, WgslKernel, WgslProgram } from './emit.js';

// GPUBufferUsage and GPUMapMode values (numbers, so that no WebGPU globals are needed in Node).
const STORAGE = 0x80, COPY_SRC = 0x04, COPY_DST = 0x08, UNIFORM = 0x40, MAP_READ = 0x01;
const MAP_MODE_READ = 0x01;
/** Dispatches recorded before a batch is submitted. */
const batchLimit = 2048;

export type WgslRunResult = Record<string, AnyTypedArray | number>;

function runError(code: string, message: string, path?: GraphPath, hint?: string): TargetError {
  return new TargetError({ code, message, ...(path ? { path } : {}), ...(hint ? { hint } : {}) });
}

/** Host values converted to a device element type (f64 → f32, i64 → i32 under demotion), and back. */
function toDevice(values: AnyTypedArray | number, element: DType): ArrayBufferView {
  const make = element.array as unknown as new (n: number) => Float32Array | Int32Array | Uint32Array;
  if (typeof values === 'number') { const out = new make(1); out[0] = values; return out; }
  if (values instanceof make) return values;
  const out = new make(values.length);
  for (let k = 0; k < values.length; k++) out[k] = Number(values[k]!);
  return out;
}

function fromDevice(device: Float32Array | Int32Array | Uint32Array, into: AnyTypedArray): void {
  if (into instanceof BigInt64Array || into instanceof BigUint64Array) {
    for (let k = 0; k < into.length; k++) (into as BigInt64Array)[k] = BigInt(device[k]!);
  } else (into as Float64Array).set(device);
}

interface Dispatch { readonly kind: 'dispatch'; readonly kernel: WgslKernel; readonly uniform: ArrayBuffer | null; readonly groups: [number, number, number] }
interface Clear { readonly kind: 'clear'; readonly buffer: GPUBuffer }
interface Download { readonly kind: 'download'; readonly buffer: GPUBuffer; readonly staging: GPUBuffer; readonly bytes: number }
type Command = Dispatch | Clear | Download;

/** One run of a program. */
class Run {
  private readonly env = new Map<string, number>();
  private readonly buffers = new Map<string, GPUBuffer>();
  private readonly scalars = new Map<string, number>();
  private readonly data: Record<string, AnyTypedArray | number>;
  private commands: Command[] = [];
  private readonly pendingReads: { staging: GPUBuffer; bytes: number; finish(view: ArrayBuffer): void }[] = [];
  private readonly garbage: GPUBuffer[] = [];
  private readonly sdfg: SDFG;

  constructor(private readonly program: WgslProgram, private readonly built: BuiltWgsl, private readonly device: GPUDevice, args: Readonly<Record<string, ArgValue>>) {
    this.sdfg = program.sdfg;
    const bound = bindArguments(this.sdfg, args);
    for (const [name, value] of Object.entries(bound.symbols)) this.env.set(name, value);
    for (const [name, c] of Object.entries(this.sdfg.constants)) this.env.set(name, c.value);
    this.data = bound.data;
    for (const [name, value] of Object.entries(bound.data)) if (typeof value === 'number') this.scalars.set(name, value);
  }

  async execute(): Promise<WgslRunResult> {
    this.device.pushErrorScope('validation');
    let scoped = true;
    try {
      this.allocate();
      this.region(this.sdfg);
      this.submit();
      scoped = false;
      const error = await this.device.popErrorScope();
      if (error) throw runError('wgsl-run', `the device rejected the work of ${this.sdfg.name}: ${error.message}`, { sdfg: this.sdfg.name });
      await this.settle();
    } finally {
      if (scoped) await this.device.popErrorScope().catch(() => null);
      for (const b of [...this.buffers.values(), ...this.garbage]) b.destroy();
    }
    const out: WgslRunResult = {};
    for (const [name] of argumentContainers(this.sdfg)) out[name] = typeof this.data[name] === 'number' ? this.scalars.get(name)! : this.data[name]!;
    return out;
  }

  private symbolValue(name: string, path?: GraphPath): number {
    const v = this.env.get(name);
    if (v === undefined) throw runError('undefined-symbol', `symbol ${name} has no value here`, path, 'pass it as an argument or assign it before this point');
    return v;
  }

  private evaluate(e: { evaluate(env: ReadonlyMap<string, number>): number }): number {
    return e.evaluate(this.env);
  }

  private allocate(): void {
    const maxBytes = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    for (const b of this.program.buffers) {
      const desc = b.desc;
      const elements = desc.kind === 'Array' || desc.kind === 'View' ? this.evaluate(desc.totalSize.add(desc.startOffset)) : 1;
      const bytes = Math.max(4, elements * 4);
      if (bytes > maxBytes) {
        throw runError('wgsl-buffer-too-large', `${b.name} needs ${bytes} bytes, more than this device's largest storage buffer (${maxBytes} bytes)`,
          { sdfg: this.sdfg.name }, 'run smaller sizes, or split the data');
      }
      this.buffers.set(b.name, this.device.createBuffer({ label: b.name, size: bytes, usage: STORAGE | COPY_SRC | COPY_DST }));
    }
  }

  // ---- control flow ---------------------------------------------------------------------------------------------

  private expression(e: TExpr, path: GraphPath): number {
    const symbols: Record<string, DType> = {};
    for (const name of this.env.keys()) symbols[name] = this.sdfg.symbols[name] ?? this.sdfg.constants[name]?.dtype ?? i64;
    const typing = typeTaskletExpr(e, { inputs: {}, outputs: {}, symbols }, { path });
    const fail = (): never => { throw runError('wgsl-unsupported', 'control flow on the host reads only symbols', path); };
    const evaluator = new TaskletEvaluator(typing, {
      read: (name) => this.symbolValue(name, path), element: fail, assign: fail, assignElement: fail, typeOfName: () => i64,
    }, path);
    return evaluator.expr(e);
  }

  private setSymbol(name: string, value: number): void {
    this.env.set(name, castValue(value, this.sdfg.symbols[name] ?? i64));
  }

  private region(cfg: ControlFlowGraph): void {
    let block = cfg.startBlock === null ? undefined : blockById(cfg, cfg.startBlock);
    while (block) {
      this.block(block);
      const path = { sdfg: this.sdfg.name, state: block.label };
      const taken = outInterstateEdges(cfg, block).sort((a, b) => a.id - b.id).find((e) => this.expression(e.condition, path) !== 0);
      if (!taken) return;
      const values = Object.entries(taken.assignments).map(([name, e]) => [name, this.expression(e, path)] as const);
      for (const [name, value] of values) this.setSymbol(name, value);
      block = blockById(cfg, taken.dst);
    }
  }

  private block(block: ControlFlowBlock): void {
    const path = { sdfg: this.sdfg.name, state: block.label };
    switch (block.kind) {
      case 'State': return this.state(block);
      case 'ControlFlowRegion': return this.region(block);
      case 'ConditionalBlock': {
        const branch = block.branches.find((b) => b.condition === null || this.expression(b.condition, path) !== 0);
        if (branch) this.region(branch.body);
        return;
      }
      case 'LoopRegion': {
        const v = block.loopVariable;
        const step = (e: TExpr | null): void => { if (v !== null && e !== null) this.setSymbol(v, this.expression(e, path)); };
        step(block.init);
        if (block.inverted) {
          do { this.region(block); step(block.update); } while (this.expression(block.condition, path) !== 0);
          return;
        }
        while (this.expression(block.condition, path) !== 0) { this.region(block); step(block.update); }
        return;
      }
      default: return assertNever(block, 'control-flow block');
    }
  }

  // ---- a state's work -------------------------------------------------------------------------------------------

  private state(state: State): void {
    const dict = scopeDict(state);
    const zeroBefore = this.setzeroWriters(state);
    for (const node of scopeChildren(state, null, dict)) {
      for (const data of zeroBefore.get(node.id) ?? []) this.commands.push({ kind: 'clear', buffer: this.buffers.get(data)! });
      this.node(state, node);
    }
  }

  /** setzero containers, by the node that first writes them (a map's entry for writes leaving a map). */
  private setzeroWriters(state: State): Map<number, string[]> {
    const out = new Map<number, string[]>();
    for (const n of state.nodes) {
      if (n.kind !== 'AccessNode' || !n.setzero || !this.buffers.has(n.data)) continue;
      for (const e of inEdges(state, n)) {
        const src = nodeById(state, e.src);
        const writer = src && isScopeExit(src) ? entryOf(state, src) ?? src : src;
        if (writer) out.set(writer.id, [...(out.get(writer.id) ?? []), n.data]);
      }
    }
    return out;
  }

  private node(state: State, node: Node): void {
    const path = { sdfg: this.sdfg.name, state: state.label, node: node.label };
    switch (node.kind) {
      case 'MapEntry': case 'LibraryNode': {
        const kernel = this.program.kernelFor(state, node.id);
        if (!kernel) throw runError('internal', `no kernel was emitted for ${node.label}`, path);
        this.dispatch(kernel, path);
        return;
      }
      case 'AccessNode':
        for (const e of inEdges(state, node)) {
          const src = nodeById(state, e.src);
          if (e.memlet.data !== null && src?.kind === 'AccessNode') this.copy(state, e, src, node, path);
        }
        return;
      default:
        return;
    }
  }

  private copy(state: State, edge: Edge, src: AccessNode, dst: AccessNode, path: GraphPath): void {
    const [from, to] = [this.buffers.get(src.data), this.buffers.get(dst.data)];
    if (from && to) {
      const kernel = this.program.copyKernelFor(state, edge.id);
      if (!kernel) throw runError('internal', `no kernel was emitted for the copy ${src.data} -> ${dst.data}`, path);
      this.dispatch(kernel, path);
      return;
    }
    const whole = (data: string): boolean => {
      const full = fullSubset(dataShape(this.sdfg.arrays[data]!));
      const m = edge.memlet;
      return (m.subset === null || subsetsEqual(m.subset, full)) && (m.otherSubset === null || subsetsEqual(m.otherSubset, full));
    };
    if (!whole(src.data) || !whole(dst.data)) {
      throw runError('wgsl-unsupported', `the copy ${src.data} -> ${dst.data} moves part of a container between host and device`, path,
        'copy whole containers between host and device (GPUTransform does)');
    }
    if (to) return this.upload(dst.data, to, src.data);
    if (from) return this.download(src.data, from, dst.data);
    throw runError('wgsl-unsupported', `the copy ${src.data} -> ${dst.data} is between two host containers`, path);
  }

  private deviceBuffer(name: string): DeviceBuffer {
    return this.program.buffers.find((b) => b.name === name)!;
  }

  private upload(device: string, buffer: GPUBuffer, host: string): void {
    // Everything recorded so far must reach the queue before this write does.
    this.submit();
    const value = this.data[host]!;
    const converted = toDevice(typeof value === 'number' ? this.scalars.get(host)! : value, this.deviceBuffer(device).element);
    this.device.queue.writeBuffer(buffer, 0, converted.buffer, converted.byteOffset, Math.min(converted.byteLength, buffer.size));
  }

  private download(device: string, buffer: GPUBuffer, host: string): void {
    const element = this.deviceBuffer(device).element;
    const target = this.data[host];
    const length = typeof target === 'number' || target === undefined ? 1 : target.length;
    const bytes = Math.max(4, length * 4);
    const staging = this.device.createBuffer({ label: `${host} (download)`, size: bytes, usage: MAP_READ | COPY_DST });
    this.garbage.push(staging);
    this.commands.push({ kind: 'download', buffer, staging, bytes: Math.min(bytes, buffer.size) });
    const make = element.array as unknown as new (b: ArrayBuffer) => Float32Array | Int32Array | Uint32Array;
    this.pendingReads.push({
      staging, bytes,
      finish: (view) => {
        const values = new make(view);
        if (typeof target === 'number' || target === undefined) this.scalars.set(host, values[0]!);
        else fromDevice(values.subarray(0, length), target);
      },
    });
  }

  private dispatch(kernel: WgslKernel, path: GraphPath): void {
    const counts = kernel.grid.map((g) => this.evaluate(g));
    if (counts.some((c) => c <= 0)) return;
    const limit = this.device.limits.maxComputeWorkgroupsPerDimension;
    const groups = counts.map((c, d) => Math.min(limit, kernel.gridUnit === 'workgroups' ? c : Math.ceil(c / kernel.workgroupSize[d]!))) as [number, number, number];
    let uniform: ArrayBuffer | null = null;
    if (kernel.uniform) {
      uniform = new ArrayBuffer(Math.max(16, Math.ceil(kernel.uniform.fields.length * 4 / 16) * 16));
      const view = new DataView(uniform);
      kernel.uniform.fields.forEach((f, k) => {
        const value = f.source === 'symbol' ? this.symbolValue(f.name, path) : this.scalars.get(f.name)!;
        if (f.type.name === 'float32') return view.setFloat32(k * 4, value, true);
        const [lo, hi] = f.type.name === 'uint32' ? [0, 2 ** 32 - 1] : [-(2 ** 31), 2 ** 31 - 1];
        if (!(value >= lo && value <= hi)) {
          throw runError('wgsl-symbol-range', `${f.source} ${f.name} = ${value} does not fit ${f.type.wgsl}, which kernel ${kernel.entryPoint} computes it in`, path,
            'WebGPU kernels index with 32-bit integers: use smaller sizes');
        }
        if (f.type.name === 'uint32') view.setUint32(k * 4, value, true);
        else view.setInt32(k * 4, value, true);
      });
    }
    this.commands.push({ kind: 'dispatch', kernel, uniform, groups });
    if (this.commands.length >= batchLimit) this.submit();
  }

  // ---- submitting -----------------------------------------------------------------------------------------------

  /** Encode and submit everything recorded: one uniform arena, compute passes between clears and downloads. */
  private submit(): void {
    if (this.commands.length === 0) return;
    const commands = this.commands;
    this.commands = [];
    const dispatches = commands.filter((c): c is Dispatch => c.kind === 'dispatch' && c.uniform !== null);
    // Each dispatch's uniform block starts at an offset the device can bind (256 bytes on most devices).
    const uniformAlignment = Math.max(16, this.device.limits.minUniformBufferOffsetAlignment);
    const arenaSize = dispatches.reduce((n, d) => n + Math.ceil(d.uniform!.byteLength / uniformAlignment) * uniformAlignment, 0);
    let arena: GPUBuffer | undefined;
    const offsets = new Map<Dispatch, number>();
    if (arenaSize > 0) {
      const bytes = new Uint8Array(arenaSize);
      let at = 0;
      for (const d of dispatches) {
        offsets.set(d, at);
        bytes.set(new Uint8Array(d.uniform!), at);
        at += Math.ceil(d.uniform!.byteLength / uniformAlignment) * uniformAlignment;
      }
      arena = this.device.createBuffer({ label: 'uniform arena', size: arenaSize, usage: UNIFORM | COPY_DST });
      this.garbage.push(arena);
      this.device.queue.writeBuffer(arena, 0, bytes);
    }
    const encoder = this.device.createCommandEncoder({ label: this.sdfg.name });
    let pass: GPUComputePassEncoder | undefined;
    const endPass = (): void => { pass?.end(); pass = undefined; };
    for (const c of commands) {
      switch (c.kind) {
        case 'dispatch': {
          const pipeline = this.built.pipelines.get(c.kernel.entryPoint)!;
          const entries: GPUBindGroupEntry[] = c.kernel.bindings.map((b) => ({ binding: b.binding, resource: { buffer: this.buffers.get(b.buffer)! } }));
          if (c.kernel.uniform && arena) entries.push({ binding: c.kernel.uniform.binding, resource: { buffer: arena, offset: offsets.get(c)!, size: c.uniform!.byteLength } });
          const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
          pass ??= encoder.beginComputePass({ label: this.sdfg.name });
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, bindGroup);
          pass.dispatchWorkgroups(...c.groups);
          break;
        }
        case 'clear': endPass(); encoder.clearBuffer(c.buffer); break;
        case 'download': endPass(); encoder.copyBufferToBuffer(c.buffer, 0, c.staging, 0, c.bytes); break;
        default: assertNever(c, 'command');
      }
    }
    endPass();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Map every staging buffer and write the downloaded values into the host containers. */
  private async settle(): Promise<void> {
    for (const read of this.pendingReads) {
      try {
        await read.staging.mapAsync(MAP_MODE_READ, 0, read.bytes);
      } catch (error) {
        // A lost device (driver reset, destroyed by another owner) rejects every pending read.
        throw runError('wgsl-device-lost', `reading back the results of ${this.sdfg.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          { sdfg: this.sdfg.name }, 'the WebGPU device was lost or destroyed while the program ran; compile again to get a new device');
      }
      read.finish(read.staging.getMappedRange(0, read.bytes).slice(0));
      read.staging.unmap();
    }
  }
}

/** Run a built WGSL program on a device with the interpreter's arguments; arrays are written in place. */
export async function runWgsl(program: WgslProgram, built: BuiltWgsl, device: GPUDevice, args: Readonly<Record<string, ArgValue>>): Promise<WgslRunResult> {
  return new Run(program, built, device, args).execute();
}
