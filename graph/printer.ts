// The canonical text form of an SDFG: one line per descriptor, block, node, edge; used by tests and error messages.
//
// Layout (two spaces per nesting level; every list in id or name order so equal graphs print equally):
//   sdfg NAME
//     symbol N: int64                        constant C: float64 = 2
//     array A: float64[N, M] (transient, storage CPU_Heap, strides [1, N])
//     args A, N
//     start s1                               (only when the start block is not the first one)
//     state s0 "label"
//       n0 access A
//       n1 map_entry m [i = 0:N, j = 0:M] CPU_Multicore
//       n2 tasklet t (a, b -> out) {out = a * b}
//       e0 n0 -> n1.IN_A  A[0:N, 0:M]
//     loop l1 "label" for (i = 0; i < N; i = i + 1)
//     if c2 "label"
//       branch r0 "label" if (x > 0)
//     edge s0 -> l1 if (N > 0) assign i = 0
// Source locations and the tasklet's original source text are not printed: they never change behaviour.
import { rowMajorStrides, totalExtent, type DataDesc } from './data.js';
import { ZERO, type Expr } from './symbolic.js';
import { formatRange, formatSubset, subsetVolume, type Range } from './subsets.js';
import type { Memlet, Wcr } from './memlet.js';
import type { Connectors, LibraryOp, Node } from './nodes.js';
import type {
  ConditionalBlock, ControlFlowBlock, ControlFlowGraph, InterstateEdge, LoopRegion, SDFG, State,
} from './sdfg.js';
import type { TaskletCode, TExpr } from './tasklet-ast.js';
import { printTExpr, printTStmts } from './tasklet-print.js';
import { isTrueCondition } from './construct.js';
import { assertNever } from './errors.js';

