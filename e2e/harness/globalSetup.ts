/**
 * Vitest global setup of the HTTP integration suite: one fake provider server and one production
 * app server pointed at it, shared by the test files (`inject('appUrl')`, `inject('fakeUrl')`).
 * Set DATABASE_URL to run the same suite against PostgreSQL instead of the embedded PGlite, and
 * REDIS_URL to run it on the Redis run-log backend (`startAppServer` passes it on).
 */
import type { TestProject } from 'vitest/node';
import { startFakeProviders } from '../fake-providers/server';
import { providerEnv, startAppServer } from './appServer';

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    fakeUrl: string;
    database: string;
  }
}

export default async function setup(project: TestProject) {
  const fake = await startFakeProviders();
  const env: Record<string, string> = { ...providerEnv(fake.url) };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  const app = await startAppServer({ env });
  project.provide('appUrl', app.url);
  project.provide('fakeUrl', fake.url);
  project.provide('database', process.env.DATABASE_URL ? 'postgres' : 'pglite');
  return async () => {
    await app.stop();
    await fake.close();
  };
}
