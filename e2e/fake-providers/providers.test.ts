/**
 * Drives the real AI SDK provider packages against the fake server and checks that what they
 * parse out of its wire format (text, reasoning, finish reason, usage, errors) is exactly what the
 * scenario scripted. If a package changes the format it expects, these tests fail first.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createXai } from '@ai-sdk/xai';
import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import { APICallError, generateText, isStepCount, streamText, tool, type LanguageModel } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  ANALYSIS_BROKEN_JSON_TEXT,
  ANALYSIS_GARBAGE_TEXT,
  ANALYSIS_JSON_TEXT,
  ANALYSIS_MIDSTREAM_TEXT,
  ANALYSIS_REASONING_DELTAS,
  ANALYSIS_TOOL_INPUT,
  ECHO_DELTAS,
  INPUT_TOKENS,
  numberedDeltas,
  REASON_ANSWER_DELTAS,
  UNICODE_DELTAS,
} from './scenarios';
import { startFakeProviders, type FakeProviders, type RecordedRequest } from './server';

const API_KEY = 'sk-fake-test-key-do-not-log';

let fake: FakeProviders;
beforeAll(async () => {
  fake = await startFakeProviders();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
});

type ProviderCase = {
  name: string;
  model: (modelId: string) => LanguageModel;
  /** Whether reasoning text reaches the caller (OpenAI Chat Completions hides it). */
  streamsReasoning: boolean;
  /** How `midstream-error` shows: an error part, or the stream itself failing (socket cut). */
  midstreamFailure: 'error-part' | 'stream-throws';
  path: string;
};

const cases: ProviderCase[] = [
  {
    name: 'openai responses',
    model: (id) => createOpenAI({ baseURL: `${fake.url}/openai/v1`, apiKey: API_KEY })(id),
    streamsReasoning: true,
    midstreamFailure: 'error-part',
    path: '/openai/v1/responses',
  },
  {
    name: 'openai chat completions',
    model: (id) => createOpenAI({ baseURL: `${fake.url}/openai/v1`, apiKey: API_KEY }).chat(id),
    streamsReasoning: false,
    midstreamFailure: 'stream-throws',
    path: '/openai/v1/chat/completions',
  },
  {
    name: 'xai',
    model: (id) => createXai({ baseURL: `${fake.url}/xai/v1`, apiKey: API_KEY })(id),
    streamsReasoning: true,
    midstreamFailure: 'error-part',
    path: '/xai/v1/responses',
  },
  {
    name: 'openrouter',
    model: (id) => createOpenRouter({ baseURL: `${fake.url}/openrouter/api/v1`, apiKey: API_KEY })(`fake/${id}`),
    streamsReasoning: true,
    midstreamFailure: 'error-part',
    path: '/openrouter/api/v1/chat/completions',
  },
  {
    name: 'openai-compatible',
    model: (id) =>
      createOpenAICompatible({
        name: 'fake',
        baseURL: `${fake.url}/compatible/v1`,
        apiKey: API_KEY,
        includeUsage: true,
      })(id),
    streamsReasoning: true,
    midstreamFailure: 'stream-throws',
    path: '/compatible/v1/chat/completions',
  },
];

type Transcript = {
  text: string[];
  reasoning: string[];
  errors: unknown[];
  finishReason: string | undefined;
  usage: { inputTokens?: number; outputTokens?: number; totalTokens?: number; reasoningTokens?: number } | undefined;
  /** Set when reading the stream itself failed. */
  thrown: unknown;
  /** performance.now() of each text delta. */
  textTimes: number[];
};

