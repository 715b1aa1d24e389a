import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { AppError } from '../errors';
import type { CountingEvent, CountingJob, CountingResult } from './testing/countingWorker.ts';
import { createThreadPool, type ThreadPool, type ThreadPoolOptions } from './threadPool.ts';

const workerPath = path.join(import.meta.dirname, 'testing', 'countingWorker.ts');
const opened: ThreadPool<CountingJob, CountingEvent, CountingResult>[] = [];
const gates: Int32Array[] = [];

afterEach(async () => {
  for (const gate of gates.splice(0)) allow(gate, 1_000_000);
  await Promise.all(opened.splice(0).map((pool) => pool.close()));
});

function openPool(options: Partial<ThreadPoolOptions> = {}) {
  const pool = createThreadPool<CountingJob, CountingEvent, CountingResult>({ name: 'test:counting', workerPath, ...options });
  opened.push(pool);
  return pool;
}

/** A gate (see CountingJob.gate) that lets `allowed` steps through. */
function gate(allowed: number): { buffer: SharedArrayBuffer; view: Int32Array } {
  const buffer = new SharedArrayBuffer(8);
  const view = new Int32Array(buffer);
  gates.push(view);
  allow(view, allowed);
  return { buffer, view };
}

function allow(view: Int32Array, steps: number): void {
  Atomics.add(view, 1, steps);
  Atomics.notify(view, 1);
}

async function collect(run: AsyncGenerator<CountingEvent, CountingResult>): Promise<{ events: CountingEvent[]; result: CountingResult }> {
  const events: CountingEvent[] = [];
  for (;;) {
    const next = await run.next();
    if (next.done) return { events, result: next.value };
    events.push(next.value);
  }
}

async function nextEvent(run: AsyncGenerator<CountingEvent, CountingResult>): Promise<CountingEvent> {
  const next = await run.next();
  if (next.done) throw new Error('the job ended where an event was expected');
  return next.value;
}

/** What a `break` out of `for await` does: the pool cancels the job. */
async function stopReading(run: AsyncGenerator<CountingEvent, CountingResult>): Promise<void> {
  await run.return(undefined as never);
}

const isCode = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

