/**
 * The secret that signs session cookies. BETTER_AUTH_SECRET when set; otherwise a random one is
 * generated at first use and kept in `DATA_DIR/auth-secret`, so sessions outlive a restart and
 * `npm start` works with no set-up. That is safe for one server only: with a shared database
 * (DATABASE_URL) or Redis (REDIS_URL) several instances may serve the same users, each with a
 * DATA_DIR of its own, so production then refuses to start until the secret is set (checked at
 * boot by lib/serverLifecycle.ts, never per request).
 */
import 'server-only';

import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';

/** Where the generated secret is kept. */
export function devSecretPath(dataDir: string): string {
  return path.resolve(process.cwd(), dataDir, 'auth-secret');
}

export interface ResolveAuthSecretOptions {
  secret: string | undefined;
  dataDir: string;
  nodeEnv?: string | undefined;
  /** Set: PostgreSQL shared by instances, whose secrets must agree. */
  databaseUrl?: string | undefined;
  /** Set: several instances serve the same runs and sessions. */
  redisUrl?: string | undefined;
}

/** What {@link resolveAuthSecret} needs from the configuration (the auth instance and the start-up check pass the same). */
export function authSecretOptionsOf(config: Config): ResolveAuthSecretOptions {
  return { secret: config.BETTER_AUTH_SECRET, dataDir: config.DATA_DIR, databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL };
}

/**
 * The variable that says this server may be one of several (`REDIS_URL`, then `DATABASE_URL`),
 * where a secret generated per instance is not safe in production; `undefined` when it is.
 */
export function sharedDeploymentVariable({ nodeEnv, databaseUrl, redisUrl }: Omit<ResolveAuthSecretOptions, 'secret' | 'dataDir'>): string | undefined {
  if (nodeEnv !== 'production') return undefined;
  if (redisUrl) return 'REDIS_URL';
  if (databaseUrl) return 'DATABASE_URL';
  return undefined;
}

/**
 * BETTER_AUTH_SECRET when set. Otherwise: in production with REDIS_URL or DATABASE_URL, an error
 * naming the variables; elsewhere the secret kept under DATA_DIR, generated once (two processes
 * starting together agree on one file) with a warning that says so.
 */
export async function resolveAuthSecret({ secret, dataDir, nodeEnv = process.env.NODE_ENV, databaseUrl, redisUrl }: ResolveAuthSecretOptions): Promise<string> {
  if (secret) return secret;
  const shared = sharedDeploymentVariable({ nodeEnv, databaseUrl, redisUrl });
  if (shared) {
    throw new Error(
      `BETTER_AUTH_SECRET is required when ${shared} is set: instances sharing a ${shared === 'REDIS_URL' ? 'Redis' : 'database'} must sign sessions with one secret. Set BETTER_AUTH_SECRET to 32 or more random characters (openssl rand -base64 32), the same on every instance.`,
    );
  }
  const file = devSecretPath(dataDir);
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 32) return existing.trim();
  await mkdir(path.dirname(file), { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  // Written whole under a name of its own, then linked into place: the file appears with its
  // secret or not at all. (Created with `wx` and then written, it exists empty for a moment, and
  // a process starting beside this one read that and gave up.) link() fails if another process
  // linked first; theirs is then the one to use.
  const draft = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(draft, `${generated}\n`, { flag: 'wx', mode: 0o600 });
  try {
    await link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const written = (await readFile(file, 'utf8')).trim();
    if (written.length < 32) throw new Error(`${file} holds no usable secret: delete it, or set BETTER_AUTH_SECRET.`);
    return written;
  } finally {
    await unlink(draft).catch(() => {});
  }
  console.warn(
    `[auth] BETTER_AUTH_SECRET is not set: sessions are signed with a generated secret kept in ${file}. That is fine for one server; set BETTER_AUTH_SECRET before running several.`,
  );
  return generated;
}
