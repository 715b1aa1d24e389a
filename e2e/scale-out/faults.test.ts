// Faults of a scale-out deployment, against production instances sharing Redis and PostgreSQL:
// a load balancer that cuts connections at random points, Redis restarted mid-run, and the
// producing instance killed. The client ends with the producer's transcript, or with a clear
// terminal error; no reader hangs (each test's timeout is the bound).
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { appFetch, shareSessionsBetween } from '../harness/session';
import type { EventEnvelope } from '../../lib/protocol/envelope';
import { openRunStream, type RunStreamStatus } from '../../lib/protocol/runStreamClient';
import { startRedisServer, type RedisServer } from '../../lib/testing/redisServer';
import { startAppServer, type AppServer } from '../harness/appServer';
import { instanceEnv, startInstances } from '../harness/instances';
import { readSse, readSseUntil, startRunId, tokensOf } from '../harness/sse';
import { startTcpProxy, type TcpProxy } from '../harness/tcpProxy';

const fake = inject('fakeUrl');
let redis: RedisServer;
let a: AppServer;
let b: AppServer;
let balancer: TcpProxy;
let sql: postgres.Sql;

// A short lease and frequent orphan sweeps, so that a dead producer is noticed within a few seconds.
const backends = () => ({
  redisUrl: redis.url,
  databaseUrl: inject('databaseUrl'),
  fakeUrl: fake,
  env: { RUN_LEASE_MS: '1000', RUN_ORPHAN_SWEEP_MS: '500' },
});

beforeAll(async () => {
  sql = postgres(inject('databaseUrl'), { max: 1 });
  redis = await startRedisServer();
  [a, b] = (await startInstances(2, backends())) as [AppServer, AppServer];
  balancer = await startTcpProxy([a, b].map((server) => ({ host: '127.0.0.1', port: server.port })));
  shareSessionsBetween([a.url, b.url, balancer.url]);
});
afterAll(async () => {
  await balancer?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
  await sql?.end();
});

/**
 * A run's row, read from the database itself: asking an instance for the run would open a view of
 * it, and a view ends a run whose producer is lost by itself.
 */
async function runRow(id: string): Promise<{ status: string; end_reason: string | null } | undefined> {
  return (await sql<{ status: string; end_reason: string | null }[]>`select status, end_reason from runs where id = ${id}`)[0];
}

const expected = (n: number) => Array.from({ length: n }, (_, i) => `t${i + 1} `).join('');

/**
 * How long after its producer dies a reader may wait for the terminal: the lease (1 s here)
 * expires, another instance takes two looks a lease apart, with room for a busy machine.
 */
const PRODUCER_LOST_BOUND_MS = 15_000;

function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${message} after ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A client like the browser's: resumes with Last-Event-ID after every drop, de-duplicates by seq. */
function follow(eventsUrl: string): { envelopes: EventEnvelope[]; finished: Promise<RunStreamStatus | undefined> } {
  const envelopes: EventEnvelope[] = [];
  const handle = openRunStream({
    url: eventsUrl,
    fetch: (input, init) => appFetch(String(input), init),
    onEnvelope: (envelope) => envelopes.push(envelope),
    retry: { initialMs: 50, maxMs: 500, maxAttempts: 40 },
    idleTimeoutMs: 5_000,
  });
  return { envelopes, finished: handle.finished };
}

