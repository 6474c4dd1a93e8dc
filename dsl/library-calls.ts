// Whole-container operations of the builder: reduce, matmul, copy, and calls to other programs (nested SDFGs).
import type { DType } from '../graph/dtypes.js';
import { BuilderError } from '../graph/errors.js';
import type { Memlet, Wcr } from '../graph/memlet.js';
import { makeMemlet } from '../graph/memlet.js';
import { addEdge, addNode } from '../graph/construct.js';
import type { SDFG } from '../graph/sdfg.js';
import { allStates } from '../graph/query.js';
import { cloneSDFG } from '../graph/clone.js';
import type { SourceLocation } from '../graph/source-location.js';
import { isIndex, subsetShape, formatSubset } from '../graph/subsets.js';
import { type Expr, type ExprLike, sym, toExpr } from '../graph/symbolic.js';
import { dataShape, type DataDesc } from '../graph/data.js';
import { MemletSpec, toMemletSpec, wcrFromName, type WcrName } from './handles.js';
import type { ProgramContext } from './context.js';
import { checkMemletSpec, type ScopeFrame } from './scope.js';

function accessFor(frame: ScopeFrame, spec: MemletSpec, loc?: SourceLocation) {
  return addNode(frame.state, { kind: 'AccessNode', label: spec.container.name, data: spec.container.name, setzero: false, inConnectors: {}, outConnectors: {}, ...(loc ? { loc } : {}) });
}

function memletOf(spec: MemletSpec): Memlet {
  return makeMemlet(spec.container.name, spec.subset, { wcr: spec.wcrOp, dynamic: spec.isDynamic });
}

function sameDType(what: string, specs: readonly MemletSpec[], loc?: SourceLocation): DType {
  const dtype = specs[0]!.container.dtype as DType;
  for (const s of specs.slice(1)) {
    if (s.container.dtype !== dtype) {
      throw new BuilderError({
        code: 'dtype-mismatch', loc,
        message: `${what}: ${specs[0]!.container.name} is ${dtype.name} but ${s.container.name} is ${s.container.dtype.name}`,
        hint: 'convert one operand first (a map with a cast), or declare both with the same dtype',
      });
    }
  }
  return dtype;
}

export interface ReduceOptions {
  op: WcrName;
  /** Axes of the input to reduce (all when omitted). */
  axes?: readonly number[];
  /** Starting value; the output's current contents are combined when omitted. */
  identity?: number;
  label?: string;
}

export function buildReduce(ctx: ProgramContext, input: unknown, output: unknown, options: ReduceOptions, loc?: SourceLocation): void {
  const src = toMemletSpec(input, 'input', loc), dst = toMemletSpec(output, 'output', loc);
  sameDType('reduce', [src, dst], loc);
  const rank = src.subset.ranges.length;
  const axes = options.axes ? [...options.axes] : null;
  axes?.forEach((a) => {
    if (!Number.isInteger(a) || a < 0 || a >= rank) {
      throw new BuilderError({ code: 'bad-axis', loc, message: `reduce axis ${a} is out of range for a ${rank}-dimensional input`, hint: `axes are 0..${rank - 1}` });
    }
  });
  const wcr: Wcr = wcrFromName(options.op, loc);
  const label = options.label ?? ctx.freshName('reduce');
  ctx.inNewState(label, loc, (frame) => {
    checkMemletSpec(frame, src, 'input'); checkMemletSpec(frame, dst, 'output');
    const node = addNode(frame.state, {
      kind: 'LibraryNode', label, op: { name: 'Reduce', axes, wcr, identity: options.identity ?? null },
      implementation: null, schedule: 'Default', inConnectors: { _in: null }, outConnectors: { _out: null }, ...(loc ? { loc } : {}),
    });
    addEdge(frame.state, accessFor(frame, src, loc), null, node, '_in', memletOf(src), loc);
    addEdge(frame.state, node, '_out', accessFor(frame, dst, loc), null, memletOf(dst), loc);
  });
}

