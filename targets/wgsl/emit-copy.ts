// Copies between containers on the device: element loops inside a kernel, or a kernel of their own for a top-level
// copy between two device buffers (host↔device copies are the host's: see runtime.ts).
import type { Memlet } from '../../graph/memlet.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { fullSubset, isIndex, rangeSize, type Subset } from '../../graph/subsets.js';
import { int, mul, sym, type Expr } from '../../graph/symbolic.js';
import { type CodeWriter, type ModuleContext } from './emit-context.js';
import { writeElement } from './emit-writes.js';
import { KernelContext, bodyWriter } from './kernel-context.js';

/**
 * Both sides of a copy from `src` to `dst`: the memlet's subset applies to its data, `otherSubset` to the other
 * container, which otherwise takes the same subset when both have the same shape, else its whole extent.
 */
export function copySides(k: KernelContext, memlet: Memlet, src: string, dst: string): { src: Subset; dst: Subset } {
  const own = memlet.subset ?? fullSubset(k.shape(memlet.data!));
  const ownData = memlet.data === dst && memlet.data !== src ? dst : src;
  const otherData = ownData === src ? dst : src;
  const a = k.shape(ownData), b = k.shape(otherData);
  const sameShape = a.length === b.length && a.every((d, i) => d.equals(b[i]!));
  const other = memlet.otherSubset ?? (sameShape ? own : fullSubset(b));
  return ownData === src ? { src: own, dst: other } : { src: other, dst: own };
}

const squeezedSizes = (s: Subset): Expr[] => s.ranges.filter((r) => !isIndex(r)).map(rangeSize);

/** The iteration space: the squeezed shape both sides share, or one flat dimension when they differ (a reshape). */
export function copyDims(sides: { src: Subset; dst: Subset }): Expr[] {
  const a = squeezedSizes(sides.src), b = squeezedSizes(sides.dst);
  if (a.length === b.length && a.every((s, k) => s.equals(b[k]!))) return a;
  return [mul(...a)];
}

/** Container indices of the element at iteration `vars` of a copy over `dims`. */
function indexInto(s: Subset, dims: readonly Expr[], vars: readonly Expr[]): Expr[] {
  const sizes = squeezedSizes(s);
  let position: Expr[];
  if (sizes.length === dims.length) position = [...vars];
  else {
    const flat = vars[0]!;
    position = sizes.map((_, k) => {
      const inner = mul(...sizes.slice(k + 1));
      const q = inner.equals(1) ? flat : flat.floorDiv(inner);
      return k === 0 ? q : q.mod(sizes[k]!);
    });
  }
  let next = 0;
  return s.ranges.map((r) => (isIndex(r) ? r.begin : r.begin.add(position[next++]!.mul(r.step))));
}

/** The statements copying one element, at iteration `vars` (symbols bound in the kernel). */
function copyElement(k: KernelContext, edge: Edge, src: string, dst: string, sides: { src: Subset; dst: Subset }, dims: readonly Expr[], vars: readonly Expr[]): string[] {
  const path = k.path();
  const from = k.expr(k.linearOffset(src, indexInto(sides.src, dims, vars)));
  const to = k.expr(k.linearOffset(dst, indexInto(sides.dst, dims, vars)));
  const [ts, td] = [k.elementType(src, path), k.elementType(dst, path)];
  const value = k.load(src, from, path);
  return writeElement(k, dst, to, edge.memlet.wcr, ts.name === td.name ? value : `${td.wgsl}(${value})`, path);
}

/** A copy inside a kernel: one loop per dimension. */
export function emitCopyLoops(k: KernelContext, edge: Edge, src: string, dst: string, w: CodeWriter): void {
  const sides = copySides(k, edge.memlet, src, dst);
  const dims = copyDims(sides);
  const vars = dims.map(() => k.names.fresh('c'));
  w.line(`// copy ${src} -> ${dst} (e${edge.id})`);
  vars.forEach((v, d) => {
    k.params.add(v);
    w.open(`for (var ${v}: i32 = 0; ${v} < ${k.expr(dims[d]!)}; ${v} += 1) {`);
  });
  w.append(copyElement(k, edge, src, dst, sides, dims, vars.map((v) => sym(v))));
  vars.forEach(() => w.close());
}

const copyWorkgroup = 64;

/** A top-level copy between two device buffers: a kernel with one thread per element. */
export function emitCopyKernel(module: ModuleContext, state: State, edge: Edge, src: string, dst: string): void {
  const entryPoint = module.globals.fresh(`${state.label}_copy_${src}_to_${dst}`);
  const k = new KernelContext(module, entryPoint, state);
  const sides = copySides(k, edge.memlet, src, dst);
  const dims = copyDims(sides);
  const volume = mul(int(1), ...dims);
  const w = bodyWriter();
  const t = k.names.fresh('t');
  k.params.add(t);
  w.open(`for (var ${t} = i32(thread.x); ${t} < ${k.expr(volume)}; ${t} += i32(groups.x) * ${copyWorkgroup}) {`);
  // Row-major position of the flat index in the copy's dimensions.
  const vars = dims.map((_, d) => {
    const inner = mul(int(1), ...dims.slice(d + 1));
    const q = inner.equals(1) ? sym(t) : sym(t).floorDiv(inner);
    const position = d === 0 ? q : q.mod(dims[d]!);
    const v = k.names.fresh(`c${d}`);
    k.params.add(v);
    w.line(`let ${v} = ${k.expr(position)};`);
    return sym(v);
  });
  w.append(copyElement(k, edge, src, dst, sides, dims, vars));
  w.close();
  k.finish(
    {
      comment: `// state "${state.label}", copy ${src} -> ${dst} (e${edge.id})`,
      workgroupSize: [copyWorkgroup, 1, 1],
      builtins: ['@builtin(global_invocation_id) thread: vec3<u32>', '@builtin(num_workgroups) groups: vec3<u32>'],
    },
    w, { kind: 'copy', state, node: edge.id, grid: [volume, int(1), int(1)], gridUnit: 'threads' },
  );
}

