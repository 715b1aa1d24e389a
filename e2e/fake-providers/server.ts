/**
 * Fake LLM provider server for integration and end-to-end tests.
 *
 * Speaks each provider's real HTTP + SSE wire format, as the AI SDK provider packages parse it,
 * so the app cannot tell it from the real APIs when its base URLs point here:
 *
 * | prefix                | endpoints                                  | package that calls it                  |
 * |-----------------------|--------------------------------------------|----------------------------------------|
 * | `/openai/v1`          | `POST /responses`, `POST /chat/completions` | `@ai-sdk/openai` (`openai()` / `.chat()`) |
 * | `/xai/v1`             | `POST /responses`, `POST /chat/completions` | `@ai-sdk/xai` 5 (Responses only)        |
 * | `/openrouter/api/v1`  | `POST /chat/completions`                    | `@openrouter/ai-sdk-provider`           |
 * | `/compatible/v1`      | `POST /chat/completions`                    | `@ai-sdk/openai-compatible`             |
 * | `/neuronpedia`        | `POST /api/steer`, `POST /api/activation/new` | lib/models/neuronpedia (see `neuronpedia.ts`) |
 *
 * The requested model id picks a scripted behaviour (see `scenarios.ts`). A scenario may end its
 * response with a function tool call, in each format's own shape:
 *
 * | format            | tool call                                                                       |
 * |-------------------|---------------------------------------------------------------------------------|
 * | Responses (OpenAI, xAI) | a `function_call` output item: `response.output_item.added` (arguments ""), |
 * |                   | `response.function_call_arguments.delta` per delta, `.done`, `output_item.done`;  |
 * |                   | non-streaming: the item in `output`. No finish reason field: the SDKs infer it. |
 * | Chat Completions (all four) | `delta.tool_calls[{ index: 0, id, type: 'function', function: { name,     |
 * |                   | arguments: '' } }]`, then `[{ index: 0, function: { arguments: delta } }]` per    |
 * |                   | delta, then `finish_reason: "tool_calls"`; non-streaming: `message.tool_calls`  |
 * |                   | with `content: null`.                                                           |
 *
 * A request that already carries a tool result (a Responses `function_call_output` input item, a
 * chat `role: "tool"` message) resolves its scenario with `toolResult: true`, so the next step of a
 * tool loop gets the final answer.
 *
 * Every request is recorded, with `finished` / `aborted` updated live, so tests can prove that a
 * Stop in the UI cancels the upstream call. `GET /__control/requests` and `POST /__control/reset` expose the
 * record to tests in another process. Built on `node:http` only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  resolveScenario,
  type Scenario,
  type ScenarioRule,
  type ScriptedHttpError,
  type ScriptedToolCall,
} from './scenarios';
import { handleNeuronpedia, NEURONPEDIA_PREFIX } from './neuronpedia';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Which provider a route imitates. */
export type ProviderId = 'openai' | 'xai' | 'openrouter' | 'compatible';

/** Which API of the provider was called. */
export type Endpoint = 'responses' | 'chat.completions';

/** One request the fake server received. `finished`, `aborted`, `status` and `endedAt` change live. */
export type RecordedRequest = {
  /** 1, 2, 3, ... in arrival order (not reset by `reset()`). */
  id: number;
  provider: ProviderId | null;
  endpoint: Endpoint | null;
  method: string;
  /** Path as requested, e.g. `/openai/v1/responses`. */
  path: string;
  /** `model` from the JSON body, when there was one. */
  model: string | null;
  /** Name of the scenario that answered, e.g. `count-40`. */
  scenario: string | null;
  /** Whether the body asked for a stream (`stream: true`). */
  stream: boolean;
  /** Whether the body carries a tool result (a later step of a tool loop). */
  toolResult: boolean;
  /** The parsed JSON body (null when absent or not JSON). */
  body: unknown;
  /** Request headers with secret values replaced by `[redacted]`. */
  headers: Record<string, string>;
  /** Whether an `Authorization` header was present (its value is never recorded). */
  hasAuthorization: boolean;
  /** Epoch milliseconds when the request arrived. */
  startedAt: number;
  /** Epoch milliseconds when the exchange ended (finished, aborted or cut), else null. */
  endedAt: number | null;
  /** HTTP status sent, null until headers are written. */
  status: number | null;
  /** The server wrote the whole response. */
  finished: boolean;
  /** The client closed the connection before the response ended. */
  aborted: boolean;
  /** The server cut the connection on purpose (`midstream-error`). */
  cut: boolean;
};

