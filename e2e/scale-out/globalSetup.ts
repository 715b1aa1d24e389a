/**
 * Global setup of the scale-out suite: the fake provider server and one PostgreSQL shared by every
 * instance the test files start (DATABASE_URL if set, else a throwaway cluster). Each file starts
 * its own redis-server and instances, since some of them restart Redis or kill an instance.
 */
import type { TestProject } from 'vitest/node';
import { startFakeProviders } from '../fake-providers/server';
import { redisServerAvailable, REDIS_MISSING } from '../../lib/testing/redisServer';
import { startPostgres } from '../harness/postgresServer';

declare module 'vitest' {
  export interface ProvidedContext {
    fakeUrl: string;
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // This suite is about Redis: without it, fail loudly rather than pass by skipping.
  if (!redisServerAvailable()) throw new Error(REDIS_MISSING);
  const fake = await startFakeProviders();
  const postgres = process.env.DATABASE_URL ? undefined : await startPostgres();
  project.provide('fakeUrl', fake.url);
  project.provide('databaseUrl', process.env.DATABASE_URL ?? postgres!.url);
  return async () => {
    await fake.close();
    await postgres?.stop();
  };
}
