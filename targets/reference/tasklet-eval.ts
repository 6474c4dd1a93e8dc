// Evaluating tasklet-language code: statements and expressions over connectors, locals and symbols, with the types
// that tasklet type inference gives each expression and the operator semantics of graph/tasklet-ops.ts.
import { type DType, i64 } from '../../graph/dtypes.js';
import { type GraphPath, TargetError, assertNever } from '../../graph/errors.js';
import type { AssignOp, BinaryOp, TExpr, TStmt } from '../../graph/tasklet-ast.js';
import { binaryOps, castValue, evalBinary, evalCall, evalUnary } from '../../graph/tasklet-ops.js';
import type { TaskletTyping } from '../../graph/tasklet-types.js';

/** How names outside the code resolve: connectors, symbols, map parameters, containers (in interstate code). */
export interface NameAccess {
  read(name: string): number;
  element(name: string, indices: readonly number[]): number;
  /** Assign a scalar output connector. */
  assign(name: string, value: number): void;
  /** Assign an element of an array-valued output connector. */
  assignElement(name: string, indices: readonly number[], value: number): void;
  /** The type a name holds (output connectors, for compound assignment and conversion). */
  typeOfName(name: string): DType;
}

interface Local {
  value: number;
  readonly dtype: DType;
}

/** Compound assignment `x op= v` computes `x op v`. */
const compoundOp: Readonly<Record<Exclude<AssignOp, '='>, BinaryOp>> = {
  '+=': '+', '-=': '-', '*=': '*', '/=': '/', '%=': '%', '&=': '&', '|=': '|', '^=': '^', '<<=': '<<', '>>=': '>>',
};

/** Bounded loops may not run forever: a zero step would. */
function zeroStep(path: GraphPath | undefined): TargetError {
  return new TargetError({ code: 'zero-step', message: 'a tasklet for-loop has step 0', ...(path ? { path } : {}) });
}

export class TaskletEvaluator {
  private readonly scopes: Map<string, Local>[] = [];

  constructor(private readonly typing: TaskletTyping, private readonly names: NameAccess, private readonly path: GraphPath | undefined) {}

  private local(name: string): Local | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const found = this.scopes[i]!.get(name);
      if (found) return found;
    }
    return undefined;
  }

  run(body: readonly TStmt[]): void {
    this.scopes.push(new Map());
    try {
      for (const s of body) this.statement(s);
    } finally {
      this.scopes.pop();
    }
  }

  private declare(name: string, dtype: DType, value: number): void {
    this.scopes[this.scopes.length - 1]!.set(name, { value: castValue(value, dtype), dtype });
  }

  private statement(s: TStmt): void {
    switch (s.k) {
      case 'let': {
        const dtype = s.dtype ?? this.typing.localType(s.name) ?? this.typing.typeOf(s.value);
        this.declare(s.name, dtype, this.expr(s.value));
        return;
      }
      case 'assign': return this.assign(s);
      case 'if':
        this.run(this.expr(s.cond) !== 0 ? s.then : s.else);
        return;
      case 'for': {
        const dtype = i64; // loop variables count in i64, as inference types them
        const begin = this.expr(s.begin), end = this.expr(s.end), step = this.expr(s.step);
        if (step === 0) throw zeroStep(this.path);
        for (let v = begin; step > 0 ? v < end : v > end; v += step) {
          this.scopes.push(new Map());
          try {
            this.declare(s.variable, dtype, v);
            this.run(s.body);
          } finally {
            this.scopes.pop();
          }
        }
        return;
      }
      default: return assertNever(s, 'tasklet statement');
    }
  }

  private assign(s: TStmt & { k: 'assign' }): void {
    const target = s.target;
    const local = target.k === 'name' ? this.local(target.name) : undefined;
    const targetType = local ? local.dtype : this.names.typeOfName(target.name);
    const indices = target.k === 'index' ? target.indices.map((i) => this.expr(i)) : [];
    let value = this.expr(s.value);
    if (s.op !== '=') {
      const current = local ? local.value : target.k === 'index' ? this.names.element(target.name, indices) : this.names.read(target.name);
      const t = this.typing.assignOperandType(s);
      value = evalBinary(compoundOp[s.op], castValue(current, t), castValue(value, t), t);
    }
    value = castValue(value, targetType);
    if (local) local.value = value;
    else if (target.k === 'index') this.names.assignElement(target.name, indices, value);
    else this.names.assign(target.name, value);
  }

  expr(e: TExpr): number {
    switch (e.k) {
      case 'num': return castValue(e.value, this.typing.typeOf(e));
      case 'bool': return e.value ? 1 : 0;
      case 'name': {
        const local = this.local(e.name);
        return local ? local.value : this.names.read(e.name);
      }
      case 'index': return this.names.element(e.name, e.indices.map((i) => this.expr(i)));
      case 'unary': {
        const t = this.typing.operandTypeOf(e);
        return evalUnary(e.op, castValue(this.expr(e.arg), t), t);
      }
      case 'binary': {
        const t = this.typing.operandTypeOf(e);
        const a = castValue(this.expr(e.lhs), t);
        // && and || decide on the left operand alone, as in C: the right one is not evaluated.
        if (binaryOps[e.op].shortCircuit && (e.op === '&&' ? a === 0 : a !== 0)) return e.op === '||' ? 1 : 0;
        return evalBinary(e.op, a, castValue(this.expr(e.rhs), t), t);
      }
      case 'ternary':
        return castValue(this.expr(e.cond) !== 0 ? this.expr(e.then) : this.expr(e.else), this.typing.typeOf(e));
      case 'call': {
        const t = this.typing.operandTypeOf(e);
        return evalCall(e.fn, e.args.map((a) => castValue(this.expr(a), t)), t);
      }
      case 'cast': return castValue(this.expr(e.arg), e.dtype);
      default: return assertNever(e, 'tasklet expression');
    }
  }
}
