/**
 * The resilience layer against the fake provider server, through the real `streamText` and the
 * real provider packages: retries, circuit breaker, non-streaming fallback, timeouts, aborts.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createXai } from '@ai-sdk/xai';
import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import { generateText, streamText, type LanguageModel } from 'ai';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../../../e2e/fake-providers/server';
import { configSchema } from '../../config';
import { isAppError } from '../../errors';
import { createCircuitRegistry, type CircuitRegistry, type HostedProvider } from './circuits';
import { isProviderTimeout } from './errors';
import { usedNonStreamingFallback } from './fallback';
import { withResilience, type ResilienceOptions } from './withResilience';

const API_KEY = 'sk-fake-test-key-do-not-log';
/** How early a Node timer can fire, measured in Date.now() stamps (see the Retry-After test). */
const TIMER_GRANULARITY_MS = 1;

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(async () => {
  await fake.close();
});

let circuits: CircuitRegistry;
beforeEach(() => {
  fake.reset();
  circuits = createCircuitRegistry({ failureThreshold: 5, halfOpenAfterMs: 200 });
});

type Overrides = Omit<Partial<ResilienceOptions>, 'provider'>;

/** Short delays, no timeouts and no retries unless a test asks for them. */
const TEST_SETTINGS: Overrides = {
  maxRetries: 0,
  baseDelayMs: 10,
  maxDelayMs: 50,
  maxRetryWaitMs: 5_000,
  firstChunkTimeoutMs: 0,
  idleTimeoutMs: 0,
  totalTimeoutMs: 0,
};

const PROVIDER_MODELS: Record<string, { provider: HostedProvider; create: (id: string) => LanguageModel }> = {
  'openai responses': {
    provider: 'openai',
    create: (id) => createOpenAI({ baseURL: `${fake.url}/openai/v1`, apiKey: API_KEY })(id),
  },
  'openai chat completions': {
    provider: 'openai',
    create: (id) => createOpenAI({ baseURL: `${fake.url}/openai/v1`, apiKey: API_KEY }).chat(id),
  },
  xai: { provider: 'xai', create: (id) => createXai({ baseURL: `${fake.url}/xai/v1`, apiKey: API_KEY })(id) },
  openrouter: {
    provider: 'openrouter',
    create: (id) => createOpenRouter({ baseURL: `${fake.url}/openrouter/api/v1`, apiKey: API_KEY }).chat(`fake/${id}`),
  },
  compatible: {
    provider: 'compatible',
    create: (id) =>
      createOpenAICompatible({ name: 'fake', baseURL: `${fake.url}/compatible/v1`, apiKey: API_KEY, includeUsage: true })(id),
  },
};

function model(id: string, overrides: Overrides = {}, via = 'openai responses'): LanguageModel {
  const spec = PROVIDER_MODELS[via]!;
  return withResilience(spec.create(id), {
    provider: spec.provider,
    config: configSchema.parse({}),
    circuits,
    ...TEST_SETTINGS,
    ...overrides,
  });
}

type Transcript = { text: string; error: unknown; fallback: boolean; aborted: boolean };

async function transcribe(lm: LanguageModel, opts: { abortAfterText?: number } = {}): Promise<Transcript> {
  const controller = new AbortController();
  const result = streamText({ model: lm, prompt: 'Hi', maxRetries: 0, abortSignal: controller.signal, onError: () => undefined });
  const out: Transcript = { text: '', error: undefined, fallback: false, aborted: false };
  let deltas = 0;
  for await (const part of result.fullStream) {
    if (part.type === 'text-delta') {
      out.text += part.text;
      if (++deltas === opts.abortAfterText) controller.abort();
    }
    if (part.type === 'error') out.error ??= part.error;
    if (part.type === 'abort') out.aborted = true;
    if (part.type === 'finish-step') out.fallback ||= usedNonStreamingFallback(part.providerMetadata);
  }
  return out;
}

function codeOf(error: unknown): string | undefined {
  return isAppError(error) ? error.code : undefined;
}

