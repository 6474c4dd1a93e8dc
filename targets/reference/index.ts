// The reference interpreter: runs an SDFG on typed arrays in plain TypeScript; the oracle every target is tested against.
import type { AnyTypedArray } from '../../graph/dtypes.js';
import { InternalError, SdfgError } from '../../graph/errors.js';
import type { SDFG } from '../../graph/sdfg.js';
import { type ArgValue, argumentContainers, bindArguments } from '../common/arguments.js';
import { type Container, type StreamRef, allocate, loadAt, storeAt, wrap } from './buffers.js';
import { runSDFG } from './control-flow.js';
import { type Frame, evalExpr, newRun, refuseIndexOffsets, shapeOf } from './frame.js';

export type { ArgValue } from '../common/arguments.js';

/** The container an argument becomes: arrays wrap the caller's buffer (writes land there), scalars get a cell. */
function argumentContainer(frame: Frame, name: string, value: AnyTypedArray | number): Container {
  const desc = frame.sdfg.arrays[name]!;
  switch (desc.kind) {
    case 'Scalar': {
      const cell = wrap(name, desc.dtype, new desc.dtype.array(1) as AnyTypedArray, [1], [1]);
      storeAt(cell, 0, value as number);
      return cell;
    }
    case 'Array': case 'View': {
      refuseIndexOffsets(frame, name);
      const shape = shapeOf(frame, name, frame.symbols);
      const strides = desc.strides.map((s) => evalExpr(s, frame.symbols, undefined, `the strides of ${name}`));
      return wrap(name, desc.dtype, value as AnyTypedArray, shape, strides, desc.startOffset);
    }
    case 'Stream': {
      // A stream argument starts with the array's elements queued, in order.
      const stream = allocate(name, desc, shapeOf(frame, name, frame.symbols)) as StreamRef;
      stream.queues[0]?.push(...Array.from(value as AnyTypedArray, Number));
      return stream;
    }
  }
}

/** What a container holds after the run: the caller's array, a scalar's value, a new array of a stream's remaining elements. */
function result(container: Container, given: AnyTypedArray | number): AnyTypedArray | number {
  if (container.kind === 'stream') {
    const rest = container.queues.flat();
    const out = new container.dtype.array(rest.length) as AnyTypedArray;
    rest.forEach((v, k) => storeAt(wrap(container.name, container.dtype, out, [rest.length], [1]), k, v));
    return out;
  }
  return typeof given === 'number' ? loadAt(container, 0) : given;
}

/**
 * Run an SDFG: check and bind the arguments, run, write arrays in place, and return every non-transient
 * container (arrays: the objects passed; scalars: their final values; streams: what is left in them).
 */
export function runReference(sdfg: SDFG, args: Readonly<Record<string, ArgValue>>): Record<string, AnyTypedArray | number> {
  const bound = bindArguments(sdfg, args);
  const symbols = new Map<string, number>(Object.entries(bound.symbols));
  for (const [name, c] of Object.entries(sdfg.constants)) symbols.set(name, c.value);
  const frame: Frame = { run: newRun(), sdfg, name: sdfg.name, symbols, containers: new Map() };
  try {
    for (const [name] of argumentContainers(sdfg)) frame.containers.set(name, argumentContainer(frame, name, bound.data[name]!));
    runSDFG(frame);
  } catch (error) {
    if (error instanceof SdfgError) throw error;
    throw new InternalError({
      code: 'internal', message: `the reference interpreter failed on ${sdfg.name}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error, hint: 'this is a bug in sdfg-ts; please report it with the program',
    });
  }
  const out: Record<string, AnyTypedArray | number> = {};
  for (const [name] of argumentContainers(sdfg)) out[name] = result(frame.containers.get(name)!, bound.data[name]!);
  return out;
}
