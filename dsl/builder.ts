// The `p` of `program(name, (p) => …)`: declarations, operations (each in its own state) and control flow.
import type { DType, DTypeName } from '../graph/dtypes.js';
import { i64 } from '../graph/dtypes.js';
import { BuilderError } from '../graph/errors.js';
import { makeArray, makeScalar, makeStream, type StorageType } from '../graph/data.js';
import { addBranch, addConditionalBlock, addLoopRegion } from '../graph/construct.js';
import { captureSourceLocation, type SourceLocation } from '../graph/source-location.js';
import { type Expr, type ExprLike, sym, toExpr } from '../graph/symbolic.js';
import { namesRead, type TExpr } from '../graph/tasklet-ast.js';
import type { ConditionalBlock } from '../graph/sdfg.js';
import { ArrayHandle, ScalarHandle, StreamHandle } from './handles.js';
import type { ProgramContext } from './context.js';
import { ConsumeBuilder, MapBuilder, ScopeBuilder, mapDispatch, type CodeTag, type RangeSpec } from './scope-builders.js';
import { addTasklet, type ConnectorMap } from './tasklets.js';
import { buildCall, buildCopy, buildMatmul, buildReduce, type ReduceOptions } from './library-calls.js';
import { parseTaskletExpr } from './tasklet-parser.js';
import { atCall, isTemplateCall, parseMapRanges, templateSource } from './templates.js';
import { loopSymbols, visibleSymbols } from './scope.js';

export interface ArrayDeclOptions { transient?: boolean; storage?: StorageType; strides?: readonly ExprLike[] }

type TemplateArgs = [TemplateStringsArray, ...unknown[]];

export class ProgramBuilder {
  constructor(readonly ctx: ProgramContext) {}

  get name(): string {
    return this.ctx.sdfg.name;
  }

  // ---- declarations ------------------------------------------------------------------------

  /** An integer parameter of the program (array sizes, trip counts). */
  symbol(name: string, dtype: DType = i64): Expr {
    this.ctx.claimName(name, captureSourceLocation());
    this.ctx.sdfg.symbols[name] = dtype;
    return sym(name);
  }

  symbols(...names: string[]): Expr[] {
    return names.map((n) => this.symbol(n));
  }

  /** An array argument of the program (read, written or both). */
  array<N extends DTypeName>(name: string, dtype: DType<N>, shape: readonly ExprLike[], options: ArrayDeclOptions = {}): ArrayHandle<N> {
    const loc = captureSourceLocation();
    this.ctx.claimName(name, loc);
    this.checkShape(name, shape, loc);
    const desc = makeArray(dtype, shape, { transient: options.transient ?? false, storage: options.storage ?? 'Default', ...(options.strides ? { strides: options.strides } : {}) });
    this.ctx.sdfg.arrays[name] = desc;
    return new ArrayHandle(name, dtype, desc);
  }

  /** A temporary array that lives only inside the program. */
  transient<N extends DTypeName>(name: string, dtype: DType<N>, shape: readonly ExprLike[]): ArrayHandle<N> {
    return this.array(name, dtype, shape, { transient: true });
  }

  /** A scalar argument (or, with `transient`, a scalar temporary). */
  scalar<N extends DTypeName>(name: string, dtype: DType<N>, options: { transient?: boolean } = {}): ScalarHandle<N> {
    this.ctx.claimName(name, captureSourceLocation());
    const desc = makeScalar(dtype, { transient: options.transient ?? false });
    this.ctx.sdfg.arrays[name] = desc;
    return new ScalarHandle(name, dtype, desc);
  }

  /** A bounded FIFO queue between producers (`S.push`) and consumers (`S.pop`, `consume`). */
  stream<N extends DTypeName>(name: string, dtype: DType<N>, options: { bufferSize?: ExprLike; transient?: boolean } = {}): StreamHandle<N> {
    this.ctx.claimName(name, captureSourceLocation());
    const desc = makeStream(dtype, options.bufferSize ?? 0, { transient: options.transient ?? true });
    this.ctx.sdfg.arrays[name] = desc;
    return new StreamHandle(name, dtype, desc);
  }

  private checkShape(name: string, shape: readonly ExprLike[], loc?: SourceLocation): void {
    if (!Array.isArray(shape)) {
      throw new BuilderError({ code: 'bad-shape', loc, message: `the shape of ${name} must be an array of sizes`, hint: `e.g. p.array('${name}', f64, [N, M])` });
    }
    shape.forEach((dim, d) => {
      if (typeof dim === 'number' && (!Number.isInteger(dim) || dim <= 0)) {
        throw new BuilderError({ code: 'bad-shape', loc, message: `dimension ${d} of ${name} is ${dim}; sizes are positive integers`, hint: 'use a positive integer or a symbol' });
      }
      if (typeof dim !== 'number') {
        const unknown = [...toExpr(dim as ExprLike).freeSymbols()].filter((s) => !(s in this.ctx.sdfg.symbols));
        if (unknown.length) {
          throw new BuilderError({ code: 'unknown-name', loc, message: `the shape of ${name} uses ${unknown.join(', ')}, not declared as a symbol`, hint: `declare it first: p.symbol('${unknown[0]}')` });
        }
      }
    });
  }

