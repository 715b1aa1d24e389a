/**
 * Telling a reader that part of a run's log is gone, rather than serving a stream with a hole.
 *
 * A log can lose entries: Redis trims a long run's stream to RUN_LOG_MAXLEN, and a finished run's
 * log expires. A client resuming from a position before the oldest entry left would otherwise get
 * a stream that silently jumps. Instead (as Mercure reconciles a `Last-Event-ID` it no longer
 * holds) the response carries an `X-Run-Log-Gap: <from>-<to>` header naming the missing seqs, and
 * the stream opens with a `status` envelope `{state: 'info', code: 'log_gap'}`.
 *
 * The notice takes the seq of the last missing entry: it is the reader's new position, so a client
 * that drops right after it resumes past the gap instead of being told again, and its seq
 * de-duplication accepts it (it is greater than anything the client had).
 */
import { randomUUID } from 'node:crypto';
import { ENVELOPE_VERSION, LOG_GAP_CODE, type EventEnvelope } from '../protocol/envelope';
import { formatEnvelope } from '../protocol/sse';
import type { LogEntry } from './runLog';

/** The response header naming the seqs a resumed stream lacks, `<from>-<to>` inclusive. */
export const RUN_LOG_GAP_HEADER = 'X-Run-Log-Gap';


export interface LogGap {
  runId: string;
  /** First missing seq. */
  fromSeq: number;
  /** Last missing seq. */
  toSeq: number;
}

/** The `X-Run-Log-Gap` header value. */
export function formatGapHeader({ fromSeq, toSeq }: LogGap): string {
  return `${fromSeq}-${toSeq}`;
}

/** The `status` envelope that tells a reader entries `fromSeq`..`toSeq` are gone, framed for SSE. */
export function gapNotice(gap: LogGap): LogEntry {
  const missing = gap.toSeq - gap.fromSeq + 1;
  const envelope: EventEnvelope = {
    v: ENVELOPE_VERSION,
    id: randomUUID(),
    type: 'status',
    seq: gap.toSeq,
    ts: Date.now(),
    corrId: gap.runId,
    data: {
      state: 'info',
      code: LOG_GAP_CODE,
      message:
        missing === 1
          ? `Event ${gap.fromSeq} is no longer in the run's log; the stream goes on from ${gap.toSeq + 1}.`
          : `Events ${gap.fromSeq} to ${gap.toSeq} are no longer in the run's log; the stream goes on from ${gap.toSeq + 1}.`,
    },
  };
  return { envelope, frame: formatEnvelope(envelope) };
}