async function waitFor(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('retries', () => {
  test('a 429 with Retry-After is retried no sooner than the provider asked, then succeeds', async () => {
    const out = await transcribe(model('flaky-429-then-ok', { maxRetries: 2 }));

    expect(out.error).toBeUndefined();
    expect(out.text).toBe('t1 t2 t3 ');
    const [first, second] = fake.requests;
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
    // The 1,000 ms wait is a Node timer: whole milliseconds from the event loop's cached clock, so
    // it can end up to 1 ms before 1,000 ms of real time have passed; the stamps are whole
    // milliseconds too. On a fast machine, with well under a millisecond of work around the wait,
    // the gap reads 999.
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(1_000 - TIMER_GRANULARITY_MS);
  });

  test('a 500 is retried with backoff and then succeeds', async () => {
    const out = await transcribe(model('flaky-500-then-ok', { maxRetries: 2 }));

    expect(out.text).toBe('t1 t2 t3 ');
    expect(fake.requests.map((r) => r.status)).toEqual([500, 200]);
  });

  test('a network failure before any response is retried, and each attempt counts toward the circuit', async () => {
    const unreachable = createOpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: API_KEY })('count-1');
    const lm = withResilience(unreachable, { provider: 'openai', config: configSchema.parse({}), circuits, ...TEST_SETTINGS, maxRetries: 2 });

    const out = await transcribe(lm);

    expect(codeOf(out.error)).toBe('provider:unavailable');
    expect(circuits.status('openai').failures).toBe(3);
  });

  test('a 401 is not retried', async () => {
    const out = await transcribe(model('error-401', { maxRetries: 3 }));

    expect(codeOf(out.error)).toBe('provider:auth');
    expect(fake.requests).toHaveLength(1);
  });

  test('a Retry-After longer than the cap is not waited for: the 429 goes to the caller', async () => {
    const out = await transcribe(model('error-429', { maxRetries: 3, maxRetryWaitMs: 500 }));

    expect(codeOf(out.error)).toBe('provider:rate_limited');
    expect(fake.requests).toHaveLength(1);
  });

  test.each(Object.keys(PROVIDER_MODELS))(
    '%s: once text has streamed, a failing stream is neither retried nor replaced by the fallback',
    async (via) => {
      const out = await transcribe(model('midstream-error', { maxRetries: 3 }, via));

      expect(out.text).toBe('t1 t2 t3 ');
      expect(out.error).toBeDefined();
      expect(out.fallback).toBe(false);
      expect(fake.requests).toHaveLength(1);
    },
  );

  test('generateText is retried too', async () => {
    const result = await generateText({ model: model('flaky-500-then-ok', { maxRetries: 1 }), prompt: 'Hi', maxRetries: 0 });

    expect(result.text).toBe('t1 t2 t3 ');
    expect(fake.requests).toHaveLength(2);
  });
});

describe('circuit breaker', () => {
  test('five failures in a row open the circuit and the sixth call fails fast without reaching the server', async () => {
    for (let i = 0; i < 5; i++) expect(codeOf((await transcribe(model('error-500'))).error)).toBe('provider:unavailable');

    const sixth = await transcribe(model('error-500'));

    expect(codeOf(sixth.error)).toBe('provider:circuit_open');
    expect((sixth.error as Error).message).toMatch(/^OpenAI failed 5 times in a row.*tried again at/);
    expect(fake.requests).toHaveLength(5);
    expect(circuits.status('openai')).toMatchObject({ state: 'open', failures: 5 });
  });

  test('the circuit is per provider: an open OpenAI circuit does not stop xAI', async () => {
    for (let i = 0; i < 5; i++) await transcribe(model('error-500'));

    const out = await transcribe(model('count-2', {}, 'xai'));

    expect(out.text).toBe('t1 t2 ');
    expect(circuits.status('xai').state).toBe('closed');
  });

  test('after the cool-down a half-open probe that succeeds closes the circuit', async () => {
    for (let i = 0; i < 5; i++) await transcribe(model('error-500'));
    const { retryAt } = circuits.status('openai');
    await sleep(Math.max(0, retryAt! - Date.now()) + 20);

    const probe = await transcribe(model('count-3'));

    expect(probe.text).toBe('t1 t2 t3 ');
    expect(circuits.status('openai')).toEqual({ provider: 'openai', state: 'closed', failures: 0 });
  });

  test('after the cool-down a half-open probe that fails opens the circuit again', async () => {
    for (let i = 0; i < 5; i++) await transcribe(model('error-500'));
    await sleep(circuits.settings.halfOpenAfterMs + 20);

    await transcribe(model('error-500'));
    const next = await transcribe(model('count-3'));

    expect(codeOf(next.error)).toBe('provider:circuit_open');
    expect(fake.requests).toHaveLength(6);
  });

  test('auth errors do not count toward opening the circuit', async () => {
    for (let i = 0; i < 6; i++) await transcribe(model('error-401'));

    expect(fake.requests).toHaveLength(6);
    expect(circuits.status('openai')).toMatchObject({ state: 'closed', failures: 0 });
  });

  test('rate limits do not count toward opening the circuit', async () => {
    for (let i = 0; i < 6; i++) await transcribe(model('error-429'));

    expect(fake.requests).toHaveLength(6);
    expect(circuits.status('openai').state).toBe('closed');
  });

  test('a success resets the count of consecutive failures', async () => {
    for (let i = 0; i < 4; i++) await transcribe(model('error-500'));
    await transcribe(model('count-1'));
    for (let i = 0; i < 4; i++) await transcribe(model('error-500'));

    expect(circuits.status('openai')).toMatchObject({ state: 'closed', failures: 4 });
  });
});

