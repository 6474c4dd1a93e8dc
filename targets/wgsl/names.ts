// Identifiers in generated WGSL: words the language reserves or predeclares, and unique names derived from the graph's.

/** Keywords, reserved words, predeclared types and the builtin functions generated code calls (which a local must not shadow). */
const wgslWords = `alias break case const const_assert continue continuing default diagnostic discard else enable false fn for if let
loop override requires return struct switch true var while
NULL Self abstract active alignas alignof as asm asm_fragment async attribute auto await become binding_array cast catch
class co_await co_return co_yield coherent column_major common compile compile_fragment concept const_cast consteval
constexpr constinit crate debugger decltype delete demote demote_to_helper do dynamic_cast enum explicit export extends
extern external fallthrough filter final finally friend from fxgroup get goto groupshared highp impl implements import
inline instanceof interface layout lowp macro macro_rules match mediump meta mod module move mut mutable namespace new nil
noexcept noinline nointerpolation noperspective null nullptr of operator package packoffset partition pass patch
pixelfragment precise precision premerge priv protected pub public readonly ref regardless register reinterpret_cast
require resource restrict self set shared sizeof smooth snorm static static_assert static_cast std subroutine super target
template this thread_local throw trait try type typedef typeid typename typeof union unless unorm unsafe unsized use using
varying virtual volatile wgsl where with writeonly yield
bool i32 u32 f32 f16 vec2 vec3 vec4 mat2x2 mat3x3 mat4x4 array atomic ptr sampler texture_2d
abs acos acosh asin asinh atan atanh atan2 ceil clamp cos cosh exp exp2 floor fma fract log log2 max min pow round sign
sin sinh sqrt tan tanh trunc select bitcast arrayLength workgroupBarrier storageBarrier atomicLoad atomicStore atomicAdd
atomicMin atomicMax atomicCompareExchangeWeak
sdfg_floordiv sdfg_mod sdfg_ipow_i32 sdfg_ipow_u32 sdfg_f32_bits`;

export const reservedWgsl: ReadonlySet<string> = new Set(wgslWords.split(/\s+/).filter(Boolean));

/** Whether a graph name can be used as it is (symbols and map parameters are printed verbatim in index expressions). */
export function isUsableWgslName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !name.startsWith('__') && name !== '_' && !reservedWgsl.has(name);
}

/** A valid WGSL identifier from arbitrary text (not yet unique). */
export function wgslIdentifier(text: string): string {
  let name = text.replace(/[^A-Za-z0-9_]/g, '_').replace(/^_+/, '');
  if (!/^[A-Za-z]/.test(name)) name = `v${name}`;
  return reservedWgsl.has(name) ? `${name}_` : name;
}

/** Unique identifiers within one scope of generated code. */
export class NameScope {
  private readonly used: Set<string>;

  constructor(taken: Iterable<string> = []) {
    this.used = new Set(taken);
  }

  reserve(name: string): void {
    this.used.add(name);
  }

  has(name: string): boolean {
    return this.used.has(name);
  }

  /** A fresh identifier starting with `base`. */
  fresh(base: string): string {
    const root = wgslIdentifier(base);
    let name = root;
    for (let k = 1; this.used.has(name); k++) name = `${root}_${k}`;
    this.used.add(name);
    return name;
  }

  /** A child scope that sees every name taken here. */
  child(): NameScope {
    return new NameScope(this.used);
  }
}
