/** Health of the parts the app needs: the database (and, as they are added, the run-log backend and providers). */
import 'server-only';
import { sql } from 'drizzle-orm';
import { getDb } from './db';
import { getCircuitStates, type CircuitStatus } from './models/resilience';

export interface Health {
  ok: boolean;
  database: { ok: boolean; driver: 'pglite' | 'postgres'; error?: string };
  runLog: { ok: boolean; backend: 'memory' };
  /** Each hosted provider's circuit: closed (healthy), open (failing fast) or half-open (probing). */
  providers: CircuitStatus[];
}

export async function checkHealth(): Promise<Health> {
  const driver = process.env.DATABASE_URL ? 'postgres' : 'pglite';
  let database: Health['database'];
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    database = { ok: true, driver };
  } catch (error) {
    console.error('[health] database check failed:', error);
    database = { ok: false, driver, error: 'The database did not answer.' };
  }
  return { ok: database.ok, database, runLog: { ok: true, backend: 'memory' }, providers: getCircuitStates() };
}