  // ---- operations (each builds its own state) -----------------------------------------------

  /** A parallel map: ``p.map`i = 0:${N}, j = 1:${M} - 1` ``, `p.map('name')`…``, or `p.map({ i: [0, N] })`. */
  map(strings: TemplateStringsArray, ...values: unknown[]): MapBuilder;
  map(label: string): (strings: TemplateStringsArray, ...values: unknown[]) => MapBuilder;
  map(ranges: Readonly<Record<string, RangeSpec>>, label?: string): MapBuilder;
  map(...args: unknown[]): unknown {
    return mapDispatch(this.ctx, (label, body) => this.ctx.inNewState(label, captureSourceLocation(), body), args);
  }

  /** A single tasklet outside any map. */
  tasklet(inputs: ConnectorMap, outputs: ConnectorMap, name?: string): CodeTag {
    const loc = captureSourceLocation();
    return (strings, ...values) => {
      const label = name ?? this.ctx.freshName('tasklet');
      return this.ctx.inNewState(label, loc, (frame) => addTasklet(frame, { inputs, outputs, strings: [...strings], values, name: label, loc }, label));
    };
  }

  /** Several operations in one state (dataflow between them follows the order of the calls). */
  state(label: string, body: (s: ScopeBuilder) => void): void {
    this.ctx.inNewState(label, captureSourceLocation(), (frame) => body(new ScopeBuilder(this.ctx, frame)));
  }

  /** Pop every element of a stream, running the scope's body once per element. */
  consume(stream: StreamHandle, options: { label?: string } = {}): ConsumeBuilder {
    const loc = captureSourceLocation();
    if (!(stream instanceof StreamHandle)) {
      throw new BuilderError({ code: 'not-a-stream', loc, message: 'consume expects a stream handle (from p.stream)', hint: "declare it with p.stream('S', f64)" });
    }
    const label = options.label ?? this.ctx.freshName('consume');
    return new ConsumeBuilder(this.ctx, (l, body) => this.ctx.inNewState(l, loc, body), stream, label, loc);
  }

  /** Reduce `input` into `output` along `axes` (all by default) with `op`. */
  reduce(input: unknown, output: unknown, options: ReduceOptions): void {
    buildReduce(this.ctx, input, output, options, captureSourceLocation());
  }

  /** `C = alpha * A @ B + beta * C` as a MatMul library node. */
  matmul<N extends DTypeName>(a: ArrayHandle<N> | unknown, b: ArrayHandle<N> | unknown, c: ArrayHandle<N> | unknown, options: { alpha?: number; beta?: number; label?: string } = {}): void {
    buildMatmul(this.ctx, a, b, c, options, captureSourceLocation());
  }

  /** Copy between containers (or subsets of them) of the same shape. */
  copy(from: unknown, to: unknown): void {
    buildCopy(this.ctx, from, to, captureSourceLocation());
  }

  /** Call another program as a nested SDFG, binding its parameters to data and symbols here. */
  call(callee: { readonly sdfg: import('../graph/sdfg.js').SDFG }, bindings: Readonly<Record<string, unknown>>): void {
    buildCall(this.ctx, callee, bindings, captureSourceLocation());
  }

  // ---- control flow ----------------------------------------------------------------------

  /** A sequential loop: ``p.for`t = 0:${T}`((t) => { … })`` (exclusive end, optional `:step`). */
  for(strings: TemplateStringsArray, ...values: unknown[]): (body: (variable: Expr) => void) => void {
    const loc = captureSourceLocation();
    const src = templateSource(strings, values, 'loop range', loc);
    const ranges = atCall(loc, 'loop range', () => parseMapRanges(src));
    if (ranges.length !== 1) {
      throw new BuilderError({ code: 'bad-loop', loc, message: `a loop has one variable, got ${ranges.length}`, hint: 'nest loops for several variables' });
    }
    const { param, range } = ranges[0]!;
    this.checkNames([...range.begin.freeSymbols(), ...range.end.freeSymbols(), ...range.step.freeSymbols()], 'loop range', loc);
    const reusable = loopSymbols(this.ctx.sdfg).has(param) && !this.ctx.loopVariables.includes(param);
    if (param in this.ctx.sdfg.symbols && !reusable) {
      throw new BuilderError({ code: 'shadowed-name', loc, message: `loop variable ${param} hides the symbol of the same name`, hint: 'rename the loop variable' });
    }
    const step = range.step.constantValue();
    if (step === undefined || step === 0) {
      throw new BuilderError({ code: 'bad-loop', loc, message: `the loop step must be a non-zero constant, got ${range.step}`, hint: 'use a constant step such as 1 or -1' });
    }
    return (body) => {
      if (!(param in this.ctx.sdfg.symbols)) {
        this.ctx.sdfg.symbols[param] = i64;
        loopSymbols(this.ctx.sdfg).add(param);
      }
      const v: TExpr = { k: 'name', name: param };
      const loop = this.ctx.appendBlock((cfg) => addLoopRegion(cfg, this.ctx.freshName(`loop_${param}`), {
        loopVariable: param,
        init: exprToTasklet(range.begin),
        condition: { k: 'binary', op: step > 0 ? '<' : '>', lhs: v, rhs: exprToTasklet(range.end) },
        update: { k: 'binary', op: '+', lhs: v, rhs: exprToTasklet(range.step) },
      }, loc), loc);
      this.ctx.loopVariables.push(param);
      try {
        this.ctx.inRegion(loop, () => body(sym(param)));
      } finally {
        this.ctx.loopVariables.pop();
      }
    };
  }

