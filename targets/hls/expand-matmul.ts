// MatMul library nodes as FPGA dataflow, a graph rewrite of the hls lowering: C = alpha·A·B + beta·C_in becomes an
// initializing map (C = beta·C_in, or 0) in a state of its own, then a map over i, j, k whose tasklet accumulates
// alpha·a·b into C[i, j] with a sum resolution, which the HLS printer turns into interleaved partial sums (II=1).
import { addEdge, addNode, removeNode } from '../../graph/construct.js';
import type { DType } from '../../graph/dtypes.js';
import { TargetError } from '../../graph/errors.js';
import { emptyMemlet, makeMemlet, type Memlet } from '../../graph/memlet.js';
import type { AccessNode, LibraryNode, MapEntry, MapExit, MapScope, Tasklet } from '../../graph/nodes.js';
import { propagateMemletsInState } from '../../graph/propagate.js';
import { allStates, inEdges, nodeById, outEdges, scopeDict } from '../../graph/query.js';
import type { Edge, SDFG, State } from '../../graph/sdfg.js';
import { index, isIndex, range, rangeSize, subset, type Range, type Subset } from '../../graph/subsets.js';
import { int, sym, type Expr } from '../../graph/symbolic.js';
import type { TExpr } from '../../graph/tasklet-ast.js';
import { addConnectorPair, insertStateBefore } from '../../passes/transformations/helpers.js';
import { addMapNodes } from '../../passes/transformations/helpers-scope.js';

interface Operand {
  readonly edge: Edge;
  readonly access: AccessNode;
  /** The two kept dimensions of the memlet's subset (rows, columns). */
  readonly dims: readonly [Range, Range];
}

function refuse(sdfg: SDFG, state: State, node: LibraryNode, why: string): TargetError {
  return new TargetError({
    code: 'hls-unsupported', message: `MatMul ${node.label} has no FPGA expansion: ${why}`,
    path: { sdfg: sdfg.name, state: state.label, node: `${node.label} (n${node.id})` },
    hint: 'write the product as maps (a map over i, j, k with a sum resolution) for the hls target',
  });
}

/** The operand on connector `conn`, a 2-D subset with unit steps of an access node's container. */
function operand(sdfg: SDFG, state: State, node: LibraryNode, conn: string, side: 'in' | 'out'): Operand | undefined {
  const edges = side === 'in' ? inEdges(state, node).filter((e) => e.dstConn === conn) : outEdges(state, node).filter((e) => e.srcConn === conn);
  if (edges.length === 0) return undefined;
  const edge = edges[0]!;
  const access = nodeById(state, side === 'in' ? edge.src : edge.dst);
  if (access?.kind !== 'AccessNode' || !edge.memlet.subset) throw refuse(sdfg, state, node, `${conn} is not connected to an access node`);
  const kept = edge.memlet.subset.ranges.filter((r) => !isIndex(r));
  if (kept.length !== 2 || !kept.every((r) => r.step.equals(1))) throw refuse(sdfg, state, node, `${conn} (${edge.memlet.data}) is not a matrix with unit steps`);
  return { edge, access, dims: [kept[0]!, kept[1]!] };
}

/** The element (row, col) of an operand, in its container's coordinates (single indices of the subset kept). */
function element(op: Operand, row: Expr, col: Expr): Subset {
  const at = [row, col];
  let next = 0;
  return subset(...op.edge.memlet.subset!.ranges.map((r) => (isIndex(r) ? r : index(r.begin.add(at[next++]!)))));
}

const name = (n: string): TExpr => ({ k: 'name', name: n });
const num = (value: number, t: DType): TExpr => ({ k: 'num', value, isFloat: t.kind === 'float' || !Number.isInteger(value) });
const times = (lhs: TExpr, rhs: TExpr): TExpr => ({ k: 'binary', op: '*', lhs, rhs });

function tasklet(state: State, label: string, inputs: readonly string[], value: TExpr, source: string, dtype: DType): Tasklet {
  return addNode(state, {
    kind: 'Tasklet', label, inConnectors: Object.fromEntries(inputs.map((i) => [i, dtype])), outConnectors: { out: dtype },
    code: { language: 'tasklet', body: [{ k: 'assign', target: { k: 'name', name: 'out' }, op: '=', value }], source },
  }) as Tasklet;
}

function access(state: State, data: string): AccessNode {
  return addNode(state, { kind: 'AccessNode', data, label: data, setzero: false, inConnectors: {}, outConnectors: {} }) as AccessNode;
}

/** `from -> entry[IN_x] ; entry[OUT_x] -> to.conn` (or the same through an exit), memlets propagated afterwards. */
function through(state: State, from: AccessNode | Tasklet, fromConn: string | null, scope: MapEntry | MapExit, to: AccessNode | Tasklet, toConn: string | null, inner: Memlet, outer: Memlet, base: string): void {
  addConnectorPair(scope, base);
  addEdge(state, from, fromConn, scope, `IN_${base}`, scope.kind === 'MapEntry' ? outer : inner);
  addEdge(state, scope, `OUT_${base}`, to, toConn, scope.kind === 'MapEntry' ? inner : outer);
}

