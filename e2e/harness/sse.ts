/**
 * Test-side SSE reading: fetch a stream to its end and return the raw text and the parsed
 * envelopes. Requests carry the test's session for that server (see session.ts) unless they send
 * a Cookie of their own.
 */
import { createParser } from 'eventsource-parser';
import type { EventEnvelope } from '../../lib/protocol/envelope';
import { appFetch } from './session';

export interface SseRead {
  status: number;
  headers: Headers;
  text: string;
  envelopes: EventEnvelope[];
}

export async function readSse(url: string, init: RequestInit = {}): Promise<SseRead> {
  const response = await appFetch(url, { ...init, headers: { Accept: 'text/event-stream', ...init.headers } });
  const envelopes: EventEnvelope[] = [];
  const parser = createParser({ onEvent: (event) => envelopes.push(JSON.parse(event.data)) });
  let text = '';
  if (response.body) {
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const piece = decoder.decode(chunk, { stream: true });
      text += piece;
      parser.feed(piece);
    }
  }
  return { status: response.status, headers: response.headers, text, envelopes };
}

/** Reads a stream until `until` returns true for an envelope, then aborts the connection. */
export async function readSseUntil(url: string, until: (envelope: EventEnvelope) => boolean, init: RequestInit = {}): Promise<EventEnvelope[]> {
  const controller = new AbortController();
  const response = await appFetch(url, { ...init, signal: controller.signal, headers: { Accept: 'text/event-stream', ...init.headers } });
  const envelopes: EventEnvelope[] = [];
  let stop = false;
  const parser = createParser({
    onEvent: (event) => {
      const envelope = JSON.parse(event.data) as EventEnvelope;
      envelopes.push(envelope);
      if (until(envelope)) stop = true;
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      if (stop) break;
    }
  } finally {
    controller.abort();
  }
  return envelopes;
}

export function tokensOf(envelopes: EventEnvelope[]): string {
  return envelopes.flatMap((e) => (e.type === 'gen.token' ? [e.data.token] : [])).join('');
}

export function startRun(appUrl: string, input: { prompt?: string; model: string }, accept = 'application/json'): Promise<Response> {
  return appFetch(`${appUrl}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: accept },
    body: JSON.stringify({ kind: 'chat', input: { prompt: 'Say something.', ...input } }),
  });
}

export async function startRunId(appUrl: string, input: { prompt?: string; model: string }): Promise<string> {
  const response = await startRun(appUrl, input);
  if (response.status !== 201) throw new Error(`POST /api/runs answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { runId: string }).runId;
}
