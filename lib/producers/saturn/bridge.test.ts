import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { AppError } from '../../errors';
import { DEFAULT_KILL_GRACE_MS, SaturnWorkerError, startSaturnWorker, type RenderCommand, type SaturnWorker, type SaturnWorkerOptions, type WorkerEvent, type WorkerLogEntry } from './bridge';

const FAKES = path.resolve('e2e/fixtures/saturn-workers');
const imageDir = mkdtempSync(path.join(tmpdir(), 'saturn-bridge-'));

// Every process the suite starts (workers and their grandchildren), checked at the end.
const spawned: number[] = [];

/** Whether `pid` is a running process. A zombie (killed, not yet reaped by its new parent) is not. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): kill(0) is all there is
  }
}

const grid = (n: number, f: (r: number, c: number) => number = (r, c) => (r + c) % 10) =>
  Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => f(r, c)));

const RENDER: RenderCommand = {
  phase: 'pair-1',
  step: 1,
  total: 5,
  message: 'Looking at the first training pair',
  images: [
    { kind: 'grid', label: 'Pair 1 input', grid: grid(10) },
    { kind: 'pair', label: 'Pair 1: input → output', input: grid(10), output: grid(10, (r, c) => (r * c) % 10) },
    { kind: 'diff', label: 'Pair 1: what changed', a: grid(10), b: grid(10, (r, c) => (r * c) % 10) },
  ],
};

interface Started {
  worker: SaturnWorker;
  logs: WorkerLogEntry[];
}

async function start(fake: string | null, options: Partial<SaturnWorkerOptions> = {}): Promise<Started> {
  const logs: WorkerLogEntry[] = [];
  const worker = await startSaturnWorker({
    runId: 'run-test',
    imageDir,
    wallTimeMs: 20_000,
    killGraceMs: 300,
    onLog: (entry) => logs.push(entry),
    ...(fake ? { workerPath: path.join(FAKES, `${fake}.py`) } : {}),
    ...options,
  });
  if (worker.pid === undefined) throw new Error('the worker did not start');
  spawned.push(worker.pid);
  return { worker, logs };
}

/** Collect a request's events; the error it ends with, if any. */
async function collect(iterable: AsyncIterable<WorkerEvent>): Promise<{ events: WorkerEvent[]; error?: unknown }> {
  const events: WorkerEvent[] = [];
  try {
    for await (const event of iterable) events.push(event);
    return { events };
  } catch (error) {
    return { events, error };
  }
}

function expectFailure(error: unknown, kind: string, code: string): SaturnWorkerError {
  expect(error).toBeInstanceOf(SaturnWorkerError);
  const failure = error as SaturnWorkerError;
  expect(failure.kind).toBe(kind);
  expect(failure.payload.code).toBe(code);
  expect(failure.payload.message.length).toBeGreaterThan(10);
  return failure;
}

/** The run ended as documented: the failure visible, logged, and the process gone. */
async function expectGone(started: Started): Promise<void> {
  await started.worker.exited;
  expect(isAlive(started.worker.pid!)).toBe(false);
}

