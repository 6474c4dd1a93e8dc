// The CUDA C++ dialect of the C-like printer: CUDA spellings of types, literals and casts (half floats through intrinsics).
import type { DType } from '../../graph/dtypes.js';
import { type CLikeDialect, cNumber, cppDialect } from '../common/c-like.js';

/** A CUDA literal of type `t`: C++'s, except half floats, which CUDA builds from a float. */
export function cudaNumber(value: number, t: DType): string {
  if (t.name !== 'float16') return cNumber(value, t);
  return `__float2half(${cNumber(value, { ...t, name: 'float32', c: 'float' } as DType)})`;
}

export const cudaDialect: CLikeDialect = {
  ...cppDialect,
  target: 'cuda',
  typeName: (t) => t.cuda,
  number: cudaNumber,
  cast: (text, to, from) => {
    // __half converts through float both ways; everything else as in C++.
    if (to.name === 'float16') return `__float2half(static_cast<float>(${text}))`;
    if (from.name === 'float16') return `static_cast<${to.cuda}>(__half2float(${text}))`;
    return `static_cast<${to.cuda}>(${text})`;
  },
  declare: (name, t, value) => `${t.cuda} ${name} = ${value};`,
  forHeader: (v, t, begin, end, step, sign) => cppDialect.forHeader(v, t, begin, end, step, sign).replace(/^for \(\S+ /, `for (${t.cuda} `),
};
