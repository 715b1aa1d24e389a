/**
 * The SSE response for one reader of a run: status and headers, the byte stream from
 * `createEventStream`, and the reader's registration (a run nobody reads is cancelled after the
 * grace period).
 *
 * A reader resuming from a position its log no longer holds (trimmed, or expired) is told: the
 * response carries `X-Run-Log-Gap: <from>-<to>` and the stream opens with a `log_gap` status
 * envelope (see `logGap.ts`).
 */
import { SSE_HEADERS } from '../protocol/sse';
import { createEventStream } from './eventStream';
import type { Run } from './hub';
import { formatGapHeader, RUN_LOG_GAP_HEADER } from './logGap';

export interface RunEventsResponseOptions {
  /** Where the reader registers: the hub for its own runs (`getRunReaders()` serves every run). */
  hub: { attach(id: string): () => void };
  run: Run;
  afterSeq: number;
  heartbeatMs: number;
  maxLifetimeMs: number;
  /** The request's signal: the reader is released as soon as the client goes away. */
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Called once when the response ends or is never opened (frees the reader's stream slot). */
  onClose?: () => void;
}

export async function runEventsResponse({ hub, run, afterSeq, heartbeatMs, maxLifetimeMs, signal, headers, onClose }: RunEventsResponseOptions): Promise<Response> {
  const runHeaders: Record<string, string> = { ...SSE_HEADERS, 'X-Run-Id': run.id, ...headers };
  // Past the end of a finished run: nothing more will ever come. 204 tells an SSE client to stop.
  if (run.ended && afterSeq >= run.lastSeq) {
    onClose?.();
    return new Response(null, { status: 204, headers: { 'X-Run-Id': run.id } });
  }

  const detach = hub.attach(run.id);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    detach();
    onClose?.();
  };
  try {
    const firstSeq = await run.log.firstSeq();
    if (afterSeq + 1 < firstSeq) runHeaders[RUN_LOG_GAP_HEADER] = formatGapHeader({ runId: run.id, fromSeq: afterSeq + 1, toSeq: firstSeq - 1 });
  } catch (error) {
    close();
    throw error;
  }
  signal?.addEventListener('abort', close, { once: true });
  if (signal?.aborted) close();
  const body = createEventStream({ log: run.log, afterSeq, heartbeatMs, maxLifetimeMs, onClose: close });
  return new Response(body, { status: 200, headers: runHeaders });
}
