// Running one state: nodes in topological order, scope by scope; maps iterate their ranges row-major, consume scopes
// pop their stream until it is empty, access nodes copy, and every other node reads and writes through its memlets.
import { dataShape } from '../../graph/data.js';
import { type GraphPath, TargetError, assertNever } from '../../graph/errors.js';
import type { AccessNode, ConsumeEntry, MapEntry, Node } from '../../graph/nodes.js';
import { isScopeEntry, isScopeExit } from '../../graph/nodes.js';
import { entryOf, inEdges, memletPath, nodeById, outEdges, scopeChildren, scopeDict, topologicalOrder } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { fullSubset } from '../../graph/subsets.js';
import { type Span, indices, pop, queueOf, reshapedView, zero } from './buffers.js';
import { evalDataExpr } from './data-expressions.js';
import { type Frame, containerOf, evalExpr, evalSubset } from './frame.js';
import { runLibraryNode } from './library-nodes.js';
import { copy, memletSubset, streamIndex } from './memlets.js';
import { runNestedSDFG } from './nested-sdfg.js';
import { runTasklet } from './tasklets.js';

/** Where execution is inside a state: symbol values (with map parameters) and the elements consume scopes popped. */
export interface Scope {
  readonly symbols: Map<string, number>;
  /** `${consume entry id}:${OUT_ connector}` → the element being consumed. */
  readonly consumed: ReadonlyMap<string, number>;
}

/** What a state needs computed once per run: scope children in order, and which nodes write setzero data. */
interface StatePlan {
  readonly children: Map<number | null, Node[]>;
  /** Node id (a scope entry for writes leaving a scope) → setzero containers it writes. */
  readonly zeroBefore: Map<number, string[]>;
}

export function nodePath(frame: Frame, state: State, node?: Node): GraphPath {
  return { sdfg: frame.name, state: state.label, ...(node ? { node: node.label } : {}) };
}

function planState(frame: Frame, state: State): StatePlan {
  const cached = frame.run.plans.get(state) as StatePlan | undefined;
  if (cached) return cached;
  if (!topologicalOrder(state)) {
    throw new TargetError({ code: 'cyclic-state', message: `state ${state.label} has a cycle`, path: nodePath(frame, state) });
  }
  const dict = scopeDict(state);
  const children = new Map<number | null, Node[]>([[null, scopeChildren(state, null, dict)]]);
  for (const n of state.nodes) if (isScopeEntry(n)) children.set(n.id, scopeChildren(state, n.id, dict));
  const zeroBefore = new Map<number, string[]>();
  for (const n of state.nodes) {
    if (n.kind !== 'AccessNode' || !n.setzero) continue;
    for (const e of inEdges(state, n)) {
      const src = nodeById(state, e.src);
      if (!src) continue;
      const writer = isScopeExit(src) ? entryOf(state, src) ?? src : src;
      zeroBefore.set(writer.id, [...(zeroBefore.get(writer.id) ?? []), n.data]);
    }
  }
  const plan: StatePlan = { children, zeroBefore };
  frame.run.plans.set(state, plan);
  return plan;
}

class StateRunner {
  private readonly plan: StatePlan;
  /** setzero containers already zeroed in this execution of the state. */
  private readonly zeroed = new Set<string>();

  constructor(private readonly frame: Frame, private readonly state: State) {
    this.plan = planState(frame, state);
  }

  runScope(scopeId: number | null, scope: Scope): void {
    for (const node of this.plan.children.get(scopeId) ?? []) {
      for (const data of this.plan.zeroBefore.get(node.id) ?? []) {
        if (this.zeroed.has(data)) continue;
        this.zeroed.add(data);
        const ref = containerOf(this.frame, data, scope.symbols, nodePath(this.frame, this.state, node));
        if (ref.kind === 'array') zero(ref);
      }
      this.runNode(node, scope);
    }
  }

  private runNode(node: Node, scope: Scope): void {
    switch (node.kind) {
      case 'AccessNode': return this.accessNode(node, scope);
      case 'Tasklet': return runTasklet(this.frame, this.state, node, scope);
      case 'MapEntry': return this.map(node, scope);
      case 'ConsumeEntry': return this.consume(node, scope);
      case 'MapExit': case 'ConsumeExit': return; // a scope ends where its children do
      case 'NestedSDFG': return runNestedSDFG(this.frame, this.state, node, scope);
      case 'LibraryNode': return runLibraryNode(this.frame, this.state, node, scope);
      default: return assertNever(node, 'node');
    }
  }

  private map(entry: MapEntry, scope: Scope): void {
    const path = nodePath(this.frame, this.state, entry);
    const spans: Span[] = entry.map.ranges.map((r, d) => {
      const what = `the range of map parameter ${entry.map.params[d]}`;
      return evalSubset({ ranges: [r] }, scope.symbols, path, what)[0]!;
    });
    const symbols = new Map(scope.symbols);
    const inner: Scope = { symbols, consumed: scope.consumed };
    // Every schedule runs sequentially, row-major over the parameters.
    for (const point of indices(spans.map((s) => s.size))) {
      point.forEach((k, d) => symbols.set(entry.map.params[d]!, spans[d]!.begin + k * spans[d]!.step));
      this.runScope(entry.id, inner);
    }
  }

