// Nested SDFGs in C++: a static function per NestedSDFG node, called with pointers to the connectors' subsets.
import { freeSymbolsOf, argumentContainers } from '../common/arguments.js';
import type { DataDesc } from '../../graph/data.js';
import type { NestedSDFG } from '../../graph/nodes.js';
import { inEdges, outEdges } from '../../graph/query.js';
import type { Edge, State } from '../../graph/sdfg.js';
import { isIndex } from '../../graph/subsets.js';
import { type Expr, int, sym } from '../../graph/symbolic.js';
import { CodeWriter, FunctionContext, type ScopeFrame, cIdentifier, nodePath, originComment, unsupported } from './emit-context.js';
import { elementRef, subsetPointer, viewDims } from './emit-memlet.js';
import { emitFunctionBody } from './emit-function.js';

interface NestedArgument {
  /** Parameter declaration inside the nested function. */
  readonly param: string;
  /** The argument at the call site. */
  readonly value: string;
}

/** Outer symbols that stand for inner ones one to one (inner N ↦ outer M): how outer strides are spelled inside. */
function inverseMapping(node: NestedSDFG): Map<string, Expr> {
  const inverse = new Map<string, Expr>();
  for (const [inner, outer] of Object.entries(node.symbolMapping)) {
    const name = outer.symbolName();
    if (name && !inverse.has(name)) inverse.set(name, sym(inner));
  }
  return inverse;
}

/** The strides an inner array sees: the outer window's strides (the reference's rule), or row-major on a reshape. */
function innerStrides(outerStrides: readonly Expr[] | null, desc: DataDesc & { kind: 'Array' }): readonly (Expr | null)[] {
  if (!outerStrides) return desc.strides;
  const kept = outerStrides;
  const innerNonUnit = desc.shape.filter((s) => !s.equals(1)).length;
  if (kept.length !== innerNonUnit) return desc.strides;
  let k = 0;
  return desc.shape.map((s) => (s.equals(1) ? int(0) : kept[k++]!));
}

function connectorEdge(state: State, node: NestedSDFG, name: string): { edge: Edge; written: boolean } | undefined {
  const out = outEdges(state, node).find((e) => e.srcConn === name && e.memlet.data !== null);
  if (out) return { edge: out, written: true };
  const into = inEdges(state, node).find((e) => e.dstConn === name && e.memlet.data !== null);
  return into ? { edge: into, written: false } : undefined;
}

/** Emit the nested SDFG's function (once per node) and the call to it. */
export function emitNestedCall(fn: FunctionContext, frame: ScopeFrame, state: State, node: NestedSDFG, w: CodeWriter): void {
  const inner = node.sdfg;
  const path = nodePath(fn, state, node);
  const callee = new FunctionContext(fn.module, inner, frame.inParallel);
  const args: NestedArgument[] = [];
  const inverse = inverseMapping(node);
  const outerData = new Map<string, number>();
  for (const [name] of argumentContainers(inner)) {
    const found = connectorEdge(state, node, name);
    if (found) outerData.set(found.edge.memlet.data!, (outerData.get(found.edge.memlet.data!) ?? 0) + 1);
  }

  for (const [name, desc] of argumentContainers(inner)) {
    const found = connectorEdge(state, node, name);
    if (!found) throw unsupported(`nested SDFG '${inner.name}' has no edge for its container '${name}'`, path);
    const { edge, written } = found;
    const outer = fn.access(edge.memlet.data!, path);
    const cname = cIdentifier(name);
    callee.reserve(cname);
    const t = desc.dtype.c;
    // Writes inside combine with the outer data as the out-edge's conflict resolution says.
    const wcr = written && edge.memlet.wcr ? { wcr: edge.memlet.wcr } : {};
    switch (desc.kind) {
      case 'Scalar':
        if (written) {
          callee.containers.set(name, { cname, desc, placement: 'scalar-pointer', strides: [], ...wcr });
          args.push({ param: `${t}* ${cname}`, value: subsetPointer(outer, edge.memlet.subset) });
        } else {
          callee.containers.set(name, { cname, desc, placement: 'value', strides: [] });
          args.push({ param: `${t} ${cname}`, value: elementRef(outer, edge.memlet.subset?.ranges.map((r) => r.begin) ?? []) });
        }
        break;
      case 'Stream':
        callee.containers.set(name, { cname, desc, placement: 'stream', strides: [] });
        args.push({ param: `sdfg_stream<${t}>& ${cname}`, value: outer.cname });
        break;
      case 'Array': {
        const window = edge.memlet.subset && outer.placement === 'pointer'
          ? viewDims(outer, edge.memlet.subset).filter((d) => !isIndex(edge.memlet.subset!.ranges[d.dim]!)).map((d) => d.stride)
          : null;
        const strides = innerStrides(window, desc).map((s, d) => {
          if (s === null) return int(1);
          if ([...s.freeSymbols()].every((x) => inverse.has(x))) return s.subs(Object.fromEntries(inverse));
          // Not expressible in the callee's symbols: pass the stride as a parameter.
          const param = `${cname}_stride${d}`;
          callee.reserve(param);
          args.push({ param: `int64_t ${param}`, value: s.toC() });
          return sym(param);
        });
        const restrict = (outerData.get(edge.memlet.data!) ?? 0) <= 1 ? ' __restrict__' : '';
        callee.containers.set(name, { cname, desc, placement: 'pointer', strides, ...wcr });
        args.push({ param: `${t}*${restrict} ${cname}`, value: subsetPointer(outer, edge.memlet.subset) });
        break;
      }
      case 'View':
        throw unsupported(`nested SDFG '${inner.name}' takes view '${name}', which the C++ target does not support yet`, path);
    }
  }
  for (const s of freeSymbolsOf(inner)) {
    callee.symbols.add(s);
    callee.reserve(s);
    const mapped = node.symbolMapping[s];
    args.push({ param: `int64_t ${s}`, value: mapped ? mapped.toC() : s });
  }

  const fname = fn.module.uniqueGlobal(`nested_${inner.name}`);
  const body = new CodeWriter(1);
  emitFunctionBody(callee, body);
  fn.module.functions.push([
    `// nested SDFG "${inner.name}" (node "${node.label}" n${node.id} in SDFG "${fn.sdfg.name}")`,
    `static void ${fname}(${args.map((a) => a.param).join(', ')}) {`,
    ...body.lines,
    '}',
  ].join('\n'));
  w.line(originComment(state, node, 'nested SDFG'));
  w.line(`${fname}(${args.map((a) => a.value).join(', ')});`);
}