function newMap(state: State, label: string, params: readonly string[], ranges: readonly Range[]) {
  const scope: MapScope = { label, params: [...params], ranges: [...ranges], schedule: 'Default', unroll: false, collapse: 1 };
  return addMapNodes(state, scope);
}

/** Expand one top-level MatMul node. */
function expand(sdfg: SDFG, state: State, node: LibraryNode & { op: { name: 'MatMul' } }): void {
  const a = operand(sdfg, state, node, '_a', 'in'), b = operand(sdfg, state, node, '_b', 'in'), c = operand(sdfg, state, node, '_c', 'out');
  if (!a || !b || !c) throw refuse(sdfg, state, node, 'it needs inputs _a and _b and output _c');
  const cin = operand(sdfg, state, node, '_cin', 'in');
  if (c.edge.memlet.wcr) throw refuse(sdfg, state, node, 'its output has a conflict resolution');
  const t = sdfg.arrays[c.edge.memlet.data!]!.dtype;
  const [M, K, N] = [rangeSize(a.dims[0]), rangeSize(a.dims[1]), rangeSize(b.dims[1])];
  const { alpha, beta } = node.op;
  const cData = c.edge.memlet.data!;
  // The initializing state reads C_in before this state runs: nothing here may write it first, nor touch C.
  const others = state.nodes.filter((n) => n !== node && n !== a.access && n !== b.access && n !== c.access && n !== cin?.access);
  if (others.some((n) => n.kind === 'AccessNode' && (n.data === cData || n.data === cin?.edge.memlet.data)) || (cin && inEdges(state, cin.access).length > 0)) {
    throw refuse(sdfg, state, node, `its state also uses ${cData}; give the product a state of its own`);
  }

  // C = beta · C_in (C itself when no _cin), or 0.
  const init = insertStateBefore(sdfg, state, `${node.label}_init`);
  const ij = [sym(`${node.label}_i`), sym(`${node.label}_j`)] as const;
  const initMap = newMap(init, `${node.label}_init`, [ij[0].toString(), ij[1].toString()], [range(int(0), M), range(int(0), N)]);
  const cOut = access(init, cData);
  const cWhole = makeMemlet(cData, c.edge.memlet.subset!);
  if (beta === 0) {
    const zero = tasklet(init, `${node.label}_zero`, [], num(0, t), 'out = 0', t);
    addEdge(init, initMap.entry, null, zero, null, emptyMemlet());
    through(init, zero, 'out', initMap.exit, cOut, null, makeMemlet(cData, element(c, ...ij)), cWhole, cData);
  } else {
    const source = cin ?? c;
    const sData = source.edge.memlet.data!;
    const scaled = tasklet(init, `${node.label}_scale`, ['cin'], beta === 1 ? name('cin') : times(num(beta, t), name('cin')), beta === 1 ? 'out = cin' : `out = ${beta} * cin`, t);
    through(init, access(init, sData), null, initMap.entry, scaled, 'cin', makeMemlet(sData, element(source, ...ij)), makeMemlet(sData, source.edge.memlet.subset!), sData);
    through(init, scaled, 'out', initMap.exit, cOut, null, makeMemlet(cData, element(c, ...ij)), cWhole, cData);
  }
  propagateMemletsInState(sdfg, init);

  // C[i, j] += alpha · A[i, k] · B[k, j] over i, j, k.
  const ijk = [...ij, sym(`${node.label}_k`)] as const;
  const map = newMap(state, node.label, ijk.map((e) => e.toString()), [range(int(0), M), range(int(0), N), range(int(0), K)]);
  const product = times(name('a'), name('b'));
  const multiply = tasklet(state, `${node.label}_multiply`, ['a', 'b'], alpha === 1 ? product : times(num(alpha, t), product), alpha === 1 ? 'out = a * b' : `out = ${alpha} * a * b`, t);
  for (const [op, conn, row, col] of [[a, 'a', ijk[0], ijk[2]], [b, 'b', ijk[2], ijk[1]]] as const) {
    const data = op.edge.memlet.data!;
    through(state, op.access, null, map.entry, multiply, conn, makeMemlet(data, element(op, row, col)), makeMemlet(data, op.edge.memlet.subset!), `${data}_${conn}`);
  }
  const sum = { wcr: { op: 'sum' as const } };
  through(state, multiply, 'out', map.exit, c.access, null, makeMemlet(cData, element(c, ijk[0], ijk[1]), sum), makeMemlet(cData, c.edge.memlet.subset!, sum), cData);
  removeNode(state, node);
  if (cin && outEdges(state, cin.access).length === 0) removeNode(state, cin.access);
  propagateMemletsInState(sdfg, state);
}

/** Expand every top-level MatMul node of an SDFG (in place); returns how many. */
export function expandMatMuls(sdfg: SDFG): number {
  let count = 0;
  for (const state of [...allStates(sdfg)]) {
    const dict = scopeDict(state);
    for (const n of [...state.nodes]) {
      if (n.kind !== 'LibraryNode' || n.op.name !== 'MatMul' || (dict.get(n.id) ?? null) !== null) continue;
      expand(sdfg, state, n as LibraryNode & { op: { name: 'MatMul' } });
      count++;
    }
  }
  return count;
}
