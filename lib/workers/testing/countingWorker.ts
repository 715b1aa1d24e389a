/**
 * A thread-pool worker for the pool's own tests (../threadPool.test.ts): a job counts 0, 1, 2,
 * ... one number per step, and can be made to spin, to wait at a gate the test opens step by
 * step, to throw, or to bring its whole worker thread down. Node runs it directly (type stripping).
 */
import { threadId } from 'node:worker_threads';
import { serveGenerators } from '../threadPoolWorker.ts';

export interface CountingJob {
  /** Numbers to yield before returning; default: until cancelled. */
  count?: number;
  /** Busy-loop iterations per step (a CPU-heavy step). */
  spin?: number;
  /**
   * A gate the test holds (Int32Array over it: [0] steps made, [1] steps allowed): before each
   * step the worker blocks until it may make one more.
   */
  gate?: SharedArrayBuffer;
  /** At this step the job throws (the job fails; its worker lives on). */
  throwAt?: number;
  /** After this step an error escapes the job (the worker thread dies before its next step). */
  crashAt?: number;
  /** At this step the worker thread exits with `exitCode`. */
  exitAt?: number;
  exitCode?: number;
}

export interface CountingEvent {
  n: number;
  threadId: number;
}

export interface CountingResult {
  total: number;
  threadId: number;
}

function* count(job: CountingJob, shouldStop: () => boolean): Generator<CountingEvent, CountingResult> {
  const gate = job.gate ? new Int32Array(job.gate) : undefined;
  let n = 0;
  for (; job.count === undefined || n < job.count; n++) {
    if (shouldStop()) return { total: n, threadId };
    if (gate) {
      for (;;) {
        const allowed = Atomics.load(gate, 1);
        if (Atomics.load(gate, 0) < allowed) break;
        Atomics.wait(gate, 1, allowed);
      }
      Atomics.add(gate, 0, 1);
    }
    if (n === job.throwAt) throw new Error(`counting job threw at step ${n}`);
    if (n === job.crashAt) {
      // Escapes the job: it lands between rounds, before this thread makes another step.
      setImmediate(() => {
        throw new Error(`counting worker crashed at step ${n}`);
      });
    }
    if (n === job.exitAt) process.exit(job.exitCode ?? 1);
    let sink = 0;
    for (let i = 0; i < (job.spin ?? 0); i++) sink += i;
    if (sink < 0) throw new Error('unreachable');
    yield { n, threadId };
  }
  return { total: n, threadId };
}

serveGenerators(count);
