/**
 * The Saturn worker bridge: one Python render worker per run (`python3 -I python/saturn/worker.py`),
 * spoken to over NDJSON. The producer asks it to draw a phase's grids; the worker answers with
 * EventEnvelope v1 lines that this module validates before anything reaches the run.
 *
 * Protocol (request/response; commands one a line on stdin, envelopes one a line on stdout):
 *
 *   render  `{op: 'render', request, phase, step, total?, message, images: RenderImage[]}`
 *           -> `saturn.step`, one `saturn.image` per image, `status {state: 'waiting', code: 'ready:<request>'}`
 *   done    `{op: 'done', request, predictions, correct, solved}` -> `saturn.done`, exit 0
 *   EOF     -> exit 0
 *   failure -> `error {code: 'saturn:bad_command' | 'saturn:internal', message}`, exit non-zero
 *
 * The bridge assigns request ids (`r1`, `r2`, ...) and may pipeline: the worker answers
 * commands in order, so events always belong to the oldest unanswered request.
 *
 * ## Continue-or-fail policy
 *
 * The worker is our own code, so anything off-protocol is a bug: the run FAILS on the first one,
 * the worker is stopped, and the failure surfaces as a {@link SaturnWorkerError} (thrown by the
 * pending `request()` iteration and by `done()`), whose `payload` the producer yields as the run's
 * `error` envelope. Every failure is also logged. Nothing here throws into the server otherwise.
 *
 * | what the worker does                                        | outcome                                   |
 * | ----------------------------------------------------------- | ----------------------------------------- |
 * | a line that is not valid UTF-8 (TextDecoder, fatal)         | fail `saturn:protocol` (invalid_utf8)     |
 * | a line that is not JSON                                     | fail `saturn:protocol` (invalid_json)     |
 * | a line longer than `maxLineBytes` (1 MiB; never buffered)   | fail `saturn:protocol` (line_too_long)    |
 * | output ending in a partial line (no newline), then exit     | fail `saturn:protocol` (truncated_line)   |
 * | an envelope of a known type that fails its zod schema       | fail `saturn:protocol` (invalid_envelope) |
 * | a `corrId` other than the run id                            | fail `saturn:protocol` (wrong_corr_id)    |
 * | a `seq` other than the previous one plus one (from 1)       | fail `saturn:protocol` (bad_seq)          |
 * | step/image/done/ready with no request waiting for it        | fail `saturn:protocol` (unexpected_event) |
 * | an image URL other than `/api/images/<sha256>.png`, or a    | fail `saturn:protocol` (bad_image)        |
 * |   file that is not in the image directory                   |                                           |
 * | an envelope of an UNKNOWN type (valid header, seq in order) | skip it; warn (logged, and a `status`     |
 * |   or of a known type that is not the worker's to send       |   `info` event `saturn:skipped_event`)    |
 * | a `status` other than `ready:*` (`info` only is forwarded)  | forward `info`; skip and log others       |
 * | blank lines                                                 | ignored                                   |
 * | an `error` envelope                                         | fail with the worker's code and message   |
 * | exit (any status) or a signal before `saturn.done`          | fail `saturn:crashed` (stderr tail shown) |
 * | a non-zero exit after `saturn.done`                         | logged; the result stands                 |
 * | running past `wallTimeMs`                                   | fail `cancelled` (reason `timeout`)       |
 * | the AbortSignal fires                                       | fail `cancelled`                          |
 * | cannot be started (no python3, bad path)                    | fail `saturn:spawn`                       |
 *
 * Spawning, the group kill and the NDJSON framing are lib/workers/pythonWorker's, shared with
 * the Grover sandbox; this module adds the envelope checks and the request bookkeeping.
 *
 * stderr is read line by line into `onLog` (each line cut at 2 KiB, 64 KiB in all, then
 * dropped with one notice); its last lines go into a crash's message.
 *
 * Stopping: the worker leads its own process group (spawned detached). Every failure, cancel,
 * timeout and `close()` ends in SIGTERM to the group, then SIGKILL after `killGraceMs` (2 s);
 * when the worker exits the group is SIGKILLed once more so nothing it started outlives it. If
 * the server itself dies, the worker reads EOF on stdin and exits: no orphans either way. Its
 * environment holds only PATH, LC_ALL and the two SATURN_* variables: no API keys.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { gridSchema } from '../../arc/task';
import { AppError } from '../../errors';
import { parseEnvelope, saturnDonePayload, type EventEnvelope, type Payload, type ProducerEvent } from '../../protocol/envelope';
import { createNdjsonReader, resolvePython, spawnPythonWorker, type WorkerExit } from '../../workers/pythonWorker';
import { claimImage } from '../../images/retention';

export type { WorkerExit };

// ---------------------------------------------------------------------------------------------
// Commands.

const label = z.string().min(1).max(200);

/** One picture of a render command. */
export const renderImageSchema = z.discriminatedUnion('kind', [
  /** One grid. */
  z.object({ kind: z.literal('grid'), label, grid: gridSchema }),
  /** Input beside output, an arrow between. */
  z.object({ kind: z.literal('pair'), label, input: gridSchema, output: gridSchema }),
  /** What changed from `a` to `b`: a map of changed cells, or a "shape changed" picture. */
  z.object({ kind: z.literal('diff'), label, a: gridSchema, b: gridSchema }),
  /** A prediction beside the answer with wrong cells crossed out (`expected: null`: unknown). */
  z.object({ kind: z.literal('compare'), label, predicted: gridSchema, expected: gridSchema.nullable() }),
]);

