/**
 * The worker side of a thread pool (./threadPool.ts): `serveGenerators(start)` runs the jobs it
 * is given as synchronous generators, interleaved one step at a time (so a new job's first event
 * waits for one step of each other job, not for their whole runs), posting each event as it is
 * made. Between rounds it yields to its event loop, where new jobs and cancellations arrive: a
 * cancelled job's `shouldStop()` answers true from its next step on, and it ends within one step.
 * The thread first lowers its own priority below the server's event loop (./workerPriority.ts).
 *
 * A worker file that Node runs directly (type stripping) imports this, so it imports only node:
 * modules and relative `.ts` paths, and uses only erasable TypeScript.
 */
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './threadPoolProtocol.ts';
import { lowerThreadPriority } from './workerPriority.ts';

/** Starts one job; `shouldStop` answers true once the job is cancelled (poll it before each step). */
export type StartJob<Job, Event, Result> = (job: Job, shouldStop: () => boolean) => Generator<Event, Result>;

/** Serves the pool's jobs on this worker thread with `start`, then tells the pool it is ready. */
export function serveGenerators<Job, Event, Result>(start: StartJob<Job, Event, Result>): void {
  const port = parentPort;
  if (!port) throw new Error('serveGenerators runs in a worker thread of a thread pool.');
  lowerThreadPriority();
  const active = new Map<number, Generator<Event, Result>>();
  const cancelled = new Set<number>();
  let running = false;
  const post = (message: FromWorker<Event, Result>) => port.postMessage(message);

  function finish(jobId: number, message: FromWorker<Event, Result>): void {
    active.delete(jobId);
    cancelled.delete(jobId);
    post(message);
  }

  /** One step of each active job. */
  function round(): void {
    for (const [jobId, run] of active) {
      try {
        const next = run.next();
        if (!next.done) post({ type: 'event', jobId, event: next.value });
        else if (cancelled.has(jobId)) finish(jobId, { type: 'cancelled', jobId });
        else finish(jobId, { type: 'done', jobId, result: next.value });
      } catch (error) {
        finish(jobId, { type: 'error', jobId, message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  async function loop(): Promise<void> {
    running = true;
    while (active.size > 0) {
      round();
      await new Promise((resolve) => setImmediate(resolve));
    }
    running = false;
  }

  port.on('message', (message: ToWorker<Job>) => {
    if (message.type === 'cancel') {
      if (active.has(message.jobId)) cancelled.add(message.jobId);
      return;
    }
    const { jobId } = message;
    try {
      active.set(jobId, start(message.job, () => cancelled.has(jobId)));
    } catch (error) {
      post({ type: 'error', jobId, message: error instanceof Error ? error.message : String(error) });
      return;
    }
    if (!running) void loop();
  });
  post({ type: 'ready' });
}
