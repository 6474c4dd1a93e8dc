// Kernels for library nodes and copies: operands as pointer parameters, plus the symbols their subsets and layouts use.
import type { Node } from '../../graph/nodes.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { subsetFreeSymbols, type Subset } from '../../graph/subsets.js';
import { type CodeWriter, type ContainerAccess, FunctionContext, cIdentifier, nodePath } from '../cpp/emit-context.js';
import { cIndex } from '../cpp/emit-memlet.js';
import { type Expr, mul } from '../../graph/symbolic.js';
import { type CudaModule, type DeviceFunction, cudaUnsupported } from './emit-context.js';

/** Threads per block of library kernels. */
export const LIBRARY_BLOCK = 256;

/** A kernel for a library node or a copy: operands as pointer parameters, the symbols their subsets and layouts use. */
export interface LibraryKernel {
  readonly dev: DeviceFunction;
  readonly name: string;
  /** Kernel-side access of a container. */
  access(data: string): ContainerAccess;
  /** The kernel's parameter declarations and the host's arguments for them. */
  readonly declarations: string[];
  readonly argumentsList: string[];
}

/** One container a library kernel reads or writes, through a subset. */
export interface KernelOperand {
  readonly data: string;
  readonly subset: Subset | null;
  readonly written: boolean;
}

export function operandsOf(node: Node, edges: readonly Edge[]): KernelOperand[] {
  return edges.map((e) => ({ data: e.memlet.data!, subset: e.memlet.subset, written: e.src === node.id }));
}

export function libraryKernel(module: CudaModule, host: FunctionContext, state: State, node: Node, operands: readonly KernelOperand[], base: string): LibraryKernel {
  const fn = new FunctionContext(module.cpp, host.sdfg, true);
  const dev: DeviceFunction = { module, fn, memory: new Map() };
  const declarations: string[] = [], argumentsList: string[] = [];
  const names = new Set<string>();
  const written = new Set(operands.filter((o) => o.written).map((o) => o.data));
  for (const o of operands) {
    if (o.subset) subsetFreeSymbols(o.subset).forEach((s) => names.add(s));
    if (fn.containers.has(o.data)) continue;
    const outer = host.access(o.data, nodePath(host, state, node));
    if (outer.desc.storage !== 'GPU_Global' || outer.placement !== 'pointer') {
      throw cudaUnsupported(`'${node.label}' uses '${o.data}' on the device, but it lives in host memory`, nodePath(host, state, node), 'lower the program with GPUTransform');
    }
    const cname = fn.fresh(o.data);
    fn.containers.set(o.data, { ...outer, cname });
    dev.memory.set(o.data, 'global');
    declarations.push(`${written.has(o.data) ? '' : 'const '}${outer.desc.dtype.cuda}* __restrict__ ${cname}`);
    argumentsList.push(outer.cname);
    const desc = outer.desc;
    if (desc.kind === 'Array') [...desc.strides, ...desc.offset].forEach((x) => x.freeSymbols().forEach((s) => names.add(s)));
  }
  for (const s of [...host.symbols].filter((x) => names.has(x))) {
    fn.symbols.add(s);
    fn.reserve(s);
    declarations.push(`int64_t ${s}`);
    argumentsList.push(s);
  }
  return { dev, name: module.cpp.uniqueGlobal(`${cIdentifier(node.label)}_${base}`), access: (data) => fn.access(data), declarations, argumentsList };
}


/** The coordinates of a flat position over `sizes` (row-major), as lines declaring `vars`. */
export function unflatten(flat: string, sizes: readonly Expr[], vars: readonly string[], w: CodeWriter): void {
  sizes.forEach((size, k) => {
    const inner = mul(...sizes.slice(k + 1));
    const q = inner.equals(1) ? flat : `${flat} / (${cIndex(inner)})`;
    w.line(`const int64_t ${vars[k]} = ${k === 0 ? q : `${q} % (${cIndex(size)})`};`);
  });
}
