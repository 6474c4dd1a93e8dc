// Test programs for the C++ target, built with graph/construct.ts (a small helper for maps around one tasklet).
import { addBranch, addConditionalBlock, addEdge, addInterstateEdge, addLoopRegion, addNode, addState, createSDFG } from '../../../graph/construct.js';
import { makeArray, makeScalar, makeStream, type ArrayOptions } from '../../../graph/data.js';
import { f64, i32, i64, u8, type DType } from '../../../graph/dtypes.js';
import { makeMemlet, type Wcr } from '../../../graph/memlet.js';
import type { AccessNode, MapEntry, MapExit, Node, ScheduleType } from '../../../graph/nodes.js';
import { propagateMemletsInState } from '../../../graph/propagate.js';
import type { SDFG, State } from '../../../graph/sdfg.js';
import { parseSubset } from '../../../graph/subsets.js';
import { type ExprLike, int, sym } from '../../../graph/symbolic.js';
import { parseTasklet, parseTaskletExpr } from '../../../dsl/tasklet-parser.js';
import type { TExpr } from '../../../graph/tasklet-ast.js';

export function newSDFG(name: string, symbols: readonly string[] = []): SDFG {
  const sdfg = createSDFG(name);
  for (const s of symbols) {
    sdfg.symbols[s] = i64;
    sdfg.argNames.push(s);
  }
  return sdfg;
}

export function array(sdfg: SDFG, name: string, dtype: DType, shape: readonly (ExprLike | string)[], options: ArrayOptions = {}): void {
  sdfg.arrays[name] = makeArray(dtype, shape.map((s) => (typeof s === 'string' ? sym(s) : s)), options);
  if (!options.transient) sdfg.argNames.push(name);
}

export function scalar(sdfg: SDFG, name: string, dtype: DType, transient = false): void {
  sdfg.arrays[name] = makeScalar(dtype, { transient });
  if (!transient) sdfg.argNames.push(name);
}

export function stream(sdfg: SDFG, name: string, dtype: DType, bufferSize: ExprLike): void {
  sdfg.arrays[name] = makeStream(dtype, bufferSize, { transient: true });
}

export const access = (state: State, data: string): AccessNode =>
  addNode(state, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {} });

/** "A[i, j]" → memlet of A at that subset. */
export function memletOf(text: string, wcr: Wcr | null = null, options: { dynamic?: boolean } = {}): ReturnType<typeof makeMemlet> {
  const m = /^(\w+)\[(.*)\]$/.exec(text.trim());
  if (!m) throw new Error(`bad memlet text ${text}`);
  return makeMemlet(m[1]!, parseSubset(m[2]!), { wcr, ...(options.dynamic ? { dynamic: true } : {}) });
}

export function tasklet(state: State, label: string, ins: readonly string[], outs: readonly string[], code: string, language: 'tasklet' | 'CPP' = 'tasklet'): Node {
  return addNode(state, {
    kind: 'Tasklet', label,
    code: language === 'tasklet' ? { language, body: parseTasklet(code), source: code } : { language, source: code },
    inConnectors: Object.fromEntries(ins.map((c) => [c, null])), outConnectors: Object.fromEntries(outs.map((c) => [c, null])),
  });
}

export interface Output { readonly memlet: string; readonly wcr?: Wcr; readonly dynamic?: boolean }

/**
 * `map ranges { tasklet }` reading and writing through access nodes: inputs and outputs are connector → "A[i]".
 * Returns the entry; memlets on the outer side are propagated.
 */
