/**
 * The benchmark's client: starts a bench run with `fetch` and parses the SSE response with
 * `eventsource-parser`, as the browser client does, recording when each event is parsed.
 *
 * Added latency of one event = the time it is parsed here (`performance.timeOrigin +
 * performance.now()`) minus the send time the producer wrote into its token. Both are
 * high-resolution wall-clock readings on the same machine, so they compare across processes.
 */
import { createParser } from 'eventsource-parser';

export interface RunReading {
  /** Token events received (not counting the terminal). */
  tokens: number;
  /** Whether the terminal `gen.done` arrived. */
  completed: boolean;
  /** Added latency of each token, ms, in arrival order. */
  latenciesMs: Float64Array;
  /** From sending the request to the terminal envelope, ms. */
  wallMs: number;
  /** From the first token parsed to the last, ms. */
  streamMs: number;
  /** From the first token's send time to the last token's, ms (how fast the producer went). */
  producedMs: number;
  /** Response bytes received. */
  bytes: number;
  /** Network reads (chunks) it took. */
  chunks: number;
  /** CPU this (client) process spent, ms. */
  clientCpuMs: number;
}

function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** POSTs `{kind: 'bench', input: {count, rate}}` to `url` (with the session `cookie`, for the app) and reads the stream to its end. */
export async function readBenchRun(url: string, input: { count: number; rate: number }, cookie?: string): Promise<RunReading> {
  const latencies = new Float64Array(input.count);
  let tokens = 0;
  let completed = false;
  let firstToken = Number.NaN;
  let lastToken = Number.NaN;
  let firstSent = Number.NaN;
  let lastSent = Number.NaN;
  let failure: Error | undefined;

  const parser = createParser({
    onEvent(event) {
      const now = preciseNow();
      const envelope = JSON.parse(event.data) as { type: string; data: { token?: string; code?: string; message?: string } };
      if (envelope.type === 'gen.token') {
        const sent = Number(envelope.data.token);
        if (tokens < latencies.length) latencies[tokens] = now - sent;
        tokens += 1;
        if (Number.isNaN(firstToken)) {
          firstToken = now;
          firstSent = sent;
        }
        lastToken = now;
        lastSent = sent;
      } else if (envelope.type === 'gen.done') {
        completed = true;
      } else if (envelope.type === 'error') {
        failure = new Error(`run failed: ${envelope.data.code}: ${envelope.data.message}`);
      }
    },
    onError(error) {
      failure = error;
    },
  });

  const cpuStart = process.cpuUsage();
  const started = preciseNow();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify({ kind: 'bench', input }),
  });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  const decoder = new TextDecoder();
  let bytes = 0;
  let chunks = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    chunks += 1;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  const ended = preciseNow();
  const cpu = process.cpuUsage(cpuStart);
  if (failure) throw failure;
  if (!completed) throw new Error(`${url}: the stream ended after ${tokens} tokens without gen.done`);
  return {
    tokens,
    completed,
    latenciesMs: latencies.subarray(0, Math.min(tokens, latencies.length)),
    wallMs: ended - started,
    streamMs: lastToken - firstToken,
    producedMs: lastSent - firstSent,
    bytes,
    chunks,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
  };
}
