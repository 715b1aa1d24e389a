/**
 * Playwright global setup: the fake provider server and the production app pointed at it.
 * Specs read APP_URL and FAKE_URL from the environment (workers inherit it).
 */
import { startFakeProviders } from '../fake-providers/server';
import { providerEnv, startAppServer } from '../harness/appServer';

/** The models the console offers in browser specs: scenarios of the fake provider, and the embedded ARC engine. */
export const E2E_MODELS = ['openai:slow-24-60', 'openai:slow-40-50', 'openai:hang', 'openai:error-401', 'xai:reason-4', 'openrouter:count-5', 'local:arc'];

export default async function globalSetup() {
  const fake = await startFakeProviders();
  const app = await startAppServer({ env: { ...providerEnv(fake.url), MODELS: E2E_MODELS.join(',') } });
  process.env.APP_URL = app.url;
  process.env.APP_PORT = String(app.port);
  process.env.FAKE_URL = fake.url;
  return async () => {
    await app.stop();
    await fake.close();
  };
}