export function buildMatmul(ctx: ProgramContext, a: unknown, b: unknown, c: unknown, options: { alpha?: number; beta?: number; label?: string }, loc?: SourceLocation): void {
  const [sa, sb, sc] = [toMemletSpec(a, '_a', loc), toMemletSpec(b, '_b', loc), toMemletSpec(c, '_c', loc)];
  sameDType('matmul', [sa, sb, sc], loc);
  for (const [name, s] of [['A', sa], ['B', sb], ['C', sc]] as const) {
    const rank = s.subset.ranges.filter((r) => !isIndex(r)).length;
    if (rank < 1 || rank > 2) {
      throw new BuilderError({ code: 'bad-operand', loc, message: `matmul operand ${name} (${s.container.name}[${formatSubset(s.subset)}]) has ${rank} dimensions; expected 1 or 2`, hint: 'pass matrices or vectors' });
    }
  }
  const label = options.label ?? ctx.freshName('matmul');
  const beta = options.beta ?? 0;
  ctx.inNewState(label, loc, (frame) => {
    for (const [n, s] of [['_a', sa], ['_b', sb], ['_c', sc]] as const) checkMemletSpec(frame, s, n);
    const node = addNode(frame.state, {
      kind: 'LibraryNode', label, op: { name: 'MatMul', alpha: options.alpha ?? 1, beta },
      implementation: null, schedule: 'Default',
      inConnectors: beta !== 0 ? { _a: null, _b: null, _cin: null } : { _a: null, _b: null }, outConnectors: { _c: null }, ...(loc ? { loc } : {}),
    });
    addEdge(frame.state, accessFor(frame, sa, loc), null, node, '_a', memletOf(sa), loc);
    addEdge(frame.state, accessFor(frame, sb, loc), null, node, '_b', memletOf(sb), loc);
    if (beta !== 0) addEdge(frame.state, accessFor(frame, sc, loc), null, node, '_cin', memletOf(sc), loc);
    addEdge(frame.state, node, '_c', accessFor(frame, sc, loc), null, memletOf(sc), loc);
  });
}

export function buildCopy(ctx: ProgramContext, from: unknown, to: unknown, loc?: SourceLocation): void {
  const src = toMemletSpec(from, 'source', loc), dst = toMemletSpec(to, 'destination', loc);
  sameDType('copy', [src, dst], loc);
  const [vs, vd] = [subsetShape(src.subset).filter((_, d) => !isIndex(src.subset.ranges[d]!)), subsetShape(dst.subset).filter((_, d) => !isIndex(dst.subset.ranges[d]!))];
  const sizes = (xs: Expr[]) => xs.map((x) => x.toString()).join(', ');
  if (vs.length !== vd.length || vs.some((s, d) => !s.equals(vd[d]!))) {
    throw new BuilderError({
      code: 'shape-mismatch', loc,
      message: `copy from ${src.container.name}[${formatSubset(src.subset)}] (shape [${sizes(vs)}]) to ${dst.container.name}[${formatSubset(dst.subset)}] (shape [${sizes(vd)}])`,
      hint: 'source and destination subsets must have the same shape (index dimensions aside)',
    });
  }
  ctx.inNewState(ctx.freshName('copy'), loc, (frame) => {
    checkMemletSpec(frame, src, 'source'); checkMemletSpec(frame, dst, 'destination');
    const memlet = makeMemlet(src.container.name, src.subset, { otherSubset: dst.subset, wcr: dst.wcrOp });
    addEdge(frame.state, accessFor(frame, src, loc), null, accessFor(frame, dst, loc), null, memlet, loc);
  });
}

