// Interstate expressions in C++: conditions, symbol assignments and loop bounds, reading symbols and data.
import type { DType } from '../../graph/dtypes.js';
import { bool, i64 } from '../../graph/dtypes.js';
import { namesRead, type TExpr } from '../../graph/tasklet-ast.js';
import { typeTaskletExpr, type ConnectorInfo } from '../../graph/tasklet-types.js';
import { CLikePrinter, cppDialect } from '../common/c-like.js';
import { type FunctionContext, type ScopeFrame, unsupported } from './emit-context.js';
import { elementRef } from './emit-memlet.js';

const simple = (text: string): string => (/^[\w.]+$/.test(text) ? text : `(${text})`);

/** Print an expression over symbols, scalars and array elements (`A[i, j]` in the container's coordinates). */
export function printInterstate(fn: FunctionContext, e: TExpr, frame: Pick<ScopeFrame, 'params'> | null, as?: DType): string {
  const inputs: Record<string, ConnectorInfo> = {};
  for (const name of namesRead(e)) {
    const access = fn.containers.get(name);
    if (!access || fn.symbols.has(name)) continue;
    const desc = access.desc;
    if (desc.kind === 'Stream') throw unsupported(`an interstate expression cannot read stream '${name}'`);
    inputs[name] = { dtype: desc.dtype, dims: desc.kind === 'Scalar' ? 0 : desc.shape.length };
  }
  const symbols: Record<string, DType> = {};
  for (const s of fn.symbols) symbols[s] = fn.sdfg.symbols[s] ?? i64;
  for (const p of frame?.params ?? []) symbols[p] = i64;
  for (const [name, c] of Object.entries(fn.sdfg.constants)) if (!(name in inputs)) symbols[name] = c.dtype;
  const typing = typeTaskletExpr(e, { inputs, outputs: {}, symbols }, { path: { sdfg: fn.sdfg.name } });
  const printer = new CLikePrinter(cppDialect, { ...typing, localType: (n) => typing.localType(n) ?? i64 }, {
    read: (name) => {
      const access = fn.containers.get(name);
      return access && !fn.symbols.has(name) ? elementRef(access, []) : name;
    },
    element: (name, indices) => {
      const access = fn.access(name);
      if (access.placement !== 'pointer') return elementRef(access, []);
      const desc = access.desc;
      const offsets = desc.kind === 'Array' || desc.kind === 'View' ? desc.offset : [];
      const terms = indices.map((index, d) => {
        const offset = offsets[d];
        const shifted = offset && !offset.isZero() ? `(${index} + ${offset.toC()})` : simple(index);
        const stride = access.strides[d]!;
        return stride.equals(1) ? shifted : `${shifted} * ${stride.toC()}`;
      });
      return `${access.cname}[${terms.join(' + ') || '0'}]`;
    },
  });
  return as ? printer.exprAs(e, as) : printer.expr(e);
}

/** A condition, converted to bool. */
export function printCondition(fn: FunctionContext, e: TExpr, frame: Pick<ScopeFrame, 'params'> | null): string {
  return printInterstate(fn, e, frame, bool);
}
