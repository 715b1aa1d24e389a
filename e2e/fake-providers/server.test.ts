/**
 * Raw HTTP tests of the fake provider server: bytes on the wire, auth and error shapes, the
 * request record and the control API, and the CLI entry.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ANALYSIS_JSON_TEXT, ANALYSIS_TOOL_INPUT } from './scenarios';
import { startFakeProviders, type FakeProviders, type RecordedRequest } from './server';

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

const AUTH = { authorization: 'Bearer sk-secret-value' };

function post(path: string, body: unknown, headers: Record<string, string> = AUTH, signal?: AbortSignal) {
  return fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

/** The `data:` payloads of an SSE body, asserting every event is a lone `data:` line. */
function chatDataLines(body: string): string[] {
  const events = body.split('\n\n');
  expect(events.pop()).toBe('');
  return events.map((event) => {
    expect(event).toMatch(/^data: [^\n]*$/);
    return event.slice('data: '.length);
  });
}

type ChatChunk = {
  choices: { delta?: { content?: string | null }; finish_reason: string | null }[];
  usage?: unknown;
};

describe('authentication', () => {
  test('answers 401 in the OpenAI error shape when the Authorization header is missing', async () => {
    const res = await post('/openai/v1/chat/completions', { model: 'echo' }, {});
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { message: expect.stringContaining('API key'), type: 'invalid_request_error', param: null, code: null },
    });
  });

  test('answers 401 in the xAI error shape when the Authorization header is missing', async () => {
    const res = await post('/xai/v1/responses', { model: 'echo' }, {});
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: expect.any(String), error: expect.stringContaining('API key') });
  });

  test('answers 401 in the OpenRouter error shape when the Authorization header is missing', async () => {
    const res = await post('/openrouter/api/v1/chat/completions', { model: 'echo' }, {});
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { message: 'No auth credentials found', code: 401 } });
  });

  test('serves OpenAI-compatible requests without an Authorization header', async () => {
    const res = await post('/compatible/v1/chat/completions', { model: 'echo' }, {});
    expect(res.status).toBe(200);
  });
});

describe('wire format', () => {
  test('streams chat completions as data lines with a usage chunk and a final [DONE]', async () => {
    const res = await post('/openai/v1/chat/completions', {
      model: 'count-2',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const lines = chatDataLines(await res.text());
    expect(lines.at(-1)).toBe('[DONE]');
    const chunks = lines.slice(0, -1).map((line) => JSON.parse(line) as ChatChunk);
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? null)).toEqual(['', 't1 ', 't2 ', null, null]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, null, 'stop', null]);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 2 } });
  });

  test('omits the usage chunk when stream_options.include_usage is not set', async () => {
    const res = await post('/compatible/v1/chat/completions', { model: 'count-2', stream: true });
    const chunks = chatDataLines(await res.text())
      .slice(0, -1)
      .map((line) => JSON.parse(line) as ChatChunk);
    expect(chunks.every((c) => c.usage === undefined && c.choices.length === 1)).toBe(true);
  });

  test('names every Responses event in an event line that matches its type', async () => {
    const res = await post('/openai/v1/responses', { model: 'reason-1', stream: true });
    const events = (await res.text()).split('\n\n').filter((e) => e !== '');
    const sequence: number[] = [];
    for (const event of events) {
      const match = /^event: ([^\n]+)\ndata: ([^\n]+)$/.exec(event);
      expect(match).not.toBeNull();
      const data = JSON.parse(match?.[2] ?? '{}') as { type: string; sequence_number: number };
      expect(data.type).toBe(match?.[1]);
      sequence.push(data.sequence_number);
    }
    expect(sequence).toEqual(sequence.map((_, i) => i));
  });

  test('ends a Responses stream with response.completed carrying the usage', async () => {
    const res = await post('/xai/v1/responses', { model: 'count-3', stream: true });
    const last = (await res.text()).trim().split('\n\n').at(-1) ?? '';
    const data = JSON.parse(last.split('\ndata: ')[1] ?? '{}') as { type: string; response: { usage: unknown } };
    expect(data.type).toBe('response.completed');
    expect(data.response.usage).toMatchObject({ input_tokens: 12, output_tokens: 3, total_tokens: 15 });
  });

  test('ends an OpenRouter midstream-error with an error chunk whose finish reason is error', async () => {
    const res = await post('/openrouter/api/v1/chat/completions', { model: 'midstream-error', stream: true });
    const body = await res.text();
    expect(body.startsWith(': OPENROUTER PROCESSING\n\n')).toBe(true);
    const last = JSON.parse(chatDataLines(body.slice(': OPENROUTER PROCESSING\n\n'.length)).at(-1) ?? '{}');
    expect(last).toMatchObject({ error: { code: 'server_error' }, choices: [{ finish_reason: 'error' }] });
  });

  test('splits unicode events across socket writes inside a multibyte character', async () => {
    const chunks = await new Promise<Buffer[]>((resolve, reject) => {
      const req = httpRequest(`${fake.url}/openai/v1/chat/completions`, { method: 'POST', headers: AUTH }, (res) => {
        const received: Buffer[] = [];
        res.on('data', (chunk: Buffer) => received.push(chunk));
        res.on('end', () => resolve(received));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'unicode', stream: true }));
    });
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const undecodable = chunks.filter((chunk) => {
      try {
        decoder.decode(chunk);
        return false;
      } catch {
        return true;
      }
    });
    expect(undecodable.length).toBeGreaterThan(0);
  });

  test('sends Retry-After: 1 with error-429', async () => {
    const res = await post('/openai/v1/responses', { model: 'error-429', stream: true });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
  });

  test('answers 404 in the provider error shape for an endpoint the provider does not have', async () => {
    const res = await post('/openrouter/api/v1/responses', { model: 'echo' });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 404 } });
  });

  test('answers 400 when the body is not JSON', async () => {
    const res = await post('/openai/v1/responses', 'not json');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});

