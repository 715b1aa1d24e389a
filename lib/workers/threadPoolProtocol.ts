/**
 * The messages between a thread pool (./threadPool.ts) and its workers (./threadPoolWorker.ts).
 * Types only, so a worker file that Node runs directly (type stripping) can import it.
 */

/** The pool to a worker: start a job, or stop one (it ends at its next step). */
export type ToWorker<Job> = { type: 'start'; jobId: number; job: Job } | { type: 'cancel'; jobId: number };

/**
 * A worker to the pool: it is ready (weights loaded); a job's event; its result; that it stopped
 * on a cancel; or that it threw (the message of what it threw).
 */
export type FromWorker<Event, Result> =
  | { type: 'ready' }
  | { type: 'event'; jobId: number; event: Event }
  | { type: 'done'; jobId: number; result: Result }
  | { type: 'cancelled'; jobId: number }
  | { type: 'error'; jobId: number; message: string };
