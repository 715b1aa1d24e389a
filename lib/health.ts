/** Health of the parts the app needs: the database, the run-log backend (memory, or Redis and whether it answers) and providers. */
import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from './db';
import { getCircuitStates, type CircuitStatus } from './models/resilience';
import { getRunBackend } from './runs/registry';

export interface Health {
  ok: boolean;
  database: { ok: boolean; driver: 'pglite' | 'postgres'; error?: string };
  /** Where run logs live: this process's memory, or Redis (shared by every instance). */
  runLog: { ok: boolean; backend: 'memory' } | { ok: boolean; backend: 'redis'; instance: string; latencyMs?: number; error?: string };
  /** Each hosted provider's circuit: closed (healthy), open (failing fast) or half-open (probing). */
  providers: CircuitStatus[];
}

async function checkRunLog(): Promise<Health['runLog']> {
  const backend = getRunBackend();
  if (!backend) return { ok: true, backend: 'memory' };
  return { backend: 'redis', instance: backend.instanceId, ...(await backend.health()) };
}

export async function checkHealth(): Promise<Health> {
  const driver = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  let database: Health['database'];
  const runLog = checkRunLog();
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    database = { ok: true, driver };
  } catch (error) {
    console.error('[health] database check failed:', error);
    database = { ok: false, driver, error: 'The database did not answer.' };
  }
  const runLogHealth = await runLog;
  return { ok: database.ok && runLogHealth.ok, database, runLog: runLogHealth, providers: getCircuitStates() };
}
