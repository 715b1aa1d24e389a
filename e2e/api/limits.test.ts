// HTTP integration with tight limits on a server of its own: starting runs is rate limited per
// user, and so is the number of streams open at once; over a limit the answer is 429 with
// Retry-After.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { appFetch } from '../harness/session';
import { providerEnv, startAppServer, type AppServer } from '../harness/appServer';
import { startRun } from '../harness/sse';

const fake = inject('fakeUrl');
let server: AppServer;

beforeAll(async () => {
  server = await startAppServer({
    env: {
      ...providerEnv(fake),
      RATE_LIMIT_RUNS_PER_MINUTE: '3',
      MAX_STREAMS_PER_USER: '1',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
  });
});
afterAll(() => server.stop());

describe('limits', () => {
  test('a second stream open at once is refused with 429 and Retry-After, and allowed again once the first ends', async () => {
    const first = await startRun(server.url, { model: 'openai:slow-6-100' }, 'text/event-stream');
    expect(first.status).toBe(200);
    const runId = first.headers.get('x-run-id')!;
    const second = await appFetch(`${server.url}/api/runs/${runId}/events`, { headers: { Accept: 'text/event-stream' } });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await second.json()).error.code).toBe('rate_limited:streams');
    await first.text();
    const third = await appFetch(`${server.url}/api/runs/${runId}/events`, { headers: { Accept: 'text/event-stream', 'Last-Event-ID': '1' } });
    expect(third.status).toBe(200);
    await third.text();
  });

  test('starting more runs than the per-minute limit is refused with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const response = await startRun(server.url, { model: 'openai:count-1' });
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
      await response.body?.cancel();
    }
    // The first test used one start: this one gets two more, then the limit.
    expect(statuses).toEqual([201, 201, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
