/**
 * The secret that signs session cookies. Production must set BETTER_AUTH_SECRET; elsewhere a
 * random one is generated at first use and kept in `DATA_DIR/auth-secret`, so sessions outlive
 * a restart of the development server.
 */
import 'server-only';

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where the generated development secret is kept. */
export function devSecretPath(dataDir: string): string {
  return path.resolve(process.cwd(), dataDir, 'auth-secret');
}

/**
 * BETTER_AUTH_SECRET when set. Otherwise: in production, an error saying what to set; elsewhere
 * the development secret, generated once (two processes starting together agree on one file).
 */
export async function resolveAuthSecret({
  secret,
  dataDir,
  nodeEnv = process.env.NODE_ENV,
}: {
  secret: string | undefined;
  dataDir: string;
  nodeEnv?: string | undefined;
}): Promise<string> {
  if (secret) return secret;
  if (nodeEnv === 'production') {
    throw new Error('BETTER_AUTH_SECRET is required in production: set it to 32 or more random characters (openssl rand -base64 32).');
  }
  const file = devSecretPath(dataDir);
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 32) return existing.trim();
  await mkdir(path.dirname(file), { recursive: true });
  const generated = randomBytes(32).toString('base64url');
  try {
    // `wx`: fails if another process wrote it first; then theirs is the one to use.
    await writeFile(file, `${generated}\n`, { flag: 'wx', mode: 0o600 });
    console.warn(`[auth] BETTER_AUTH_SECRET is not set: using a generated development secret (${file}). Set it in production.`);
    return generated;
  } catch {
    const written = (await readFile(file, 'utf8')).trim();
    if (written.length < 32) throw new Error(`${file} holds no usable secret: delete it, or set BETTER_AUTH_SECRET.`);
    return written;
  }
}
