// Validation of symbol use: every symbolic expression of an SDFG names only symbols defined where it is used.
import type { ValidationError } from '../errors.js';
import { namesRead, type TExpr } from '../tasklet-ast.js';
import type { Expr } from '../symbolic.js';
import {
  blockIssue, describeEdge, describeInterstateEdge, describeNode, edgeIssue, has, interstateIssue, nodeIssue, sdfgIssue,
  type SdfgInfo, type StateInfo, type ValidationRule,
} from './context.js';
import { describeGraph } from './control-flow-rules.js';
import { symbolsOfExprs, symbolsOfRange, symbolsOfSubset } from './memlets.js';
import { memletText } from './data-rules.js';

/** One place that reads symbols, with what is bound around it and how to report a bad name there. */
export interface SymbolUse {
  readonly names: Iterable<string>;
  /** Names bound around the use: map parameters, consume indices, dynamic map inputs, loop variables. */
  readonly local: ReadonlySet<string>;
  /** Interstate and loop expressions may also read data containers (scalars, array elements). */
  readonly readsData: boolean;
  /** `the subset of memlet A[K] on edge A -> t.a`, for messages. */
  readonly where: string;
  issue(message: string, hint: string): ValidationError;
}

const texprNames = (...es: (TExpr | null)[]): Set<string> => {
  const out = new Set<string>();
  for (const e of es) if (e) namesRead(e, out);
  return out;
};

/** Every symbol use of one SDFG (not of the SDFGs nested in it). */
export function* symbolUses(s: SdfgInfo): Generator<SymbolUse> {
  yield* sdfgUses(s);
  for (const st of s.states) yield* stateUses(st);
}

/** Symbol uses outside states: data descriptors, interstate edges, loops and branch conditions. */
function* sdfgUses(s: SdfgInfo): Generator<SymbolUse> {
  const none = new Set<string>();
  for (const [name, desc] of Object.entries(s.sdfg.arrays)) {
    const parts: [string, Expr[]][] = desc.kind === 'Scalar' ? []
      : desc.kind === 'Stream' ? [['shape', desc.shape], ['buffer size', [desc.bufferSize]]]
      : [['shape', desc.shape], ['strides', desc.strides], ['offset', desc.offset], ['total size', [desc.totalSize]]];
    const seen = new Set<string>();
    for (const [part, exprs] of parts) {
      const names = [...symbolsOfExprs(...exprs)].filter((n) => !seen.has(n));
      names.forEach((n) => seen.add(n));
      const where = `the ${part} of data '${name}'`;
      yield { names, local: none, readsData: false, where, issue: (m, h) => sdfgIssue(s, 'undefined-symbol', m, h) };
    }
  }
  for (const g of s.graphs) {
    const local = new Set(g.loopVars);
    for (const e of g.cfg.edges) {
      const edge = `interstate edge ${describeInterstateEdge(g.cfg, e)}`;
      const issue = (m: string, h: string): ValidationError => interstateIssue(g, e, 'undefined-symbol', m, h);
      yield { names: texprNames(e.condition), local, readsData: true, where: `the condition of ${edge}`, issue };
      for (const [target, value] of Object.entries(e.assignments)) {
        yield { names: texprNames(value), local, readsData: true, where: `the assignment to '${target}' on ${edge}`, issue };
      }
    }
    if (g.owner.kind === 'LoopRegion') {
      const loop = g.owner;
      const issue = (m: string, h: string): ValidationError => blockIssue(g, null, 'undefined-symbol', m, h);
      const parts: [string, TExpr | null][] = [['initial value', loop.init], ['condition', loop.condition], ['update', loop.update]];
      for (const [part, e] of parts) {
        yield { names: texprNames(e), local, readsData: true, where: `the ${part} of ${describeGraph(g)}`, issue };
      }
    }
    for (const block of g.cfg.blocks) {
      if (block.kind !== 'ConditionalBlock') continue;
      const issue = (m: string, h: string): ValidationError => blockIssue(g, block, 'undefined-symbol', m, h);
      for (const [k, branch] of block.branches.entries()) {
        yield { names: texprNames(branch.condition), local, readsData: true, where: `the condition of branch ${k} of ConditionalBlock '${block.label}'`, issue };
      }
    }
  }
}

