/**
 * Real databases for test suites: an embedded PGlite in a temporary directory, and a fresh
 * database on the PostgreSQL server TEST_DATABASE_URL names (skipped when unset; scripts/test.sh
 * starts one with scripts/postgres.sh). {@link useTestDatabase} points the app's `getDb()` at one for a suite.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { resetConfig } from '../../config';
import { closeDb, getDb } from '../client';

export interface TestDatabase {
  name: string;
  skip: boolean;
  /** Prepares a fresh, empty database and returns the environment that selects it. */
  setUp: () => Promise<{ DATA_DIR?: string; DATABASE_URL?: string }>;
  tearDown: () => Promise<void>;
}

/** PGlite always; PostgreSQL when TEST_DATABASE_URL is set. */
export function testDatabases(): TestDatabase[] {
  let pgliteDir: string | undefined;
  const pglite: TestDatabase = {
    name: 'PGlite',
    skip: false,
    async setUp() {
      pgliteDir = await mkdtemp(path.join(tmpdir(), 'streamconsole-db-'));
      return { DATA_DIR: pgliteDir };
    },
    async tearDown() {
      if (pgliteDir) await rm(pgliteDir, { recursive: true, force: true });
    },
  };

  const serverUrl = process.env.TEST_DATABASE_URL;
  const databaseName = `streamconsole_test_${randomUUID().replaceAll('-', '')}`;
  const server: TestDatabase = {
    name: 'PostgreSQL',
    skip: !serverUrl,
    async setUp() {
      const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${databaseName}`);
      await admin.end();
      const url = new URL(serverUrl!);
      url.pathname = `/${databaseName}`;
      return { DATABASE_URL: url.toString() };
    },
    async tearDown() {
      const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
      await admin.end();
    },
  };
  return [pglite, server];
}

function setEnv(env: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetConfig();
}

/**
 * Opens (and migrates) `database` for the enclosing suite, with `env` added to the environment,
 * and restores everything afterwards.
 */
export function useTestDatabase(database: TestDatabase, env: Record<string, string | undefined> = {}): void {
  const keys = ['DATA_DIR', 'DATABASE_URL', ...Object.keys(env)];
  const saved = Object.fromEntries(keys.map((key) => [key, process.env[key]]));

  beforeAll(async () => {
    await closeDb();
    const selected = await database.setUp();
    setEnv({ ...env, DATA_DIR: selected.DATA_DIR, DATABASE_URL: selected.DATABASE_URL });
    await getDb();
  }, 60_000);

  afterAll(async () => {
    await closeDb();
    await database.tearDown();
    setEnv(saved);
  }, 60_000);
}
