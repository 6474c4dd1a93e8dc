// Expressions outside tasklets (interstate conditions and assignments, loop bounds, consume conditions, custom wcr):
// tasklet-language code over symbols and data, where a Scalar container reads its value and `A[i]` an array element.
import type { DType } from '../../graph/dtypes.js';
import { i64 } from '../../graph/dtypes.js';
import { type GraphPath, SdfgError, TargetError } from '../../graph/errors.js';
import { type TExpr, namesRead } from '../../graph/tasklet-ast.js';
import { type ConnectorInfo, type TaskletTyping, typeTaskletExpr } from '../../graph/tasklet-types.js';
import { load } from './buffers.js';
import { type Frame, cachedTyping, containerOf } from './frame.js';
import { type NameAccess, TaskletEvaluator } from './tasklet-eval.js';

/** The type of a symbol: declared, a constant's, or i64 (map parameters, loop variables). */
export function symbolType(frame: Frame, name: string): DType {
  return frame.sdfg.symbols[name] ?? frame.sdfg.constants[name]?.dtype ?? i64;
}

/** Symbol types for inference: every symbol with a value here, and every declared one. */
export function symbolTypes(frame: Frame, symbols: ReadonlyMap<string, number>): Record<string, DType> {
  const types: Record<string, DType> = {};
  for (const name of [...symbols.keys(), ...Object.keys(frame.sdfg.symbols)]) types[name] = symbolType(frame, name);
  return types;
}

/** Re-raise an error of the library with a graph path when it has none (operator errors know no graph). */
export function withPath(error: unknown, path: GraphPath | undefined): unknown {
  if (!(error instanceof SdfgError) || error.path || !path) return error;
  const Kind = error.constructor as new (d: ConstructorParameters<typeof SdfgError>[0]) => SdfgError;
  return new Kind({
    code: error.code, message: error.summary, path, cause: error,
    ...(error.hint ? { hint: error.hint } : {}), ...(error.loc ? { loc: error.loc } : {}),
  });
}

export function undefinedSymbol(name: string, path: GraphPath | undefined): TargetError {
  return new TargetError({
    code: 'undefined-symbol', message: `symbol ${name} has no value here`, ...(path ? { path } : {}),
    hint: 'assign it on an interstate edge before this point, or pass it as an argument',
  });
}

function typingFor(frame: Frame, e: TExpr, symbols: ReadonlyMap<string, number>, path: GraphPath | undefined): TaskletTyping {
  return cachedTyping(frame, e, '', () => {
    const inputs: Record<string, ConnectorInfo> = {};
    for (const name of namesRead(e)) {
      const desc = frame.sdfg.arrays[name];
      if (!desc) continue;
      if (desc.kind === 'Stream') {
        throw new TargetError({ code: 'stream-in-expression', message: `stream ${name} cannot be read in a control-flow expression`, ...(path ? { path } : {}) });
      }
      inputs[name] = { dtype: desc.dtype, dims: desc.kind === 'Scalar' ? 0 : desc.shape.length };
    }
    return typeTaskletExpr(e, { inputs, outputs: {}, symbols: symbolTypes(frame, symbols) }, path ? { path } : {});
  });
}

/** The value of an expression over symbols and the frame's containers. */
export function evalDataExpr(frame: Frame, e: TExpr, symbols: ReadonlyMap<string, number>, path: GraphPath | undefined): number {
  try {
    const typing = typingFor(frame, e, symbols, path);
    const names: NameAccess = {
      read(name) {
        if (frame.sdfg.arrays[name]) {
          const ref = containerOf(frame, name, symbols, path);
          if (ref.kind === 'array') return load(ref, ref.shape.map(() => 0), path);
        }
        const value = symbols.get(name);
        if (value === undefined) throw undefinedSymbol(name, path);
        return value;
      },
      element(name, indices) {
        const ref = containerOf(frame, name, symbols, path);
        if (ref.kind !== 'array') throw undefinedSymbol(name, path);
        return load(ref, indices, path);
      },
      assign() { throw new TargetError({ code: 'internal', message: 'expressions assign nothing' }); },
      assignElement() { throw new TargetError({ code: 'internal', message: 'expressions assign nothing' }); },
      typeOfName: (name) => symbolType(frame, name),
    };
    return new TaskletEvaluator(typing, names, path).expr(e);
  } catch (error) {
    throw withPath(error, path);
  }
}

/** A custom wcr lambda `(a, b) => body` applied to the value in memory and the incoming one. */
export function evalCustomWcr(
  frame: Frame, params: readonly [string, string], body: TExpr, dtype: DType, current: number, incoming: number, path: GraphPath | undefined,
): number {
  try {
    const typing = cachedTyping(frame, body, dtype.name, () => {
      const scalar: ConnectorInfo = { dtype, dims: 0 };
      return typeTaskletExpr(body, { inputs: { [params[0]]: scalar, [params[1]]: scalar }, outputs: {}, symbols: {} }, path ? { path } : {});
    });
    const names: NameAccess = {
      read: (name) => (name === params[0] ? current : incoming),
      element: () => { throw new TargetError({ code: 'internal', message: 'a wcr lambda reads no arrays' }); },
      assign() { throw new TargetError({ code: 'internal', message: 'a wcr lambda assigns nothing' }); },
      assignElement() { throw new TargetError({ code: 'internal', message: 'a wcr lambda assigns nothing' }); },
      typeOfName: () => dtype,
    };
    return new TaskletEvaluator(typing, names, path).expr(body);
  } catch (error) {
    throw withPath(error, path);
  }
}
