// FPGATransform: lower a whole SDFG for an FPGA as graph rewrites: device schedules, device storage, host↔device copies.
//
// After it: every top-level map is an `FPGA_Device` map (a processing element) and every map inside one is a
// `Sequential` loop (pipelined by the HLS target), except `Unrolled` maps, which stay unrolled (a top-level unrolled
// map replicates the processing elements inside it, which become `FPGA_Device`); consume scopes run on the device.
// Every argument the device reads or writes gets an `fpga_<name>` copy in `FPGA_Global` (off-chip) memory: a first
// state copies the arguments in, a last state copies the written ones out, as access → access edges; read-only scalar
// arguments stay on the host (the kernel takes them by value). Transients move to the device: top-level arrays to
// `FPGA_Global`, arrays used only inside one scope to `FPGA_Local` (on-chip), scalars to `FPGA_Registers`, streams to
// `FPGA_Local`. The control flow runs on the device too (in the kernel's top function), so it may only read symbols.
import { cloneDataDesc } from '../../graph/clone.js';
import { addEdge, addInterstateEdge, addNode, addState, isTrueCondition } from '../../graph/construct.js';
import { dataShape, type DataDesc } from '../../graph/data.js';
import { makeMemlet } from '../../graph/memlet.js';
import type { AccessNode, Node } from '../../graph/nodes.js';
import { allSDFGs, allStates, blockById, inEdges, outEdges, scopeDict, walkBlocks } from '../../graph/query.js';
import type { ControlFlowBlock, ControlFlowGraph, SDFG, State } from '../../graph/sdfg.js';
import { fullSubset } from '../../graph/subsets.js';
import { namesRead, type TExpr } from '../../graph/tasklet-ast.js';
import { defineTransformation } from '../framework.js';
import { freshDataName } from './helpers.js';

/** The whole SDFG: FPGATransform lowers all of it at once. */
export interface FPGATransformCandidate {
  readonly sdfg: SDFG;
}

/** Labels of the states holding the host↔device copies (the HLS target runs them on the host). */
export const FPGA_COPY_IN = 'fpga_copy_in';
export const FPGA_COPY_OUT = 'fpga_copy_out';

// ---------------------------------------------------------------------------------------------------------------
// Where it cannot apply.

/** Every expression the control flow evaluates, with where it sits. */
function* controlExpressions(cfg: ControlFlowGraph): Generator<[TExpr, string]> {
  const label = (id: number): string => blockById(cfg, id)?.label ?? `block ${id}`;
  for (const e of cfg.edges) {
    for (const x of [e.condition, ...Object.values(e.assignments)]) yield [x, `the interstate edge ${label(e.src)} -> ${label(e.dst)}`];
  }
  for (const block of cfg.blocks) {
    if (block.kind === 'LoopRegion') {
      for (const x of [block.init, block.condition, block.update]) if (x) yield [x, `loop ${block.label}`];
    }
    if (block.kind === 'ConditionalBlock') {
      for (const b of block.branches) if (b.condition) yield [b.condition, `conditional ${block.label}`];
    }
    if (block.kind === 'LoopRegion' || block.kind === 'ControlFlowRegion') yield* controlExpressions(block);
    if (block.kind === 'ConditionalBlock') for (const b of block.branches) yield* controlExpressions(b.body);
  }
}

/** The top-level blocks in execution order, when they form a line of unconditional edges without assignments. */
export function topLevelLine(cfg: ControlFlowGraph): ControlFlowBlock[] | undefined {
  const order: ControlFlowBlock[] = [];
  for (let block = cfg.startBlock === null ? undefined : blockById(cfg, cfg.startBlock); block;) {
    if (order.includes(block)) return undefined;
    order.push(block);
    const out = cfg.edges.filter((e) => e.src === block!.id);
    if (out.length === 0) break;
    if (out.length > 1 || !isTrueCondition(out[0]!.condition) || Object.keys(out[0]!.assignments).length > 0) return undefined;
    block = blockById(cfg, out[0]!.dst);
  }
  return order.length === cfg.blocks.length ? order : undefined;
}