/** A running fake provider server. */
export type FakeProviders = {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Live list of recorded requests (cleared in place by `reset()`). */
  requests: RecordedRequest[];
  /** Stops listening and drops open connections (hanging streams included). */
  close(): Promise<void>;
  /** Forgets the recorded requests. */
  reset(): void;
};

/** Options for {@link startFakeProviders}. */
export type FakeProvidersOptions = {
  /** Port to listen on (127.0.0.1); 0 or absent picks a free one. */
  port?: number;
  /** Extra scenario rules, tried before the built-in table. */
  scenarios?: readonly ScenarioRule[];
};

/** Starts the fake provider server on 127.0.0.1. */
export async function startFakeProviders(opts: FakeProvidersOptions = {}): Promise<FakeProviders> {
  const requests: RecordedRequest[] = [];
  let nextId = 1;
  const extraRules = opts.scenarios ?? [];

  const server: Server = createServer((req, res) => {
    handleRequest({ req, res, requests, nextId: () => nextId++, extraRules }).catch((error: unknown) => {
      // A bug in the fake itself: answer 500 if we still can and drop the connection otherwise.
      console.error('[fake-providers] handler failed', error);
      if (!res.headersSent) sendJson(res, 500, { error: { message: 'fake provider crashed' } });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    reset() {
      requests.length = 0;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------------------------

type Route = {
  prefix: string;
  provider: ProviderId;
  requiresAuth: boolean;
  endpoints: Partial<Record<string, Endpoint>>;
};

const routes: readonly Route[] = [
  {
    prefix: '/openai/v1',
    provider: 'openai',
    requiresAuth: true,
    endpoints: { '/responses': 'responses', '/chat/completions': 'chat.completions' },
  },
  {
    prefix: '/xai/v1',
    provider: 'xai',
    requiresAuth: true,
    endpoints: { '/responses': 'responses', '/chat/completions': 'chat.completions' },
  },
  {
    prefix: '/openrouter/api/v1',
    provider: 'openrouter',
    requiresAuth: true,
    endpoints: { '/chat/completions': 'chat.completions' },
  },
  {
    prefix: '/compatible/v1',
    provider: 'compatible',
    requiresAuth: false,
    endpoints: { '/chat/completions': 'chat.completions' },
  },
];

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-provider-api-keys',
  'cookie',
]);

function sanitizeHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name) ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

type HandlerInput = {
  req: IncomingMessage;
  res: ServerResponse;
  requests: RecordedRequest[];
  nextId: () => number;
  extraRules: readonly ScenarioRule[];
};

async function handleRequest({ req, res, requests, nextId, extraRules }: HandlerInput): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://fake').pathname;

  if (path.startsWith('/__control/')) {
    await drain(req);
    handleControl(req, res, path, requests);
    return;
  }

  const route = routes.find((r) => path.startsWith(`${r.prefix}/`));
  const endpoint = route?.endpoints[path.slice(route.prefix.length)] ?? null;
  const rawBody = await readBody(req);

  const record: RecordedRequest = {
    id: nextId(),
    provider: route?.provider ?? null,
    endpoint,
    method: req.method ?? 'GET',
    path,
    model: null,
    scenario: null,
    stream: false,
    toolResult: false,
    body: null,
    headers: sanitizeHeaders(req),
    hasAuthorization: req.headers.authorization !== undefined,
    startedAt: Date.now(),
    endedAt: null,
    status: null,
    finished: false,
    aborted: false,
    cut: false,
  };
  requests.push(record);

  const abort = new AbortController();
  res.on('close', () => {
    record.endedAt = Date.now();
    record.status = res.headersSent ? res.statusCode : record.status;
    if (res.writableFinished) record.finished = true;
    else if (!record.cut) record.aborted = true;
    abort.abort();
  });

  if (path.startsWith(`${NEURONPEDIA_PREFIX}/`)) {
    try {
      record.body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      // the handler answers 400
    }
    await handleNeuronpedia(req, res, path, rawBody, abort.signal);
    return;
  }

  if (route === undefined || endpoint === null || req.method !== 'POST') {
    const provider = route?.provider ?? 'openai';
    sendJson(res, 404, errorPayload(provider, 404, `Invalid URL (${req.method ?? 'GET'} ${path})`));
    return;
  }

  if (route.requiresAuth && !/^Bearer \S+/.test(req.headers.authorization ?? '')) {
    sendJson(res, 401, errorPayload(route.provider, 401, 'missing-key'));
    return;
  }

  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    sendJson(res, 400, errorPayload(route.provider, 400, 'We could not parse the JSON body of your request.'));
    return;
  }
  record.body = body;
  const model = isRecord(body) && typeof body.model === 'string' ? body.model : null;
  record.model = model;
  record.stream = isRecord(body) && body.stream === true;
  record.toolResult = carriesToolResult(endpoint, body);
  if (model === null) {
    sendJson(res, 400, errorPayload(route.provider, 400, 'you must provide a model parameter'));
    return;
  }

  let scenario: Scenario;
  try {
    const attempt = requests.filter((r) => r.provider === record.provider && r.model === model).length;
    scenario = resolveScenario(model, extraRules, { stream: record.stream, attempt, toolResult: record.toolResult });
  } catch (error) {
    sendJson(res, 400, errorPayload(route.provider, 400, error instanceof Error ? error.message : 'bad model id'));
    return;
  }
  record.scenario = scenario.name;

  if (scenario.httpError) {
    sendScriptedError(res, route.provider, scenario.httpError);
    return;
  }

  const ctx: ExchangeContext = {
    res,
    record,
    signal: abort.signal,
    provider: route.provider,
    scenario,
    model,
    body: isRecord(body) ? body : {},
    ids: makeIds(record.id),
  };

  try {
    if (endpoint === 'responses') {
      await (record.stream ? streamResponses(ctx) : answerResponses(ctx));
    } else {
      await (record.stream ? streamChat(ctx) : answerChat(ctx));
    }
  } catch (error) {
    if (abort.signal.aborted) return; // the client went away; nothing left to do
    throw error;
  }
}

/**
 * Whether a request body already holds a tool result: a `function_call_output` item in a Responses
 * `input`, a `role: "tool"` message in a chat `messages` list.
 */
function carriesToolResult(endpoint: Endpoint, body: unknown): boolean {
  if (!isRecord(body)) return false;
  const items = endpoint === 'responses' ? body.input : body.messages;
  if (!Array.isArray(items)) return false;
  return items.some((item: unknown) =>
    endpoint === 'responses'
      ? isRecord(item) && item.type === 'function_call_output'
      : isRecord(item) && item.role === 'tool',
  );
}

function handleControl(req: IncomingMessage, res: ServerResponse, path: string, requests: RecordedRequest[]): void {
  if (req.method === 'GET' && path === '/__control/requests') {
    sendJson(res, 200, requests);
  } else if (req.method === 'POST' && path === '/__control/reset') {
    requests.length = 0;
    sendJson(res, 200, { ok: true });
  } else {
    sendJson(res, 404, { error: { message: `no control endpoint ${req.method ?? ''} ${path}` } });
  }
}

// ---------------------------------------------------------------------------------------------
// Plumbing: bodies, pacing, SSE framing
// ---------------------------------------------------------------------------------------------

type ExchangeContext = {
  res: ServerResponse;
  record: RecordedRequest;
  signal: AbortSignal;
  provider: ProviderId;
  scenario: Scenario;
  model: string;
  body: Record<string, unknown>;
  ids: ReturnType<typeof makeIds>;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}

function makeIds(seq: number) {
  const hex = seq.toString(16).padStart(8, '0');
  return {
    response: `resp_fake${hex}`,
    reasoningItem: `rs_fake${hex}`,
    messageItem: `msg_fake${hex}`,
    functionCallItem: `fc_fake${hex}`,
    toolCall: `call_fake${hex}`,
    chat: `chatcmpl-fake${hex}`,
    openrouter: `gen-fake-${hex}`,
    createdAt: Math.floor(Date.now() / 1000),
  };
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Writes bytes and resolves once they are handed to the socket; rejects if the client left. */
function writeBytes(ctx: ExchangeContext, bytes: Buffer | string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ctx.signal.aborted || ctx.res.destroyed) {
      reject(new Error('client disconnected'));
      return;
    }
    ctx.res.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

/** Index inside the first multibyte UTF-8 sequence of `bytes`, or the middle when there is none. */
function splitIndex(bytes: Buffer): number {
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if ((b & 0xc0) === 0x80) return i; // a continuation byte: split just before it
  }
  return Math.floor(bytes.length / 2);
}

/**
 * Writes one SSE event: optional `event:` line, one `data:` line, blank line.
 * JSON text never holds a raw CR or LF, so one `data:` line always suffices.
 */
async function writeEvent(ctx: ExchangeContext, data: string, event?: string): Promise<void> {
  const frame = Buffer.from(`${event === undefined ? '' : `event: ${event}\n`}data: ${data}\n\n`, 'utf8');
  if (!ctx.scenario.splitWrites) {
    await writeBytes(ctx, frame);
    return;
  }
  const at = splitIndex(frame);
  await writeBytes(ctx, frame.subarray(0, at));
  await sleep(2, undefined, { signal: ctx.signal });
  await writeBytes(ctx, frame.subarray(at));
}

function startEventStream(ctx: ExchangeContext, extraHeaders: Record<string, string> = {}): void {
  ctx.res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': `req_fake${ctx.record.id}`,
    ...extraHeaders,
  });
  ctx.record.status = 200;
  ctx.res.flushHeaders();
}

