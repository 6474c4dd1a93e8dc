// The HLS C++ dialect of the shared C-like printer: C++ spellings with standard integer typedefs, no half floats.
import type { DType } from '../../graph/dtypes.js';
import { TargetError } from '../../graph/errors.js';
import { cppDialect, type CLikeDialect } from '../common/c-like.js';

/**
 * The C++ spelling of a dtype in HLS code. Integers are the <cstdint> typedefs (no ap_int.h: it is a vendor header);
 * `_Float16` is a GCC extension that Vitis HLS does not accept, and its `half` needs hls_half.h, so f16 is refused.
 */
export function hlsType(t: DType): string {
  if (t.name === 'float16') {
    throw new TargetError({
      code: 'hls-unsupported', message: 'float16 has no spelling in HLS C++ without the vendor header hls_half.h',
      hint: 'use float32 data for the hls target',
    });
  }
  return t.c;
}

/** HLS C++: the tasklet-language spellings of graph/tasklet-ops.ts for 'hls', types checked by hlsType. */
export const hlsDialect: CLikeDialect = {
  ...cppDialect,
  target: 'hls',
  typeName: hlsType,
  number: (value, t) => cppDialect.number(value, (hlsType(t), t)),
  cast: (text, to, from) => cppDialect.cast(text, (hlsType(to), to), from),
  declare: (name, t, value) => `${hlsType(t)} ${name} = ${value};`,
};
