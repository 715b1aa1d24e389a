/** Test-side sign-in: an anonymous Better Auth session, as a first visit gets, returned as a Cookie header. */
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
