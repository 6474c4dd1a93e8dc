// Rewriting tasklet code for scope surgery: replacing the symbols a tasklet reads (map parameters) by expressions.
import { i64 } from '../../graph/dtypes.js';
import type { Tasklet } from '../../graph/nodes.js';
import type { Expr } from '../../graph/symbolic.js';
import { type TExpr, type TStmt, type TaskletCode, forEachStmt } from '../../graph/tasklet-ast.js';
// The one converter from symbolic integers to tasklet expressions lives with the tasklet parser.
import { exprToTExpr } from '../../graph/expr-to-tasklet.js';

/**
 * A symbolic expression as tasklet code of the type symbols have (i64): a lone symbol stays a name,
 * anything else is cast so that literals do not narrow the arithmetic around them to i32.
 */
export function symbolValue(e: Expr): TExpr {
  const name = e.symbolName();
  if (name !== undefined) return { k: 'name', name };
  return { k: 'cast', dtype: i64, arg: exprToTExpr(e) };
}

function substituteExpr(e: TExpr, map: ReadonlyMap<string, TExpr>): TExpr {
  switch (e.k) {
    case 'num': case 'bool': return e;
    case 'name': return map.get(e.name) ?? e;
    case 'index': return { ...e, indices: e.indices.map((i) => substituteExpr(i, map)) };
    case 'unary': return { ...e, arg: substituteExpr(e.arg, map) };
    case 'binary': return { ...e, lhs: substituteExpr(e.lhs, map), rhs: substituteExpr(e.rhs, map) };
    case 'ternary': return { ...e, cond: substituteExpr(e.cond, map), then: substituteExpr(e.then, map), else: substituteExpr(e.else, map) };
    case 'call': return { ...e, args: e.args.map((a) => substituteExpr(a, map)) };
    case 'cast': return { ...e, arg: substituteExpr(e.arg, map) };
  }
}

function substituteStmts(body: readonly TStmt[], map: ReadonlyMap<string, TExpr>): TStmt[] {
  return body.map((s): TStmt => {
    switch (s.k) {
      case 'assign': {
        const target = s.target.k === 'index' ? { ...s.target, indices: s.target.indices.map((i) => substituteExpr(i, map)) } : s.target;
        return { ...s, target, value: substituteExpr(s.value, map) };
      }
      case 'let': return { ...s, value: substituteExpr(s.value, map) };
      case 'if': return { ...s, cond: substituteExpr(s.cond, map), then: substituteStmts(s.then, map), else: substituteStmts(s.else, map) };
      case 'for': return {
        ...s, begin: substituteExpr(s.begin, map), end: substituteExpr(s.end, map), step: substituteExpr(s.step, map),
        body: substituteStmts(s.body, map),
      };
    }
  });
}

/** Names the code defines itself (locals and loop variables): these shadow symbols. */
function localNames(body: readonly TStmt[]): Set<string> {
  const names = new Set<string>();
  forEachStmt(body, (s) => {
    if (s.k === 'let') names.add(s.name);
    if (s.k === 'for') names.add(s.variable);
  });
  return names;
}

/**
 * The tasklet's code with `bindings` substituted for the symbols it reads; undefined when nothing
 * changes or the code is raw (another language). Connectors and locals of the same name are left alone.
 */
export function substituteTaskletCode(tasklet: Tasklet, bindings: Readonly<Record<string, Expr>>): TaskletCode | undefined {
  const code = tasklet.code;
  if (code.language !== 'tasklet') return undefined;
  const shadowed = new Set([...Object.keys(tasklet.inConnectors), ...Object.keys(tasklet.outConnectors), ...localNames(code.body)]);
  const map = new Map<string, TExpr>();
  for (const [name, value] of Object.entries(bindings)) {
    if (shadowed.has(name)) continue;
    if (value.symbolName() === name) continue;
    map.set(name, symbolValue(value));
  }
  if (map.size === 0) return undefined;
  // The source text no longer matches the body; drop it so printers use the AST.
  return { language: 'tasklet', body: substituteStmts(code.body, map) };
}
