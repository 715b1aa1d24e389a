/**
 * The `local:tiny` worker pool: a few worker threads (one per spare core) that each load the
 * weights once and interleave up to `perWorker` generations token by token, a bounded FIFO queue
 * in front of them, and cancellation through AbortSignal (the worker checks before each token,
 * so a cancelled generation stops within one token). Generation never runs on the caller's
 * event loop.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors';
import type { TinyFinishReason, TinyGenerateOptions, TinyTokenEvent } from './generate.ts';
import type { FromWorker, ToWorker, WorkerData } from './worker.ts';

export interface TinyPoolOptions {
  weightsDir: string;
  /** The worker script (worker.ts), run by Node directly. */
  workerPath: string;
  /** Worker threads; default max(1, cpus - 1). */
  size?: number;
  /** Generations one worker interleaves. Default 4. */
  perWorker?: number;
  /** Generations allowed to wait for a worker; more are refused. Default 64. */
  maxQueue?: number;
}

export interface TinyPool {
  generate(options: TinyGenerateOptions): AsyncGenerator<TinyTokenEvent, { finishReason: TinyFinishReason }>;
  /** Running and queued generations. */
  stats(): { workers: number; running: number; queued: number };
  close(): Promise<void>;
}

type JobMessage = { type: 'token'; event: TinyTokenEvent } | { type: 'done'; finishReason: string } | { type: 'error'; message: string };

interface Job {
  id: number;
  options: Omit<TinyGenerateOptions, 'signal'>;
  push(message: JobMessage): void;
  slot?: Slot;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
}

export function createTinyPool(options: TinyPoolOptions): TinyPool {
  const size = options.size ?? Math.max(1, os.availableParallelism() - 1);
  const maxQueue = options.maxQueue ?? 64;
  const perWorker = options.perWorker ?? 4;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextJobId = 1;
  let closed = false;

  function spawn(): Slot {
    const worker = new Worker(options.workerPath, { workerData: { weightsDir: options.weightsDir } satisfies WorkerData });
    worker.unref();
    const slot: Slot = { worker, jobs: new Map() };
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') return;
      const job = slot.jobs.get(message.jobId);
      if (!job) return;
      if (message.type === 'token') job.push({ type: 'token', event: message.event as TinyTokenEvent });
      else {
        slot.jobs.delete(job.id);
        job.push(message.type === 'done' ? { type: 'done', finishReason: message.finishReason } : { type: 'error', message: message.message });
        dispatch();
      }
    });
    const fail = (reason: string) => {
      const index = slots.indexOf(slot);
      if (index >= 0) slots.splice(index, 1);
      for (const job of slot.jobs.values()) job.push({ type: 'error', message: reason });
      slot.jobs.clear();
      if (!closed) dispatch();
    };
    worker.on('error', (error) => fail(`local:tiny worker failed: ${error.message}`));
    worker.on('exit', (code) => fail(`local:tiny worker exited with code ${code}`));
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
      slot.worker.postMessage({ type: 'generate', jobId: job.id, options: job.options } satisfies ToWorker);
    }
  }

  async function* generate(request: TinyGenerateOptions): AsyncGenerator<TinyTokenEvent, { finishReason: TinyFinishReason }> {
    const { signal, ...jobOptions } = request;
    signal?.throwIfAborted();
    if (closed) throw new AppError('provider:unavailable', 'local:tiny is shutting down.');
    if (queue.length >= maxQueue) throw new AppError('provider:rate_limited', `local:tiny is busy: ${queue.length} generations are already waiting.`);
    const inbox: JobMessage[] = [];
    let wake: (() => void) | null = null;
    const job: Job = {
      id: nextJobId++,
      options: jobOptions,
      push(message) {
        inbox.push(message);
        wake?.();
      },
    };
    const cancel = () => {
      const waiting = queue.indexOf(job);
      if (waiting >= 0) queue.splice(waiting, 1);
      else if (job.slot?.jobs.get(job.id) === job) job.slot.worker.postMessage({ type: 'cancel', jobId: job.id } satisfies ToWorker);
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
        if (message.type === 'token') yield message.event;
        else if (message.type === 'error') throw new AppError('provider:error', message.message);
        else {
          finished = true;
          if (message.finishReason === 'cancelled') throw signal?.reason ?? new AppError('provider:error', 'local:tiny generation was cancelled.');
          return { finishReason: message.finishReason as TinyFinishReason };
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // A consumer that stops reading (break, abort, error) frees its worker at the next token.
      if (!finished) cancel();
    }
  }

  return {
    generate,
    stats: () => ({ workers: slots.length, running: slots.reduce((n, s) => n + s.jobs.size, 0), queued: queue.length }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.push({ type: 'error', message: 'local:tiny pool closed' });
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
