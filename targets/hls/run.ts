// Running a C-simulation: the library loaded like the C++ target's (same entry and arguments), plus its error channel,
// so that a deadlocked dataflow region becomes a TargetError naming the blocked streams instead of a hang.
import koffi from 'koffi';
import { TargetError } from '../../graph/errors.js';
import type { SDFG } from '../../graph/sdfg.js';
import type { ArgValue } from '../common/arguments.js';
import type { EntryParam } from '../cpp/emit.js';
import { loadCpp, type RunResult } from '../cpp/run.js';
import { ERROR_FUNCTION } from './emit-host.js';

/** Load the simulation library; the returned function runs it on checked arguments (written in place). */
export function loadSimulation(sdfg: SDFG, library: string, entryName: string, params: readonly EntryParam[]): (args: Readonly<Record<string, ArgValue>>) => RunResult {
  const run = loadCpp(sdfg, library, entryName, params);
  const lastError = koffi.load(library).func(ERROR_FUNCTION, 'str', []) as () => string;
  return (args) => {
    const result = run(args);
    const message = lastError();
    if (!message) return result;
    const deadlock = /^(deadlock|timeout)\b/.test(message);
    throw new TargetError({
      code: deadlock ? 'hls-deadlock' : 'hls-simulation-failed',
      message: `the C-simulation of ${sdfg.name} ${deadlock ? 'stopped' : 'failed'}: ${message}`,
      path: { sdfg: sdfg.name },
      hint: deadlock
        ? 'a stream is too shallow for what its producer writes before its consumer reads, or a process reads more than is written: check the stream depths and the element counts'
        : 'the outputs were not copied back',
    });
  };
}