async function transcribe(model: LanguageModel, opts: { abortAfterText?: number; maxRetries?: number } = {}) {
  const controller = new AbortController();
  const result = streamText({
    model,
    prompt: 'Say something.',
    maxRetries: opts.maxRetries ?? 0,
    abortSignal: controller.signal,
    onError: () => {},
  });
  const t: Transcript = {
    text: [],
    reasoning: [],
    errors: [],
    finishReason: undefined,
    usage: undefined,
    thrown: undefined,
    textTimes: [],
  };
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') {
        t.text.push(part.text);
        t.textTimes.push(performance.now());
        if (t.text.length === opts.abortAfterText) controller.abort();
      } else if (part.type === 'reasoning-delta') t.reasoning.push(part.text);
      else if (part.type === 'error') t.errors.push(part.error);
      else if (part.type === 'finish') {
        t.finishReason = part.finishReason;
        t.usage = {
          inputTokens: part.totalUsage.inputTokens,
          outputTokens: part.totalUsage.outputTokens,
          totalTokens: part.totalUsage.totalTokens,
          reasoningTokens: part.totalUsage.outputTokenDetails.reasoningTokens,
        };
      }
    }
  } catch (error) {
    t.thrown = error;
  }
  return t;
}

/** A `run_program` tool that records each input it executes. */
function runProgramTool() {
  const inputs: unknown[] = [];
  const tools = {
    run_program: tool({
      description: 'Runs a Python transform on the training inputs.',
      inputSchema: z.object({ code: z.string() }),
      execute: async (input) => {
        inputs.push(input);
        return { ok: true, outputs: [[[1]]] };
      },
    }),
  };
  return { tools, inputs };
}

/** Streams `analysis-reasoning-tool` through a three-step tool loop; returns what each part carried. */
async function runToolLoop(model: LanguageModel) {
  const { tools, inputs } = runProgramTool();
  const result = streamText({ model, prompt: 'Analyse sc-flip-h.', tools, stopWhen: isStepCount(3), maxRetries: 0 });
  const order: string[] = [];
  let reasoning = '';
  for await (const part of result.fullStream) {
    if (part.type === 'reasoning-delta') reasoning += part.text;
    if (order.at(-1) !== part.type) order.push(part.type);
  }
  const steps = await result.steps;
  return { inputs, order, reasoning, text: await result.text, finishReasons: steps.map((step) => step.finishReason) };
}

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function onlyRequest(): RecordedRequest {
  expect(fake.requests).toHaveLength(1);
  const [request] = fake.requests;
  if (request === undefined) throw new Error('no request recorded');
  return request;
}

