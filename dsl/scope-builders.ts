// Map, consume and state scopes of the fluent API: `p.map\`i = 0:${N}\`.tasklet({...}, {...})\`code\``.
import type { DType, DTypeName } from '../graph/dtypes.js';
import { BuilderError } from '../graph/errors.js';
import type { ScheduleType } from '../graph/nodes.js';
import { addEdge, addNode } from '../graph/construct.js';
import { emptyMemlet } from '../graph/memlet.js';
import { makeArray, makeScalar } from '../graph/data.js';
import { captureSourceLocation, type SourceLocation } from '../graph/source-location.js';
import type { Range } from '../graph/subsets.js';
import { range as makeRange } from '../graph/subsets.js';
import { type Expr, type ExprLike, int, sym, toExpr } from '../graph/symbolic.js';
import { ArrayHandle, ScalarHandle, type StreamHandle } from './handles.js';
import { ScopeFrame } from './scope.js';
import { addTasklet, type ConnectorMap } from './tasklets.js';
import { atCall, isTemplateCall, parseMapRanges, templateSource, type ParamRange } from './templates.js';
import type { Tasklet } from '../graph/nodes.js';
import type { ProgramContext } from './context.js';

/** A tagged template that receives tasklet code. */
export type CodeTag = (strings: TemplateStringsArray, ...values: unknown[]) => Tasklet;

/** Runs `body` with a frame to build into; returns what the body returns. */
type Materialize = <T>(label: string, body: (frame: ScopeFrame) => T) => T;

/** Building inside one state (the top of a `p.state(...)` or the inside of a map/consume scope). */
export class ScopeBuilder {
  constructor(protected readonly ctx: ProgramContext, protected readonly frame: ScopeFrame) {}

  /** A tasklet in this scope: `tasklet({ a: A.at\`i\` }, { out: B.at\`i\` })\`out = 2 * a\``. */
  tasklet(inputs: ConnectorMap, outputs: ConnectorMap, name?: string): CodeTag {
    const loc = captureSourceLocation();
    return (strings, ...values) => addTasklet(this.frame, { inputs, outputs, strings: [...strings], values, name, loc }, this.ctx.freshName('tasklet'));
  }

  /** A map nested in this scope. */
  map(strings: TemplateStringsArray, ...values: unknown[]): MapBuilder;
  map(label: string): (strings: TemplateStringsArray, ...values: unknown[]) => MapBuilder;
  map(ranges: Readonly<Record<string, RangeSpec>>, label?: string): MapBuilder;
  map(...args: unknown[]): unknown {
    return mapDispatch(this.ctx, (label, body) => body(this.frame), args);
  }

  /** A transient that lives only inside this scope (registers or a small buffer per iteration). */
  transient<N extends DTypeName>(name: string, dtype: DType<N>, shape: readonly ExprLike[] = []): ArrayHandle<N> | ScalarHandle<N> {
    const loc = captureSourceLocation();
    this.ctx.claimName(name, loc);
    const desc = shape.length === 0 ? makeScalar(dtype, { transient: true }) : makeArray(dtype, shape, { transient: true });
    this.ctx.sdfg.arrays[name] = desc;
    this.frame.localTransients.add(name);
    return shape.length === 0 ? new ScalarHandle(name, dtype, desc) : new ArrayHandle(name, dtype, desc);
  }
}

/** A range written in the object form of `map`: `[begin, end]`, `[begin, end, step]` or a Range. */
export type RangeSpec = readonly [ExprLike, ExprLike] | readonly [ExprLike, ExprLike, ExprLike] | Range;

function rangeFromSpec(spec: RangeSpec): Range {
  if (Array.isArray(spec)) return makeRange(toExpr(spec[0]), toExpr(spec[1]), spec[2] === undefined ? int(1) : toExpr(spec[2]));
  return spec as Range;
}