/** Containers of an SDFG that are read and written (by access nodes with out / in edges), deep. */
export function readsAndWrites(sdfg: SDFG): { reads: Set<string>; writes: Set<string> } {
  const reads = new Set<string>(), writes = new Set<string>();
  for (const state of allStates(sdfg)) {
    for (const n of state.nodes) {
      if (n.kind !== 'AccessNode') continue;
      if (state.edges.some((e) => e.src === n.id)) reads.add(n.data);
      if (state.edges.some((e) => e.dst === n.id)) writes.add(n.data);
    }
  }
  return { reads, writes };
}

export function buildCall(ctx: ProgramContext, callee: { sdfg: SDFG }, bindings: Readonly<Record<string, unknown>>, loc?: SourceLocation): void {
  const inner = cloneSDFG(callee.sdfg);
  const { reads, writes } = readsAndWrites(inner);
  const symbolMapping: Record<string, Expr> = {};
  const specs = new Map<string, MemletSpec>();
  const params = Object.entries(inner.arrays).filter(([, d]) => !(d as DataDesc).transient).map(([n]) => n);
  for (const key of Object.keys(bindings)) {
    if (!params.includes(key) && !(key in inner.symbols)) {
      throw new BuilderError({ code: 'unknown-argument', loc, message: `${inner.name} has no parameter ${key}`, hint: `its parameters: ${[...params, ...Object.keys(inner.symbols)].join(', ')}` });
    }
  }
  for (const name of params) {
    const bound = bindings[name];
    if (bound === undefined) {
      throw new BuilderError({ code: 'missing-argument', loc, message: `call to ${inner.name} does not bind ${name}`, hint: `pass { ${name}: … } in the bindings` });
    }
    const spec = toMemletSpec(bound, name, loc);
    const desc = inner.arrays[name]!;
    if (spec.container.dtype !== desc.dtype) {
      throw new BuilderError({ code: 'dtype-mismatch', loc, message: `call to ${inner.name}: ${name} is ${desc.dtype.name}, but ${spec.container.name} is ${spec.container.dtype.name}`, hint: 'bind a container of the same dtype' });
    }
    specs.set(name, spec);
    // infer inner size symbols from the bound subset's shape
    const outerShape = subsetShape(spec.subset).filter((_, d) => !isIndex(spec.subset.ranges[d]!));
    const innerShape = dataShape(desc);
    if (desc.kind !== 'Scalar' && outerShape.length === innerShape.length) {
      innerShape.forEach((dim, d) => {
        const s = dim.symbolName();
        if (s && !(s in symbolMapping) && bindings[s] === undefined) symbolMapping[s] = outerShape[d]!;
      });
    }
  }
  for (const s of Object.keys(inner.symbols)) {
    const bound = bindings[s];
    if (bound !== undefined) symbolMapping[s] = toExpr(bound as ExprLike);
    else if (!(s in symbolMapping)) {
      // an inner symbol with the name of an outer one means the same value
      if (s in ctx.sdfg.symbols) { symbolMapping[s] = sym(s); continue; }
      throw new BuilderError({ code: 'missing-argument', loc, message: `call to ${inner.name} cannot infer symbol ${s}`, hint: `pass { ${s}: … } in the bindings` });
    }
  }
  ctx.inNewState(ctx.freshName(`call_${inner.name}`), loc, (frame) => {
    const node = addNode(frame.state, {
      kind: 'NestedSDFG', label: inner.name, sdfg: inner, symbolMapping,
      inConnectors: Object.fromEntries(params.filter((p) => reads.has(p)).map((p) => [p, null])),
      outConnectors: Object.fromEntries(params.filter((p) => writes.has(p)).map((p) => [p, null])),
      ...(loc ? { loc } : {}),
    });
    for (const [name, spec] of specs) {
      checkMemletSpec(frame, spec, name);
      if (reads.has(name)) addEdge(frame.state, accessFor(frame, spec, loc), null, node, name, memletOf(spec), loc);
      if (writes.has(name)) addEdge(frame.state, node, name, accessFor(frame, spec, loc), null, memletOf(spec), loc);
    }
  });
}
