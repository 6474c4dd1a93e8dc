// Scalar data types: their DaCe names, byte sizes, spellings per target and typed-array constructors.

export type DTypeName =
  | 'bool' | 'int8' | 'int16' | 'int32' | 'int64'
  | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'float16' | 'float32' | 'float64';

export type DTypeKind = 'bool' | 'signed' | 'unsigned' | 'float';

export type TypedArrayOf<N extends DTypeName> =
  N extends 'float64' ? Float64Array
  : N extends 'float32' | 'float16' ? Float32Array
  : N extends 'int64' ? BigInt64Array
  : N extends 'uint64' ? BigUint64Array
  : N extends 'int32' ? Int32Array
  : N extends 'uint32' ? Uint32Array
  : N extends 'int16' ? Int16Array
  : N extends 'uint16' ? Uint16Array
  : N extends 'int8' ? Int8Array
  : N extends 'uint8' | 'bool' ? Uint8Array
  : never;

export type AnyTypedArray =
  | Float64Array | Float32Array | BigInt64Array | BigUint64Array | Int32Array | Uint32Array
  | Int16Array | Uint16Array | Int8Array | Uint8Array;

export interface DType<N extends DTypeName = DTypeName> {
  readonly name: N;
  readonly kind: DTypeKind;
  readonly bytes: number;
  /** Spelling in C++ (also HLS C++). */
  readonly c: string;
  /** Spelling in CUDA C++. */
  readonly cuda: string;
  /** Spelling in WGSL, or null where WGSL has no such type. */
  readonly wgsl: string | null;
  /** The short name users write: f64, i32, … */
  readonly short: string;
  /** The typed array used to hold values of this type on the host. */
  readonly array: { new (length: number): TypedArrayOf<N>; readonly BYTES_PER_ELEMENT: number; readonly name: string };
}

function dtype<N extends DTypeName>(
  name: N, kind: DTypeKind, bytes: number, c: string, wgsl: string | null, short: string,
  array: DType<N>['array'], cuda = c,
): DType<N> {
  return Object.freeze({ name, kind, bytes, c, cuda, wgsl, short, array });
}

export const bool = dtype('bool', 'bool', 1, 'bool', 'bool', 'bool', Uint8Array as DType<'bool'>['array']);
export const i8 = dtype('int8', 'signed', 1, 'int8_t', null, 'i8', Int8Array as DType<'int8'>['array']);
export const i16 = dtype('int16', 'signed', 2, 'int16_t', null, 'i16', Int16Array as DType<'int16'>['array']);
export const i32 = dtype('int32', 'signed', 4, 'int32_t', 'i32', 'i32', Int32Array as DType<'int32'>['array']);
export const i64 = dtype('int64', 'signed', 8, 'int64_t', null, 'i64', BigInt64Array as DType<'int64'>['array']);
export const u8 = dtype('uint8', 'unsigned', 1, 'uint8_t', null, 'u8', Uint8Array as DType<'uint8'>['array']);
export const u16 = dtype('uint16', 'unsigned', 2, 'uint16_t', null, 'u16', Uint16Array as DType<'uint16'>['array']);
export const u32 = dtype('uint32', 'unsigned', 4, 'uint32_t', 'u32', 'u32', Uint32Array as DType<'uint32'>['array']);
export const u64 = dtype('uint64', 'unsigned', 8, 'uint64_t', null, 'u64', BigUint64Array as DType<'uint64'>['array']);
export const f16 = dtype('float16', 'float', 2, '_Float16', 'f16', 'f16', Float32Array as DType<'float16'>['array'], '__half');
export const f32 = dtype('float32', 'float', 4, 'float', 'f32', 'f32', Float32Array as DType<'float32'>['array']);
export const f64 = dtype('float64', 'float', 8, 'double', null, 'f64', Float64Array as DType<'float64'>['array']);

export const allDTypes: readonly DType[] = [bool, i8, i16, i32, i64, u8, u16, u32, u64, f16, f32, f64];

const byName = new Map<string, DType>(allDTypes.flatMap((d) => [[d.name, d], [d.short, d]] as [string, DType][]));

/** Look a dtype up by its DaCe name (`float64`) or short name (`f64`). */
export function dtypeByName(name: string): DType | undefined {
  return byName.get(name);
}

export const isFloat = (d: DType): boolean => d.kind === 'float';
export const isInteger = (d: DType): boolean => d.kind === 'signed' || d.kind === 'unsigned';

/** The type of `a op b` under C's usual arithmetic conversions (simplified: widest float, else widest int). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  if (isFloat(a) || isFloat(b)) {
    const fa = isFloat(a) ? a.bytes : 0, fb = isFloat(b) ? b.bytes : 0;
    return fa >= fb ? a : b;
  }
  if (a.kind === 'bool') return b.kind === 'bool' ? a : b.bytes < 4 ? i32 : b;
  if (b.kind === 'bool') return a.bytes < 4 ? i32 : a;
  const bytes = Math.max(a.bytes, b.bytes, 4);
  const unsigned = (a.kind === 'unsigned' && a.bytes >= bytes) || (b.kind === 'unsigned' && b.bytes >= bytes);
  const pick = allDTypes.find((d) => d.bytes === bytes && d.kind === (unsigned ? 'unsigned' : 'signed'));
  return pick ?? i64;
}
