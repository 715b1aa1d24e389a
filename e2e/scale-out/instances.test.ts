// Two production instances sharing Redis and PostgreSQL, as behind a load balancer: any instance
// serves any run. A run started on A is read on B, resumed on A after B's connection drops,
// snapshotted and cancelled on B; ownership holds across instances, and moves across them when a
// guest signs up on the other one mid-run; a resume from a position
// Redis has trimmed is told of the gap.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { EventEnvelope } from '../../lib/protocol/envelope';
import { startRedisServer, type RedisServer } from '../../lib/testing/redisServer';
import type { AppServer } from '../harness/appServer';
import { startInstances } from '../harness/instances';
import { anonymousSession, appFetch } from '../harness/session';
import { readSse, readSseUntil, startRunId, tokensOf } from '../harness/sse';

const fake = inject('fakeUrl');
let redis: RedisServer;
let a: AppServer;
let b: AppServer;

beforeAll(async () => {
  redis = await startRedisServer();
  // A small log cap, so that a long run is trimmed; every other run here is shorter.
  [a, b] = (await startInstances(2, { redisUrl: redis.url, databaseUrl: inject('databaseUrl'), fakeUrl: fake, env: { RUN_LOG_MAXLEN: '50' } })) as [AppServer, AppServer];
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

const expected = (n: number) => Array.from({ length: n }, (_, i) => `t${i + 1} `).join('');
const seqs = (envelopes: EventEnvelope[]) => envelopes.map((e) => e.seq);

describe('two instances sharing Redis and PostgreSQL', () => {
  test('each reports the Redis run-log backend in its health, as a different instance', async () => {
    const [healthA, healthB] = await Promise.all([a, b].map(async (server) => (await appFetch(`${server.url}/api/health`)).json()));

    expect(healthA.runLog).toMatchObject({ ok: true, backend: 'redis' });
    expect(healthB.runLog).toMatchObject({ ok: true, backend: 'redis' });
    expect(healthA.runLog.instance).not.toBe(healthB.runLog.instance);
    expect(healthA.database).toMatchObject({ ok: true, driver: 'postgres' });
  });

  test('a run started on A is read whole on B', async () => {
    const runId = await startRunId(a.url, { model: 'openai:slow-10-20' });

    const read = await readSse(`${b.url}/api/runs/${runId}/events`);

    expect(read.status).toBe(200);
    expect(tokensOf(read.envelopes)).toBe(expected(10));
    expect(read.envelopes.at(-1)?.type).toBe('gen.done');
    expect(seqs(read.envelopes)).toEqual(read.envelopes.map((_, i) => i + 1));
  });

  test('read on B, dropped, resumed on A: the exact transcript', async () => {
    const runId = await startRunId(a.url, { model: 'openai:slow-16-30' });

    const onB = await readSseUntil(`${b.url}/api/runs/${runId}/events`, (e) => e.type === 'gen.token' && e.data.index === 5);
    const onA = await readSse(`${a.url}/api/runs/${runId}/events`, { headers: { 'Last-Event-ID': String(onB.at(-1)!.seq) } });
    const whole = await readSse(`${a.url}/api/runs/${runId}/events`);

    expect([...onB, ...onA.envelopes]).toEqual(whole.envelopes);
    expect(tokensOf(whole.envelopes)).toBe(expected(16));
  });

  test('a snapshot on B of a run live on A shows its progress, and afterwards how it ended', async () => {
    const runId = await startRunId(a.url, { model: 'openai:slow-12-60' });
    await readSseUntil(`${b.url}/api/runs/${runId}/events`, (e) => e.type === 'gen.token' && e.data.index === 2);

    const live = await (await appFetch(`${b.url}/api/runs/${runId}`)).json();
    expect(live).toMatchObject({ runId, kind: 'chat', model: 'openai:slow-12-60', status: 'running', endReason: null });
    expect(live.result.generations.main.text).toMatch(/^t1 t2 t3 /);

    await readSse(`${b.url}/api/runs/${runId}/events`);
    const ended = await (await appFetch(`${b.url}/api/runs/${runId}`)).json();
    expect(ended).toMatchObject({ status: 'done', endReason: 'complete' });
    expect(ended.result.generations.main.text).toBe(expected(12));
  });

  test('a cancel sent to B stops the producer on A', async () => {
    const prompt = `cancel me ${crypto.randomUUID()}`;
    const runId = await startRunId(a.url, { model: 'openai:hang', prompt });
    const reading = readSse(`${b.url}/api/runs/${runId}/events`);
    await readSseUntil(`${b.url}/api/runs/${runId}/events`, (e) => e.type === 'gen.token' && e.data.index === 2);

    const cancel = await appFetch(`${b.url}/api/runs/${runId}/cancel`, { method: 'POST', headers: { Origin: b.url } });

    expect(cancel.status).toBe(202);
    expect(await cancel.json()).toEqual({ runId, status: 'cancelled' });
    expect((await reading).envelopes.at(-1)).toMatchObject({ type: 'error', data: { code: 'cancelled', reason: 'user' } });
    // The provider call on A was aborted: the producer stopped, not just the stream.
    await expect
      .poll(async () => {
        const requests: { body: unknown; aborted: boolean }[] = await (await fetch(`${fake}/__control/requests`)).json();
        return requests.find((r) => JSON.stringify(r.body).includes(prompt))?.aborted;
      }, { timeout: 5_000 })
      .toBe(true);
  });

  test("another user's run is not found on the other instance either", async () => {
    const alice = await anonymousSession(a.url);
    const bob = await anonymousSession(b.url);
    const started = await appFetch(`${a.url}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: alice, Origin: a.url },
      body: JSON.stringify({ kind: 'chat', input: { prompt: 'mine', model: 'openai:slow-10-50' } }),
    });
    const { runId } = await started.json();

    for (const [path, method] of [
      [`/api/runs/${runId}/events`, 'GET'],
      [`/api/runs/${runId}`, 'GET'],
      [`/api/runs/${runId}/cancel`, 'POST'],
    ] as const) {
      expect((await appFetch(`${b.url}${path}`, { method, headers: { Cookie: bob, Origin: b.url } })).status, `${method} ${path}`).toBe(404);
    }
    const own = await readSse(`${b.url}/api/runs/${runId}/events`, { headers: { Cookie: alice } });
    expect(tokensOf(own.envelopes)).toBe(expected(10));
  });

  test('a run started blocking on A (streaming off for its user) is polled to its whole result on B', async () => {
    const alice = await anonymousSession(a.url);
    const headers = (server: AppServer) => ({ 'Content-Type': 'application/json', Accept: 'text/event-stream', Cookie: alice, Origin: server.url });
    const off = await appFetch(`${a.url}/api/me/preferences`, { method: 'PUT', headers: headers(a), body: JSON.stringify({ streaming: false }) });
    expect(off.status).toBe(200);

    const started = await appFetch(`${a.url}/api/runs`, {
      method: 'POST',
      headers: headers(a),
      body: JSON.stringify({ kind: 'chat', input: { prompt: 'whole, please', model: 'openai:slow-8-60' } }),
    });
    expect(started.status).toBe(201);
    expect(started.headers.get('x-run-mode')).toBe('blocking');
    const { runId, mode, resultUrl } = await started.json();
    expect(mode).toBe('blocking');

    const running = await appFetch(`${b.url}${resultUrl}?waitMs=0`, { headers: { Cookie: alice } });
    expect(running.status).toBe(202);
    expect((await running.json()).progress).toMatchObject({ lastSeq: expect.any(Number), tokenCount: expect.any(Number) });

    let answer: { state: string; result?: { status: string; generations: { main: { chunks: string[] } } } } = { state: 'running' };
    while (answer.state === 'running') answer = await (await appFetch(`${b.url}${resultUrl}?waitMs=2000`, { headers: { Cookie: alice } })).json();
    expect(answer.result?.status).toBe('done');
    expect(answer.result?.generations.main.chunks.join('')).toBe(expected(8));
    // The same object A's own reducer holds.
    const onA = await (await appFetch(`${a.url}${resultUrl}?waitMs=0`, { headers: { Cookie: alice } })).json();
    expect(onA).toEqual(answer);
    expect(runId).toBe(onA.runId);
  });

  test('resuming from a position Redis has trimmed is told of the gap, by header and status envelope', async () => {
    const runId = await startRunId(a.url, { model: 'openai:count-400' });
    const whole = await readSse(`${a.url}/api/runs/${runId}/events`, { headers: { 'Last-Event-ID': '399' } });
    expect(whole.envelopes.at(-1)?.type).toBe('gen.done');

    const resumed = await readSse(`${b.url}/api/runs/${runId}/events`, { headers: { 'Last-Event-ID': '2' } });

    const gap = resumed.headers.get('x-run-log-gap');
    expect(gap).toMatch(/^3-\d+$/);
    const lastMissing = Number(gap!.split('-')[1]);
    expect(resumed.envelopes[0]).toMatchObject({ type: 'status', seq: lastMissing, data: { state: 'info', code: 'log_gap' } });
    expect(seqs(resumed.envelopes.slice(1))).toEqual(Array.from({ length: resumed.envelopes.length - 1 }, (_, i) => lastMissing + 1 + i));
    expect(resumed.envelopes.at(-1)?.type).toBe('gen.done');
  });
});

describe('a guest who signs up on the other instance while their run is going', () => {
  test('the new account reads, streams and cancels the run on both instances; the guest session reads it on neither', async () => {
    const guest = await anonymousSession(a.url);
    const started = await fetch(`${a.url}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: guest },
      body: JSON.stringify({ kind: 'chat', input: { prompt: 'mine', model: 'openai:hang' } }),
    });
    expect(started.status).toBe(201);
    const { runId } = (await started.json()) as { runId: string };
    // A produces the run; B is where the visitor signs up, so A's copy is not told of the move.
    const signUp = await fetch(`${b.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: b.url, Cookie: guest },
      body: JSON.stringify({ email: `guest-${runId.slice(0, 8)}@scale-out.test`, password: 'correct horse battery', name: 'Guest' }),
    });
    expect(signUp.status, await signUp.clone().text()).toBe(200);
    const account = signUp.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');

    for (const server of [a, b]) {
      const snapshot = await fetch(`${server.url}/api/runs/${runId}`, { headers: { Cookie: account } });
      expect(snapshot.status).toBe(200);
      expect(await snapshot.json()).toMatchObject({ runId, status: 'running' });
      const envelopes = await readSseUntil(`${server.url}/api/runs/${runId}/events`, (e) => e.type === 'gen.token' && e.data.index === 2, { headers: { Cookie: account } });
      expect(tokensOf(envelopes)).toBe('t1 t2 t3 ');
      expect((await fetch(`${server.url}/api/runs/${runId}`, { headers: { Cookie: guest } })).status).toBe(404);
    }
    const cancel = await fetch(`${b.url}/api/runs/${runId}/cancel`, { method: 'POST', headers: { Cookie: account } });
    expect(cancel.status).toBe(202);
    await expect.poll(async () => (await (await fetch(`${a.url}/api/runs/${runId}`, { headers: { Cookie: account } })).json()).status, { timeout: 10_000 }).toBe('cancelled');
  });
});
