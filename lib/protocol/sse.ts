/**
 * Server-Sent Events framing (WHATWG HTML, "Server-sent events", §9.2.5 and §9.2.6).
 *
 * One envelope is one event: `id: <seq>`, `event: <type>`, `data: <envelope JSON>`, blank line.
 * Field values are written so that nothing a user typed can start a new field or event:
 * `id` and `event` refuse line breaks outright, and `data` is split on every line break the
 * spec recognises ("CRLF, LF or CR"), each piece on its own `data:` line, which a conforming
 * parser joins back with LF.
 */
import type { EventEnvelope } from './envelope';

/** The fields of one SSE event. */
export interface SseEvent {
  /** Sets the stream's last event ID. An empty string resets it, as the spec allows. */
  id?: string;
  /** The event type; the browser dispatches `message` when absent. */
  event?: string;
  /** The payload; may hold any text, line breaks included. */
  data: string;
  /** Reconnection time in milliseconds. */
  retry?: number;
}

/** Thrown when a field that cannot hold a line break is given one: a programming error, not input. */
export class SseFieldError extends Error {
  constructor(readonly field: 'id' | 'event', value: string) {
    super(`SSE ${field} must not contain CR or LF: ${JSON.stringify(value)}`);
    this.name = 'SseFieldError';
  }
}

const LINE_BREAK = /\r\n|\r|\n/;

function assertSingleLine(field: 'id' | 'event', value: string): void {
  if (value.includes('\n') || value.includes('\r')) throw new SseFieldError(field, value);
}

/** Formats one event as it goes on the wire, ending with the blank line that dispatches it. */
export function formatSseEvent(event: SseEvent): string {
  let out = '';
  if (event.id !== undefined) {
    // The spec ignores an id containing NULL; refuse it too rather than emit an id that won't stick.
    assertSingleLine('id', event.id);
    if (event.id.includes('\0')) throw new SseFieldError('id', event.id);
    out += event.id === '' ? 'id\n' : `id: ${event.id}\n`;
  }
  if (event.event !== undefined) {
    assertSingleLine('event', event.event);
    out += `event: ${event.event}\n`;
  }
  if (event.retry !== undefined) out += `retry: ${Math.max(0, Math.floor(event.retry))}\n`;
  for (const line of event.data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return out + '\n';
}

/** A comment line: ignored by parsers, keeps proxies and load balancers from idling the connection out. */
export function formatSseComment(text: string): string {
  return text
    .split(LINE_BREAK)
    .map((line) => `: ${line}\n`)
    .join('');
}

/** The heartbeat comment: `: ping <epoch ms>`. */
export function formatHeartbeat(now: number = Date.now()): string {
  return formatSseComment(`ping ${now}`) + '\n';
}

/**
 * Frames an envelope, written directly: every token of every run is framed here once.
 * `JSON.stringify` escapes CR and LF inside strings, so the data is one line and `seq` is a number;
 * the type is checked as {@link formatSseEvent} checks an event name.
 */
export function formatEnvelope(envelope: EventEnvelope): string {
  assertSingleLine('event', envelope.type);
  return `id: ${envelope.seq}\nevent: ${envelope.type}\ndata: ${JSON.stringify(envelope)}\n\n`;
}

/**
 * The envelope in a frame made by {@link formatEnvelope}, which writes the JSON on one `data`
 * line. For logs that keep only frames, never for input from outside: it trusts its frame.
 */
export function envelopeOfFrame(frame: string): EventEnvelope {
  return JSON.parse(jsonOfFrame(frame)) as EventEnvelope;
}

/** The envelope JSON of a frame made by {@link formatEnvelope}: its one `data` line, as written. */
export function jsonOfFrame(frame: string): string {
  const at = frame.indexOf('\ndata: ') + 7;
  return frame.slice(at, frame.indexOf('\n', at));
}

/** Response headers for an SSE stream that no proxy, CDN or compressor may hold back. */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  // nginx and compatible proxies buffer responses unless told not to.
  'X-Accel-Buffering': 'no',
});
