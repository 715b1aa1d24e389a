/**
 * The database connection: one per process, opened and migrated at first use. Embedded PGlite
 * (a WASM PostgreSQL in a directory under DATA_DIR) when DATABASE_URL is unset, so the app runs
 * with no set-up; a PostgreSQL server through postgres-js when it is set. Both speak the same
 * Drizzle pg-core API, so query code is written once against {@link Database}.
 */
import 'server-only';

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { getConfig } from '../config';
import * as schema from './schema';

/** A Drizzle database over either backend; query code needs nothing backend-specific. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

interface Connection {
  db: Database;
  close: () => Promise<void>;
}

// Resolved from the working directory, not this file: bundled server code no longer sits beside
// its sources, and the app (next dev, next start, tests, scripts) always runs from the repo root.
const migrationsFolder = () => path.resolve(process.cwd(), 'lib/db/migrations');

// Any constant will do; it only has to be the same in every process sharing the server.
const MIGRATION_LOCK_ID = 0x5c0_db;

async function openPglite(dataDir: string): Promise<Connection> {
  // A subdirectory, because DATA_DIR also holds other local data and PGlite owns its directory.
  const dir = path.resolve(process.cwd(), dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const client = new PGlite(dir);
  try {
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder: migrationsFolder() });
    return { db, close: () => client.close() };
  } catch (err) {
    await client.close().catch(() => {});
    throw err;
  }
}

async function openPostgres(url: string): Promise<Connection> {
  // Several app instances may start at once against one server: serialise their migrations with
  // an advisory lock held on a dedicated single connection, so no two apply the same one.
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await migratePostgres(drizzlePostgres({ client: migrator }), { migrationsFolder: migrationsFolder() });
  } finally {
    await migrator.end({ timeout: 5 });
  }
  // Notices ("relation already exists, skipping") are noise in the server log.
  const client = postgres(url, { onnotice: () => {} });
  const db = drizzlePostgres({ client, schema });
  return { db, close: () => client.end({ timeout: 5 }) };
}

function openConnection(): Promise<Connection> {
  const { DATABASE_URL, DATA_DIR } = getConfig();
  return DATABASE_URL ? openPostgres(DATABASE_URL) : openPglite(DATA_DIR);
}

// On globalThis because Next dev re-evaluates modules on every edit: a module-level variable would
// open a second PGlite on the same directory, which corrupts it. A promise, so that concurrent
// first callers share one open instead of racing.
const globalForDb = globalThis as typeof globalThis & { __streamConsoleDb?: Promise<Connection> };

/** The process-wide database, opened and migrated on the first call. */
export async function getDb(): Promise<Database> {
  let pending = globalForDb.__streamConsoleDb;
  if (!pending) {
    pending = openConnection();
    globalForDb.__streamConsoleDb = pending;
    // A failed open is not cached, so the next call tries again (e.g. the server came up late).
    pending.catch(() => {
      if (globalForDb.__streamConsoleDb === pending) globalForDb.__streamConsoleDb = undefined;
    });
  }
  return (await pending).db;
}

/**
 * Closes the process-wide database, if open; the next {@link getDb} opens it again with the
 * configuration of that moment. For shutdown and for tests.
 */
export async function closeDb(): Promise<void> {
  const pending = globalForDb.__streamConsoleDb;
  if (!pending) return;
  globalForDb.__streamConsoleDb = undefined;
  const connection = await pending.catch(() => undefined);
  await connection?.close();
}
