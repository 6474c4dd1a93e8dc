// The canonical text printer: exact text for hand-built graphs (dataflow, control flow, everything else), and its parts.
import assert from 'node:assert/strict';
import { f32, f64, i32, i64 } from '../../graph/dtypes.js';
import { makeArray, makeScalar, makeStream } from '../../graph/data.js';
import { int, sym } from '../../graph/symbolic.js';
import { fullSubset, index, range, subset } from '../../graph/subsets.js';
import { emptyMemlet, makeMemlet } from '../../graph/memlet.js';
import type { MapScope } from '../../graph/nodes.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import type { TExpr, TStmt } from '../../graph/tasklet-ast.js';
import {
  addBranch, addConditionalBlock, addEdge, addInterstateEdge, addLoopRegion, addNode, addRegion, addState, createSDFG,
} from '../../graph/construct.js';
import { printMemlet, printNode, printSDFG, printState } from '../../graph/printer.js';

// Tasklet ASTs by hand (the tasklet parser lives in dsl/, which graph/ tests do not use).
const name = (n: string): TExpr => ({ k: 'name', name: n });
const num = (value: number, isFloat = false): TExpr => ({ k: 'num', value, isFloat });
const bin = (op: '+' | '*' | '<' | '>' | '-', lhs: TExpr, rhs: TExpr): TExpr => ({ k: 'binary', op, lhs, rhs });
const assign = (target: string, value: TExpr, op: '=' | '+=' = '='): TStmt => ({ k: 'assign', target: { k: 'name', name: target }, op, value });
const [N, NI, NJ, NK, i, j, k] = ['N', 'NI', 'NJ', 'NK', 'i', 'j', 'k'].map(sym) as [
  ReturnType<typeof sym>, ReturnType<typeof sym>, ReturnType<typeof sym>, ReturnType<typeof sym>,
  ReturnType<typeof sym>, ReturnType<typeof sym>, ReturnType<typeof sym>,
];

function mapScope(label: string, params: string[], ranges: ReturnType<typeof range>[], schedule: MapScope['schedule'] = 'Default'): MapScope {
  return { label, params, ranges, schedule, unroll: false, collapse: 1 };
}

function access(state: State, data: string) {
  return addNode(state, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {} });
}

/** Dataflow: two maps, scope connectors, a write-conflict resolution, a transient on the heap. */
function gemmGraph(): SDFG {
  const g = createSDFG('gemm');
  for (const s of ['NI', 'NJ', 'NK']) g.symbols[s] = i64;
  g.arrays.A = makeArray(f64, [NI, NK]);
  g.arrays.B = makeArray(f64, [NK, NJ]);
  g.arrays.C = makeArray(f64, [NI, NJ]);
  g.arrays.alpha = makeScalar(f64);
  g.arrays.tmp = makeArray(f64, [NI], { transient: true, storage: 'CPU_Heap' });
  g.argNames = ['NI', 'NJ', 'NK', 'alpha', 'A', 'B', 'C'];

  const init = addState(g, 'init');
  const scale = mapScope('scale', ['i', 'j'], [range(0, NI), range(0, NJ)], 'CPU_Multicore');
  const c0 = access(init, 'C');
  const se = addNode(init, { kind: 'MapEntry', label: 'scale', map: scale, inConnectors: { IN_C: null }, outConnectors: { OUT_C: null } });
  const st = addNode(init, {
    kind: 'Tasklet', label: 'scale', inConnectors: { c: null }, outConnectors: { out: null },
    code: { language: 'tasklet', body: [assign('out', bin('*', name('c'), num(2, true)))] },
  });
  const sx = addNode(init, { kind: 'MapExit', label: 'scale', map: scale, inConnectors: { IN_C: null }, outConnectors: { OUT_C: null } });
  const c1 = access(init, 'C');
  addEdge(init, c0, null, se, 'IN_C', makeMemlet('C', fullSubset([NI, NJ])));
  addEdge(init, se, 'OUT_C', st, 'c', makeMemlet('C', subset(index(i), index(j))));
  addEdge(init, st, 'out', sx, 'IN_C', makeMemlet('C', subset(index(i), index(j))));
  addEdge(init, sx, 'OUT_C', c1, null, makeMemlet('C', fullSubset([NI, NJ])));

  const mul = addState(g, 'mul');
  const m = mapScope('gemm_map', ['i', 'j', 'k'], [range(0, NI), range(0, NJ), range(0, NK)]);
  const a = access(mul, 'A'), b = access(mul, 'B'), alpha = access(mul, 'alpha');
  const me = addNode(mul, {
    kind: 'MapEntry', label: 'gemm_map', map: m,
    inConnectors: { IN_A: null, IN_B: null, IN_alpha: null }, outConnectors: { OUT_A: null, OUT_B: null, OUT_alpha: null },
  });
  const t = addNode(mul, {
    kind: 'Tasklet', label: 'mul', inConnectors: { a: null, b: null, s: null }, outConnectors: { out: null },
    code: { language: 'tasklet', body: [assign('out', bin('*', bin('*', name('s'), name('a')), name('b')))] },
  });
  const mx = addNode(mul, { kind: 'MapExit', label: 'gemm_map', map: m, inConnectors: { IN_C: null }, outConnectors: { OUT_C: null } });
  const c = access(mul, 'C');
  addEdge(mul, a, null, me, 'IN_A', makeMemlet('A', fullSubset([NI, NK])));
  addEdge(mul, b, null, me, 'IN_B', makeMemlet('B', fullSubset([NK, NJ])));
  addEdge(mul, alpha, null, me, 'IN_alpha', makeMemlet('alpha', subset(index(0))));
  addEdge(mul, me, 'OUT_A', t, 'a', makeMemlet('A', subset(index(i), index(k))));
  addEdge(mul, me, 'OUT_B', t, 'b', makeMemlet('B', subset(index(k), index(j))));
  addEdge(mul, me, 'OUT_alpha', t, 's', makeMemlet('alpha', subset(index(0))));
  addEdge(mul, t, 'out', mx, 'IN_C', makeMemlet('C', subset(index(i), index(j)), { wcr: { op: 'sum' } }));
  addEdge(mul, mx, 'OUT_C', c, null, makeMemlet('C', fullSubset([NI, NJ]), { wcr: { op: 'sum' } }));
  addInterstateEdge(g, init, mul);
  return g;
}

