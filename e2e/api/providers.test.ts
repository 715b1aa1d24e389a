// HTTP integration: every provider's real streaming format, through the AI SDK, into envelopes.
import { describe, expect, inject, test } from 'vitest';
import type { EventEnvelope } from '../../lib/protocol/envelope';
import { UNICODE_DELTAS } from '../fake-providers/scenarios';
import { readSse, tokensOf } from '../harness/sse';

const app = inject('appUrl');

async function runToEnd(model: string): Promise<EventEnvelope[]> {
  const read = await readSse(`${app}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'chat', input: { prompt: 'Test prompt', model } }),
  });
  expect(read.status).toBe(200);
  return read.envelopes;
}

function reasoningOf(envelopes: EventEnvelope[]): string {
  return envelopes.flatMap((e) => (e.type === 'gen.reasoning' ? [e.data.text] : [])).join('');
}

const PROVIDERS = [
  ['OpenAI Responses', 'openai'],
  ['xAI', 'xai'],
  ['OpenRouter', 'openrouter'],
  ['an OpenAI-compatible Chat Completions server', 'compatible'],
] as const;

describe.each(PROVIDERS)('%s', (_name, provider) => {
  test('streams tokens in order and ends with gen.done carrying finish reason and usage', async () => {
    const envelopes = await runToEnd(`${provider}:count-6`);
    expect(tokensOf(envelopes)).toBe('t1 t2 t3 t4 t5 t6 ');
    expect(envelopes.filter((e) => e.type === 'gen.token').map((e) => e.type === 'gen.token' && e.data.index)).toEqual([0, 1, 2, 3, 4, 5]);
    const done = envelopes.at(-1)!;
    expect(done.type).toBe('gen.done');
    expect(done.type === 'gen.done' && done.data.finishReason).toBe('stop');
    expect(done.type === 'gen.done' && done.data.usage?.outputTokens).toBe(6);
  });

  test('keeps reasoning apart from the answer', async () => {
    const envelopes = await runToEnd(`${provider}:reason-3`);
    if (provider !== 'compatible') expect(reasoningOf(envelopes)).toBe('r1 r2 r3 ');
    expect(tokensOf(envelopes)).toBe('Answer after reasoning.');
  });

  test('multibyte text split across writes arrives intact', async () => {
    const envelopes = await runToEnd(`${provider}:unicode`);
    expect(tokensOf(envelopes)).toBe(UNICODE_DELTAS.join(''));
  });

  test('a 401 becomes an error envelope with a readable message and no secret', async () => {
    const envelopes = await runToEnd(`${provider}:error-401`);
    const last = envelopes.at(-1)!;
    expect(last.type).toBe('error');
    expect(last.type === 'error' && last.data.code).toBe('provider:auth');
    expect(last.type === 'error' && last.data.message).toMatch(/rejected the credentials/);
    expect(JSON.stringify(envelopes)).not.toMatch(/test-(openai-)?key|stack|at .*\.js/);
  });

  test('a stream that fails mid-answer keeps the tokens before the failure and ends with an error', async () => {
    const envelopes = await runToEnd(`${provider}:midstream-error`);
    expect(tokensOf(envelopes)).toBe('t1 t2 t3 ');
    expect(envelopes.at(-1)?.type).toBe('error');
  });
});

describe('provider errors', () => {
  test('a 500 is reported as the provider being unavailable', async () => {
    const last = (await runToEnd('openai:error-500')).at(-1)!;
    expect(last).toMatchObject({ type: 'error', data: { code: 'provider:unavailable' } });
  });

  test('a 429 is reported as rate limiting with the retry delay', async () => {
    const last = (await runToEnd('openai:error-429')).at(-1)!;
    expect(last).toMatchObject({ type: 'error', data: { code: 'provider:rate_limited', retryable: true, details: { retryAfter: 1 } } });
  });
});