describe('non-streaming fallback', () => {
  test.each(Object.keys(PROVIDER_MODELS))(
    '%s: a stream failing before its first token falls back to one non-streaming call with the full text and the marker',
    async (via) => {
      const out = await transcribe(model('fail-before-first-token', {}, via));

      expect(out.error).toBeUndefined();
      expect(out.text).toBe('t1 t2 t3 ');
      expect(out.fallback).toBe(true);
      expect(fake.requests.map((r) => r.stream)).toEqual([true, false]);
    },
  );

  test('a normal stream carries no fallback marker', async () => {
    const out = await transcribe(model('count-3'));

    expect(out.fallback).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  test('with the fallback turned off the stream failure goes to the caller', async () => {
    const out = await transcribe(model('fail-before-first-token', { fallbackToNonStreaming: false }));

    expect(codeOf(out.error)).toMatch(/^provider:/);
    expect(out.text).toBe('');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('timeouts', () => {
  test('no output within the first-chunk timeout ends the call with provider:timeout and aborts the request', async () => {
    const out = await transcribe(model('slow-3-1000', { firstChunkTimeoutMs: 100 }));

    expect(isProviderTimeout(out.error, 'first-chunk')).toBe(true);
    expect(codeOf(out.error)).toBe('provider:timeout');
    expect(out.text).toBe('');
    await waitFor(() => fake.requests[0]?.aborted === true);
  });

  test('silence after the first output longer than the idle timeout ends the stream with provider:timeout', async () => {
    const out = await transcribe(model('hang', { firstChunkTimeoutMs: 5_000, idleTimeoutMs: 150 }));

    expect(out.text).toBe('t1 t2 t3 ');
    expect(isProviderTimeout(out.error, 'idle')).toBe(true);
    await waitFor(() => fake.requests[0]?.aborted === true);
  });

  test('a stream still going at the total timeout ends with provider:timeout', async () => {
    const out = await transcribe(model('slow-40-50', { idleTimeoutMs: 1_000, totalTimeoutMs: 300 }));

    expect(isProviderTimeout(out.error, 'total')).toBe(true);
    expect(out.text.length).toBeGreaterThan(0);
    expect(out.text).not.toContain('t40');
    await waitFor(() => fake.requests[0]?.aborted === true);
  });

  test('the total timeout also bounds the waits between retries', async () => {
    const out = await transcribe(model('error-429', { maxRetries: 3, totalTimeoutMs: 300 }));

    expect(isProviderTimeout(out.error, 'total')).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  test('steady output does not trip the idle timeout', async () => {
    const out = await transcribe(model('slow-5-30', { firstChunkTimeoutMs: 200, idleTimeoutMs: 200 }));

    expect(out.error).toBeUndefined();
    expect(out.text).toBe('t1 t2 t3 t4 t5 ');
  });
});

describe('cancellation', () => {
  test("the caller's abort still aborts the provider request", async () => {
    const out = await transcribe(model('hang', { idleTimeoutMs: 5_000, totalTimeoutMs: 5_000 }), { abortAfterText: 2 });

    expect(out.aborted).toBe(true);
    expect(out.error).toBeUndefined();
    await waitFor(() => fake.requests[0]?.aborted === true);
  });
});

describe('withResilience', () => {
  test('returns local models unwrapped', () => {
    const local = PROVIDER_MODELS['openai responses']!.create('count-1');
    expect(withResilience(local, { provider: 'local' })).toBe(local);
  });
});
