// Device code inside one thread: tasklets, sequential maps as loops, copies between containers, per-thread registers.
import { isScopeEntry, isScopeExit, type Node } from '../../graph/nodes.js';
import { inEdges, memletPath, nodeById, scopeChildren } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { CodeWriter, type ScopeFrame, nodePath, originComment } from '../cpp/emit-context.js';
import { cIndex, emitCopy } from '../cpp/emit-memlet.js';
import { type DeviceFunction, type KernelFrame, cudaUnsupported } from './emit-context.js';
import { emitDeviceTasklet } from './emit-tasklet.js';

/** Transients declared inside a kernel: state → scope entry id → names (from the C++ target's transient plan). */
export type ScopedTransients = ReadonlyMap<State, ReadonlyMap<number, readonly string[]>>;

/** Declare the register transients of one scope (per thread, per iteration) and register how code reaches them. */
export function declareRegisters(dev: DeviceFunction, names: readonly string[], w: CodeWriter): void {
  for (const name of names) {
    const desc = dev.fn.sdfg.arrays[name]!;
    if (desc.storage === 'GPU_Shared') continue;
    const cname = dev.fn.fresh(name);
    dev.memory.set(name, 'register');
    if (desc.kind === 'Scalar') {
      dev.fn.containers.set(name, { cname, desc, placement: 'local', strides: [] });
      w.line(`${desc.dtype.cuda} ${cname};`);
      continue;
    }
    const elements = desc.kind === 'Array' ? desc.totalSize.add(desc.startOffset).constantValue() : undefined;
    if (desc.kind !== 'Array' || elements === undefined || desc.storage !== 'Register') {
      throw cudaUnsupported(`transient '${name}' is used inside a kernel but ${elements === undefined ? 'its size is not a constant' : `has storage ${desc.storage}`}`,
        { sdfg: dev.fn.sdfg.name }, 'give it a constant size (registers and shared memory need one), or use it outside the map');
    }
    dev.fn.containers.set(name, { cname, desc, placement: 'pointer', strides: desc.strides });
    w.line(`${desc.dtype.cuda} ${cname}[${Math.max(elements, 1)}];`);
  }
}

/** The C++ target's frame for its copy helper: serial code (conflict-free copies only reach it). */
function serialFrame(state: State, frame: KernelFrame): ScopeFrame {
  return { state, parallel: null, inParallel: false, params: frame.params, consumed: new Map(), privateData: new Set() };
}

/** Copies into an access node: from another access node, or along a memlet path from a container outside the scope. */
function emitAccessCopies(dev: DeviceFunction, frame: KernelFrame, state: State, node: Node & { kind: 'AccessNode' }, w: CodeWriter): void {
  const copy = (e: Edge, src: string, dst: string): void => {
    if (e.memlet.wcr) {
      throw cudaUnsupported(`the copy ${src} -> ${dst} inside a kernel combines with a write-conflict resolution`, nodePath(dev.fn, state, node),
        'write through a tasklet instead');
    }
    emitCopy(dev.fn, serialFrame(state, frame), state, e, src, dst, w);
  };
  for (const e of inEdges(state, node)) {
    if (e.memlet.data === null) continue;
    const src = nodeById(state, e.src);
    if (src?.kind === 'AccessNode') copy(e, src.data, node.data);
    else if (src && isScopeEntry(src)) {
      const origin = nodeById(state, memletPath(state, e)[0]!.src);
      if (origin?.kind === 'AccessNode' && origin.data !== node.data) copy(e, origin.data, node.data);
    }
  }
  for (const e of state.edges.filter((x) => x.src === node.id && x.memlet.data !== null)) {
    const dst = nodeById(state, e.dst);
    if (!dst || !isScopeExit(dst)) continue;
    const path = memletPath(state, e);
    const target = nodeById(state, path[path.length - 1]!.dst);
    if (target?.kind === 'AccessNode' && target.data !== node.data) copy(e, node.data, target.data);
  }
}

/** Emit the nodes directly inside `scope`, recursing into nested sequential scopes. */
export function emitDeviceScope(
  dev: DeviceFunction, frame: KernelFrame, state: State, scope: number, dict: Map<number, number | null>, scoped: ScopedTransients, w: CodeWriter,
): void {
  for (const node of scopeChildren(state, scope, dict)) emitDeviceNode(dev, frame, state, node, dict, scoped, w);
}

/** One node of device code (a scope entry emits its whole scope). */
export function emitDeviceNode(
  dev: DeviceFunction, frame: KernelFrame, state: State, node: Node, dict: Map<number, number | null>, scoped: ScopedTransients, w: CodeWriter,
): void {
    switch (node.kind) {
      case 'AccessNode': emitAccessCopies(dev, frame, state, node, w); break;
      case 'Tasklet': emitDeviceTasklet(dev, frame, state, node, w); break;
      case 'MapEntry': {
        const map = node.map;
        if (map.schedule.startsWith('GPU_') || map.schedule === 'CPU_Multicore' || map.schedule === 'MPI' || map.schedule === 'FPGA_Device') {
          throw cudaUnsupported(`map '${map.label}' is scheduled ${map.schedule} inside a kernel, where maps run sequentially in one thread`,
            nodePath(dev.fn, state, node), 'schedule maps inside device maps Sequential (GPUTransform does)');
        }
        w.line(originComment(state, node, 'sequential map'));
        w.open('{');
        map.params.forEach((p, d) => {
          const r = map.ranges[d]!;
          const step = r.step.constantValue();
          if (map.schedule === 'Unrolled' || map.unroll) w.line('#pragma unroll');
          w.open(`for (int64_t ${p} = ${cIndex(r.begin)}; ${p} ${step !== undefined && step < 0 ? '>' : '<'} ${cIndex(r.end)}; ${step === 1 ? `++${p}` : `${p} += ${cIndex(r.step)}`}) {`);
        });
        declareRegisters(dev, scoped.get(state)?.get(node.id) ?? [], w);
        const inner: KernelFrame = { ...frame, params: [...frame.params, ...map.params], loopParams: new Set([...frame.loopParams, ...map.params]) };
        emitDeviceScope(dev, inner, state, node.id, dict, scoped, w);
        map.params.forEach(() => w.close());
        w.close();
        break;
      }
      case 'MapExit': case 'ConsumeExit': break;
      case 'ConsumeEntry':
        throw cudaUnsupported(`consume scope '${node.consume.label}' cannot run inside a kernel`, nodePath(dev.fn, state, node));
      case 'NestedSDFG':
        throw cudaUnsupported(`nested SDFG '${node.sdfg.name}' inside a kernel is not supported by the CUDA target yet`, nodePath(dev.fn, state, node),
          'inline the nested SDFG into the map, or run the program with target \'cpp\'');
      case 'LibraryNode':
        throw cudaUnsupported(`library node '${node.label}' (${node.op.name}) inside a map cannot run on the GPU`, nodePath(dev.fn, state, node),
          'expand it first (ReduceExpansion), or move it out of the map');
    }
}

export { CodeWriter };
