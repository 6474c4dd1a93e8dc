// Running a compiled C++ program: load the shared library with koffi, bind checked arguments, call the entry.
import koffi from 'koffi';
import type { AnyTypedArray, DType } from '../../graph/dtypes.js';
import { TargetError } from '../../graph/errors.js';
import type { SDFG } from '../../graph/sdfg.js';
import { bindArguments, type ArgValue, type BoundArguments } from '../common/arguments.js';
import { castValue } from '../../graph/tasklet-ops.js';
import type { EntryParam } from './emit.js';

export type RunResult = Record<string, AnyTypedArray | number>;

/** koffi's name for a by-value parameter of a dtype. */
function koffiScalar(t: DType): string {
  switch (t.name) {
    case 'bool': return 'bool';
    case 'int8': return 'int8_t';
    case 'int16': return 'int16_t';
    case 'int32': return 'int32_t';
    case 'int64': return 'int64_t';
    case 'uint8': return 'uint8_t';
    case 'uint16': return 'uint16_t';
    case 'uint32': return 'uint32_t';
    case 'uint64': return 'uint64_t';
    case 'float32': return 'float';
    case 'float64': return 'double';
    case 'float16':
      throw new TargetError({
        code: 'not-available', message: 'float16 data cannot be passed to the C++ target from JavaScript yet',
        hint: 'use float32 containers',
      });
  }
}

function koffiType(p: EntryParam): string {
  switch (p.kind) {
    case 'array': case 'scalar-out':
      if (p.dtype.name === 'float16') koffiScalar(p.dtype);
      return 'void *';
    case 'scalar': return koffiScalar(p.dtype);
    case 'symbol': return 'int64_t';
  }
}

/** A one-element buffer holding a written scalar across the call. */
function scalarCell(t: DType, value: number): AnyTypedArray {
  const cell = new t.array(1) as AnyTypedArray;
  if (cell instanceof BigInt64Array || cell instanceof BigUint64Array) cell[0] = BigInt(value);
  else cell[0] = value;
  return cell;
}

/**
 * Load the library and return a function running the entry on checked arguments. Like the reference interpreter,
 * it returns every non-transient container: arrays (the objects passed, written in place) and scalars' final values.
 */
export function loadCpp(sdfg: SDFG, library: string, entryName: string, params: readonly EntryParam[]): (args: Readonly<Record<string, ArgValue>>) => RunResult {
  const lib = koffi.load(library);
  const entry = lib.func(entryName, 'void', params.map(koffiType));
  // Checking arguments costs microseconds (symbol inference): a call with the very same values reuses the last check.
  let lastArgs: [string, unknown][] | null = null;
  let lastBound: BoundArguments | null = null;
  const check = (args: Readonly<Record<string, ArgValue>>): BoundArguments => {
    const keys = Object.keys(args);
    if (lastArgs && lastBound && keys.length === lastArgs.length && lastArgs.every(([k, v]) => args[k] === v)) return lastBound;
    const bound = bindArguments(sdfg, args);
    lastArgs = keys.map((k) => [k, args[k]]);
    lastBound = bound;
    return bound;
  };
  return (args) => {
    const bound = check(args);
    const cells = new Map<string, AnyTypedArray>();
    const values = params.map((p) => {
      switch (p.kind) {
        case 'array': return bound.data[p.name];
        case 'scalar': {
          const v = bound.data[p.name] as number;
          return p.dtype.kind === 'bool' ? v !== 0 : v;
        }
        case 'scalar-out': {
          const cell = scalarCell(p.dtype, bound.data[p.name] as number);
          cells.set(p.name, cell);
          return cell;
        }
        case 'symbol': return bound.symbols[p.name];
      }
    });
    entry(...values);
    const result: RunResult = {};
    for (const p of params) {
      if (p.kind === 'array') result[p.name] = bound.data[p.name]!;
      else if (p.kind === 'scalar') result[p.name] = castValue(bound.data[p.name] as number, p.dtype);
      else if (p.kind === 'scalar-out') result[p.name] = Number(cells.get(p.name)![0]);
    }
    return result;
  };
}
