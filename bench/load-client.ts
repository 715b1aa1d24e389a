/**
 * The load benchmark's client process (`bench/load.ts` forks one or more): holds many SSE
 * connections at once and records, for every token, when it arrived and how long after the
 * producer stamped it. Running apart from the orchestrator keeps its parsing off the process
 * that reads the servers' CPU and memory, and lets the bench split connections over processes.
 *
 * Each stream is its own TCP connection (`Connection: close`, no keep-alive, as browsers on
 * separate machines would be), spoken to with a lean scan rather than `node:http` and
 * `eventsource-parser`: on a 2-core machine the clients share the CPU with the server under test,
 * and at 40,000 events/s the full client stack (HTTP parser, readable stream, SSE parser, JSON)
 * would take more of it than the server does. The scan is exact for what it reads, the `bench`
 * producer's frames: it waits for each event's blank line (`\n\n`), so a frame split across TCP
 * reads or chunked-encoding chunks is read once whole, then takes the token's send time from
 * `"token":"<ms>"` and notices a terminal `event: gen.done` or `event: error`. The
 * chunked-encoding size lines between frames never contain either pattern.
 *
 * Two latencies per token, both against arrival (`performance.timeOrigin + performance.now()`,
 * taken once per TCP read, the clock the producer stamps with; the bench corrects for the two
 * processes' clock offsets, see `bench/lib/clockOffset.ts`):
 * - delivery latency: minus the send time the `bench` producer wrote into the token (its stamp);
 * - schedule latency: minus the time the token was due, the first token's stamp plus
 *   `index / rate`. The producer keeps an absolute schedule (a late token is followed at once by
 *   the ones it owes), and stamps a token when it yields it, so a server whose event loop is
 *   saturated stamps late and its delivery latency looks fine. The schedule latency includes
 *   that lateness, as a user would see it. The first token a connection receives is its run's
 *   first (index 0, produced at once when the run starts) in every case but a raw-baseline
 *   fan-out reader in `hub` mode.
 *
 * Driven over IPC (`serialization: 'advanced'`, so latencies travel as a Float64Array); see
 * {@link ClientCommand} and {@link ClientReply}.
 */
