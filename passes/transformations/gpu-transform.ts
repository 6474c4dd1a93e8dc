// GPUTransform: lower a whole SDFG for a GPU-like device (CUDA, WebGPU) as graph rewrites, target-neutral.
//
// After it: every top-level map is a `GPU_Device` map with a block (workgroup) size and every map inside one
// runs `Sequential`; top-level tasklets and nested SDFGs are wrapped in one-iteration device maps; library nodes
// are scheduled `GPU_Device`; every container the device touches lives in `GPU_Global` storage — transients in
// place, arguments through a `gpu_<name>` transient copy; a first state copies in the arguments the device reads
// (or only partly overwrites) and a last state copies out the ones it writes, as access → access edges. Read-only
// scalar arguments stay on the host: devices take them by value. Control flow stays on the host, so it may only
// read symbols.
import { cloneDataDesc, cloneMemlet } from '../../graph/clone.js';
import { addEdge, addInterstateEdge, addNode, addState, isTrueCondition } from '../../graph/construct.js';
import { dataShape, type DataDesc } from '../../graph/data.js';
import { emptyMemlet, makeMemlet } from '../../graph/memlet.js';
import type { AccessNode, MapExit, MapScope, Node } from '../../graph/nodes.js';
import { propagateMemletsInState } from '../../graph/propagate.js';
import { allSDFGs, allStates, blockById, inEdges, outEdges, scopeDict, walkBlocks } from '../../graph/query.js';
import type { ControlFlowBlock, ControlFlowGraph, Edge, SDFG, State } from '../../graph/sdfg.js';
import { fullSubset, isIndex, range, subsetsEqual } from '../../graph/subsets.js';
import { sym } from '../../graph/symbolic.js';
import { namesRead, type TExpr } from '../../graph/tasklet-ast.js';
import { defineTransformation } from '../framework.js';
import { addMapNodes } from './helpers-scope.js';
import { addConnectorPair, freshConnector, freshDataName, freshSymbolName } from './helpers.js';

export interface GPUTransformOptions {
  /** Threads per block (workgroup) of 1-D device maps. */
  blockSize: number[];
  /** Of 2-D maps: [x, y], x along the last parameter. */
  blockSize2D: number[];
  /** Of maps with 3 or more parameters: [x, y, z], z covering every parameter before the last two. */
  blockSize3D: number[];
}

/** The whole SDFG: GPUTransform lowers all of it at once. */
export interface GPUTransformCandidate {
  readonly sdfg: SDFG;
}

const defaults: GPUTransformOptions = { blockSize: [64], blockSize2D: [8, 8], blockSize3D: [4, 4, 4] };

/** The block size of a map with `dims` parameters. */
export function gpuBlockSizeFor(dims: number, options: GPUTransformOptions = defaults): number[] {
  return dims <= 1 ? [...options.blockSize] : dims === 2 ? [...options.blockSize2D] : [...options.blockSize3D];
}

// ---------------------------------------------------------------------------------------------------------------
// Where it cannot apply.

function badBlockSizes(options: GPUTransformOptions): string | undefined {
  const lists: [keyof GPUTransformOptions, number][] = [['blockSize', 1], ['blockSize2D', 2], ['blockSize3D', 3]];
  for (const [key, length] of lists) {
    const sizes = options[key];
    if (sizes.length !== length || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
      return `option ${key} must be ${length} positive integer${length > 1 ? 's' : ''}, got [${sizes.join(', ')}]`;
    }
  }
  return undefined;
}

/** Every expression control flow evaluates: interstate conditions and assignments, loop headers, branch conditions. */
function* controlExpressions(cfg: ControlFlowGraph): Generator<[TExpr, string]> {
  const label = (id: number): string => blockById(cfg, id)?.label ?? `block ${id}`;
  for (const e of cfg.edges) {
    const where = `the interstate edge ${label(e.src)} -> ${label(e.dst)}`;
    yield [e.condition, where];
    for (const value of Object.values(e.assignments)) yield [value, where];
  }
  for (const block of cfg.blocks) {
    switch (block.kind) {
      case 'State': break;
      case 'LoopRegion':
        for (const e of [block.init, block.condition, block.update]) if (e) yield [e, `loop ${block.label}`];
        yield* controlExpressions(block);
        break;
      case 'ControlFlowRegion': yield* controlExpressions(block); break;
      case 'ConditionalBlock':
        for (const b of block.branches) {
          if (b.condition) yield [b.condition, `conditional ${block.label}`];
          yield* controlExpressions(b.body);
        }
        break;
    }
  }
}

