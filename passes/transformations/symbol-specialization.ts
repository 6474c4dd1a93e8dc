// SymbolSpecialization: bind free symbols to known values everywhere (shapes, memlets, map ranges, tasklet
// code, interstate edges, loop bounds) and drop them from the SDFG's symbols and arguments.
//
// Only free symbols are bound: one the program assigns (a loop variable, an interstate assignment) has no single
// value. Raw-code tasklets cannot be rewritten, so a value they mention is kept as a compile-time constant.
import { i64 } from '../../graph/dtypes.js';
import type { DataDesc } from '../../graph/data.js';
import type { Memlet } from '../../graph/memlet.js';
import { allStates } from '../../graph/query.js';
import type { SDFG } from '../../graph/sdfg.js';
import { subsSubset } from '../../graph/subsets.js';
import { type Expr, int } from '../../graph/symbolic.js';
import type { TExpr } from '../../graph/tasklet-ast.js';
import { assertNever } from '../../graph/errors.js';
import { defineTransformation } from '../framework.js';
import { controlFlowGraphs } from './state-fusion.js';
import { substituteTaskletCode } from './helpers-tasklet.js';
import { symbolUseOutside } from './loop-to-map.js';

export interface SymbolSpecializationOptions {
  /** Symbol name → its integer value. */
  readonly values: Record<string, number>;
}

export interface SdfgCandidate { readonly sdfg: SDFG }

/** Symbols the program assigns itself (loop variables, interstate assignments). */
function assignedSymbols(sdfg: SDFG): Set<string> {
  const names = new Set<string>();
  for (const { cfg } of controlFlowGraphs(sdfg)) {
    for (const e of cfg.edges) for (const name of Object.keys(e.assignments)) names.add(name);
    for (const b of cfg.blocks) if (b.kind === 'LoopRegion' && b.loopVariable) names.add(b.loopVariable);
  }
  return names;
}

/** Declared symbols and the symbols of array shapes, less those the program assigns. */
function freeSymbols(sdfg: SDFG): Set<string> {
  const names = new Set(Object.keys(sdfg.symbols));
  for (const desc of Object.values(sdfg.arrays)) {
    if (desc.kind !== 'Scalar') for (const d of desc.shape) for (const s of d.freeSymbols()) names.add(s);
  }
  for (const s of assignedSymbols(sdfg)) names.delete(s);
  return names;
}

function canApply(sdfg: SDFG, _c: SdfgCandidate, options: SymbolSpecializationOptions): true | string {
  const names = Object.keys(options.values);
  if (names.length === 0) return 'no symbol values are given';
  for (const [name, value] of Object.entries(options.values)) {
    if (!Number.isSafeInteger(value)) return `the value of ${name} must be an integer, got ${value}`;
  }
  const assigned = assignedSymbols(sdfg);
  const bad = names.find((n) => assigned.has(n));
  if (bad) return `${bad} is assigned inside the program`;
  const free = freeSymbols(sdfg);
  if (!names.some((n) => free.has(n))) return `none of ${names.join(', ')} is a free symbol of ${sdfg.name}`;
  return true;
}

function substituteTExpr(e: TExpr, values: Readonly<Record<string, number>>): TExpr {
  const go = (x: TExpr): TExpr => substituteTExpr(x, values);
  switch (e.k) {
    case 'num': case 'bool': return e;
    case 'name': return Object.hasOwn(values, e.name) ? { k: 'num', value: values[e.name]!, isFloat: false } : e;
    case 'index': return { ...e, indices: e.indices.map(go) };
    case 'unary': return { ...e, arg: go(e.arg) };
    case 'binary': return { ...e, lhs: go(e.lhs), rhs: go(e.rhs) };
    case 'ternary': return { ...e, cond: go(e.cond), then: go(e.then), else: go(e.else) };
    case 'call': return { ...e, args: e.args.map(go) };
    case 'cast': return { ...e, arg: go(e.arg) };
    default: return assertNever(e, 'tasklet expression');
  }
}