describe.each(cases)('$name', (c) => {
  test('streams the echo answer as several text deltas and finishes with stop', async () => {
    const t = await transcribe(c.model('echo'));
    expect(t.text).toEqual(ECHO_DELTAS);
    expect(t.finishReason).toBe('stop');
    expect(t.errors).toEqual([]);
  });

  test('streams count-40 as t1 to t40 in order', async () => {
    const t = await transcribe(c.model('count-40'));
    expect(t.text).toEqual(numberedDeltas('t', 40));
  });

  test('reports the scripted token usage on finish', async () => {
    const t = await transcribe(c.model('count-40'));
    expect(t.usage).toEqual({ inputTokens: INPUT_TOKENS, outputTokens: 40, totalTokens: INPUT_TOKENS + 40, reasoningTokens: 0 });
  });

  if (c.streamsReasoning) {
    test('streams reason-4 reasoning deltas before the answer text', async () => {
      const t = await transcribe(c.model('reason-4'));
      expect(t.reasoning).toEqual(numberedDeltas('r', 4));
      expect(t.text).toEqual(REASON_ANSWER_DELTAS);
      expect(t.usage?.reasoningTokens).toBe(4);
    });
  } else {
    test('hides reason-4 reasoning text but reports its reasoning tokens', async () => {
      const t = await transcribe(c.model('reason-4'));
      expect(t.reasoning).toEqual([]);
      expect(t.text).toEqual(REASON_ANSWER_DELTAS);
      expect(t.usage?.reasoningTokens).toBe(4);
    });
  }

  test('delivers multibyte text, CRLF and SSE-looking text unchanged', async () => {
    const t = await transcribe(c.model('unicode'));
    expect(t.text).toEqual(UNICODE_DELTAS);
    expect(t.finishReason).toBe('stop');
  });

  test.each([401, 429, 500])('surfaces error-%i as an APICallError with that status', async (status) => {
    const t = await transcribe(c.model(`error-${status}`));
    expect(t.text).toEqual([]);
    expect(t.errors).toHaveLength(1);
    const [error] = t.errors;
    expect(APICallError.isInstance(error)).toBe(true);
    expect((error as APICallError).statusCode).toBe(status);
  });

  test('passes the Retry-After header of error-429 through to the caller', async () => {
    const t = await transcribe(c.model('error-429'));
    const [error] = t.errors;
    expect((error as APICallError).responseHeaders?.['retry-after']).toBe('1');
    expect((error as APICallError).isRetryable).toBe(true);
  });

  if (c.midstreamFailure === 'error-part') {
    test('reports midstream-error as an error part after the first three tokens', async () => {
      const t = await transcribe(c.model('midstream-error'));
      expect(t.text).toEqual(numberedDeltas('t', 3));
      expect(t.errors).toHaveLength(1);
      expect(t.finishReason).toBe('error');
    });
  } else {
    test('fails the stream with a terminated connection after the first three tokens of midstream-error', async () => {
      const t = await transcribe(c.model('midstream-error'));
      expect(t.text).toEqual(numberedDeltas('t', 3));
      expect(APICallError.isInstance(t.thrown)).toBe(true);
      expect(((t.thrown as APICallError).cause as Error).message).toBe('terminated');
      expect(onlyRequest()).toMatchObject({ cut: true, aborted: false, finished: false });
    });
  }

  test('marks the upstream request aborted when the caller aborts a hanging stream', async () => {
    const t = await transcribe(c.model('hang'), { abortAfterText: 3 });
    expect(t.text).toEqual(numberedDeltas('t', 3));
    const request = onlyRequest();
    await waitFor(() => request.aborted);
    expect(request).toMatchObject({ aborted: true, finished: false, scenario: 'hang' });
  });

  test('spaces the tokens of slow-4-60 about 60 ms apart', async () => {
    const t = await transcribe(c.model('slow-4-60'));
    expect(t.text).toEqual(numberedDeltas('t', 4));
    const gaps = t.textTimes.slice(1).map((time, i) => time - (t.textTimes[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(40);
  });

  test('answers a non-streaming call with the same scripted text, reasoning and usage', async () => {
    const result = await generateText({ model: c.model('reason-2'), prompt: 'Say something.', maxRetries: 0 });
    expect(result.text).toBe(REASON_ANSWER_DELTAS.join(''));
    expect(result.reasoningText).toBe(c.streamsReasoning ? 'r1 r2 ' : undefined);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.totalTokens).toBe(INPUT_TOKENS + 2 + REASON_ANSWER_DELTAS.length);
    expect(onlyRequest().stream).toBe(false);
  });

  test('executes the run_program tool of analysis-reasoning-tool with the scripted input', async () => {
    const loop = await runToolLoop(c.model('analysis-reasoning-tool'));
    expect(loop.inputs).toEqual([ANALYSIS_TOOL_INPUT]);
  });

  test('streams the clean analysis after the tool result went back', async () => {
    const loop = await runToolLoop(c.model('analysis-reasoning-tool'));
    expect(loop.text).toBe(ANALYSIS_JSON_TEXT);
    expect(loop.finishReasons).toEqual(['tool-calls', 'stop']);
    expect(loop.order.indexOf('tool-result')).toBeLessThan(loop.order.indexOf('text-delta'));
  });

  test('streams the argument text of the tool call before the call itself', async () => {
    const loop = await runToolLoop(c.model('analysis-reasoning-tool'));
    expect(loop.order.indexOf('tool-input-delta')).toBeLessThan(loop.order.indexOf('tool-call'));
  });

  test('sends the tool result back in a second request that the server recognises', async () => {
    await runToolLoop(c.model('analysis-reasoning-tool'));
    expect(fake.requests.map((r) => r.toolResult)).toEqual([false, true]);
  });

  if (c.streamsReasoning) {
    test('streams the analysis-reasoning-tool reasoning before the tool call', async () => {
      const loop = await runToolLoop(c.model('analysis-reasoning-tool'));
      expect(loop.reasoning).toBe(ANALYSIS_REASONING_DELTAS.join(''));
      expect(loop.order.indexOf('reasoning-delta')).toBeLessThan(loop.order.indexOf('tool-call'));
    });
  }

  test('runs the analysis-reasoning-tool loop without streaming too', async () => {
    const { tools, inputs } = runProgramTool();
    const result = await generateText({
      model: c.model('analysis-reasoning-tool'),
      prompt: 'Analyse sc-flip-h.',
      tools,
      stopWhen: isStepCount(3),
      maxRetries: 0,
    });
    expect(inputs).toEqual([ANALYSIS_TOOL_INPUT]);
    expect(result.text).toBe(ANALYSIS_JSON_TEXT);
    expect(fake.requests.map((r) => r.stream)).toEqual([false, false]);
  });

  test('streams analysis-json as the clean answer in small deltas', async () => {
    const t = await transcribe(c.model('analysis-json'));
    expect(t.text.join('')).toBe(ANALYSIS_JSON_TEXT);
    expect(t.text.every((delta) => delta.length <= 8)).toBe(true);
    expect(t.finishReason).toBe('stop');
  });

  test.each([
    ['analysis-broken-json', ANALYSIS_BROKEN_JSON_TEXT],
    ['analysis-garbage', ANALYSIS_GARBAGE_TEXT],
  ])('delivers the %s text unchanged', async (id, expected) => {
    const t = await transcribe(c.model(id));
    expect(t.text.join('')).toBe(expected);
  });

  test('delivers half of the analysis and then fails on analysis-midstream', async () => {
    const t = await transcribe(c.model('analysis-midstream'));
    expect(t.text.join('')).toBe(ANALYSIS_MIDSTREAM_TEXT);
    if (c.midstreamFailure === 'error-part') expect(t.errors).toHaveLength(1);
    else expect(APICallError.isInstance(t.thrown)).toBe(true);
  });

  test('answers analysis-429-then-json with a 429 first and the clean analysis on the next call', async () => {
    const first = await transcribe(c.model('analysis-429-then-json'));
    expect((first.errors[0] as APICallError).statusCode).toBe(429);
    const second = await transcribe(c.model('analysis-429-then-json'));
    expect(second.text.join('')).toBe(ANALYSIS_JSON_TEXT);
  });

  test('fails the analysis-fail-before-first-token stream before any text', async () => {
    const t = await transcribe(c.model('analysis-fail-before-first-token'));
    expect(t.text).toEqual([]);
    expect(t.errors.length + (t.thrown === undefined ? 0 : 1)).toBe(1);
  });

  test('answers analysis-fail-before-first-token without streaming with the clean analysis', async () => {
    const result = await generateText({ model: c.model('analysis-fail-before-first-token'), prompt: 'Analyse.', maxRetries: 0 });
    expect(result.text).toBe(ANALYSIS_JSON_TEXT);
  });

  test('records the path, model and streamed body without the API key', async () => {
    await transcribe(c.model('count-2'));
    const request = onlyRequest();
    expect(request).toMatchObject({ path: c.path, stream: true, hasAuthorization: true, finished: true });
    expect(request.model).toMatch(/count-2$/);
    expect(request.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(request)).not.toContain(API_KEY);
  });
});

test('the SDK retries error-429 after the one-second Retry-After delay', async () => {
  const model = createOpenAI({ baseURL: `${fake.url}/openai/v1`, apiKey: API_KEY })('error-429');
  await transcribe(model, { maxRetries: 1 });
  const [first, second] = fake.requests;
  expect(fake.requests).toHaveLength(2);
  expect((second?.startedAt ?? 0) - (first?.startedAt ?? 0)).toBeGreaterThanOrEqual(900);
});

test('paces analysis-json-MS so patternDescription is complete well before the stream ends', async () => {
  const model = createOpenAI({ baseURL: `${fake.url}/openai/v1`, apiKey: API_KEY })('analysis-json-20');
  const t = await transcribe(model);
  let text = '';
  const complete = t.text.findIndex((delta) => (text += delta).includes('"solvingStrategy"'));
  const end = t.textTimes.at(-1) ?? 0;
  expect(end - (t.textTimes[complete] ?? end)).toBeGreaterThanOrEqual(300);
});
