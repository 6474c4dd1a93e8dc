// Ranges of symbols at a point of the program: loop variables of the enclosing loops, and map parameters of the enclosing scopes.
import type { Node, ScopeEntry } from '../../graph/nodes.js';
import type { ControlFlowGraph, LoopRegion, SDFG, State } from '../../graph/sdfg.js';
import { nodeById, scopeDict } from '../../graph/query.js';
import { paramAssumptions } from '../../graph/propagate.js';
import { type Range, range } from '../../graph/subsets.js';
import type { Assumptions } from '../../graph/symbolic-compare.js';
import { type Expr, int, max, min, sym } from '../../graph/symbolic.js';
import type { TExpr } from '../../graph/tasklet-ast.js';
import type { Analysis } from '../analysis.js';
import { scopeParams } from './memlet-propagation.js';

/** A tasklet-language integer expression over symbols as a symbolic expression (undefined when it is not one). */
export function taskletToExpr(e: TExpr): Expr | undefined {
  switch (e.k) {
    case 'num': return e.isFloat || !Number.isInteger(e.value) ? undefined : int(e.value);
    case 'name': return sym(e.name);
    case 'unary': {
      const arg = taskletToExpr(e.arg);
      return arg && (e.op === '-' ? arg.neg() : e.op === '+' ? arg : undefined);
    }
    case 'binary': {
      const [a, b] = [taskletToExpr(e.lhs), taskletToExpr(e.rhs)];
      if (!a || !b) return undefined;
      if (e.op === '+') return a.add(b);
      if (e.op === '-') return a.sub(b);
      if (e.op === '*') return a.mul(b);
      return undefined;
    }
    case 'call': {
      const args = e.args.map(taskletToExpr);
      if (args.some((x) => !x) || args.length < 1) return undefined;
      if (e.fn === 'min') return min(...(args as Expr[]));
      if (e.fn === 'max') return max(...(args as Expr[]));
      return undefined;
    }
    default: return undefined;
  }
}

/** `for (v = a; v < b; v = v + s)` (or `<=`, `>`, `>=`) as the range of v, when the loop has that shape. */
export function loopRange(loop: LoopRegion): Range | undefined {
  const v = loop.loopVariable;
  if (!v || !loop.init || !loop.update || loop.condition.k !== 'binary' || loop.update.k !== 'binary') return undefined;
  const { condition: cond, update } = loop;
  if (cond.lhs.k !== 'name' || cond.lhs.name !== v || update.op !== '+' || update.lhs.k !== 'name' || update.lhs.name !== v) return undefined;
  const [begin, bound, step] = [taskletToExpr(loop.init), taskletToExpr(cond.rhs), taskletToExpr(update.rhs)];
  const s = step?.constantValue();
  if (!begin || !bound || s === undefined || s === 0) return undefined;
  switch (cond.op) {
    case '<': return s > 0 ? range(begin, bound, s) : undefined;
    case '<=': return s > 0 ? range(begin, bound.add(1), s) : undefined;
    case '>': return s < 0 ? range(begin, bound, s) : undefined;
    case '>=': return s < 0 ? range(begin, bound.sub(1), s) : undefined;
    default: return undefined;
  }
}

/** Bounds of a range's values (inclusive), whichever way it steps. */
function rangeBounds(r: Range): { lo: Expr; hi: Expr } {
  const negative = (r.step.constantValue() ?? 1) < 0;
  return negative ? { lo: r.end.add(1), hi: r.begin } : { lo: r.begin, hi: r.end.sub(1) };
}

function collect(cfg: ControlFlowGraph, outer: Assumptions, into: Map<State, Assumptions>): void {
  for (const block of cfg.blocks) {
    switch (block.kind) {
      case 'State': into.set(block, outer); break;
      case 'ControlFlowRegion': collect(block, outer, into); break;
      case 'ConditionalBlock': for (const b of block.branches) collect(b.body, outer, into); break;
      case 'LoopRegion': {
        const r = loopRange(block);
        collect(block, r && block.loopVariable ? { ...outer, [block.loopVariable]: rangeBounds(r) } : outer, into);
        break;
      }
    }
  }
}

/** For every state of the SDFG: the bounds of the loop variables of the loops around it. */
export const symbolRanges: Analysis<Map<State, Assumptions>> = {
  name: 'symbol-ranges',
  dependsOn: ['control-flow', 'symbols'],
  compute(sdfg: SDFG) {
    const result = new Map<State, Assumptions>();
    collect(sdfg, {}, result);
    return result;
  },
};

/** Bounds of every symbol defined around `node` in `state`: loop variables and the parameters of enclosing scopes. */
export function assumptionsAt(ranges: Map<State, Assumptions>, state: State, node?: Node): Assumptions {
  let result: Assumptions = ranges.get(state) ?? {};
  if (!node) return result;
  const dict = scopeDict(state);
  const chain: ScopeEntry[] = [];
  for (let s = dict.get(node.id) ?? null; s !== null; s = dict.get(s) ?? null) chain.unshift(nodeById(state, s) as ScopeEntry);
  for (const entry of chain) {
    const { params, ranges: rs } = scopeParams(entry);
    result = paramAssumptions(params, rs, result);
  }
  return result;
}
