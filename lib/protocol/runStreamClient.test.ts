/**
 * Tests of the run stream client against a real local HTTP server (node:http) that speaks the
 * run API's SSE: drops connections mid-event, replays from `Last-Event-ID`, answers 204, errors
 * and rate limits, and cuts its bytes at random boundaries (inside multibyte characters too).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import type { EventEnvelope } from './envelope';
import { formatEnvelope } from './sse';
import { mulberry32 } from '../seededRandom';
import {
  backoffDelay,
  defaultEventsUrl,
  openRunStream,
  parseRetryAfter,
  type RunStreamInvalid,
  type RunStreamOptions,
  type RunStreamStatus,
  type RunStreamStatusDetail,
} from './runStreamClient';

// ---------------------------------------------------------------------------------------------
// Fixtures.

const RUN_ID = 'run_test_1';

function envelope(seq: number, type: EventEnvelope['type'], data: EventEnvelope['data'], corrId = RUN_ID): EventEnvelope {
  return { v: '1', id: `e${seq}`, seq, ts: 1_700_000_000_000 + seq, corrId, type, data } as EventEnvelope;
}

/** A chat run's log: status, `tokens` tokens, metrics, done. */
function chatLog(tokens: string[]): EventEnvelope[] {
  const log: EventEnvelope[] = [envelope(1, 'status', { state: 'running' })];
  tokens.forEach((token, index) => log.push(envelope(log.length + 1, 'gen.token', { token, index })));
  log.push(envelope(log.length + 1, 'metrics', { ttftMs: 12, elapsedMs: 40, tokens: tokens.length, tokensPerSecond: 5 }));
  log.push(envelope(log.length + 1, 'gen.done', { finishReason: 'stop' }));
  return log;
}

interface Seen {
  method: string;
  url: string;
  lastEventId: string | undefined;
  at: number;
}