/** Waits the scenario's per-delta delay (aborts with the client). */
async function pace(ctx: ExchangeContext): Promise<void> {
  if (ctx.scenario.delayMs > 0) await sleep(ctx.scenario.delayMs, undefined, { signal: ctx.signal });
}

/** Resolves never; rejects when the client disconnects. */
function waitForDisconnect(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new Error('client disconnected'));
    signal.addEventListener('abort', () => reject(new Error('client disconnected')), { once: true });
  });
}

/** Ends the exchange by destroying the socket without a proper end of the body. */
function cutConnection(ctx: ExchangeContext): void {
  ctx.record.cut = true;
  ctx.res.destroy();
}

/** Non-streaming answers: wait as long as the stream would have taken, or hang / cut. */
async function beforeNonStreamingAnswer(ctx: ExchangeContext): Promise<'answer' | 'done'> {
  const { scenario } = ctx;
  if (scenario.ending === 'hang') {
    await waitForDisconnect(ctx.signal);
  }
  const deltas = scenario.reasoning.length + scenario.text.length + (scenario.toolCall?.argumentDeltas.length ?? 0);
  const total = scenario.delayMs * deltas;
  if (total > 0) await sleep(total, undefined, { signal: ctx.signal });
  if (scenario.ending === 'midstream-error') {
    ctx.res.writeHead(200, { 'content-type': 'application/json' });
    await writeBytes(ctx, '{"id":"');
    cutConnection(ctx);
    return 'done';
  }
  return 'answer';
}

