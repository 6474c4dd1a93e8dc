// The host function of a CUDA program: device allocations, streams and events, control flow, and per state the
// copies, kernel launches and library calls — every CUDA call checked, the first failure ending the run cleanly.
import type { Node } from '../../graph/nodes.js';
import { blockById, inEdges, nodeById, scopeChildren, scopeDict } from '../../graph/query.js';
import { dataShape } from '../../graph/data.js';
import { fullSubset, subsetsEqual } from '../../graph/subsets.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { CodeWriter, FunctionContext, nodePath, reservedWords } from '../cpp/emit-context.js';
import { planTransients } from '../cpp/emit-alloc.js';
import { assignedSymbols, emitControlFlow } from '../cpp/emit-control-flow.js';
import { cIndex } from '../cpp/emit-memlet.js';
import type { EntryParam } from '../cpp/emit.js';
import { type CudaModule, cudaUnsupported } from './emit-context.js';
import { emitHostCopy, sideOf } from './emit-copy.js';
import type { ScopedTransients } from './emit-device.js';
import { emitKernel } from './emit-kernel.js';
import { emitDeviceLibraryNode } from './emit-library.js';

/** Register the entry's parameters as the host function sees them; returns their declarations in order. */
function declareParams(fn: FunctionContext, params: readonly EntryParam[]): string[] {
  for (const p of params) if (p.kind === 'symbol') fn.reserve(p.name);
  for (const s of Object.keys(fn.sdfg.constants)) fn.reserve(s);
  return params.map((p) => {
    const desc = fn.sdfg.arrays[p.name];
    if (p.kind === 'symbol') {
      if (reservedWords.has(p.name)) throw cudaUnsupported(`symbol '${p.name}' is a reserved word in C++`, { sdfg: fn.sdfg.name }, 'rename the symbol');
      fn.symbols.add(p.name);
      return `int64_t ${p.name}`;
    }
    const cname = fn.fresh(p.name);
    const placement = p.kind === 'array' ? 'pointer' : p.kind === 'scalar' ? 'value' : 'scalar-pointer';
    fn.containers.set(p.name, { cname, desc: desc!, placement, strides: desc!.kind === 'Array' ? desc!.strides : [] });
    return `${p.cType} ${cname}`;
  });
}

/** Weakly connected parts of a state's top level (a scope counts with its entry): work that may run side by side. */
function components(state: State, top: readonly Node[], dict: Map<number, number | null>): Map<number, number> {
  // Scope members (exits included) count with their outermost entry.
  const root = (id: number): number => {
    let at = id;
    for (let p = dict.get(at) ?? null; p !== null; p = dict.get(p) ?? null) at = p;
    return at;
  };
  const parent = new Map<number, number>(top.map((n) => [n.id, n.id]));
  const find = (x: number): number => (parent.get(x) === x ? x : find(parent.get(x)!));
  for (const e of state.edges) {
    const [a, b] = [root(e.src), root(e.dst)];
    if (parent.has(a) && parent.has(b)) parent.set(find(a), find(b));
  }
  const ids = new Map<number, number>();
  const result = new Map<number, number>();
  for (const n of top) {
    const r = find(n.id);
    if (!ids.has(r)) ids.set(r, ids.size);
    result.set(n.id, ids.get(r)!);
  }
  return result;
}

