// A device map as a CUDA kernel: parameters, the block index split into tile starts, thread-block maps with bounds
// checks, shared memory, and the host code that launches it (grid, block, stream, error check).
import type { MapEntry, MapScope, Node } from '../../graph/nodes.js';
import { exitOf, inEdges, scopeChildren, scopeNodes } from '../../graph/query.js';
import type { State } from '../../graph/sdfg.js';
import { rangeSize, subsetFreeSymbols } from '../../graph/subsets.js';
import { proveLessEqual } from '../../graph/symbolic-compare.js';
import { namesRead, forEachStmt, type TStmt } from '../../graph/tasklet-ast.js';
import { CodeWriter, FunctionContext, nodePath, originComment } from '../cpp/emit-context.js';
import { cIndex } from '../cpp/emit-memlet.js';
import { type CudaModule, type DeviceFunction, type KernelFrame, cudaUnsupported } from './emit-context.js';
import { declareRegisters, emitDeviceNode, emitDeviceScope, type ScopedTransients } from './emit-device.js';

const axes = ['x', 'y', 'z'] as const;

/** One kernel parameter: its declaration in the kernel and the value the host passes. */
interface KernelParam {
  readonly declaration: string;
  readonly argument: string;
}

/** Symbols a piece of tasklet code reads. */
function codeNames(body: readonly TStmt[], into: Set<string>): void {
  forEachStmt(body, (s) => {
    switch (s.k) {
      case 'assign': namesRead(s.value, into); if (s.target.k === 'index') s.target.indices.forEach((i) => namesRead(i, into)); break;
      case 'let': namesRead(s.value, into); break;
      case 'if': namesRead(s.cond, into); break;
      case 'for': [s.begin, s.end, s.step].forEach((e) => namesRead(e, into)); break;
    }
  });
}

/** Everything the kernel reads from the host: containers (by name) and symbols. */
function kernelInputs(host: FunctionContext, state: State, entry: MapEntry, inside: readonly Node[]): { data: string[]; written: Set<string>; symbols: string[] } {
  const exit = exitOf(state, entry)!;
  const ids = new Set([entry.id, exit.id, ...inside.map((n) => n.id)]);
  const data = new Set<string>(), written = new Set<string>(), names = new Set<string>();
  for (const e of state.edges) {
    if (!ids.has(e.src) && !ids.has(e.dst)) continue;
    if (e.memlet.data === null) continue;
    data.add(e.memlet.data);
    if (e.memlet.subset) subsetFreeSymbols(e.memlet.subset).forEach((s) => names.add(s));
    if (e.src === exit.id) written.add(e.memlet.data);
  }
  for (const n of [entry, ...inside]) {
    if (n.kind === 'MapEntry') n.map.ranges.forEach((r) => [r.begin, r.end, r.step].forEach((x) => x.freeSymbols().forEach((s) => names.add(s))));
    if (n.kind === 'Tasklet' && n.code.language === 'tasklet') codeNames(n.code.body, names);
    if (n.kind === 'AccessNode' && inEdges(state, n).some((e) => e.memlet.data !== null)) written.add(n.data);
  }
  for (const name of data) {
    const desc = host.sdfg.arrays[name];
    if (desc && (desc.kind === 'Array' || desc.kind === 'View')) {
      for (const e of [...desc.strides, ...desc.offset, desc.totalSize]) e.freeSymbols().forEach((s) => names.add(s));
    }
  }
  return { data: [...data].sort(), written, symbols: [...host.symbols].filter((s) => names.has(s)) };
}

/** The threads of a block along x, y, z: the largest thread-block map inside the device map. */
function blockShape(device: MapScope, blocks: readonly MapScope[]): number[] {
  const shape = [1, 1, 1];
  for (const map of [device, ...blocks]) (map.gpuBlockSize ?? []).forEach((b, k) => { if (k < 3) shape[k] = Math.max(shape[k]!, b); });
  return shape;
}

/** Tile-start parameters: device-map parameters a thread-block map's ranges begin at. */
function tileStarts(device: MapScope, blocks: readonly MapScope[]): Set<string> {
  return new Set(device.params.filter((p) => blocks.some((b) => b.ranges.some((r) => r.begin.symbolName() === p))));
}

