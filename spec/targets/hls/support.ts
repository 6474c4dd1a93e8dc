// What the hls specs share: the table of programs the FPGA lowering refuses (with the exact error), and argument copies.
import type { KernelArgs } from '../../../kernels/kernel.js';

/**
 * Samples and kernels the hls target refuses, with the code and message of its TargetError. The specs assert that
 * each is refused with exactly this error and that every other one runs in C-simulation.
 */
export const refusedByHls: Readonly<Record<string, { readonly code: string; readonly message: string }>> = {
  // Every sample and kernel runs today. An entry looks like:
  //   'kernel name': { code: 'hls-unsupported', message: 'the summary of the TargetError' },
};

export function copyKernelArgs(args: KernelArgs): KernelArgs {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'number' ? v : v.slice()]));
}