function emitHostState(module: CudaModule, fn: FunctionContext, scoped: ScopedTransients, state: State, w: CodeWriter): void {
  w.line(`// state "${state.label}"`);
  const dict = scopeDict(state);
  for (const node of state.nodes) {
    if (node.kind !== 'AccessNode' || !node.setzero) continue;
    const access = fn.access(node.data, nodePath(fn, state, node));
    const elements = access.desc.kind === 'Scalar' ? '1' : access.desc.kind === 'Array' ? cIndex(access.desc.totalSize.add(access.desc.startOffset)) : '0';
    if (sideOf(access) === 'Device') w.line(`SDFG_CUDA_CHECK(cudaMemsetAsync(${access.cname}, 0, sizeof(${access.desc.dtype.cuda}) * (${elements}), stream));`);
    else throw cudaUnsupported(`'${node.data}' is zeroed in host memory`, nodePath(fn, state, node));
  }
  const top = scopeChildren(state, null, dict);
  const part = components(state, top, dict);
  const working = new Set(top.filter((n) => n.kind !== 'AccessNode' || inEdges(state, n).some((e) => e.memlet.data !== null)).map((n) => part.get(n.id)!));
  const side = module.options.streams - 1;
  // Work with nothing in common runs on side streams, forked from and joined back into the main one by events.
  const streamOf = (n: Node): string => {
    const k = [...working].sort((a, b) => a - b).indexOf(part.get(n.id)!);
    return k <= 0 || side === 0 ? 'stream' : `sdfg_streams[${(k - 1) % side}]`;
  };
  const used = side === 0 ? 0 : Math.min(side, Math.max(0, working.size - 1));
  module.sideStreams = Math.max(module.sideStreams, used);
  if (used > 0) {
    w.line('SDFG_CUDA_CHECK(cudaEventRecord(sdfg_fork, stream));');
    for (let k = 0; k < used; k++) w.line(`SDFG_CUDA_CHECK(cudaStreamWaitEvent(sdfg_streams[${k}], sdfg_fork, 0));`);
  }
  for (const node of top) {
    const stream = streamOf(node);
    switch (node.kind) {
      case 'AccessNode':
        for (const e of inEdges(state, node)) {
          const src = nodeById(state, e.src);
          if (e.memlet.data !== null && src?.kind === 'AccessNode') emitHostCopy(module, fn, state, e, src.data, node.data, stream, w);
        }
        break;
      case 'MapEntry':
        if (node.map.schedule !== 'GPU_Device') {
          throw cudaUnsupported(`map '${node.map.label}' is scheduled ${node.map.schedule} outside any kernel`, nodePath(fn, state, node),
            'lower the program with GPUTransform: every top-level map becomes a GPU_Device map');
        }
        emitKernel(module, fn, state, node, dict, scoped).launch(stream, w);
        break;
      case 'LibraryNode':
        emitDeviceLibraryNode(module, fn, state, node, stream, w);
        break;
      case 'MapExit': case 'ConsumeExit': break;
      case 'Tasklet': case 'NestedSDFG': case 'ConsumeEntry':
        throw cudaUnsupported(`${node.kind} '${node.label}' is at the top level of a state, where the host runs only copies and launches`,
          nodePath(fn, state, node), 'lower the program with GPUTransform, which wraps it in a one-thread device map');
    }
  }
  for (let k = 0; k < used; k++) {
    w.line(`SDFG_CUDA_CHECK(cudaEventRecord(sdfg_joins[${k}], sdfg_streams[${k}]));`);
    w.line(`SDFG_CUDA_CHECK(cudaStreamWaitEvent(stream, sdfg_joins[${k}], 0));`);
  }
}

/** Containers the first state overwrites entirely by copies (GPUTransform's copy-in): zeroing them first is wasted. */
function filledFirst(sdfg: SDFG): Set<string> {
  const filled = new Set<string>();
  const first = sdfg.startBlock === null ? undefined : blockById(sdfg, sdfg.startBlock);
  if (first?.kind !== 'State') return filled;
  for (const e of first.edges) {
    const [src, dst] = [nodeById(first, e.src), nodeById(first, e.dst)];
    if (src?.kind !== 'AccessNode' || dst?.kind !== 'AccessNode' || e.memlet.wcr) continue;
    const desc = sdfg.arrays[dst.data];
    const written = e.memlet.data === dst.data ? e.memlet.subset : e.memlet.otherSubset;
    if (desc && written && subsetsEqual(written, fullSubset(dataShape(desc)))) filled.add(dst.data);
  }
  return filled;
}

