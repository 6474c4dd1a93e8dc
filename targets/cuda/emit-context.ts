// Shared state of CUDA emission: options, the module (kernels, device functions, features), errors, and kernel frames.
import type { GraphPath } from '../../graph/errors.js';
import { TargetError } from '../../graph/errors.js';
import type { SDFG, State } from '../../graph/sdfg.js';
import { ModuleContext, resolveEmitOptions, type FunctionContext } from '../cpp/emit-context.js';
import { type CudaFeatures, noFeatures } from './runtime.js';

export interface CudaEmitOptions {
  /** Base of the exported names (`sdfg_<name>`); default the SDFG's name. */
  name?: string;
  /** MatMul through cuBLAS ('cublas') or a kernel ('none', the default). */
  blas?: 'cublas' | 'none';
  /** Time every kernel launch with events (read back with `sdfg_cuda_profile`). */
  profile?: boolean;
  /** Streams that independent dataflow in one state may use at once (default 4; 1: everything on one stream). */
  streams?: number;
}

export interface ResolvedCudaOptions {
  readonly name: string | undefined;
  readonly blas: 'cublas' | 'none';
  readonly profile: boolean;
  readonly streams: number;
}

export function resolveCudaOptions(options: CudaEmitOptions): ResolvedCudaOptions {
  const streams = options.streams ?? 4;
  if (!Number.isInteger(streams) || streams < 1 || streams > 32) {
    throw new TargetError({ code: 'bad-option', message: `streams must be an integer from 1 to 32, got ${JSON.stringify(options.streams)}`, hint: 'e.g. streams: 4' });
  }
  return { name: options.name, blas: options.blas ?? 'none', profile: options.profile ?? false, streams };
}

/** One kernel launch site, for profiles and readable reports. */
export interface LaunchSite {
  readonly kernel: string;
  readonly state: string;
}

/** The module being emitted: kernels and device functions in definition order, features of the prelude. */
export class CudaModule {
  /** The C++ target's module: unique global names and the contexts its helpers expect. */
  readonly cpp: ModuleContext;
  readonly features: CudaFeatures = noFeatures();
  readonly kernels: string[] = [];
  /** Raw global code of CUDA tasklets, once each. */
  readonly globals = new Set<string>();
  readonly launches: LaunchSite[] = [];
  /** Side streams some state uses (0: only the main stream). */
  sideStreams = 0;

  constructor(readonly options: ResolvedCudaOptions, readonly root: SDFG) {
    this.cpp = new ModuleContext(resolveEmitOptions({}), root);
  }
}

/** The error for a graph feature this target does not handle. */
export function cudaUnsupported(message: string, path?: GraphPath, hint?: string): TargetError {
  return new TargetError({ code: 'cuda-unsupported', message, ...(path ? { path } : {}), ...(hint ? { hint } : {}) });
}

/** Where a container lives as seen from device code. */
export type DeviceMemory = 'global' | 'shared' | 'register' | 'value';

/** One device function being emitted (a kernel): the C++ function context plus what device code needs to know. */
export interface DeviceFunction {
  readonly module: CudaModule;
  readonly fn: FunctionContext;
  /** Memory of every container the function reaches. */
  readonly memory: Map<string, DeviceMemory>;
}

/** Where in a kernel code is being emitted. */
export interface KernelFrame {
  readonly state: State;
  /** Map parameters and loop variables of every enclosing scope (all int64). */
  readonly params: readonly string[];
  /**
   * Parameters of the device map that tell blocks apart by themselves (leading dimensions one block per value); the
   * tile starts of the thread-block map are not among them: the thread parameters already determine those.
   */
  readonly gridParams: ReadonlySet<string>;
  /** Parameters of the thread-block map: different for the threads of one block. */
  readonly threadParams: ReadonlySet<string>;
  /** The thread-block parameter along threadIdx.x: neighbouring lanes of a warp differ in it. */
  readonly laneParam: string | null;
  /** Parameters of sequential scopes inside a thread: they change while one thread runs. */
  readonly loopParams: ReadonlySet<string>;
}
