import { describe, expect, test } from 'vitest';
import type { EventEnvelope } from '../protocol/envelope';
import { applyEnvelope, createRunResult, generationText, reduceEnvelopes, summarizeResult } from './reducer';

let seq = 0;
function env<T extends EventEnvelope['type']>(type: T, data: Extract<EventEnvelope, { type: T }>['data'], at = ++seq): EventEnvelope {
  return { v: '1', id: `e${at}`, type, seq: at, ts: 1000 + at, corrId: 'run', data } as EventEnvelope;
}

describe('reducer', () => {
  test('joins token chunks into the answer text', () => {
    seq = 0;
    const result = reduceEnvelopes([env('gen.token', { token: 'Hel', index: 0 }), env('gen.token', { token: 'lo', index: 1 })]);
    expect(generationText(result.generations.main)).toBe('Hello');
    expect(result.generations.main?.tokenCount).toBe(2);
  });

  test('keeps reasoning apart from the answer', () => {
    seq = 0;
    const result = reduceEnvelopes([env('gen.reasoning', { text: 'think' }), env('gen.token', { token: 'answer', index: 0 })]);
    expect(result.generations.main?.reasoning).toEqual(['think']);
    expect(generationText(result.generations.main)).toBe('answer');
  });

  test('ignores an envelope whose seq it has already applied', () => {
    seq = 0;
    const first = env('gen.token', { token: 'a', index: 0 });
    const result = createRunResult();
    expect(applyEnvelope(result, first)).toBe(true);
    expect(applyEnvelope(result, first)).toBe(false);
    expect(generationText(result.generations.main)).toBe('a');
  });

  test('gen.done completes the run with its finish reason and usage', () => {
    seq = 0;
    const result = reduceEnvelopes([env('gen.token', { token: 'a', index: 0 }), env('gen.done', { finishReason: 'stop', usage: { outputTokens: 1 } })]);
    expect(result.status).toBe('done');
    expect(result.generations.main).toMatchObject({ finishReason: 'stop', usage: { outputTokens: 1 } });
    expect(result.endedAt).toBe(1002);
  });

  test('a cancelled error marks the run cancelled and keeps the partial output', () => {
    seq = 0;
    const result = reduceEnvelopes([env('gen.token', { token: 'part', index: 0 }), env('error', { code: 'cancelled', message: 'Stopped', reason: 'user' })]);
    expect(result.status).toBe('cancelled');
    expect(generationText(result.generations.main)).toBe('part');
  });

  test('any other error marks the run failed', () => {
    seq = 0;
    const result = reduceEnvelopes([env('error', { code: 'provider:auth', message: 'bad key' })]);
    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('bad key');
  });

  test('channel-tagged events build separate generations and do not end the run', () => {
    seq = 0;
    const result = reduceEnvelopes([
      env('gen.token', { token: 'a', index: 0, channel: 'default' }),
      env('gen.token', { token: 'b', index: 0, channel: 'steered' }),
      env('gen.done', { finishReason: 'max_tokens', channel: 'default' }),
    ]);
    expect(generationText(result.generations.default)).toBe('a');
    expect(generationText(result.generations.steered)).toBe('b');
    expect(result.status).toBe('running');
  });

  test('metrics merge and status codes accumulate', () => {
    seq = 0;
    const result = reduceEnvelopes([
      env('metrics', { ttftMs: 12 }),
      env('metrics', { tokens: 3 }),
      env('status', { state: 'info', code: 'log_gap', message: 'gap' }),
    ]);
    expect(result.metrics).toEqual({ ttftMs: 12, tokens: 3 });
    expect(result.statusCodes).toEqual(['log_gap']);
    expect(result.statusMessage).toBe('gap');
  });

  test('the summary is plain JSON with text joined', () => {
    seq = 0;
    const summary = summarizeResult(reduceEnvelopes([env('gen.token', { token: 'x', index: 0 }), env('gen.done', { finishReason: 'stop' })]));
    expect(JSON.parse(JSON.stringify(summary))).toMatchObject({ status: 'done', generations: { main: { text: 'x', finishReason: 'stop' } } });
  });
});