describe('thread pool', () => {
  test('a job streams its events in order from a worker thread and returns its result', async () => {
    const pool = openPool({ size: 1 });
    const { events, result } = await collect(pool.run({ count: 5, spin: 1000 }));
    expect(events.map((e) => e.n)).toEqual([0, 1, 2, 3, 4]);
    expect(result.total).toBe(5);
    expect(events.every((e) => e.threadId === result.threadId && e.threadId !== 0)).toBe(true);
    expect(pool.stats()).toEqual({ workers: 1, running: 0, queued: 0 });
  });

  test('one worker interleaves its jobs: a second job progresses while the first has not finished', async () => {
    const pool = openPool({ size: 1, perWorker: 2 });
    const first = pool.run({ spin: 1000 }); // counts until cancelled
    const a0 = await nextEvent(first);
    const second = pool.run({ spin: 1000 });
    const b0 = await nextEvent(second);
    const a1 = await nextEvent(first);
    expect([a0.n, b0.n, a1.n]).toEqual([0, 0, 1]);
    expect(b0.threadId).toBe(a0.threadId);
    expect(pool.stats()).toEqual({ workers: 1, running: 2, queued: 0 });
    await stopReading(first);
    await stopReading(second);
  });

  test('a job beyond the queue cap is refused with provider:rate_limited, naming the pool', async () => {
    const pool = openPool({ size: 1, perWorker: 1, maxQueue: 1 });
    const held = gate(1);
    const busy = pool.run({ gate: held.buffer });
    await nextEvent(busy); // on the only worker, held at its gate
    const waiting = collect(pool.run({ count: 2 })); // the one queue place
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.stats().queued).toBe(1);
    const refused = pool.run({ count: 1 }).next();
    await expect(refused).rejects.toSatisfy(isCode('provider:rate_limited'));
    await expect(refused).rejects.toThrow('test:counting is busy: 1 jobs are already waiting.');
    await stopReading(busy);
    allow(held.view, 1); // in case the worker already waits at the gate for its next step
    await expect(waiting).resolves.toMatchObject({ result: { total: 2 } });
  });

  test('an abort ends the job within one step and frees its worker for a queued job', async () => {
    const pool = openPool({ size: 1, perWorker: 1 });
    const held = gate(3);
    const controller = new AbortController();
    const job = pool.run({ gate: held.buffer }, controller.signal);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) seen.push((await nextEvent(job)).n);
    const queued = collect(pool.run({ count: 2 }));
    controller.abort(new Error('stopped by test'));
    await expect(job.next()).rejects.toThrow('stopped by test');
    // The worker may already wait at the gate for step 4: let that one step through, no more.
    allow(held.view, 1);
    const next = await queued; // runs only once the aborted job has ended on the one worker
    expect(seen).toEqual([0, 1, 2]);
    expect(next.result.total).toBe(2);
    expect(Atomics.load(held.view, 0)).toBeLessThanOrEqual(4);
    expect(pool.stats()).toEqual({ workers: 1, running: 0, queued: 0 });
  });

  test('an aborted job that still waits in the queue leaves it without running', async () => {
    const pool = openPool({ size: 1, perWorker: 1 });
    const held = gate(1);
    const busy = pool.run({ gate: held.buffer });
    await nextEvent(busy);
    const controller = new AbortController();
    const queued = pool.run({ count: 1 }, controller.signal);
    const pending = queued.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.stats().queued).toBe(1);
    controller.abort(new Error('never ran'));
    await expect(pending).rejects.toThrow('never ran');
    expect(pool.stats().queued).toBe(0);
    await stopReading(busy);
  });

  test('a consumer that stops reading frees its worker for the next job', async () => {
    const pool = openPool({ size: 1, perWorker: 1 });
    const first = pool.run({ spin: 1000 }); // counts until cancelled
    expect((await nextEvent(first)).n).toBe(0); // running on the only worker
    const queued = collect(pool.run({ count: 3 }));
    for await (const event of first) if (event.n === 2) break;
    const { events, result } = await queued;
    expect(events.map((e) => e.n)).toEqual([0, 1, 2]);
    expect(result.total).toBe(3);
  });

  test('a job that throws fails with its message, and its worker serves the next job', async () => {
    const pool = openPool({ size: 1 });
    const failed = collect(pool.run({ count: 5, throwAt: 2 }));
    await expect(failed).rejects.toSatisfy(isCode('provider:error'));
    await expect(failed).rejects.toThrow('counting job threw at step 2');
    const after = await collect(pool.run({ count: 1 }));
    expect(after.result.total).toBe(1);
    expect(pool.stats().workers).toBe(1);
  });

  test('a worker that crashes fails only its own jobs, and the next job runs on a new worker', async () => {
    const pool = openPool({ size: 2, perWorker: 1 });
    const heldA = gate(1);
    const a = pool.run({ gate: heldA.buffer });
    const a0 = await nextEvent(a);
    const heldB = gate(1);
    const b = pool.run({ gate: heldB.buffer, crashAt: 1 });
    const b0 = await nextEvent(b);
    expect(b0.threadId).not.toBe(a0.threadId);
    allow(heldB.view, 1);
    await expect(collect(b)).rejects.toThrow('test:counting worker failed: counting worker crashed at step 1');
    allow(heldA.view, 1);
    expect((await nextEvent(a)).n).toBe(1); // the other worker's job goes on
    const c = await collect(pool.run({ count: 1 }));
    expect([a0.threadId, b0.threadId]).not.toContain(c.result.threadId);
    expect(pool.stats().workers).toBe(2);
    await stopReading(a);
  });

  test('a worker that exits fails its jobs with its exit code, and the pool goes on', async () => {
    const pool = openPool({ size: 1, perWorker: 2 });
    const first = expect(collect(pool.run({ count: 1000, exitAt: 500, exitCode: 7 }))).rejects.toThrow('test:counting worker exited with code 7');
    const second = expect(collect(pool.run({ count: 1000, spin: 100 }))).rejects.toThrow('test:counting worker exited with code 7'); // on the same worker
    await Promise.all([first, second]);
    const after = await collect(pool.run({ count: 2 }));
    expect(after.result.total).toBe(2);
  });

  test('close() fails the queued and running jobs and refuses new ones', async () => {
    const pool = openPool({ size: 1, perWorker: 1 });
    const running = pool.run({ spin: 1000 });
    await nextEvent(running);
    const queued = expect(collect(pool.run({ count: 1 }))).rejects.toThrow('test:counting pool closed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.stats().queued).toBe(1);
    await pool.close();
    await queued;
    await expect(collect(running)).rejects.toThrow('test:counting pool closed');
    await expect(pool.run({ count: 1 }).next()).rejects.toSatisfy(isCode('provider:unavailable'));
    expect(pool.stats()).toEqual({ workers: 0, running: 0, queued: 0 });
  });
});