interface TestServer {
  url: string;
  requests: Seen[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

async function startServer(handler: Handler): Promise<TestServer> {
  const requests: Seen[] = [];
  const server = createServer((req, res) => {
    const header = req.headers['last-event-id'];
    requests.push({ method: req.method ?? '', url: req.url ?? '', lastEventId: Array.isArray(header) ? header[0] : header, at: Date.now() });
    handler(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const testServer: TestServer = {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(testServer);
  return testServer;
}

function sseHead(res: ServerResponse, extra: Record<string, string> = {}): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', ...extra });
  res.flushHeaders();
}

function lastEventIdOf(req: IncomingMessage): number {
  const header = req.headers['last-event-id'];
  return Number(Array.isArray(header) ? header[0] : (header ?? 0)) || 0;
}

/** Collects what the client reports, and resolves when it reaches a final status (or is closed). */
function collect(options: Omit<RunStreamOptions, 'onEnvelope' | 'onStatus' | 'onInvalid' | 'onRunId'>) {
  const envelopes: EventEnvelope[] = [];
  const statuses: Array<[RunStreamStatus, RunStreamStatusDetail | undefined]> = [];
  const invalid: RunStreamInvalid[] = [];
  const runIds: string[] = [];
  const handle = openRunStream({
    retry: { initialMs: 10, maxMs: 40, maxAttempts: 4 },
    random: () => 0.5,
    ...options,
    onEnvelope: (e) => envelopes.push(e),
    onStatus: (s, d) => statuses.push([s, d]),
    onInvalid: (i) => invalid.push(i),
    onRunId: (id) => runIds.push(id),
  });
  return { handle, envelopes, statuses, invalid, runIds, seqs: () => envelopes.map((e) => e.seq) };
}

/** Deterministic PRNG (mulberry32) so a failing random chunking can be replayed. */
const prng = mulberry32;

// ---------------------------------------------------------------------------------------------
// Resuming.

test('a dropped POST stream resumes on the events URL with the last seq and yields every envelope once', async () => {
  const log = chatLog(['Hel', 'lo', ', ', 'wor', 'ld', '!']);
  const server = await startServer((req, res, n) => {
    if (n === 1) {
      sseHead(res, { 'X-Run-Id': RUN_ID });
      // Four whole events, then half of the fifth, then the connection dies.
      for (const e of log.slice(0, 4)) res.write(formatEnvelope(e));
      const partial = formatEnvelope(log[4]!);
      res.write(partial.slice(0, partial.length / 2));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    sseHead(res);
    for (const e of log.filter((e) => e.seq > lastEventIdOf(req))) res.write(formatEnvelope(e));
    res.end();
  });

  const c = collect({ url: `${server.url}/api/runs`, method: 'POST', body: { kind: 'chat', input: { prompt: 'hi', model: 'm' } } });
  expect(await c.handle.finished).toBe('done');

  expect(c.seqs()).toEqual(log.map((e) => e.seq));
  expect(server.requests.map((r) => [r.method, r.url, r.lastEventId])).toEqual([
    ['POST', '/api/runs', undefined],
    ['GET', `/api/runs/${RUN_ID}/events`, '4'],
  ]);
  expect(c.statuses.map(([s]) => s)).toEqual(['connecting', 'streaming', 'reconnecting', 'streaming', 'done']);
});

test('the run id is learned from the first envelope when the response has no X-Run-Id header', async () => {
  const log = chatLog(['a', 'b']);
  const server = await startServer((req, res, n) => {
    sseHead(res);
    if (n === 1) {
      res.write(formatEnvelope(log[0]!));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    for (const e of log.filter((e) => e.seq > lastEventIdOf(req))) res.write(formatEnvelope(e));
    res.end();
  });

  const c = collect({ url: `${server.url}/api/runs`, method: 'POST', body: {} });
  await c.handle.finished;

  expect(c.runIds).toEqual([RUN_ID]);
  expect(server.requests[1]).toMatchObject({ method: 'GET', url: `/api/runs/${RUN_ID}/events`, lastEventId: '1' });
  expect(c.seqs()).toEqual(log.map((e) => e.seq));
});

test('a response that ends cleanly without the terminal envelope is resumed silently', async () => {
  const log = chatLog(['x', 'y', 'z']);
  const server = await startServer((req, res) => {
    sseHead(res);
    // Like the server's lifetime limit: two envelopes per response, then a clean end.
    for (const e of log.filter((e) => e.seq > lastEventIdOf(req)).slice(0, 2)) res.write(formatEnvelope(e));
    res.end();
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });
  expect(await c.handle.finished).toBe('done');

  expect(c.seqs()).toEqual(log.map((e) => e.seq));
  expect(c.statuses.map(([s]) => s)).not.toContain('reconnecting');
  expect(server.requests.map((r) => r.lastEventId)).toEqual([undefined, '2', '4']);
});

test('an envelope replayed after a resume is delivered only once', async () => {
  const log = chatLog(['1', '2', '3']);
  const server = await startServer((_req, res, n) => {
    sseHead(res);
    if (n === 1) {
      for (const e of log.slice(0, 3)) res.write(formatEnvelope(e));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    // A sloppy server replays from the start; the client must not repeat anything.
    for (const e of log) res.write(formatEnvelope(e));
    res.end();
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });
  await c.handle.finished;

  expect(c.seqs()).toEqual(log.map((e) => e.seq));
});

test('the caller-given lastEventId is sent on the first request', async () => {
  const server = await startServer((_req, res) => {
    res.writeHead(204).end();
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events`, lastEventId: 17 });
  await c.handle.finished;

  expect(server.requests[0]?.lastEventId).toBe('17');
  expect(c.handle.lastSeq).toBe(17);
});

// ---------------------------------------------------------------------------------------------
// Ending.

test('a 204 ends the stream as done without retrying', async () => {
  const server = await startServer((_req, res) => {
    res.writeHead(204).end();
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events`, lastEventId: 9 });

  expect(await c.handle.finished).toBe('done');
  expect(server.requests).toHaveLength(1);
  expect(c.envelopes).toEqual([]);
});

test('the terminal envelope ends the stream even when the server keeps the connection open', async () => {
  const log = chatLog(['only']);
  const server = await startServer((_req, res) => {
    sseHead(res);
    for (const e of log) res.write(formatEnvelope(e));
    // No res.end(): the client must stop on its own.
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });

  expect(await c.handle.finished).toBe('done');
  expect(c.seqs()).toEqual(log.map((e) => e.seq));
  expect(server.requests).toHaveLength(1);
});

test('a gen.done with a channel does not end the stream', async () => {
  const log = [
    envelope(1, 'gen.token', { token: 'a', index: 0, channel: 'steered' }),
    envelope(2, 'gen.done', { finishReason: 'stop', channel: 'steered' }),
    envelope(3, 'gen.done', { finishReason: 'stop' }),
  ];
  const server = await startServer((_req, res) => {
    sseHead(res);
    for (const e of log) res.write(formatEnvelope(e));
    res.end();
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });
  await c.handle.finished;

  expect(c.seqs()).toEqual([1, 2, 3]);
});

test('an error envelope with code cancelled ends the stream as cancelled', async () => {
  const server = await startServer((_req, res) => {
    sseHead(res);
    res.write(formatEnvelope(envelope(1, 'gen.token', { token: 'a', index: 0 })));
    res.write(formatEnvelope(envelope(2, 'error', { code: 'cancelled', message: 'Stopped', reason: 'user' })));
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });

  expect(await c.handle.finished).toBe('cancelled');
  expect(c.statuses.at(-1)?.[1]?.error).toMatchObject({ code: 'cancelled', envelope: { reason: 'user' } });
});

test('an error envelope ends the stream as error with its message', async () => {
  const server = await startServer((_req, res) => {
    sseHead(res);
    res.write(formatEnvelope(envelope(1, 'error', { code: 'provider:auth', message: 'Bad key' })));
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });

  expect(await c.handle.finished).toBe('error');
  expect(c.statuses.at(-1)?.[1]?.error).toMatchObject({ code: 'provider:auth', message: 'Bad key' });
});

// ---------------------------------------------------------------------------------------------
// Bad data.

test('an invalid envelope is reported and the stream goes on', async () => {
  const server = await startServer((_req, res) => {
    sseHead(res);
    res.write(formatEnvelope(envelope(1, 'gen.token', { token: 'a', index: 0 })));
    res.write(`id: 2\nevent: gen.token\ndata: ${JSON.stringify({ ...envelope(2, 'gen.token', { token: 'b', index: 1 }), seq: 'two' })}\n\n`);
    res.write('id: 3\nevent: gen.token\ndata: {not json\n\n');
    res.write(formatEnvelope(envelope(4, 'gen.done', { finishReason: 'stop' })));
    res.end();
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });

  expect(await c.handle.finished).toBe('done');
  expect(c.seqs()).toEqual([1, 4]);
  expect(c.invalid.map((i) => [i.kind, i.id])).toEqual([
    ['invalid_envelope', '2'],
    ['invalid_json', '3'],
  ]);
});

test('an envelope of an unknown type is skipped without a report', async () => {
  const server = await startServer((_req, res) => {
    sseHead(res);
    res.write(formatEnvelope(envelope(1, 'gen.token', { token: 'a', index: 0 })));
    res.write(`id: 2\nevent: gen.future\ndata: ${JSON.stringify({ ...envelope(2, 'status', { state: 'info' }), type: 'gen.future' })}\n\n`);
    res.write(formatEnvelope(envelope(3, 'gen.done', { finishReason: 'stop' })));
    res.end();
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });
  await c.handle.finished;

  expect(c.seqs()).toEqual([1, 3]);
  expect(c.invalid).toEqual([]);
});

test('bytes cut at random boundaries, inside multibyte characters and CRLF line ends, parse to the same text', async () => {
  const tokens = ['Grüße', ' 日本語', ' 🚀🧪', ' naïve', ' — ', 'é\u0301', ' 👩‍👩‍👧', ' end\r\nline'];
  const log = chatLog(tokens);
  const wire = Buffer.from(log.map((e) => formatEnvelope(e).replace(/\n/g, '\r\n')).join(''), 'utf8');
  for (const seed of [1, 2, 3, 4, 5]) {
    const random = prng(seed);
    const server = await startServer((_req, res) => {
      sseHead(res);
      void (async () => {
        for (let at = 0; at < wire.length; ) {
          const size = 1 + Math.floor(random() * 7);
          res.write(wire.subarray(at, at + size));
          at += size;
          if (random() < 0.2) await new Promise((r) => setTimeout(r, 1));
        }
        res.end();
      })();
    });

    const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });
    await c.handle.finished;

    const text = c.envelopes.flatMap((e) => (e.type === 'gen.token' ? [e.data.token] : [])).join('');
    expect(text, `seed ${seed}`).toBe(tokens.join(''));
    expect(c.seqs(), `seed ${seed}`).toEqual(log.map((e) => e.seq));
  }
});

test('heartbeat comments are ignored', async () => {
  const server = await startServer((_req, res) => {
    sseHead(res);
    res.write(': ping 1\n\n');
    res.write(formatEnvelope(envelope(1, 'gen.token', { token: 'a', index: 0 })));
    res.write(': ping 2\n\n');
    res.write(formatEnvelope(envelope(2, 'gen.done', { finishReason: 'stop' })));
    res.end();
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });
  await c.handle.finished;

  expect(c.seqs()).toEqual([1, 2]);
  expect(c.invalid).toEqual([]);
});

// ---------------------------------------------------------------------------------------------
// HTTP errors and retries.

test('a 400 is reported with its field errors and not retried', async () => {
  const server = await startServer((_req, res) => {
    res.writeHead(400, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'bad_request:input', message: 'Invalid input', fieldErrors: [{ path: 'input.prompt', message: 'Required' }] } }));
  });

  const c = collect({ url: `${server.url}/api/runs`, method: 'POST', body: {} });

  expect(await c.handle.finished).toBe('error');
  expect(server.requests).toHaveLength(1);
  expect(c.statuses.at(-1)?.[1]?.error).toEqual({
    code: 'bad_request:input',
    message: 'Invalid input',
    httpStatus: 400,
    fieldErrors: [{ path: 'input.prompt', message: 'Required' }],
    retryAfterMs: undefined,
  });
});

test('a 429 refusing to start a run ends the stream with the wait, for the user to retry', async () => {
  const server = await startServer((_req, res) => {
    res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '7' });
    res.end(JSON.stringify({ error: { code: 'rate_limited:runs', message: 'Slow down' } }));
  });

  const c = collect({ url: `${server.url}/api/runs`, method: 'POST', body: {} });

  expect(await c.handle.finished).toBe('error');
  expect(server.requests).toHaveLength(1);
  expect(c.statuses.at(-1)).toEqual([
    'error',
    { error: { code: 'rate_limited:runs', message: 'Slow down', httpStatus: 429, fieldErrors: undefined, retryAfterMs: 7000 } },
  ]);
});

test('a 429 on resuming is retried after its Retry-After', async () => {
  const server = await startServer((_req, res, n) => {
    if (n === 1) {
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '1' });
      res.end(JSON.stringify({ error: { code: 'rate_limited:streams', message: 'Too many streams' } }));
      return;
    }
    sseHead(res, { 'X-Run-Id': RUN_ID });
    res.end(formatEnvelope(envelope(1, 'gen.done', { finishReason: 'stop' })));
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });

  expect(await c.handle.finished).toBe('done');
  const [first, second] = server.requests;
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  expect(second!.method).toBe('GET');
  expect(c.statuses.find(([s]) => s === 'reconnecting')?.[1]).toMatchObject({ delayMs: 1000, error: { code: 'rate_limited:streams' } });
});

test('a 5xx is retried', async () => {
  const server = await startServer((_req, res, n) => {
    if (n < 3) {
      res.writeHead(503, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal:unexpected', message: 'Try later' } }));
      return;
    }
    sseHead(res);
    res.end(formatEnvelope(envelope(1, 'gen.done', { finishReason: 'stop' })));
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });

  expect(await c.handle.finished).toBe('done');
  expect(server.requests).toHaveLength(3);
});

test('the stream gives up with an error after maxAttempts consecutive failures', async () => {
  const server = await startServer((_req, res) => {
    res.writeHead(500).end();
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events`, retry: { initialMs: 5, maxMs: 5, maxAttempts: 3 } });

  expect(await c.handle.finished).toBe('error');
  expect(server.requests).toHaveLength(3);
  expect(c.statuses.at(-1)?.[1]?.error).toMatchObject({ httpStatus: 500 });
});

test('a POST that fails before any response is not repeated', async () => {
  const server = await startServer((req) => {
    req.socket.destroy();
  });

  const c = collect({ url: `${server.url}/api/runs`, method: 'POST', body: {} });

  expect(await c.handle.finished).toBe('error');
  expect(server.requests).toHaveLength(1);
  expect(c.statuses.at(-1)?.[1]?.error?.code).toBe('network');
});

test('a connection that stays silent past the idle timeout is resumed', async () => {
  const server = await startServer((req, res, n) => {
    sseHead(res);
    if (n === 1) {
      res.write(formatEnvelope(envelope(1, 'gen.token', { token: 'a', index: 0 })));
      return; // and then nothing, not even a heartbeat
    }
    if (lastEventIdOf(req) === 1) res.end(formatEnvelope(envelope(2, 'gen.done', { finishReason: 'stop' })));
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events`, idleTimeoutMs: 100 });

  expect(await c.handle.finished).toBe('done');
  expect(c.seqs()).toEqual([1, 2]);
  expect(server.requests[1]?.lastEventId).toBe('1');
});

// ---------------------------------------------------------------------------------------------
// Control.

test('close() aborts the request and no callback follows', async () => {
  let serverSawClose!: () => void;
  const closedOnServer = new Promise<void>((resolve) => (serverSawClose = resolve));
  const server = await startServer((_req, res) => {
    sseHead(res);
    res.write(formatEnvelope(envelope(1, 'gen.token', { token: 'a', index: 0 })));
    res.on('close', () => serverSawClose());
    setTimeout(() => {
      if (!res.destroyed) res.write(formatEnvelope(envelope(2, 'gen.token', { token: 'b', index: 1 })));
    }, 150);
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });
  await expect.poll(() => c.envelopes.length).toBe(1);
  const before = c.statuses.length;
  c.handle.close();

  expect(await c.handle.finished).toBeUndefined();
  await closedOnServer;
  await new Promise((r) => setTimeout(r, 200));
  expect(c.envelopes).toHaveLength(1);
  expect(c.statuses).toHaveLength(before);
});

test('aborting the caller signal closes the stream', async () => {
  const server = await startServer((_req, res) => {
    sseHead(res);
  });
  const controller = new AbortController();

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events`, signal: controller.signal });
  await expect.poll(() => c.statuses.map(([s]) => s)).toContain('streaming');
  controller.abort();

  expect(await c.handle.finished).toBeUndefined();
});

test('reconnectNow() skips the backoff wait', async () => {
  const server = await startServer((_req, res, n) => {
    if (n === 1) {
      res.writeHead(503).end();
      return;
    }
    sseHead(res);
    res.end(formatEnvelope(envelope(1, 'gen.done', { finishReason: 'stop' })));
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events`, retry: { initialMs: 60_000, maxMs: 60_000, maxAttempts: 3 } });
  await expect.poll(() => c.statuses.map(([s]) => s)).toContain('reconnecting');
  c.handle.reconnectNow();

  expect(await c.handle.finished).toBe('done');
  expect(server.requests).toHaveLength(2);
});

