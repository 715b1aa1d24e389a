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
 * - A replay is read from the log in pieces (`replayChunk` entries), the next one only once the
 *   client has taken the last (the stream's queue is below its high-water mark): a client
 *   resuming from `Last-Event-ID: 0` on a long log, or fifty of them, holds a piece each, never
 *   the whole backlog. Live entries arriving meanwhile are kept only up to a piece too; past it
 *   they are dropped from the buffer and read back from the log, where they already are.
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
  /** Entries a replay reads from the log at a time. Default 256. */
  replayChunk?: number;
  /** Called once when the stream closes for any reason. */
  onClose?: (why: 'terminal' | 'lifetime' | 'client' | 'backpressure' | 'error') => void;
}

const encoder = new TextEncoder();

export function createEventStream(options: EventStreamOptions): ReadableStream<Uint8Array> {
  const maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
  const replayChunk = Math.max(1, options.replayChunk ?? 256);
  let cleanup: (why: Parameters<NonNullable<EventStreamOptions['onClose']>>[0]) => void = () => undefined;
  /** Wakes a replay waiting for the client to take what was sent (called by `pull`, and on close). */
  let wakeReplay: (() => void) | undefined;

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let closed = false;
        let lastSent = options.afterSeq;
        let pending = '';
        let replaying = true;
        const buffered: LogEntry[] = [];
        /** Bumped whenever live entries are dropped from `buffered` (the replay must read on past them). */
        let droppedLive = 0;

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
            if (!replaying) return send(entry);
            buffered.push(entry);
            // It is in the log already: the replay reads it back rather than this buffer growing.
            if (buffered.length > replayChunk) {
              buffered.length = 0;
              droppedLive += 1;
            }
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
          wakeReplay?.();
          options.onClose?.(why);
        };

        /** Resolves once the client has room for more (at once if it has), or the stream closed. */
        const clientTookIt = (): Promise<void> => {
          cancelFlush(flush);
          flush();
          if (closed || (controller.desiredSize ?? 0) > 0) return Promise.resolve();
          return new Promise((resolve) => (wakeReplay = resolve));
        };

        const replay = async () => {
          for (;;) {
            const dropsBefore = droppedLive;
            const sentBefore = lastSent;
            const piece = await options.log.readAfter(lastSent, replayChunk);
            if (closed) return;
            for (const entry of piece) send(entry);
            if (closed) return;
            // The end of what the log holds, with nothing dropped from the live buffer since: go live.
            // (A piece that moved nothing on is a log with no more to give, too.)
            if ((piece.length < replayChunk && droppedLive === dropsBefore) || lastSent === sentBefore) break;
            await clientTookIt();
            wakeReplay = undefined;
            if (closed) return;
          }
          replaying = false;
          for (const entry of buffered.splice(0)) send(entry);
        };
        replay().catch(() => finish('error'));
      },
      pull() {
        wakeReplay?.();
      },
      cancel() {
        cleanup('client');
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}
