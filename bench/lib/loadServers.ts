/**
 * The servers the load benchmark measures, and how it reads them: starting the app (memory or
 * Redis backend, through the e2e harness's `next start`) and the raw baseline, each with the
 * memory probe preloaded; their CPU from `/proc`; waiting until one is idle; and reading its
 * memory after a full GC.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startAppServer } from '../../e2e/harness/appServer';
import { anonymousSession } from '../../e2e/harness/session';
import { configSchema } from '../../lib/config';
import { connectCpuProfiler, type CpuProfiler } from './cpuProfiler';
import { freePort } from '../../lib/testing/freePort';
import { treeCpuMs } from './processCpu';
import { startRawSseServer } from './rawSseServer';
import { treeRssBytes } from './processMemory';
import { treePids } from './processTree';
import { Redis } from 'ioredis';
import { REDIS_MISSING, redisServerAvailable, type RedisServer } from '../../lib/testing/redisServer';

export type ServerName = 'memory' | 'redis' | 'raw' | 'pipe';

export interface Target {
  name: ServerName;
  label: string;
  shortLabel: string;
  color: string;
  baseUrl: string;
  /** The server's root process: its tree is what CPU and memory are read from. */
  pid: number;
  /** Processes outside the tree whose CPU and memory count towards this server (redis-server). */
  helperPids: number[];
  probeDir: string;
  /** A session's Cookie header: the app's runs need one (the raw baselines take none). */
  cookie?: string;
  /** When the bench last closed this server's streams (epoch ms), so the next case knows how long to wait. */
  lastClosedAt?: number;
  /** With LOAD_CPU_PROFILE: the server's inspector, to profile each case's window. */
  profiler?: CpuProfiler;
  stop(): Promise<void>;
}

export const LOOK: Record<ServerName, { label: string; shortLabel: string; color: string }> = {
  memory: { label: 'app (memory backend)', shortLabel: 'memory', color: '#1f77b4' },
  redis: { label: 'app (Redis backend)', shortLabel: 'Redis', color: '#9467bd' },
  raw: { label: 'raw node:http baseline', shortLabel: 'raw', color: '#2ca02c' },
  pipe: { label: 'raw + Next.js body pipe', shortLabel: 'pipe', color: '#ff7f0e' },
};

/** Streams per client key the app allows at most (MAX_STREAMS_PER_USER's ceiling in lib/config.ts). */
export const APP_STREAMS_PER_KEY = 10_000;

const PROBE = path.join(ROOT, 'bench', 'lib', 'memoryProbe.ts');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** LOAD_CPU_PROFILE=DIR: each app server's CPU profile of each case's window goes to DIR. */
export const CPU_PROFILE_DIR = process.env.LOAD_CPU_PROFILE;

export async function startApp(name: 'memory' | 'redis', extraEnv: Record<string, string> = {}): Promise<Target> {
  const probeDir = mkdtempSync(path.join(os.tmpdir(), `load-probe-${name}-`));
  const inspectPort = CPU_PROFILE_DIR ? await freePort() : undefined;
  const app = await startAppServer({
    env: {
      BENCH_PRODUCER: '1',
      // Closed streams' runs are stopped a second later and their logs dropped a second after
      // that, so one case's runs are gone before the next case takes its baseline reading.
      RUN_GRACE_MS: '1000',
      RUN_RETENTION_MS: '1000',
      MAX_STREAMS_PER_USER: String(APP_STREAMS_PER_KEY),
      MAX_STREAMS_TOTAL: '1000000',
      RATE_LIMIT_RUNS_PER_MINUTE: '100000',
      NODE_OPTIONS: `--import ${PROBE}${inspectPort ? ` --inspect=127.0.0.1:${inspectPort}` : ''}`,
      LOAD_PROBE_DIR: probeDir,
      ...extraEnv,
    },
  });
  const cookie = await anonymousSession(app.url);
  const profiler = inspectPort ? await connectCpuProfiler(inspectPort) : undefined;
  const stop = async () => {
    profiler?.close();
    await app.stop();
  };
  return { name, ...LOOK[name], baseUrl: app.url, pid: app.process.pid!, helperPids: [], probeDir, cookie, profiler, stop };
}

