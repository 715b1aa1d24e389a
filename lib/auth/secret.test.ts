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

test('a configured secret is used as it is', async () => {
  expect(await resolveAuthSecret({ secret: 'x'.repeat(40), dataDir: dir, nodeEnv: 'production' })).toBe('x'.repeat(40));
});

test('production without BETTER_AUTH_SECRET is an error that names the variable', async () => {
  await expect(resolveAuthSecret({ secret: undefined, dataDir: dir, nodeEnv: 'production' })).rejects.toThrow(/BETTER_AUTH_SECRET is required in production/);
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
