/**
 * Test-side sessions. Every run has an owner, so a test that starts runs signs in first, as a
 * browser's first visit does: {@link anonymousSession} makes one and returns it as a Cookie
 * header; {@link appFetch} is `fetch` carrying one such session per server (made at its first
 * call), so that a test reads and cancels the runs it started as their owner.
 */

/** An anonymous Better Auth session, as a first visit gets, returned as a Cookie header. */
export async function anonymousSession(appUrl: string): Promise<string> {
  const response = await fetch(`${appUrl}/api/auth/sign-in/anonymous`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: appUrl },
    body: '{}',
  });
  if (response.status !== 200) throw new Error(`anonymous sign-in answered ${response.status}: ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

const sessions = new Map<string, Promise<string>>();
/** Origins whose servers share one database and secret (scale-out instances), mapped to the one that signs in. */
const sessionHome = new Map<string, string>();

/**
 * Says that these servers share their users (one database, one secret): {@link appFetch} then
 * sends the same session to all of them, so a run started on one is its owner's on the others.
 */
export function shareSessionsBetween(appUrls: string[]): void {
  const home = new URL(appUrls[0]!).origin;
  for (const url of appUrls) sessionHome.set(new URL(url).origin, home);
}

/** The session {@link appFetch} sends to this server (one per server, or per group of servers sharing users). */
export function sharedSession(appUrl: string): Promise<string> {
  const origin = new URL(appUrl).origin;
  const home = sessionHome.get(origin) ?? origin;
  let session = sessions.get(home);
  if (!session) {
    session = anonymousSession(home);
    sessions.set(home, session);
    session.catch(() => sessions.delete(home));
  }
  return session;
}

/** `fetch` with this server's shared session, unless the request sends a Cookie of its own. */
export async function appFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('cookie')) headers.set('Cookie', await sharedSession(url));
  return fetch(url, { ...init, headers });
}
