/**
 * The run endpoints' answers as the run stream client reads them: where a run's events and
 * result live, the POST's blocking answer, the result URL's answers, HTTP error bodies and
 * `Retry-After`. The blocking result is the server reducer's object (`lib/runs/reducer.ts`); its
 * outer shape is declared here so that the protocol depends on nothing in `lib/runs`.
 */
import { z } from 'zod';
import type { EventEnvelope } from './envelope';
import type { RunStreamError, RunStreamFieldError } from './runStreamTypes';

const runResultStatusSchema = z.enum(['running', 'done', 'error', 'cancelled']);

/** The outer shape of a finished run's result, as the result URL hands it over. */
export interface BlockingRunResult {
  status: z.infer<typeof runResultStatusSchema>;
  lastSeq: number;
  generations: Record<string, unknown>;
  error?: Extract<EventEnvelope, { type: 'error' }>['data'];
}

/** Builds `<prefix>/runs/:id/events` from a `…/runs` URL, else `/api/runs/:id/events` on the same origin. */
export function defaultEventsUrl(url: string, runId: string): string {
  const base = url.split(/[?#]/)[0] ?? url;
  const id = encodeURIComponent(runId);
  const runs = /^(.*\/runs)(?:\/[^/]+\/events)?\/?$/.exec(base);
  if (runs?.[1]) return `${runs[1]}/${id}/events`;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.exec(base)?.[0] ?? '';
  return `${origin}/api/runs/${id}/events`;
}

/** `<…>/runs/:id/result`, beside the events URL. */
export function resultUrlOf(eventsUrl: string): string {
  return eventsUrl.replace(/\/events$/, '/result');
}

/** The POST's answer when the run is delivered blocking. */
export const blockingStartSchema = z.object({ runId: z.string().min(1), mode: z.literal('blocking') });

/**
 * The result URL's answers. The result is the server reducer's object: its outer shape is checked
 * here, its contents are what the server folded from validated envelopes.
 */
export const resultAnswerSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('done'),
    runId: z.string(),
    result: z.looseObject({ status: runResultStatusSchema, lastSeq: z.number(), generations: z.record(z.string(), z.unknown()) }),
  }),
  z.object({
    state: z.literal('running'),
    runId: z.string(),
    progress: z.object({ lastSeq: z.number(), statusMessage: z.string().optional(), tokenCount: z.number(), elapsedMs: z.number() }),
  }),
]);

/** `Retry-After` is delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Reads an error answer `{error: {code, message, fieldErrors?}}`, tolerating any other body. */
export async function readHttpError(response: Response): Promise<RunStreamError> {
  let code = `http_${response.status}`;
  let message = response.statusText || `Request failed with status ${response.status}`;
  let fieldErrors: RunStreamFieldError[] | undefined;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown; fieldErrors?: unknown } };
    if (typeof body?.error?.code === 'string') code = body.error.code;
    if (typeof body?.error?.message === 'string') message = body.error.message;
    if (Array.isArray(body?.error?.fieldErrors)) {
      fieldErrors = body.error.fieldErrors.filter(
        (f): f is RunStreamFieldError => typeof f?.path === 'string' && typeof f?.message === 'string',
      );
    }
  } catch {
    // Not JSON: keep the status line.
  }
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  return { code, message, httpStatus: response.status, fieldErrors, retryAfterMs };
}
