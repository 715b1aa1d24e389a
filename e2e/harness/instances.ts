/**
 * Several production instances of the app (`next start`, one build) sharing one Redis and one
 * PostgreSQL, as behind a load balancer: each on its own port with its own data directory.
 */
import { providerEnv, startAppServer, type AppServer } from './appServer';
import { shareSessionsBetween } from './session';

export interface SharedBackends {
  redisUrl: string;
  databaseUrl: string;
  fakeUrl: string;
  /** Extra environment for every instance. */
  env?: Record<string, string>;
}

/** The environment an instance needs to join the others. */
export function instanceEnv({ redisUrl, databaseUrl, fakeUrl, env }: SharedBackends): Record<string, string> {
  return { ...providerEnv(fakeUrl), REDIS_URL: redisUrl, DATABASE_URL: databaseUrl, ...env };
}

/** Starts `count` instances one after the other (the first one migrates the database). */
export async function startInstances(count: number, backends: SharedBackends): Promise<AppServer[]> {
  const instances: AppServer[] = [];
  try {
    for (let i = 0; i < count; i++) instances.push(await startAppServer({ env: instanceEnv(backends) }));
    // One database and one secret: a test's session is the same user on every instance.
    shareSessionsBetween(instances.map((instance) => instance.url));
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop()));
    throw error;
  }
  return instances;
}
