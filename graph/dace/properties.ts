// DaCe's property tables: defaults DaCe leaves out of its files, enumeration names, classpaths, dtypes, connectors.
import { dtypeByName, type DType } from '../dtypes.js';
import { type Lifetime, type StorageType, lifetimes, storageTypes } from '../data.js';
import { FormatError } from '../errors.js';
import { type Connectors, type ScheduleType, scheduleTypes } from '../nodes.js';
import type { JsonObject } from './extras.js';

/** Values DaCe does not write because they are the property's default; the reader fills them in. */
export const DEFAULTS = {
  Data: { dtype: 'int32', transient: false, storage: 'Default', lifetime: 'Scope' },
  Array: { alignment: 0, start_offset: 0, may_alias: false },
  Stream: { buffer_size: '1' },
  AccessNode: { setzero: false },
  Map: { schedule: 'Default', unroll: false, collapse: 1, gpu_block_size: null },
  Consume: { schedule: 'Default', chunksize: 1, condition: null },
  Memlet: { dynamic: false, wcr: null, other_subset: null },
  LibraryNode: { implementation: null, schedule: 'Default' },
  Reduce: { axes: null, identity: null, wcr: 'lambda a, b: a' },
  MatMul: { alpha: 1, beta: 0 },
  NestedSDFG: { schedule: 'Default', symbol_mapping: {} },
  LoopRegion: { inverted: false },
  InterstateEdge: { condition: '1', assignments: {} },
} as const satisfies Record<string, JsonObject>;

export const CLASSPATH = {
  Reduce: 'dace.libraries.standard.nodes.reduce.Reduce',
  MatMul: 'dace.libraries.blas.nodes.matmul.MatMul',
} as const;

/** The library operation a classpath names (any module path ending in the class). */
export function libraryKind(classpath: string): 'Reduce' | 'MatMul' | undefined {
  const cls = classpath.split('.').pop();
  return cls === 'Reduce' || cls === 'MatMul' ? cls : undefined;
}

/** Something to record about a file that was read with an adaptation (not an error). */
export type NoteSink = (note: string) => void;

function pick<T extends string>(value: unknown, known: readonly T[], fallback: T, what: string, note: NoteSink): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && (known as readonly string[]).includes(value)) return value as T;
  note(`${what} ${JSON.stringify(value)} is not known here; read as ${fallback} (the original is kept for writing back)`);
  return fallback;
}

export const readSchedule = (v: unknown, what: string, note: NoteSink): ScheduleType => pick(v, scheduleTypes, 'Default', `${what}: schedule`, note);
export const readStorage = (v: unknown, what: string, note: NoteSink): StorageType => pick(v, storageTypes, 'Default', `${what}: storage`, note);
export const readLifetime = (v: unknown, what: string, note: NoteSink): Lifetime => pick(v, lifetimes, 'Scope', `${what}: lifetime`, note);

/** A DaCe typeclass as a dtype: a name such as "float64" (absent: DaCe's default, int32). */
export function readDType(value: unknown, what: string): DType {
  const name = value === undefined || value === null ? DEFAULTS.Data.dtype : value;
  const dtype = typeof name === 'string' ? dtypeByName(name === 'bool_' ? 'bool' : name) : undefined;
  if (!dtype) {
    throw new FormatError({
      code: 'unsupported-dtype', message: `${what}: the data type ${JSON.stringify(value)} is not supported`,
      hint: 'supported: bool, int8…int64, uint8…uint64, float16, float32, float64',
    });
  }
  return dtype;
}

/**
 * Connector types: null (from the memlet) or a scalar typeclass name. Pointers and other typeclasses become null in
 * the model: the memlet's data gives the element type, and the original is kept for writing back.
 */
export function readConnectors(value: unknown): Connectors {
  const out: Connectors = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [name, t] of Object.entries(value as JsonObject)) out[name] = typeof t === 'string' ? dtypeByName(t) ?? null : null;
  return out;
}

/** Connectors as DaCe writes them: kept pointer types where the model still says "from the memlet". */
export function writeConnectors(connectors: Connectors, kept: unknown): JsonObject {
  const original = typeof kept === 'object' && kept !== null ? (kept as JsonObject) : {};
  const out: JsonObject = {};
  for (const [name, t] of Object.entries(connectors)) {
    out[name] = t ? t.name : typeof original[name] === 'object' ? original[name] : null;
  }
  return out;
}

/** A DaCe CodeBlock: `{string_data, language}`. */
export function codeBlock(text: string, language = 'Python'): JsonObject {
  return { string_data: text, language };
}

/** The text of a CodeBlock (or a bare string), and its language. */
export function readCodeBlock(value: unknown, what: string): { text: string; language: string } | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return { text: value, language: 'Python' };
  if (typeof value === 'object' && typeof (value as JsonObject)['string_data'] === 'string') {
    const v = value as JsonObject;
    return { text: v['string_data'] as string, language: typeof v['language'] === 'string' ? v['language'] : 'Python' };
  }
  throw new FormatError({ code: 'bad-code-block', message: `${what}: expected a code block {string_data, language}, got ${JSON.stringify(value)}` });
}

/** DaCe's number properties may be stored as text ("0", "-1.7976931348623157e+308"). */
export function readNumber(value: unknown, what: string): number {
  const text = typeof value === 'string' ? value.trim().replace(/^([+-]?)inf(inity)?$/i, '$1Infinity') : undefined;
  const n = typeof value === 'number' ? value : text !== undefined ? Number(text) : NaN;
  if (Number.isNaN(n) && !(text !== undefined && /^[+-]?nan$/i.test(text))) {
    throw new FormatError({ code: 'bad-number', message: `${what}: expected a number, got ${JSON.stringify(value)}` });
  }
  return n;
}

/** A number as DaCe stores it in text form (Python's repr for the usual values). */
export function writeNumberText(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}
