import { describe, expect, test } from 'vitest';
import type { EventEnvelope, ProducerEvent } from '../protocol/envelope';
import { reduceEnvelopes, summarizeResult } from '../runs/reducer';
import { featureSeries, steerInputSchema, steerViewOf, trajectoryOf } from './steer';

function envelopes(events: ProducerEvent[]): EventEnvelope[] {
  return events.map((event, i) => ({ v: '1', id: `e${i}`, seq: i + 1, ts: 1000 + i, corrId: 'run', ...event }) as EventEnvelope);
}

const run = envelopes([
  { type: 'gen.token', data: { channel: 'default', token: 'The', index: 0, logprob: -1, topLogprobs: [{ token: 'The', logprob: -1 }] } },
  { type: 'gen.activation', data: { channel: 'default', tokenIndex: 0, features: [{ index: 3, label: 'sea', value: 0.5 }] } },
  { type: 'gen.token', data: { channel: 'steered', token: 'Whale', index: 0, logprob: -2 } },
  { type: 'gen.activation', data: { channel: 'steered', tokenIndex: 0, features: [{ index: 3, label: 'sea', value: 4 }] } },
  { type: 'gen.token', data: { channel: 'default', token: ' end', index: 1 } },
  { type: 'gen.activation', data: { channel: 'default', tokenIndex: 1, features: [{ index: 9, label: 'war', value: 1 }] } },
  { type: 'gen.done', data: { channel: 'default', finishReason: 'complete' } },
  { type: 'gen.done', data: { channel: 'steered', finishReason: 'max_tokens' } },
  { type: 'gen.done', data: { finishReason: 'complete' } },
]);

describe('steer kind', () => {
  test('folds both channels into text, tokens with logprobs, activations and finish reason', () => {
    const result = reduceEnvelopes(run);
    expect(result.status).toBe('done');
    const view = steerViewOf(result.steer!);
    expect(view.default).toEqual({
      text: 'The end',
      tokens: [{ text: 'The', logprob: -1, topLogprobs: [{ token: 'The', logprob: -1 }] }, { text: ' end' }],
      activations: [
        { tokenIndex: 0, features: [{ index: 3, label: 'sea', value: 0.5 }] },
        { tokenIndex: 1, features: [{ index: 9, label: 'war', value: 1 }] },
      ],
      finishReason: 'complete',
    });
    expect(view.steered.text).toBe('Whale');
    expect(view.steered.finishReason).toBe('max_tokens');
  });

  test('the saved summary carries the steer view', () => {
    expect(summarizeResult(reduceEnvelopes(run)).steer?.steered.tokens).toEqual([{ text: 'Whale', logprob: -2 }]);
  });

  test('a chat run has no steer state', () => {
    const chat = envelopes([{ type: 'gen.token', data: { token: 'hi', index: 0 } }, { type: 'gen.done', data: { finishReason: 'stop' } }]);
    expect(reduceEnvelopes(chat).steer).toBeUndefined();
  });

  test('a feature series reads each token of a channel, 0 where the feature was not reported', () => {
    const view = steerViewOf(reduceEnvelopes(run).steer!);
    expect(featureSeries(view.default, 3)).toEqual([0.5, 0]);
  });

  test('the input rejects models other than local:tiny and neuronpedia:*', () => {
    const base = { prompt: 'p', maxTokens: 10, temperature: 0, seed: 1, method: 'SIMPLE_ADDITIVE', features: [] };
    expect(steerInputSchema.safeParse({ ...base, model: 'local:tiny' }).success).toBe(true);
    expect(steerInputSchema.safeParse({ ...base, model: 'neuronpedia:gpt2-small' }).success).toBe(true);
    expect(steerInputSchema.safeParse({ ...base, model: 'openai:gpt-4.1' }).success).toBe(false);
  });

  test('the input caps tokens and features at sane limits', () => {
    const base = { prompt: 'p', model: 'local:tiny', temperature: 0, seed: 1, method: 'SIMPLE_ADDITIVE' };
    expect(steerInputSchema.safeParse({ ...base, maxTokens: 10_000, features: [] }).success).toBe(false);
    expect(steerInputSchema.safeParse({ ...base, maxTokens: 10, features: Array.from({ length: 20 }, (_, index) => ({ index, strength: 1 })) }).success).toBe(false);
  });
});

describe('steer trajectory', () => {
  test('gives one point per token of each channel', () => {
    const view = steerViewOf(reduceEnvelopes(run).steer!);
    const points = trajectoryOf(view);
    expect(points.map((p) => `${p.channel}:${p.tokenIndex}`)).toEqual(['default:0', 'default:1', 'steered:0']);
  });

  test('uses the points the model sent on its fixed plane, where every token has one', () => {
    const withPlane = run.map((e) => (e.type === 'gen.activation' ? ({ ...e, data: { ...e.data, xy: [e.seq, -e.seq] } } as EventEnvelope) : e));
    const points = trajectoryOf(steerViewOf(reduceEnvelopes(withPlane).steer!));
    expect(points.map((p) => [p.channel, p.tokenIndex, p.x, p.y])).toEqual([
      ['default', 0, 2, -2],
      ['default', 1, 6, -6],
      ['steered', 0, 4, -4],
    ]);
  });

  test('puts tokens that differ most along the first component apart on x', () => {
    const view = steerViewOf(reduceEnvelopes(run).steer!);
    const [d0, , s0] = trajectoryOf(view);
    expect(Math.abs(s0!.x - d0!.x)).toBeGreaterThan(1);
  });
});