// ---------------------------------------------------------------------------------------------
// Errors, in each provider's JSON shape
// ---------------------------------------------------------------------------------------------

/** `'missing-key'`, `'scripted'` (the scenario's own error), or a literal message. */
type ErrorKind = string;

/**
 * Error bodies as the real APIs send them:
 * - OpenAI (and most OpenAI-compatible servers): `{ error: { message, type, param, code } }`
 * - xAI: `{ code, error }` with gRPC-style status text in `code`
 * - OpenRouter: `{ error: { message, code } }` with the numeric HTTP status as `code`
 */
function errorPayload(provider: ProviderId, status: number, kind: ErrorKind): unknown {
  const message = errorMessage(provider, status, kind);
  switch (provider) {
    case 'openai':
    case 'compatible':
      return { error: { message, type: openaiErrorType(status), param: null, code: openaiErrorCode(status, kind) } };
    case 'xai':
      return { code: xaiErrorCode(status), error: message };
    case 'openrouter':
      return { error: { message, code: status } };
  }
}

function errorMessage(provider: ProviderId, status: number, kind: ErrorKind): string {
  if (kind !== 'missing-key' && kind !== 'scripted') return kind;
  if (status === 401 && kind === 'missing-key') {
    if (provider === 'openrouter') return 'No auth credentials found';
    if (provider === 'xai') return 'No API key provided. You can obtain an API key from https://console.x.ai.';
    return "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
  }
  if (status === 401) {
    if (provider === 'openrouter') return 'User not found.';
    if (provider === 'xai') return 'Incorrect API key provided: xa***ke. You can obtain an API key from https://console.x.ai.';
    return 'Incorrect API key provided: sk-fa***ke. You can find your API key at https://platform.openai.com/account/api-keys.';
  }
  if (status === 429) {
    if (provider === 'openrouter') return 'Rate limit exceeded: limit_rpm/fake/fake-model. High demand for this model.';
    return 'Rate limit reached for requests. Please try again in 1s.';
  }
  return 'The server had an error while processing your request. Sorry about that!';
}

