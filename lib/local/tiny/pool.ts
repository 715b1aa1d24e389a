/**
 * The `local:tiny` worker pool: the generic thread pool (lib/workers/threadPool.ts) running
 * ./worker.ts, whose workers each load the weights once and interleave generations token by
 * token. Generation never runs on the caller's event loop; an aborted one stops within a token.
 */
import { createThreadPool, type ThreadPoolStats } from '../../workers/threadPool.ts';
import type { TinyFinishReason, TinyGenerateOptions, TinyTokenEvent } from './generate.ts';
import type { TinyJob, TinyWorkerData } from './worker.ts';

export interface TinyPoolOptions {
  weightsDir: string;
  /** The worker script (worker.ts), run by Node directly. */
  workerPath: string;
  /** Worker threads; default max(1, cpus - 1). */
  size?: number;
  /** Generations one worker interleaves. Default 4. */
  perWorker?: number;
  /** Generations allowed to wait for a worker; more are refused. Default 64. */
  maxQueue?: number;
}

export interface TinyPool {
  generate(options: TinyGenerateOptions): AsyncGenerator<TinyTokenEvent, { finishReason: TinyFinishReason }>;
  /** Running and queued generations. */
  stats(): ThreadPoolStats;
  close(): Promise<void>;
}

export function createTinyPool(options: TinyPoolOptions): TinyPool {
  const { weightsDir, workerPath, ...sizes } = options;
  const pool = createThreadPool<TinyJob, TinyTokenEvent, { finishReason: TinyFinishReason }>({
    name: 'local:tiny',
    workerPath,
    workerData: { weightsDir } satisfies TinyWorkerData,
    ...sizes,
  });
  return {
    generate: ({ signal, ...job }) => pool.run(job, signal),
    stats: pool.stats,
    close: pool.close,
  };
}
