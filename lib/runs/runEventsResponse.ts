/**
 * The SSE response for one reader of a run: status and headers, the byte stream from
 * `createEventStream`, and the reader's registration with the hub (a run nobody reads is
 * cancelled after the grace period).
 */
import { SSE_HEADERS } from '../protocol/sse';
import { createEventStream } from './eventStream';
import type { Run, RunHub } from './hub';

export interface RunEventsResponseOptions {
  hub: RunHub;
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

export function runEventsResponse({ hub, run, afterSeq, heartbeatMs, maxLifetimeMs, signal, headers, onClose }: RunEventsResponseOptions): Response {
  const runHeaders = { ...SSE_HEADERS, 'X-Run-Id': run.id, ...headers };
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
  signal?.addEventListener('abort', close, { once: true });
  const body = createEventStream({ log: run.log, afterSeq, heartbeatMs, maxLifetimeMs, onClose: close });
  return new Response(body, { status: 200, headers: runHeaders });
}
