// Random SDFGs for property tests: fast-check arbitraries, and the same generators driven by a seeded picker.
//
// The graphs look like real ones (access -> map entry -> tasklet -> map exit -> access, memlets over the
// map parameters, loops, branches, interstate assignments, nested SDFGs) but are NOT guaranteed to be valid
// programs: containers may be read before written, subsets may leave their arrays, tasklets may not type-check.
// They exercise printers, serializers and cloning, not the interpreter.
//
//   fc.assert(fc.property(arbitrarySDFG(), (g) => ...));
//   const g = randomSDFG(seededPicker(42));          // the same generator outside fast-check
import fc from 'fast-check';
import { allDTypes, f32, f64, i32, i64, type DType } from '../../graph/dtypes.js';
import {
  lifetimes, makeArray, makeScalar, makeStream, storageTypes, type DataDesc,
} from '../../graph/data.js';
import { add, floorDiv, int, max, min, mod, mul, sub, sym, type Expr } from '../../graph/symbolic.js';
import { fullSubset, range, subset, type Range, type Subset } from '../../graph/subsets.js';
import { emptyMemlet, makeMemlet, type Memlet, type Wcr } from '../../graph/memlet.js';
import { scheduleTypes, type Connectors, type MapScope, type Node } from '../../graph/nodes.js';
import type { ControlFlowGraph, SDFG, State } from '../../graph/sdfg.js';
import type { AssignOp, BinaryOp, TExpr, TStmt, UnaryOp } from '../../graph/tasklet-ast.js';
import type { SourceLocation } from '../../graph/source-location.js';
import {
  addBranch, addConditionalBlock, addEdge, addInterstateEdge, addLoopRegion, addNode, addRegion, addState, createSDFG,
} from '../../graph/construct.js';

// ---------------------------------------------------------------------------------------------------------------
// Randomness: one small interface, fed by fast-check (shrinkable) or by a seed.

export interface Picker {
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
}

/** A picker over fast-check's `fc.gen()` value, so generated graphs shrink. */
export function pickerFromGen(g: fc.GeneratorValue): Picker {
  const picker: Picker = {
    int: (lo, hi) => g(fc.integer, { min: lo, max: hi }),
    chance: (p) => g(fc.integer, { min: 0, max: 999 }) < p * 1000,
    pick: (xs) => xs[picker.int(0, xs.length - 1)]!,
  };
  return picker;
}

/** A deterministic picker (mulberry32), for tests that want a fixed graph or run outside fast-check. */
export function seededPicker(seed: number): Picker {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const picker: Picker = {
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (xs) => xs[picker.int(0, xs.length - 1)]!,
  };
  return picker;
}

// ---------------------------------------------------------------------------------------------------------------
// Symbolic expressions, ranges and subsets.

/** An integer expression over `symbols`: constants, sums, products, floor division, modulo, min and max. */
export function randomExpr(p: Picker, symbols: readonly string[], depth = 2): Expr {
  const leaf = (): Expr => (symbols.length > 0 && p.chance(0.6) ? sym(p.pick(symbols)) : int(p.int(0, 16)));
  if (depth <= 0 || p.chance(0.4)) return leaf();
  const a = randomExpr(p, symbols, depth - 1);
  switch (p.int(0, 7)) {
    case 0: case 1: return add(a, randomExpr(p, symbols, depth - 1));
    case 2: return sub(a, int(p.int(1, 4)));
    case 3: return mul(a, p.chance(0.5) ? int(p.int(2, 4)) : randomExpr(p, symbols, depth - 1));
    case 4: return floorDiv(a, p.int(2, 8));
    case 5: return mod(a, p.int(2, 8));
    case 6: return min(a, randomExpr(p, symbols, depth - 1));
    default: return max(a, int(p.int(0, 3)));
  }
}