/** A thread-block map: each thread takes its point (or, when the map is wider than the block, a block-stride loop). */
function emitThreadBlockMap(dev: DeviceFunction, frame: KernelFrame, state: State, entry: MapEntry, dict: Map<number, number | null>, scoped: ScopedTransients, w: CodeWriter): void {
  const map = entry.map;
  const n = map.params.length;
  if (n > 3) throw cudaUnsupported(`thread-block map '${map.label}' has ${n} parameters; a block has at most three dimensions`, nodePath(dev.fn, state, entry));
  const sizes = map.gpuBlockSize ?? [];
  w.line(originComment(state, entry, 'thread-block map'));
  w.open('{');
  const checks: string[] = [];
  let loops = 0;
  map.params.forEach((p, d) => {
    const r = map.ranges[d]!;
    const axis = axes[n - 1 - d]!;
    const threads = sizes[n - 1 - d] ?? 1;
    const lane = `${r.step.equals(1) ? '' : `${cIndex(r.step)} * `}threadIdx.${axis}`;
    const start = r.begin.isZero() ? lane : `${cIndex(r.begin)} + ${lane}`;
    if (proveLessEqual(rangeSize(r), threads) === true) {
      w.line(`const int64_t ${p} = ${start};`);
      checks.push(`${p} < ${cIndex(r.end)}`);
    } else {
      w.open(`for (int64_t ${p} = ${start}; ${p} < ${cIndex(r.end)}; ${p} += ${r.step.equals(1) ? '' : `${cIndex(r.step)} * `}blockDim.${axis}) {`);
      loops++;
    }
  });
  // Bounds check: the last block of each dimension may hold threads past the end.
  if (checks.length) w.open(`if (${checks.join(' && ')}) {`);
  declareRegisters(dev, scoped.get(state)?.get(entry.id) ?? [], w);
  const inner: KernelFrame = {
    ...frame, params: [...frame.params, ...map.params], threadParams: new Set([...frame.threadParams, ...map.params]), laneParam: map.params[n - 1] ?? null,
  };
  emitDeviceScope(dev, inner, state, entry.id, dict, scoped, w);
  if (checks.length) w.close();
  for (let k = 0; k < loops; k++) w.close();
  w.close();
}

/** Block-level work outside thread-block maps (copies, tasklets): thread 0 of the block does it. */
function emitBlockLevel(dev: DeviceFunction, frame: KernelFrame, state: State, node: Node, dict: Map<number, number | null>, scoped: ScopedTransients, w: CodeWriter): void {
  const inner = new CodeWriter();
  emitDeviceNode(dev, frame, state, node, dict, scoped, inner);
  if (inner.lines.length === 0) return;
  w.open('if (threadIdx.x == 0 && threadIdx.y == 0 && threadIdx.z == 0) {');
  w.append(inner.lines);
  w.close();
}

export interface KernelDefinition {
  readonly name: string;
  /** Host code launching the kernel on `stream`. */
  launch(stream: string, w: CodeWriter): void;
}