  private consume(entry: ConsumeEntry, scope: Scope): void {
    const path = nodePath(this.frame, this.state, entry);
    const input = inEdges(this.state, entry).find((e) => e.memlet.data !== null && this.frame.sdfg.arrays[e.memlet.data]?.kind === 'Stream');
    if (!input || !input.dstConn?.startsWith('IN_')) {
      throw new TargetError({ code: 'consume-without-stream', message: `consume scope ${entry.consume.label} has no stream input`, path });
    }
    const stream = containerOf(this.frame, input.memlet.data!, scope.symbols, path);
    if (stream.kind !== 'stream') throw new TargetError({ code: 'consume-without-stream', message: `${input.memlet.data} is not a stream`, path });
    const index = streamIndex(evalSubset(memletSubset(this.frame, input.memlet), scope.symbols, path, `the memlet on ${stream.name}`));
    const key = `${entry.id}:OUT_${input.dstConn.slice(3)}`;
    const symbols = new Map(scope.symbols);
    // One processing element: the reference runs the scope sequentially, PE index 0.
    symbols.set(entry.consume.peIndex, 0);
    const consumed = new Map(scope.consumed);
    const inner: Scope = { symbols, consumed };
    // Elements pushed while consuming are consumed too: the scope ends when the stream is empty.
    while (queueOf(stream, index, path).length > 0) {
      if (entry.consume.condition && evalDataExpr(this.frame, entry.consume.condition, symbols, path) !== 0) return;
      consumed.set(key, pop(stream, index, path));
      this.runScope(entry.id, inner);
    }
  }

  /** Copies into this access node from other access nodes or through a scope entry, and out of it into a scope exit. */
  private accessNode(node: AccessNode, scope: Scope): void {
    const path = nodePath(this.frame, this.state, node);
    if (this.frame.sdfg.arrays[node.data]?.kind === 'View') {
      this.bindView(node, scope, path);
      return;
    }
    for (const e of inEdges(this.state, node)) {
      if (e.memlet.data === null) continue;
      const src = nodeById(this.state, e.src);
      if (src?.kind === 'AccessNode' && this.frame.sdfg.arrays[src.data]?.kind !== 'View') copy(this.frame, e.memlet, src.data, node.data, scope.symbols, path);
      else if (src && isScopeEntry(src)) {
        const origin = this.pathEnd(e, 'first');
        if (origin && origin !== node.data) copy(this.frame, e.memlet, origin, node.data, scope.symbols, path);
      }
    }
    for (const e of outEdges(this.state, node)) {
      const dst = nodeById(this.state, e.dst);
      if (e.memlet.data === null || !dst || !isScopeExit(dst)) continue;
      const target = this.pathEnd(e, 'last');
      if (target && target !== node.data) copy(this.frame, e.memlet, node.data, target, scope.symbols, path);
    }
  }

  /** The data of the access node at the outer end of a memlet path through scopes. */
  private pathEnd(edge: Edge, which: 'first' | 'last'): string | undefined {
    const chain = memletPath(this.state, edge);
    const end = which === 'first' ? nodeById(this.state, chain[0]!.src) : nodeById(this.state, chain[chain.length - 1]!.dst);
    return end?.kind === 'AccessNode' ? end.data : undefined;
  }

  /** A View access node becomes a window on the container it is connected to (in-edge first, else out-edge). */
  private bindView(node: AccessNode, scope: Scope, path: GraphPath): void {
    const edges = [
      ...inEdges(this.state, node).filter((e) => nodeById(this.state, e.src)?.kind === 'AccessNode'),
      ...outEdges(this.state, node).filter((e) => nodeById(this.state, e.dst)?.kind === 'AccessNode'),
    ].filter((e) => e.memlet.data !== null);
    const edge = edges[0];
    if (!edge) throw new TargetError({ code: 'unbound-view', message: `view ${node.data} is not connected to the data it views`, path });
    const other = nodeById(this.state, edge.src === node.id ? edge.dst : edge.src) as AccessNode;
    const viewed = other.data;
    const subset = edge.memlet.data === viewed ? memletSubset(this.frame, edge.memlet)
      : edge.memlet.otherSubset ?? fullSubset(dataShape(this.frame.sdfg.arrays[viewed]!));
    const target = containerOf(this.frame, viewed, scope.symbols, path);
    if (target.kind !== 'array') throw new TargetError({ code: 'unbound-view', message: `view ${node.data} cannot view stream ${viewed}`, path });
    const spans = evalSubset(subset, scope.symbols, path, `the subset ${node.data} views`);
    const desc = this.frame.sdfg.arrays[node.data]!;
    const shape = dataShape(desc).map((d) => evalExpr(d, scope.symbols, path, `the shape of ${node.data}`));
    this.frame.containers.set(node.data, reshapedView(target, spans, shape, node.data, path));
  }

  /** Views must be bound before anything writes through them, which may precede their access node. */
  bindViews(scope: Scope): void {
    for (const node of this.plan.children.get(null) ?? []) {
      if (node.kind === 'AccessNode' && this.frame.sdfg.arrays[node.data]?.kind === 'View') {
        this.bindView(node, scope, nodePath(this.frame, this.state, node));
      }
    }
  }
}

export function runState(frame: Frame, state: State): void {
  const runner = new StateRunner(frame, state);
  const scope: Scope = { symbols: frame.symbols, consumed: new Map() };
  runner.bindViews(scope);
  runner.runScope(null, scope);
}