describe('the real worker, end to end', () => {
  test('a render yields a step and one image per picture, backed by real PNG files', async () => {
    const started = await start(null);
    const { worker } = started;
    const { events, error } = await collect(worker.request(RENDER));
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['saturn.step', 'saturn.image', 'saturn.image', 'saturn.image']);
    expect(events[0]).toEqual({ type: 'saturn.step', data: { message: RENDER.message, step: 1, total: 5, phase: 'pair-1' } });
    for (const [i, event] of events.slice(1).entries()) {
      if (event.type !== 'saturn.image') throw new Error('expected an image');
      expect(event.data.label).toBe(RENDER.images[i]!.label);
      expect(event.data.phase).toBe('pair-1');
      const name = event.data.url.replace('/api/images/', '');
      expect(name).toMatch(/^[0-9a-f]{64}\.png$/);
      const bytes = readFileSync(path.join(imageDir, name));
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(name.slice(0, 64));
      expect(bytes.readUInt32BE(16)).toBe(event.data.width);
      expect(bytes.readUInt32BE(20)).toBe(event.data.height);
    }
    const result = await worker.done({ predictions: [grid(3), null], correct: [false, null], solved: false });
    expect(result).toEqual({ predictions: [grid(3), null], correct: [false, null], solved: false });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.failure).toBeUndefined();
    expect(started.logs.filter((l) => l.level !== 'info')).toEqual([]);
    expect(readdirSync(imageDir).some((f) => f.startsWith('.tmp-'))).toBe(false);
  });

  test('pipelined requests each see only their own events', async () => {
    const { worker } = await start(null);
    const first = worker.request({ ...RENDER, images: RENDER.images.slice(0, 1) });
    const second = worker.request({ ...RENDER, step: 2, images: RENDER.images.slice(1) });
    const [a, b] = await Promise.all([collect(first), collect(second)]);
    expect(a.events.map((e) => e.type)).toEqual(['saturn.step', 'saturn.image']);
    expect(b.events.map((e) => e.type)).toEqual(['saturn.step', 'saturn.image', 'saturn.image']);
    expect(b.events[0]?.data).toMatchObject({ step: 2 });
    await worker.close();
    expect(worker.failure).toBeUndefined();
  });

  test('breaking out of a request early drops the rest of it and the next request still works', async () => {
    const { worker } = await start(null);
    for await (const event of worker.request(RENDER)) {
      expect(event.type).toBe('saturn.step');
      break;
    }
    const { events, error } = await collect(worker.request({ ...RENDER, images: [] }));
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['saturn.step']);
    await worker.close();
  });

  test('an invalid command is refused before it reaches the worker', async () => {
    const { worker } = await start(null);
    expect(() => worker.request({ ...RENDER, images: [{ kind: 'grid', label: 'x', grid: [[1, 2], [3]] }] })).toThrow(AppError);
    await worker.close();
    expect(worker.failure).toBeUndefined();
  });

  test('close() with no work pending ends the worker cleanly', async () => {
    // The worker is closed as soon as it is spawned: it exits at EOF once its interpreter is up,
    // which can take longer than the 300 ms grace of the other tests on a busy machine (SIGTERM
    // would then end it). The default grace is what a real close gives it.
    const started = await start(null, { killGraceMs: DEFAULT_KILL_GRACE_MS });
    await started.worker.close();
    expect(await started.worker.exited).toEqual({ code: 0, signal: null });
    expect(started.worker.failure).toBeUndefined();
  });

  test('rendering three 10x10 pictures takes tens of milliseconds', async () => {
    const spawnStart = performance.now();
    const { worker } = await start(null);
    await collect(worker.request({ ...RENDER, images: [] })); // the interpreter is up
    const startup = performance.now() - spawnStart;
    const n = 5;
    const renderStart = performance.now();
    for (let i = 0; i < n; i += 1) {
      const { error } = await collect(worker.request({ ...RENDER, step: i, images: RENDER.images.map((image) => ({ ...image, label: `${image.label} ${i}` })) }));
      expect(error).toBeUndefined();
    }
    const perRender = (performance.now() - renderStart) / n;
    console.info(`saturn worker: start-up ${startup.toFixed(0)} ms, 3 images of 10x10 ${perRender.toFixed(1)} ms per request`);
    expect(perRender).toBeLessThan(2_000);
    await worker.close();
  });
});