function openaiErrorType(status: number): string {
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function openaiErrorCode(status: number, kind: ErrorKind): string | null {
  if (status === 401 && kind === 'scripted') return 'invalid_api_key';
  if (status === 429) return 'rate_limit_exceeded';
  if (status === 404) return 'unknown_url';
  return null;
}

function xaiErrorCode(status: number): string {
  if (status === 401) return 'Client specified an invalid argument';
  if (status === 429) return 'Some resource has been exhausted';
  if (status === 404) return 'Some requested entity was not found';
  if (status >= 500) return 'Internal error';
  return 'Client specified an invalid argument';
}

function sendScriptedError(res: ServerResponse, provider: ProviderId, httpError: ScriptedHttpError): void {
  const headers: Record<string, string> =
    httpError.retryAfterSeconds === undefined ? {} : { 'retry-after': String(httpError.retryAfterSeconds) };
  sendJson(res, httpError.status, errorPayload(provider, httpError.status, 'scripted'), headers);
}

// ---------------------------------------------------------------------------------------------
// Responses API (OpenAI `POST /responses`, xAI `POST /responses`)
// ---------------------------------------------------------------------------------------------

function responsesUsage(scenario: Scenario) {
  const { inputTokens, outputTokens, reasoningTokens } = scenario.usage;
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: reasoningTokens },
    total_tokens: inputTokens + outputTokens,
  };
}

type ItemStatus = 'in_progress' | 'completed';

function reasoningItem(ctx: ExchangeContext, summary: string | null, status: ItemStatus) {
  return {
    id: ctx.ids.reasoningItem,
    type: 'reasoning',
    summary: summary === null ? [] : [{ type: 'summary_text', text: summary }],
    // xAI's schema requires a status on reasoning items; OpenAI's API includes it too.
    status,
  };
}

function outputTextPart(text: string) {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function messageItem(ctx: ExchangeContext, text: string | null, status: ItemStatus) {
  return {
    id: ctx.ids.messageItem,
    type: 'message',
    status,
    content: text === null ? [] : [outputTextPart(text)],
    role: 'assistant',
  };
}

function functionCallItem(ctx: ExchangeContext, toolCall: ScriptedToolCall, args: string, status: ItemStatus) {
  return {
    id: ctx.ids.functionCallItem,
    type: 'function_call',
    status,
    arguments: args,
    call_id: ctx.ids.toolCall,
    name: toolCall.name,
  };
}

/** Whether a response has a message item: when it has text, or nothing else to say. */
function hasMessage(scenario: Scenario): boolean {
  return scenario.text.length > 0 || scenario.toolCall === undefined;
}

/** The `response` object, as in `response.created` / `response.completed` and non-streaming answers. */
function responseObject(
  ctx: ExchangeContext,
  status: 'in_progress' | 'completed' | 'failed',
  output: unknown[],
  extra: { usage?: unknown; error?: unknown } = {},
) {
  const reasoning = isRecord(ctx.body.reasoning) ? ctx.body.reasoning : null;
  return {
    id: ctx.ids.response,
    object: 'response',
    created_at: ctx.ids.createdAt,
    status,
    background: false,
    error: extra.error ?? null,
    incomplete_details: null,
    instructions: typeof ctx.body.instructions === 'string' ? ctx.body.instructions : null,
    max_output_tokens: typeof ctx.body.max_output_tokens === 'number' ? ctx.body.max_output_tokens : null,
    model: ctx.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: reasoning?.effort ?? null, summary: reasoning?.summary ?? null },
    service_tier: 'default',
    store: ctx.body.store !== false,
    temperature: typeof ctx.body.temperature === 'number' ? ctx.body.temperature : 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: typeof ctx.body.top_p === 'number' ? ctx.body.top_p : 1,
    truncation: 'disabled',
    usage: extra.usage ?? null,
    user: null,
    metadata: {},
  };
}