function substituteDesc(desc: DataDesc, b: Readonly<Record<string, Expr>>): void {
  switch (desc.kind) {
    case 'Scalar': return;
    case 'Stream':
      desc.shape = desc.shape.map((x) => x.subs(b));
      desc.bufferSize = desc.bufferSize.subs(b);
      return;
    case 'Array': case 'View':
      desc.shape = desc.shape.map((x) => x.subs(b));
      desc.strides = desc.strides.map((x) => x.subs(b));
      desc.offset = desc.offset.map((x) => x.subs(b));
      desc.totalSize = desc.totalSize.subs(b);
      return;
    default: return assertNever(desc, 'data descriptor');
  }
}

function substituteMemlet(m: Memlet, b: Readonly<Record<string, Expr>>): Memlet {
  if (m.data === null) return m;
  return {
    ...m,
    subset: m.subset ? subsSubset(m.subset, b) : null,
    otherSubset: m.otherSubset ? subsSubset(m.otherSubset, b) : null,
    volume: m.volume.subs(b),
  };
}

function apply(sdfg: SDFG, _c: SdfgCandidate, options: SymbolSpecializationOptions): void {
  const free = freeSymbols(sdfg);
  const values = Object.fromEntries(Object.entries(options.values).filter(([n]) => free.has(n)));
  const bindings: Record<string, Expr> = Object.fromEntries(Object.entries(values).map(([n, v]) => [n, int(v)]));
  for (const desc of Object.values(sdfg.arrays)) substituteDesc(desc, bindings);
  for (const state of allStates(sdfg)) {
    for (const e of state.edges) e.memlet = substituteMemlet(e.memlet, bindings);
    for (const n of state.nodes) {
      switch (n.kind) {
        case 'MapEntry': n.map.ranges = n.map.ranges.map((r) => ({ begin: r.begin.subs(bindings), end: r.end.subs(bindings), step: r.step.subs(bindings) })); break;
        case 'ConsumeEntry': n.consume.numPes = n.consume.numPes.subs(bindings); break;
        case 'Tasklet': {
          const code = substituteTaskletCode(n, bindings);
          if (code) n.code = code;
          break;
        }
        case 'NestedSDFG': for (const [k, v] of Object.entries(n.symbolMapping)) n.symbolMapping[k] = v.subs(bindings); break;
        case 'AccessNode': case 'MapExit': case 'ConsumeExit': case 'LibraryNode': break;
        default: assertNever(n, 'node');
      }
    }
  }
  for (const { cfg } of controlFlowGraphs(sdfg)) {
    for (const e of cfg.edges) {
      e.condition = substituteTExpr(e.condition, values);
      for (const [k, v] of Object.entries(e.assignments)) e.assignments[k] = substituteTExpr(v, values);
    }
    for (const b of cfg.blocks) {
      if (b.kind === 'LoopRegion') {
        b.condition = substituteTExpr(b.condition, values);
        if (b.init) b.init = substituteTExpr(b.init, values);
        if (b.update) b.update = substituteTExpr(b.update, values);
      }
      if (b.kind === 'ConditionalBlock') for (const branch of b.branches) if (branch.condition) branch.condition = substituteTExpr(branch.condition, values);
    }
  }
  for (const [name, value] of Object.entries(values)) {
    const dtype = sdfg.symbols[name] ?? i64;
    delete sdfg.symbols[name];
    sdfg.argNames = sdfg.argNames.filter((a) => a !== name);
    // Only raw code can still mention the name: keep its value reachable there.
    if (symbolUseOutside(sdfg, name, null)) sdfg.constants[name] = { dtype, value };
  }
}

export const symbolSpecialization = defineTransformation<SdfgCandidate, SymbolSpecializationOptions>({
  name: 'SymbolSpecialization',
  summary: 'Bind free symbols to given integer values everywhere and remove them from the signature',
  modifies: ['memlets', 'descriptors', 'symbols', 'nodes', 'control-flow'],
  defaults: { values: {} },
  candidates: (sdfg) => [{ sdfg }],
  canApply,
  apply,
  describe: (c) => `sdfg ${c.sdfg.name}`,
});
