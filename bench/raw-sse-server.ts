/**
 * The relay benchmark's baseline: a raw `node:http` SSE server, run in its own process, doing the
 * work the app does per event with nothing around it.
 *
 * `POST /` with the app's body, `{"kind":"bench","input":{"count":N,"rate":R}}`, runs the same
 * `benchProducer` and answers with its SSE stream. Three modes (argument `--mode`):
 *
 * - `direct` (default, the baseline the bar is measured against): each payload is wrapped in an
 *   envelope exactly as the hub builds it (uuid, seq, ts, corrId), framed with the same
 *   `formatEnvelope`, and written at once with `res.write`. No log, no reducer, no web streams,
 *   no framework: the least work a correct relay of these envelopes can do.
 * - `pipe`: `direct`, but each frame is encoded and enqueued on a web `ReadableStream` that Next.js's
 *   own `pipeToNodeResponse` pipes to the response, as it does a route handler's body. Nothing of
 *   the app's own: the floor any App Router route handler streaming these frames stands on, so
 *   the cost of the app's work shows apart from the cost of the framework's stream bridge.
 * - `hub`: the producer goes through the app's own `createRunHub` (envelope, reducer, memory
 *   log) and each log entry's frame is written with `res.write`. The difference between `hub`
 *   and the app is then the HTTP layer alone (Next.js routing, web ReadableStream, coalescing).
 *
 * Shared runs, for the load benchmark's fan-out case, follow the app's routes: a `POST` without
 * `Accept: text/event-stream` starts the run and answers 201 `{runId, eventsUrl}`, and each
 * `GET /api/runs/:id/events` joins it live. No replay but of the first frame in `direct` and
 * `pipe` modes: the bench measures tokens sent after every reader has joined, and the first token
 * tells a reader when the run started (so when each later token was due). In those modes one
 * producer loop frames each envelope once and sends the frame to every reader, as the app's log
 * fans one frame out; in `hub` mode each reader subscribes to the run's log. The producer stops
 * when its last reader leaves.
 *
 * Prints one line `{"listening":<port>}` on stdout once it accepts connections.
 * Usage: tsx bench/raw-sse-server.ts [--port 0] [--mode direct|pipe|hub]
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { pipeToNodeResponse } from 'next/dist/server/pipe-readable';
import { benchInputSchema, type BenchInput } from '../lib/kinds/bench';
import { benchProducer } from '../lib/producers/bench/producer';
import type { EventEnvelope } from '../lib/protocol/envelope';
import { formatEnvelope, SSE_HEADERS } from '../lib/protocol/sse';
import { createRunHub } from '../lib/runs/hub';

const { values: args } = parseArgs({
  options: { port: { type: 'string', default: '0' }, mode: { type: 'string', default: 'direct' } },
});
const mode = args.mode === 'hub' || args.mode === 'pipe' ? args.mode : 'direct';

const hub = createRunHub({ graceMs: 60_000, maxDurationMs: 15 * 60_000, retentionMs: 2_000 });

/** A run many readers share (fan-out): its readers, and how to stop its producer. */
interface SharedRun {
  /** Joins a reader; returns what to call when it leaves. */
  join(response: ServerResponse): () => void;
}

/** Where `direct` and `pipe` modes send a reader's frames. */
interface FrameSink {
  write(frame: string): void;
  end(): void;
}

const encoder = new TextEncoder();

function openSink(response: ServerResponse): FrameSink {
  if (mode !== 'pipe') return { write: (frame) => response.write(frame), end: () => response.end() };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    // The pipe cancels the body when the client goes away.
    cancel: () => void (open = false),
  });
  void pipeToNodeResponse(body, response);
  return {
    write(frame) {
      if (open) controller.enqueue(encoder.encode(frame));
    },
    end() {
      if (open) controller.close();
      open = false;
    },
  };
}

const sharedRuns = new Map<string, SharedRun>();

async function readBody(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}

