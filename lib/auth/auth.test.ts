/**
 * Accounts end to end through Better Auth's own HTTP handler, on a real PGlite in a temporary
 * DATA_DIR: anonymous first visits, sign-up and sign-in that replace the anonymous account and
 * take its runs along, admin only by the operator's grant (ADMIN_EMAILS promotes no one), and
 * reading the viewer back from a cookie header.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { getDb } from '../db/client';
import { getUserPreferencesByUserId, upsertUserStreamingPreference } from '../db/flags';
import { createRun, getRunById } from '../db/runs';
import { users } from '../db/schema';
import { AppError } from '../errors';
import { testDatabases, useTestDatabase } from '../db/testing/databases';
import { cancelRunOrThrow, findRun, getRunHub } from '../runs/registry';
import type { Producer } from '../runs/hub';
import { getAuth, resetAuth } from './server';
import { listAdmins, setUserRoleByEmailOrThrow } from './users';
import { explainStreaming, getStreamingShareOfAllUsers, resolveAllowlistEntries, updateAdminFlagState } from './streamingFlag';
import { getViewer, requireAdmin, requireViewer } from './viewer';

const ORIGIN = 'http://localhost:3000';
const pglite = testDatabases()[0]!;

/** A browser, as far as cookies go: sends what it holds, keeps what it is sent. */
class Client {
  readonly cookies = new Map<string, string>();

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async post(path: string, body: unknown = {}): Promise<Response> {
    const auth = await getAuth();
    const response = await auth.handler(
      new Request(`${ORIGIN}/api/auth${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: ORIGIN, ...(this.cookies.size ? { cookie: this.cookieHeader } : {}) },
        body: JSON.stringify(body),
      }),
    );
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** A request to one of our routes, carrying this client's cookies. */
  request(path = '/api/me'): Request {
    return new Request(`${ORIGIN}${path}`, { headers: this.cookies.size ? { cookie: this.cookieHeader } : {} });
  }
}

async function signInAnonymously(): Promise<Client> {
  const client = new Client();
  const response = await client.post('/sign-in/anonymous');
  expect(response.status).toBe(200);
  return client;
}

async function userRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

/** A producer that yields nothing until its run is cancelled (a slow run, still going). */
const untilCancelled: Producer<unknown> = async function* (_input, { signal }) {
  await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
};

const email = (name: string) => `${name}-${randomUUID().slice(0, 8)}@example.com`;

describe('accounts on PGlite', () => {
  useTestDatabase(pglite, {
    BETTER_AUTH_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    ADMIN_EMAILS: ' Boss@Example.com ,ops@example.com',
    BETTER_AUTH_URL: undefined,
  });
  beforeAll(() => resetAuth());

  test('an anonymous sign-in creates an anonymous user with the user role', async () => {
    const client = await signInAnonymously();
    const viewer = await getViewer(client.request());

    expect(viewer).toMatchObject({ role: 'user', isAnonymous: true });
    expect(viewer).not.toHaveProperty('email');
    const row = await userRow(viewer!.userId);
    expect(row).toMatchObject({ isAnonymous: true, role: 'user' });
  });

  test('the session cookie is httpOnly and SameSite=Lax, and not Secure outside production', async () => {
    const response = await new Client().post('/sign-in/anonymous');
    const cookie = response.headers.getSetCookie().find((c) => c.includes('session_token'));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  test('getViewer reads the session from the cookie header, and nothing without one', async () => {
    const client = await signInAnonymously();
    const viewer = await getViewer(client.request());

    expect(viewer?.userId).toMatch(/\w+/);
    expect(await getViewer(new Request(`${ORIGIN}/api/me`))).toBeNull();
    expect(await getViewer(new Request(`${ORIGIN}/api/me`, { headers: { cookie: 'streamconsole.session_token=forged.value' } }))).toBeNull();
  });

  test('requireViewer throws unauthorized:session without a session', async () => {
    await expect(requireViewer(new Request(`${ORIGIN}/api/me`))).rejects.toMatchObject({ code: 'unauthorized:session', status: 401 });
  });

  test('signing up from an anonymous session links the accounts and moves owned runs and the streaming choice', async () => {
    const client = await signInAnonymously();
    const anonymous = (await getViewer(client.request()))!;
    const runId = randomUUID();
    await createRun({ id: runId, kind: 'chat', model: 'local:arc', ownerId: anonymous.userId, input: { prompt: 'hi' } });
    await upsertUserStreamingPreference({ userId: anonymous.userId, streaming: false });

    const address = email('ada');
    const response = await client.post('/sign-up/email', { email: address, password: 'correct horse battery', name: 'Ada' });
    expect(response.status).toBe(200);

    const viewer = (await getViewer(client.request()))!;
    expect(viewer).toMatchObject({ isAnonymous: false, email: address, role: 'user' });
    expect(viewer.userId).not.toBe(anonymous.userId);
    expect((await getRunById({ id: runId }))?.ownerId).toBe(viewer.userId);
    expect((await getUserPreferencesByUserId({ userId: viewer.userId }))?.streaming).toBe(false);
    expect(await getUserPreferencesByUserId({ userId: anonymous.userId })).toBeNull();
    // The anonymous account is gone.
    expect(await userRow(anonymous.userId)).toBeNull();
  });

  test("signing up moves a guest's run that is still going: its live copy in the hub belongs to the new account", async () => {
    const visitor = await signInAnonymously();
    const anonymous = (await getViewer(visitor.request()))!;
    const runId = randomUUID();
    await createRun({ id: runId, kind: 'chat', model: 'local:arc', ownerId: anonymous.userId, input: { prompt: 'hi' } });
    const run = getRunHub().start({ id: runId, kind: 'chat', input: {}, ownerId: anonymous.userId, producer: untilCancelled });

    expect((await visitor.post('/sign-up/email', { email: email('lin'), password: 'correct horse battery', name: 'Lin' })).status).toBe(200);
    const account = (await getViewer(visitor.request()))!;
    expect(run.ended).toBe(false);
    expect(getRunHub().get(runId)?.ownerId).toBe(account.userId);
    expect(await cancelRunOrThrow({ id: runId, viewer: { userId: account.userId, role: 'user' } })).toMatchObject({ runId });
    await expect(cancelRunOrThrow({ id: runId, viewer: { userId: anonymous.userId, role: 'user' } })).rejects.toMatchObject({ code: 'not_found:run' });
  });

  test("a live copy that missed the move (another instance's) is checked against the run's row", async () => {
    const account = await signInAnonymously();
    const owner = (await getViewer(account.request()))!;
    const runId = randomUUID();
    await createRun({ id: runId, kind: 'chat', model: 'local:arc', ownerId: owner.userId, input: { prompt: 'hi' } });
    // The hub's copy says someone else: as if this instance had not been told of a sign-up.
    const run = getRunHub().start({ id: runId, kind: 'chat', input: {}, ownerId: randomUUID(), producer: untilCancelled });
    expect((await findRun({ id: runId, viewer: { userId: owner.userId, role: 'user' } }))?.id).toBe(runId);
    expect(run.ownerId).toBe(owner.userId);
    getRunHub().cancel(runId, 'user');
  });

  test('signing in to an existing account from an anonymous session moves the anonymous runs to it', async () => {
    const address = email('grace');
    const owner = new Client();
    expect((await owner.post('/sign-up/email', { email: address, password: 'correct horse battery', name: 'Grace' })).status).toBe(200);
    const accountId = (await getViewer(owner.request()))!.userId;

    const visitor = await signInAnonymously();
    const anonymous = (await getViewer(visitor.request()))!;
    const runId = randomUUID();
    await createRun({ id: runId, kind: 'chat', model: 'local:arc', ownerId: anonymous.userId, input: { prompt: 'hi' } });

    expect((await visitor.post('/sign-in/email', { email: address, password: 'correct horse battery' })).status).toBe(200);
    expect((await getViewer(visitor.request()))?.userId).toBe(accountId);
    expect((await getRunById({ id: runId }))?.ownerId).toBe(accountId);
  });

  test('a wrong password is refused with a readable message', async () => {
    const address = email('linus');
    await new Client().post('/sign-up/email', { email: address, password: 'correct horse battery', name: 'Linus' });
    const response = await new Client().post('/sign-in/email', { email: address, password: 'wrong password!' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: expect.stringMatching(/invalid email or password/i) });
  });

  test('signing up with an email ADMIN_EMAILS lists gives a user: the variable promotes no one', async () => {
    const client = new Client();
    expect((await client.post('/sign-up/email', { email: 'boss@example.com', password: 'correct horse battery', name: 'Boss' })).status).toBe(200);
    expect(await getViewer(client.request())).toMatchObject({ role: 'user', email: 'boss@example.com' });
    await expect(requireAdmin(client.request())).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'forbidden:role');
  });

  test('signing in again with a listed email still gives a user', async () => {
    const client = new Client();
    await client.post('/sign-up/email', { email: 'ops@example.com', password: 'correct horse battery', name: 'Ops' });
    const again = new Client();
    await again.post('/sign-in/email', { email: 'ops@example.com', password: 'correct horse battery' });
    expect((await getViewer(again.request()))?.role).toBe('user');
  });

  test('other emails get the user role, and requireAdmin answers them forbidden:role', async () => {
    const client = new Client();
    await client.post('/sign-up/email', { email: email('user'), password: 'correct horse battery', name: 'User' });
    await expect(requireAdmin(client.request())).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'forbidden:role' && e.status === 403);
  });

  test("the operator's grant makes an account admin, whatever the email's case, and revoke takes it back", async () => {
    const address = email('granted');
    const client = new Client();
    await client.post('/sign-up/email', { email: address, password: 'correct horse battery', name: 'Granted' });

    await setUserRoleByEmailOrThrow({ email: address.toUpperCase(), role: 'admin' });
    expect(await requireAdmin(client.request())).toMatchObject({ role: 'admin', email: address });
    expect((await listAdmins()).map((u) => u.email)).toContain(address);

    await setUserRoleByEmailOrThrow({ email: address, role: 'user' });
    expect((await getViewer(client.request()))?.role).toBe('user');
  });

  test('a grant to an email no account has is not_found:user, and anonymous accounts cannot be granted', async () => {
    await expect(setUserRoleByEmailOrThrow({ email: email('nobody'), role: 'admin' })).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'not_found:user');
    const guest = await signInAnonymously();
    const { userId } = (await getViewer(guest.request()))!;
    const row = await userRow(userId);
    await expect(setUserRoleByEmailOrThrow({ email: row!.email, role: 'admin' })).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'not_found:user');
    expect((await userRow(userId))?.role).toBe('user');
  });

  test('allowlist entries that are emails resolve to user ids; unknown emails are a 400', async () => {
    const address = email('listed');
    const client = new Client();
    await client.post('/sign-up/email', { email: address, password: 'correct horse battery', name: 'Listed' });
    const { userId } = (await getViewer(client.request()))!;

    expect(await resolveAllowlistEntries({ entries: [address.toUpperCase(), ' some-id ', '', 'some-id'] })).toEqual([userId, 'some-id']);
    await expect(resolveAllowlistEntries({ entries: ['nobody@example.com'] })).rejects.toMatchObject({ code: 'bad_request:input' });

    const state = await updateAdminFlagState({ allowlist: [address] });
    expect(state.allowlist).toEqual([{ userId, email: address, known: true, isAnonymous: false }]);
    expect((await explainStreaming({ userId })).evaluation).toMatchObject({ enabled: true, rule: 'allowlist' });
    await updateAdminFlagState({ allowlist: [] });
  });

  test('the share of users streaming counts every user in the database', async () => {
    await updateAdminFlagState({ killSwitch: true });
    const off = await getStreamingShareOfAllUsers();
    expect(off.total).toBeGreaterThan(3);
    expect(off).toMatchObject({ enabled: 0, share: 0 });
    expect(off.byRule.kill_switch).toBe(off.total);

    await updateAdminFlagState({ killSwitch: false, percentage: 100 });
    const on = await getStreamingShareOfAllUsers();
    // Everyone is in the rollout but for users who chose for themselves (Ada turned it off).
    expect(on.byRule.rollout + on.byRule.user_preference).toBe(on.total);
    expect(on.enabled).toBe(on.byRule.rollout);
    expect(on.total).toBe(off.total);
  });
});