export type RenderImage = z.infer<typeof renderImageSchema>;

/** What to show for one step of a phase. */
export const renderCommandSchema = z.object({
  phase: z.string().min(1).max(64),
  step: z.number().int().min(0).max(10_000),
  total: z.number().int().min(1).max(10_000).optional(),
  message: z.string().max(2_000),
  images: z.array(renderImageSchema).max(16),
});

export type RenderCommand = z.infer<typeof renderCommandSchema>;

/** The run's result; the worker echoes it as `saturn.done`. */
export const doneCommandSchema = saturnDonePayload.extend({
  predictions: z.array(gridSchema.nullable()).max(64),
  correct: z.array(z.boolean().nullable()).max(64),
});

export type DoneCommand = z.infer<typeof doneCommandSchema>;

// ---------------------------------------------------------------------------------------------
// Events and errors.

/** What a render request yields: payloads ready to pass on to the run hub unchanged. */
export type WorkerEvent = Extract<ProducerEvent, { type: 'saturn.step' | 'saturn.image' | 'status' }>;

export type SaturnWorkerErrorKind =
  /** The worker wrote something off-protocol; `problem` says what. */
  | 'protocol'
  /** The worker reported its own failure with an `error` envelope. */
  | 'worker_error'
  /** The worker exited or was killed before the run finished. */
  | 'crashed'
  /** Past `wallTimeMs`. */
  | 'timeout'
  /** The AbortSignal fired. */
  | 'cancelled'
  /** `close()` was called with requests still unanswered. */
  | 'closed'
  /** The process could not be started. */
  | 'spawn';

export type ProtocolProblem =
  | 'invalid_utf8'
  | 'invalid_json'
  | 'line_too_long'
  | 'truncated_line'
  | 'invalid_envelope'
  | 'wrong_corr_id'
  | 'bad_seq'
  | 'unexpected_event'
  | 'bad_image';

/** Why a Saturn worker stopped serving a run. `payload` is the `error` envelope to publish. */
export class SaturnWorkerError extends Error {
  readonly kind: SaturnWorkerErrorKind;
  readonly problem?: ProtocolProblem;
  readonly payload: Payload<'error'>;

  constructor(kind: SaturnWorkerErrorKind, payload: Payload<'error'>, options?: { problem?: ProtocolProblem; cause?: unknown }) {
    super(payload.message, { cause: options?.cause });
    this.name = 'SaturnWorkerError';
    this.kind = kind;
    this.problem = options?.problem;
    this.payload = payload;
  }
}

/** One line for the logs: the worker's stderr, or the bridge's own notices. */
export interface WorkerLogEntry {
  source: 'stderr' | 'bridge';
  level: 'info' | 'warn' | 'error';
  message: string;
}

// ---------------------------------------------------------------------------------------------
// The handle.

