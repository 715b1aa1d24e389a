// Attack suite, origins and response headers (docs/security.md): a write whose Origin differs
// from the server's only by scheme is cross-origin and refused; every page's scripts need the
// nonce of its own response (no 'unsafe-inline'), and API responses allow nothing to run at all;
// HSTS is sent when the public URL is https,
// and not on the plain-http quick start.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { freePort } from '../../lib/testing/freePort';
import { providerEnv, startAppServer, type AppServer } from '../harness/appServer';
import { appFetch } from '../harness/session';

const app = inject('appUrl');
const fake = inject('fakeUrl');

function postRunFrom(origin: string): Promise<Response> {
  return appFetch(`${app}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Origin: origin },
    body: JSON.stringify({ kind: 'chat', input: { prompt: 'hi', model: 'openai:count-2' } }),
  });
}

describe('the Origin check compares the scheme', () => {
  test('a POST from https:// on the same host and port as this http server is refused with forbidden:origin', async () => {
    const response = await postRunFrom(app.replace(/^http:/, 'https:'));
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('forbidden:origin');
  });

  test('a POST from the same port on the same host with the same scheme passes', async () => {
    const response = await postRunFrom(app);
    expect(response.status).toBe(201);
    await response.body?.cancel();
  });
});

function scriptSrcOf(response: Response): string {
  const csp = response.headers.get('content-security-policy') ?? '';
  return csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src ')) ?? '';
}

function nonceOf(scriptSrc: string): string | undefined {
  return /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
}

describe('the Content-Security-Policy of pages', () => {
  test("script-src has a nonce and no 'unsafe-inline'", async () => {
    const scripts = scriptSrcOf(await appFetch(`${app}/console`));
    expect(nonceOf(scripts)).toBeTruthy();
    expect(scripts).not.toContain("'unsafe-inline'");
  });

  test('each response gets a fresh nonce', async () => {
    const first = nonceOf(scriptSrcOf(await appFetch(`${app}/console`)));
    const second = nonceOf(scriptSrcOf(await appFetch(`${app}/console`)));
    expect(first).toBeTruthy();
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
  });

  test("every script in the page carries its response's nonce", async () => {
    const response = await appFetch(`${app}/console`);
    const nonce = nonceOf(scriptSrcOf(response));
    const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });
});

describe('the Content-Security-Policy of API responses', () => {
  test("allows nothing to load or run (default-src 'none'), and no framing", async () => {
    const csp = (await appFetch(`${app}/api/health`)).headers.get('content-security-policy') ?? '';
    const directives = csp.split(';').map((d) => d.trim());
    expect(directives).toContain("default-src 'none'");
    expect(directives).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('nonce-');
  });
});

describe('HSTS', () => {
  test('is not sent by a server whose public URL is plain http (the quick start)', async () => {
    const response = await appFetch(`${app}/console`);
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  describe('with BETTER_AUTH_URL on https (TLS ends at a proxy in front)', () => {
    let server: AppServer;
    beforeAll(async () => {
      const port = await freePort();
      server = await startAppServer({ port, env: { ...providerEnv(fake), BETTER_AUTH_URL: `https://127.0.0.1:${port}` } });
    });
    afterAll(() => server?.stop());

    test('pages send Strict-Transport-Security', async () => {
      const response = await fetch(`${server.url}/console`);
      expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    });

    test('API responses send it too', async () => {
      const response = await fetch(`${server.url}/api/health`);
      expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
    });
  });
});