/** Parse the arguments of `map` in any of its forms into a MapBuilder. */
export function mapDispatch(ctx: ProgramContext, materialize: Materialize, args: unknown[], label?: string): unknown {
  const loc = captureSourceLocation();
  if (typeof args[0] === 'string' && args.length === 1) {
    const name = args[0];
    return (strings: TemplateStringsArray, ...values: unknown[]) => mapDispatch(ctx, materialize, [strings, ...values], name);
  }
  let ranges: ParamRange[];
  if (isTemplateCall(args)) {
    const [strings, ...values] = args;
    const src = templateSource(strings, values, 'map ranges', loc);
    ranges = atCall(loc, 'map ranges', () => parseMapRanges(src));
  } else if (args[0] && typeof args[0] === 'object') {
    ranges = Object.entries(args[0] as Record<string, RangeSpec>).map(([param, spec]) => ({ param, range: rangeFromSpec(spec) }));
    if (typeof args[1] === 'string') label = args[1];
  } else {
    throw new BuilderError({ code: 'bad-map', loc, message: 'map expects ranges as a template (map`i = 0:${N}`) or an object ({ i: [0, N] })', hint: 'see the README for examples' });
  }
  if (ranges.length === 0) throw new BuilderError({ code: 'bad-map', loc, message: 'a map needs at least one parameter', hint: 'write map`i = 0:${N}`' });
  return new MapBuilder(ctx, materialize, ranges, label ?? ctx.freshName('map'), loc);
}

/** A scope being described (map or consume); it is built when its body (`tasklet`, `scope`, a nested map) is given. */
abstract class ScopeDescription {
  constructor(protected readonly ctx: ProgramContext) {}

  /** Build the scope's entry and exit in the enclosing frame, then its body in a frame of its own. */
  protected abstract build<T>(body: (frame: ScopeFrame) => T): T;

  /** The scope's body is one tasklet. */
  tasklet(inputs: ConnectorMap, outputs: ConnectorMap, name?: string): CodeTag {
    const loc = captureSourceLocation();
    return (strings, ...values) => this.build((frame) =>
      addTasklet(frame, { inputs, outputs, strings: [...strings], values, name, loc }, this.ctx.freshName('tasklet')));
  }

  /** The scope's body is built by `body` (several tasklets, nested maps, scope-local transients). */
  scope(body: (m: ScopeBuilder) => void): void {
    this.build((frame) => body(new ScopeBuilder(this.ctx, frame)));
  }
}

/** A map scope being described; it is built when its body (`tasklet`, `scope`, or a nested `map`) is given. */
export class MapBuilder extends ScopeDescription {
  private scheduleType: ScheduleType = 'Default';
  constructor(
    ctx: ProgramContext,
    private readonly materializeParent: Materialize,
    private readonly ranges: readonly ParamRange[],
    private mapLabel: string,
    private readonly loc?: SourceLocation,
  ) {
    super(ctx);
  }

  /** The parameters as symbols, for use in expressions: `const [i, j] = m.params`. */
  get params(): Expr[] {
    return this.ranges.map((r) => sym(r.param));
  }

  schedule(schedule: ScheduleType): this {
    this.scheduleType = schedule;
    return this;
  }

  label(label: string): this {
    this.mapLabel = label;
    return this;
  }

  protected build<T>(body: (frame: ScopeFrame) => T): T {
    return this.materializeParent(this.mapLabel, (parent) => {
      const visible = parent.visibleNames();
      for (const { param, range } of this.ranges) {
        if (visible.has(param)) {
          throw new BuilderError({ code: 'shadowed-name', loc: this.loc, message: `map parameter ${param} hides a symbol or parameter of the same name`, hint: 'rename the parameter' });
        }
        const unknown = [...range.begin.freeSymbols(), ...range.end.freeSymbols(), ...range.step.freeSymbols()].filter((s) => !visible.has(s));
        if (unknown.length) {
          throw new BuilderError({ code: 'unknown-name', loc: this.loc, message: `the range of ${param} uses ${unknown.join(', ')}, not defined here`, hint: `names in scope: ${[...visible].sort().join(', ') || '(none)'}` });
        }
      }
      const map = { label: this.mapLabel, params: this.ranges.map((r) => r.param), ranges: this.ranges.map((r) => r.range), schedule: this.scheduleType, unroll: false, collapse: 1 };
      const common = { label: this.mapLabel, inConnectors: {}, outConnectors: {}, ...(this.loc ? { loc: this.loc } : {}) };
      const entry = addNode(parent.state, { kind: 'MapEntry', map, ...common });
      const exit = addNode(parent.state, { kind: 'MapExit', map, ...common, inConnectors: {}, outConnectors: {} });
      const frame = new ScopeFrame(this.ctx.sdfg, parent.state, entry, exit, parent, map.params, map.ranges, parent.outerNames);
      const result = body(frame);
      connectEmptyScope(frame);
      return result;
    });
  }