export function mapTasklet(
  sdfg: SDFG, state: State, label: string, ranges: string, inputs: Record<string, string>, outputs: Record<string, string | Output>, code: string,
  options: { schedule?: ScheduleType; language?: 'tasklet' | 'CPP' } = {},
): MapEntry {
  const parts = ranges.split(',').map((r) => r.split('=').map((x) => x.trim()) as [string, string]);
  const map = {
    label, params: parts.map(([p]) => p), ranges: parts.map(([, r]) => parseSubset(r).ranges[0]!),
    schedule: options.schedule ?? 'Default', unroll: false, collapse: 1,
  };
  const entry = addNode(state, { kind: 'MapEntry', label, map, inConnectors: {}, outConnectors: {} }) as MapEntry;
  const exit = addNode(state, { kind: 'MapExit', label, map, inConnectors: {}, outConnectors: {} }) as MapExit;
  const t = tasklet(state, `${label}_tasklet`, Object.keys(inputs), Object.keys(outputs), code, options.language);
  for (const [conn, text] of Object.entries(inputs)) {
    const m = memletOf(text);
    if (!(`IN_${m.data}` in entry.inConnectors)) {
      entry.inConnectors[`IN_${m.data}`] = null;
      entry.outConnectors[`OUT_${m.data}`] = null;
      addEdge(state, access(state, m.data!), null, entry, `IN_${m.data}`, memletOf(text));
    }
    addEdge(state, entry, `OUT_${m.data}`, t, conn, m);
  }
  if (Object.keys(inputs).length === 0) addEdge(state, entry, null, t, null, { data: null, subset: null, otherSubset: null, volume: int(0), dynamic: false, wcr: null });
  for (const [conn, spec] of Object.entries(outputs)) {
    const o: Output = typeof spec === 'string' ? { memlet: spec } : spec;
    const m = memletOf(o.memlet, o.wcr ?? null, { dynamic: o.dynamic ?? false });
    const a = access(state, m.data!);
    exit.inConnectors[`IN_${m.data}`] = null;
    exit.outConnectors[`OUT_${m.data}`] = null;
    addEdge(state, t, conn, exit, `IN_${m.data}`, m);
    addEdge(state, exit, `OUT_${m.data}`, a, null, memletOf(o.memlet, o.wcr ?? null));
  }
  propagateMemletsInState(sdfg, state);
  return entry;
}

export { addState, addEdge, addNode };

// ---------------------------------------------------------------------------------------------
// The programs of the C++ target's tests.

const expr = (text: string): TExpr => parseTaskletExpr(text);

/** y = a * x + y (of a constant length when `length` is given) */
export function axpy(length?: number): SDFG {
  const sdfg = newSDFG('axpy', length === undefined ? ['N'] : []);
  const n = length === undefined ? 'N' : String(length);
  array(sdfg, 'x', f64, [length ?? 'N']);
  array(sdfg, 'y', f64, [length ?? 'N']);
  scalar(sdfg, 'a', f64);
  const st = addState(sdfg, 'main');
  mapTasklet(sdfg, st, 'axpy_map', `i = 0:${n}`, { xi: 'x[i]', yi: 'y[i]', s: 'a[0]' }, { out: 'y[i]' }, 'out = s * xi + yi');
  return sdfg;
}

/** result += Σ x[i] * y[i], and the largest product (a min/max reduction). */
export function dot(): SDFG {
  const sdfg = newSDFG('dot', ['N']);
  array(sdfg, 'x', f64, ['N']);
  array(sdfg, 'y', f64, ['N']);
  scalar(sdfg, 'result', f64);
  scalar(sdfg, 'largest', f64);
  const st = addState(sdfg, 'main');
  mapTasklet(sdfg, st, 'dot_map', 'i = 0:N', { a: 'x[i]', b: 'y[i]' },
    { out: { memlet: 'result[0]', wcr: { op: 'sum' } }, top: { memlet: 'largest[0]', wcr: { op: 'max' } } },
    'out = a * b\ntop = a * b');
  return sdfg;
}

/** T Jacobi sweeps over the interior of an N×N grid: a loop region around a map and a copy back. */
export function stencil(): SDFG {
  const sdfg = newSDFG('stencil', ['N', 'T']);
  array(sdfg, 'A', f64, ['N', 'N']);
  array(sdfg, 'B', f64, ['N', 'N'], { transient: true });
  const loop = addLoopRegion(sdfg, 'sweeps', { loopVariable: 't', init: expr('0'), condition: expr('t < T'), update: expr('t + 1') });
  const compute = addState(loop, 'compute');
  mapTasklet(sdfg, compute, 'jacobi', 'i = 1:N-1, j = 1:N-1',
    { c: 'A[i, j]', n: 'A[i-1, j]', s: 'A[i+1, j]', w: 'A[i, j-1]', e: 'A[i, j+1]' }, { out: 'B[i, j]' },
    'out = 0.2 * (c + n + s + w + e)');
  const back = addState(loop, 'copy_back');
  addInterstateEdge(loop, compute, back);
  const m = makeMemlet('B', parseSubset('1:N-1, 1:N-1'), { otherSubset: parseSubset('1:N-1, 1:N-1') });
  addEdge(back, access(back, 'B'), null, access(back, 'A'), null, m);
  return sdfg;
}

