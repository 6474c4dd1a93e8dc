// The worker process of `npm run bench`: one kernel per process, so a crash in native code costs one variant, not the run.
import { benchKernel, errorText, failedKernel } from './kernel-bench.js';
import type { WorkerJob, WorkerMessage } from './results.js';

if (!process.send) {
  console.error('bench/worker.ts is started by bench/run.ts (npm run bench), not directly');
  process.exit(2);
}

// One job in, one result out; the parent sees a missing result as a crash of the variant last reported.
process.once('message', (job: WorkerJob) => {
  benchKernel(job)
    .catch((cause: unknown) => failedKernel(job, errorText(cause)))
    .then((result) => process.send!({ type: 'result', result } satisfies WorkerMessage, () => process.exit(0)))
    .catch(() => process.exit(1));
});
