// Running a nested SDFG: its symbols from the symbol mapping, its non-transient containers as windows on the outer
// data connected on the same-named connectors (writes go through), then its control flow in a frame of its own.
import { type GraphPath, TargetError } from '../../graph/errors.js';
import type { Memlet } from '../../graph/memlet.js';
import type { NestedSDFG } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import type { State } from '../../graph/sdfg.js';
import { type ArrayRef, type Container, reshapedView } from './buffers.js';
import { runSDFG } from './control-flow.js';
import type { Scope } from './dataflow.js';
import { nodePath } from './dataflow.js';
import { type Frame, evalExpr, shapeOf } from './frame.js';
import { combine, resolveMemlet } from './memlets.js';

function innerSymbols(node: NestedSDFG, scope: Scope, path: GraphPath): Map<string, number> {
  const symbols = new Map<string, number>();
  for (const [name, c] of Object.entries(node.sdfg.constants)) symbols.set(name, c.value);
  for (const [name, e] of Object.entries(node.symbolMapping)) {
    symbols.set(name, evalExpr(e, scope.symbols, path, `the value of inner symbol ${name}`));
  }
  return symbols;
}

/** The window of the outer data an inner container sees, with the inner container's shape. */
function window(outer: Frame, inner: Frame, conn: string, memlet: Memlet, scope: Scope, path: GraphPath): Container {
  const desc = inner.sdfg.arrays[conn];
  if (!desc || desc.transient) {
    throw new TargetError({
      code: 'unknown-connector', path,
      message: `connector ${conn} of nested SDFG ${inner.sdfg.name} names no non-transient container inside it`,
    });
  }
  const { container, spans } = resolveMemlet(outer, memlet, scope.symbols, path);
  if ((container.kind === 'stream') !== (desc.kind === 'Stream')) {
    throw new TargetError({
      code: 'kind-mismatch', path,
      message: `${conn} is a ${desc.kind.toLowerCase()} inside nested SDFG ${inner.sdfg.name} but ${container.name} outside is ${container.kind === 'stream' ? 'a stream' : 'not a stream'}`,
    });
  }
  if (container.kind === 'stream') return container;
  const view: ArrayRef = reshapedView(container, spans, shapeOf(inner, conn, inner.symbols, path), conn, path);
  const wcr = memlet.wcr;
  if (!wcr) return view;
  // Writes inside resolve against the outer data as the out-edge's wcr says.
  return { ...view, wcr: (current: number, incoming: number) => combine(outer, wcr, view.dtype, current, incoming, path) };
}

export function runNestedSDFG(frame: Frame, state: State, node: NestedSDFG, scope: Scope): void {
  const path = nodePath(frame, state, node);
  const inner: Frame = {
    run: frame.run, sdfg: node.sdfg, name: `${frame.name}/${node.sdfg.name}`,
    symbols: innerSymbols(node, scope, path), containers: new Map(),
  };
  // An unmapped inner symbol takes the outer value of the same name, as DaCe's implicit mapping does.
  for (const s of Object.keys(node.sdfg.symbols)) {
    if (!inner.symbols.has(s) && scope.symbols.has(s)) inner.symbols.set(s, scope.symbols.get(s)!);
  }
  const seen = new Set<string>();
  const connect = (conn: string | null, memlet: Memlet, isOutput: boolean): void => {
    if (conn === null || memlet.data === null) return;
    if (seen.has(conn)) {
      if (isOutput && memlet.wcr) inner.containers.set(conn, window(frame, inner, conn, memlet, scope, path));
      return;
    }
    seen.add(conn);
    inner.containers.set(conn, window(frame, inner, conn, memlet, scope, path));
  };
  for (const e of inEdges(state, node)) connect(e.dstConn, e.memlet, false);
  for (const e of outEdges(state, node)) connect(e.srcConn, e.memlet, true);
  runSDFG(inner);
}
