import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../../../e2e/fake-providers/server';
import { NEURONPEDIA_DEFAULT_WORDS } from '../../../e2e/fake-providers/neuronpedia';
import { neuronpediaSteerEvents } from '../../producers/steer/neuronpedia';
import type { ProducerEvent } from '../../protocol/envelope';
import { createNeuronpediaClient, steerDeltas, type NeuronpediaSteerRequest, type SteerFrame } from './client';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(async () => {
  await fake.close();
});

const request: NeuronpediaSteerRequest = {
  prompt: 'The ship',
  modelId: 'gpt2-small',
  source: '6-res-jb',
  features: [{ index: 42, strength: 10 }],
  temperature: 0.5,
  nTokens: 4,
  freqPenalty: 1,
  seed: 16,
  strengthMultiplier: 4,
  method: 'SIMPLE_ADDITIVE',
};

function client(apiKey = 'test-key') {
  return createNeuronpediaClient({ baseUrl: `${fake.url}/neuronpedia`, apiKey });
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const defaultText = NEURONPEDIA_DEFAULT_WORDS.slice(0, 4).join('');

describe('Neuronpedia client', () => {
  test("sends Neuronpedia's /api/steer body with the key in x-api-key", async () => {
    fake.reset();
    await client().steer(request);
    const recorded = fake.requests.at(-1);
    expect(recorded?.path).toBe('/neuronpedia/api/steer');
    expect(recorded?.headers['x-api-key']).toBe('[redacted]');
    expect(recorded?.body).toEqual({
      prompt: 'The ship',
      modelId: 'gpt2-small',
      features: [{ modelId: 'gpt2-small', layer: '6-res-jb', index: 42, strength: 10 }],
      temperature: 0.5,
      n_tokens: 4,
      freq_penalty: 1,
      seed: 16,
      strength_multiplier: 4,
      steer_method: 'SIMPLE_ADDITIVE',
      stream: false,
    });
  });

  test('a blocking steer returns both texts whole', async () => {
    const frame = await client().steer(request);
    expect(frame.DEFAULT).toBe(defaultText);
    expect(frame.STEERED).toBe(' steered-the steered-sea steered-was steered-calm');
  });

  test('a streamed steer turns whole-text frames into deltas, steered first, then default', async () => {
    const deltas = await all(steerDeltas(client().steerStream(request)));
    expect(deltas.map((d) => d.channel)).toEqual(['steered', 'steered', 'steered', 'steered', 'default', 'default', 'default', 'default']);
    expect(deltas.filter((d) => d.channel === 'default').map((d) => d.text)).toEqual(NEURONPEDIA_DEFAULT_WORDS.slice(0, 4));
    expect(deltas[0]?.logprobs).toEqual([{ token: ' steered-the', logprob: -0.1, topLogprobs: [{ token: ' steered-the', logprob: -0.1 }, { token: ' alt', logprob: -3 }] }]);
  });

  test('a frame that takes text back is a bad response', async () => {
    async function* frames(): AsyncGenerator<SteerFrame> {
      yield { STEERED: 'abc', DEFAULT: null };
      yield { STEERED: 'abX', DEFAULT: null };
    }
    await expect(all(steerDeltas(frames()))).rejects.toMatchObject({ code: 'provider:bad_response' });
  });

  test('a missing key is a provider auth error', async () => {
    await expect(createNeuronpediaClient({ baseUrl: `${fake.url}/neuronpedia` }).steer(request)).rejects.toMatchObject({ code: 'provider:auth' });
  });

  test("reads one feature's activation per token", async () => {
    const result = await client().activation({ modelId: 'gpt2-small', source: '6-res-jb', index: 42, text: 'a steered-b c' });
    expect(result.tokens).toEqual(['a', ' steered-b', ' c']);
    expect(result.activations.values).toEqual([0.5, 5, 0.5]);
  });
});

describe('steer runs on a neuronpedia: model', () => {
  test('stream both channels, their activations per token, and end with one terminal', async () => {
    const events: ProducerEvent[] = await all(
      neuronpediaSteerEvents(
        {
          prompt: 'The ship',
          model: 'neuronpedia:gpt2-small',
          source: '6-res-jb',
          maxTokens: 2,
          temperature: 0,
          seed: 1,
          method: 'SIMPLE_ADDITIVE',
          features: [{ index: 42, strength: 10 }],
        },
        { runId: 'r', signal: new AbortController().signal },
        { client: client() },
      ),
    );
    const tokens = events.flatMap((e) => (e.type === 'gen.token' ? [`${e.data.channel}:${e.data.token}`] : []));
    expect(tokens).toEqual(['steered: steered-the', 'steered: steered-sea', 'default: the', 'default: sea']);
    const steeredActivations = events.flatMap((e) => (e.type === 'gen.activation' && e.data.channel === 'steered' ? [e.data.features[0]?.value] : []));
    expect(steeredActivations).toEqual([5, 5]);
    expect(events.filter((e) => e.type === 'gen.done').map((e) => e.data)).toEqual([
      { channel: 'steered', finishReason: 'max_tokens' },
      { channel: 'default', finishReason: 'max_tokens' },
      { finishReason: 'complete' },
    ]);
  });
});
