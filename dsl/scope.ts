// Building dataflow inside one state: scope frames route each memlet through map/consume entries and exits.
import type { DType } from '../graph/dtypes.js';
import { BuilderError } from '../graph/errors.js';
import type { AccessNode, Node, ScopeEntry, ScopeExit } from '../graph/nodes.js';
import type { SDFG, State } from '../graph/sdfg.js';
import { addEdge, addNode } from '../graph/construct.js';
import { makeMemlet } from '../graph/memlet.js';
import { fullSubset, subsetFitsShape, subsetFreeSymbols, formatSubset, isIndex } from '../graph/subsets.js';
import type { Range } from '../graph/subsets.js';
import { dataShape } from '../graph/data.js';
import { paramAssumptions, propagateSubset } from '../graph/propagate.js';
import type { Assumptions } from '../graph/symbolic-compare.js';
import type { SourceLocation } from '../graph/source-location.js';
import type { MemletSpec } from './handles.js';

const loopSymbolsBySdfg = new WeakMap<SDFG, Set<string>>();

/** Symbols that exist only as loop variables: visible inside their loop, free to reuse by name after it. */
export function loopSymbols(sdfg: SDFG): Set<string> {
  let set = loopSymbolsBySdfg.get(sdfg);
  if (!set) loopSymbolsBySdfg.set(sdfg, (set = new Set()));
  return set;
}

/** SDFG symbols and constants visible here, plus the loop variables of the loops being built. */
export function visibleSymbols(sdfg: SDFG, activeLoopVariables: readonly string[]): Set<string> {
  const loops = loopSymbols(sdfg);
  const symbols = Object.keys(sdfg.symbols).filter((s) => !loops.has(s) || activeLoopVariables.includes(s));
  return new Set([...symbols, ...Object.keys(sdfg.constants), ...activeLoopVariables]);
}

/** One level of scope nesting inside a state: the state itself (entry null) or a map/consume scope. */
export class ScopeFrame {
  /** data → the access node inside this frame that holds its latest value. */
  readonly latest = new Map<string, AccessNode>();
  /** data → the edge that last wrote it through this frame's exit (an access node is inserted if it is read back). */
  readonly writesThroughExit = new Map<string, { src: Node; srcConn: string | null; conn: string }>();
  /** data → the entry connector suffix that brings it into this frame. */
  readonly readConnectors = new Map<string, string>();
  /** Transients that live inside this frame. */
  readonly localTransients = new Set<string>();
  /** The stream a consume scope pops (reads of it inside are the consumed element). */
  consumedStream: string | null = null;

  constructor(
    readonly sdfg: SDFG,
    readonly state: State,
    readonly entry: ScopeEntry | null,
    readonly exit: ScopeExit | null,
    readonly parent: ScopeFrame | null,
    readonly params: readonly string[],
    readonly ranges: readonly Range[],
    /** Names visible as integers besides SDFG symbols (loop variables of enclosing loops). */
    readonly outerNames: readonly string[],
  ) {}

  /** Map parameters of this frame and all enclosing frames, innermost last. */
  allParams(): string[] {
    return [...(this.parent?.allParams() ?? []), ...this.params];
  }

  private cachedAssumptions: Assumptions | undefined;

  /** Bounds of every enclosing map parameter (fixed once the frame exists, so computed once). */
  assumptions(): Assumptions {
    this.cachedAssumptions ??= paramAssumptions(this.params, this.ranges, this.parent?.assumptions() ?? {});
    return this.cachedAssumptions;
  }

  /** Every integer name visible here: SDFG symbols, loop variables, map parameters. */
  visibleNames(): Set<string> {
    return new Set([...visibleSymbols(this.sdfg, this.outerNames), ...this.allParams()]);
  }

  isLocal(data: string): boolean {
    return this.localTransients.has(data) || (this.parent?.isLocal(data) ?? false);
  }
}

function accessNode(frame: ScopeFrame, data: string, loc?: SourceLocation): AccessNode {
  return addNode(frame.state, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {}, ...(loc ? { loc } : {}) });
}

function uniqueConnector(node: Node, base: string): string {
  let name = base;
  for (let k = 1; `IN_${name}` in node.inConnectors || `OUT_${name}` in node.outConnectors; k++) name = `${base}_${k}`;
  return name;
}

/** Check a memlet spec against the frame: every name defined, the subset inside the container where decidable. */
export function checkMemletSpec(frame: ScopeFrame, spec: MemletSpec, connector: string): void {
  const data = spec.container.name;
  const visible = frame.visibleNames();
  const unknown = [...subsetFreeSymbols(spec.subset)].filter((s) => !visible.has(s));
  if (unknown.length > 0) {
    throw new BuilderError({
      code: 'unknown-name', loc: spec.loc,
      message: `${data}[${formatSubset(spec.subset)}] (connector ${connector}) uses ${unknown.join(', ')}, which ${unknown.length > 1 ? 'are not map parameters or symbols' : 'is not a map parameter or symbol'} here`,
      hint: `names in scope: ${[...visible].sort().join(', ') || '(none)'}`,
    });
  }
  const desc = frame.sdfg.arrays[data]!;
  // the extreme indices over every enclosing map decide; compare them with no assumption on the sizes
  let outermost = spec.subset;
  for (let f: ScopeFrame | null = frame; f; f = f.parent) outermost = propagateSubset(outermost, f.params, f.ranges);
  const fit = subsetFitsShape(outermost, dataShape(desc), frame.assumptions());
  if (fit.ok === false) {
    throw new BuilderError({
      code: 'subset-out-of-bounds', loc: spec.loc,
      message: `${data}[${formatSubset(spec.subset)}] (connector ${connector}) reaches outside ${data}: ${fit.detail}`,
      hint: `${data} has shape [${dataShape(desc).join(', ')}]; check the map ranges and the offsets in the subset`,
    });
  }
}

