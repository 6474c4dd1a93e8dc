// Running one tasklet: bind each connector to what its memlet names (a value, a view, a stream), run the code,
// then write the scalar outputs back, combining under their memlets' write-conflict resolution.
import type { DType } from '../../graph/dtypes.js';
import { type GraphPath, InternalError, TargetError } from '../../graph/errors.js';
import type { Memlet } from '../../graph/memlet.js';
import type { Tasklet } from '../../graph/nodes.js';
import { inEdges, nodeById, outEdges } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { isIndex } from '../../graph/subsets.js';
import type { TStmt } from '../../graph/tasklet-ast.js';
import { castValue } from '../../graph/tasklet-ops.js';
import { type ConnectorInfo, type TaskletTyping, typeTasklet } from '../../graph/tasklet-types.js';
import { type ArrayRef, type StreamRef, load, pop, push } from './buffers.js';
import { symbolTypes, undefinedSymbol, withPath } from './data-expressions.js';
import type { Scope } from './dataflow.js';
import { nodePath } from './dataflow.js';
import { type Frame, cachedTyping, descOf } from './frame.js';
import { connectorView, memletSubset, resolveMemlet, streamIndex, writeElement } from './memlets.js';
import { type NameAccess, TaskletEvaluator } from './tasklet-eval.js';

/** What a connector is bound to while the tasklet runs. */
type Binding =
  /** A scalar input: read now, or at first use when its memlet is dynamic (it may be guarded). */
  | { kind: 'value'; dtype: DType; value?: number; read: () => number }
  /** An array-valued connector: reads and writes go through the view (outputs combine under the wcr). */
  | { kind: 'view'; dtype: DType; ref: ArrayRef; memlet: Memlet }
  /** A stream input: popped at first read. */
  | { kind: 'stream-in'; dtype: DType; value?: number; pop: () => number }
  /** A scalar output: written back after the code runs, if assigned. */
  | { kind: 'out'; dtype: DType; value?: number; targets: { memlet: Memlet }[] }
  /** An output into a stream: each assignment pushes. */
  | { kind: 'stream-out'; dtype: DType; value?: number; streams: { stream: StreamRef; index: number[] }[] };

function connectorEdges(state: State, node: Tasklet, side: 'in' | 'out'): Map<string, Memlet[]> {
  const found = new Map<string, Memlet[]>();
  const edges = side === 'in' ? inEdges(state, node) : outEdges(state, node);
  for (const e of edges) {
    const conn = side === 'in' ? e.dstConn : e.srcConn;
    if (conn === null || e.memlet.data === null) continue;
    found.set(conn, [...(found.get(conn) ?? []), e.memlet]);
  }
  return found;
}

/** The connector's type: declared on the tasklet, else its data's. */
function connectorType(frame: Frame, declared: DType | null | undefined, memlet: Memlet, path: GraphPath): DType {
  return declared ?? descOf(frame, memlet.data!, path).dtype;
}

function isStream(frame: Frame, memlet: Memlet, path: GraphPath): boolean {
  return descOf(frame, memlet.data!, path).kind === 'Stream';
}

function connectorInfo(frame: Frame, dtype: DType, memlet: Memlet, path: GraphPath): ConnectorInfo {
  const dims = isStream(frame, memlet, path) ? 0 : memletSubset(frame, memlet, path).ranges.filter((r) => !isIndex(r)).length;
  return { dtype, dims, dynamic: memlet.dynamic };
}

function typingOf(frame: Frame, state: State, node: Tasklet, body: readonly TStmt[], scope: Scope, path: GraphPath): TaskletTyping {
  return cachedTyping(frame, node, '', () => {
    const inputs: Record<string, ConnectorInfo> = {};
    const outputs: Record<string, ConnectorInfo> = {};
    for (const [conn, memlets] of connectorEdges(state, node, 'in')) {
      inputs[conn] = connectorInfo(frame, connectorType(frame, node.inConnectors[conn], memlets[0]!, path), memlets[0]!, path);
    }
    for (const [conn, memlets] of connectorEdges(state, node, 'out')) {
      outputs[conn] = connectorInfo(frame, connectorType(frame, node.outConnectors[conn], memlets[0]!, path), memlets[0]!, path);
    }
    return typeTasklet(body, { inputs, outputs, symbols: symbolTypes(frame, scope.symbols) }, { path, ...(node.loc ? { loc: node.loc } : {}) });
  });
}

function bindInput(frame: Frame, state: State, node: Tasklet, edge: Edge, scope: Scope, path: GraphPath): Binding {
  const memlet = edge.memlet;
  const dtype = connectorType(frame, node.inConnectors[edge.dstConn!], memlet, path);
  // Inside a consume scope, the element being consumed arrives on the entry's OUT_ connector.
  const src = nodeById(state, edge.src);
  const consumedKey = src?.kind === 'ConsumeEntry' ? `${src.id}:${edge.srcConn}` : undefined;
  if (consumedKey && scope.consumed.has(consumedKey)) {
    const value = castValue(scope.consumed.get(consumedKey)!, dtype);
    return { kind: 'value', dtype, value, read: () => value };
  }
  const { container, spans, subset } = resolveMemlet(frame, memlet, scope.symbols, path);
  if (container.kind === 'stream') {
    return { kind: 'stream-in', dtype, pop: () => castValue(pop(container, streamIndex(spans), path), dtype) };
  }
  const view = connectorView(container, spans, subset, path);
  if (view.shape.length > 0) return { kind: 'view', dtype, ref: view, memlet };
  const read = (): number => castValue(load(view, [], path), dtype);
  return memlet.dynamic ? { kind: 'value', dtype, read } : { kind: 'value', dtype, value: read(), read };
}