/** A small seeded generator (mulberry32), so that a failing run of cuts can be replayed. */
function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('scale-out faults', () => {
  test('behind a balancer that cuts connections at random points, the client ends with the producer’s transcript', async () => {
    const seed = Date.now() % 100_000;
    const random = seededRandom(seed);
    const runId = await startRunId(a.url, { model: 'openai:slow-80-25' });
    const client = follow(`${balancer.url}/api/runs/${runId}/events`);
    let cuts = 0;
    let cutting = true;
    void (async () => {
      while (cutting) {
        await new Promise((resolve) => setTimeout(resolve, 60 + random() * 240));
        if (cutting) cuts += balancer.cutAll();
      }
    })();

    const status = await client.finished.finally(() => (cutting = false));

    const producer = await readSse(`${a.url}/api/runs/${runId}/events`);
    expect(status, `seed ${seed}`).toBe('done');
    expect(client.envelopes, `seed ${seed}, ${cuts} cuts`).toEqual(producer.envelopes);
    expect(tokensOf(client.envelopes)).toBe(expected(80));
    expect(cuts).toBeGreaterThan(0);
    expect(balancer.connections()).toBeGreaterThan(2);
  });

  test('Redis restarted mid-run: the run goes on (or ends with a clear error) and no reader hangs', async () => {
    const runId = await startRunId(a.url, { model: 'openai:slow-60-30' });
    const onA = follow(`${a.url}/api/runs/${runId}/events`);
    const onB = follow(`${b.url}/api/runs/${runId}/events`);
    await expect.poll(() => onB.envelopes.length, { timeout: 10_000 }).toBeGreaterThan(10);

    await redis.restart();

    const statuses = await within(Promise.all([onA.finished, onB.finished]), 20_000, 'a reader was still waiting');
    for (const [i, reader] of [onA, onB].entries()) {
      const last = reader.envelopes.at(-1)!;
      if (statuses[i] === 'done') {
        // It went on: the whole transcript, no hole, nothing twice.
        expect(tokensOf(reader.envelopes)).toBe(expected(60));
        expect(reader.envelopes.map((e) => e.seq)).toEqual(reader.envelopes.map((_, j) => j + 1));
      } else {
        expect(last).toMatchObject({ type: 'error', data: { code: expect.stringMatching(/^internal:(run_log|producer_lost)$/) } });
      }
    }
    // With the producer writing the run back into the empty Redis, it goes on.
    expect(statuses).toEqual(['done', 'done']);
    // And it is saved as done: no orphan sweep took the lease missing while Redis was away for a dead producer.
    await expect.poll(() => runRow(runId), { timeout: 10_000 }).toMatchObject({ status: 'done', end_reason: 'complete' });
  });

  // The test's timeout also covers starting the instance that is killed; the bound is on the reader.
  test('the producing instance killed: readers on another instance get a terminal error within the bound', { timeout: 60_000 }, async () => {
    // A third instance joins while a run on A is live: its start must leave A's run alone.
    const onA = await startRunId(a.url, { model: 'openai:slow-200-40' });
    const watchingA = readSse(`${a.url}/api/runs/${onA}/events`);
    const c = await startAppServer({ env: instanceEnv(backends()) });
    shareSessionsBetween([a.url, c.url]);
    try {
      const runId = await startRunId(c.url, { model: 'openai:hang' });
      await readSseUntil(`${b.url}/api/runs/${runId}/events`, (e) => e.type === 'gen.token' && e.data.index === 2);
      const reading = readSse(`${b.url}/api/runs/${runId}/events`);

      await c.stop('SIGKILL');

      const { envelopes } = await within(reading, PRODUCER_LOST_BOUND_MS, 'the reader was still waiting');
      expect(tokensOf(envelopes)).toBe(expected(3));
      expect(envelopes.at(-1)).toMatchObject({ type: 'error', data: { code: 'internal:producer_lost' } });
      // The instance that ended the run saved it too.
      await expect
        .poll(async () => (await (await appFetch(`${a.url}/api/runs/${runId}`)).json()).endReason, { timeout: 10_000 })
        .toBe('error');
    } finally {
      await c.stop('SIGKILL');
    }
    await appFetch(`${a.url}/api/runs/${onA}/cancel`, { method: 'POST', headers: { Origin: a.url } });
    expect((await watchingA).envelopes.at(-1)).toMatchObject({ type: 'error', data: { code: 'cancelled', reason: 'user' } });
  });

  test('the producing instance killed with nobody watching: another instance’s sweep marks its run interrupted', { timeout: 60_000 }, async () => {
    const c = await startAppServer({ env: instanceEnv(backends()) });
    shareSessionsBetween([a.url, c.url]);
    try {
      const runId = await startRunId(c.url, { model: 'openai:hang' });
      expect(await runRow(runId)).toMatchObject({ status: 'running', end_reason: null });

      await c.stop('SIGKILL');

      await expect.poll(() => runRow(runId), { timeout: PRODUCER_LOST_BOUND_MS, interval: 250 }).toMatchObject({ status: 'error', end_reason: 'interrupted' });
    } finally {
      await c.stop('SIGKILL');
    }
  });
});
