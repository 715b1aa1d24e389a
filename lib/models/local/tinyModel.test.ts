import path from 'node:path';
import { streamText } from 'ai';
import { afterAll, describe, expect, test } from 'vitest';
import { createTinyPool } from '../../local/tiny/pool.ts';
import { writeRandomTiny } from '../../local/tiny/testing/randomWeights.ts';
import { createLocalTinyModel, promptText } from './tinyModel';

const pool = createTinyPool({ weightsDir: writeRandomTiny(), workerPath: path.join(import.meta.dirname, '../../local/tiny/worker.ts'), size: 1 });
afterAll(() => pool.close());
const model = createLocalTinyModel({ defaultMaxTokens: 16, defaultTemperature: 0.8, generate: pool.generate });

describe('local:tiny as an AI SDK model', () => {
  test('streamText streams the generated text and reports the finish reason', async () => {
    const result = streamText({ model, prompt: 'Tell me about whales.', maxOutputTokens: 10, seed: 3 });
    let text = '';
    let parts = 0;
    for await (const delta of result.textStream) {
      text += delta;
      parts++;
    }
    expect(parts).toBeGreaterThan(0);
    expect(text).toBe(await result.text);
    expect(['length', 'stop']).toContain(await result.finishReason);
  });

  test('the same seed gives the same text through the AI SDK', async () => {
    const once = () => streamText({ model, prompt: 'The sea', maxOutputTokens: 12, seed: 8 }).text;
    expect(await once()).toBe(await once());
  });

  test('each text delta carries its log-probability and top alternatives', async () => {
    const result = await model.doStream({ prompt: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], maxOutputTokens: 3, seed: 1 });
    const reader = result.stream.getReader();
    const deltas = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (value.type === 'text-delta') deltas.push(value);
    }
    expect(deltas).toHaveLength(3);
    const meta = deltas[0]!.providerMetadata!['local-tiny'] as { logprob: number; topLogprobs: unknown[] };
    expect(meta.logprob).toBeLessThanOrEqual(0);
    expect(meta.topLogprobs).toHaveLength(5);
  });

  test('the prompt is the conversation text, one paragraph per message', () => {
    expect(
      promptText([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
      ]),
    ).toBe('Be brief.\n\nHello\n\n');
  });
});