test('reconnectNow() drops an open connection and resumes from the last seq', async () => {
  const server = await startServer((req, res, n) => {
    sseHead(res);
    if (n === 1) {
      res.write(formatEnvelope(envelope(1, 'gen.token', { token: 'a', index: 0 })));
      return;
    }
    if (lastEventIdOf(req) === 1) res.end(formatEnvelope(envelope(2, 'gen.done', { finishReason: 'stop' })));
  });

  const c = collect({ url: `${server.url}/api/runs/${RUN_ID}/events` });
  await expect.poll(() => c.envelopes.length).toBe(1);
  c.handle.reconnectNow();

  expect(await c.handle.finished).toBe('done');
  expect(c.seqs()).toEqual([1, 2]);
});

// ---------------------------------------------------------------------------------------------
// Helpers.

test('backoff is full jitter under an exponentially growing cap', () => {
  const retry = { initialMs: 100, maxMs: 1000, maxAttempts: 5 };
  expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, retry, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
  expect(backoffDelay(3, retry, () => 0)).toBe(0);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  expect(parseRetryAfter('3')).toBe(3000);
  expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
  expect(parseRetryAfter('soon')).toBeUndefined();
  expect(parseRetryAfter(null)).toBeUndefined();
});

test('the events URL is built beside the runs URL', () => {
  expect(defaultEventsUrl('/api/runs', 'r 1')).toBe('/api/runs/r%201/events');
  expect(defaultEventsUrl('http://h:1/api/runs/', 'r')).toBe('http://h:1/api/runs/r/events');
  expect(defaultEventsUrl('http://h:1/api/runs/old/events?lastEventId=3', 'r')).toBe('http://h:1/api/runs/r/events');
  expect(defaultEventsUrl('http://h:1/start', 'r')).toBe('http://h:1/api/runs/r/events');
});

