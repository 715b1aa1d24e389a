// Attack suite, admin role (docs/security.md): the app verifies no email, so signing up with an
// address once listed in ADMIN_EMAILS must give a plain user; admin comes only from the
// operator's tool (`npm run admin -- grant EMAIL`), run by whoever runs the server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runAdminTool } from '../harness/admin';
import { providerEnv, startAppServer, type AppServer } from '../harness/appServer';

const fake = inject('fakeUrl');
// Unique per run: on PostgreSQL the accounts outlive the suite.
const EMAIL = `boss-${randomUUID().slice(0, 8)}@attack.test`;
const PASSWORD = 'correct horse battery';

const env = () => ({ ...providerEnv(fake), ADMIN_EMAILS: EMAIL, ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) });

async function signIn(server: AppServer, path: 'sign-up' | 'sign-in'): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/${path}/email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: server.url },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD, ...(path === 'sign-up' ? { name: 'Boss' } : {}) }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

async function roleOf(server: AppServer, cookie: string): Promise<string> {
  const me = await fetch(`${server.url}/api/me`, { headers: { Cookie: cookie } });
  expect(me.status).toBe(200);
  return ((await me.json()) as { viewer: { role: string } }).viewer.role;
}

describe('becoming admin', () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({ env: env() });
  });
  afterAll(() => server?.stop());

  test('signing up with an address ADMIN_EMAILS lists gives a user, refused by the admin API', async () => {
    const cookie = await signIn(server, 'sign-up');
    expect(await roleOf(server, cookie)).toBe('user');
    const flags = await fetch(`${server.url}/api/admin/flags`, { headers: { Cookie: cookie } });
    expect(flags.status).toBe(403);
  });

  test('the server says at start that ADMIN_EMAILS is no longer read, and what to use instead', () => {
    expect(server.output()).toContain('ADMIN_EMAILS is no longer read');
    expect(server.output()).toContain('npm run admin -- grant EMAIL');
  });

  test("the operator's grant makes that account an admin", async () => {
    const { dataDir } = server;
    await server.stop();
    expect(runAdminTool(['grant', EMAIL], { dataDir })).toContain(`Granted: ${EMAIL}\tadmin`);
    server = await startAppServer({ dataDir, env: env() });

    const cookie = await signIn(server, 'sign-in');
    expect(await roleOf(server, cookie)).toBe('admin');
    expect((await fetch(`${server.url}/api/admin/flags`, { headers: { Cookie: cookie } })).status).toBe(200);
  });
});