function* stateUses(st: StateInfo): Generator<SymbolUse> {
  const loopVars = st.cfg.loopVars;
  // In a cyclic state scopes are unknown; state-cycle reports that, and no map parameter counts as bound.
  const localAt = (scope: number | null): Set<string> => {
    const names = st.order ? st.scopeSymbols(scope) : new Set<string>();
    for (const v of loopVars) names.add(v);
    return names;
  };
  for (const e of st.validEdges()) {
    const m = e.memlet;
    if (m.data === null) continue;
    const names = new Set([...(m.subset ? symbolsOfSubset(m.subset) : []), ...(m.otherSubset ? symbolsOfSubset(m.otherSubset) : [])]);
    yield {
      names, local: localAt(st.order ? st.scopes.innerSide(e) : null), readsData: false,
      where: `memlet ${memletText(m)} on edge ${describeEdge(st, e)}`,
      issue: (msg, h) => edgeIssue(st, e, 'undefined-symbol', msg, h),
    };
  }
  for (const n of st.nodeList) {
    const issue = (msg: string, h: string): ValidationError => nodeIssue(st, n, 'undefined-symbol', msg, h);
    const outer = st.order ? st.scopes.outerOf(n) : null;
    switch (n.kind) {
      case 'MapEntry': {
        const local = localAt(outer);
        for (const c of Object.keys(n.inConnectors)) if (!c.startsWith('IN_')) local.add(c);
        const names = new Set(n.map.ranges.flatMap((r) => [...symbolsOfRange(r)]));
        yield { names, local, readsData: false, where: `the range of ${describeNode(n)}`, issue };
        break;
      }
      case 'ConsumeEntry':
        yield { names: n.consume.numPes.freeSymbols(), local: localAt(outer), readsData: false, where: `the number of processing elements of ${describeNode(n)}`, issue };
        break;
      case 'NestedSDFG':
        yield {
          names: symbolsOfExprs(...Object.values(n.symbolMapping)), local: localAt(outer), readsData: false,
          where: `the symbol mapping of ${describeNode(n)}`, issue,
        };
        break;
      case 'AccessNode': case 'Tasklet': case 'MapExit': case 'ConsumeExit': case 'LibraryNode': break;
    }
  }
}

/** Whether a name is defined for an SDFG-wide use: a symbol, a constant, or assigned on an interstate edge. */
function definedInSdfg(s: SdfgInfo, name: string): boolean {
  return has(s.sdfg.symbols, name) || has(s.sdfg.constants, name) || s.assigned.has(name);
}

/** The symbols an SDFG uses without defining them itself: what a nested SDFG needs from its parent. */
export function freeSymbolsOf(s: SdfgInfo): Set<string> {
  const free = new Set<string>();
  for (const use of symbolUses(s)) {
    for (const name of use.names) {
      if (use.local.has(name) || has(s.sdfg.constants, name) || s.assigned.has(name)) continue;
      if (use.readsData && has(s.sdfg.arrays, name)) continue;
      free.add(name);
    }
  }
  return free;
}

export const undefinedSymbol: ValidationRule = {
  name: 'undefined-symbol',
  summary: 'shapes, subsets, ranges, conditions and symbol mappings name only symbols defined where they are used',
  *check(ctx) {
    for (const s of ctx.sdfgs) for (const use of sdfgUses(s)) yield* undefinedIn(s, use);
    for (const st of ctx.states) for (const use of stateUses(st)) yield* undefinedIn(st.sdfg, use);
  },
};

function* undefinedIn(s: SdfgInfo, use: SymbolUse): Generator<ValidationError> {
  const reported = new Set<string>();
  for (const name of use.names) {
    if (reported.has(name) || use.local.has(name) || definedInSdfg(s, name)) continue;
    if (use.readsData && has(s.sdfg.arrays, name)) continue;
    reported.add(name);
    yield use.issue(`${use.where} uses undefined symbol '${name}'`,
      `declare '${name}' as a symbol of SDFG '${s.sdfg.name}' (sdfg.symbols), or use a map parameter, loop variable or interstate assignment that is in scope here`);
  }
}
