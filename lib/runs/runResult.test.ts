import { afterEach, describe, expect, test } from 'vitest';
import { createRunHub } from './hub';
import { generationText, reduceEnvelopes } from './reducer';
import { waitForRunResult } from './runResult';
import { gatedProducer, tokenProducer } from './testing';

const hub = createRunHub({ graceMs: 60_000, maxDurationMs: 60_000, retentionMs: 60_000 });
afterEach(() => hub.shutdown());

describe('waitForRunResult', () => {
  test('returns the whole result once the run ends: the same object the log folds into', async () => {
    const run = hub.start({ kind: 'test', input: null, producer: tokenProducer(5, 2) });
    const answer = await waitForRunResult(run, { waitMs: 5_000 });
    expect(answer.state).toBe('done');
    const folded = reduceEnvelopes((await run.log.readAfter(0)).map((e) => e.envelope));
    expect(answer.state === 'done' && answer.result).toEqual(folded);
    expect(answer.state === 'done' && generationText(answer.result.generations.main)).toBe('t1 t2 t3 t4 t5 ');
  });

  test('answers with progress when the run is still going after the wait', async () => {
    const gate = gatedProducer();
    const run = hub.start({ kind: 'test', input: null, producer: gate.producer });
    gate.push({ type: 'status', data: { state: 'running', message: 'Thinking' } });
    const answer = await waitForRunResult(run, { waitMs: 20 });
    expect(answer).toMatchObject({ state: 'running', progress: { lastSeq: 1, statusMessage: 'Thinking', tokenCount: 0 } });
  });

  test('progress counts the tokens produced so far', async () => {
    const gate = gatedProducer();
    const run = hub.start({ kind: 'test', input: null, producer: gate.producer });
    gate.push({ type: 'gen.token', data: { token: 'a', index: 0 } });
    gate.push({ type: 'gen.token', data: { token: 'b', index: 1 } });
    gate.push({ type: 'gen.reasoning', data: { text: 'hm' } });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const answer = await waitForRunResult(run, { waitMs: 0 });
    expect(answer.state === 'running' && answer.progress.tokenCount).toBe(2);
    expect(answer.state === 'running' && answer.progress.elapsedMs).toBeGreaterThanOrEqual(0);
  });
});