const gemmText = `sdfg gemm
  symbol NI: int64
  symbol NJ: int64
  symbol NK: int64
  array A: float64[NI, NK]
  array B: float64[NK, NJ]
  array C: float64[NI, NJ]
  scalar alpha: float64
  array tmp: float64[NI] (transient, storage CPU_Heap)
  args NI, NJ, NK, alpha, A, B, C
  state s0 "init"
    n0 access C
    n1 map_entry scale [i = 0:NI, j = 0:NJ] CPU_Multicore
    n2 tasklet scale (c -> out) {out = c * 2.0}
    n3 map_exit scale
    n4 access C
    e0 n0 -> n1.IN_C  C[0:NI, 0:NJ]
    e1 n1.OUT_C -> n2.c  C[i, j]
    e2 n2.out -> n3.IN_C  C[i, j]
    e3 n3.OUT_C -> n4  C[0:NI, 0:NJ]
  state s1 "mul"
    n0 access A
    n1 access B
    n2 access alpha
    n3 map_entry gemm_map [i = 0:NI, j = 0:NJ, k = 0:NK]
    n4 tasklet mul (a, b, s -> out) {out = s * a * b}
    n5 map_exit gemm_map
    n6 access C
    e0 n0 -> n3.IN_A  A[0:NI, 0:NK]
    e1 n1 -> n3.IN_B  B[0:NK, 0:NJ]
    e2 n2 -> n3.IN_alpha  alpha[0]
    e3 n3.OUT_A -> n4.a  A[i, k]
    e4 n3.OUT_B -> n4.b  B[k, j]
    e5 n3.OUT_alpha -> n4.s  alpha[0]
    e6 n4.out -> n5.IN_C  C[i, j] (wcr sum)
    e7 n5.OUT_C -> n6  C[0:NI, 0:NJ] (wcr sum)
  edge s0 -> s1`;

