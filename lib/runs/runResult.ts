/**
 * Blocking answers: the run's result as the server's reducer built it — the very object a
 * streaming browser builds from the same envelopes — handed over whole once the run ends.
 * A caller waits up to `waitMs` (a long poll); if the run is still going it gets its progress
 * instead and asks again.
 */
import { KIND_PARTS } from '../kinds';
import type { Run } from './hub';
import type { RunResult } from './reducer';

/** How far a run has got, for a reader who sees no envelopes: enough for a progress line. */
export interface RunProgress {
  lastSeq: number;
  /** The latest `status` envelope's message. */
  statusMessage?: string;
  /** Text tokens so far, over every generation and solver. */
  tokenCount: number;
  /** Since the run started. */
  elapsedMs: number;
}

export type RunResultAnswer = { state: 'done'; runId: string; result: RunResult } | { state: 'running'; runId: string; progress: RunProgress };

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
  return { state: 'running', runId: run.id, progress: progressOf(run) };
}

function progressOf(run: Run): RunProgress {
  const { result } = run;
  return {
    lastSeq: run.lastSeq,
    ...(result.statusMessage !== undefined ? { statusMessage: result.statusMessage } : {}),
    tokenCount: tokenCountOf(result),
    elapsedMs: Math.max(0, Date.now() - run.createdAt),
  };
}

/** Text tokens in a result: every generation's, and each kind's own text. */
export function tokenCountOf(result: RunResult): number {
  let count = 0;
  for (const generation of Object.values(result.generations)) count += generation.tokenCount;
  for (const [kind, part] of KIND_PARTS) {
    const state = result[kind];
    if (state) count += part.tokenCount(state);
  }
  return count;
}