/** Copies between subsets: a 2-D window, a reshape, a strided row, and a copy that accumulates (wcr). */
export function copies(): SDFG {
  const sdfg = newSDFG('copies');
  array(sdfg, 'A', f64, [8, 6]);
  array(sdfg, 'B', f64, [4, 2]);
  array(sdfg, 'C', f64, [8]);
  array(sdfg, 'D', f64, [3]);
  const st = addState(sdfg, 'main');
  const a = access(st, 'A'), b = access(st, 'B');
  addEdge(st, a, null, b, null, makeMemlet('A', parseSubset('2:6, 1:3')));
  addEdge(st, b, null, access(st, 'C'), null, makeMemlet('B', parseSubset('0:4, 0:2')));
  addEdge(st, a, null, access(st, 'D'), null, makeMemlet('A', parseSubset('5, 0:6:2'), { wcr: { op: 'sum' } }));
  return sdfg;
}

/** C = alpha A @ B (+ beta C) through the MatMul library node. */
export function matmul(beta = 0): SDFG {
  const sdfg = newSDFG(beta === 0 ? 'matmul' : 'matmul_beta', ['M', 'K', 'N']);
  array(sdfg, 'A', f64, ['M', 'K']);
  array(sdfg, 'B', f64, ['K', 'N']);
  array(sdfg, 'C', f64, ['M', 'N']);
  const st = addState(sdfg, 'main');
  const node = addNode(st, {
    kind: 'LibraryNode', label: 'gemm', op: { name: 'MatMul', alpha: 1.5, beta }, implementation: null, schedule: 'Default',
    inConnectors: beta !== 0 ? { _a: null, _b: null, _cin: null } : { _a: null, _b: null }, outConnectors: { _c: null },
  });
  addEdge(st, access(st, 'A'), null, node, '_a', makeMemlet('A', parseSubset('0:M, 0:K')));
  addEdge(st, access(st, 'B'), null, node, '_b', makeMemlet('B', parseSubset('0:K, 0:N')));
  if (beta !== 0) addEdge(st, access(st, 'C'), null, node, '_cin', makeMemlet('C', parseSubset('0:M, 0:N')));
  addEdge(st, node, '_c', access(st, 'C'), null, makeMemlet('C', parseSubset('0:M, 0:N')));
  return sdfg;
}

function reduceNode(st: State, label: string, axes: number[] | null, wcr: Wcr, identity: number | null, input: string, output: string): void {
  const node = addNode(st, {
    kind: 'LibraryNode', label, op: { name: 'Reduce', axes, wcr, identity }, implementation: null, schedule: 'Default',
    inConnectors: { _in: null }, outConnectors: { _out: null },
  });
  const i = memletOf(input), o = memletOf(output);
  addEdge(st, access(st, i.data!), null, node, '_in', i);
  addEdge(st, node, '_out', access(st, o.data!), null, o);
}

/** Row sums, column maxima (no identity), and the product of everything. */
export function reductions(): SDFG {
  const sdfg = newSDFG('reductions', ['N', 'M']);
  array(sdfg, 'A', f64, ['N', 'M']);
  array(sdfg, 'rows', f64, ['N']);
  array(sdfg, 'cols', f64, ['M']);
  scalar(sdfg, 'total', f64);
  const st = addState(sdfg, 'main');
  reduceNode(st, 'row_sums', [1], { op: 'sum' }, 0, 'A[0:N, 0:M]', 'rows[0:N]');
  reduceNode(st, 'col_max', [0], { op: 'max' }, null, 'A[0:N, 0:M]', 'cols[0:M]');
  reduceNode(st, 'everything', null, { op: 'product' }, 1, 'A[0:N, 0:M]', 'total[0]');
  return sdfg;
}