  /** A loop that runs while a condition over symbols and scalars holds: ``p.while`${k} < ${N}`(() => …)``. */
  while(strings: TemplateStringsArray, ...values: unknown[]): (body: () => void) => void {
    const loc = captureSourceLocation();
    const condition = this.condition([strings, ...values], loc);
    return (body) => {
      const loop = this.ctx.appendBlock((cfg) => addLoopRegion(cfg, this.ctx.freshName('while'), { loopVariable: null, init: null, condition, update: null }, loc), loc);
      this.ctx.inRegion(loop, body);
    };
  }

  /** A branch: ``p.if`${t} % 2 == 0`(() => …).elif`…`(() => …).else(() => …)``. */
  if(strings: TemplateStringsArray, ...values: unknown[]): (then: () => void) => IfChain {
    const loc = captureSourceLocation();
    const condition = this.condition([strings, ...values], loc);
    return (then) => {
      const block = this.ctx.appendBlock((cfg) => addConditionalBlock(cfg, this.ctx.freshName('if'), loc), loc);
      this.ctx.inRegion(addBranch(block, condition, loc), then);
      return new IfChain(this, block);
    };
  }

  /** Set a symbol on the transition to the next operation: `p.assign('k', sym('k').add(1))`. */
  assign(name: string, value: ExprLike): Expr {
    const loc = captureSourceLocation();
    if (!(name in this.ctx.sdfg.symbols)) this.symbol(name);
    const expr = toExpr(value);
    this.checkNames([...expr.freeSymbols()], `the value assigned to ${name}`, loc);
    this.ctx.pendingAssignments[name] = exprToTasklet(expr);
    return sym(name);
  }

  /** @internal parse and check a condition template. */
  condition(args: TemplateArgs, loc?: SourceLocation): TExpr {
    const [strings, ...values] = args;
    if (!isTemplateCall(args)) throw new BuilderError({ code: 'bad-condition', loc, message: 'conditions are tagged templates', hint: 'write p.if`${N} > 0`(…)' });
    const cond = parseTaskletExpr({ strings: [...strings], values }, { loc });
    const scalars = Object.entries(this.ctx.sdfg.arrays).filter(([, d]) => d.kind === 'Scalar' || d.kind === 'Array').map(([n]) => n);
    this.checkNames([...namesRead(cond)].filter((n) => !scalars.includes(n)), 'condition', loc);
    return cond;
  }

  private checkNames(names: readonly string[], what: string, loc?: SourceLocation): void {
    const visible = visibleSymbols(this.ctx.sdfg, this.ctx.loopVariables);
    const unknown = names.filter((n) => !visible.has(n));
    if (unknown.length) {
      throw new BuilderError({ code: 'unknown-name', loc, message: `${what} uses ${unknown.join(', ')}, not a symbol, loop variable or scalar here`, hint: `names in scope: ${[...visible].sort().join(', ') || '(none)'}` });
    }
  }
}

/** The rest of an `if`: more branches. */
export class IfChain {
  constructor(private readonly builder: ProgramBuilder, private readonly block: ConditionalBlock) {}

  elif(strings: TemplateStringsArray, ...values: unknown[]): (body: () => void) => IfChain {
    const loc = captureSourceLocation();
    const condition = this.builder.condition([strings, ...values], loc);
    return (body) => {
      this.builder.ctx.inRegion(addBranch(this.block, condition, loc), body);
      return this;
    };
  }

  else(body: () => void): void {
    this.builder.ctx.inRegion(addBranch(this.block, null, captureSourceLocation()), body);
  }
}

/** An integer expression as tasklet-language code (for loop bounds and interstate assignments). */
export function exprToTasklet(e: Expr): TExpr {
  return parseTaskletExpr({ strings: ['', ''], values: [e] });
}

export type { ScopeBuilder, MapBuilder, ConsumeBuilder };