/** Control flow: a loop, a conditional with an else branch, a plain region, a start block that is not the first. */
function controlFlowGraph(): SDFG {
  const g = createSDFG('flow');
  g.symbols.N = i32;
  g.arrays.x = makeArray(f32, [N]);
  g.argNames = ['x', 'N'];
  const setup = addState(g, 'setup');
  const loop = addLoopRegion(g, 'for_t', {
    loopVariable: 't', init: num(0), condition: bin('<', name('t'), name('N')), update: bin('+', name('t'), num(1)),
  });
  const body = addState(loop, 'body');
  const tasklet = addNode(body, {
    kind: 'Tasklet', label: 'step', inConnectors: {}, outConnectors: { out: null },
    code: {
      language: 'tasklet',
      body: [
        { k: 'let', name: 'v', dtype: f32, value: name('t') },
        { k: 'if', cond: bin('>', name('v'), num(2)), then: [assign('out', name('v'))], else: [assign('out', num(0))] },
      ],
    },
  });
  addEdge(body, tasklet, 'out', access(body, 'x'), null, makeMemlet('x', subset(index(sym('t')))));
  const cond = addConditionalBlock(g, 'check');
  addState(addBranch(cond, bin('>', name('N'), num(10))), 'big');
  const small = addBranch(cond, null);
  addState(small, 'small_a');
  addState(small, 'small_b');
  addInterstateEdge(small, small.blocks[0]!, small.blocks[1]!, { assignments: { s: num(1) } });
  const region = addRegion(g, 'tail');
  addState(region, 'last');
  const wait = addLoopRegion(g, 'spin', { loopVariable: null, init: null, condition: name('busy'), update: null, inverted: true });
  addState(wait, 'poll');
  addInterstateEdge(g, setup, loop, { condition: bin('>', name('N'), num(0)), assignments: { t0: num(0), u: bin('-', name('N'), num(1)) } });
  addInterstateEdge(g, loop, cond);
  addInterstateEdge(g, cond, region);
  addInterstateEdge(g, region, wait);
  g.startBlock = loop.id; // entered at the loop: printed as `start l1`
  return g;
}

const controlFlowText = `sdfg flow
  symbol N: int32
  array x: float32[N]
  args x, N
  start l1
  state s0 "setup"
  loop l1 "for_t" for (t = 0; t < N; t = t + 1)
    state s0 "body"
      n0 tasklet step (-> out) {let v: f32 = t; if (v > 2) { out = v } else { out = 0 }}
      n1 access x
      e0 n0.out -> n1  x[t]
  if c2 "check"
    branch r0 "check_branch0" if (N > 10)
      state s0 "big"
    branch r1 "check_branch1" else
      state s0 "small_a"
      state s1 "small_b"
      edge s0 -> s1 assign s = 1
  region r3 "tail"
    state s0 "last"
  loop l4 "spin" do-while (busy)
    state s0 "poll"
  edge s0 -> l1 if (N > 0) assign t0 = 0, u = N - 1
  edge l1 -> c2
  edge c2 -> r3
  edge r3 -> l4`;

/** Everything else: a nested SDFG, a library node, a consume scope, raw code, and every memlet decoration. */
function assortedGraph(): SDFG {
  const g = createSDFG('assorted');
  g.symbols.N = i64;
  g.constants.PI = { dtype: f64, value: 3.5 };
  g.arrays['in data'] = makeArray(f64, [N, 4], { strides: [1, N] });
  g.arrays.out = makeArray(f64, [N]);
  g.arrays.q = makeStream(f32, 8, { transient: true });
  g.arrays.v = { ...makeArray(f64, [4], { storage: 'GPU_Global' }), kind: 'View' };
  g.argNames = ['in data', 'out', 'N'];
  const s = addState(g, 'main');

  const inner = createSDFG('inner');
  inner.symbols.M = i64;
  inner.arrays.a = makeArray(f64, [sym('M')]);
  addState(inner, 'empty');
  const nested = addNode(s, {
    kind: 'NestedSDFG', label: 'call_inner', sdfg: inner, symbolMapping: { M: N.add(1) },
    inConnectors: { a: null }, outConnectors: {},
  });
  const src = access(s, 'in data');
  addEdge(s, src, null, nested, 'a', makeMemlet('in data', subset(range(0, N), index(0)), { volume: N.add(1), dynamic: true }));

  const reduce = addNode(s, {
    kind: 'LibraryNode', label: 'sum_rows', op: { name: 'Reduce', axes: [1], wcr: { op: 'sum' }, identity: 0 },
    implementation: 'pure', schedule: 'Default', inConnectors: { _in: null }, outConnectors: { _out: null },
  });
  const out = access(s, 'out');
  addEdge(s, src, null, reduce, '_in', makeMemlet('in data', fullSubset([N, 4])));
  addEdge(s, reduce, '_out', out, null, makeMemlet('out', fullSubset([N]), {
    wcr: { op: 'custom', params: ['a', 'b'], body: { k: 'call', fn: 'max', args: [name('a'), name('b')] } },
  }));

  const consume = { label: 'drain', peIndex: 'p', numPes: int(2), condition: null, schedule: 'Default' as const, chunksize: 1 };
  const ce = addNode(s, { kind: 'ConsumeEntry', label: 'drain', consume, inConnectors: { IN_q: null }, outConnectors: { OUT_q: f32 } });
  const raw = addNode(s, {
    kind: 'Tasklet', label: 'show', inConnectors: { x: f32 }, outConnectors: {},
    code: { language: 'CPP', source: 'printf("%f\\n", x);' },
  });
  const cx = addNode(s, { kind: 'ConsumeExit', label: 'drain', consume, inConnectors: {}, outConnectors: {} });
  addEdge(s, access(s, 'q'), null, ce, 'IN_q', makeMemlet('q', subset(index(0)), { dynamic: true }));
  addEdge(s, ce, 'OUT_q', raw, 'x', makeMemlet('q', subset(index(0))));
  addEdge(s, raw, null, cx, null, emptyMemlet());
  addEdge(s, out, null, access(s, 'v'), null, makeMemlet('out', subset(range(0, 4)), { otherSubset: subset(range(0, 4)) }));
  return g;
}

