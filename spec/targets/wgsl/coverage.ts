// Which samples and kernels run on the WGSL target, with which demotion, and the ones it refuses with the exact reason:
// the table the samples and kernels specs check (and the README's list of what WebGPU cannot run).
import type { SDFG } from '../../../graph/sdfg.js';
import { allSDFGs } from '../../../graph/query.js';
import type { WgslEmitOptions } from '../../../targets/wgsl/emit.js';

export interface Refusal {
  /** Options the program is compiled with when the refusal is checked (demotion on, so the reason is not f64). */
  readonly options: WgslEmitOptions;
  readonly code: string;
  readonly message: string;
}

/** Programs that cannot run on WebGPU, by sample or kernel name, with the error compile gives. */
export const refusedOnWgsl: Readonly<Record<string, Refusal>> = {
  // Streams and consume scopes have no GPU lowering (GPUTransform refuses them).
  stream_pipeline: {
    options: { f64: 'f32' }, code: 'wgsl-unsupported',
    message: 'stream_pipeline cannot run on WebGPU: stream queue has no GPU lowering (streams and consume scopes run on CPUs and FPGAs)',
  },
  // WGSL storage buffers hold 32-bit scalars only: no u8 data.
  crc16: { options: { f64: 'f32', i64: 'i32' }, code: 'wgsl-unsupported-type', message: 'WGSL storage cannot hold uint8 data: data' },
};

/** Programs whose tasklets cast to i64 explicitly (bins of a histogram): they also need `i64: 'i32'`. */
const castsToI64 = new Set(['histogram', 'azimint_hist']);

/** Whether a program holds f64 data anywhere (then it runs only with `f64: 'f32'`). */
export function holdsF64(sdfg: SDFG): boolean {
  return [...allSDFGs(sdfg)].some((s) => Object.values(s.arrays).some((d) => d.dtype.name === 'float64'));
}

/** The options a program that runs on WebGPU needs: none for f32/i32 programs, the explicit demotions otherwise. */
export function demotionFor(name: string, sdfg: SDFG): WgslEmitOptions {
  return { ...(holdsF64(sdfg) ? { f64: 'f32' as const } : {}), ...(castsToI64.has(name) ? { i64: 'i32' as const } : {}) };
}

/** f32 tolerance for demoted programs (compared on inputs rounded to f32, so only the arithmetic differs). */
export const f32Tolerance = { rtol: 1e-4, atol: 1e-5 } as const;

/** Arguments as a demoted run sees them: f64 arrays and fractional numbers rounded to f32 (copies). */
export function roundedToF32<T extends Record<string, unknown>>(args: T): T {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k,
    v instanceof Float64Array ? Float64Array.from(v, Math.fround)
      : typeof v === 'number' && !Number.isInteger(v) ? Math.fround(v)
        : ArrayBuffer.isView(v) ? (v as unknown as { slice(): unknown }).slice() : v,
  ])) as T;
}
