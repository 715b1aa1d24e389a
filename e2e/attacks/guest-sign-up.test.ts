// Attack suite, a guest's run across sign-up (docs/security.md, "A live run moves at sign-up"):
// a visitor starts a run on their anonymous session, then signs up while it is still going. The
// run is theirs under the new account (read, streamed, cancelled with the new session), and the
// replaced guest session owns nothing. Before, the live copy kept the guest id: the new account
// got 404 on its own running run until it ended.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, test } from 'vitest';
import { anonymousSession, appFetch } from '../harness/session';
import { readSseUntil, startRunId } from '../harness/sse';

const app = inject('appUrl');

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

describe('a guest who signs up while their run is going', () => {
  let guest: string;
  let account: string;
  let runId: string;

  beforeAll(async () => {
    guest = await anonymousSession(app);
    // `hang` sends three tokens and then nothing until it is cancelled: a run still going.
    runId = await startRunIdAs(guest);
    const signUp = await fetch(`${app}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: app, Cookie: guest },
      body: JSON.stringify({ email: `guest-${randomUUID().slice(0, 8)}@attack.test`, password: 'correct horse battery', name: 'Guest' }),
    });
    expect(signUp.status, await signUp.clone().text()).toBe(200);
    account = cookiesOf(signUp);
  });

  async function startRunIdAs(cookie: string): Promise<string> {
    const response = await fetch(`${app}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: cookie },
      body: JSON.stringify({ kind: 'chat', input: { prompt: 'Say something.', model: 'openai:hang' } }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { runId: string }).runId;
  }

  test('the new session reads the run, still running', async () => {
    const response = await fetch(`${app}/api/runs/${runId}`, { headers: { Cookie: account } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ runId, status: 'running' });
  });

  test('the new session streams the run', async () => {
    const envelopes = await readSseUntil(`${app}/api/runs/${runId}/events`, (e) => e.type === 'gen.token' && e.data.index === 2, { headers: { Cookie: account } });
    expect(envelopes.filter((e) => e.type === 'gen.token')).toHaveLength(3);
  });

  test('the replaced guest session no longer reads it', async () => {
    const response = await fetch(`${app}/api/runs/${runId}`, { headers: { Cookie: guest } });
    expect(response.status).toBe(404);
  });

  test('the replaced guest session cannot cancel it', async () => {
    const response = await fetch(`${app}/api/runs/${runId}/cancel`, { method: 'POST', headers: { Cookie: guest } });
    expect([401, 404]).toContain(response.status);
  });

  test('the new session cancels it', async () => {
    const response = await fetch(`${app}/api/runs/${runId}/cancel`, { method: 'POST', headers: { Cookie: account } });
    expect(response.status).toBe(202);
    await expect.poll(async () => (await (await fetch(`${app}/api/runs/${runId}`, { headers: { Cookie: account } })).json()).status).toBe('cancelled');
  });

  test("a run another visitor started is still not the new account's", async () => {
    const other = await startRunId(app, { model: 'openai:hang' });
    const response = await fetch(`${app}/api/runs/${other}`, { headers: { Cookie: account } });
    expect(response.status).toBe(404);
    expect((await appFetch(`${app}/api/runs/${other}/cancel`, { method: 'POST' })).status).toBe(202);
  });
});