// ---------------------------------------------------------------------------------------------
// Blocking delivery.

/** A server that starts runs blocking: 201 on POST, then `running` answers until `polls` is reached. */
async function startBlockingServer({ polls, result }: { polls: number; result: Record<string, unknown> }) {
  let answered = 0;
  return startServer((req, res) => {
    if (req.method === 'POST') {
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Run-Mode': 'blocking' });
      res.end(JSON.stringify({ runId: RUN_ID, mode: 'blocking', eventsUrl: `/api/runs/${RUN_ID}/events`, resultUrl: `/api/runs/${RUN_ID}/result` }));
      return;
    }
    answered += 1;
    res.writeHead(answered < polls ? 202 : 200, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify(
        answered < polls
          ? { state: 'running', runId: RUN_ID, progress: { lastSeq: answered * 3, tokenCount: answered * 2, elapsedMs: answered * 1000 } }
          : { state: 'done', runId: RUN_ID, result },
      ),
    );
  });
}

function doneResult(status: string, extra: Record<string, unknown> = {}) {
  return { status, lastSeq: 9, generations: { main: { chunks: ['Hel', 'lo'], reasoning: [], tokenCount: 2, activations: [] } }, statusCodes: [], ...extra };
}

test('a run the server delivers blocking is polled on its result URL: progress, then the whole result, then done', async () => {
  const server = await startBlockingServer({ polls: 3, result: doneResult('done') });
  const progress: unknown[] = [];
  const results: unknown[] = [];
  const c = collect({
    url: `${server.url}/api/runs`,
    method: 'POST',
    body: {},
    pollWaitMs: 250,
    onProgress: (p) => progress.push(p),
    onResult: (r) => results.push(r),
  });

  expect(await c.handle.finished).toBe('done');
  expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
    'POST /api/runs',
    `GET /api/runs/${RUN_ID}/result?waitMs=250`,
    `GET /api/runs/${RUN_ID}/result?waitMs=250`,
    `GET /api/runs/${RUN_ID}/result?waitMs=250`,
  ]);
  expect(progress).toEqual([
    { lastSeq: 3, tokenCount: 2, elapsedMs: 1000 },
    { lastSeq: 6, tokenCount: 4, elapsedMs: 2000 },
  ]);
  expect(results).toEqual([doneResult('done')]);
  expect(c.statuses.map(([s]) => s)).toEqual(['connecting', 'waiting', 'done']);
  expect(c.runIds).toEqual([RUN_ID]);
  expect(c.envelopes).toEqual([]);
  expect(c.handle.lastSeq).toBe(9);
});

