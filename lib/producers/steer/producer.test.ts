import { describe, expect, test } from 'vitest';
import type { SteerInput } from '../../kinds/steer';
import type { ProducerEvent } from '../../protocol/envelope';
import type { SteerEngine, SteerEngineOptions, SteerEngineToken, SteerFinishReason } from './engine';
import { createSteerProducer } from './producer';

interface FakeEngineScript {
  /** Tokens per generation: default and steered. */
  tokens: { default: number; steered: number };
  finishReason?: { default: SteerFinishReason; steered: SteerFinishReason };
  /** Never ends on its own (for cancel tests). */
  endless?: boolean;
}

/** A fake engine: default tokens read `d<i>`, steered `s<i>`; records its calls and closes. */
function fakeEngine(script: FakeEngineScript) {
  const calls: SteerEngineOptions[] = [];
  const closed: string[] = [];
  const engine: SteerEngine = {
    async *generate(options) {
      calls.push(options);
      const channel = options.steering ? 'steered' : 'default';
      const count = script.endless ? Number.POSITIVE_INFINITY : script.tokens[channel];
      try {
        for (let i = 0; i < count; i++) {
          await new Promise((resolve) => setImmediate(resolve));
          if (options.signal?.aborted) throw new DOMException('aborted', 'AbortError');
          const token: SteerEngineToken = {
            tokenIndex: i,
            id: i,
            text: `${channel[0]}${i} `,
            logprob: -0.5,
            topLogprobs: [{ token: 'x', logprob: -0.5 }],
            features: [{ index: 7, value: channel === 'steered' ? 3 : 1 }, { index: 99, value: 0.25 }],
          };
          yield token;
        }
      } finally {
        closed.push(channel);
      }
      return { finishReason: script.finishReason?.[channel] ?? 'max_tokens' };
    },
    async loadFeatures() {
      return [{ index: 7, label: 'whale / sea', density: 0.01, topTokens: ['whale'], dead: false }];
    },
  };
  return { engine, calls, closed };
}

const input: SteerInput = {
  prompt: 'The ship',
  model: 'local:tiny',
  maxTokens: 3,
  temperature: 0.7,
  seed: 42,
  method: 'SIMPLE_ADDITIVE',
  strengthMultiplier: 2,
  features: [{ index: 7, strength: 5 }],
};

async function collect(events: AsyncIterable<ProducerEvent>, stopAfter?: (e: ProducerEvent[]) => boolean): Promise<ProducerEvent[]> {
  const out: ProducerEvent[] = [];
  for await (const event of events) {
    out.push(event);
    if (stopAfter?.(out)) break;
  }
  return out;
}

function tokenChannels(events: ProducerEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'gen.token' ? [e.data.channel ?? '?'] : []));
}

describe('steer producer on the embedded engine', () => {
  test('runs two generations with the same seed, steering only the steered one', async () => {
    const { engine, calls } = fakeEngine({ tokens: { default: 3, steered: 3 } });
    await collect(createSteerProducer({ engine })(input, { runId: 'r', signal: new AbortController().signal }));
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.seed)).toEqual([42, 42]);
    expect(calls.filter((c) => c.steering === undefined)).toHaveLength(1);
    expect(calls.find((c) => c.steering)?.steering).toEqual({ method: 'SIMPLE_ADDITIVE', strengthMultiplier: 2, features: [{ index: 7, strength: 5 }] });
    expect(calls.every((c) => c.watchFeatures?.includes(7))).toBe(true);
  });

  test('interleaves the two channels token by token', async () => {
    const { engine } = fakeEngine({ tokens: { default: 3, steered: 3 } });
    const events = await collect(createSteerProducer({ engine })(input, { runId: 'r', signal: new AbortController().signal }));
    expect(tokenChannels(events)).toEqual(['default', 'steered', 'default', 'steered', 'default', 'steered']);
  });

  test('a channel that ends early drops out and the other streams on', async () => {
    const { engine } = fakeEngine({ tokens: { default: 1, steered: 3 }, finishReason: { default: 'complete', steered: 'max_tokens' } });
    const events = await collect(createSteerProducer({ engine })(input, { runId: 'r', signal: new AbortController().signal }));
    expect(tokenChannels(events)).toEqual(['default', 'steered', 'steered', 'steered']);
  });

  test('sends each token with its logprob and alternatives, and its labelled activations on the same channel', async () => {
    const { engine } = fakeEngine({ tokens: { default: 1, steered: 1 } });
    const events = await collect(createSteerProducer({ engine })(input, { runId: 'r', signal: new AbortController().signal }));
    expect(events.find((e) => e.type === 'gen.token' && e.data.channel === 'steered')?.data).toEqual({
      channel: 'steered',
      token: 's0 ',
      index: 0,
      logprob: -0.5,
      topLogprobs: [{ token: 'x', logprob: -0.5 }],
    });
    expect(events.find((e) => e.type === 'gen.activation' && e.data.channel === 'steered')?.data).toEqual({
      channel: 'steered',
      tokenIndex: 0,
      features: [
        { index: 7, label: 'whale / sea', value: 3 },
        { index: 99, label: 'feature 99', value: 0.25 },
      ],
    });
  });

  test("ends each channel with its engine's finish reason, then the run with one gen.done without a channel", async () => {
    const { engine } = fakeEngine({ tokens: { default: 2, steered: 1 }, finishReason: { default: 'max_tokens', steered: 'stop_sequence' } });
    const events = await collect(createSteerProducer({ engine })(input, { runId: 'r', signal: new AbortController().signal }));
    const dones = events.filter((e) => e.type === 'gen.done').map((e) => e.data);
    expect(dones).toEqual([
      { channel: 'steered', finishReason: 'stop_sequence' },
      { channel: 'default', finishReason: 'max_tokens' },
      { finishReason: 'complete' },
    ]);
    expect(events.at(-1)?.type).toBe('gen.done');
  });

  test('a cancel stops both generations and ends the producer without a terminal of its own', async () => {
    const { engine, closed } = fakeEngine({ tokens: { default: 0, steered: 0 }, endless: true });
    const controller = new AbortController();
    const events: ProducerEvent[] = [];
    for await (const event of createSteerProducer({ engine })(input, { runId: 'r', signal: controller.signal })) {
      events.push(event);
      if (event.type === 'gen.token' && event.data.index === 2) controller.abort();
    }
    expect(closed.sort()).toEqual(['default', 'steered']);
    expect(events.some((e) => e.type === 'gen.done')).toBe(false);
  });
});
