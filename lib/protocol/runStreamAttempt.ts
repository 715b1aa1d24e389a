/**
 * The run stream client's SSE attempt: one request (the starting POST, or `GET <runs>/:id/events`
 * with `Last-Event-ID` on resume) read to its end, its events handed to the session. It reports
 * how it ended so the retry loop (`runStreamClient.ts`) can decide what comes next; a POST answered
 * `201 {mode: 'blocking'}` switches the session to polling.
 */
import { createParser } from 'eventsource-parser';
import { blockingStartSchema, readHttpError } from './runResponses';
import { errorMessage, Interrupted, type AttemptResult, type StreamSession } from './runStreamSession';

/** One request, read to its end. */
export async function sseAttempt(session: StreamSession, controller: AbortController): Promise<AttemptResult> {
  const { options, emitStatus, learnRunId, live } = session;
  const runId = session.runId;
  const idleTimeoutMs = session.idleTimeoutMs;
  const useEvents = runId !== undefined || options.method !== 'POST';
  const url = runId !== undefined ? session.eventsUrl(runId) : options.url;
  const headers: Record<string, string> = { Accept: 'text/event-stream', ...options.headers };
  if (session.lastSeq > 0) headers['Last-Event-ID'] = String(session.lastSeq);
  const init: RequestInit = { method: useEvents ? 'GET' : 'POST', headers, signal: controller.signal, cache: 'no-store' };
  if (!useEvents) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body ?? {});
  }

  let response: Response;
  try {
    response = await session.doFetch(url, init);
  } catch (cause) {
    if (controller.signal.aborted) throw new Interrupted();
    return { outcome: 'failed', error: { code: 'network', message: errorMessage(cause) }, progressed: false };
  }

  learnRunId(response.headers.get('x-run-id'));

  if (response.status === 204) {
    await response.body?.cancel().catch(() => {});
    emitStatus('done');
    return { outcome: 'final' };
  }
  if (!response.ok) {
    const error = await readHttpError(response);
    // A refused start is the user's to retry (after the countdown); a refused resume waits and retries.
    if (response.status === 429 && useEvents) return { outcome: 'failed', error, waitMs: error.retryAfterMs, progressed: false };
    if (response.status >= 500) return { outcome: 'failed', error, progressed: false };
    emitStatus('error', { error });
    return { outcome: 'final' };
  }
  const contentType = response.headers.get('content-type');
  if (!useEvents && contentType?.includes('application/json')) {
    const start = blockingStartSchema.safeParse(await response.json().catch(() => null));
    if (start.success) {
      learnRunId(start.data.runId);
      session.markBlocking();
      emitStatus('waiting');
      return { outcome: 'ended' };
    }
    emitStatus('error', { error: { code: 'bad_response', message: 'Expected an event stream or a blocking run, got other JSON', httpStatus: response.status } });
    return { outcome: 'final' };
  }
  if (!response.body || (contentType && !contentType.includes('text/event-stream'))) {
    await response.body?.cancel().catch(() => {});
    emitStatus('error', {
      error: { code: 'bad_response', message: `Expected an event stream, got ${contentType ?? 'no body'}`, httpStatus: response.status },
    });
    return { outcome: 'final' };
  }

  emitStatus('streaming');
  let progressed = false;
  const parser = createParser({
    onEvent: (event) => {
      if (!live()) return;
      if (session.handleEvent(event)) progressed = true;
    },
  });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let idled = false;
  // One timer for the whole stream, not one per chunk (a fast model sends hundreds a second):
  // a chunk only notes the time, and the timer, when it fires early, waits out the rest.
  let lastChunkAt = performance.now();
  const checkIdle = () => {
    const quietMs = performance.now() - lastChunkAt;
    if (quietMs < idleTimeoutMs) {
      idleTimer = setTimeout(checkIdle, idleTimeoutMs - quietMs);
      return;
    }
    idled = true;
    void reader.cancel().catch(() => {});
  };
  const armIdle = () => {
    if (idleTimeoutMs <= 0) return;
    lastChunkAt = performance.now();
    idleTimer ??= setTimeout(checkIdle, idleTimeoutMs);
  };
  // Every fetch errors the body on abort, but not every fetch-like function does: cancel the read too.
  const cancelRead = () => void reader.cancel().catch(() => {});
  controller.signal.addEventListener('abort', cancelRead, { once: true });
  try {
    armIdle();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      armIdle();
      parser.feed(decoder.decode(value, { stream: true }));
      if (!live()) break;
    }
    parser.feed(decoder.decode());
  } catch (cause) {
    if (!live()) return { outcome: 'final' };
    if (controller.signal.aborted) throw new Interrupted();
    return { outcome: 'failed', error: { code: 'network', message: errorMessage(cause) }, progressed };
  } finally {
    clearTimeout(idleTimer);
    controller.signal.removeEventListener('abort', cancelRead);
    reader.releaseLock();
  }
  if (!live()) {
    controller.abort();
    return { outcome: 'final' };
  }
  if (controller.signal.aborted) throw new Interrupted();
  if (idled) return { outcome: 'failed', error: { code: 'idle', message: 'The stream went quiet' }, progressed };
  // Ended without the terminal envelope: the server's lifetime limit, a proxy, a restart.
  if (progressed) return { outcome: 'ended' };
  return { outcome: 'failed', error: { code: 'ended', message: 'The stream ended before the run did' }, progressed };
}