import { connect, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { clockOffsetMs } from './lib/clockOffset';

export type ClientCommand =
  | {
      op: 'open';
      requestId: number;
      url: string;
      method: 'GET' | 'POST';
      body?: string;
      /** Cookie header of the session the streams are opened with (the app needs one). */
      cookie?: string;
      count: number;
      concurrency: number;
      /** The producer's tokens per second, to know when each token was due. */
      rate: number;
      /** Epoch ms by which every stream must be open: later ones are not started, or given up (counted as failed). */
      deadline: number;
    }
  | { op: 'mark'; requestId: number }
  | { op: 'collect'; requestId: number; from: number; to: number }
  | { op: 'close'; requestId: number };

export interface OpenReply {
  requestId: number;
  opened: number;
  failed: number;
  /** A few distinct failure messages (status and body, or the socket error). */
  errors: string[];
}

export interface CollectReply {
  requestId: number;
  /** Latency (ms) of each token that arrived in [from, to]: arrival minus the producer's stamp. */
  latenciesMs: Float64Array;
  /** The same tokens' arrival minus the time the producer's schedule had them due. */
  scheduleLatenciesMs: Float64Array;
  /** Connections still open, and those that ended or failed before the bench closed them. */
  open: number;
  dropped: number;
  dropReasons: string[];
  /** Tokens received since the connections opened, over all of them. */
  tokensTotal: number;
  /** This process's clock offset (`bench/lib/clockOffset.ts`): the latencies above are not corrected for it. */
  clockOffsetMs: number;
  /** This process's event-loop delay since `mark` (ms): high values mean the client, not the server, was late. */
  loopDelayMs: { p50: number; p99: number; max: number };
}

export interface MarkReply {
  requestId: number;
  /** Tokens received so far, over all connections. */
  tokensTotal: number;
}

export type ClientReply = OpenReply | CollectReply | MarkReply | { requestId: number } | { ready: true };

interface Connection {
  socket: Socket;
  /** The first token it received: index and stamp, from which the others' due times follow. */
  firstIndex: number;
  firstStamp: number;
  /** Set when the bench closes it on purpose, so its end is not counted as a drop. */
  closing: boolean;
  live: boolean;
}

function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Arrival time and both latencies of every token, in growable typed arrays (millions of tokens). */
let arrivals = new Float64Array(1 << 16);
let latencies = new Float64Array(1 << 16);
let scheduleLatencies = new Float64Array(1 << 16);
let recorded = 0;

function grown(array: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const bigger = new Float64Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function record(arrival: number, latency: number, scheduleLatency: number): void {
  if (recorded === arrivals.length) {
    arrivals = grown(arrivals);
    latencies = grown(latencies);
    scheduleLatencies = grown(scheduleLatencies);
  }
  arrivals[recorded] = arrival;
  latencies[recorded] = latency;
  scheduleLatencies[recorded] = scheduleLatency;
  recorded += 1;
}

const connections = new Set<Connection>();
let dropped = 0;
const dropReasons = new Set<string>();

function drop(connection: Connection, reason: string): void {
  if (!connection.live) return;
  connection.live = false;
  if (connection.closing) return;
  dropped += 1;
  if (dropReasons.size < 5) dropReasons.add(reason);
}

const TOKEN = '"token":"';
const INDEX = '"index":';
const HEADER_END = '\r\n\r\n';

/**
 * Records every token in the complete frames of `text` (the `bench` producer writes
 * `{"token":"<stamp>","index":<n>}`); answers a terminal's text if one is there.
 */
function scanFrames(connection: Connection, text: string, arrival: number, intervalMs: number): string | undefined {
  let at = text.indexOf(TOKEN);
  while (at >= 0) {
    const start = at + TOKEN.length;
    const end = text.indexOf('"', start);
    const stamp = Number(text.slice(start, end));
    const indexAt = text.indexOf(INDEX, end) + INDEX.length;
    const index = Number(text.slice(indexAt, text.indexOf('}', indexAt)));
    if (Number.isNaN(connection.firstStamp)) {
      connection.firstStamp = stamp;
      connection.firstIndex = index;
    }
    const due = connection.firstStamp + (index - connection.firstIndex) * intervalMs;
    record(arrival, arrival - stamp, arrival - due);
    at = text.indexOf(TOKEN, end);
  }
  const terminal = text.indexOf('event: gen.done') >= 0 ? 'gen.done' : text.indexOf('event: error') >= 0 ? 'error' : undefined;
  if (!terminal) return undefined;
  const from = text.indexOf(`event: ${terminal}`);
  return `terminal ${terminal}: ${text.slice(from, from + 300)}`;
}

/** A readable reason from a response that was not a stream (or no response at all). */
function answerOf(text: string): string {
  if (!text.startsWith('HTTP/')) return `closed before an answer${text ? `: ${text.slice(0, 200)}` : ''}`;
  const bodyAt = text.indexOf(HEADER_END);
  return `HTTP ${text.slice(9, 12)}: ${bodyAt < 0 ? '' : text.slice(bodyAt + 4, bodyAt + 204)}`;
}

/** Opens one stream; resolves once its 200 status line and headers arrive, rejects with a readable reason otherwise. */
function openOne(url: URL, method: 'GET' | 'POST', body: string | undefined, cookie: string | undefined, intervalMs: number, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const connection: Connection = { socket, firstIndex: 0, firstStamp: Number.NaN, closing: false, live: true };
    connections.add(connection);
    let settled = false;
    let head = true;
    let carry = '';
    const fail = (reason: string) => {
      clearTimeout(late);
      socket.destroy();
      // An open stream that ends is a drop; one that never opened is a failed open, not both.
      if (settled) {
        drop(connection, reason);
        return;
      }
      settled = true;
      connection.live = false;
      connections.delete(connection);
      reject(new Error(reason));
    };
    socket.setNoDelay(true);
    // A stream not open by the ramp's deadline is given up: a saturated server answers opens
    // late, and the case measures what the server holds, not how long it takes to get there.
    const late = setTimeout(() => fail('no answer by the ramp deadline'), Math.max(0, deadline - Date.now()));
    socket.on('error', (error) => fail(`socket: ${error.message}`));
    socket.on('close', () => fail(head ? answerOf(carry) : 'the connection closed'));
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      const arrival = preciseNow();
      let text = carry + chunk;
      if (head) {
        const headerEnd = text.indexOf(HEADER_END);
        if (headerEnd < 0) {
          carry = text;
          return;
        }
        if (!text.startsWith('HTTP/1.1 200')) {
          // Not a stream: the server closes after its answer (Connection: close); report it then.
          carry = text;
          return;
        }
        head = false;
        clearTimeout(late);
        settled = true;
        resolve();
        text = text.slice(headerEnd + 4);
      }
      const complete = text.lastIndexOf('\n\n');
      if (complete < 0) {
        carry = text;
        return;
      }
      carry = text.slice(complete + 2);
      const terminal = scanFrames(connection, text.slice(0, complete + 2), arrival, intervalMs);
      if (terminal) drop(connection, terminal);
    });
    const headers = [
      `${method} ${url.pathname}${url.search} HTTP/1.1`,
      `Host: ${url.host}`,
      'Accept: text/event-stream',
      'Connection: close',
      ...(cookie ? [`Cookie: ${cookie}`] : []),
      ...(body !== undefined ? ['Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`] : []),
    ];
    socket.write(`${headers.join('\r\n')}${HEADER_END}${body ?? ''}`);
  });
}

