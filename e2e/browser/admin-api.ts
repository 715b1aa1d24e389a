/**
 * An API client signed in as the e2e admin (the global setup signed the account up and granted it
 * admin with `npm run admin -- grant`). Better Auth allows 3 email sign-ins per 10 s per address,
 * and every spec here comes from one: a 429 is waited out as its `X-Retry-After` says, then retried.
 */
import { expect, request as apiRequest, type APIRequestContext } from '@playwright/test';
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD } from './global-setup';

export async function adminApi(appUrl: string): Promise<APIRequestContext> {
  const api = await apiRequest.newContext({ baseURL: appUrl, extraHTTPHeaders: { origin: appUrl } });
  for (let attempt = 1; ; attempt++) {
    const signIn = await api.post('/api/auth/sign-in/email', { data: { email: E2E_ADMIN_EMAIL, password: E2E_ADMIN_PASSWORD } });
    if (signIn.status() === 429 && attempt < 4) {
      const waitS = Number(signIn.headers()['x-retry-after'] ?? '10');
      await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(waitS) ? waitS : 10) * 1000 + 250));
      continue;
    }
    expect(signIn.status(), await signIn.text()).toBe(200);
    return api;
  }
}