async function answerResponses(ctx: ExchangeContext): Promise<void> {
  if ((await beforeNonStreamingAnswer(ctx)) === 'done') return;
  const { scenario } = ctx;
  const output: unknown[] = [];
  if (scenario.reasoning.length > 0) output.push(reasoningItem(ctx, scenario.reasoning.join(''), 'completed'));
  if (hasMessage(scenario)) output.push(messageItem(ctx, scenario.text.join(''), 'completed'));
  if (scenario.toolCall) {
    output.push(functionCallItem(ctx, scenario.toolCall, scenario.toolCall.argumentDeltas.join(''), 'completed'));
  }
  sendJson(ctx.res, 200, responseObject(ctx, 'completed', output, { usage: responsesUsage(scenario) }));
}

/**
 * Streams a Responses API answer, event by event, as OpenAI and xAI do:
 * created, in_progress, [reasoning item with summary part + text deltas], message item with an
 * output_text content part + deltas, [function_call item with argument deltas], then completed
 * (or failed / nothing, per scenario, in which case no tool call is sent).
 */
async function streamResponses(ctx: ExchangeContext): Promise<void> {
  const { scenario } = ctx;
  let sequence = 0;
  const send = (type: string, fields: Record<string, unknown>) =>
    writeEvent(ctx, JSON.stringify({ type, sequence_number: sequence++, ...fields }), type);

  startEventStream(ctx);
  const output: unknown[] = [];
  await send('response.created', { response: responseObject(ctx, 'in_progress', []) });
  await send('response.in_progress', { response: responseObject(ctx, 'in_progress', []) });

  if (scenario.reasoning.length > 0) {
    const where = { item_id: ctx.ids.reasoningItem, output_index: output.length };
    const summary = scenario.reasoning.join('');
    await send('response.output_item.added', {
      output_index: where.output_index,
      item: reasoningItem(ctx, null, 'in_progress'),
    });
    await send('response.reasoning_summary_part.added', {
      ...where,
      summary_index: 0,
      part: { type: 'summary_text', text: '' },
    });
    for (const delta of scenario.reasoning) {
      await pace(ctx);
      await send('response.reasoning_summary_text.delta', { ...where, summary_index: 0, delta });
    }
    await send('response.reasoning_summary_text.done', { ...where, summary_index: 0, text: summary });
    await send('response.reasoning_summary_part.done', {
      ...where,
      summary_index: 0,
      part: { type: 'summary_text', text: summary },
    });
    const done = reasoningItem(ctx, summary, 'completed');
    await send('response.output_item.done', { output_index: where.output_index, item: done });
    output.push(done);
  }

  const where = { item_id: ctx.ids.messageItem, output_index: output.length };
  const text = scenario.text.join('');
  const withMessage = hasMessage(scenario);
  if (withMessage) {
    await send('response.output_item.added', {
      output_index: where.output_index,
      item: messageItem(ctx, null, 'in_progress'),
    });
    await send('response.content_part.added', { ...where, content_index: 0, part: outputTextPart('') });
    for (const delta of scenario.text) {
      await pace(ctx);
      await send('response.output_text.delta', { ...where, content_index: 0, delta, logprobs: [] });
    }
  }

  if (scenario.ending === 'hang') {
    await waitForDisconnect(ctx.signal);
  }
  if (scenario.ending === 'midstream-error') {
    const error = { code: 'server_error', message: 'The server had an error while processing your request.' };
    // OpenAI sends an `error` event and then `response.failed`; xAI ends with `response.failed`.
    if (ctx.provider === 'openai') await send('error', { ...error, param: null });
    await send('response.failed', {
      response: responseObject(ctx, 'failed', output, { error, usage: responsesUsage(scenario) }),
    });
    ctx.res.end();
    return;
  }

  if (withMessage) {
    await send('response.output_text.done', { ...where, content_index: 0, text, logprobs: [] });
    await send('response.content_part.done', { ...where, content_index: 0, part: outputTextPart(text) });
    const message = messageItem(ctx, text, 'completed');
    await send('response.output_item.done', { output_index: where.output_index, item: message });
    output.push(message);
  }

  if (scenario.toolCall) {
    const call = scenario.toolCall;
    const at = { item_id: ctx.ids.functionCallItem, output_index: output.length };
    const args = call.argumentDeltas.join('');
    await send('response.output_item.added', {
      output_index: at.output_index,
      item: functionCallItem(ctx, call, '', 'in_progress'),
    });
    for (const delta of call.argumentDeltas) {
      await pace(ctx);
      await send('response.function_call_arguments.delta', { ...at, delta });
    }
    await send('response.function_call_arguments.done', { ...at, arguments: args });
    const done = functionCallItem(ctx, call, args, 'completed');
    await send('response.output_item.done', { output_index: at.output_index, item: done });
    output.push(done);
  }

  await send('response.completed', {
    response: responseObject(ctx, 'completed', output, { usage: responsesUsage(scenario) }),
  });
  ctx.res.end();
}

