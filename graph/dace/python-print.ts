// Printing the tasklet language as the Python DaCe reads (tasklets, interstate edges, loop statements, lambdas).
//
// DaCe compiles this Python with C operators (see python-translate.ts), which are also the tasklet language's, so
// each operator prints as itself; only the spellings differ (`and`, `not`, `a if c else b`, `dace.float32(x)`).
import { assertNever } from '../errors.js';
import type { DType } from '../dtypes.js';
import type { TExpr, TStmt } from '../tasklet-ast.js';

/** A number as Python source: floats keep a '.' or an exponent; non-finite values use DaCe's names. */
export function pythonNumber(value: number, isFloat: boolean): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '(- inf)';
  if (!isFloat) return Number.isInteger(value) ? BigInt(value).toString() : String(Math.trunc(value));
  const text = Object.is(value, -0) ? '-0.0' : String(value);
  return /[.eEn]/.test(text) ? text : `${text}.0`;
}

export function daceTypeName(t: DType): string {
  return `dace.${t.name}`;
}

/** An expression, parenthesized the way DaCe writes its own: every operation in parentheses. */
export function pythonExpr(e: TExpr): string {
  switch (e.k) {
    case 'num': {
      const text = pythonNumber(e.value, e.isFloat);
      return e.value < 0 && !text.startsWith('(') ? `(${text})` : text;
    }
    case 'bool': return e.value ? 'True' : 'False';
    case 'name': return e.name;
    case 'index': return `${e.name}[${e.indices.map(pythonExpr).join(', ')}]`;
    case 'unary': return e.op === '!' ? `(not ${pythonExpr(e.arg)})` : `(${e.op}${pythonExpr(e.arg)})`;
    case 'binary': {
      const op = e.op === '&&' ? 'and' : e.op === '||' ? 'or' : e.op;
      return `(${pythonExpr(e.lhs)} ${op} ${pythonExpr(e.rhs)})`;
    }
    case 'ternary': return `(${pythonExpr(e.then)} if ${pythonExpr(e.cond)} else ${pythonExpr(e.else)})`;
    case 'call': return pythonCall(e.fn, e.args.map(pythonExpr));
    case 'cast': return `${daceTypeName(e.dtype)}(${pythonExpr(e.arg)})`;
    default: return assertNever(e, 'tasklet expression');
  }
}

/** Calls to functions C's math library lacks are spelled out; the rest keep their names. */
function pythonCall(fn: string, args: string[]): string {
  switch (fn) {
    case 'sign': return `(1 if ${args[0]} > 0 else ((-1) if ${args[0]} < 0 else 0))`;
    case 'clamp': return `min(max(${args[0]}, ${args[1]}), ${args[2]})`;
    default: return `${fn}(${args.join(', ')})`;
  }
}

/** Statements, one per line, blocks indented by four spaces. */
export function pythonStatements(body: readonly TStmt[], indent = ''): string {
  if (body.length === 0) return `${indent}pass`;
  return body.map((s) => pythonStatement(s, indent)).join('\n');
}

function pythonStatement(s: TStmt, indent: string): string {
  switch (s.k) {
    case 'assign': return `${indent}${pythonExpr(s.target)} ${s.op} ${pythonExpr(s.value)}`;
    case 'let': {
      const value = pythonExpr(s.value);
      return `${indent}${s.name} = ${s.dtype ? `${daceTypeName(s.dtype)}(${value})` : value}`;
    }
    case 'if': {
      const head = `${indent}if ${pythonExpr(s.cond)}:\n${pythonStatements(s.then, indent + '    ')}`;
      return s.else.length ? `${head}\n${indent}else:\n${pythonStatements(s.else, indent + '    ')}` : head;
    }
    case 'for': {
      const step = s.step.k === 'num' && s.step.value === 1 ? '' : `, ${pythonExpr(s.step)}`;
      return `${indent}for ${s.variable} in range(${pythonExpr(s.begin)}, ${pythonExpr(s.end)}${step}):\n${pythonStatements(s.body, indent + '    ')}`;
    }
    default: return assertNever(s, 'tasklet statement');
  }
}

/** A write-conflict lambda: `(lambda a, b: (a + b))`. */
export function pythonLambda(params: readonly [string, string], body: TExpr): string {
  return `(lambda ${params[0]}, ${params[1]}: ${pythonExpr(body)})`;
}
