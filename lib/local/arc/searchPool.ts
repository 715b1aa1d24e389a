/**
 * Where `local:arc` searches run: a pool of worker threads (lib/workers/threadPool.ts running
 * ./worker.ts), one per spare core, so a search of up to several seconds never holds the server's
 * event loop. A search waits in a bounded queue for a worker (its time budget starts when it
 * runs); past the cap it is refused ('provider:rate_limited'); an aborted one stops within one
 * step of about 20 ms and frees its place.
 */
import path from 'node:path';
import { createThreadPool, type ThreadPoolStats } from '../../workers/threadPool.ts';
import type { ArcCandidate, SearchableTask, SearchOptions, SearchProgress } from './solve.ts';
import type { ArcSearchJob } from './worker.ts';

export interface ArcSearchPoolOptions {
  /** The worker script (worker.ts), run by Node directly. */
  workerPath: string;
  /** Worker threads; default max(1, cpus - 1). */
  size?: number;
  /** Searches one worker interleaves. Default 4. */
  perWorker?: number;
  /** Searches allowed to wait for a worker; more are refused. Default 64. */
  maxQueue?: number;
}

export interface ArcSearchPool {
  /** What `searchProgramsSync` answers, computed on a worker; `onProgress` hears each step. Throws the signal's reason on abort. */
  search(task: SearchableTask, options?: SearchOptions): Promise<ArcCandidate[]>;
  /** Workers, running and queued searches. */
  stats(): ThreadPoolStats;
  close(): Promise<void>;
}

export function createArcSearchPool(options: ArcSearchPoolOptions): ArcSearchPool {
  const { workerPath, ...sizes } = options;
  const pool = createThreadPool<ArcSearchJob, SearchProgress, ArcCandidate[]>({ name: 'local:arc', workerPath, ...sizes });
  return {
    async search(task, { signal, onProgress, ...rest } = {}) {
      const steps = pool.run({ task: { train: task.train, test: task.test }, options: rest }, signal);
      for (;;) {
        const next = await steps.next();
        if (next.done) return next.value;
        onProgress?.(next.value);
      }
    },
    stats: pool.stats,
    close: pool.close,
  };
}

/** The worker script, resolved from the working directory (not through the bundler: a worker needs a real file). */
export function arcWorkerPath(): string {
  return path.join(process.cwd(), 'lib', 'local', 'arc', 'worker.ts');
}

let pool: ArcSearchPool | null = null;

/** The process's pool, started on first use. */
export function arcSearchPool(): ArcSearchPool {
  pool ??= createArcSearchPool({ workerPath: arcWorkerPath() });
  return pool;
}

/** Searches on the process's pool (never on the caller's event loop). */
export function searchProgramsOffThread(task: SearchableTask, options: SearchOptions = {}): Promise<ArcCandidate[]> {
  return arcSearchPool().search(task, options);
}

/** Stops the process's pool (tests, shutdown). */
export async function closeArcSearchPool(): Promise<void> {
  const current = pool;
  pool = null;
  await current?.close();
}