export interface SaturnWorkerOptions {
  /** The run id: the worker's `corrId`, checked on every envelope. */
  runId: string;
  /** Where the worker writes PNGs (`imageDirOf(config)`); made absolute here. */
  imageDir: string;
  /** Aborting stops the worker; pending calls fail with kind `cancelled`. */
  signal?: AbortSignal;
  /** Longest the worker may live, from spawn; then it is stopped (kind `timeout`). */
  wallTimeMs: number;
  /** Interpreter; default `python3` from PATH, resolved once to its real path. */
  python?: string;
  /** Worker script; default `python/saturn/worker.py` under the working directory. */
  workerPath?: string;
  /** Receives stderr lines and the bridge's notices; default: the console. */
  onLog?: (entry: WorkerLogEntry) => void;
  /** Longest stdout line accepted, in bytes (default 1 MiB). */
  maxLineBytes?: number;
  /** Between SIGTERM and SIGKILL (default 2 s). */
  killGraceMs?: number;
}

export interface SaturnWorker {
  /** The worker's process id (and process group id); undefined if it could not be started. */
  readonly pid: number | undefined;
  /**
   * Send a render command; iterate its `saturn.step` and `saturn.image` events (and forwarded
   * `status` info) until the worker says the request is complete. Throws (while iterating) a
   * {@link SaturnWorkerError} if the worker fails first; throws `AppError` at once on an invalid
   * command. Requests may be issued before earlier ones are drained; each sees only its events.
   * Breaking out early is fine: the rest of that request's events are dropped.
   */
  request(command: RenderCommand): AsyncIterable<WorkerEvent>;
  /** Send the result; resolves with the worker's `saturn.done` payload once it has exited. */
  done(result: DoneCommand): Promise<Payload<'saturn.done'>>;
  /** Stop the worker (EOF, then SIGTERM, then SIGKILL); resolves once it has exited. Idempotent. */
  close(): Promise<void>;
  /** Resolves when the process has exited and its pipes are closed. */
  readonly exited: Promise<WorkerExit>;
  /** The failure that ended the worker, if any. */
  readonly failure: SaturnWorkerError | undefined;
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
export const DEFAULT_KILL_GRACE_MS = 2_000;
const MAX_STDERR_BYTES = 64 * 1024;
const MAX_STDERR_LINE_CHARS = 2_048;
const STDERR_TAIL_LINES = 5;
/** Events buffered for a slow reader before stdout is paused. */
const HIGH_WATER_EVENTS = 64;
const IMAGE_URL = /^\/api\/images\/([0-9a-f]{64}\.png)$/;

interface PendingRequest {
  id: string;
  queue: WorkerEvent[];
  ended: boolean;
  abandoned: boolean;
  wake?: () => void;
}

/**
 * Start the Saturn worker of one run. Resolves once the process is spawned; a worker that
 * cannot start comes back as a handle whose calls fail with kind `spawn`.
 */
export async function startSaturnWorker(options: SaturnWorkerOptions): Promise<SaturnWorker> {
  const { runId, signal } = options;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const killGraceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const imageDir = path.resolve(options.imageDir);
  const workerPath = path.resolve(options.workerPath ?? path.join(process.cwd(), 'python', 'saturn', 'worker.py'));

  const log = (level: WorkerLogEntry['level'], message: string, source: WorkerLogEntry['source'] = 'bridge') => {
    try {
      if (options.onLog) options.onLog({ source, level, message });
      else console[level](`[saturn ${runId}] ${source === 'stderr' ? 'worker: ' : ''}${message}`);
    } catch {
      // a failing logger must not take the bridge down
    }
  };

  let python: string;
  try {
    python = options.python ?? (await resolvePython());
  } catch (cause) {
    python = 'python3'; // let spawn report it through the usual path
    log('error', `Could not resolve python3: ${String(cause)}`);
  }

  const worker = await spawnPythonWorker({ python, script: workerPath, env: { SATURN_CORR_ID: runId, SATURN_IMAGE_DIR: imageDir } });
  const { child, signalGroup } = worker;

  let failure: SaturnWorkerError | undefined;
  let exit: WorkerExit | undefined;
  let doneResult: Payload<'saturn.done'> | undefined;
  let doneWaiter: { resolve: (value: Payload<'saturn.done'>) => void; reject: (error: unknown) => void } | undefined;
  let doneSent = false;
  let closing = false;
  let requestCount = 0;
  let expectedSeq = 1;
  let killTimer: NodeJS.Timeout | undefined;
  let terminating = false;
  const requests: PendingRequest[] = [];

  let resolveExited!: (value: WorkerExit) => void;
  const exited = new Promise<WorkerExit>((resolve) => (resolveExited = resolve));

  // --- stopping -------------------------------------------------------------------------------

  /** SIGTERM the group now, SIGKILL it after the grace period. */
  const terminate = () => {
    if (exit || terminating) return;
    terminating = true;
    signalGroup('SIGTERM');
    killTimer = setTimeout(() => {
      log('warn', `The worker did not exit ${killGraceMs} ms after SIGTERM; sending SIGKILL.`);
      signalGroup('SIGKILL');
    }, killGraceMs);
  };

  /** The first failure wins: record it, log it, stop the worker and wake everyone waiting. */
  const fail = (error: SaturnWorkerError) => {
    if (failure) return;
    failure = error;
    log(error.kind === 'cancelled' ? 'info' : 'error', `${error.payload.code}: ${error.message}`);
    terminate();
    child.stdout.resume(); // drain, so the process can exit if it is blocked writing
    for (const request of requests) request.wake?.();
    doneWaiter?.reject(error);
    doneWaiter = undefined;
  };

  const protocolError = (problem: ProtocolProblem, detail: string, line?: string) =>
    fail(
      new SaturnWorkerError(
        'protocol',
        {
          code: 'saturn:protocol',
          message: `The Saturn worker broke the protocol (${problem}): ${detail}`,
          details: { problem, ...(line !== undefined ? { line: line.slice(0, 200) } : {}) },
        },
        { problem },
      ),
    );

  const wallTimer = setTimeout(() => {
    fail(
      new SaturnWorkerError('timeout', {
        code: 'cancelled',
        reason: 'timeout',
        message: `The Saturn worker ran past its time limit of ${Math.round(options.wallTimeMs / 100) / 10} s and was stopped.`,
      }),
    );
  }, options.wallTimeMs);
  const onAbort = () => fail(new SaturnWorkerError('cancelled', { code: 'cancelled', message: 'The run was cancelled; the Saturn worker was stopped.' }));
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener('abort', onAbort, { once: true });

  // --- stdout: bounded NDJSON -----------------------------------------------------------------

  const reader = createNdjsonReader({
    maxLineBytes,
    onLine: (line) => {
      if (failure) return; // draining a worker being stopped
      if (!line.ok) {
        const detail = {
          invalid_utf8: 'a line that is not valid UTF-8.',
          invalid_json: 'a line that is not JSON.',
          line_too_long: `a line of more than ${maxLineBytes} bytes.`,
          truncated_line: 'the output ended in the middle of a line.',
        }[line.problem];
        return protocolError(line.problem, detail, line.text);
      }
      try {
        handleLine(line.value, line.text);
      } catch (error) {
        // A bug here must fail this run, never the server.
        log('error', `Unexpected error handling a worker line: ${String(error)}`);
        protocolError('invalid_envelope', 'a line the bridge could not handle.');
      }
    },
  });
  child.stdout.on('data', (chunk: Buffer) => {
    if (!failure) reader.feed(chunk);
  });
  child.stdout.on('end', () => {
    if (!failure) reader.end();
  });

  function handleLine(json: unknown, text: string) {
    const parsed = parseEnvelope(json);
    if (!parsed.ok && parsed.kind === 'invalid') {
      const issue = parsed.issues[0];
      const where = issue ? `${issue.path.join('.') || '(envelope)'}: ${issue.message}` : 'invalid';
      return protocolError('invalid_envelope', `an envelope that does not match the schema (${where}).`, text);
    }
    const header = json as { corrId: string; seq: number; type: string };
    if (header.corrId !== runId) return protocolError('wrong_corr_id', `an envelope of run ${JSON.stringify(header.corrId)}.`, text);
    if (header.seq !== expectedSeq) return protocolError('bad_seq', `seq ${header.seq} where ${expectedSeq} was due.`, text);
    expectedSeq += 1;
    if (!parsed.ok) return skip(`an event of unknown type ${JSON.stringify(parsed.type)}`);
    dispatch(parsed.envelope);
  }

  function skip(what: string) {
    const message = `The Saturn worker sent ${what}; skipped.`;
    log('warn', message);
    push({ type: 'status', data: { state: 'info', code: 'saturn:skipped_event', message } }, true);
  }

  /** Queue an event for the oldest unanswered request. */
  function push(event: WorkerEvent, optional = false): boolean {
    const request = requests[0];
    if (!request) {
      if (!optional) protocolError('unexpected_event', `a ${event.type} event with no render request waiting.`);
      return false;
    }
    if (request.abandoned) return true;
    request.queue.push(event);
    if (request.queue.length >= HIGH_WATER_EVENTS) child.stdout.pause();
    request.wake?.();
    return true;
  }

  function dispatch(envelope: EventEnvelope) {
    switch (envelope.type) {
      case 'saturn.step':
        push({ type: envelope.type, data: envelope.data });
        return;
      case 'saturn.image': {
        const name = IMAGE_URL.exec(envelope.data.url)?.[1];
        if (!name) return protocolError('bad_image', `an image URL outside /api/images/<sha256>.png.`, envelope.data.url);
        if (!existsSync(path.join(imageDir, name))) return protocolError('bad_image', `an image that is not in the image directory (${name}).`);
        // The image is this run's now: it is kept as long as the run's images are (lib/images/retention.ts).
        claimImage({ dir: imageDir, runId, name });
        push({ type: envelope.type, data: envelope.data });
        return;
      }
      case 'status': {
        const { state, code } = envelope.data;
        if (state === 'waiting' && code?.startsWith('ready:')) {
          const request = requests[0];
          if (!request || code !== `ready:${request.id}`) {
            return protocolError('unexpected_event', `${code} while ${request ? `ready:${request.id}` : 'no request'} was due.`);
          }
          requests.shift();
          request.ended = true;
          request.wake?.();
          return;
        }
        if (state === 'info' && push({ type: 'status', data: envelope.data }, true)) return;
        log('info', `The Saturn worker sent status ${state}${code ? ` (${code})` : ''}; skipped.`);
        return;
      }
      case 'error': {
        const { code, message } = envelope.data;
        fail(new SaturnWorkerError('worker_error', { code, message: message.slice(0, 2_000), details: { worker: true } }));
        return;
      }
      case 'saturn.done':
        if (!doneSent || requests.length > 0 || doneResult) {
          return protocolError('unexpected_event', 'saturn.done before the done command was answered in turn.');
        }
        doneResult = envelope.data;
        doneWaiter?.resolve(envelope.data);
        doneWaiter = undefined;
        return;
      default:
        skip(`an event of type ${envelope.type}, which is not a worker's to send`);
    }
  }

  // --- stderr: bounded log lines ----------------------------------------------------------------

  const stderrDecoder = new TextDecoder('utf-8');
  let stderrBytes = 0;
  let stderrPending = '';
  let stderrDropped = false;
  const stderrTail: string[] = [];
  const logStderr = (line: string) => {
    if (line.trim() === '') return;
    const cut = line.length > MAX_STDERR_LINE_CHARS ? `${line.slice(0, MAX_STDERR_LINE_CHARS)}…` : line;
    stderrTail.push(cut);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    log('warn', cut, 'stderr');
  };
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderrBytes >= MAX_STDERR_BYTES) {
      if (!stderrDropped) log('warn', `More than ${MAX_STDERR_BYTES} bytes on stderr; the rest is dropped.`);
      stderrDropped = true;
      return;
    }
    stderrBytes += chunk.length;
    stderrPending += stderrDecoder.decode(chunk, { stream: true });
    const lines = stderrPending.split(/\r?\n/);
    stderrPending = lines.pop() ?? '';
    if (stderrPending.length > MAX_STDERR_LINE_CHARS) {
      lines.push(stderrPending);
      stderrPending = '';
    }
    lines.forEach(logStderr);
  });
  child.stderr.on('end', () => {
    logStderr(stderrPending + stderrDecoder.decode());
    stderrPending = '';
  });

  // --- stdin and process lifecycle ------------------------------------------------------------

  const write = (command: Record<string, unknown>) => worker.send(command);

  child.on('error', (error) => {
    fail(new SaturnWorkerError('spawn', { code: 'saturn:spawn', message: `Could not start the Saturn worker (${python} ${workerPath}).` }, { cause: error }));
  });
  void worker.exited.then(({ code, signal: sig }) => finish({ code, signal: sig }));

  function finish(how: WorkerExit) {
    if (exit) return;
    exit = how;
    clearTimeout(wallTimer);
    clearTimeout(killTimer);
    signal?.removeEventListener('abort', onAbort);
    const status = how.signal ? `was killed by ${how.signal}` : `exited with status ${how.code}`;
    if (doneResult) {
      if (how.code !== 0) log('warn', `The worker ${status} after saturn.done.`);
    } else if (closing && requests.length === 0 && !doneSent) {
      // Closed on request with nothing pending: not a failure, though it should have exited on EOF.
      if (how.code !== 0) log('warn', `The worker ${status} on close.`);
    } else {
      const tail = stderrTail.length ? ` Last output: ${stderrTail.join(' | ').slice(-600)}` : '';
      fail(
        new SaturnWorkerError('crashed', {
          code: 'saturn:crashed',
          message: `The Saturn worker ${status} before the run finished.${tail}`,
          details: { exitCode: how.code, signal: how.signal },
        }),
      );
    }
    for (const request of requests) request.wake?.();
    resolveExited(how);
  }

  async function* iterate(request: PendingRequest): AsyncGenerator<WorkerEvent> {
    try {
      while (true) {
        const event = request.queue.shift();
        if (event) {
          if (request.queue.length < HIGH_WATER_EVENTS / 2 && child.stdout.isPaused() && !failure) child.stdout.resume();
          yield event;
          continue;
        }
        if (request.ended) return;
        if (failure) throw failure;
        await new Promise<void>((resolve) => (request.wake = resolve));
        request.wake = undefined;
      }
    } finally {
      if (!request.ended) request.abandoned = true;
      request.queue.length = 0;
      if (child.stdout.isPaused() && !failure) child.stdout.resume();
    }
  }

  async function* failed(error: SaturnWorkerError): AsyncGenerator<WorkerEvent> {
    throw error;
  }

  return {
    get pid() {
      return child.pid;
    },
    get failure() {
      return failure;
    },
    exited,
    request(command) {
      const parsed = renderCommandSchema.safeParse(command);
      if (!parsed.success) {
        throw new AppError('bad_request:input', 'Invalid Saturn render command.', {
          fieldErrors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
        });
      }
      if (doneSent || closing) throw new AppError('internal:unexpected', 'The Saturn worker was already finished or closed.');
      if (failure) return failed(failure);
      requestCount += 1;
      const request: PendingRequest = { id: `r${requestCount}`, queue: [], ended: false, abandoned: false };
      requests.push(request);
      write({ op: 'render', request: request.id, ...parsed.data });
      return iterate(request);
    },
    async done(result) {
      const parsed = doneCommandSchema.safeParse(result);
      if (!parsed.success) throw new AppError('bad_request:input', 'Invalid Saturn result.');
      if (doneSent || closing) throw new AppError('internal:unexpected', 'The Saturn worker was already finished or closed.');
      if (failure) throw failure;
      doneSent = true;
      const answer = new Promise<Payload<'saturn.done'>>((resolve, reject) => (doneWaiter = { resolve, reject }));
      requestCount += 1;
      write({ op: 'done', request: `r${requestCount}`, ...parsed.data });
      const payload = await answer;
      // The worker exits right after saturn.done; give it the grace period, then stop it.
      const timer = setTimeout(terminate, killGraceMs);
      await exited;
      clearTimeout(timer);
      return payload;
    },
    async close() {
      if (exit) return;
      if (!closing) {
        closing = true;
        if (requests.length > 0 || (doneSent && !doneResult)) {
          fail(new SaturnWorkerError('closed', { code: 'saturn:closed', message: 'The Saturn worker was closed with work unfinished.' }));
        }
        child.stdin.end();
        setTimeout(terminate, killGraceMs).unref();
      }
      await exited;
    },
  };
}
