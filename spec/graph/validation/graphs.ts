// Small graphs for the validation specs: builders for nodes and tasklet code, valid programs, and an issue matcher.
import assert from 'node:assert/strict';
import { makeArray, makeScalar, makeStream, type DataDesc } from '../../../graph/data.js';
import { f64, i64, type DType } from '../../../graph/dtypes.js';
import {
  addEdge, addInterstateEdge, addLoopRegion, addNode, addState, createSDFG,
} from '../../../graph/construct.js';
import { emptyMemlet, makeMemlet, type Memlet } from '../../../graph/memlet.js';
import type {
  AccessNode, Connectors, LibraryOp, MapEntry, MapExit, MapScope, NestedSDFG, ScheduleType, Tasklet,
} from '../../../graph/nodes.js';
import type { SDFG, State } from '../../../graph/sdfg.js';
import { parseSubset } from '../../../graph/subsets.js';
import { sym, type Expr } from '../../../graph/symbolic.js';
import type { BinaryOp, TExpr, TStmt } from '../../../graph/tasklet-ast.js';
import { ValidationError, type GraphPath } from '../../../graph/errors.js';
import { validate, validationIssues } from '../../../graph/validate.js';

export const N = sym('N');

// ---------------------------------------------------------------- tasklet code

export const name = (n: string): TExpr => ({ k: 'name', name: n });
export const num = (value: number, isFloat = false): TExpr => ({ k: 'num', value, isFloat });
export const bin = (op: BinaryOp, lhs: TExpr, rhs: TExpr): TExpr => ({ k: 'binary', op, lhs, rhs });
export const at = (n: string, ...indices: TExpr[]): TExpr & { k: 'index' } => ({ k: 'index', name: n, indices });
export const assign = (target: string | (TExpr & { k: 'name' | 'index' }), value: TExpr): TStmt =>
  ({ k: 'assign', target: typeof target === 'string' ? { k: 'name', name: target } : target, op: '=', value });

// ---------------------------------------------------------------- nodes and memlets

export function program(arrays: Record<string, DataDesc>, options: { name?: string; symbols?: Record<string, DType> } = {}): SDFG {
  const sdfg = createSDFG(options.name ?? 'prog');
  sdfg.arrays = arrays;
  sdfg.symbols = options.symbols ?? { N: i64 };
  sdfg.argNames = [...Object.keys(arrays).filter((k) => !arrays[k]!.transient), ...Object.keys(sdfg.symbols)];
  return sdfg;
}

export const vector = (dtype: DType = f64, shape: readonly (Expr | number)[] = [N]): DataDesc => makeArray(dtype, shape);
export const scalar = (dtype: DType = f64): DataDesc => makeScalar(dtype);
export const stream = (dtype: DType = f64, transient = true): DataDesc => makeStream(dtype, 4, { transient });

export function access(st: State, data: string): AccessNode {
  return addNode(st, { kind: 'AccessNode', label: data, data, setzero: false, inConnectors: {}, outConnectors: {} });
}

export function tasklet(st: State, label: string, ins: Connectors, outs: Connectors, body: TStmt[]): Tasklet {
  return addNode(st, { kind: 'Tasklet', label, inConnectors: ins, outConnectors: outs, code: { language: 'tasklet', body } });
}

/** `mem('A', 'i, 0:N')` */
export function mem(data: string, subset: string, options: Partial<Omit<Memlet, 'data' | 'subset'>> = {}): Memlet {
  return makeMemlet(data, parseSubset(subset), options);
}

export const empty = emptyMemlet;

export function mapScope(
  st: State, label: string, params: Record<string, string>, connectors: { in?: string[]; out?: string[] } = {},
  schedule: ScheduleType = 'Default',
): { entry: MapEntry; exit: MapExit; map: MapScope } {
  const map: MapScope = {
    label, params: Object.keys(params), ranges: Object.values(params).map((r) => parseSubset(r).ranges[0]!),
    schedule, unroll: false, collapse: 1,
  };
  const pair = (names: string[] = []): [Connectors, Connectors] =>
    [Object.fromEntries(names.map((n) => [`IN_${n}`, null])), Object.fromEntries(names.map((n) => [`OUT_${n}`, null]))];
  const [entryIn, entryOut] = pair(connectors.in), [exitIn, exitOut] = pair(connectors.out);
  const entry = addNode(st, { kind: 'MapEntry', label, map, inConnectors: entryIn, outConnectors: entryOut });
  const exit = addNode(st, { kind: 'MapExit', label, map, inConnectors: exitIn, outConnectors: exitOut });
  return { entry, exit, map };
}

export function library(st: State, label: string, op: LibraryOp, ins: string[], outs: string[]) {
  return addNode(st, {
    kind: 'LibraryNode', label, op, implementation: null, schedule: 'Default',
    inConnectors: Object.fromEntries(ins.map((c) => [c, null])), outConnectors: Object.fromEntries(outs.map((c) => [c, null])),
  });
}

// ---------------------------------------------------------------- valid programs