function bindOutput(frame: Frame, node: Tasklet, conn: string, memlets: Memlet[], scope: Scope, path: GraphPath): Binding {
  const dtype = connectorType(frame, node.outConnectors[conn], memlets[0]!, path);
  if (memlets.every((m) => isStream(frame, m, path))) {
    const streams = memlets.map((m) => {
      const { container, spans } = resolveMemlet(frame, m, scope.symbols, path);
      return { stream: container as StreamRef, index: streamIndex(spans) };
    });
    return { kind: 'stream-out', dtype, streams };
  }
  const first = resolveMemlet(frame, memlets[0]!, scope.symbols, path);
  if (first.container.kind === 'array') {
    const view = connectorView(first.container, first.spans, first.subset, path);
    if (view.shape.length > 0) return { kind: 'view', dtype, ref: view, memlet: memlets[0]! };
  }
  // Resolve every target now, so that a bad subset is reported even if the code leaves the output unwritten.
  for (const m of memlets.slice(1)) resolveMemlet(frame, m, scope.symbols, path);
  return { kind: 'out', dtype, targets: memlets.map((memlet) => ({ memlet })) };
}

function names(frame: Frame, bindings: Map<string, Binding>, scope: Scope, path: GraphPath): NameAccess {
  const binding = (name: string): Binding | undefined => bindings.get(name);
  const view = (name: string): Binding & { kind: 'view' } => {
    const b = binding(name);
    if (b?.kind !== 'view') throw new InternalError({ code: 'internal', message: `connector ${name} is not an array`, path });
    return b;
  };
  return {
    read(name) {
      const b = binding(name);
      if (!b) {
        const value = scope.symbols.get(name);
        if (value === undefined) throw undefinedSymbol(name, path);
        return value;
      }
      switch (b.kind) {
        case 'value': return (b.value ??= b.read());
        case 'stream-in': return (b.value ??= b.pop());
        case 'out': case 'stream-out':
          if (b.value === undefined) throw new InternalError({ code: 'internal', message: `output ${name} read before it is written`, path });
          return b.value;
        case 'view': throw new InternalError({ code: 'internal', message: `array connector ${name} read without an index`, path });
      }
    },
    element: (name, idx) => castValue(load(view(name).ref, idx, path), view(name).dtype),
    assign(name, value) {
      const b = binding(name);
      if (b?.kind === 'out') b.value = value;
      else if (b?.kind === 'stream-out') {
        b.value = value;
        for (const s of b.streams) push(s.stream, s.index, value, path);
      } else throw new InternalError({ code: 'internal', message: `${name} is not a scalar output`, path });
    },
    assignElement(name, idx, value) {
      const b = view(name);
      writeElement(frame, b.ref, idx, value, b.memlet.wcr, path);
    },
    typeOfName(name) {
      const b = binding(name);
      if (!b) throw new InternalError({ code: 'internal', message: `${name} is not a connector`, path });
      return b.dtype;
    },
  };
}

export function runTasklet(frame: Frame, state: State, node: Tasklet, scope: Scope): void {
  const path = nodePath(frame, state, node);
  if (node.code.language !== 'tasklet') {
    throw new TargetError({
      code: 'unsupported-tasklet-language', path, ...(node.loc ? { loc: node.loc } : {}),
      message: `tasklet ${node.label} is written in ${node.code.language}, which the reference interpreter cannot run`,
      hint: 'write it in the tasklet language, or run the program on a target that accepts this code',
    });
  }
  const body = node.code.body;
  try {
    const typing = typingOf(frame, state, node, body, scope, path);
    const bindings = new Map<string, Binding>();
    for (const e of inEdges(state, node)) {
      if (e.dstConn === null || e.memlet.data === null || bindings.has(e.dstConn)) continue;
      bindings.set(e.dstConn, bindInput(frame, state, node, e, scope, path));
    }
    for (const [conn, memlets] of connectorEdges(state, node, 'out')) bindings.set(conn, bindOutput(frame, node, conn, memlets, scope, path));
    new TaskletEvaluator(typing, names(frame, bindings, scope, path), path).run(body);
    for (const b of bindings.values()) {
      if (b.kind !== 'out' || b.value === undefined) continue; // unassigned (dynamic) outputs write nothing
      for (const { memlet } of b.targets) {
        const { container, spans } = resolveMemlet(frame, memlet, scope.symbols, path);
        if (container.kind !== 'array') continue;
        writeElement(frame, connectorView(container, spans, memletSubset(frame, memlet, path), path), [], b.value, memlet.wcr, path);
      }
    }
  } catch (error) {
    throw withPath(error, path);
  }
}