/** The raw baseline (`raw`: `--mode direct`), or the same with Next.js's body pipe (`pipe`: `--mode pipe`). */
export async function startRaw(name: 'raw' | 'pipe'): Promise<Target> {
  const probeDir = mkdtempSync(path.join(os.tmpdir(), `load-probe-${name}-`));
  const server = await startRawSseServer({ mode: name === 'raw' ? 'direct' : 'pipe', preload: [PROBE], env: { LOAD_PROBE_DIR: probeDir } });
  return { name, ...LOOK[name], baseUrl: `http://127.0.0.1:${server.port}`, pid: server.pid, helperPids: [], probeDir, stop: server.stop };
}

/** Why the Redis backend cannot be measured here, or undefined if it can be tried. */
export function redisUnavailable(): string | undefined {
  if (!redisServerAvailable()) return REDIS_MISSING;
  if (!('REDIS_URL' in configSchema.shape)) return 'the app does not read REDIS_URL yet (no REDIS_URL in lib/config.ts)';
  return undefined;
}

/** Calls per command Redis has run, but for the bench's own INFO and PING. */
export async function redisCommandCounts(redis: RedisServer): Promise<Record<string, number>> {
  const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const stats = await client.info('commandstats');
    const counts: Record<string, number> = {};
    // Lines read `cmdstat_xadd:calls=9642,usec=...`.
    for (const [, name, calls] of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      if (name === 'info' || name === 'ping') continue;
      counts[name!] = Number(calls);
    }
    return counts;
  } finally {
    client.disconnect();
  }
}

/** CPU time (ms) of the server's tree and its helpers. */
export function cpuOf(target: Target): number {
  return treeCpuMs(target.pid) + helperCpuOf(target);
}

/** CPU time (ms) of the server's helpers alone (redis-server). */
export function helperCpuOf(target: Target): number {
  return target.helperPids.reduce((sum, pid) => sum + treeCpuMs(pid), 0);
}

/**
 * Waits until the previous case is gone from the server: past the app's grace and retention
 * (closed streams' runs stopped, their logs dropped), then until its CPU has been nearly idle
 * (< 5% of a core) for half a second. Returns how long that took.
 */
export async function quiesce(target: Target, maxMs = 20_000): Promise<number> {
  const started = Date.now();
  // The app stops a closed stream's run RUN_GRACE_MS (1 s) later and drops its log RUN_RETENTION_MS (1 s) after that.
  const settleMs = target.name === 'raw' || target.name === 'pipe' ? 200 : 2_500;
  await sleep(Math.max(0, (target.lastClosedAt ?? 0) + settleMs - started));
  let last = cpuOf(target);
  while (Date.now() - started < maxMs) {
    await sleep(500);
    const now = cpuOf(target);
    if (now - last < 25) break;
    last = now;
  }
  return Date.now() - started;
}

export interface MemoryReading {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  /** Server processes that answered the probe (0: heap figures are NaN). */
  probed: number;
  /**
   * The server's clock offset (`bench/lib/clockOffset.ts`): that of its probed process with the
   * largest heap, the one doing the work (the producers run there). NaN if none answered.
   */
  clockOffsetMs: number;
}

/** Full GC in every probed process of the server, then its heap (summed) and its RSS (its tree's and its helpers', e.g. redis-server). */
export async function readMemory(target: Target): Promise<MemoryReading> {
  const pids = treePids(target.pid).filter((pid) => existsSync(path.join(target.probeDir, `${pid}.ready`)));
  for (const pid of pids) {
    rmSync(path.join(target.probeDir, `${pid}.json`), { force: true });
    process.kill(pid, 'SIGUSR2');
  }
  let heapUsedBytes = pids.length > 0 ? 0 : Number.NaN;
  let externalBytes = heapUsedBytes;
  let clockOffsetMs = Number.NaN;
  let largestHeap = -1;
  const deadline = Date.now() + 15_000;
  for (const pid of pids) {
    const file = path.join(target.probeDir, `${pid}.json`);
    while (!existsSync(file)) {
      if (Date.now() > deadline) throw new Error(`${target.name}: process ${pid} did not answer the memory probe`);
      await sleep(10);
    }
    const usage = JSON.parse(readFileSync(file, 'utf8')) as { heapUsed: number; external: number; clockOffsetMs: number };
    heapUsedBytes += usage.heapUsed;
    externalBytes += usage.external;
    if (usage.heapUsed > largestHeap) {
      largestHeap = usage.heapUsed;
      clockOffsetMs = usage.clockOffsetMs;
    }
  }
  const rssBytes = [target.pid, ...target.helperPids].reduce((sum, pid) => sum + treeRssBytes(pid), 0);
  return { rssBytes, heapUsedBytes, externalBytes, probed: pids.length, clockOffsetMs };
}

