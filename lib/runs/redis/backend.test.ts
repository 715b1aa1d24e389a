// Two instances (a hub and a Redis backend each) on one real redis-server: a run produced by one
// is read, resumed, snapshotted and cancelled through the other.
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

function twoInstances(options: Parameters<typeof createTestInstance>[1] = { prefix: freshPrefix() }) {
  const a = createTestInstance(server.current().url, options);
  const b = createTestInstance(server.current().url, options);
  instances.push(a, b);
  return { a, b };
}

const stream = { heartbeatMs: 60_000, maxLifetimeMs: 60_000 };

describe.skipIf(!hasRedis)('two instances sharing Redis', () => {
  test('a run produced on one instance is read whole on the other, byte for byte', async () => {
    const { a, b } = twoInstances();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: tokenProducer(20) });
    await run.finished;

    const meta = await b.backend.findRunMeta(run.id);
    const remote = await b.backend.openRun(meta!);
    const remoteText = (await readStream(createEventStream({ log: remote.log, afterSeq: 0, ...stream }))).text;
    const localText = (await readStream(createEventStream({ log: run.log, afterSeq: 0, ...stream }))).text;

    expect(remoteText).toBe(localText);
  });

  test('a reader on the other instance that joins mid-run gets every envelope once, in order', async () => {
    const { a, b } = twoInstances();
    const gate = gatedProducer();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: gate.producer });
    for (let i = 0; i < 5; i++) gate.push({ type: 'gen.token', data: { token: `t${i + 1} `, index: i } });
    await expect.poll(async () => (await b.backend.findRunMeta(run.id))?.lastSeq).toBe(5);

    const remote = await b.backend.openRun((await b.backend.findRunMeta(run.id))!);
    const reading = readStream(createEventStream({ log: remote.log, afterSeq: 0, ...stream }));
    for (let i = 5; i < 40; i++) gate.push({ type: 'gen.token', data: { token: `t${i + 1} `, index: i } });
    gate.push({ type: 'gen.done', data: { finishReason: 'stop' } });
    const { envelopes } = await reading;

    expect(envelopes.map((e) => e.seq)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  });

  test('the view on the other instance folds the same result as the producer', async () => {
    const { a, b } = twoInstances();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: tokenProducer(12, 2) });
    const remote = await b.backend.openRun((await b.backend.findRunMeta(run.id))!);
    await remote.finished;

    expect(remote.ended).toBe(true);
    expect(remote.endReason).toBe('complete');
    expect(remote.result.status).toBe('done');
    expect(generationText(remote.result.generations.main)).toBe(generationText(run.result.generations.main));
    expect(remote.lastSeq).toBe(run.lastSeq);
  });

  test('a resume on the producing instance after reading on the other yields the exact transcript', async () => {
    const { a, b } = twoInstances();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: tokenProducer(30, 2) });
    const remote = await b.backend.openRun((await b.backend.findRunMeta(run.id))!);
    const firstPart = await new Promise<number>((resolve) => {
      const seen: number[] = [];
      const off = remote.log.subscribe((entry) => {
        seen.push(entry.envelope.seq);
        if (seen.length === 7) {
          off();
          resolve(entry.envelope.seq);
        }
      });
    });

    const rest = await readStream(createEventStream({ log: run.log, afterSeq: firstPart, ...stream }));
    const whole = await readStream(createEventStream({ log: run.log, afterSeq: 0, ...stream }));

    expect(rest.envelopes.map((e) => e.seq)).toEqual(whole.envelopes.slice(firstPart).map((e) => e.seq));
  });

  test('a cancel requested on the other instance stops the producer', async () => {
    const { a, b } = twoInstances();
    let aborted = false;
    const run = await startRunOn(a, {
      kind: 'test',
      input: null,
      producer: async function* (_input, { signal }) {
        yield { type: 'gen.token', data: { token: 'first ', index: 0 } };
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        aborted = true;
      },
    });
    const remote = await b.backend.openRun((await b.backend.findRunMeta(run.id))!);

    await b.backend.requestCancel(run.id);
    await remote.finished;

    expect(remote.result.status).toBe('cancelled');
    expect(remote.endReason).toBe('cancelled');
    await expect.poll(() => aborted).toBe(true);
  });

  test('a run watched only on the other instance outlives its grace period', async () => {
    const prefix = freshPrefix();
    const { a, b } = twoInstances({ prefix, hub: { graceMs: 150 } });
    const gate = gatedProducer();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: gate.producer });
    const remote = await b.backend.openRun((await b.backend.findRunMeta(run.id))!);
    const detach = remote.attach();
    await expect.poll(() => b.backend.isWatched(run.id)).toBe(true);

    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(run.ended).toBe(false);

    detach();
    gate.finish();
    await run.finished;
    expect(run.endReason).toBe('error'); // the gated producer stopped without finishing
  });

  test('a run nobody watches anywhere is still cancelled after its grace period', async () => {
    const { a } = twoInstances({ prefix: freshPrefix(), hub: { graceMs: 100 } });
    const gate = gatedProducer();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: gate.producer });

    await run.finished;

    expect(run.endReason).toBe('abandoned');
  });

  test('the instance that produced a run is found among those holding a lease, until the run ends', async () => {
    const { a, b } = twoInstances();
    const gate = gatedProducer();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: gate.producer });

    expect(await b.backend.producedRunIds([run.id, 'not-a-run'])).toEqual(new Set([run.id]));
    gate.push({ type: 'gen.done', data: { finishReason: 'stop' } });
    await run.finished;
    expect(await b.backend.producedRunIds([run.id])).toEqual(new Set());
  });

  test('a run is attended while its producer holds its lease, or while readers on some instance watch it', async () => {
    const { a, b } = twoInstances();
    const gates = [gatedProducer(), gatedProducer()] as const;
    const watched = await startRunOn(a, { kind: 'test', input: null, producer: gates[0].producer });
    const unwatched = await startRunOn(a, { kind: 'test', input: null, producer: gates[1].producer });
    const detach = (await b.backend.openRun((await b.backend.findRunMeta(watched.id))!)).attach();
    await expect.poll(() => b.backend.isWatched(watched.id)).toBe(true);

    expect(await b.backend.attendedRunIds([watched.id, unwatched.id, 'not-a-run'])).toEqual(new Set([watched.id, unwatched.id]));
    for (const gate of gates) gate.push({ type: 'gen.done', data: { finishReason: 'stop' } });
    await Promise.all([watched.finished, unwatched.finished]);
    // Both leases are released; only the watched run is still looked after.
    expect(await b.backend.producedRunIds([watched.id, unwatched.id])).toEqual(new Set());
    expect(await b.backend.attendedRunIds([watched.id, unwatched.id])).toEqual(new Set([watched.id]));
    detach();
  });
});

describe.skipIf(!hasRedis)('moving a run to another owner (sign-up replaced an anonymous account)', () => {
  test("the run's metadata and the views open on the mover's instance name the new owner", async () => {
    const { a, b } = twoInstances();
    const gate = gatedProducer();
    const run = await startRunOn(a, { kind: 'test', input: null, producer: gate.producer, ownerId: 'guest' });
    const view = await b.backend.openRun((await b.backend.findRunMeta(run.id))!);
    expect(view.ownerId).toBe('guest');

    await b.backend.setRunOwner([run.id], 'account');

    expect((await a.backend.findRunMeta(run.id))?.ownerId).toBe('account');
    expect(view.ownerId).toBe('account');
    gate.push({ type: 'gen.done', data: { finishReason: 'stop' } });
    await run.finished;
  });

  test('a run Redis no longer holds is not recreated (its metadata would have no TTL)', async () => {
    const { a } = twoInstances();
    await a.backend.setRunOwner(['0b6a8b1c-0000-4000-8000-000000000000'], 'account');
    expect(await a.backend.findRunMeta('0b6a8b1c-0000-4000-8000-000000000000')).toBeUndefined();
  });
});
