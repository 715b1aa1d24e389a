// Attack suite, limits that one person could dodge (docs/security.md): rotating X-Forwarded-For
// neither multiplies anonymous accounts nor run starts (limits count by the socket's address
// unless TRUSTED_PROXY_HOPS says proxies stand in front); runs going at once are capped per user
// and in all, whatever their delivery; only the models the server offers run. (The memory log's
// bound and lazy replays are unit-tested: lib/runs/runLog.test.ts, lib/runs/eventStream.test.ts.)
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { providerEnv, startAppServer, type AppServer } from '../harness/appServer';
import { anonymousSession } from '../harness/session';

const fake = inject('fakeUrl');
const database = process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {};

/** A different, made-up client address for each attempt, as an attacker rotates them. */
const rotated = (i: number) => `198.51.100.${i + 1}`;

function signInAnonymously(url: string, forwardedFor: string): Promise<Response> {
  return fetch(`${url}/api/auth/sign-in/anonymous`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: url, 'X-Forwarded-For': forwardedFor },
    body: '{}',
  });
}

function postRun(url: string, cookie: string, model: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: cookie, ...headers },
    body: JSON.stringify({ kind: 'chat', input: { prompt: 'Spend the operator’s money.', model } }),
  });
}

async function errorOf(response: Response): Promise<{ code: string; message: string; fieldErrors?: { path: string; message: string }[] }> {
  return ((await response.json()) as { error: { code: string; message: string; fieldErrors?: { path: string; message: string }[] } }).error;
}

const cookieOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');

describe('rotating X-Forwarded-For', () => {
  let server: AppServer;
  let session: string;
  beforeAll(async () => {
    server = await startAppServer({ env: { ...providerEnv(fake), ...database, AUTH_ANONYMOUS_SIGNINS_PER_10S: '5', RATE_LIMIT_RUNS_PER_MINUTE: '5' } });
    session = await anonymousSession(server.url);
  });
  afterAll(() => server?.stop());

  test('40 anonymous sign-ins, each from a made-up address, hit 429 after the per-address limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await signInAnonymously(server.url, rotated(i));
      statuses.push(response.status);
      await response.body?.cancel();
    }
    // The limit is 5 per 10 s and the suite's own session took one of them.
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(4);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(36);
  });

  test('40 attempts at a fresh account and a run from it, each from a made-up address, start at most the sign-in limit of runs', async () => {
    let started = 0;
    let refusedSignIns = 0;
    for (let i = 0; i < 40; i++) {
      const signIn = await signInAnonymously(server.url, rotated(100 + i));
      if (signIn.status !== 200) {
        expect(signIn.status).toBe(429);
        refusedSignIns += 1;
        await signIn.body?.cancel();
        continue;
      }
      const run = await postRun(server.url, cookieOf(signIn), 'openai:count-1', { 'X-Forwarded-For': rotated(100 + i) });
      if (run.status === 201) started += 1;
      await run.body?.cancel();
    }
    expect(started).toBeLessThanOrEqual(5);
    expect(refusedSignIns).toBeGreaterThanOrEqual(35);
  });

  test('40 run starts with one session and a made-up address each hit 429 rate_limited:runs with Retry-After', async () => {
    const answers: { status: number; code?: string; retryAfter: string | null }[] = [];
    for (let i = 0; i < 40; i++) {
      const response = await postRun(server.url, session, 'openai:count-1', { 'X-Forwarded-For': rotated(200 + i) });
      answers.push({ status: response.status, retryAfter: response.headers.get('retry-after'), ...(response.status === 429 ? { code: (await errorOf(response)).code } : {}) });
      await response.body?.cancel().catch(() => undefined);
    }
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(35);
    expect(refused.every((a) => a.code === 'rate_limited:runs' && Number(a.retryAfter) > 0)).toBe(true);
  });
});

describe('runs going at once, and the models offered', () => {
  let server: AppServer;
  const cancels: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    server = await startAppServer({
      env: { ...providerEnv(fake), ...database, MAX_RUNS_PER_USER: '2', MAX_RUNS_TOTAL: '3', MODELS: 'openai:hang,openai:count-2' },
    });
  });
  afterAll(async () => {
    await Promise.all(cancels.splice(0).map((cancel) => cancel().catch(() => undefined)));
    await server?.stop();
  });

  /** Starts a run that goes on until cancelled (JSON mode: it holds no stream slot), and keeps its cancel for later. */
  async function startHanging(cookie: string): Promise<{ runId: string; cancel: () => Promise<Response> }> {
    const response = await postRun(server.url, cookie, 'openai:hang');
    expect(response.status, await response.clone().text()).toBe(201);
    const { runId } = (await response.json()) as { runId: string };
    const cancel = () => fetch(`${server.url}/api/runs/${runId}/cancel`, { method: 'POST', headers: { Cookie: cookie } });
    cancels.push(cancel);
    return { runId, cancel };
  }

  test('a user’s run past MAX_RUNS_PER_USER is refused with 429 rate_limited:active_runs and Retry-After, and allowed once one has ended', async () => {
    const alice = await anonymousSession(server.url);
    const first = await startHanging(alice);
    const second = await startHanging(alice);

    const refused = await postRun(server.url, alice, 'openai:count-2');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(refused)).code).toBe('rate_limited:active_runs');

    expect((await first.cancel()).status).toBe(202);
    await expect
      .poll(async () => {
        const response = await postRun(server.url, alice, 'openai:count-2');
        await response.body?.cancel();
        return response.status;
      })
      .toBe(201);
    await second.cancel();
  });

  test('past MAX_RUNS_TOTAL every user is refused with 429 and Retry-After, until runs end', async () => {
    const alice = await anonymousSession(server.url);
    const bob = await anonymousSession(server.url);
    const carol = await anonymousSession(server.url);
    const runs = [await startHanging(alice), await startHanging(alice), await startHanging(bob)];

    const refused = await postRun(server.url, carol, 'openai:count-2');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const error = await errorOf(refused);
    expect(error.code).toBe('rate_limited:active_runs');
    expect(error.message).toMatch(/server/);

    await Promise.all(runs.map((run) => run.cancel()));
    await expect
      .poll(async () => {
        const response = await postRun(server.url, carol, 'openai:count-2');
        await response.body?.cancel();
        return response.status;
      })
      .toBe(201);
  });

  test('a model the server does not offer is a 400 bad_request:model with a field error on input.model', async () => {
    const session = await anonymousSession(server.url);
    for (const model of ['openai:gpt-4.1', 'openai:o1-pro', 'openrouter:anthropic/claude-opus-4']) {
      const response = await postRun(server.url, session, model);
      expect(response.status, model).toBe(400);
      const error = await errorOf(response);
      expect(error.code).toBe('bad_request:model');
      expect(error.fieldErrors).toContainEqual(expect.objectContaining({ path: 'input.model' }));
    }
  });

  test('an unoffered model is refused for Grover runs too', async () => {
    const session = await anonymousSession(server.url);
    const response = await fetch(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: session },
      body: JSON.stringify({ kind: 'grover', input: { taskId: 'sc-flip-h', model: 'openai:o1-pro' } }),
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('bad_request:model');
  });

  test('a model the server offers starts', async () => {
    const response = await postRun(server.url, await anonymousSession(server.url), 'openai:count-2');
    expect(response.status).toBe(201);
    await response.body?.cancel();
  });
});
