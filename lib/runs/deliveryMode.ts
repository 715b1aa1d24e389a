/**
 * How a run reaches its reader: `streaming` (SSE, envelope by envelope) or `blocking` (the reader
 * waits and gets the whole result once). The `streaming` flag decides, per user, at the moment a
 * run starts: a kill switch or a change in Settings takes effect on the next run, never midway.
 */
import { evaluateStreaming, type StreamingEvaluation } from '../flags/streaming';

export type DeliveryMode = 'streaming' | 'blocking';

export interface DeliveryDecision {
  mode: DeliveryMode;
  evaluation: StreamingEvaluation;
}

/**
 * The delivery mode for a run started by this user. A request without a session (an API client
 * without cookies) is evaluated under a key of its own, so the kill switch, the rollout and the
 * default still apply to it.
 */
export async function decideDeliveryMode({ userId, role, anonymousKey }: { userId?: string; role?: string; anonymousKey: string }): Promise<DeliveryDecision> {
  const evaluation = await evaluateStreaming(userId ? { userId, role } : { userId: `anonymous:${anonymousKey}` });
  return { mode: evaluation.enabled ? 'streaming' : 'blocking', evaluation };
}