/** A producer map pushes 2·A[i] into a stream; a consume scope sums and counts what it pops. */
export function streams(): SDFG {
  const sdfg = newSDFG('streams', ['N']);
  array(sdfg, 'A', f64, ['N']);
  scalar(sdfg, 'total', f64);
  scalar(sdfg, 'count', i64);
  stream(sdfg, 'S', f64, 4);
  const produce = addState(sdfg, 'produce');
  mapTasklet(sdfg, produce, 'producer', 'i = 0:N', { a: 'A[i]' }, { out: 'S[0]' }, 'out = 2.0 * a', { schedule: 'Sequential' });
  const consume = addState(sdfg, 'consume');
  addInterstateEdge(sdfg, produce, consume);
  const scope = { label: 'consumer', peIndex: 'p', numPes: int(1), condition: null, schedule: 'Sequential' as const, chunksize: 1 };
  const entry = addNode(consume, { kind: 'ConsumeEntry', label: 'consumer', consume: scope, inConnectors: { IN_S: null }, outConnectors: { OUT_S: null } });
  const exit = addNode(consume, { kind: 'ConsumeExit', label: 'consumer', consume: scope, inConnectors: { IN_total: null, IN_count: null }, outConnectors: { OUT_total: null, OUT_count: null } });
  const t = tasklet(consume, 'accumulate', ['v'], ['s', 'c'], 's = v\nc = 1');
  addEdge(consume, access(consume, 'S'), null, entry, 'IN_S', makeMemlet('S', parseSubset('0'), { dynamic: true }));
  addEdge(consume, entry, 'OUT_S', t, 'v', makeMemlet('S', parseSubset('0')));
  addEdge(consume, t, 's', exit, 'IN_total', makeMemlet('total', parseSubset('0'), { wcr: { op: 'sum' } }));
  addEdge(consume, t, 'c', exit, 'IN_count', makeMemlet('count', parseSubset('0'), { wcr: { op: 'sum' } }));
  addEdge(consume, exit, 'OUT_total', access(consume, 'total'), null, makeMemlet('total', parseSubset('0'), { wcr: { op: 'sum' } }));
  addEdge(consume, exit, 'OUT_count', access(consume, 'count'), null, makeMemlet('count', parseSubset('0'), { wcr: { op: 'sum' } }));
  return sdfg;
}

/** A map over rows calling a nested SDFG on each row: b[j] = a[j] * a[j] + j. */
export function nested(): SDFG {
  const inner = newSDFG('row_kernel', ['M']);
  array(inner, 'a', f64, ['M']);
  array(inner, 'b', f64, ['M']);
  mapTasklet(inner, addState(inner, 'row'), 'row_map', 'j = 0:M', { x: 'a[j]' }, { y: 'b[j]' }, 'y = x * x + f64(j)');
  const sdfg = newSDFG('nested', ['N', 'M']);
  array(sdfg, 'A', f64, ['N', 'M']);
  array(sdfg, 'B', f64, ['N', 'M']);
  const st = addState(sdfg, 'main');
  const map = { label: 'rows', params: ['i'], ranges: parseSubset('0:N').ranges.slice(), schedule: 'Default' as const, unroll: false, collapse: 1 };
  const entry = addNode(st, { kind: 'MapEntry', label: 'rows', map, inConnectors: { IN_A: null }, outConnectors: { OUT_A: null } });
  const exit = addNode(st, { kind: 'MapExit', label: 'rows', map, inConnectors: { IN_B: null }, outConnectors: { OUT_B: null } });
  const call = addNode(st, { kind: 'NestedSDFG', label: 'row_call', sdfg: inner, symbolMapping: { M: sym('M') }, inConnectors: { a: null }, outConnectors: { b: null } });
  addEdge(st, access(st, 'A'), null, entry, 'IN_A', makeMemlet('A', parseSubset('0:N, 0:M')));
  addEdge(st, entry, 'OUT_A', call, 'a', makeMemlet('A', parseSubset('i, 0:M')));
  addEdge(st, call, 'b', exit, 'IN_B', makeMemlet('B', parseSubset('i, 0:M')));
  addEdge(st, exit, 'OUT_B', access(st, 'B'), null, makeMemlet('B', parseSubset('0:N, 0:M')));
  return sdfg;
}

/** if (flag > 0 && N > 4) A *= 2 else if (N > 2) A = -A else A += 1 */
export function conditional(): SDFG {
  const sdfg = newSDFG('conditional', ['N']);
  array(sdfg, 'A', f64, ['N']);
  scalar(sdfg, 'flag', f64);
  const block = addConditionalBlock(sdfg, 'choose');
  const bodies: [string | null, string][] = [['flag > 0.0 && N > 4', 'out = 2.0 * a'], ['N > 2', 'out = -a'], [null, 'out = a + 1.0']];
  bodies.forEach(([cond, code], k) => {
    const region = addBranch(block, cond === null ? null : expr(cond));
    mapTasklet(sdfg, addState(region, `branch${k}`), `update${k}`, 'i = 0:N', { a: 'A[i]' }, { out: 'A[i]' }, code);
  });
  return sdfg;
}

