// The SSE response of one reader: headers, the 204 past the end, and the gap header when the log
// no longer holds where the reader resumes.
import { describe, expect, test } from 'vitest';
import type { Run } from './hub';
import { createRunResult } from './reducer';
import { createMemoryRunLog, type RunLog } from './runLog';
import { runEventsResponse } from './runEventsResponse';
import { readStream, testEntry as entry } from './testing';


/** A finished run whose log holds seqs `first`..`last` (the last one the terminal). */
async function finishedRun(first: number, last: number): Promise<Run> {
  const memory = createMemoryRunLog();
  for (let seq = first; seq < last; seq++) await memory.append(entry(seq));
  await memory.append(entry(last, 'gen.done'));
  const log: RunLog = {
    ...memory,
    readAfter: async (afterSeq) => (await memory.readAfter(0)).filter((e) => e.envelope.seq > afterSeq),
    firstSeq: async () => first,
  };
  return { id: 'run-1', kind: 'test', ownerId: null, createdAt: 1, log, result: createRunResult(), lastSeq: last, ended: true, finished: Promise.resolve() };
}

const readers = { attach: () => () => undefined };
const options = { hub: readers, heartbeatMs: 60_000, maxLifetimeMs: 60_000 };

describe('run events response', () => {
  test('names the missing seqs in X-Run-Log-Gap when the reader resumes before the oldest entry held', async () => {
    const response = await runEventsResponse({ ...options, run: await finishedRun(8, 12), afterSeq: 3 });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-run-log-gap')).toBe('4-7');
    const { envelopes } = await readStream(response.body!);
    expect(envelopes.map((e) => e.seq)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(envelopes[0]).toMatchObject({ type: 'status', data: { code: 'log_gap' } });
  });

  test('has no gap header when the log holds everything after the reader’s position', async () => {
    const response = await runEventsResponse({ ...options, run: await finishedRun(8, 12), afterSeq: 7 });

    expect(response.headers.get('x-run-log-gap')).toBeNull();
    expect((await readStream(response.body!)).envelopes.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
  });

  test('answers 204 to a reader already past the end of a finished run, and registers no reader', async () => {
    let attached = 0;
    const response = await runEventsResponse({ ...options, hub: { attach: () => ((attached += 1), () => undefined) }, run: await finishedRun(1, 3), afterSeq: 3 });

    expect(response.status).toBe(204);
    expect(attached).toBe(0);
  });
});
