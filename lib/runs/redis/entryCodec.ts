/**
 * How a log entry is stored in a Redis stream: one field, `d`, holding the envelope's JSON. The
 * SSE frame is rebuilt around that same string, so a frame read back is byte for byte the one
 * the producer framed (`formatEnvelope` writes `JSON.stringify(envelope)` as the data line).
 */
import type { EventEnvelope } from '../../protocol/envelope';
import { formatSseEvent, jsonOfFrame } from '../../protocol/sse';
import type { LogEntry } from '../runLog';

export const DATA_FIELD = 'd';

/** The stream entry id of a seq: entry ids are the seqs themselves, so XRANGE can start at any seq. */
export function streamId(seq: number): string {
  return `${seq}-0`;
}

/** An entry from the envelope JSON as stored (or published). */
export function decodeEntry(json: string): LogEntry {
  const envelope = JSON.parse(json) as EventEnvelope;
  return { envelope, frame: formatSseEvent({ id: String(envelope.seq), event: envelope.type, data: json }) };
}

/** What XRANGE answers: `[id, [field, value, ...]]` per entry. */
export type StreamEntries = [id: string, fields: string[]][];

export function decodeStreamEntries(entries: StreamEntries): LogEntry[] {
  const decoded: LogEntry[] = [];
  for (const [, fields] of entries) {
    const at = fields.indexOf(DATA_FIELD);
    const json = at >= 0 ? fields[at + 1] : undefined;
    if (json !== undefined) decoded.push(decodeEntry(json));
  }
  return decoded;
}

/** The JSON to store for an entry: its frame's data line, taken as it is rather than written again. */
export function encodeEntry(entry: LogEntry): string {
  return jsonOfFrame(entry.frame);
}