/** A loop written as interstate edges (k = 0; while k < N: A[k] += k; k++), then A[0] *= 2: emitted with labels. */
export function stateMachine(): SDFG {
  const sdfg = newSDFG('state_machine', ['N']);
  sdfg.symbols['k'] = i64;
  array(sdfg, 'A', f64, ['N']);
  const init = addState(sdfg, 'init');
  const body = addState(sdfg, 'body');
  const done = addState(sdfg, 'done');
  const t = tasklet(body, 'bump', ['a'], ['out'], 'out = a + f64(k)');
  addEdge(body, access(body, 'A'), null, t, 'a', memletOf('A[k]'));
  addEdge(body, t, 'out', access(body, 'A'), null, memletOf('A[k]'));
  const t2 = tasklet(done, 'twice', ['a'], ['out'], 'out = 2.0 * a');
  addEdge(done, access(done, 'A'), null, t2, 'a', memletOf('A[0]'));
  addEdge(done, t2, 'out', access(done, 'A'), null, memletOf('A[0]'));
  addInterstateEdge(sdfg, init, body, { condition: expr('N > 0'), assignments: { k: expr('0') } });
  addInterstateEdge(sdfg, body, body, { condition: expr('k + 1 < N'), assignments: { k: expr('k + 1') } });
  addInterstateEdge(sdfg, body, done, { condition: expr('k + 1 >= N') });
  return sdfg;
}

/** Conflicting writes inside a parallel map: a histogram (atomic add), bin minima (compare-and-swap), a custom maximum. */
export function histogram(): SDFG {
  const sdfg = newSDFG('histogram', ['N', 'B']);
  array(sdfg, 'idx', i32, ['N']);
  array(sdfg, 'val', f64, ['N']);
  array(sdfg, 'count', i64, ['B']);
  array(sdfg, 'low', f64, ['B']);
  array(sdfg, 'high', f64, ['B']);
  const st = addState(sdfg, 'main');
  const custom: Wcr = { op: 'custom', params: ['p', 'q'], body: expr('p > q ? p : q') };
  mapTasklet(sdfg, st, 'bins', 'i = 0:N', { b: 'idx[i]', v: 'val[i]' }, {
    one: { memlet: 'count[0:B]', wcr: { op: 'sum' } }, lo: { memlet: 'low[0:B]', wcr: { op: 'min' } }, hi: { memlet: 'high[0:B]', wcr: custom },
  }, 'one[b] = 1\nlo[b] = v\nhi[b] = v');
  return sdfg;
}

/** Array-valued connectors, tasklet loops, and transients private to a map (a small one per iteration, a large one per thread). */
export function rows(): SDFG {
  const sdfg = newSDFG('rows', ['N', 'M']);
  array(sdfg, 'A', f64, ['N', 'M']);
  array(sdfg, 'x', f64, ['M']);
  array(sdfg, 'y', f64, ['N']);
  array(sdfg, 'small', f64, [4], { transient: true });
  array(sdfg, 'large', f64, ['M'], { transient: true });
  const st = addState(sdfg, 'main');
  const map = { label: 'row_map', params: ['i'], ranges: parseSubset('0:N').ranges.slice(), schedule: 'CPU_Multicore' as const, unroll: false, collapse: 1 };
  const entry = addNode(st, { kind: 'MapEntry', label: 'row_map', map, inConnectors: { IN_A: null, IN_x: null }, outConnectors: { OUT_A: null, OUT_x: null } });
  const exit = addNode(st, { kind: 'MapExit', label: 'row_map', map, inConnectors: { IN_y: null }, outConnectors: { OUT_y: null } });
  const scale = tasklet(st, 'scale', ['row', 'v'], ['tmp', 'part'],
    'for (k in 0:M) {\n  tmp[k] = row[k] * v[k]\n}\nfor (q in 0:4) {\n  part[q] = f64(q) * row[0]\n}');
  const sum = tasklet(st, 'sum', ['tmp', 'part'], ['out'], 'let s = 0.0\nfor (k in 0:M) {\n  s += tmp[k]\n}\nout = s + part[0] + part[1] + part[2] + part[3]');
  addEdge(st, access(st, 'A'), null, entry, 'IN_A', memletOf('A[0:N, 0:M]'));
  addEdge(st, access(st, 'x'), null, entry, 'IN_x', memletOf('x[0:M]'));
  addEdge(st, entry, 'OUT_A', scale, 'row', memletOf('A[i, 0:M]'));
  addEdge(st, entry, 'OUT_x', scale, 'v', memletOf('x[0:M]'));
  const large = access(st, 'large'), small = access(st, 'small');
  addEdge(st, scale, 'tmp', large, null, memletOf('large[0:M]'));
  addEdge(st, scale, 'part', small, null, memletOf('small[0:4]'));
  addEdge(st, large, null, sum, 'tmp', memletOf('large[0:M]'));
  addEdge(st, small, null, sum, 'part', memletOf('small[0:4]'));
  addEdge(st, sum, 'out', exit, 'IN_y', memletOf('y[i]'));
  addEdge(st, exit, 'OUT_y', access(st, 'y'), null, memletOf('y[0:N]'));
  return sdfg;
}

