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

/** What printing may know of types: whether a binary operation works on floats (`%` on floats is C's fmod). */
export interface PythonTypes {
  readonly floatOperands?: (e: TExpr) => boolean;
  /** Whether a compound assignment (`o %= x`) computes in a float type. */
  readonly floatAssign?: (s: TStmt & { k: 'assign' }) => boolean;
}

/** An expression, parenthesized the way DaCe writes its own: every operation in parentheses. */
export function pythonExpr(e: TExpr, types: PythonTypes = {}): string {
  const py = (x: TExpr): string => pythonExpr(x, types);
  switch (e.k) {
    case 'num': {
      const text = pythonNumber(e.value, e.isFloat);
      return e.value < 0 && !text.startsWith('(') ? `(${text})` : text;
    }
    case 'bool': return e.value ? 'True' : 'False';
    case 'name': return e.name;
    case 'index': return `${e.name}[${e.indices.map(py).join(', ')}]`;
    case 'unary': return e.op === '!' ? `(not ${py(e.arg)})` : `(${e.op}${py(e.arg)})`;
    case 'binary': {
      // DaCe hands `%` to C++, which has no `%` for floats: the tasklet language's float `%` is fmod.
      if (e.op === '%' && types.floatOperands?.(e)) return `fmod(${py(e.lhs)}, ${py(e.rhs)})`;
      const op = e.op === '&&' ? 'and' : e.op === '||' ? 'or' : e.op;
      return `(${py(e.lhs)} ${op} ${py(e.rhs)})`;
    }
    case 'ternary': return `(${py(e.then)} if ${py(e.cond)} else ${py(e.else)})`;
    case 'call': return pythonCall(e.fn, e.args.map(py));
    case 'cast': return `${daceTypeName(e.dtype)}(${py(e.arg)})`;
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
export function pythonStatements(body: readonly TStmt[], indent = '', types: PythonTypes = {}): string {
  if (body.length === 0) return `${indent}pass`;
  return body.map((s) => pythonStatement(s, indent, types)).join('\n');
}

function pythonStatement(s: TStmt, indent: string, types: PythonTypes): string {
  const py = (e: TExpr): string => pythonExpr(e, types);
  const block = (body: readonly TStmt[]): string => pythonStatements(body, indent + '    ', types);
  switch (s.k) {
    case 'assign':
      if (s.op === '%=' && types.floatAssign?.(s)) return `${indent}${py(s.target)} = fmod(${py(s.target)}, ${py(s.value)})`;
      return `${indent}${py(s.target)} ${s.op} ${py(s.value)}`;
    case 'let': return `${indent}${s.name} = ${s.dtype ? `${daceTypeName(s.dtype)}(${py(s.value)})` : py(s.value)}`;
    case 'if': {
      const head = `${indent}if ${py(s.cond)}:\n${block(s.then)}`;
      return s.else.length ? `${head}\n${indent}else:\n${block(s.else)}` : head;
    }
    case 'for': {
      const step = s.step.k === 'num' && s.step.value === 1 ? '' : `, ${py(s.step)}`;
      return `${indent}for ${s.variable} in range(${py(s.begin)}, ${py(s.end)}${step}):\n${block(s.body)}`;
    }
    default: return assertNever(s, 'tasklet statement');
  }
}

/** A write-conflict lambda: `(lambda a, b: (a + b))`. */
export function pythonLambda(params: readonly [string, string], body: TExpr): string {
  return `(lambda ${params[0]}, ${params[1]}: ${pythonExpr(body)})`;
}