/** `begin:begin+extent[:step]` with an extent that is never 1 when stepped (a stepped single element prints as an index). */
export function randomRange(p: Picker, symbols: readonly string[]): Range {
  const begin = p.chance(0.6) ? int(0) : randomExpr(p, symbols, 1);
  if (p.chance(0.2)) return range(begin, begin.add(1));
  const extent = symbols.length > 0 && p.chance(0.7) ? sym(p.pick(symbols)).add(p.int(0, 2)) : int(p.int(2, 32));
  const step = p.chance(0.15) ? int(p.pick([2, 3, 4])) : int(1);
  return range(begin, begin.add(extent), step);
}

export function randomSubset(p: Picker, rank: number, symbols: readonly string[]): Subset {
  return subset(...Array.from({ length: rank }, () => randomRange(p, symbols)));
}

/** An element or a small window per dimension, indexed by the given parameters: `i, j + 1, 0:4`. */
function subsetOverParams(p: Picker, rank: number, params: readonly string[], symbols: readonly string[]): Subset {
  return subset(...Array.from({ length: rank }, () => {
    if (params.length > 0 && p.chance(0.75)) {
      const at = sym(p.pick(params)).add(p.chance(0.3) ? p.int(-1, 1) : 0);
      return p.chance(0.85) ? range(at, at.add(1)) : range(at, at.add(p.int(2, 3)));
    }
    return randomRange(p, symbols);
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Tasklet code.

const unaryOps: readonly UnaryOp[] = ['-', '+', '!', '~'];
const binaryOps: readonly BinaryOp[] = [
  '+', '-', '*', '/', '%', '**', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '&', '|', '^', '<<', '>>',
];
const assignOps: readonly AssignOp[] = ['=', '=', '=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>='];
const mathFunctions = ['sqrt', 'exp', 'log', 'abs', 'min', 'max', 'pow', 'floor', 'sin', 'tanh', 'fma'];

/** An expression reading `names`; now and then a literal JSON has no spelling for (NaN, ±Infinity). */
export function randomTExpr(p: Picker, names: readonly string[], depth = 3): TExpr {
  if (depth <= 0 || p.chance(0.3)) {
    switch (p.int(0, 5)) {
      case 0: return { k: 'num', value: p.int(0, 100), isFloat: false };
      case 1: {
        const special = p.chance(0.05);
        return { k: 'num', value: special ? p.pick([NaN, Infinity, -Infinity]) : p.pick([0.5, 1.5, 2.25, 1e-3, 3e10]), isFloat: true };
      }
      case 2: return { k: 'bool', value: p.chance(0.5) };
      default:
        return names.length > 0 ? { k: 'name', name: p.pick(names) } : { k: 'num', value: p.int(0, 9), isFloat: false };
    }
  }
  const child = (): TExpr => randomTExpr(p, names, depth - 1);
  switch (p.int(0, 9)) {
    case 0: return { k: 'unary', op: p.pick(unaryOps), arg: child() };
    case 1: return { k: 'ternary', cond: child(), then: child(), else: child() };
    case 2: {
      const fn = p.pick(mathFunctions);
      const arity = fn === 'fma' ? 3 : fn === 'min' || fn === 'max' || fn === 'pow' ? 2 : 1;
      return { k: 'call', fn, args: Array.from({ length: arity }, child) };
    }
    case 3: return { k: 'cast', dtype: p.pick(allDTypes), arg: child() };
    case 4:
      if (names.length > 0) return { k: 'index', name: p.pick(names), indices: Array.from({ length: p.int(1, 2) }, child) };
      return child();
    default: return { k: 'binary', op: p.pick(binaryOps), lhs: child(), rhs: child() };
  }
}

/** Statements writing `outputs` from `inputs`: assignments, locals, `if`, bounded `for`. */
export function randomTaskletBody(p: Picker, inputs: readonly string[], outputs: readonly string[], depth = 2): TStmt[] {
  const body: TStmt[] = [];
  const names = [...inputs];
  const count = p.int(1, 3);
  for (let s = 0; s < count; s++) {
    const choice = depth > 0 ? p.int(0, 9) : p.int(0, 6);
    if (choice <= 3 || (outputs.length === 0 && choice <= 6)) {
      const local = `t${body.length}`;
      const dtype = p.chance(0.3) ? p.pick([f64, f32, i32, i64]) : undefined;
      body.push({ k: 'let', name: local, ...(dtype ? { dtype } : {}), value: randomTExpr(p, names, 2) });
      names.push(local);
    } else if (choice <= 6) {
      const out = p.pick(outputs);
      const target: TExpr & { k: 'name' | 'index' } = p.chance(0.2)
        ? { k: 'index', name: out, indices: [{ k: 'num', value: 0, isFloat: false }] }
        : { k: 'name', name: out };
      body.push({ k: 'assign', target, op: p.pick(assignOps), value: randomTExpr(p, names, 3) });
    } else if (choice <= 8) {
      const elseBody = p.chance(0.5) ? randomTaskletBody(p, names, outputs, depth - 1) : [];
      body.push({ k: 'if', cond: randomTExpr(p, names, 2), then: randomTaskletBody(p, names, outputs, depth - 1), else: elseBody });
    } else {
      const num = (value: number): TExpr => ({ k: 'num', value, isFloat: false });
      body.push({
        k: 'for', variable: 'q', begin: num(0), end: num(p.int(1, 8)), step: num(p.pick([1, 1, 2])),
        body: randomTaskletBody(p, [...names, 'q'], outputs, depth - 1),
      });
    }
  }
  if (p.chance(0.3)) body[0] = { ...body[0]!, pos: { line: 1, column: p.int(1, 20) } };
  return body;
}

function randomWcr(p: Picker): Wcr {
  if (p.chance(0.8)) return { op: p.pick(['sum', 'product', 'min', 'max'] as const) };
  return { op: 'custom', params: ['a', 'b'], body: randomTExpr(p, ['a', 'b'], 2) };
}

// ---------------------------------------------------------------------------------------------------------------
// Data descriptors.

const numericDTypes = allDTypes.filter((d) => d.name !== 'bool');

export function randomDataDesc(p: Picker, symbols: readonly string[], transient = p.chance(0.3)): DataDesc {
  const dtype: DType = p.pick(p.chance(0.7) ? [f64, f32, i32, i64] : allDTypes);
  const common = {
    transient,
    storage: p.chance(0.8) ? 'Default' as const : p.pick(storageTypes),
    lifetime: p.chance(0.8) ? 'Scope' as const : p.pick(lifetimes),
  };
  const kind = p.int(0, 19);
  if (kind < 2) return makeScalar(dtype, common);
  if (kind < 3) return makeStream(dtype, p.int(1, 64), { ...common, shape: p.chance(0.7) ? [1] : [randomExpr(p, symbols, 1)] });
  const shape = Array.from({ length: p.int(1, 3) }, () => randomExpr(p, symbols, 1).add(1));
  const array = makeArray(dtype, shape, common);
  if (p.chance(0.15)) array.strides = [...array.strides].reverse();
  if (p.chance(0.1)) array.offset = shape.map(() => int(p.int(0, 2)));
  if (p.chance(0.1)) array.totalSize = array.totalSize.add(p.int(1, 8));
  if (p.chance(0.1)) array.alignment = p.pick([16, 32, 64]);
  if (p.chance(0.05)) array.startOffset = p.int(1, 4);
  if (p.chance(0.05)) array.mayAlias = true;
  return kind === 3 ? { ...array, kind: 'View' as const } : array;
}

// ---------------------------------------------------------------------------------------------------------------
// Graphs.

export interface RandomSDFGOptions {
  /** Blocks per control-flow graph (at least 1). */
  maxBlocks?: number;
  /** How deep loops, branches and regions nest. */
  maxRegionDepth?: number;
  /** Dataflow kernels (map scopes and loose tasklets) per state. */
  maxKernelsPerState?: number;
  /** How deep SDFGs nest inside nested-SDFG nodes (0: none). */
  maxNestedSDFGDepth?: number;
  /** Give graph elements source locations (as if built by user code). */
  locations?: boolean;
}

const defaults: Required<RandomSDFGOptions> = {
  maxBlocks: 3, maxRegionDepth: 2, maxKernelsPerState: 2, maxNestedSDFGDepth: 1, locations: true,
};

interface Ctx {
  readonly p: Picker;
  readonly o: Required<RandomSDFGOptions>;
  readonly sdfg: SDFG;
  readonly symbols: string[];
  /** Names of the containers memlets may refer to (not streams: those only feed consume scopes). */
  readonly containers: string[];
  readonly streams: string[];
  readonly nestedDepth: number;
}

const none = (): Connectors => ({});

function loc(c: Ctx): SourceLocation | undefined {
  return c.o.locations && c.p.chance(0.3) ? { file: 'user/program.ts', line: c.p.int(1, 400), column: c.p.int(1, 80) } : undefined;
}

/** A whole random SDFG. */
export function randomSDFG(p: Picker, options: RandomSDFGOptions = {}, nestedDepth = 0): SDFG {
  const o = { ...defaults, ...options };
  const sdfg = createSDFG(p.pick(['prog', 'kernel', 'gemm', 'stencil', 'inner']) + (nestedDepth > 0 ? `_n${nestedDepth}` : ''));
  const symbols = ['N', 'M', 'K'].slice(0, p.int(1, 3));
  for (const s of symbols) sdfg.symbols[s] = p.chance(0.8) ? i64 : i32;
  if (p.chance(0.3)) sdfg.constants.C0 = { dtype: f64, value: p.pick([0.5, 2, -1.25]) };
  const names = ['A', 'B', 'C', 'D', 'tmp'].slice(0, p.int(2, 5));
  const ctx: Ctx = { p, o, sdfg, symbols, containers: [], streams: [], nestedDepth };
  for (const name of names) {
    const desc = randomDataDesc(p, symbols, name === 'tmp' || p.chance(0.2));
    sdfg.arrays[name] = desc;
    (desc.kind === 'Stream' ? ctx.streams : ctx.containers).push(name);
  }
  if (ctx.containers.length === 0) {
    sdfg.arrays.X = makeArray(f64, [sym(symbols[0]!)]);
    ctx.containers.push('X');
  }
  sdfg.argNames = [...names.filter((n) => sdfg.arrays[n] && !sdfg.arrays[n]!.transient), ...symbols];
  const at = loc(ctx);
  if (at) sdfg.loc = at;
  fillCfg(ctx, sdfg, o.maxRegionDepth);
  return sdfg;
}

function fillCfg(c: Ctx, cfg: ControlFlowGraph, depth: number): void {
  const { p } = c;
  const count = p.int(1, c.o.maxBlocks);
  for (let b = 0; b < count; b++) {
    const kind = depth > 0 ? p.int(0, 9) : 0;
    if (kind <= 5) fillState(c, addState(cfg, `state_${b}`, loc(c)));
    else if (kind <= 7) {
      const variable = p.chance(0.8) ? `it${depth}` : null;
      const v: TExpr = { k: 'name', name: variable ?? 'N' };
      const loop = addLoopRegion(cfg, `loop_${b}`, {
        loopVariable: variable,
        init: variable ? { k: 'num', value: 0, isFloat: false } : null,
        condition: { k: 'binary', op: '<', lhs: v, rhs: randomTExpr(p, c.symbols, 1) },
        update: variable ? { k: 'binary', op: '+', lhs: v, rhs: { k: 'num', value: p.int(1, 2), isFloat: false } } : null,
        inverted: p.chance(0.15),
      }, loc(c));
      fillCfg(c, loop, depth - 1);
    } else if (kind === 8) {
      const cond = addConditionalBlock(cfg, `if_${b}`, loc(c));
      const branches = p.int(1, 3);
      for (let i = 0; i < branches; i++) {
        const isElse = i > 0 && i === branches - 1 && p.chance(0.5);
        fillCfg(c, addBranch(cond, isElse ? null : randomTExpr(p, c.symbols, 2)), depth - 1);
      }
    } else fillCfg(c, addRegion(cfg, `region_${b}`, loc(c)), depth - 1);
  }
  // A chain through the blocks, sometimes with a back or skip edge.
  const blocks = cfg.blocks;
  for (let i = 0; i + 1 < blocks.length; i++) addRandomInterstateEdge(c, cfg, i, i + 1);
  if (blocks.length > 1 && p.chance(0.3)) addRandomInterstateEdge(c, cfg, p.int(0, blocks.length - 1), p.int(0, blocks.length - 1));
  if (blocks.length > 1 && p.chance(0.1)) cfg.startBlock = blocks[p.int(0, blocks.length - 1)]!.id;
}

function addRandomInterstateEdge(c: Ctx, cfg: ControlFlowGraph, from: number, to: number): void {
  const { p } = c;
  const assignments: Record<string, TExpr> = {};
  if (p.chance(0.4)) assignments[p.pick(['i', 'j', 'offset'])] = randomTExpr(p, c.symbols, 2);
  if (p.chance(0.1)) assignments.k2 = { k: 'num', value: p.int(0, 9), isFloat: false };
  const at = loc(c);
  addInterstateEdge(cfg, cfg.blocks[from]!, cfg.blocks[to]!, {
    ...(p.chance(0.4) ? { condition: randomTExpr(p, c.symbols, 2) } : {}),
    assignments,
    ...(at ? { loc: at } : {}),
  });
}

function access(c: Ctx, state: State, data: string): Node {
  const at = loc(c);
  return addNode(state, {
    kind: 'AccessNode', label: data, data, setzero: c.p.chance(0.05), inConnectors: {}, outConnectors: {},
    ...(at ? { loc: at } : {}),
  });
}

function rankOf(c: Ctx, data: string): number {
  const d = c.sdfg.arrays[data]!;
  return d.kind === 'Scalar' ? 1 : d.shape.length;
}

function fullOf(c: Ctx, data: string): Subset {
  const d = c.sdfg.arrays[data]!;
  return fullSubset(d.kind === 'Scalar' ? [1] : d.shape);
}

/** A memlet; now and then with a different volume, dynamic, an other-subset or a wcr. */
function memlet(c: Ctx, data: string, s: Subset, writes = false): Memlet {
  const { p } = c;
  const m = makeMemlet(data, s);
  if (p.chance(0.1)) m.volume = randomExpr(p, c.symbols, 1);
  if (p.chance(0.1)) m.dynamic = true;
  if (writes && p.chance(0.3)) m.wcr = randomWcr(p);
  return m;
}

function fillState(c: Ctx, state: State): void {
  const { p } = c;
  const kernels = p.int(0, c.o.maxKernelsPerState);
  for (let k = 0; k < kernels; k++) {
    const choice = p.int(0, 9);
    if (choice <= 5) addMapKernel(c, state, k);
    else if (choice === 6) addLooseTasklet(c, state, k);
    else if (choice === 7) addCopy(c, state);
    else if (choice === 8 && c.streams.length > 0) addConsumeKernel(c, state, k);
    else if (c.nestedDepth < c.o.maxNestedSDFGDepth) addNestedSDFG(c, state, k);
    else addLibraryNode(c, state, k);
  }
}

/** `A -> entry -> tasklet -> exit -> C` for a map with 1–3 parameters. */
function addMapKernel(c: Ctx, state: State, k: number): void {
  const { p } = c;
  const params = ['i', 'j', 'k'].slice(0, p.int(1, 3));
  const map: MapScope = {
    label: `map_${k}`, params, ranges: params.map(() => randomRange(p, c.symbols)),
    schedule: p.chance(0.6) ? 'Default' : p.pick(scheduleTypes), unroll: p.chance(0.1),
    collapse: p.chance(0.9) ? 1 : p.int(2, 3),
  };
  if (p.chance(0.1)) map.gpuBlockSize = [32, p.pick([1, 4, 8])];
  if (p.chance(0.1)) map.vectorWidth = p.pick([4, 8]);
  const inputs = [...new Set(Array.from({ length: p.int(1, 2) }, () => p.pick(c.containers)))];
  const output = p.pick(c.containers);
  const entry = addNode(state, { kind: 'MapEntry', label: map.label, map, inConnectors: none(), outConnectors: none() });
  const exit = addNode(state, { kind: 'MapExit', label: map.label, map, inConnectors: none(), outConnectors: none() });
  const inConns = inputs.map((_, n) => `in${n}`);
  const tasklet = addNode(state, {
    kind: 'Tasklet', label: `task_${k}`,
    inConnectors: Object.fromEntries(inConns.map((n) => [n, p.chance(0.2) ? f64 : null])),
    outConnectors: { out: null },
    code: p.chance(0.9)
      ? { language: 'tasklet', body: randomTaskletBody(p, [...inConns, ...params], ['out']) }
      : { language: p.pick(['CPP', 'Python', 'CUDA'] as const), source: 'out = in0 * 2;\n// raw "code"' },
    ...(p.chance(0.1) ? { codeGlobal: '#include <cmath>' } : {}),
  });
  inputs.forEach((data, n) => {
    const src = access(c, state, data);
    entry.inConnectors[`IN_${data}`] = null;
    entry.outConnectors[`OUT_${data}`] = null;
    addEdge(state, src, null, entry, `IN_${data}`, memlet(c, data, fullOf(c, data)), loc(c));
    addEdge(state, entry, `OUT_${data}`, tasklet, inConns[n]!, memlet(c, data, subsetOverParams(p, rankOf(c, data), params, c.symbols)));
  });
  exit.inConnectors[`IN_${output}`] = null;
  exit.outConnectors[`OUT_${output}`] = null;
  const dst = access(c, state, output);
  addEdge(state, tasklet, 'out', exit, `IN_${output}`, memlet(c, output, subsetOverParams(p, rankOf(c, output), params, c.symbols), true));
  addEdge(state, exit, `OUT_${output}`, dst, null, memlet(c, output, fullOf(c, output), true));
  if (p.chance(0.15)) addEdge(state, dst, null, access(c, state, p.pick(c.containers)), null, emptyMemlet());
}

function addLooseTasklet(c: Ctx, state: State, k: number): void {
  const { p } = c;
  const data = p.pick(c.containers);
  const tasklet = addNode(state, {
    kind: 'Tasklet', label: `init_${k}`, inConnectors: {}, outConnectors: { out: null },
    code: { language: 'tasklet', body: randomTaskletBody(p, c.symbols, ['out'], 1), source: 'out = 0' },
  });
  const index = subset(...Array.from({ length: rankOf(c, data) }, () => range(0, 1)));
  addEdge(state, tasklet, 'out', access(c, state, data), null, memlet(c, data, index, true));
}

/** An access-to-access copy, with an other-subset for the destination. */
function addCopy(c: Ctx, state: State): void {
  const { p } = c;
  const from = p.pick(c.containers), to = p.pick(c.containers);
  const m = memlet(c, from, fullOf(c, from));
  if (p.chance(0.6)) m.otherSubset = randomSubset(p, rankOf(c, to), c.symbols);
  addEdge(state, access(c, state, from), null, access(c, state, to), null, m);
}

function addConsumeKernel(c: Ctx, state: State, k: number): void {
  const { p } = c;
  const stream = p.pick(c.streams);
  const consume = {
    label: `consume_${k}`, peIndex: 'pe', numPes: randomExpr(p, c.symbols, 1),
    condition: p.chance(0.3) ? randomTExpr(p, ['pe'], 1) : null,
    schedule: p.pick(scheduleTypes), chunksize: p.int(1, 4),
  };
  const entry = addNode(state, {
    kind: 'ConsumeEntry', label: consume.label, consume,
    inConnectors: { IN_stream: null }, outConnectors: { OUT_stream: p.chance(0.3) ? f32 : null },
  });
  const exit = addNode(state, { kind: 'ConsumeExit', label: consume.label, consume, inConnectors: {}, outConnectors: {} });
  const tasklet = addNode(state, {
    kind: 'Tasklet', label: `pop_${k}`, inConnectors: { v: null }, outConnectors: {},
    code: { language: 'tasklet', body: randomTaskletBody(p, ['v'], [], 1) },
  });
  addEdge(state, access(c, state, stream), null, entry, 'IN_stream', memlet(c, stream, fullOf(c, stream)));
  addEdge(state, entry, 'OUT_stream', tasklet, 'v', memlet(c, stream, subset(range(0, 1))));
  addEdge(state, tasklet, null, exit, null, emptyMemlet());
}

function addLibraryNode(c: Ctx, state: State, k: number): void {
  const { p } = c;
  const from = p.pick(c.containers), to = p.pick(c.containers);
  const op = p.chance(0.5)
    ? { name: 'Reduce' as const, axes: p.chance(0.5) ? null : [0], wcr: randomWcr(p), identity: p.pick([null, 0, 1, Infinity]) }
    : p.chance(0.7)
      ? { name: 'MatMul' as const, alpha: p.pick([1, 0.5]), beta: p.pick([0, 1]) }
      : { name: 'Unknown' as const, classpath: 'dace.libraries.blas.nodes.Gemv', attributes: { transA: p.chance(0.5), alpha: 1 } };
  const node = addNode(state, {
    kind: 'LibraryNode', label: `lib_${k}`, op, implementation: p.chance(0.5) ? null : 'pure',
    schedule: p.chance(0.7) ? 'Default' : p.pick(scheduleTypes),
    inConnectors: { _in: null }, outConnectors: { _out: null },
  });
  addEdge(state, access(c, state, from), null, node, '_in', memlet(c, from, fullOf(c, from)));
  addEdge(state, node, '_out', access(c, state, to), null, memlet(c, to, fullOf(c, to), true));
}

function addNestedSDFG(c: Ctx, state: State, k: number): void {
  const { p } = c;
  const inner = randomSDFG(p, { ...c.o, maxBlocks: 2, maxRegionDepth: 1 }, c.nestedDepth + 1);
  const innerData = Object.keys(inner.arrays).filter((n) => !inner.arrays[n]!.transient && inner.arrays[n]!.kind !== 'Stream');
  const symbolMapping = Object.fromEntries(Object.keys(inner.symbols).map((s) => [s, randomExpr(p, c.symbols, 1)]));
  const node = addNode(state, {
    kind: 'NestedSDFG', label: `call_${k}`, sdfg: inner, symbolMapping,
    inConnectors: none(), outConnectors: none(),
  });
  innerData.forEach((name, n) => {
    const outer = p.pick(c.containers);
    if (n % 2 === 0) {
      node.inConnectors[name] = null;
      addEdge(state, access(c, state, outer), null, node, name, memlet(c, outer, fullOf(c, outer)));
    } else {
      node.outConnectors[name] = null;
      addEdge(state, node, name, access(c, state, outer), null, memlet(c, outer, fullOf(c, outer), true));
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// fast-check arbitraries.

/** Random SDFGs (see the file comment for what they are and are not). */
export function arbitrarySDFG(options: RandomSDFGOptions = {}): fc.Arbitrary<SDFG> {
  return fc.gen().map((g) => randomSDFG(pickerFromGen(g), options));
}

export function arbitraryExpr(symbols: readonly string[] = ['N', 'M'], depth = 2): fc.Arbitrary<Expr> {
  return fc.gen().map((g) => randomExpr(pickerFromGen(g), symbols, depth));
}

export function arbitrarySubset(rank: number, symbols: readonly string[] = ['N', 'M']): fc.Arbitrary<Subset> {
  return fc.gen().map((g) => randomSubset(pickerFromGen(g), rank, symbols));
}

export function arbitraryTExpr(names: readonly string[] = ['a', 'b'], depth = 3): fc.Arbitrary<TExpr> {
  return fc.gen().map((g) => randomTExpr(pickerFromGen(g), names, depth));
}

export function arbitraryTaskletBody(inputs: readonly string[] = ['a', 'b'], outputs: readonly string[] = ['out']): fc.Arbitrary<TStmt[]> {
  return fc.gen().map((g) => randomTaskletBody(pickerFromGen(g), inputs, outputs));
}

export const arbitraryDType: fc.Arbitrary<DType> = fc.constantFrom(...allDTypes);
export const arbitraryNumericDType: fc.Arbitrary<DType> = fc.constantFrom(...numericDTypes);