  /** A map nested directly inside this one. */
  map(strings: TemplateStringsArray, ...values: unknown[]): MapBuilder;
  map(label: string): (strings: TemplateStringsArray, ...values: unknown[]) => MapBuilder;
  map(ranges: Readonly<Record<string, RangeSpec>>, label?: string): MapBuilder;
  map(...args: unknown[]): unknown {
    return mapDispatch(this.ctx, (label, body) => this.build(body), args);
  }
}

/** A scope with nothing flowing in or out still needs its entry and exit connected (by empty memlets). */
function connectEmptyScope(frame: ScopeFrame): void {
  const { state, entry, exit, parent } = frame;
  if (!entry || !exit) return;
  // a nested scope that reads (writes) nothing from outside still hangs from the enclosing entry (exit)
  if (parent?.entry && !state.edges.some((e) => e.dst === entry.id)) addEdge(state, parent.entry, null, entry, null, emptyMemlet());
  if (parent?.exit && !state.edges.some((e) => e.src === exit.id)) addEdge(state, exit, null, parent.exit, null, emptyMemlet());
  const hasOut = state.edges.some((e) => e.src === entry.id);
  const hasIn = state.edges.some((e) => e.dst === exit.id);
  if (!hasOut && !hasIn) {
    state.edges.push({ id: state.nextEdgeId++, src: entry.id, srcConn: null, dst: exit.id, dstConn: null, memlet: { data: null, subset: null, otherSubset: null, volume: int(0), dynamic: false, wcr: null } });
  }
}

/** A consume scope: pops the stream until it is empty; reads of `S.pop` inside are the element being consumed. */
export class ConsumeBuilder extends ScopeDescription {
  constructor(
    ctx: ProgramContext,
    private readonly materializeParent: Materialize,
    private readonly stream: StreamHandle,
    private readonly consumeLabel: string,
    private readonly loc?: SourceLocation,
  ) {
    super(ctx);
  }

  protected build<T>(body: (frame: ScopeFrame) => T): T {
    return this.materializeParent(this.consumeLabel, (parent) => {
      const consume = { label: this.consumeLabel, peIndex: `${this.consumeLabel}_pe`, numPes: int(1), condition: null, schedule: 'Sequential' as ScheduleType, chunksize: 1 };
      const s = this.stream.name;
      const common = { label: this.consumeLabel, ...(this.loc ? { loc: this.loc } : {}) };
      const entry = addNode(parent.state, { kind: 'ConsumeEntry', consume, ...common, inConnectors: { [`IN_${s}`]: null }, outConnectors: { [`OUT_${s}`]: null } });
      const exit = addNode(parent.state, { kind: 'ConsumeExit', consume, ...common, inConnectors: {}, outConnectors: {} });
      const streamSpec = this.stream.pop;
      const frame = new ScopeFrame(this.ctx.sdfg, parent.state, entry, exit, parent, [consume.peIndex], [makeRange(0, 1)], parent.outerNames);
      frame.consumedStream = s;
      // the stream itself flows into the entry from the enclosing frame
      const outer = parent.latest.get(s);
      const node = outer ?? addNode(parent.state, { kind: 'AccessNode', label: s, data: s, setzero: false, inConnectors: {}, outConnectors: {}, ...(this.loc ? { loc: this.loc } : {}) });
      parent.state.edges.push({ id: parent.state.nextEdgeId++, src: node.id, srcConn: null, dst: entry.id, dstConn: `IN_${s}`, memlet: { data: s, subset: streamSpec.subset, otherSubset: null, volume: int(1), dynamic: true, wcr: null }, ...(this.loc ? { loc: this.loc } : {}) });
      const result = body(frame);
      connectEmptyScope(frame);
      return result;
    });
  }

}
