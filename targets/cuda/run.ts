// Running a compiled CUDA program through the C++ target's runtime (koffi, checked arguments), with the device checks
// and error reporting CUDA needs: no device → TargetError 'no-cuda-device'; a failing CUDA call → 'cuda-error'.
import koffi from 'koffi';
import { TargetError } from '../../graph/errors.js';
import type { SDFG } from '../../graph/sdfg.js';
import { type ArgValue, bindArguments } from '../common/arguments.js';
import type { EntryParam } from '../cpp/emit.js';
import { loadCpp, type RunResult } from '../cpp/run.js';
import type { LaunchSite } from './emit-context.js';

export interface CudaRunner {
  run(args: Readonly<Record<string, ArgValue>>): RunResult;
  /** Milliseconds per kernel launch site accumulated over the last run (programs compiled with `profile: true`). */
  profile(): { site: LaunchSite; milliseconds: number }[];
  /** The CUDA devices the runtime sees (0 when there is no driver or no device). */
  deviceCount(): number;
}

/** The message for a machine without a usable GPU, from what the CUDA runtime said. */
export function noDeviceError(reason: string | null): TargetError {
  return new TargetError({
    code: 'no-cuda-device',
    message: `no CUDA device: ${reason ?? 'the CUDA runtime found none'}`,
    hint: 'run on a machine with an NVIDIA GPU and its driver; compiling works without one',
  });
}

export function loadCuda(sdfg: SDFG, library: string, entryName: string, params: readonly EntryParam[], launches: readonly LaunchSite[]): CudaRunner {
  const lib = koffi.load(library);
  const deviceCount = lib.func('sdfg_cuda_device_count', 'int', []) as () => number;
  const lastError = lib.func('sdfg_cuda_last_error', 'const char *', []) as () => string | null;
  const profile = lib.func('sdfg_cuda_profile', 'int', ['_Out_ double *', 'int']) as (out: Float64Array, capacity: number) => number;
  let entry: ((args: Readonly<Record<string, ArgValue>>) => RunResult) | undefined;
  let devices: number | undefined;
  const count = (): number => {
    devices ??= deviceCount();
    return Math.max(devices, 0);
  };
  return {
    deviceCount: count,
    run(args) {
      // Bad arguments are reported as on every other target, GPU or not.
      bindArguments(sdfg, args);
      if (count() === 0) throw noDeviceError(lastError());
      entry ??= loadCpp(sdfg, library, entryName, params);
      const result = entry(args);
      const failure = lastError();
      if (failure) {
        throw new TargetError({
          code: 'cuda-error', message: `running '${sdfg.name}' on the GPU failed: ${failure}`,
          hint: 'outputs may be partly written; a launch failure names the kernel (see the generated source)',
        });
      }
      return result;
    },
    profile() {
      const times = new Float64Array(Math.max(launches.length, 1));
      const n = profile(times, times.length);
      return launches.slice(0, n).map((site, k) => ({ site, milliseconds: times[k]! }));
    },
  };
}
