// HTTP integration with short time limits on a server of its own: heartbeats, the response
// lifetime, the grace period of an unwatched run, and an unconfigured provider.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { appFetch } from '../harness/session';
import { providerEnv, startAppServer, type AppServer } from '../harness/appServer';
import { readSse, readSseUntil, startRun, startRunId, tokensOf } from '../harness/sse';

const fake = inject('fakeUrl');
let server: AppServer;

beforeAll(async () => {
  const { XAI_API_KEY: _unset, ...env } = providerEnv(fake);
  server = await startAppServer({
    env: {
      ...env,
      SSE_HEARTBEAT_MS: '150',
      SSE_MAX_LIFETIME_MS: '600',
      RUN_GRACE_MS: '400',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
  });
});
afterAll(() => server.stop());

describe('stream lifecycle', () => {
  test('a quiet stream carries heartbeat comments', async () => {
    const runId = await startRunId(server.url, { model: 'openai:slow-2-400' });
    const read = await readSse(`${server.url}/api/runs/${runId}/events`);
    expect(read.text).toMatch(/^: ping \d{13}$/m);
  });

  test('a response ends after its maximum lifetime without a terminal event', async () => {
    const runId = await startRunId(server.url, { model: 'openai:slow-30-50' });
    const read = await readSse(`${server.url}/api/runs/${runId}/events`);
    expect(read.envelopes.length).toBeGreaterThan(0);
    expect(read.envelopes.some((e) => e.type === 'gen.done' || e.type === 'error')).toBe(false);
  });

  test('resuming after each lifetime cut yields the whole transcript exactly once', async () => {
    const runId = await startRunId(server.url, { model: 'openai:slow-30-50' });
    const seen = [];
    let last = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      const read = await readSse(`${server.url}/api/runs/${runId}/events`, { headers: { 'Last-Event-ID': String(last) } });
      if (read.status === 204) break;
      seen.push(...read.envelopes);
      last = read.envelopes.at(-1)?.seq ?? last;
      if (read.envelopes.at(-1)?.type === 'gen.done') break;
    }
    expect(tokensOf(seen)).toBe(Array.from({ length: 30 }, (_, i) => `t${i + 1} `).join(''));
    expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
  });

  test('a run nobody watches is stopped after the grace period and saved as abandoned', async () => {
    const runId = await startRunId(server.url, { model: 'openai:hang' });
    await readSseUntil(`${server.url}/api/runs/${runId}/events`, (e) => e.type === 'gen.token' && e.data.index === 1);
    await expect
      .poll(async () => (await (await appFetch(`${server.url}/api/runs/${runId}`)).json()).endReason, { timeout: 5_000, interval: 200 })
      .toBe('abandoned');
    const snapshot = await (await appFetch(`${server.url}/api/runs/${runId}`)).json();
    expect(snapshot.result.generations.main.text).toMatch(/^t1 t2 /);
  });

  test('a model of an unconfigured provider is a 400 naming the variable to set', async () => {
    const response = await startRun(server.url, { model: 'xai:grok-4' });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain('XAI_API_KEY');
  });

  test('the models list marks the unconfigured provider and names its variable', async () => {
    const { models } = await (await appFetch(`${server.url}/api/models`)).json();
    expect(models.find((m: { provider: string }) => m.provider === 'xai')).toMatchObject({ configured: false, missingEnv: 'XAI_API_KEY' });
    expect(models.find((m: { provider: string }) => m.provider === 'openai')).toMatchObject({ configured: true });
  });

  test('no API key appears in anything the server logged', () => {
    expect(server.output()).not.toMatch(/sk-test-openai-key|or-test-key|xai-test-key/);
  });
});