/** The events of a Responses SSE body, parsed. */
function responsesEvents(body: string): Record<string, unknown>[] {
  return body
    .split('\n\n')
    .filter((event) => event !== '')
    .map((event) => JSON.parse(event.split('\ndata: ')[1] ?? '{}') as Record<string, unknown>);
}

type ToolCallFragment = { index: number; id?: string; type?: string; function: { name?: string; arguments: string } };
type ToolCallChunk = { choices: { delta: { tool_calls?: ToolCallFragment[] }; finish_reason: string | null }[] };

const RUN_PROGRAM_CALL = { name: 'run_program', arguments: JSON.stringify(ANALYSIS_TOOL_INPUT) };

describe('tool calls', () => {
  test('streams a Responses tool call as a function_call item with argument deltas', async () => {
    const res = await post('/openai/v1/responses', { model: 'analysis-reasoning-tool', stream: true });
    const events = responsesEvents(await res.text());
    const types = events.map((e) => e.type).filter((type, i, all) => type !== all[i - 1]);
    expect(types.slice(-5)).toEqual([
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const added = events.find(
      (e) => e.type === 'response.output_item.added' && (e.item as { type: string }).type === 'function_call',
    );
    expect(added?.item).toMatchObject({ type: 'function_call', name: 'run_program', arguments: '', status: 'in_progress' });
    const deltas = events.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta);
    expect(JSON.parse(deltas.join(''))).toEqual(ANALYSIS_TOOL_INPUT);
  });

  test('omits the message item from a Responses answer that only calls a tool', async () => {
    const res = await post('/xai/v1/responses', { model: 'analysis-reasoning-tool' });
    const { output } = (await res.json()) as { output: { type: string; arguments?: string }[] };
    expect(output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);
    expect(JSON.parse(output[1]?.arguments ?? '')).toEqual(ANALYSIS_TOOL_INPUT);
  });

  test('streams a chat tool call as a named first fragment, argument fragments and finish reason tool_calls', async () => {
    const res = await post('/compatible/v1/chat/completions', { model: 'analysis-reasoning-tool', stream: true });
    const chunks = chatDataLines(await res.text())
      .slice(0, -1)
      .map((line) => JSON.parse(line) as ToolCallChunk);
    const fragments = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    const [named, ...rest] = fragments;
    expect(named).toEqual({
      index: 0,
      id: expect.stringMatching(/^call_/),
      type: 'function',
      function: { name: 'run_program', arguments: '' },
    });
    expect(rest.every((f) => f.index === 0 && f.id === undefined && f.function.name === undefined)).toBe(true);
    expect(JSON.parse(rest.map((f) => f.function.arguments).join(''))).toEqual(ANALYSIS_TOOL_INPUT);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  test('answers a non-streaming chat tool call with content null and message.tool_calls', async () => {
    const res = await post('/openrouter/api/v1/chat/completions', { model: 'fake/analysis-reasoning-tool' });
    const { choices } = (await res.json()) as {
      choices: { message: { content: string | null; tool_calls: ToolCallFragment[] }; finish_reason: string }[];
    };
    expect(choices[0]).toMatchObject({ message: { content: null }, finish_reason: 'tool_calls' });
    expect(choices[0]?.message.tool_calls).toEqual([
      { id: expect.any(String), type: 'function', function: RUN_PROGRAM_CALL },
    ]);
  });

  test('answers the final text once a Responses input carries a function_call_output', async () => {
    const input = [
      { role: 'user', content: 'Analyse.' },
      { type: 'function_call', call_id: 'call_1', name: 'run_program', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' },
    ];
    const res = await post('/openai/v1/responses', { model: 'analysis-reasoning-tool', input });
    const { output } = (await res.json()) as { output: { type: string; content: { text: string }[] }[] };
    expect(output.map((item) => item.type)).toEqual(['message']);
    expect(output[0]?.content[0]?.text).toBe(ANALYSIS_JSON_TEXT);
    expect(fake.requests[0]?.toolResult).toBe(true);
  });

  test('answers the final text once chat messages carry a tool message', async () => {
    const messages = [
      { role: 'user', content: 'Analyse.' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: RUN_PROGRAM_CALL }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"ok":true}' },
    ];
    const res = await post('/openai/v1/chat/completions', { model: 'analysis-reasoning-tool', messages });
    const { choices } = (await res.json()) as { choices: { message: { content: string }; finish_reason: string }[] };
    expect(choices[0]).toMatchObject({ message: { content: ANALYSIS_JSON_TEXT }, finish_reason: 'stop' });
    expect(fake.requests[0]?.toolResult).toBe(true);
  });

  test('does not take a chat user message that mentions a tool for a tool result', async () => {
    await (await post('/openai/v1/chat/completions', { model: 'echo', messages: [{ role: 'user', content: 'tool' }] })).text();
    expect(fake.requests[0]?.toolResult).toBe(false);
  });
});

describe('request record', () => {
  test('marks a stream finished once its last byte is written', async () => {
    const res = await post('/openai/v1/responses', { model: 'count-2', stream: true });
    await res.text();
    await waitForRecord((r) => r.finished);
    expect(fake.requests[0]).toMatchObject({ finished: true, aborted: false, status: 200, scenario: 'count-2' });
  });

  test('marks a hanging stream aborted when the client disconnects', async () => {
    const controller = new AbortController();
    const res = await post('/openrouter/api/v1/chat/completions', { model: 'hang', stream: true }, AUTH, controller.signal);
    const reader = res.body?.getReader();
    await reader?.read();
    expect(fake.requests[0]).toMatchObject({ aborted: false, finished: false });
    controller.abort();
    await waitForRecord((r) => r.aborted);
    expect(fake.requests[0]).toMatchObject({ aborted: true, finished: false });
  });

  test('records a cut connection without calling it an abort', async () => {
    const res = await post('/openai/v1/chat/completions', { model: 'midstream-error', stream: true });
    await expect(res.text()).rejects.toThrow();
    await waitForRecord((r) => r.cut);
    expect(fake.requests[0]).toMatchObject({ cut: true, aborted: false, finished: false });
  });
});

async function waitForRecord(check: (r: RecordedRequest) => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!(fake.requests[0] && check(fake.requests[0]))) {
    if (Date.now() > deadline) throw new Error('record did not reach the expected state');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('control API', () => {
  test('lists recorded requests without secret header values', async () => {
    await (await post('/xai/v1/responses', { model: 'echo' })).text();
    const res = await fetch(`${fake.url}/__control/requests`);
    const text = await res.text();
    expect(text).not.toContain('sk-secret-value');
    const [recorded] = JSON.parse(text) as RecordedRequest[];
    expect(recorded).toMatchObject({
      provider: 'xai',
      endpoint: 'responses',
      model: 'echo',
      hasAuthorization: true,
      headers: { authorization: '[redacted]' },
    });
  });

  test('forgets recorded requests on POST /__control/reset', async () => {
    await (await post('/openai/v1/responses', { model: 'echo' })).text();
    const reset = await fetch(`${fake.url}/__control/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    const list = (await (await fetch(`${fake.url}/__control/requests`)).json()) as unknown[];
    expect(list).toEqual([]);
    expect(fake.requests).toEqual([]);
  });
});

test('the CLI prints its listening URL and serves the control API', async () => {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /fake providers listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`CLI exited with ${code}`)));
    });
    const res = await fetch(`${url}/__control/requests`);
    expect(await res.json()).toEqual([]);
  } finally {
    child.kill('SIGTERM');
  }
});