/** The entry function: `extern "C" int <entryName>(params)` returning 0 or the first CUDA error code. */
export function emitHostFunction(module: CudaModule, sdfg: SDFG, params: readonly EntryParam[], entryName: string): string {
  const fn = new FunctionContext(module.cpp, sdfg, false);
  const declarations = declareParams(fn, params);
  const assigned = assignedSymbols(sdfg).filter((s) => !fn.symbols.has(s));
  for (const s of assigned) {
    fn.symbols.add(s);
    fn.reserve(s);
  }
  const plan = planTransients(sdfg);
  const allocations: { name: string; cname: string; bytes: string }[] = [];
  for (const name of plan.functionLevel) {
    const desc = sdfg.arrays[name]!;
    if (desc.storage !== 'GPU_Global' || desc.kind === 'Stream' || desc.kind === 'View') {
      throw cudaUnsupported(`transient '${name}' (${desc.kind}, storage ${desc.storage}) has no place in a CUDA program`, { sdfg: sdfg.name },
        'lower with GPUTransform and GPUTransientStorage, which give every transient a GPU storage');
    }
    const missing = desc.kind === 'Array' ? [...desc.totalSize.freeSymbols()].filter((s) => assigned.includes(s)) : [];
    if (missing.length) throw cudaUnsupported(`transient '${name}' is sized by ${missing.join(', ')}, which the program assigns while running`, { sdfg: sdfg.name });
    const cname = fn.fresh(name);
    fn.containers.set(name, { cname, desc, placement: 'pointer', strides: desc.kind === 'Array' ? desc.strides : [] });
    const elements = desc.kind === 'Array' ? cIndex(desc.totalSize.add(desc.startOffset)) : '1';
    allocations.push({ name, cname, bytes: `sizeof(${desc.dtype.cuda}) * (${elements})` });
  }

  const flow = new CodeWriter();
  emitControlFlow(fn, sdfg, flow, (state, w) => emitHostState(module, fn, plan.scoped, state, w));

  const w = new CodeWriter(1);
  const t = (name: string): string => sdfg.arrays[name]!.dtype.cuda;
  w.line('cudaStream_t stream = nullptr;');
  if (module.sideStreams > 0) {
    w.line(`cudaStream_t sdfg_streams[${module.sideStreams}] = {};`);
    w.line(`cudaEvent_t sdfg_fork = nullptr, sdfg_joins[${module.sideStreams}] = {};`);
  }
  if (module.options.profile) w.line('cudaEvent_t sdfg_timer_start = nullptr, sdfg_timer_stop = nullptr;');
  if (module.features.cublas) w.line('cublasHandle_t sdfg_cublas = nullptr;');
  for (const name of plan.functionLevel) w.line(`${t(name)}* ${fn.access(name).cname} = nullptr;`);
  if (assigned.length) w.line(`int64_t ${assigned.map((s) => `${s} = 0`).join(', ')};`);
  w.line('sdfg_cuda_status = 0;');
  if (module.options.profile) w.line('sdfg_cuda_timed = ' + Math.min(module.launches.length, 256) + '; for (int k = 0; k < 256; ++k) sdfg_cuda_times[k] = 0;');
  w.line('SDFG_CUDA_CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));');
  if (module.sideStreams > 0) {
    w.line('SDFG_CUDA_CHECK(cudaEventCreateWithFlags(&sdfg_fork, cudaEventDisableTiming));');
    w.open(`for (int k = 0; k < ${module.sideStreams}; ++k) {`);
    w.line('SDFG_CUDA_CHECK(cudaStreamCreateWithFlags(&sdfg_streams[k], cudaStreamNonBlocking));');
    w.line('SDFG_CUDA_CHECK(cudaEventCreateWithFlags(&sdfg_joins[k], cudaEventDisableTiming));');
    w.close();
  }
  if (module.options.profile) w.line('SDFG_CUDA_CHECK(cudaEventCreate(&sdfg_timer_start)); SDFG_CUDA_CHECK(cudaEventCreate(&sdfg_timer_stop));');
  if (module.features.cublas) {
    w.line('if (cublasCreate(&sdfg_cublas) != CUBLAS_STATUS_SUCCESS) { sdfg_cuda_fail(cudaErrorUnknown, "cublasCreate", __LINE__); goto sdfg_cleanup; }');
    w.line('if (cublasSetStream(sdfg_cublas, stream) != CUBLAS_STATUS_SUCCESS) { sdfg_cuda_fail(cudaErrorUnknown, "cublasSetStream", __LINE__); goto sdfg_cleanup; }');
  }
  w.line('// device memory, zeroed as the reference interpreter starts every container (unless the first state fills it)');
  const filled = filledFirst(sdfg);
  for (const a of allocations) {
    w.line(`SDFG_CUDA_CHECK(cudaMalloc(&${a.cname}, ${a.bytes}));`);
    if (!filled.has(a.name)) w.line(`SDFG_CUDA_CHECK(cudaMemsetAsync(${a.cname}, 0, ${a.bytes}, stream));`);
  }
  w.open('{');
  w.append(flow.lines);
  w.close();
  w.line('SDFG_CUDA_CHECK(cudaStreamSynchronize(stream));');
  const cleanup = [
    'sdfg_cleanup:',
    ...(module.features.cublas ? ['  if (sdfg_cublas) cublasDestroy(sdfg_cublas);'] : []),
    ...allocations.map((a) => `  cudaFree(${a.cname});`),
    ...(module.options.profile ? ['  if (sdfg_timer_start) cudaEventDestroy(sdfg_timer_start);', '  if (sdfg_timer_stop) cudaEventDestroy(sdfg_timer_stop);'] : []),
    ...(module.sideStreams > 0 ? [
      `  for (int k = 0; k < ${module.sideStreams}; ++k) { if (sdfg_streams[k]) cudaStreamDestroy(sdfg_streams[k]); if (sdfg_joins[k]) cudaEventDestroy(sdfg_joins[k]); }`,
      '  if (sdfg_fork) cudaEventDestroy(sdfg_fork);',
    ] : []),
    '  if (stream) cudaStreamDestroy(stream);',
    '  return sdfg_cuda_status;',
  ];
  return [
    `// entry point of SDFG "${sdfg.name}": 0 on success, else the CUDA error code (message: sdfg_cuda_last_error())`,
    `extern "C" int ${entryName}(${declarations.join(', ')}) {`,
    ...w.lines,
    ...cleanup,
    '}',
  ].join('\n');
}