// ---------------------------------------------------------------------------------------------
// Chat Completions (OpenAI, xAI, OpenRouter, OpenAI-compatible `POST /chat/completions`)
// ---------------------------------------------------------------------------------------------

/**
 * Where the dialects differ:
 * - reasoning: OpenAI does not return reasoning text in Chat Completions (only a token count);
 *   xAI and OpenAI-compatible servers (DeepSeek, vLLM) send `reasoning_content`; OpenRouter sends
 *   `reasoning` plus `reasoning_details: [{ type: 'reasoning.text', ... }]`.
 * - usage: OpenAI, xAI and compatible servers send a final `choices: []` chunk with usage only when
 *   `stream_options.include_usage` is set; OpenRouter always sends it.
 * - OpenRouter adds `provider` / `native_finish_reason`, uses `gen-` ids, sends
 *   `: OPENROUTER PROCESSING` comments, and reports mid-stream failures as a chunk with `error`
 *   and `finish_reason: "error"`; the others just drop the connection.
 */
function chatUsage(ctx: ExchangeContext) {
  const { inputTokens, outputTokens, reasoningTokens } = ctx.scenario.usage;
  const totals = {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
  if (ctx.provider === 'openrouter') {
    return {
      ...totals,
      cost: 0,
      is_byok: false,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      cost_details: { upstream_inference_cost: null },
      completion_tokens_details: { reasoning_tokens: reasoningTokens, image_tokens: 0 },
    };
  }
  return {
    ...totals,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function chatMessageReasoning(ctx: ExchangeContext, reasoning: string): Record<string, unknown> {
  if (reasoning.length === 0) return {};
  switch (ctx.provider) {
    case 'openai':
      return {};
    case 'xai':
    case 'compatible':
      return { reasoning_content: reasoning };
    case 'openrouter':
      return {
        reasoning,
        reasoning_details: [{ type: 'reasoning.text', text: reasoning, format: 'unknown', index: 0 }],
      };
  }
}

function chatEnvelope(ctx: ExchangeContext, object: 'chat.completion' | 'chat.completion.chunk') {
  if (ctx.provider === 'openrouter') {
    return { id: ctx.ids.openrouter, provider: 'FakeProvider', model: ctx.model, object, created: ctx.ids.createdAt };
  }
  return {
    id: ctx.ids.chat,
    object,
    created: ctx.ids.createdAt,
    model: ctx.model,
    system_fingerprint: 'fp_fake',
  };
}

async function answerChat(ctx: ExchangeContext): Promise<void> {
  if ((await beforeNonStreamingAnswer(ctx)) === 'done') return;
  const { scenario } = ctx;
  const openrouter = ctx.provider === 'openrouter';
  const call = scenario.toolCall;
  const finishReason = call ? 'tool_calls' : 'stop';
  sendJson(ctx.res, 200, {
    ...chatEnvelope(ctx, 'chat.completion'),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: hasMessage(scenario) ? scenario.text.join('') : null,
          refusal: null,
          ...chatMessageReasoning(ctx, scenario.reasoning.join('')),
          ...(call && {
            tool_calls: [
              {
                id: ctx.ids.toolCall,
                type: 'function',
                function: { name: call.name, arguments: call.argumentDeltas.join('') },
              },
            ],
          }),
          ...(!openrouter && { annotations: [] }),
        },
        logprobs: null,
        finish_reason: finishReason,
        ...(openrouter && { native_finish_reason: finishReason }),
      },
    ],
    usage: chatUsage(ctx),
  });
}

