/**
 * Blocking answers: the run's result as the server's reducer built it — the very object a
 * streaming browser builds from the same envelopes — handed over whole once the run ends.
 * A caller waits up to `waitMs` (a long poll); if the run is still going it gets its progress
 * instead and asks again.
 */
import type { Run } from './hub';
import type { RunResult } from './reducer';

export type RunResultAnswer =
  | { state: 'done'; runId: string; result: RunResult }
  | { state: 'running'; runId: string; progress: { lastSeq: number; statusMessage?: string } };

export async function waitForRunResult(run: Run, { waitMs, signal }: { waitMs: number; signal?: AbortSignal }): Promise<RunResultAnswer> {
  if (!run.ended) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      run.finished,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      }),
    ]);
    clearTimeout(timer);
  }
  if (run.ended) return { state: 'done', runId: run.id, result: run.result };
  return {
    state: 'running',
    runId: run.id,
    progress: { lastSeq: run.lastSeq, ...(run.result.statusMessage !== undefined ? { statusMessage: run.result.statusMessage } : {}) },
  };
}
