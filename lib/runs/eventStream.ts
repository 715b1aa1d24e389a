/**
 * One reader's SSE byte stream over a run log: replay every entry after `afterSeq`, then follow
 * the log live, until the terminal envelope, the response's maximum lifetime, or the client going
 * away.
 *
 * - Replay and live never race: the reader subscribes first, buffers what arrives while the
 *   replay is read, then sends each seq once, in order.
 * - Frames appended in the same turn of the event loop leave as one chunk (flushed at the end of
 *   the turn, with every other stream's: `./turnFlush.ts`): at thousands of events per second
 *   this is the difference between one write per event and one per turn, and it adds well under
 *   a millisecond of latency.
 * - A slow client gets a bounded buffer. Past it the response is ended early, without a
 *   terminal envelope, and the client resumes from the log with Last-Event-ID: the server's
 *   memory does not grow with a client's slowness.
 * - A response ends after `maxLifetimeMs` (hosting platforms cut long responses); the client
 *   resumes without the user noticing.
 * - A jump in seq (the log no longer holds what the reader asked for, or a shared log lost
 *   entries) is announced with a `log_gap` status envelope before the entry after it: a reader is
 *   never served a hole silently.
 * - If a shared log's live delivery breaks off for good, the response ends without a terminal and
 *   the client resumes, possibly on another instance.
 */
import { isTerminal } from '../protocol/envelope';
import { formatHeartbeat } from '../protocol/sse';
import { gapNotice } from './logGap';
import { cancelFlush, flushAtEndOfTurn } from './turnFlush';
import type { LogEntry, RunLog } from './runLog';

export interface EventStreamOptions {
  log: RunLog;
  /** Send entries with a greater seq (the client's Last-Event-ID; 0 for everything). */
  afterSeq: number;
  /** Interval of `: ping` comments. */
  heartbeatMs: number;
  /** The response ends after this long, without a terminal; the client resumes. */
  maxLifetimeMs: number;
  /** Bytes queued for a slow client before its response is ended. */
  maxBufferedBytes?: number;
  /** Called once when the stream closes for any reason. */
  onClose?: (why: 'terminal' | 'lifetime' | 'client' | 'backpressure' | 'error') => void;
}

const encoder = new TextEncoder();

export function createEventStream(options: EventStreamOptions): ReadableStream<Uint8Array> {
  const maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  let cleanup: (why: Parameters<NonNullable<EventStreamOptions['onClose']>>[0]) => void = () => undefined;

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false;
        let lastSent = options.afterSeq;
        let pending = '';
        let replaying = true;
        const buffered: LogEntry[] = [];

        const flush = () => {
          if (closed || pending === '') return;
          controller.enqueue(encoder.encode(pending));
          pending = '';
          if ((controller.desiredSize ?? 0) < -maxBuffered) finish('backpressure');
        };

        const write = (text: string) => {
          if (pending === '') flushAtEndOfTurn(flush);
          pending += text;
        };

        const send = (entry: LogEntry) => {
          if (closed || entry.envelope.seq <= lastSent) return;
          if (entry.envelope.seq > lastSent + 1) {
            write(gapNotice({ runId: entry.envelope.corrId, fromSeq: lastSent + 1, toSeq: entry.envelope.seq - 1 }).frame);
          }
          lastSent = entry.envelope.seq;
          write(entry.frame);
          if (isTerminal(entry.envelope)) finish('terminal');
        };

        const finish = (why: Parameters<NonNullable<EventStreamOptions['onClose']>>[0]) => {
          if (closed) return;
          if (why === 'terminal' || why === 'lifetime' || why === 'error') {
            // Let what is pending leave before closing.
            cancelFlush(flush);
            if (pending !== '') controller.enqueue(encoder.encode(pending));
            pending = '';
          }
          cleanup(why);
          if (why !== 'client') {
            try {
              controller.close();
            } catch {
              // Already closed by the consumer.
            }
          }
        };

        const unsubscribe = options.log.subscribe(
          (entry) => {
            if (replaying) buffered.push(entry);
            else send(entry);
          },
          () => finish('error'),
        );
        const heartbeat = setInterval(() => write(formatHeartbeat()), options.heartbeatMs);
        const lifetime = setTimeout(() => finish('lifetime'), options.maxLifetimeMs);

        cleanup = (why) => {
          if (closed) return;
          closed = true;
          unsubscribe();
          clearInterval(heartbeat);
          clearTimeout(lifetime);
          cancelFlush(flush);
          options.onClose?.(why);
        };

        options.log.readAfter(options.afterSeq).then(
          (replay) => {
            for (const entry of replay) send(entry);
            replaying = false;
            for (const entry of buffered.splice(0)) send(entry);
          },
          () => finish('error'),
        );
      },
      cancel() {
        cleanup('client');
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}
