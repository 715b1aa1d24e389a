import { afterEach, describe, expect, test, vi } from 'vitest';
import { createRunHub, type RunHubOptions } from './hub';
import { gatedProducer, sleep, tokenProducer } from './testing';
import { generationText } from './reducer';
import { createMemoryRunLog, type RunLog } from './runLog';

const hubs: ReturnType<typeof createRunHub>[] = [];
function hub(overrides: Partial<RunHubOptions> = {}) {
  const created = createRunHub({ graceMs: 60_000, maxDurationMs: 60_000, retentionMs: 60_000, ...overrides });
  hubs.push(created);
  return created;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(hubs.splice(0).map((h) => h.shutdown()));
});

describe('run hub', () => {
  test('wraps each payload in a v1 envelope with consecutive seq and the run id as corrId', async () => {
    const run = hub().start({ kind: 'test', input: null, producer: tokenProducer(3) });
    await run.finished;
    const entries = await run.log.readAfter(0);
    expect(entries.map((e) => e.envelope.seq)).toEqual([1, 2, 3, 4]);
    expect(entries.map((e) => e.envelope.type)).toEqual(['gen.token', 'gen.token', 'gen.token', 'gen.done']);
    for (const { envelope } of entries) {
      expect(envelope.v).toBe('1');
      expect(envelope.corrId).toBe(run.id);
      expect(envelope.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test('stores each envelope beside its SSE frame', async () => {
    const run = hub().start({ kind: 'test', input: null, producer: tokenProducer(1) });
    await run.finished;
    const [first] = await run.log.readAfter(0);
    expect(first!.frame).toBe(`id: 1\nevent: gen.token\ndata: ${JSON.stringify(first!.envelope)}\n\n`);
  });

  test('folds the log into the live result with the shared reducer', async () => {
    const run = hub().start({ kind: 'test', input: null, producer: tokenProducer(3) });
    await run.finished;
    expect(run.result.status).toBe('done');
    expect(generationText(run.result.generations.main)).toBe('t1 t2 t3 ');
  });

  test('a producer that throws ends the run with an error envelope that hides internals', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const run = hub().start({
      kind: 'test',
      input: null,
      producer: async function* () {
        yield { type: 'gen.token', data: { token: 'a', index: 0 } };
        throw new Error('database password is hunter2');
      },
    });
    await run.finished;
    const last = (await run.log.readAfter(0)).at(-1)!.envelope;
    expect(last.type).toBe('error');
    expect(JSON.stringify(last)).not.toContain('hunter2');
    expect(run.endReason).toBe('error');
    spy.mockRestore();
  });

  test('a producer that stops without a terminal envelope is ended with an error', async () => {
    const run = hub().start({
      kind: 'test',
      input: null,
      producer: async function* () {
        yield { type: 'gen.token', data: { token: 'a', index: 0 } };
      },
    });
    await run.finished;
    const last = (await run.log.readAfter(0)).at(-1)!.envelope;
    expect(last).toMatchObject({ type: 'error', data: { code: 'internal:incomplete' } });
  });

  test('cancel publishes a cancelled terminal at once and aborts the producer signal', async () => {
    let signal: AbortSignal | undefined;
    const h = hub();
    const run = h.start({
      kind: 'test',
      input: null,
      producer: async function* (_input, context) {
        signal = context.signal;
        yield { type: 'gen.token', data: { token: 'a', index: 0 } };
        await new Promise(() => undefined); // never yields again and ignores the signal
      },
    });
    await sleep(5);
    expect(h.cancel(run.id, 'user')).toBe(true);
    await run.finished;
    expect(signal?.aborted).toBe(true);
    const last = (await run.log.readAfter(0)).at(-1)!.envelope;
    expect(last).toMatchObject({ type: 'error', data: { code: 'cancelled', reason: 'user' } });
    expect(run.result.status).toBe('cancelled');
    expect(run.endReason).toBe('cancelled');
  });

  test('cancelling an ended run changes nothing', async () => {
    const h = hub();
    const run = h.start({ kind: 'test', input: null, producer: tokenProducer(1) });
    await run.finished;
    expect(h.cancel(run.id, 'user')).toBe(false);
    expect(run.lastSeq).toBe(2);
  });

  test('a run nobody reads is cancelled as abandoned after the grace period', async () => {
    const gate = gatedProducer();
    const run = hub({ graceMs: 30 }).start({ kind: 'test', input: null, producer: gate.producer });
    await run.finished;
    expect(run.endReason).toBe('abandoned');
    expect(run.result.error).toMatchObject({ code: 'cancelled', reason: 'abandoned' });
  });

  test('a reader that attaches within the grace period keeps the run alive', async () => {
    const gate = gatedProducer();
    const h = hub({ graceMs: 30 });
    const run = h.start({ kind: 'test', input: null, producer: gate.producer });
    const detach = h.attach(run.id);
    await sleep(80);
    expect(run.ended).toBe(false);
    detach();
    await run.finished;
    expect(run.endReason).toBe('abandoned');
  });

  test('a run that outlives its maximum duration is cancelled with reason timeout', async () => {
    const gate = gatedProducer();
    const h = hub({ maxDurationMs: 20 });
    const run = h.start({ kind: 'test', input: null, producer: gate.producer });
    h.attach(run.id);
    await run.finished;
    expect(run.endReason).toBe('timeout');
  });

  test('calls onRunEnd once, after the terminal envelope is in the log', async () => {
    const ends: number[] = [];
    const h = hub({ onRunEnd: async (run) => void ends.push((await run.log.readAfter(0)).length) });
    const run = h.start({ kind: 'test', input: null, producer: tokenProducer(2) });
    await run.finished;
    await sleep(5);
    expect(ends).toEqual([3]);
  });

  test('a finished run is dropped from memory after the retention period', async () => {
    const h = hub({ retentionMs: 10 });
    const run = h.start({ kind: 'test', input: null, producer: tokenProducer(1) });
    await run.finished;
    expect(h.get(run.id)).toBeDefined();
    await sleep(40);
    expect(h.get(run.id)).toBeUndefined();
  });

  test('fail ends a running run with the given error terminal and aborts its producer', async () => {
    let signal: AbortSignal | undefined;
    const h = hub();
    const run = h.start({
      kind: 'test',
      input: null,
      producer: async function* (_input, context) {
        signal = context.signal;
        yield { type: 'gen.token', data: { token: 'a', index: 0 } };
        await new Promise(() => undefined);
      },
    });
    await sleep(5);

    expect(h.fail(run.id, { code: 'internal:producer_lost', message: 'Lost.' })).toBe(true);
    await run.finished;

    expect(signal?.aborted).toBe(true);
    expect((await run.log.readAfter(0)).at(-1)!.envelope).toMatchObject({ type: 'error', data: { code: 'internal:producer_lost' } });
    expect(run.endReason).toBe('error');
    expect(h.fail(run.id, { code: 'internal:producer_lost', message: 'Lost.' })).toBe(false);
  });

  test('an entry the log refuses ends the run with internal:run_log, reported once', async () => {
    const reports: unknown[] = [];
    const memory = createMemoryRunLog();
    // A log that refuses entries 2 and 3 after a while (as a backend that stopped answering), and stores the rest.
    const flaky: RunLog = {
      ...memory,
      async append(entry) {
        if (entry.envelope.seq === 2 || entry.envelope.seq === 3) {
          await sleep(20);
          throw new Error('backend unreachable');
        }
        return memory.append(entry);
      },
    };
    const run = hub({ createLog: () => flaky, onBackgroundError: (error) => reports.push(error) }).start({
      kind: 'test',
      input: null,
      producer: tokenProducer(50, 2),
    });

    await run.finished;

    expect(run.result.error).toMatchObject({ code: 'internal:run_log', retryable: true });
    expect((await memory.readAfter(0)).at(-1)!.envelope).toMatchObject({ type: 'error', data: { code: 'internal:run_log' } });
    expect(reports).toHaveLength(1);
  });

  test('a run is finished only once every append, the slow terminal’s included, has settled', async () => {
    const memory = createMemoryRunLog();
    const slow: RunLog = {
      ...memory,
      async append(entry) {
        if (entry.envelope.type === 'gen.done') await sleep(30);
        return memory.append(entry);
      },
    };
    const run = hub({ createLog: () => slow }).start({ kind: 'test', input: null, producer: tokenProducer(3) });

    await run.finished;

    expect((await memory.readAfter(0)).map((entry) => entry.envelope.type)).toEqual(['gen.token', 'gen.token', 'gen.token', 'gen.done']);
  });

  test('a run still finishes when reporting a refused append throws', async () => {
    const memory = createMemoryRunLog();
    const refusing: RunLog = {
      ...memory,
      async append(entry) {
        if (entry.envelope.seq === 2) throw new Error('backend unreachable');
        return memory.append(entry);
      },
    };
    const run = hub({
      createLog: () => refusing,
      onBackgroundError: () => {
        throw new Error('the reporter broke too');
      },
    }).start({ kind: 'test', input: null, producer: tokenProducer(5, 2) });

    await run.finished;

    expect(run.result.error).toMatchObject({ code: 'internal:run_log' });
  });

  test('a run watched on another instance is not abandoned when its grace period here runs out', async () => {
    const gate = gatedProducer();
    let watched = true;
    const asked: number[] = [];
    const h = hub({ graceMs: 20, isWatchedElsewhere: async () => (asked.push(Date.now()), watched) });
    const run = h.start({ kind: 'test', input: null, producer: gate.producer });
    await expect.poll(() => asked.length).toBeGreaterThanOrEqual(2);
    expect(run.ended).toBe(false);

    watched = false;
    await run.finished;

    expect(run.endReason).toBe('abandoned');
  });

  test('a run is not abandoned because whether it is watched elsewhere could not be learned', async () => {
    const gate = gatedProducer();
    let asked = 0;
    const h = hub({
      graceMs: 20,
      isWatchedElsewhere: async () => {
        asked += 1;
        throw new Error('redis down');
      },
    });
    const run = h.start({ kind: 'test', input: null, producer: gate.producer });

    await expect.poll(() => asked).toBeGreaterThanOrEqual(2);

    expect(run.ended).toBe(false);
    gate.finish();
    await run.finished;
  });

  test('the log is made with what a shared backend records about the run', async () => {
    const infos: unknown[] = [];
    const h = hub({ createLog: (_id, info) => (infos.push(info), createMemoryRunLog()) });
    const run = h.start({ kind: 'test', input: null, producer: tokenProducer(1), ownerId: 'alice' });
    await run.finished;

    expect(infos).toEqual([{ id: run.id, kind: 'test', ownerId: 'alice', createdAt: run.createdAt }]);
  });

  test('shutdown cancels every active run and waits for their terminals', async () => {
    const h = hub();
    const runs = [h.start({ kind: 'test', input: null, producer: gatedProducer().producer }), h.start({ kind: 'test', input: null, producer: gatedProducer().producer })];
    await h.shutdown();
    expect(runs.map((r) => r.endReason)).toEqual(['shutdown', 'shutdown']);
    expect(h.active()).toHaveLength(0);
  });
});