async function open(command: Extract<ClientCommand, { op: 'open' }>): Promise<OpenReply> {
  const url = new URL(command.url);
  let next = 0;
  let opened = 0;
  let failed = 0;
  const errors = new Set<string>();
  const intervalMs = 1000 / command.rate;
  const worker = async () => {
    while (next < command.count) {
      if (Date.now() > command.deadline) {
        failed += command.count - next;
        errors.add(`not attempted: the ramp ran past its deadline after ${next} of ${command.count}`);
        next = command.count;
        break;
      }
      next += 1;
      try {
        await openOne(url, command.method, command.body, command.cookie, intervalMs, command.deadline);
        opened += 1;
      } catch (error) {
        failed += 1;
        if (errors.size < 5) errors.add((error as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(command.concurrency, command.count)) }, worker));
  return { requestId: command.requestId, opened, failed, errors: [...errors] };
}

/** The histogram records each timer interval whole: its resolution is subtracted to leave the delay. */
const LOOP_RESOLUTION_MS = 5;
const CLOCK_OFFSET_MS = clockOffsetMs();

const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
loopDelay.enable();

function collect({ requestId, from, to }: Extract<ClientCommand, { op: 'collect' }>): CollectReply {
  const inWindow = new Float64Array(recorded);
  const scheduleInWindow = new Float64Array(recorded);
  let count = 0;
  for (let i = 0; i < recorded; i++) {
    const arrival = arrivals[i]!;
    if (arrival < from || arrival > to) continue;
    inWindow[count] = latencies[i]!;
    scheduleInWindow[count] = scheduleLatencies[i]!;
    count += 1;
  }
  let open = 0;
  for (const connection of connections) if (connection.live) open += 1;
  return {
    requestId,
    latenciesMs: inWindow.slice(0, count),
    scheduleLatenciesMs: scheduleInWindow.slice(0, count),
    open,
    dropped,
    dropReasons: [...dropReasons],
    tokensTotal: recorded,
    clockOffsetMs: CLOCK_OFFSET_MS,
    loopDelayMs: {
      p50: Math.max(0, loopDelay.percentile(50) / 1e6 - LOOP_RESOLUTION_MS),
      p99: Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
      max: Math.max(0, loopDelay.max / 1e6 - LOOP_RESOLUTION_MS),
    },
  };
}

function closeAll(): void {
  for (const connection of connections) {
    connection.closing = true;
    connection.socket.destroy();
  }
  connections.clear();
  recorded = 0;
  dropped = 0;
  dropReasons.clear();
}

process.on('message', (message: ClientCommand) => {
  const reply = (value: ClientReply) => process.send!(value);
  switch (message.op) {
    case 'open':
      void open(message).then(reply);
      break;
    case 'mark':
      loopDelay.reset();
      reply({ requestId: message.requestId, tokensTotal: recorded });
      break;
    case 'collect':
      reply(collect(message));
      break;
    case 'close':
      closeAll();
      reply({ requestId: message.requestId });
      break;
  }
});
process.send!({ ready: true });