describe('a misbehaving worker', () => {
  test('a partial last line (no newline), then exit 0, is a truncated_line protocol error', async () => {
    const started = await start('partial_line');
    const { events, error } = await collect(started.worker.request(RENDER));
    expect(events.map((e) => e.type)).toEqual(['saturn.step']);
    expect(expectFailure(error, 'protocol', 'saturn:protocol').problem).toBe('truncated_line');
    await expectGone(started);
    expect(started.logs.some((l) => l.source === 'bridge' && l.level === 'error' && l.message.includes('truncated_line'))).toBe(true);
  });

  test('a line of megabytes is refused without being buffered, and the worker is stopped', async () => {
    const started = await start('huge_line');
    const { error } = await collect(started.worker.request(RENDER));
    expect(expectFailure(error, 'protocol', 'saturn:protocol').problem).toBe('line_too_long');
    await expectGone(started);
    expect((await started.worker.exited).signal).toBe('SIGTERM');
  });

  test('invalid UTF-8 is a protocol error', async () => {
    const started = await start('invalid_utf8');
    const { error } = await collect(started.worker.request(RENDER));
    expect(expectFailure(error, 'protocol', 'saturn:protocol').problem).toBe('invalid_utf8');
    await expectGone(started);
  });

  test('a line that is not JSON is a protocol error that quotes the line', async () => {
    const started = await start('not_json');
    const { error } = await collect(started.worker.request(RENDER));
    const failure = expectFailure(error, 'protocol', 'saturn:protocol');
    expect(failure.problem).toBe('invalid_json');
    expect(failure.payload.details).toMatchObject({ line: 'debug: rendering...' });
    await expectGone(started);
  });

  test('an envelope that fails its schema is a protocol error naming the field', async () => {
    const started = await start('wrong_schema');
    const { error } = await collect(started.worker.request(RENDER));
    const failure = expectFailure(error, 'protocol', 'saturn:protocol');
    expect(failure.problem).toBe('invalid_envelope');
    expect(failure.message).toContain('data.step');
    await expectGone(started);
  });

  test('a skipped seq is a protocol error', async () => {
    const started = await start('bad_seq');
    const { events, error } = await collect(started.worker.request(RENDER));
    expect(events).toHaveLength(1);
    expect(expectFailure(error, 'protocol', 'saturn:protocol').problem).toBe('bad_seq');
    await expectGone(started);
  });

  test('an envelope of another run is a protocol error', async () => {
    const started = await start('wrong_corr_id');
    const { error } = await collect(started.worker.request(RENDER));
    expect(expectFailure(error, 'protocol', 'saturn:protocol').problem).toBe('wrong_corr_id');
    await expectGone(started);
  });

  test('an image URL off the image store is a protocol error', async () => {
    const started = await start('foreign_image');
    const { events, error } = await collect(started.worker.request(RENDER));
    expect(events.map((e) => e.type)).toEqual(['saturn.step']);
    expect(expectFailure(error, 'protocol', 'saturn:protocol').problem).toBe('bad_image');
    await expectGone(started);
  });

  test('an unknown event type is skipped with a visible warning and the run goes on', async () => {
    const started = await start('unknown_type');
    const { events, error } = await collect(started.worker.request(RENDER));
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['saturn.step', 'status']);
    expect(events[1]?.data).toMatchObject({ state: 'info', code: 'saturn:skipped_event' });
    expect(await started.worker.done({ predictions: [null], correct: [null], solved: false })).toEqual({ predictions: [null], correct: [null], solved: false });
    expect(started.worker.failure).toBeUndefined();
    expect(started.logs.some((l) => l.level === 'warn' && l.message.includes('saturn.hologram'))).toBe(true);
    await expectGone(started);
  });

  test("the worker's own error envelope fails the run with its code and message", async () => {
    const started = await start('worker_error');
    const { error } = await collect(started.worker.request(RENDER));
    const failure = expectFailure(error, 'worker_error', 'saturn:internal');
    expect(failure.message).toContain('boom');
    await expectGone(started);
  });

  test('a crash mid-run is a crashed error carrying the exit status and the last stderr lines', async () => {
    const started = await start('crash');
    const { events, error } = await collect(started.worker.request(RENDER));
    expect(events.map((e) => e.type)).toEqual(['saturn.step']);
    const failure = expectFailure(error, 'crashed', 'saturn:crashed');
    expect(failure.message).toContain('status 3');
    expect(failure.message).toContain('ZeroDivisionError');
    expect(started.logs.some((l) => l.source === 'stderr' && l.message.includes('ZeroDivisionError'))).toBe(true);
    await expectGone(started);
    await expect(started.worker.done({ predictions: [], correct: [], solved: false })).rejects.toBe(failure);
  });

  test('a flood on stderr is bounded in the logs and does not disturb the run', async () => {
    const started = await start('stderr_flood');
    const { error } = await collect(started.worker.request({ ...RENDER, images: [] }));
    expect(error).toBeUndefined();
    await started.worker.done({ predictions: [], correct: [], solved: true });
    const stderr = started.logs.filter((l) => l.source === 'stderr');
    const chars = stderr.reduce((sum, l) => sum + l.message.length, 0);
    expect(chars).toBeLessThan(80 * 1024);
    expect(stderr.every((l) => l.message.length <= 2_049)).toBe(true);
    expect(started.logs.some((l) => l.source === 'bridge' && l.message.includes('dropped'))).toBe(true);
  });

  test('a worker that ignores SIGTERM is killed after the grace period when the wall time runs out', async () => {
    const started = await start('hang', { wallTimeMs: 400 });
    const grandchild = await grandchildOf(started);
    const t0 = performance.now();
    const { error } = await collect(started.worker.request(RENDER));
    const failure = expectFailure(error, 'timeout', 'cancelled');
    expect(failure.payload.reason).toBe('timeout');
    const exit = await started.worker.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(performance.now() - t0).toBeLessThan(5_000);
    await expectGone(started);
    await waitUntil(() => !isAlive(grandchild));
    expect(started.logs.some((l) => l.message.includes('SIGKILL'))).toBe(true);
  });

  test('cancelling stops a worker that never answers, and anything it started', async () => {
    const controller = new AbortController();
    const started = await start('hang', { signal: controller.signal });
    const grandchild = await grandchildOf(started);
    const pending = collect(started.worker.request(RENDER));
    setTimeout(() => controller.abort(), 100);
    const { error } = await pending;
    expectFailure(error, 'cancelled', 'cancelled');
    await expectGone(started);
    await waitUntil(() => !isAlive(grandchild));
  });

  test('close() on a worker that never exits ends it too', async () => {
    const started = await start('hang');
    const grandchild = await grandchildOf(started);
    await started.worker.close();
    await expectGone(started);
    await waitUntil(() => !isAlive(grandchild));
  });

  test('a worker that cannot start fails with a spawn error, not an exception', async () => {
    const worker = await startSaturnWorker({ runId: 'run-x', imageDir, wallTimeMs: 5_000, python: '/nonexistent/python3', onLog: () => {} });
    const { error } = await collect(worker.request(RENDER));
    expectFailure(error, 'spawn', 'saturn:spawn');
    expect(worker.pid).toBeUndefined();
    await worker.exited;
  });

  test('an already-aborted signal stops the worker at once', async () => {
    const controller = new AbortController();
    controller.abort();
    const started = await start(null, { signal: controller.signal });
    const { error } = await collect(started.worker.request(RENDER));
    expectFailure(error, 'cancelled', 'cancelled');
    await expectGone(started);
  });
});

async function grandchildOf(started: Started): Promise<number> {
  await waitUntil(() => started.logs.some((l) => l.message.startsWith('grandchild ')));
  const pid = Number(started.logs.find((l) => l.message.startsWith('grandchild '))!.message.split(' ')[1]);
  spawned.push(pid);
  expect(isAlive(pid)).toBe(true);
  return pid;
}

async function waitUntil(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterAll(() => {
  // No process the suite started is left running.
  expect(spawned.filter(isAlive)).toEqual([]);
  const ps = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  const leftovers = ps
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([pid, stat]) => spawned.includes(Number(pid)) && !stat?.startsWith('Z'));
  expect(leftovers).toEqual([]);
});