/** The top-level blocks in execution order when they form a line of unconditional edges, else undefined. */
function straightLine(cfg: ControlFlowGraph): ControlFlowBlock[] | undefined {
  const order: ControlFlowBlock[] = [];
  let block = cfg.startBlock === null ? undefined : blockById(cfg, cfg.startBlock);
  while (block) {
    if (order.includes(block)) return undefined;
    order.push(block);
    const out = cfg.edges.filter((e) => e.src === block!.id);
    if (out.length === 0) break;
    if (out.length > 1 || !isTrueCondition(out[0]!.condition) || Object.keys(out[0]!.assignments).length > 0) return undefined;
    block = blockById(cfg, out[0]!.dst);
  }
  return order.length === cfg.blocks.length ? order : undefined;
}

function canApply(sdfg: SDFG, c: GPUTransformCandidate, options: GPUTransformOptions): true | string {
  if (c.sdfg !== sdfg) return 'the candidate names another SDFG';
  const bad = badBlockSizes(options);
  if (bad) return bad;
  for (const inner of allSDFGs(sdfg)) {
    for (const [name, desc] of Object.entries(inner.arrays)) {
      if (desc.storage === 'GPU_Global' || desc.storage === 'GPU_Shared') return `${sdfg.name} is already lowered for the GPU: ${name} is in ${desc.storage} storage`;
      if (desc.kind === 'Stream') return `stream ${name} has no GPU lowering (streams and consume scopes run on CPUs and FPGAs)`;
      if (desc.kind === 'View') return `view ${name} has no GPU lowering yet`;
    }
    for (const state of allStates(inner)) {
      for (const n of state.nodes) {
        if (n.kind === 'MapEntry' && n.map.schedule.startsWith('GPU_')) return `${sdfg.name} is already lowered for the GPU: map ${n.map.label} is ${n.map.schedule}`;
        if (n.kind === 'ConsumeEntry') return `consume scope ${n.consume.label} has no GPU lowering`;
      }
    }
  }
  for (const [e, where] of controlExpressions(sdfg)) {
    const data = [...namesRead(e)].filter((n) => n in sdfg.arrays);
    if (data.length) return `${where} reads ${data.join(', ')}: control flow runs on the host and may only read symbols`;
  }
  if (!straightLine(sdfg)) return 'the top-level control flow is not a straight line of blocks (put branches and loops in conditional and loop regions)';
  if (![...allStates(sdfg)].some((s) => s.nodes.length > 0)) return `${sdfg.name} has no dataflow to move to the GPU`;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Schedules.

/** A top-level tasklet or nested SDFG becomes the body of a one-iteration device map (one thread). */
function wrapInSingleMap(sdfg: SDFG, state: State, node: Node): void {
  const param = freshSymbolName(sdfg, state, '_single');
  const map: MapScope = {
    label: `${node.label}_device`, params: [param], ranges: [range(0, 1)], schedule: 'GPU_Device', unroll: false, collapse: 1, gpuBlockSize: [1],
  };
  const { entry, exit } = addMapNodes(state, map, node);
  let entered = false;
  for (const e of inEdges(state, node)) {
    e.dst = entry.id;
    if (e.memlet.data === null) { e.dstConn = null; continue; }
    const conn = freshConnector(entry, e.dstConn ?? e.memlet.data);
    addConnectorPair(entry, conn);
    addEdge(state, entry, `OUT_${conn}`, node, e.dstConn, cloneMemlet(e.memlet), e.loc);
    e.dstConn = `IN_${conn}`;
    entered = true;
  }
  if (!entered) addEdge(state, entry, null, node, null, emptyMemlet());
  let left = false;
  for (const e of outEdges(state, node)) {
    e.src = exit.id;
    if (e.memlet.data === null) { e.srcConn = null; continue; }
    const conn = freshConnector(exit, e.srcConn ?? e.memlet.data);
    addConnectorPair(exit, conn);
    addEdge(state, node, e.srcConn, exit, `IN_${conn}`, cloneMemlet(e.memlet), e.loc);
    e.srcConn = `OUT_${conn}`;
    left = true;
  }
  if (!left) addEdge(state, node, null, exit, null, emptyMemlet());
}

/** Maps inside device code run one after another in their thread. */
function sequentialize(map: MapScope): void {
  if (map.schedule !== 'Unrolled') map.schedule = 'Sequential';
}

function scheduleState(sdfg: SDFG, state: State, options: GPUTransformOptions): void {
  const dict = scopeDict(state);
  const top = state.nodes.filter((n) => (dict.get(n.id) ?? null) === null);
  let wrapped = false;
  for (const n of top) {
    switch (n.kind) {
      case 'MapEntry':
        n.map.schedule = 'GPU_Device';
        n.map.gpuBlockSize = gpuBlockSizeFor(n.map.params.length, options);
        break;
      case 'Tasklet': case 'NestedSDFG':
        wrapInSingleMap(sdfg, state, n);
        wrapped = true;
        break;
      case 'LibraryNode':
        n.schedule = 'GPU_Device';
        break;
      case 'AccessNode': case 'MapExit': case 'ConsumeEntry': case 'ConsumeExit':
        break;
    }
  }
  for (const n of state.nodes) {
    if (n.kind === 'MapEntry' && (dict.get(n.id) ?? null) !== null) sequentialize(n.map);
    if (n.kind === 'NestedSDFG') for (const inner of allSDFGs(n.sdfg)) for (const s of allStates(inner)) for (const m of s.nodes) if (m.kind === 'MapEntry') sequentialize(m.map);
  }
  if (wrapped) propagateMemletsInState(sdfg, state);
}

// ---------------------------------------------------------------------------------------------------------------
// Device data.

interface DataUse {
  readonly read: Set<string>;
  readonly written: Set<string>;
}

/** Containers of top-level access nodes: those are shared between device maps, so they live in device memory. */
function topLevelUse(sdfg: SDFG): DataUse {
  const read = new Set<string>(), written = new Set<string>();
  for (const state of allStates(sdfg)) {
    const dict = scopeDict(state);
    for (const n of state.nodes) {
      if (n.kind !== 'AccessNode' || (dict.get(n.id) ?? null) !== null) continue;
      if (inEdges(state, n).some((e) => e.memlet.data !== null)) written.add(n.data);
      if (outEdges(state, n).some((e) => e.memlet.data !== null)) read.add(n.data);
    }
  }
  return { read, written };
}

/** Whether a device map's write covers every element of its container, densely and without wcr. */
function writesWholeContainer(sdfg: SDFG, state: State, edge: Edge, exit: MapExit): boolean {
  const m = edge.memlet;
  const desc = sdfg.arrays[m.data ?? ''];
  if (!desc || m.wcr || m.dynamic || !m.subset || !subsetsEqual(m.subset, fullSubset(dataShape(desc)))) return false;
  if (m.subset.ranges.some((r) => !r.step.equals(1))) return false;
  const map = exit.map;
  if (map.ranges.some((r) => !r.step.equals(1))) return false;
  const inner = inEdges(state, exit).filter((e) => e.dstConn === `IN_${edge.srcConn?.slice(4)}`);
  // Each dimension indexed by its own parameter plus a constant: the bounding box is then written densely.
  return inner.length > 0 && inner.every((e) => {
    const s = e.memlet.subset;
    if (!s || e.memlet.wcr || e.memlet.dynamic) return false;
    if (desc.kind === 'Scalar') return true;
    if (!s.ranges.every(isIndex)) return false;
    const used = s.ranges.map((r) => map.params.find((p) => r.begin.sub(sym(p)).isConstant()));
    return used.every((p) => p !== undefined) && new Set(used).size === used.length && used.length === map.params.length;
  });
}

/** Containers some state of the top-level line overwrites entirely (what they held before never matters). */
function overwrittenWhole(sdfg: SDFG): Set<string> {
  const names = new Set<string>();
  for (const block of sdfg.blocks) {
    if (block.kind !== 'State') continue;
    for (const n of block.nodes) {
      if (n.kind !== 'MapExit') continue;
      for (const e of outEdges(block, n)) if (e.memlet.data && writesWholeContainer(sdfg, block, e, n)) names.add(e.memlet.data);
    }
  }
  return names;
}

function renameData(sdfg: SDFG, from: string, to: string): void {
  for (const state of allStates(sdfg)) {
    for (const n of state.nodes) if (n.kind === 'AccessNode' && n.data === from) n.data = to;
    for (const e of state.edges) if (e.memlet.data === from) e.memlet = { ...e.memlet, data: to };
  }
}

function deviceCopy(desc: DataDesc): DataDesc {
  const copy = cloneDataDesc(desc);
  copy.transient = true;
  copy.storage = 'GPU_Global';
  copy.lifetime = 'SDFG';
  return copy;
}

/** A state of access → access copies, one per (from, to) pair; undefined when there is nothing to copy. */
function copyState(sdfg: SDFG, label: string, pairs: readonly [string, string][]): State | undefined {
  if (pairs.length === 0) return undefined;
  const state = addState(sdfg, label);
  for (const [from, to] of pairs) {
    const access = (data: string): AccessNode => addNode(state, { kind: 'AccessNode', data, setzero: false, label: data, inConnectors: {}, outConnectors: {} });
    const whole = fullSubset(dataShape(sdfg.arrays[from]!));
    addEdge(state, access(from), null, access(to), null, makeMemlet(from, whole, { otherSubset: whole }));
  }
  return state;
}

function apply(sdfg: SDFG, _c: GPUTransformCandidate, options: GPUTransformOptions): void {
  const line = straightLine(sdfg)!;
  for (const state of [...allStates(sdfg)]) scheduleState(sdfg, state, options);

  const use = topLevelUse(sdfg);
  const overwritten = overwrittenWhole(sdfg);
  const copyIn: [string, string][] = [], copyOut: [string, string][] = [];
  for (const name of [...new Set([...use.read, ...use.written])].sort()) {
    const desc = sdfg.arrays[name];
    if (!desc) continue;
    if (desc.transient) {
      desc.storage = 'GPU_Global';
      continue;
    }
    // Read-only scalar arguments reach device code by value.
    if (desc.kind === 'Scalar' && !use.written.has(name)) continue;
    const device = freshDataName(sdfg, `gpu_${name}`);
    sdfg.arrays[device] = deviceCopy(desc);
    renameData(sdfg, name, device);
    if (use.read.has(name) || !overwritten.has(name)) copyIn.push([name, device]);
    if (use.written.has(name)) copyOut.push([device, name]);
  }

  const first = line[0], last = line[line.length - 1];
  const before = copyState(sdfg, 'gpu_copy_in', copyIn);
  if (before && first) {
    addInterstateEdge(sdfg, before, first);
    sdfg.startBlock = before.id;
    sdfg.blocks.splice(sdfg.blocks.indexOf(before), 1);
    sdfg.blocks.unshift(before);
  }
  const after = copyState(sdfg, 'gpu_copy_out', copyOut);
  if (after && last) addInterstateEdge(sdfg, last, after);
  if (before && after && !first) addInterstateEdge(sdfg, before, after);
}

export const gpuTransform = defineTransformation<GPUTransformCandidate, GPUTransformOptions>({
  name: 'GPUTransform',
  summary: 'Lower the whole SDFG for a GPU: device maps with block sizes, data in GPU_Global storage, host-device copies',
  modifies: ['nodes', 'edges', 'memlets', 'descriptors', 'control-flow', 'schedules'],
  defaults,
  candidates: (sdfg) => [{ sdfg }],
  canApply,
  apply,
  describe: (c) => `SDFG ${c.sdfg.name}`,
});

/** Whether a graph has already been through GPUTransform (it has device maps or device data). */
export function isGpuLowered(sdfg: SDFG): boolean {
  for (const inner of allSDFGs(sdfg)) {
    if (Object.values(inner.arrays).some((d) => d.storage === 'GPU_Global')) return true;
    for (const block of walkBlocks(inner)) {
      if (block.kind === 'State' && block.nodes.some((n) => n.kind === 'MapEntry' && n.map.schedule === 'GPU_Device')) return true;
    }
  }
  return false;
}
