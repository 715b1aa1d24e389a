/**
 * The run stream client's blocking poll: one long poll of a blocking run's result URL
 * (`GET <runs>/:id/result?waitMs=`). A `202` reports progress (`onProgress`), the `200` hands over
 * the whole result (`onResult`) and ends the stream with the result's ending.
 */
import { readHttpError, resultAnswerSchema, resultUrlOf, type BlockingRunResult } from './runResponses';
import { errorMessage, Interrupted, type AttemptResult, type StreamSession } from './runStreamSession';
import type { RunStreamError } from './runStreamTypes';

/** One poll of a blocking run's result URL. */
export async function pollResult(session: StreamSession, controller: AbortController): Promise<AttemptResult> {
  const { options, emitStatus } = session;
  const url = `${resultUrlOf(session.eventsUrl(session.runId!))}?waitMs=${session.pollWaitMs}`;
  let response: Response;
  let body: unknown;
  try {
    response = await session.doFetch(url, { headers: { Accept: 'application/json', ...options.headers }, signal: controller.signal, cache: 'no-store' });
    if (!response.ok) {
      const error = await readHttpError(response);
      if (response.status === 429 || response.status >= 500) return { outcome: 'failed', error, waitMs: error.retryAfterMs, progressed: false };
      emitStatus('error', { error });
      return { outcome: 'final' };
    }
    body = await response.json();
  } catch (cause) {
    if (controller.signal.aborted) throw new Interrupted();
    return { outcome: 'failed', error: { code: 'network', message: errorMessage(cause) }, progressed: false };
  }
  const answer = resultAnswerSchema.safeParse(body);
  if (!answer.success) {
    emitStatus('error', { error: { code: 'bad_response', message: 'The result URL answered with something that is not a run result', httpStatus: response.status } });
    return { outcome: 'final' };
  }
  if (answer.data.state === 'running') {
    emitStatus('waiting');
    if (session.live()) options.onProgress?.(answer.data.progress);
    return { outcome: 'ended' };
  }
  const result = answer.data.result as BlockingRunResult;
  session.lastSeq = Math.max(session.lastSeq, result.lastSeq);
  if (session.live()) options.onResult?.(result);
  if (result.status === 'done' || result.status === 'running') emitStatus('done');
  else {
    const envelope = result.error;
    const error: RunStreamError = envelope
      ? { code: envelope.code, message: envelope.message, envelope }
      : { code: result.status, message: result.status === 'cancelled' ? 'The run was cancelled.' : 'The run failed.' };
    emitStatus(result.status, { error });
  }
  return { outcome: 'final' };
}
