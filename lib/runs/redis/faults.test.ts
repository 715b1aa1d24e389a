// Faults of a scale-out deployment, on a real redis-server: Redis restarted empty or gone while a
// run is produced, and a producing instance that dies or is taken for dead. Every reader ends
// with the whole run or a clear terminal error; none waits forever.
import { afterEach, describe, expect, test } from 'vitest';
import { createEventStream } from '../eventStream';
import { generationText } from '../reducer';
import { gatedProducer, readStream, tokenProducer } from '../testing';
import { createTestInstance, freshPrefix, hasRedis, startRunOn, useRedisServer, type TestInstance } from './testing';

const server = useRedisServer();
const instances: TestInstance[] = [];
afterEach(async () => {
  await Promise.all(instances.splice(0).map((instance) => instance.close()));
});

function instance(options: Partial<Parameters<typeof createTestInstance>[1]> & { prefix: string }): TestInstance {
  const created = createTestInstance(server.current().url, options);
  instances.push(created);
  return created;
}

const stream = { heartbeatMs: 60_000, maxLifetimeMs: 60_000 };
const expected = (n: number) => Array.from({ length: n }, (_, i) => `t${i + 1} `).join('');

describe.skipIf(!hasRedis)('redis faults', () => {
  test('Redis restarted empty mid-run: the producer writes the run back and both readers end with the whole transcript', { timeout: 20_000 }, async () => {
    const prefix = freshPrefix();
    const a = instance({ prefix });
    const b = instance({ prefix });
    const run = await startRunOn(a, { kind: 'test', input: null, producer: tokenProducer(60, 15) });
    const remote = await b.backend.openRun((await b.backend.findRunMeta(run.id))!);
    const onProducer = readStream(createEventStream({ log: run.log, afterSeq: 0, ...stream }));
    const onOther = readStream(createEventStream({ log: remote.log, afterSeq: 0, ...stream }));
    await expect.poll(() => run.lastSeq).toBeGreaterThan(10);

    await server.current().restart();

    for (const { envelopes } of await Promise.all([onProducer, onOther])) {
      expect(envelopes.at(-1)?.type).toBe('gen.done');
      expect(envelopes.map((e) => e.seq)).toEqual(envelopes.map((_, i) => i + 1));
      expect(envelopes.filter((e) => e.type === 'gen.token').map((e) => (e.data as { token: string }).token).join('')).toBe(expected(60));
    }
    expect(generationText(remote.result.generations.main)).toBe(expected(60));
  });

  test('Redis restarted empty while 20 runs append in shared batches: each run is written back whole, in seq order', { timeout: 20_000 }, async () => {
    const prefix = freshPrefix();
    const a = instance({ prefix });
    const b = instance({ prefix });
    const runs = await Promise.all(Array.from({ length: 20 }, () => startRunOn(a, { kind: 'test', input: null, producer: tokenProducer(40, 15) })));
    const readings = runs.map((run) => readStream(createEventStream({ log: run.log, afterSeq: 0, ...stream })));
    await expect.poll(() => Math.min(...runs.map((run) => run.lastSeq))).toBeGreaterThan(5);

    await server.current().restart();

    for (const { envelopes } of await Promise.all(readings)) {
      expect(envelopes.map((e) => e.seq)).toEqual(envelopes.map((_, i) => i + 1));
      expect(envelopes.at(-1)?.type).toBe('gen.done');
      expect(envelopes.filter((e) => e.type === 'gen.token').map((e) => (e.data as { token: string }).token).join('')).toBe(expected(40));
    }
    // What Redis holds afterwards is each whole run too, as another instance reads it.
    for (const run of runs) {
      const remote = await b.backend.openRun((await b.backend.findRunMeta(run.id))!);
      expect(generationText(remote.result.generations.main)).toBe(expected(40));
    }
  });

  test('Redis gone for good: the run ends with internal:run_log, and its readers get that terminal', { timeout: 20_000 }, async () => {
    // Commands give up after a second here (5 s in the app), to keep the test short.
    const a = instance({ prefix: freshPrefix(), commandTimeoutMs: 1_000 });
    const gate = gatedProducer();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: gate.producer });
    gate.push({ type: 'gen.token', data: { token: 'before ', index: 0 } });
    await expect.poll(() => run.lastSeq).toBe(1);
    const reading = readStream(createEventStream({ log: run.log, afterSeq: 0, ...stream }));

    await server.current().kill();
    try {
      gate.push({ type: 'gen.token', data: { token: 'during ', index: 1 } });
      await run.finished;
      const { envelopes } = await reading;
      expect(envelopes.at(-1)).toMatchObject({ type: 'error', data: { code: 'internal:run_log' } });
      expect(run.result.status).toBe('error');
    } finally {
      await server.current().start();
    }
  });

  test('a producer that stops renewing its lease is declared lost by the instances watching its run, once', { timeout: 20_000 }, async () => {
    const prefix = freshPrefix();
    const a = instance({ prefix });
    const lost: string[] = [];
    const b = instance({ prefix, backend: { onProducerLost: (run) => lost.push(`b:${run.id}`) } });
    const c = instance({ prefix, backend: { onProducerLost: (run) => lost.push(`c:${run.id}`) } });
    const gate = gatedProducer();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: gate.producer });
    gate.push({ type: 'gen.token', data: { token: 'alive ', index: 0 } });
    await expect.poll(() => run.lastSeq).toBe(1);
    const meta = (await b.backend.findRunMeta(run.id))!;
    const onB = readStream(createEventStream({ log: (await b.backend.openRun(meta)).log, afterSeq: 0, ...stream }));
    const onC = readStream(createEventStream({ log: (await c.backend.openRun(meta)).log, afterSeq: 0, ...stream }));

    // The producing instance dies: it renews nothing and writes nothing more.
    await run.log.dispose();
    a.redis.disconnect();

    for (const { envelopes } of await Promise.all([onB, onC])) {
      expect(envelopes.map((e) => e.type)).toEqual(['gen.token', 'error']);
      expect(envelopes.at(-1)).toMatchObject({ seq: 2, corrId: run.id, data: { code: 'internal:producer_lost' } });
    }
    const stored = await b.redis.xrange(`${prefix}run:{${run.id}}:log`, '-', '+');
    expect(stored).toHaveLength(2);
    await expect.poll(() => lost).toHaveLength(1);
  });

  test('a run Redis forgot while its producer was dead ends its readers elsewhere, without a terminal to invent', { timeout: 20_000 }, async () => {
    const prefix = freshPrefix();
    const a = instance({ prefix });
    const b = instance({ prefix });
    const gate = gatedProducer();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: gate.producer });
    gate.push({ type: 'gen.token', data: { token: 'alive ', index: 0 } });
    await expect.poll(() => run.lastSeq).toBe(1);
    const remote = await b.backend.openRun((await b.backend.findRunMeta(run.id))!);
    const reading = readStream(createEventStream({ log: remote.log, afterSeq: 0, ...stream }));

    // The producer dies, and Redis loses everything (restarted empty): nobody will write the run back.
    await run.log.dispose();
    a.redis.disconnect();
    await b.redis.flushall();

    const { envelopes } = await reading;
    expect(envelopes.map((e) => e.type)).toEqual(['gen.token']);
    expect(remote.broken()).toBe(true);
  });

  test('a live producer whose run another instance has ended stops, with the same error', { timeout: 20_000 }, async () => {
    const prefix = freshPrefix();
    const a = instance({ prefix });
    let aborted = false;
    const run = await startRunOn(a, {
      kind: 'test',
      input: null,
      producer: async function* (_input, { signal }) {
        yield { type: 'gen.token', data: { token: 'alive ', index: 0 } };
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        aborted = true;
      },
    });
    await expect.poll(() => run.lastSeq).toBe(1);

    // What another instance does when it takes this one for dead (its lease had expired).
    await a.redis.multi().del(`${prefix}run:{${run.id}}:lease`).hset(`${prefix}run:{${run.id}}:meta`, 'ended', '1').exec();

    await run.finished;
    expect(run.result.error).toMatchObject({ code: 'internal:producer_lost' });
    await expect.poll(() => aborted).toBe(true);
  });
});
