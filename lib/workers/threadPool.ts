/**
 * A pool of worker threads for CPU-heavy jobs that stream (a local model's tokens, a search's
 * progress): a few workers (one per spare core) that each set up once from `workerData` and
 * interleave up to `perWorker` jobs step by step (./threadPoolWorker.ts), a bounded FIFO queue in
 * front of them, and cancellation through AbortSignal (the worker checks before each step, so a
 * cancelled job stops within one step). Jobs never run on the caller's event loop. A worker that
 * crashes or exits fails only its own jobs; the next job gets a new worker.
 *
 *   const pool = createThreadPool<Job, Event, Result>({ name: 'local:tiny', workerPath, workerData });
 *   for await (const event of pool.run(job, signal)) ...
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors';
import type { FromWorker, ToWorker } from './threadPoolProtocol.ts';

export interface ThreadPoolOptions {
  /** Names the pool in its errors (`local:tiny is busy: ...`). */
  name: string;
  /** The worker script, run by Node directly (a real file: not through the bundler). */
  workerPath: string;
  /** Given to every worker as `workerData` (structured clone). */
  workerData?: unknown;
  /** Worker threads; default max(1, available parallelism - 1). */
  size?: number;
  /** Jobs one worker interleaves. Default 4. */
  perWorker?: number;
  /** Jobs allowed to wait for a worker; more are refused with 'provider:rate_limited'. Default 64. */
  maxQueue?: number;
}

export interface ThreadPoolStats {
  workers: number;
  running: number;
  queued: number;
}

export interface ThreadPool<Job, Event, Result> {
  /**
   * Queues `job` (structured clone) and yields its events, then returns its result. Throws the
   * signal's reason when `signal` aborts, an AppError 'provider:rate_limited' when the queue is
   * full, 'provider:error' when the job throws or its worker dies. A consumer that stops reading
   * cancels the job.
   */
  run(job: Job, signal?: AbortSignal): AsyncGenerator<Event, Result>;
  /** Workers, running and queued jobs. */
  stats(): ThreadPoolStats;
  /** Refuses new jobs, fails queued and running ones, stops the workers. */
  close(): Promise<void>;
}

type Delivery<Event, Result> =
  | { type: 'event'; event: Event }
  | { type: 'done'; result: Result }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };

interface PendingJob<Job, Event, Result> {
  id: number;
  job: Job;
  deliver(message: Delivery<Event, Result>): void;
  slot?: Slot<Job, Event, Result>;
}

interface Slot<Job, Event, Result> {
  worker: Worker;
  jobs: Map<number, PendingJob<Job, Event, Result>>;
}

export function createThreadPool<Job, Event, Result>(options: ThreadPoolOptions): ThreadPool<Job, Event, Result> {
  const { name } = options;
  const size = options.size ?? Math.max(1, os.availableParallelism() - 1);
  const perWorker = options.perWorker ?? 4;
  const maxQueue = options.maxQueue ?? 64;
  type Pending = PendingJob<Job, Event, Result>;
  const slots: Slot<Job, Event, Result>[] = [];
  const queue: Pending[] = [];
  let nextJobId = 1;
  let closed = false;

  function spawn(): Slot<Job, Event, Result> {
    const worker = new Worker(options.workerPath, { workerData: options.workerData });
    worker.unref();
    const slot: Slot<Job, Event, Result> = { worker, jobs: new Map() };
    worker.on('message', (message: FromWorker<Event, Result>) => {
      if (message.type === 'ready') return;
      const job = slot.jobs.get(message.jobId);
      if (!job) return;
      if (message.type === 'event') {
        job.deliver(message);
        return;
      }
      slot.jobs.delete(job.id);
      job.deliver(message);
      dispatch();
    });
    const fail = (reason: string) => {
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      for (const job of slot.jobs.values()) job.deliver({ type: 'error', message: reason });
      slot.jobs.clear();
      if (!closed) dispatch();
    };
    worker.on('error', (error) => fail(`${name} worker failed: ${error.message}`));
    worker.on('exit', (code) => fail(`${name} worker exited with code ${code}`));
    slots.push(slot);
    return slot;
  }

  function dispatch(): void {
    while (queue.length > 0) {
      // An idle worker first, then a new one, then the least busy with room.
      let slot = slots.find((s) => s.jobs.size === 0);
      if (!slot && slots.length < size) slot = spawn();
      if (!slot) slot = slots.filter((s) => s.jobs.size < perWorker).sort((a, b) => a.jobs.size - b.jobs.size)[0];
      if (!slot) return;
      const job = queue.shift()!;
      slot.jobs.set(job.id, job);
      job.slot = slot;
      slot.worker.postMessage({ type: 'start', jobId: job.id, job: job.job } satisfies ToWorker<Job>);
    }
  }

  async function* run(input: Job, signal?: AbortSignal): AsyncGenerator<Event, Result> {
    signal?.throwIfAborted();
    if (closed) throw new AppError('provider:unavailable', `${name} is shutting down.`);
    if (queue.length >= maxQueue) throw new AppError('provider:rate_limited', `${name} is busy: ${queue.length} jobs are already waiting.`);
    const inbox: Delivery<Event, Result>[] = [];
    let wake: (() => void) | null = null;
    const job: Pending = {
      id: nextJobId++,
      job: input,
      deliver(message) {
        inbox.push(message);
        wake?.();
      },
    };
    const cancel = () => {
      const waiting = queue.indexOf(job);
      if (waiting >= 0) queue.splice(waiting, 1);
      else if (job.slot?.jobs.get(job.id) === job) job.slot.worker.postMessage({ type: 'cancel', jobId: job.id } satisfies ToWorker<Job>);
    };
    const onAbort = () => {
      cancel();
      wake?.();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    queue.push(job);
    dispatch();
    let finished = false;
    try {
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        const message = inbox.shift();
        if (!message) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          continue;
        }
        if (message.type === 'event') {
          yield message.event;
          continue;
        }
        finished = true;
        if (message.type === 'error') throw new AppError('provider:error', message.message);
        if (message.type === 'cancelled') throw signal?.reason ?? new AppError('provider:error', `${name} job was cancelled.`);
        return message.result;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // A consumer that stops reading (break, abort, error) frees its worker at the job's next step.
      if (!finished) cancel();
    }
  }

  return {
    run,
    stats: () => ({ workers: slots.length, running: slots.reduce((n, s) => n + s.jobs.size, 0), queued: queue.length }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.deliver({ type: 'error', message: `${name} pool closed` });
      const stopping = slots.splice(0);
      for (const slot of stopping) {
        for (const job of slot.jobs.values()) job.deliver({ type: 'error', message: `${name} pool closed` });
        slot.jobs.clear();
      }
      await Promise.all(stopping.map((s) => s.worker.terminate()));
    },
  };
}
