/**
 * A throwaway PostgreSQL cluster for a test suite, through `scripts/postgres.sh` (initdb in a
 * temporary directory, started on a free port, stopped and removed afterwards).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../lib/testing/freePort';
import { ROOT } from './appServer';

const run = promisify(execFile);
const SCRIPT = path.join(ROOT, 'scripts', 'postgres.sh');

export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'streamconsole-pg-'));
  const port = await freePort();
  const { stdout } = await run('bash', [SCRIPT, 'start', dir, String(port)], { timeout: 60_000 });
  return {
    url: stdout.trim(),
    async stop() {
      await run('bash', [SCRIPT, 'stop', dir], { timeout: 60_000 }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