/** Why a node cannot go to the FPGA, if it cannot. */
function unsupportedNode(n: Node): string | undefined {
  switch (n.kind) {
    case 'NestedSDFG': return `nested SDFG ${n.sdfg.name} has no FPGA lowering yet (inline it first)`;
    case 'LibraryNode': return `library node ${n.label} (${n.op.name}) must be expanded first (e.g. ReduceExpansion)`;
    case 'MapEntry':
      if (n.map.schedule.startsWith('GPU_') || n.map.schedule === 'MPI') return `map ${n.map.label} is scheduled ${n.map.schedule}`;
      return undefined;
    default: return undefined;
  }
}

function canApply(sdfg: SDFG, c: FPGATransformCandidate): true | string {
  if (c.sdfg !== sdfg) return 'the candidate names another SDFG';
  for (const [name, desc] of Object.entries(sdfg.arrays)) {
    if (desc.storage.startsWith('FPGA_')) return `${sdfg.name} is already lowered for the FPGA: ${name} is in ${desc.storage} storage`;
    if (desc.storage.startsWith('GPU_')) return `${name} is in ${desc.storage} storage (the SDFG is lowered for a GPU)`;
    if (desc.kind === 'View') return `view ${name} has no FPGA lowering yet`;
    if (desc.kind === 'Stream' && !desc.transient) return `stream ${name} is an argument: the host passes arrays (make the stream transient)`;
  }
  for (const state of allStates(sdfg)) {
    for (const n of state.nodes) {
      if (n.kind === 'MapEntry' && n.map.schedule === 'FPGA_Device') return `${sdfg.name} is already lowered for the FPGA: map ${n.map.label} is FPGA_Device`;
      const why = unsupportedNode(n);
      if (why) return why;
    }
  }
  for (const [e, where] of controlExpressions(sdfg)) {
    const data = [...namesRead(e)].filter((n) => n in sdfg.arrays);
    if (data.length) return `${where} reads ${data.join(', ')}: the FPGA lowering lets control flow read symbols only`;
  }
  if (!topLevelLine(sdfg)) return 'the top-level control flow is not a straight line of blocks (put branches and loops in conditional and loop regions)';
  if (![...allStates(sdfg)].some((s) => s.nodes.length > 0)) return `${sdfg.name} has no dataflow to move to the FPGA`;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Schedules.

/**
 * Top-level maps become processing elements (FPGA_Device); a top-level Unrolled map stays unrolled and the maps
 * directly inside it become the replicated elements; every other map is a Sequential loop unless Unrolled.
 */
function scheduleState(state: State): void {
  const dict = scopeDict(state);
  const parentOf = (n: Node): Node | undefined => {
    const id = dict.get(n.id) ?? null;
    return id === null ? undefined : state.nodes.find((m) => m.id === id);
  };
  for (const n of state.nodes) {
    if (n.kind === 'ConsumeEntry') n.consume.schedule = 'FPGA_Device';
    if (n.kind !== 'MapEntry') continue;
    const parent = parentOf(n);
    const replicated = parent?.kind === 'MapEntry' && parentOf(parent) === undefined && parent.map.schedule === 'Unrolled';
    if (n.map.schedule === 'Unrolled' && (parent === undefined || !replicated)) continue;
    n.map.schedule = parent === undefined || replicated ? 'FPGA_Device' : 'Sequential';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Device data.

interface DataUse {
  readonly read: Set<string>;
  readonly written: Set<string>;
  /** Transients accessed only inside scopes (never by a top-level access node). */
  readonly scoped: Set<string>;
}

function dataUse(sdfg: SDFG): DataUse {
  const read = new Set<string>(), written = new Set<string>(), top = new Set<string>(), inside = new Set<string>();
  for (const state of allStates(sdfg)) {
    const dict = scopeDict(state);
    for (const n of state.nodes) {
      if (n.kind !== 'AccessNode') continue;
      ((dict.get(n.id) ?? null) === null ? top : inside).add(n.data);
      if (inEdges(state, n).some((e) => e.memlet.data !== null)) written.add(n.data);
      if (outEdges(state, n).some((e) => e.memlet.data !== null)) read.add(n.data);
    }
  }
  return { read, written, scoped: new Set([...inside].filter((d) => !top.has(d))) };
}

function renameData(sdfg: SDFG, from: string, to: string): void {
  for (const state of allStates(sdfg)) {
    for (const n of state.nodes) if (n.kind === 'AccessNode' && n.data === from) { n.data = to; n.label = to; }
    for (const e of state.edges) if (e.memlet.data === from) e.memlet = { ...e.memlet, data: to };
  }
}

/** Where a transient lives on the device. */
function deviceStorage(desc: DataDesc, scoped: boolean): DataDesc['storage'] {
  switch (desc.kind) {
    case 'Scalar': return 'FPGA_Registers';
    case 'Stream': return 'FPGA_Local';
    case 'Array': case 'View': return scoped ? 'FPGA_Local' : 'FPGA_Global';
  }
}

/** A state of access → access copies of whole containers, one per (from, to) pair. */
function copyState(sdfg: SDFG, label: string, pairs: readonly [string, string][]): State | undefined {
  if (pairs.length === 0) return undefined;
  const state = addState(sdfg, label);
  const access = (data: string): AccessNode => addNode(state, { kind: 'AccessNode', data, setzero: false, label: data, inConnectors: {}, outConnectors: {} });
  for (const [from, to] of pairs) {
    const whole = fullSubset(dataShape(sdfg.arrays[from]!));
    addEdge(state, access(from), null, access(to), null, makeMemlet(from, whole, { otherSubset: whole }));
  }
  return state;
}

/** Put the copy states before the first and after the last top-level block. */
function placeCopyStates(sdfg: SDFG, line: readonly ControlFlowBlock[], copyIn: readonly [string, string][], copyOut: readonly [string, string][]): void {
  const first = line[0], last = line[line.length - 1];
  const before = copyState(sdfg, FPGA_COPY_IN, copyIn);
  if (before && first) {
    addInterstateEdge(sdfg, before, first);
    sdfg.startBlock = before.id;
    sdfg.blocks.splice(sdfg.blocks.indexOf(before), 1);
    sdfg.blocks.unshift(before);
  }
  const after = copyState(sdfg, FPGA_COPY_OUT, copyOut);
  if (after && last) addInterstateEdge(sdfg, last, after);
}

function apply(sdfg: SDFG): void {
  const line = topLevelLine(sdfg)!;
  for (const state of allStates(sdfg)) scheduleState(state);

  const use = dataUse(sdfg);
  const copyIn: [string, string][] = [], copyOut: [string, string][] = [];
  for (const name of [...new Set([...use.read, ...use.written])].sort()) {
    const desc = sdfg.arrays[name];
    if (!desc) continue;
    if (desc.transient) {
      desc.storage = deviceStorage(desc, use.scoped.has(name));
      continue;
    }
    // Read-only scalar arguments reach the kernel by value (an s_axilite register).
    if (desc.kind === 'Scalar' && !use.written.has(name)) continue;
    const device = freshDataName(sdfg, `fpga_${name}`);
    sdfg.arrays[device] = { ...cloneDataDesc(desc), transient: true, storage: 'FPGA_Global', lifetime: 'SDFG' };
    renameData(sdfg, name, device);
    // Written containers are copied in too: a write may cover only part of them.
    copyIn.push([name, device]);
    if (use.written.has(name)) copyOut.push([device, name]);
  }
  placeCopyStates(sdfg, line, copyIn, copyOut);
}

export const fpgaTransform = defineTransformation<FPGATransformCandidate, Record<string, never>>({
  name: 'FPGATransform',
  summary: 'Lower the whole SDFG for an FPGA: device maps, data in FPGA_Global/FPGA_Local storage, host-device copies',
  modifies: ['nodes', 'edges', 'memlets', 'descriptors', 'control-flow', 'schedules'],
  defaults: {},
  candidates: (sdfg) => [{ sdfg }],
  canApply: (sdfg, c) => canApply(sdfg, c),
  apply: (sdfg) => apply(sdfg),
  describe: (c) => `SDFG ${c.sdfg.name}`,
});

/** Whether a graph has already been through FPGATransform (it has device maps or device data). */
export function isFpgaLowered(sdfg: SDFG): boolean {
  for (const inner of allSDFGs(sdfg)) {
    if (Object.values(inner.arrays).some((d) => d.storage.startsWith('FPGA_'))) return true;
    for (const block of walkBlocks(inner)) {
      if (block.kind === 'State' && block.nodes.some((n) => n.kind === 'MapEntry' && n.map.schedule === 'FPGA_Device')) return true;
    }
  }
  return false;
}