/** B[i] = A[i] * 2 over a map: `A -> m[IN_A]; m[OUT_A] -> t.a; t.b -> m[IN_B]; m[OUT_B] -> B`. */
export function mapProgram() {
  const sdfg = program({ A: vector(), B: vector() });
  const st = addState(sdfg, 's0');
  const A = access(st, 'A');
  const { entry, exit, map } = mapScope(st, 'm', { i: '0:N' }, { in: ['A'], out: ['B'] });
  const t = tasklet(st, 't', { a: null }, { b: null }, [assign('b', bin('*', name('a'), num(2)))]);
  const B = access(st, 'B');
  const inOuter = addEdge(st, A, null, entry, 'IN_A', mem('A', '0:N'));
  const inInner = addEdge(st, entry, 'OUT_A', t, 'a', mem('A', 'i'));
  const outInner = addEdge(st, t, 'b', exit, 'IN_B', mem('B', 'i'));
  const outOuter = addEdge(st, exit, 'OUT_B', B, null, mem('B', '0:N'));
  return { sdfg, st, A, B, t, entry, exit, map, inOuter, inInner, outInner, outOuter };
}

/** S[0] = sum of A over a map, with a sum wcr on the way out. */
export function wcrSumProgram() {
  const sdfg = program({ A: vector(), S: vector(f64, [1]) });
  const st = addState(sdfg, 's0');
  const A = access(st, 'A');
  const { entry, exit } = mapScope(st, 'sum', { i: '0:N' }, { in: ['A'], out: ['S'] });
  const t = tasklet(st, 't', { a: null }, { s: null }, [assign('s', name('a'))]);
  const S = access(st, 'S');
  addEdge(st, A, null, entry, 'IN_A', mem('A', '0:N'));
  addEdge(st, entry, 'OUT_A', t, 'a', mem('A', 'i'));
  addEdge(st, t, 's', exit, 'IN_S', mem('S', '0', { wcr: { op: 'sum' } }));
  addEdge(st, exit, 'OUT_S', S, null, mem('S', '0', { wcr: { op: 'sum' } }));
  return { sdfg, st, t, entry, exit };
}

/** B = A, an access-to-access copy. */
export function copyProgram() {
  const sdfg = program({ A: vector(), B: vector() });
  const st = addState(sdfg, 's0');
  const A = access(st, 'A'), B = access(st, 'B');
  const edge = addEdge(st, A, null, B, null, mem('A', '0:N', { otherSubset: parseSubset('0:N') }));
  return { sdfg, st, A, B, edge };
}

/** for (k = 0; k < N; k = k + 1) B[k] = A[k] + 1, as a loop region around one state. */
export function loopProgram() {
  const sdfg = program({ A: vector(), B: vector() });
  const init = addState(sdfg, 'init');
  const loop = addLoopRegion(sdfg, 'loop', {
    loopVariable: 'k', init: num(0), condition: bin('<', name('k'), name('N')), update: bin('+', name('k'), num(1)),
  });
  addInterstateEdge(sdfg, init, loop);
  const body = addState(loop, 'body');
  const A = access(body, 'A'), B = access(body, 'B');
  const t = tasklet(body, 't', { a: null }, { b: null }, [assign('b', bin('+', name('a'), num(1)))]);
  addEdge(body, A, null, t, 'a', mem('A', 'k'));
  addEdge(body, t, 'b', B, null, mem('B', 'k'));
  return { sdfg, init, loop, body, t };
}

/** An inner SDFG copying x to y over M elements, called on A and B with M = N. */
export function nestedProgram() {
  const inner = program({ x: vector(f64, [sym('M')]), y: vector(f64, [sym('M')]) }, { name: 'inner', symbols: { M: i64 } });
  const ist = addState(inner, 'copy');
  const x = access(ist, 'x'), y = access(ist, 'y');
  addEdge(ist, x, null, y, null, mem('x', '0:M', { otherSubset: parseSubset('0:M') }));
  const sdfg = program({ A: vector(), B: vector() });
  const st = addState(sdfg, 's0');
  const A = access(st, 'A'), B = access(st, 'B');
  const call: NestedSDFG = addNode(st, {
    kind: 'NestedSDFG', label: 'call', sdfg: inner, symbolMapping: { M: N }, inConnectors: { x: null }, outConnectors: { y: null },
  });
  const inEdge = addEdge(st, A, null, call, 'x', mem('A', '0:N'));
  const outEdge = addEdge(st, call, 'y', B, null, mem('B', '0:N'));
  return { sdfg, st, inner, ist, call, inEdge, outEdge, A, B };
}

// ---------------------------------------------------------------- matching issues

export interface Expected {
  code: string;
  message: string;
  path: GraphPath;
  hint: string;
}

const shape = (e: ValidationError): Expected => ({ code: e.code, message: e.summary, path: e.path ?? {}, hint: e.hint ?? '' });

/** The graph breaks exactly one rule, exactly once, and `validate` throws that failure. */
export function expectOnly(sdfg: SDFG, expected: Expected): ValidationError {
  const issues = validationIssues(sdfg);
  assert.deepEqual(issues.map(shape), [expected]);
  assert.throws(() => validate(sdfg), (e: unknown) => e instanceof ValidationError && e.code === expected.code && e.summary === expected.message);
  return issues[0]!;
}

export function expectValid(sdfg: SDFG): void {
  assert.deepEqual(validationIssues(sdfg).map(shape), []);
  validate(sdfg);
}