test('a blocking run that was cancelled ends cancelled, with the error the result carries', async () => {
  const error = { code: 'cancelled', reason: 'user', message: 'Stopped by the user.' };
  const server = await startBlockingServer({ polls: 1, result: doneResult('cancelled', { error }) });
  const c = collect({ url: `${server.url}/api/runs`, method: 'POST', body: {}, onResult: () => undefined });

  expect(await c.handle.finished).toBe('cancelled');
  expect(c.statuses.at(-1)).toEqual(['cancelled', { error: { code: 'cancelled', message: 'Stopped by the user.', envelope: error } }]);
});

test('a result URL answering something that is not a run result ends the stream with a readable error', async () => {
  const server = await startServer((req, res) => {
    res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(req.method === 'POST' ? { runId: RUN_ID, mode: 'blocking' } : { state: 'done', runId: RUN_ID, result: 'nope' }));
  });
  const c = collect({ url: `${server.url}/api/runs`, method: 'POST', body: {} });

  expect(await c.handle.finished).toBe('error');
  expect(c.statuses.at(-1)?.[1]?.error).toMatchObject({ code: 'bad_response' });
});

test('a dropped poll of a blocking run is retried', async () => {
  let polls = 0;
  const server = await startServer((req, res) => {
    if (req.method === 'POST') {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ runId: RUN_ID, mode: 'blocking' }));
      return;
    }
    polls += 1;
    if (polls === 1) {
      res.socket?.destroy();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ state: 'done', runId: RUN_ID, result: doneResult('done') }));
  });
  const c = collect({ url: `${server.url}/api/runs`, method: 'POST', body: {}, onResult: () => undefined });

  expect(await c.handle.finished).toBe('done');
  expect(c.statuses.map(([s]) => s)).toEqual(['connecting', 'waiting', 'reconnecting', 'done']);
});