/** Integer semantics: u8 wrap-around, C division and remainder, integer powers, shifts. */
export function integers(): SDFG {
  const sdfg = newSDFG('integers', ['N']);
  array(sdfg, 'a', u8, ['N']);
  array(sdfg, 'b', i32, ['N']);
  array(sdfg, 'c', i32, ['N']);
  array(sdfg, 'd', i64, ['N']);
  const st = addState(sdfg, 'main');
  mapTasklet(sdfg, st, 'wrap', 'i = 0:N', { x: 'a[i]' }, { y: 'a[i]' }, 'y = x * x + 200');
  mapTasklet(sdfg, st, 'divide', 'i = 0:N', { p: 'b[i]', q: 'c[i]' }, { r: 'b[i]', s: 'c[i]' },
    'if (q != 0) {\n  r = p / q\n  s = p % q\n} else {\n  r = p ** 2 - (p >> 1)\n  s = (p << 3) ^ 5\n}');
  mapTasklet(sdfg, st, 'wide', 'i = 0:N', { v: 'd[i]' }, { w: 'd[i]' }, 'w = v * 3 - i');
  return sdfg;
}

/** A raw C++ tasklet (the escape hatch): pasted as written, connectors declared around it. */
export function rawCpp(code = 'w = v * 3 - (int64_t)i;'): SDFG {
  const sdfg = newSDFG('raw_cpp', ['N']);
  array(sdfg, 'd', i64, ['N']);
  mapTasklet(sdfg, addState(sdfg, 'main'), 'raw', 'i = 0:N', { v: 'd[i]' }, { w: 'd[i]' }, code, { language: 'CPP' });
  return sdfg;
}

/** Views: a row of A seen as a vector, and A seen flat (a reshape), each updated through a map. */
export function views(): SDFG {
  const sdfg = newSDFG('views', ['N', 'M']);
  array(sdfg, 'A', f64, ['N', 'M']);
  sdfg.arrays['row'] = { ...makeArray(f64, [sym('M')], { transient: true }), kind: 'View' };
  sdfg.arrays['flat'] = { ...makeArray(f64, [sym('N').mul(sym('M'))], { transient: true }), kind: 'View' };
  const update = (st: State, view: string, viewed: string, ranges: string, code: string): void => {
    mapTasklet(sdfg, st, `${view}_update`, ranges, { v: `${view}[k]` }, { w: `${view}[k]` }, code);
    const [read, write] = st.nodes.filter((n): n is AccessNode => n.kind === 'AccessNode' && n.data === view);
    addEdge(st, access(st, 'A'), null, read!, null, memletOf(viewed));
    addEdge(st, write!, null, access(st, 'A'), null, memletOf(viewed));
  };
  const first = addState(sdfg, 'row_update');
  update(first, 'row', 'A[1, 0:M]', 'k = 0:M', 'w = 2.0 * v + 1.0');
  const second = addState(sdfg, 'flat_update');
  addInterstateEdge(sdfg, first, second);
  update(second, 'flat', 'A[0:N, 0:M]', 'k = 0:N*M', 'w = v + f64(k)');
  return sdfg;
}

/** C += A @ B as one 3-D map with a conflict-resolved write C[i, j] (the k loop stays inside each thread). */
export function gemmMap(): SDFG {
  const sdfg = newSDFG('gemm_map', ['M', 'K', 'N']);
  array(sdfg, 'A', f64, ['M', 'K']);
  array(sdfg, 'B', f64, ['K', 'N']);
  array(sdfg, 'C', f64, ['M', 'N']);
  mapTasklet(sdfg, addState(sdfg, 'main'), 'gemm', 'i = 0:M, j = 0:N, k = 0:K', { a: 'A[i, k]', b: 'B[k, j]' },
    { out: { memlet: 'C[i, j]', wcr: { op: 'sum' } } }, 'out = a * b');
  return sdfg;
}