async function streamDirect(input: BenchInput, response: ServerResponse, signal: AbortSignal): Promise<void> {
  const runId = randomUUID();
  const sink = openSink(response);
  let seq = 0;
  try {
    for await (const event of benchProducer(input, { runId, signal })) {
      const envelope = { v: '1', id: randomUUID(), type: event.type, seq: ++seq, ts: Date.now(), corrId: runId, data: event.data } as EventEnvelope;
      sink.write(formatEnvelope(envelope));
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  sink.end();
}

function streamThroughHub(input: BenchInput, response: ServerResponse, signal: AbortSignal): void {
  const run = hub.start({ kind: 'bench', input, producer: benchProducer });
  const unsubscribe = run.log.subscribe((entry) => {
    response.write(entry.frame);
    if (entry.envelope.type === 'gen.done' || entry.envelope.type === 'error') {
      unsubscribe();
      response.end();
    }
  });
  signal.addEventListener('abort', () => {
    unsubscribe();
    hub.cancel(run.id, 'user');
  });
}

function startSharedDirect(input: BenchInput): string {
  const runId = randomUUID();
  const controller = new AbortController();
  const readers = new Set<FrameSink>();
  let firstFrame: string | undefined;
  sharedRuns.set(runId, {
    join(response) {
      const sink = openSink(response);
      if (firstFrame) sink.write(firstFrame);
      readers.add(sink);
      return () => {
        readers.delete(sink);
        if (readers.size === 0) controller.abort();
      };
    },
  });
  void (async () => {
    let seq = 0;
    try {
      for await (const event of benchProducer(input, { runId, signal: controller.signal })) {
        const envelope = { v: '1', id: randomUUID(), type: event.type, seq: ++seq, ts: Date.now(), corrId: runId, data: event.data } as EventEnvelope;
        const frame = formatEnvelope(envelope);
        firstFrame ??= frame;
        for (const reader of readers) reader.write(frame);
      }
    } catch (error) {
      if (!controller.signal.aborted) console.error(error);
    }
    sharedRuns.delete(runId);
    for (const reader of readers) reader.end();
  })();
  return runId;
}

function startSharedThroughHub(input: BenchInput): string {
  const run = hub.start({ kind: 'bench', input, producer: benchProducer });
  const readers = new Set<ServerResponse>();
  sharedRuns.set(run.id, {
    join(response) {
      readers.add(response);
      const unsubscribe = run.log.subscribe((entry) => {
        response.write(entry.frame);
        if (entry.envelope.type === 'gen.done' || entry.envelope.type === 'error') response.end();
      });
      return () => {
        unsubscribe();
        readers.delete(response);
        if (readers.size === 0) hub.cancel(run.id, 'user');
      };
    },
  });
  void run.finished.then(() => sharedRuns.delete(run.id));
  return run.id;
}

/** `GET /api/runs/:id/events` on a shared run: the reader joins it live. */
function joinSharedRun(id: string, response: ServerResponse): void {
  const run = sharedRuns.get(id);
  if (!run) {
    response.writeHead(404).end('no such run');
    return;
  }
  response.writeHead(200, SSE_HEADERS);
  response.flushHeaders();
  const leave = run.join(response);
  response.on('close', leave);
}

const EVENTS_PATH = /^\/api\/runs\/([^/]+)\/events$/;

const server = createServer(async (request, response) => {
  try {
    const events = request.method === 'GET' ? EVENTS_PATH.exec(request.url ?? '') : null;
    if (events) {
      joinSharedRun(events[1]!, response);
      return;
    }
    if (request.method !== 'POST') {
      response.writeHead(request.url === '/health' ? 200 : 405).end();
      return;
    }
    const body = (await readBody(request)) as { input?: unknown };
    const input = benchInputSchema.parse(body.input);
    if (!request.headers.accept?.includes('text/event-stream')) {
      const runId = mode === 'hub' ? startSharedThroughHub(input) : startSharedDirect(input);
      response.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ runId, eventsUrl: `/api/runs/${runId}/events` }));
      return;
    }
    const controller = new AbortController();
    response.on('close', () => controller.abort());
    response.writeHead(200, SSE_HEADERS);
    response.flushHeaders();
    if (mode === 'hub') streamThroughHub(input, response, controller.signal);
    else await streamDirect(input, response, controller.signal);
  } catch (error) {
    console.error(error);
    if (!response.headersSent) response.writeHead(400).end(String(error));
    else response.destroy();
  }
});

server.listen(Number(args.port), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ listening: port, mode })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
