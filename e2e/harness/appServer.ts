/**
 * Starts the real production server (`next start` over the `.next` build) on a free port with
 * its own data directory and environment, and waits until /api/health answers. Tests that need
 * special settings (a short response lifetime, another database) start one of their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/testing/freePort';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface AppServer {
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed, for assertions about what is (and is not) logged. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const NEXT_BIN = 'node_modules/next/dist/bin/next';

/**
 * The Node flags `npm start` runs the server with (package.json's `start` script is the one
 * place they are set), so that tests and benchmarks run the server as it is deployed.
 */
export function serverNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';
  const words = start.trim().split(/\s+/);
  const bin = words.indexOf(NEXT_BIN);
  const flags = words.slice(1, Math.max(1, bin));
  if (words[0] !== 'node' || bin < 1 || words.slice(bin + 1).join(' ') !== 'start' || !flags.every((flag) => flag.startsWith('--'))) {
    throw new Error(`package.json's start script is not \`node [--flags] ${NEXT_BIN} start\`: ${start}`);
  }
  return flags;
}

export function assertBuilt(): void {
  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    throw new Error('No production build: run `npx next build` first (npm test does).');
  }
}

/** Environment pointing every provider at the fake provider server. */
export function providerEnv(fakeUrl: string): Record<string, string> {
  return {
    OPENAI_API_KEY: 'sk-test-openai-key-000000',
    OPENAI_BASE_URL: `${fakeUrl}/openai/v1`,
    XAI_API_KEY: 'xai-test-key-000000',
    XAI_BASE_URL: `${fakeUrl}/xai/v1`,
    OPENROUTER_API_KEY: 'or-test-key-000000',
    OPENROUTER_BASE_URL: `${fakeUrl}/openrouter/api/v1`,
    OPENAI_COMPATIBLE_BASE_URL: `${fakeUrl}/compatible/v1`,
    NEURONPEDIA_API_KEY: 'np-test-key-000000',
    NEURONPEDIA_BASE_URL: `${fakeUrl}/neuronpedia`,
    PROVIDER_MAX_RETRIES: '0',
  };
}

export interface StartAppServerOptions {
  /** Added to (and overriding) the defaults below; `undefined` unsets one (say, BETTER_AUTH_SECRET). */
  env?: Record<string, string | undefined>;
  port?: number;
  dataDir?: string;
  /**
   * Runs the server (and the workers it spawns) at this niceness. Browser specs use it: in
   * production the browser does not share a CPU with the server, and on this 2-core machine a
   * server at equal priority would take the page's main thread time away from it.
   */
  nice?: number;
}

/**
 * With REDIS_URL set in the test environment, a server started without one of its own runs on the
 * Redis backend too, under a key prefix of its own (servers configured differently must not share
 * rate-limit counters).
 */
function redisEnv(env: Record<string, string | undefined> | undefined, port: number): Record<string, string> {
  if (!process.env.REDIS_URL || (env && 'REDIS_URL' in env)) return {};
  return { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `test-${port}:` };
}

export async function startAppServer(options: StartAppServerOptions = {}): Promise<AppServer> {
  assertBuilt();
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'streamconsole-data-'));
  let output = '';
  const next = [path.join(ROOT, 'node_modules', '.bin', 'node'), ...serverNodeFlags(), NEXT_BIN, 'start', '-p', String(port), '-H', '127.0.0.1'];
  const [command, ...args] = options.nice ? ['nice', '-n', String(options.nice), ...next] : next;
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: {
      PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`,
      HOME: process.env.HOME ?? '/root',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATA_DIR: dataDir,
      BETTER_AUTH_SECRET: 'test-only-secret-test-only-secret-test-only-secret',
      // Suites start hundreds of runs from one client; the limits have tests of their own.
      RATE_LIMIT_RUNS_PER_MINUTE: '100000',
      MAX_STREAMS_PER_USER: '10000',
      MAX_STREAMS_TOTAL: '100000',
      MAX_RUNS_PER_USER: '10000',
      MAX_RUNS_TOTAL: '100000',
      // The fake provider's scenarios are models of their own (count-3, slow-10-50, ...): every id
      // of the hosted providers is offered, beside the defaults (local:arc, local:tiny).
      MODELS: 'openai:*,xai:*,openrouter:*,compatible:*',
      AUTH_ANONYMOUS_SIGNINS_PER_10S: '100000',
      ...redisEnv(options.env, port),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`next start did not become healthy within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  return {
    url,
    port,
    dataDir,
    process: child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
