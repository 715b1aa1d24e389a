/**
 * Playwright global setup: the fake provider server and the production app pointed at it.
 * Specs read APP_URL and FAKE_URL from the environment (workers inherit it).
 */
import { startFakeProviders } from '../fake-providers/server';
import { freePort } from '../../lib/testing/freePort';
import { runAdminTool } from '../harness/admin';
import { providerEnv, startAppServer } from '../harness/appServer';

/** The models the console offers in browser specs: scenarios of the fake provider, and the embedded ARC engine. */
export const E2E_MODELS = [
  'openai:slow-24-60',
  'openai:slow-40-50',
  'openai:hang',
  'openai:error-401',
  'xai:reason-4',
  'openrouter:count-5',
  'local:arc',
  // Puzzle analysis of sc-flip-h: a slow clean answer, reasoning and a tool call, JSON to repair, a stream that breaks.
  'openai:analysis-json-60',
  'openai:analysis-reasoning-tool',
  'openai:analysis-broken-json',
  'openai:analysis-midstream',
];

/** The admin account the global setup makes (signed up, then granted by the operator's tool). */
export const E2E_ADMIN_EMAIL = 'admin@streamconsole.test';
export const E2E_ADMIN_PASSWORD = 'e2e admin password';

export default async function globalSetup() {
  const fake = await startFakeProviders();
  // The port is chosen first so that BETTER_AUTH_URL can name it (plain http: cookies not Secure).
  const port = await freePort();
  const start = (dataDir?: string) =>
    startAppServer({
      port,
      ...(dataDir ? { dataDir } : {}),
      // The browser gets the CPU first, as it would on a user's own machine (see startAppServer).
      nice: 10,
      env: {
        ...providerEnv(fake.url),
        MODELS: E2E_MODELS.join(','),
        BETTER_AUTH_SECRET: 'e2e-only-secret-e2e-only-secret-e2e-only-secret',
        BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
        // The embedded local:tiny weights (steer.spec.ts), when a test run points elsewhere than lib/local/tiny/weights.
        ...(process.env.TINY_WEIGHTS_DIR ? { TINY_WEIGHTS_DIR: process.env.TINY_WEIGHTS_DIR } : {}),
      },
    });
  // An admin as an operator makes one: the account signs up, then, with the server stopped (the
  // embedded database is one process's), `npm run admin -- grant` gives it the role.
  const first = await start();
  const signUp = await fetch(`${first.url}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: first.url },
    body: JSON.stringify({ email: E2E_ADMIN_EMAIL, password: E2E_ADMIN_PASSWORD, name: 'admin' }),
  });
  if (signUp.status !== 200) throw new Error(`signing up the e2e admin answered ${signUp.status}: ${await signUp.text()}`);
  await first.stop();
  runAdminTool(['grant', E2E_ADMIN_EMAIL], { dataDir: first.dataDir });
  const app = await start(first.dataDir);
  process.env.APP_URL = app.url;
  process.env.APP_PORT = String(app.port);
  process.env.FAKE_URL = fake.url;
  return async () => {
    await app.stop();
    await fake.close();
  };
}
