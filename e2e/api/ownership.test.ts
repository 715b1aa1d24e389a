// HTTP integration: a run belongs to its creator. Another user cannot read, resume, snapshot or
// cancel it (404, as if it did not exist); two anonymous sessions from Better Auth play the users.
import { describe, expect, inject, test } from 'vitest';
import { readSse } from '../harness/sse';

const app = inject('appUrl');

async function anonymousSession(): Promise<string> {
  const response = await fetch(`${app}/api/auth/sign-in/anonymous`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: app },
    body: '{}',
  });
  expect(response.status).toBe(200);
  const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
  expect(cookies.length).toBeGreaterThan(0);
  return cookies.join('; ');
}

describe('run ownership', () => {
  test("another user gets 404 for a user's run: events, resume, snapshot, result and cancel", async () => {
    const alice = await anonymousSession();
    const bob = await anonymousSession();
    const started = await fetch(`${app}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: alice },
      body: JSON.stringify({ kind: 'chat', input: { prompt: 'mine', model: 'openai:slow-10-50' } }),
    });
    expect(started.status).toBe(201);
    const { runId } = await started.json();

    for (const [path, method, headers] of [
      [`/api/runs/${runId}/events`, 'GET', {}],
      [`/api/runs/${runId}/events`, 'GET', { 'Last-Event-ID': '2' }],
      [`/api/runs/${runId}`, 'GET', {}],
      [`/api/runs/${runId}/result?waitMs=0`, 'GET', {}],
      [`/api/runs/${runId}/cancel`, 'POST', {}],
    ] as const) {
      const response = await fetch(`${app}${path}`, { method, headers: { Cookie: bob, ...headers } });
      expect(response.status, `${method} ${path}`).toBe(404);
    }

    const own = await readSse(`${app}/api/runs/${runId}/events`, { headers: { Cookie: alice } });
    expect(own.status).toBe(200);
    expect(own.envelopes.at(-1)?.type).toBe('gen.done');
  });

  test('run ids are random UUIDs: a guessed neighbour id is simply not found', async () => {
    const alice = await anonymousSession();
    const started = await fetch(`${app}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: alice },
      body: JSON.stringify({ kind: 'chat', input: { prompt: 'x', model: 'openai:count-2' } }),
    });
    const { runId } = (await started.json()) as { runId: string };
    expect(runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const neighbour = runId.slice(0, -1) + (runId.endsWith('0') ? '1' : '0');
    expect((await fetch(`${app}/api/runs/${neighbour}`, { headers: { Cookie: alice } })).status).toBe(404);
  });
});