const STEP = '  ';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A name as-is when it is an identifier, else quoted. */
function word(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** Code-point order, so the output does not depend on the locale. */
function byName<T>(entries: [string, T][]): [string, T][] {
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const byId = <T extends { readonly id: number }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => a.id - b.id);

function exprList(xs: readonly Expr[]): string {
  return `[${xs.map(String).join(', ')}]`;
}

/**
 * Whether a value equals its default, where computing the default may itself fail (huge constants overflow
 * the exact integer range): the printer serves error messages, so it shows the value rather than throw.
 */
function isDefault(matches: () => boolean): boolean {
  try {
    return matches();
  } catch {
    return false;
  }
}

function sameExprs(a: readonly Expr[], b: readonly Expr[]): boolean {
  return a.length === b.length && a.every((x, i) => x.equals(b[i]!));
}

// ---------------------------------------------------------------------------------------------------------------
// The SDFG and its control flow.

export function printSDFG(sdfg: SDFG): string {
  const out: string[] = [];
  sdfgLines(sdfg, '', out);
  return out.join('\n');
}

function sdfgLines(sdfg: SDFG, indent: string, out: string[]): void {
  out.push(`${indent}sdfg ${word(sdfg.name)}`);
  const inner = indent + STEP;
  for (const [name, dtype] of byName(Object.entries(sdfg.symbols))) out.push(`${inner}symbol ${word(name)}: ${dtype.name}`);
  for (const [name, c] of byName(Object.entries(sdfg.constants))) {
    out.push(`${inner}constant ${word(name)}: ${c.dtype.name} = ${String(c.value)}`);
  }
  for (const [name, desc] of byName(Object.entries(sdfg.arrays))) out.push(inner + printDataDesc(name, desc));
  if (sdfg.argNames.length > 0) out.push(`${inner}args ${sdfg.argNames.map(word).join(', ')}`);
  cfgLines(sdfg, inner, out);
}

const blockPrefix = { State: 's', LoopRegion: 'l', ConditionalBlock: 'c', ControlFlowRegion: 'r' } as const;

/** `s0`, `l3`: the block's kind and id; `?7` for an id no block has. */
function blockName(cfg: ControlFlowGraph, id: number): string {
  const block = cfg.blocks.find((b) => b.id === id);
  return block ? `${blockPrefix[block.kind]}${id}` : `?${id}`;
}

function cfgLines(cfg: ControlFlowGraph, indent: string, out: string[]): void {
  const blocks = byId(cfg.blocks);
  if (cfg.startBlock === null) {
    if (blocks.length > 0) out.push(`${indent}start none`);
  } else if (cfg.startBlock !== blocks[0]?.id) {
    out.push(`${indent}start ${blockName(cfg, cfg.startBlock)}`);
  }
  for (const block of blocks) blockLines(block, indent, out);
  for (const edge of byId(cfg.edges)) out.push(indent + printInterstateEdge(cfg, edge));
}

/** `edge s0 -> s1 if (N > 0) assign i = 0, j = i + 1` (a true condition is not shown). */
export function printInterstateEdge(cfg: ControlFlowGraph, edge: InterstateEdge): string {
  let text = `edge ${blockName(cfg, edge.src)} -> ${blockName(cfg, edge.dst)}`;
  if (!isTrueCondition(edge.condition)) text += ` if (${printTExpr(edge.condition)})`;
  const assignments = Object.entries(edge.assignments);
  if (assignments.length > 0) {
    text += ' assign ' + assignments.map(([name, value]) => `${word(name)} = ${printTExpr(value)}`).join(', ');
  }
  return text;
}

/** A block and everything inside it, as lines joined by newlines. */
export function printBlock(block: ControlFlowBlock): string {
  const out: string[] = [];
  blockLines(block, '', out);
  return out.join('\n');
}

export function printState(state: State): string {
  return printBlock(state);
}

function blockLines(block: ControlFlowBlock, indent: string, out: string[]): void {
  const head = `${indent}${blockHeadKeyword(block)} ${blockPrefix[block.kind]}${block.id} ${JSON.stringify(block.label)}`;
  const inner = indent + STEP;
  switch (block.kind) {
    case 'State':
      out.push(head);
      stateBodyLines(block, inner, out);
      break;
    case 'LoopRegion':
      out.push(`${head} ${loopHeader(block)}`);
      cfgLines(block, inner, out);
      break;
    case 'ConditionalBlock':
      out.push(head);
      branchLines(block, inner, out);
      break;
    case 'ControlFlowRegion':
      out.push(head);
      cfgLines(block, inner, out);
      break;
    default: assertNever(block, 'control-flow block');
  }
}

function blockHeadKeyword(block: ControlFlowBlock): string {
  switch (block.kind) {
    case 'State': return 'state';
    case 'LoopRegion': return 'loop';
    case 'ConditionalBlock': return 'if';
    case 'ControlFlowRegion': return 'region';
    default: return assertNever(block, 'control-flow block');
  }
}

/** `for (i = 0; i < N; i = i + 1)`, `while (c)`; `do-` in front when the test follows the body. */
function loopHeader(loop: LoopRegion): string {
  const v = loop.loopVariable === null ? null : word(loop.loopVariable);
  const cond = printTExpr(loop.condition);
  const prefix = loop.inverted ? 'do-' : '';
  if (v === null && loop.init === null && loop.update === null) return `${prefix}while (${cond})`;
  const assign = (value: TExpr | null): string => {
    if (value === null) return v ?? '';
    return v === null ? printTExpr(value) : `${v} = ${printTExpr(value)}`;
  };
  return `${prefix}for (${assign(loop.init)}; ${cond}; ${assign(loop.update)})`;
}

function branchLines(block: ConditionalBlock, indent: string, out: string[]): void {
  for (const { condition, body } of block.branches) {
    const test = condition === null ? 'else' : `if (${printTExpr(condition)})`;
    out.push(`${indent}branch r${body.id} ${JSON.stringify(body.label)} ${test}`);
    cfgLines(body, indent + STEP, out);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Data descriptors.

/** `array A: float64[N, M] (transient, storage CPU_Heap)`: only what differs from the defaults is shown. */
export function printDataDesc(name: string, desc: DataDesc): string {
  const flags: string[] = [];
  if (desc.transient) flags.push('transient');
  if (desc.storage !== 'Default') flags.push(`storage ${desc.storage}`);
  if (desc.lifetime !== 'Scope') flags.push(`lifetime ${desc.lifetime}`);
  let head: string;
  switch (desc.kind) {
    case 'Scalar':
      head = `scalar ${word(name)}: ${desc.dtype.name}`;
      break;
    case 'Stream': {
      const single = desc.shape.length === 1 && desc.shape[0]!.equals(1);
      head = `stream ${word(name)}: ${desc.dtype.name}${single ? '' : exprList(desc.shape)}`;
      flags.unshift(`buffer ${desc.bufferSize.toString()}`);
      break;
    }
    case 'Array': case 'View': {
      head = `${desc.kind === 'Array' ? 'array' : 'view'} ${word(name)}: ${desc.dtype.name}${exprList(desc.shape)}`;
      if (!isDefault(() => sameExprs(desc.strides, rowMajorStrides(desc.shape)))) flags.push(`strides ${exprList(desc.strides)}`);
      if (!desc.offset.every((o) => o.isZero())) flags.push(`offset ${exprList(desc.offset)}`);
      if (!isDefault(() => desc.totalSize.equals(totalExtent(desc.shape, desc.strides)))) flags.push(`total ${desc.totalSize.toString()}`);
      if (desc.alignment !== 0) flags.push(`align ${desc.alignment}`);
      if (desc.startOffset !== 0) flags.push(`start_offset ${desc.startOffset}`);
      if (desc.mayAlias) flags.push('may_alias');
      break;
    }
    default: return assertNever(desc, 'data descriptor');
  }
  return flags.length > 0 ? `${head} (${flags.join(', ')})` : head;
}

// ---------------------------------------------------------------------------------------------------------------
// States: nodes and dataflow edges.

function stateBodyLines(state: State, indent: string, out: string[]): void {
  for (const node of byId(state.nodes)) {
    out.push(indent + printNode(node));
    if (node.kind === 'NestedSDFG') sdfgLines(node.sdfg, indent + STEP, out);
  }
  for (const edge of byId(state.edges)) {
    const src = `n${edge.src}${edge.srcConn === null ? '' : '.' + word(edge.srcConn)}`;
    const dst = `n${edge.dst}${edge.dstConn === null ? '' : '.' + word(edge.dstConn)}`;
    out.push(`${indent}e${edge.id} ${src} -> ${dst}  ${printMemlet(edge.memlet)}`);
  }
}

function connectorList(cs: Connectors): string[] {
  return byName(Object.entries(cs)).map(([name, dtype]) => (dtype ? `${word(name)}: ${dtype.name}` : word(name)));
}

/** `(a, b: float32 -> out)`: a node's interface. */
function printConnectors(node: Node): string {
  const ins = connectorList(node.inConnectors).join(', ');
  const outs = connectorList(node.outConnectors).join(', ');
  return `(${ins}${ins ? ' ' : ''}->${outs ? ' ' : ''}${outs})`;
}

/** Scope and access nodes' connectors follow from their edges; only typed ones are worth a mention. */
function typedConnectorsSuffix(node: Node): string {
  const typed = (cs: Connectors): boolean => Object.values(cs).some((d) => d !== null);
  return typed(node.inConnectors) || typed(node.outConnectors) ? ` ${printConnectors(node)}` : '';
}

/** The node's label, when it says something its scope or data name does not. */
function labelSuffix(label: string, natural: string): string {
  return label === natural ? '' : ` label ${JSON.stringify(label)}`;
}

function printRangeWithParam(param: string, r: Range): string {
  return `${word(param)} = ${formatRange(r)}`;
}

/** One line for one node (a nested SDFG's body is printed by `printState`/`printSDFG` below its line). */
export function printNode(node: Node): string {
  const head = `n${node.id}`;
  switch (node.kind) {
    case 'AccessNode':
      return `${head} access ${word(node.data)}${labelSuffix(node.label, node.data)}${node.setzero ? ' setzero' : ''}`
        + typedConnectorsSuffix(node);
    case 'Tasklet': {
      const global = node.codeGlobal === undefined ? '' : ` global ${JSON.stringify(node.codeGlobal)}`;
      return `${head} tasklet ${word(node.label)} ${printConnectors(node)} ${printCode(node.code)}${global}`;
    }
    case 'MapEntry': {
      const m = node.map;
      const params = m.params.map((p, i) => (m.ranges[i] ? printRangeWithParam(p, m.ranges[i]) : `${word(p)} = ?`));
      // More ranges than parameters is malformed, but the printer shows what is there.
      for (let i = m.params.length; i < m.ranges.length; i++) params.push(`? = ${formatRange(m.ranges[i]!)}`);
      let text = `${head} map_entry ${word(m.label)} [${params.join(', ')}]`;
      if (m.schedule !== 'Default') text += ` ${m.schedule}`;
      if (m.unroll) text += ' unroll';
      if (m.collapse !== 1) text += ` collapse ${m.collapse}`;
      if (m.gpuBlockSize) text += ` block [${m.gpuBlockSize.join(', ')}]`;
      if (m.vectorWidth !== undefined) text += ` vector ${m.vectorWidth}`;
      return text + labelSuffix(node.label, m.label) + typedConnectorsSuffix(node);
    }
    case 'MapExit':
      return `${head} map_exit ${word(node.map.label)}${labelSuffix(node.label, node.map.label)}${typedConnectorsSuffix(node)}`;
    case 'ConsumeEntry': {
      const c = node.consume;
      let text = `${head} consume_entry ${word(c.label)} [${word(c.peIndex)} of ${c.numPes.toString()}]`;
      if (c.condition) text += ` until (${printTExpr(c.condition)})`;
      if (c.schedule !== 'Default') text += ` ${c.schedule}`;
      if (c.chunksize !== 1) text += ` chunk ${c.chunksize}`;
      return text + labelSuffix(node.label, c.label) + typedConnectorsSuffix(node);
    }
    case 'ConsumeExit':
      return `${head} consume_exit ${word(node.consume.label)}${labelSuffix(node.label, node.consume.label)}`
        + typedConnectorsSuffix(node);
    case 'NestedSDFG': {
      const mapping = byName(Object.entries(node.symbolMapping)).map(([k, v]) => `${word(k)} = ${v.toString()}`);
      const withText = mapping.length > 0 ? ` with ${mapping.join(', ')}` : '';
      return `${head} nested_sdfg ${word(node.label)} ${printConnectors(node)}${withText}`;
    }
    case 'LibraryNode': {
      let text = `${head} library ${word(node.label)} ${printConnectors(node)} ${printLibraryOp(node.op)}`;
      if (node.implementation !== null) text += ` impl ${word(node.implementation)}`;
      if (node.schedule !== 'Default') text += ` ${node.schedule}`;
      return text;
    }
    default: return assertNever(node, 'node');
  }
}

function printLibraryOp(op: LibraryOp): string {
  switch (op.name) {
    case 'Reduce': {
      const axes = op.axes === null ? '' : ` axes [${op.axes.join(', ')}]`;
      const identity = op.identity === null ? '' : ` identity ${String(op.identity)}`;
      return `Reduce${axes} wcr ${printWcr(op.wcr)}${identity}`;
    }
    case 'MatMul': return `MatMul alpha ${String(op.alpha)} beta ${String(op.beta)}`;
    case 'Unknown': return `Unknown ${JSON.stringify(op.classpath)} ${JSON.stringify(op.attributes)}`;
    default: return assertNever(op, 'library operation');
  }
}

/**
 * Tasklet code on one line: `{out = a * b; t = 1}`; blocks keep their braces (`if (c) { x = 1 } else { x = 2 }`).
 * Raw code is quoted with its language: `CPP "out = a;"`.
 */
export function printCode(code: TaskletCode): string {
  if (code.language !== 'tasklet') return `${code.language} ${JSON.stringify(code.source)}`;
  const lines = printTStmts(code.body).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  let text = '';
  lines.forEach((line, i) => {
    if (i > 0) text += lines[i - 1]!.endsWith('{') || line.startsWith('}') ? ' ' : '; ';
    text += line;
  });
  return `{${text}}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Memlets.

export function printWcr(wcr: Wcr): string {
  switch (wcr.op) {
    case 'sum': case 'product': case 'min': case 'max': return wcr.op;
    case 'custom': return `(${word(wcr.params[0])}, ${word(wcr.params[1])}) => ${printTExpr(wcr.body)}`;
    default: return assertNever(wcr, 'write-conflict resolution');
  }
}

/**
 * `A[i, 0:N]`, then in parentheses whatever else is set: `other [...]`, `volume V` (when it is not the
 * subset's own volume), `dynamic`, `wcr sum`. An empty memlet prints as `(empty)`.
 */
export function printMemlet(memlet: Memlet): string {
  const flags: string[] = [];
  let head: string;
  if (memlet.data === null) {
    head = '(empty)';
    if (memlet.subset) flags.push(`subset [${formatSubset(memlet.subset)}]`);
  } else {
    head = memlet.subset ? `${word(memlet.data)}[${formatSubset(memlet.subset)}]` : `${word(memlet.data)} (no subset)`;
  }
  if (memlet.otherSubset) flags.push(`other [${formatSubset(memlet.otherSubset)}]`);
  const subset = memlet.data !== null ? memlet.subset : null;
  if (!isDefault(() => memlet.volume.equals(subset ? subsetVolume(subset) : ZERO))) flags.push(`volume ${memlet.volume.toString()}`);
  if (memlet.dynamic) flags.push('dynamic');
  if (memlet.wcr) flags.push(`wcr ${printWcr(memlet.wcr)}`);
  return flags.length > 0 ? `${head} (${flags.join(', ')})` : head;
}