const assortedText = `sdfg assorted
  symbol N: int64
  constant PI: float64 = 3.5
  array "in data": float64[N, 4] (strides [1, N])
  array out: float64[N]
  stream q: float32 (buffer 8, transient)
  view v: float64[4] (storage GPU_Global)
  args "in data", out, N
  state s0 "main"
    n0 nested_sdfg call_inner (a ->) with M = N + 1
      sdfg inner
        symbol M: int64
        array a: float64[M]
        state s0 "empty"
    n1 access "in data"
    n2 library sum_rows (_in -> _out) Reduce axes [1] wcr sum identity 0 impl pure
    n3 access out
    n4 consume_entry drain [p of 2] (IN_q -> OUT_q: float32)
    n5 tasklet show (x: float32 ->) CPP "printf(\\"%f\\\\n\\", x);"
    n6 consume_exit drain
    n7 access q
    n8 access v
    e0 n1 -> n0.a  "in data"[0:N, 0] (volume N + 1, dynamic)
    e1 n1 -> n2._in  "in data"[0:N, 0:4]
    e2 n2._out -> n3  out[0:N] (wcr (a, b) => max(a, b))
    e3 n7 -> n4.IN_q  q[0] (dynamic)
    e4 n4.OUT_q -> n5.x  q[0]
    e5 n5 -> n6  (empty)
    e6 n3 -> n8  out[0:4] (other [0:4])`;

describe('graph/printer', () => {
  it('prints dataflow: maps, tasklets, scope connectors, wcr, descriptors', () => {
    assert.equal(printSDFG(gemmGraph()), gemmText);
  });

  it('prints control flow: loops, branches, regions, interstate edges, a start block', () => {
    assert.equal(printSDFG(controlFlowGraph()), controlFlowText);
  });

  it('prints nested SDFGs, library nodes, consume scopes, raw code and memlet decorations', () => {
    assert.equal(printSDFG(assortedGraph()), assortedText);
  });

  it('prints in id order whatever the order of the arrays', () => {
    const g = gemmGraph();
    const state = g.blocks[1] as State;
    state.nodes.reverse();
    state.edges.reverse();
    g.blocks.reverse();
    assert.equal(printSDFG(g), gemmText);
  });

  it('prints one node, one memlet, one state on their own for error messages', () => {
    const g = gemmGraph();
    const state = g.blocks[1] as State;
    assert.equal(printNode(state.nodes[3]!), 'n3 map_entry gemm_map [i = 0:NI, j = 0:NJ, k = 0:NK]');
    assert.equal(printMemlet(state.edges[6]!.memlet), 'C[i, j] (wcr sum)');
    assert.equal(printMemlet(emptyMemlet()), '(empty)');
    assert.equal(printState(state).split('\n')[0], 'state s1 "mul"');
    assert.equal(printState(state).split('\n')[1], '  n0 access A');
  });

  it('shows map options, node labels that differ and a missing start block', () => {
    const g = createSDFG('opts');
    const s = addState(g, 'only');
    const m: MapScope = { ...mapScope('m', ['i'], [range(0, 8, 2)], 'GPU_Device'), unroll: true, collapse: 2, gpuBlockSize: [64, 1] };
    addNode(s, { kind: 'MapEntry', label: 'renamed', map: m, inConnectors: {}, outConnectors: {} });
    addNode(s, { kind: 'AccessNode', label: 'A', data: 'B', setzero: true, inConnectors: {}, outConnectors: {} });
    g.startBlock = null;
    assert.equal(printSDFG(g), [
      'sdfg opts',
      '  start none',
      '  state s0 "only"',
      '    n0 map_entry m [i = 0:8:2] GPU_Device unroll collapse 2 block [64, 1] label "renamed"',
      '    n1 access B label "A" setzero',
    ].join('\n'));
  });
});
