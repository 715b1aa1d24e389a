// Attack suite, sessions and sign-in (docs/security.md): no request without a valid session
// starts a run (which would have no owner, so anyone holding its id could read or cancel it),
// and the quick start's server, run with no BETTER_AUTH_SECRET, signs visitors in rather than
// answering 500; where a generated secret is not safe (REDIS_URL, DATABASE_URL) the server
// refuses to start, naming the variable.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { providerEnv, startAppServer, type AppServer } from '../harness/appServer';
import { anonymousSession } from '../harness/session';

const app = inject('appUrl');
const fake = inject('fakeUrl');

function postRun(appUrl: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${appUrl}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: JSON.stringify({ kind: 'chat', input: { prompt: 'whose run is this?', model: 'openai:count-2' } }),
  });
}

async function expectNoSession(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe('unauthorized:session');
  expect(error.message).toContain('POST /api/auth/sign-in/anonymous');
}

describe('starting a run without a valid session', () => {
  test('no cookie at all is a 401 unauthorized:session that says how to get a session', async () => {
    await expectNoSession(await postRun(app));
  });

  test('a made-up session cookie is a 401', async () => {
    await expectNoSession(await postRun(app, { Cookie: 'streamconsole.session_token=forged.c2lnbmF0dXJl' }));
  });

  test('a real session token with its signature tampered with is a 401', async () => {
    const session = await anonymousSession(app);
    const tampered = session.replace(/(streamconsole\.session_token=[^.;]+\.)([^;]*)/, (_, token: string) => `${token}AAAA${'B'.repeat(40)}`);
    expect(tampered).not.toBe(session);
    await expectNoSession(await postRun(app, { Cookie: tampered }));
  });

  test('a signed-out (revoked) session is a 401', async () => {
    const session = await anonymousSession(app);
    const signOut = await fetch(`${app}/api/auth/sign-out`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: app, Cookie: session }, body: '{}' });
    expect(signOut.status, await signOut.clone().text()).toBe(200);
    await expectNoSession(await postRun(app, { Cookie: session }));
  });

  test('streaming (Accept: text/event-stream) is refused the same way', async () => {
    await expectNoSession(await postRun(app, { Accept: 'text/event-stream' }));
  });

  test('with the session it was told to get, the same request starts a run', async () => {
    const response = await postRun(app, { Cookie: await anonymousSession(app) });
    expect(response.status).toBe(201);
    await response.body?.cancel();
  });
});

describe('the quick start: production with no BETTER_AUTH_SECRET', () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ env: { ...providerEnv(fake), BETTER_AUTH_SECRET: undefined, DATABASE_URL: undefined, REDIS_URL: undefined } });
  });
  afterAll(() => server?.stop());

  test('reading the session answers 200, not 500', async () => {
    const response = await fetch(`${server.url}/api/auth/get-session`);
    expect(response.status).toBe(200);
  });

  test('a first visit signs in anonymously and can start a run', async () => {
    const session = await anonymousSession(server.url);
    const response = await postRun(server.url, { Cookie: session });
    expect(response.status).toBe(201);
    await response.body?.cancel();
  });

  test('signing up from the address the browser used is not refused as a cross-site request', async () => {
    const session = await anonymousSession(server.url);
    const signUp = await fetch(`${server.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: server.url, Cookie: session },
      body: JSON.stringify({ email: 'first-run@streamconsole.test', password: 'first-run-password', name: 'First Run' }),
    });
    expect(signUp.status, await signUp.clone().text()).toBe(200);
  });

  test('a sign-out request from another site is still refused', async () => {
    const session = await anonymousSession(server.url);
    const signOut = await fetch(`${server.url}/api/auth/sign-out`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example', Cookie: session }, body: '{}' });
    expect(signOut.status).toBe(403);
  });

  test('the server says, once, that it generated the secret and where it keeps it', () => {
    const warnings = server.output().match(/BETTER_AUTH_SECRET is not set/g) ?? [];
    expect(warnings).toHaveLength(1);
    expect(server.output()).toContain(`${server.dataDir}/auth-secret`);
  });
});

describe('several instances with no BETTER_AUTH_SECRET', () => {
  test('with REDIS_URL the server refuses to start, naming BETTER_AUTH_SECRET and REDIS_URL', async () => {
    // Nothing listens on port 9: the server must stop before it would ever connect.
    const starting = startAppServer({ env: { ...providerEnv(fake), BETTER_AUTH_SECRET: undefined, DATABASE_URL: undefined, REDIS_URL: 'redis://127.0.0.1:9' } });
    await expect(starting).rejects.toThrow(/next start exited with 1[\s\S]*BETTER_AUTH_SECRET is required when REDIS_URL is set/);
  });

  test('with DATABASE_URL the server refuses to start, naming BETTER_AUTH_SECRET and DATABASE_URL', async () => {
    const starting = startAppServer({ env: { ...providerEnv(fake), BETTER_AUTH_SECRET: undefined, REDIS_URL: undefined, DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' } });
    await expect(starting).rejects.toThrow(/next start exited with 1[\s\S]*BETTER_AUTH_SECRET is required when DATABASE_URL is set/);
  });
});