/** Number of non-index dimensions a connector sees (0: a scalar value). */
export function connectorDims(spec: MemletSpec): number {
  return spec.subset.ranges.filter((r) => !isIndex(r)).length;
}

/** Connect `data` (as read in this frame) to `dst.dstConn`, routing through enclosing entries. */
export function readInto(frame: ScopeFrame, spec: MemletSpec, dst: Node, dstConn: string, loc?: SourceLocation): void {
  const data = spec.container.name;
  const memlet = makeMemlet(data, spec.subset, { dynamic: spec.isDynamic });
  materializeWriteIfReadBack(frame, data);
  const latest = frame.latest.get(data);
  if (latest) {
    addEdge(frame.state, latest, null, dst, dstConn, memlet, loc);
    return;
  }
  if (frame.isLocal(data) && !frame.parent?.isLocal(data) && frame.localTransients.has(data)) {
    throw new BuilderError({
      code: 'read-before-write', loc: spec.loc ?? loc,
      message: `transient ${data} is read in this scope before anything writes it`,
      hint: `write ${data} in this scope first (an earlier tasklet), or declare it outside the scope`,
    });
  }
  if (frame.entry === null) {
    addEdge(frame.state, accessNode(frame, data, loc), null, dst, dstConn, memlet, loc);
    return;
  }
  if (frame.consumedStream === data) {
    addEdge(frame.state, frame.entry, `OUT_${data}`, dst, dstConn, makeMemlet(data, spec.subset, { dynamic: true }), loc);
    return;
  }
  let conn = frame.readConnectors.get(data);
  if (!conn) {
    conn = uniqueConnector(frame.entry, data);
    frame.readConnectors.set(data, conn);
    frame.entry.inConnectors[`IN_${conn}`] = null;
    frame.entry.outConnectors[`OUT_${conn}`] = null;
    // placeholder: the whole container; propagation narrows it when the state is finished
    const outerSpec = { ...spec, subset: fullSubset(dataShape(frame.sdfg.arrays[data]!)), isDynamic: spec.isDynamic } as MemletSpec;
    readInto(frame.parent!, outerSpec, frame.entry, `IN_${conn}`, loc);
  }
  addEdge(frame.state, frame.entry, `OUT_${conn}`, dst, dstConn, memlet, loc);
}

/** Connect `src.srcConn` to `data` as written in this frame, routing through enclosing exits. */
export function writeFrom(frame: ScopeFrame, src: Node, srcConn: string | null, spec: MemletSpec, loc?: SourceLocation): void {
  const data = spec.container.name;
  const memlet = makeMemlet(data, spec.subset, { dynamic: spec.isDynamic, wcr: spec.wcrOp });
  if (frame.entry === null || frame.localTransients.has(data)) {
    let node = frame.latest.get(data);
    const alreadyRead = node !== undefined && frame.state.edges.some((e) => e.src === node!.id);
    if (!node || frame.entry !== null || alreadyRead) node = accessNode(frame, data, loc);
    addEdge(frame.state, src, srcConn, node, null, memlet, loc);
    frame.latest.set(data, node);
    return;
  }
  const exit = frame.exit!;
  const conn = uniqueConnector(exit, data);
  exit.inConnectors[`IN_${conn}`] = null;
  exit.outConnectors[`OUT_${conn}`] = null;
  addEdge(frame.state, src, srcConn, exit, `IN_${conn}`, memlet, loc);
  frame.latest.delete(data);
  frame.writesThroughExit.set(data, { src, srcConn, conn });
  const outerSpec = { ...spec, subset: fullSubset(dataShape(frame.sdfg.arrays[data]!)) } as MemletSpec;
  writeFrom(frame.parent!, exit, `OUT_${conn}`, outerSpec, loc);
}

/**
 * A value written through the exit and then read again in the same iteration: put an access node
 * between the writer and the exit, so the reader can take the value from it (in order).
 */
function materializeWriteIfReadBack(frame: ScopeFrame, data: string): void {
  const write = frame.writesThroughExit.get(data);
  if (!write || frame.latest.has(data)) return;
  const edge = frame.state.edges.find((e) => e.src === write.src.id && e.srcConn === write.srcConn && e.dst === frame.exit!.id && e.dstConn === `IN_${write.conn}`);
  if (!edge) return;
  const node = accessNode(frame, data, edge.loc);
  const { memlet } = edge;
  edge.dst = node.id;
  edge.dstConn = null;
  addEdge(frame.state, node, null, frame.exit!, `IN_${write.conn}`, { ...memlet }, edge.loc);
  frame.latest.set(data, node);
  frame.writesThroughExit.delete(data);
}

export function dtypeOf(frame: ScopeFrame, data: string): DType {
  return frame.sdfg.arrays[data]!.dtype;
}
