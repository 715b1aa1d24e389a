import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { devSecretPath, resolveAuthSecret } from './secret';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'streamconsole-secret-'));
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

test('a configured secret is used as it is, even where several instances run', async () => {
  expect(await resolveAuthSecret({ secret: 'x'.repeat(40), dataDir: dir, nodeEnv: 'production', redisUrl: 'redis://127.0.0.1:6379' })).toBe('x'.repeat(40));
});

test('production on one server without BETTER_AUTH_SECRET generates a secret once and keeps it in DATA_DIR', async () => {
  const first = await resolveAuthSecret({ secret: undefined, dataDir: dir, nodeEnv: 'production' });
  const afterRestart = await resolveAuthSecret({ secret: undefined, dataDir: dir, nodeEnv: 'production' });

  expect(first.length).toBeGreaterThanOrEqual(32);
  expect(afterRestart).toBe(first);
  expect((await readFile(devSecretPath(dir), 'utf8')).trim()).toBe(first);
});

test('a generated secret is announced with a warning that says where it is kept and when to set the variable', async () => {
  await resolveAuthSecret({ secret: undefined, dataDir: dir, nodeEnv: 'production' });
  expect(console.warn).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`BETTER_AUTH_SECRET is not set.*${devSecretPath(dir)}.*several`)));
});

test('production with REDIS_URL and no BETTER_AUTH_SECRET is refused, naming both variables, and writes no secret', async () => {
  await expect(resolveAuthSecret({ secret: undefined, dataDir: dir, nodeEnv: 'production', redisUrl: 'redis://127.0.0.1:6379' })).rejects.toThrow(
    /BETTER_AUTH_SECRET is required when REDIS_URL is set/,
  );
  await expect(stat(devSecretPath(dir))).rejects.toThrow(/ENOENT/);
});

test('production with DATABASE_URL and no BETTER_AUTH_SECRET is refused, naming both variables', async () => {
  await expect(resolveAuthSecret({ secret: undefined, dataDir: dir, nodeEnv: 'production', databaseUrl: 'postgres://db/app' })).rejects.toThrow(
    /BETTER_AUTH_SECRET is required when DATABASE_URL is set/,
  );
});

test('development with DATABASE_URL still generates a secret', async () => {
  const secret = await resolveAuthSecret({ secret: undefined, dataDir: dir, nodeEnv: 'development', databaseUrl: 'postgres://db/app' });
  expect(secret.length).toBeGreaterThanOrEqual(32);
});

test('development generates a secret once, keeps it in DATA_DIR readable by the owner only, and says so', async () => {
  const first = await resolveAuthSecret({ secret: undefined, dataDir: dir, nodeEnv: 'development' });
  const second = await resolveAuthSecret({ secret: undefined, dataDir: dir, nodeEnv: 'development' });

  expect(first.length).toBeGreaterThanOrEqual(32);
  expect(second).toBe(first);
  expect((await readFile(devSecretPath(dir), 'utf8')).trim()).toBe(first);
  expect((await stat(devSecretPath(dir))).mode & 0o777).toBe(0o600);
  expect(console.warn).toHaveBeenCalledTimes(1);
});

test('two processes generating at once agree on one secret', async () => {
  const secrets = await Promise.all([1, 2, 3, 4].map(() => resolveAuthSecret({ secret: undefined, dataDir: dir, nodeEnv: 'test' })));
  expect(new Set(secrets).size).toBe(1);
});