/** Define the kernel of a device map in the module and return how to launch it. */
export function emitKernel(module: CudaModule, host: FunctionContext, state: State, entry: MapEntry, dict: Map<number, number | null>, scoped: ScopedTransients): KernelDefinition {
  const device = entry.map;
  const inside = scopeNodes(state, entry, dict);
  const blocks = inside.filter((n): n is MapEntry => n.kind === 'MapEntry' && n.map.schedule === 'GPU_ThreadBlock');
  const name = module.cpp.uniqueGlobal(`${device.label}_kernel`);
  const fn = new FunctionContext(module.cpp, host.sdfg, true);
  const dev: DeviceFunction = { module, fn, memory: new Map() };
  const { data, written, symbols } = kernelInputs(host, state, entry, inside);
  const path = nodePath(host, state, entry);
  const params: KernelParam[] = [];
  const localHere = new Set([entry.id, ...inside.map((n) => n.id)].flatMap((id) => scoped.get(state)?.get(id) ?? []));
  for (const s of symbols) {
    fn.symbols.add(s);
    fn.reserve(s);
  }
  for (const d of data) {
    if (localHere.has(d)) continue;
    const outer = host.containers.get(d);
    const desc = host.sdfg.arrays[d]!;
    const cname = fn.fresh(d);
    if (outer?.placement === 'pointer' && desc.storage === 'GPU_Global') {
      fn.containers.set(d, { ...outer, cname });
      dev.memory.set(d, 'global');
      params.push({ declaration: `${written.has(d) ? '' : 'const '}${desc.dtype.cuda}* __restrict__ ${cname}`, argument: outer.cname });
    } else if (outer?.placement === 'value') {
      fn.containers.set(d, { ...outer, cname });
      dev.memory.set(d, 'value');
      params.push({ declaration: `${desc.dtype.cuda} ${cname}`, argument: outer.cname });
    } else {
      throw cudaUnsupported(`kernel '${name}' uses '${d}', which lives in host memory (storage ${desc.storage})`, path,
        'lower the program with GPUTransform, which gives device code GPU_Global copies of the data it uses');
    }
  }
  params.push(...symbols.map((s) => ({ declaration: `int64_t ${s}`, argument: s })));

  const shape = blockShape(device, blocks.map((b) => b.map));
  const threads = shape[0]! * shape[1]! * shape[2]!;
  const counts = device.ranges.map(rangeSize);
  const countNames = device.params.map((p) => fn.fresh(`blocks_${p}`));
  const body = new CodeWriter(1);
  // The grid is one-dimensional: block b covers tile (…, b / count_y % count_x… ) in row-major order of the parameters.
  body.line(`// device map "${device.label}": one block per point of [${device.params.join(', ')}]`);
  device.params.forEach((p, d) => { if (d > 0) body.line(`const int64_t ${countNames[d]} = ${cIndex(counts[d]!)};`); });
  // 64-bit from here on: a tile start (block index times tile width) may pass 2^32.
  const block = fn.fresh('block');
  body.line(`const int64_t ${block} = blockIdx.x;`);
  let stride = '';
  for (let d = device.params.length - 1; d >= 0; d--) {
    const r = device.ranges[d]!;
    const position = d === 0 ? (stride ? `(${block} / ${stride})` : block) : `(${stride ? `${block} / ${stride}` : block} % ${countNames[d]})`;
    const scaled = r.step.equals(1) ? position : `${position} * ${cIndex(r.step)}`;
    body.line(`const int64_t ${device.params[d]} = ${r.begin.isZero() ? scaled : `${cIndex(r.begin)} + ${scaled}`};`);
    stride = stride ? `(${stride} * ${countNames[d]})` : countNames[d]!;
  }
  for (const shared of [...localHere].filter((d) => host.sdfg.arrays[d]?.storage === 'GPU_Shared')) {
    const desc = host.sdfg.arrays[shared]!;
    const elements = desc.kind === 'Array' ? desc.totalSize.add(desc.startOffset).constantValue() : desc.kind === 'Scalar' ? 1 : undefined;
    if (elements === undefined) throw cudaUnsupported(`shared transient '${shared}' needs a constant size`, path, 'give it a constant shape');
    const cname = fn.fresh(shared);
    fn.containers.set(shared, { cname, desc, placement: 'pointer', strides: desc.kind === 'Array' ? desc.strides : [] });
    dev.memory.set(shared, 'shared');
    body.line(`__shared__ ${desc.dtype.cuda} ${cname}[${Math.max(elements, 1)}];`);
  }
  const starts = tileStarts(device, blocks.map((b) => b.map));
  const frame: KernelFrame = {
    state, params: [...device.params], gridParams: new Set(device.params.filter((p) => !starts.has(p))), threadParams: new Set(), laneParam: null, loopParams: new Set(),
  };
  declareRegisters(dev, (scoped.get(state)?.get(entry.id) ?? []).filter((d) => host.sdfg.arrays[d]?.storage !== 'GPU_Shared'), body);
  const steps = scopeChildren(state, entry.id, dict).filter((n) => n.kind !== 'MapExit').map((node) => {
    const step = new CodeWriter();
    if (node.kind === 'MapEntry' && node.map.schedule === 'GPU_ThreadBlock') emitThreadBlockMap(dev, frame, state, node, dict, scoped, step);
    else emitBlockLevel(dev, frame, state, node, dict, scoped, step);
    return step.lines;
  }).filter((lines) => lines.length > 0);
  steps.forEach((lines, k) => {
    // Threads of a block meet between steps that may hand data to each other.
    if (k > 0) body.line('__syncthreads();');
    body.append(lines);
  });

  module.kernels.push([
    `// kernel of map "${device.label}" (state "${state.label}", n${entry.id}): blocks of ${shape.join(' x ')} threads`,
    `__global__ void __launch_bounds__(${threads}) ${name}(${params.map((p) => p.declaration).join(', ')}) {`,
    ...body.lines,
    '}',
  ].join('\n'));

  return {
    name,
    launch: (stream, w) => {
      w.line(`${originComment(state, entry, 'map')}: kernel ${name}`);
      w.open('{');
      const hostCounts = device.params.map((p) => host.fresh(`blocks_${p}`));
      hostCounts.forEach((c, d) => w.line(`const int64_t ${c} = ${cIndex(counts[d]!)};`));
      w.open(`if (${hostCounts.map((c) => `${c} > 0`).join(' && ')}) {`);
      const total = hostCounts.join(' * ');
      w.line(`SDFG_CUDA_CHECK(sdfg_grid_fits(${total}));`);
      emitTimedLaunch(module, state, name, stream, w, `${name}<<<static_cast<unsigned int>(${total}), dim3(${shape.join(', ')}), 0, ${stream}>>>(${params.map((p) => p.argument).join(', ')});`);
      w.close();
      w.close();
    },
  };
}

/** A launch followed by its error check; with profiling, timed by events around it. */
export function emitTimedLaunch(module: CudaModule, state: State, name: string, stream: string, w: CodeWriter, launch: string): void {
  const site = module.launches.length;
  module.launches.push({ kernel: name, state: state.label });
  if (module.options.profile) w.line(`SDFG_CUDA_CHECK(cudaEventRecord(sdfg_timer_start, ${stream}));`);
  w.line(launch);
  w.line(`SDFG_CUDA_CHECK_LAUNCH("${name}");`);
  if (!module.options.profile) return;
  w.line(`SDFG_CUDA_CHECK(cudaEventRecord(sdfg_timer_stop, ${stream}));`);
  w.line('SDFG_CUDA_CHECK(cudaEventSynchronize(sdfg_timer_stop));');
  w.open('{');
  w.line('float milliseconds = 0;');
  w.line('SDFG_CUDA_CHECK(cudaEventElapsedTime(&milliseconds, sdfg_timer_start, sdfg_timer_stop));');
  w.line(`if (${site} < 256) sdfg_cuda_times[${site}] += milliseconds;`);
  w.close();
}
