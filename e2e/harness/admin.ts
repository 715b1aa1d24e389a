/**
 * Test-side admin grants, made the way an operator makes them: `npm run admin -- grant EMAIL`
 * (scripts/admin.ts) against a server's database, while that server is stopped (the embedded
 * PGlite belongs to one process at a time).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './appServer';

/** Runs `npm run admin -- <args>` against the database under `dataDir` (or `env.DATABASE_URL`); throws with its output when it fails. */
export function runAdminTool(args: string[], { dataDir, env = {} }: { dataDir: string; env?: Record<string, string | undefined> }): string {
  const result = spawnSync('npm', ['run', '-s', 'admin', '--', ...args], {
    cwd: ROOT,
    env: {
      PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
      HOME: process.env.HOME ?? '/root',
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      ...env,
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) throw new Error(`npm run admin -- ${args.join(' ')} exited with ${result.status}:\n${output}`);
  return output;
}