async function streamChat(ctx: ExchangeContext): Promise<void> {
  const { scenario } = ctx;
  const openrouter = ctx.provider === 'openrouter';
  const streamOptions = isRecord(ctx.body.stream_options) ? ctx.body.stream_options : {};
  const withUsage = openrouter || streamOptions.include_usage === true;
  const envelope = chatEnvelope(ctx, 'chat.completion.chunk');

  const sendChoice = (delta: Record<string, unknown>, finishReason: string | null = null, extra = {}) =>
    writeEvent(
      ctx,
      JSON.stringify({
        ...envelope,
        choices: [
          {
            index: 0,
            delta,
            logprobs: null,
            finish_reason: finishReason,
            ...(openrouter && { native_finish_reason: finishReason }),
          },
        ],
        ...(withUsage && !openrouter && { usage: null }),
        ...extra,
      }),
    );

  startEventStream(ctx);
  if (openrouter) await writeBytes(ctx, ': OPENROUTER PROCESSING\n\n');

  // A response that only calls a tool has `content: null`, as the real APIs send it.
  const content = hasMessage(scenario) ? '' : null;
  await sendChoice(openrouter ? { role: 'assistant', content } : { role: 'assistant', content, refusal: null });

  for (const delta of scenario.reasoning) {
    await pace(ctx);
    if (ctx.provider === 'openai') continue; // reasoning is hidden in Chat Completions
    if (openrouter) {
      await sendChoice({
        role: 'assistant',
        content: '',
        reasoning: delta,
        reasoning_details: [{ type: 'reasoning.text', text: delta, format: 'unknown', index: 0 }],
      });
    } else {
      await sendChoice({ content: null, reasoning_content: delta });
    }
  }

  for (const delta of scenario.text) {
    await pace(ctx);
    await sendChoice(openrouter ? { role: 'assistant', content: delta } : { content: delta });
  }

  if (scenario.ending === 'hang') {
    await waitForDisconnect(ctx.signal);
  }
  if (scenario.ending === 'midstream-error') {
    if (openrouter) {
      await sendChoice({ role: 'assistant', content: '' }, 'error', {
        error: { code: 'server_error', message: 'Provider returned error' },
      });
      ctx.res.end();
    } else {
      cutConnection(ctx);
    }
    return;
  }

  const call = scenario.toolCall;
  if (call) {
    // The first fragment names the call; the rest carry only argument text, keyed by `index`.
    const fragment = (toolCall: Record<string, unknown>) =>
      sendChoice({ ...(openrouter && { role: 'assistant', content: null }), tool_calls: [{ index: 0, ...toolCall }] });
    await fragment({ id: ctx.ids.toolCall, type: 'function', function: { name: call.name, arguments: '' } });
    for (const delta of call.argumentDeltas) {
      await pace(ctx);
      await fragment({ function: { arguments: delta } });
    }
  }

  await sendChoice(openrouter ? { role: 'assistant', content: '' } : {}, call ? 'tool_calls' : 'stop');
  if (withUsage) {
    await writeEvent(ctx, JSON.stringify({ ...envelope, choices: [], usage: chatUsage(ctx) }));
  }
  await writeEvent(ctx, '[DONE]');
  ctx.res.end();
}
