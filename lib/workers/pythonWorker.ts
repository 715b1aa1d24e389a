/**
 * Supervision of every Python worker process (the Grover sandbox, the Saturn renderer): one
 * place that spawns it (optionally confined, see ./confinement), bounds its time and output,
 * kills its whole process group, and frames its stdout as NDJSON with validation.
 *
 * A worker leads its own process group (spawned detached): stopping it sends the signal to the
 * group, and when it exits the group is SIGKILLed once more so nothing it started outlives it.
 * Its environment is built here from nothing (PATH, LC_ALL and what the caller names): the
 * server's environment, API keys and secrets included, never reaches a worker.
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { constants } from 'node:os';
import { AppError } from '../errors';

let pythonPath: Promise<string> | undefined;

/**
 * The real path of `python3`. pyenv and similar put a shell-script shim first on PATH that
 * costs ~60 ms per spawn; asking the interpreter for `sys.executable` once skips it.
 */
export function resolvePython(): Promise<string> {
  pythonPath ??= new Promise<string>((resolve, reject) => {
    execFile('python3', ['-I', '-S', '-c', 'import sys; print(sys.executable)'], { timeout: 10_000 }, (error, stdout) => {
      const found = stdout.trim();
      if (error || !found) {
        pythonPath = undefined; // let a later call try again
        reject(new AppError('internal:unexpected', 'The Python workers need python3 on PATH.', { cause: error }));
      } else {
        resolve(found);
      }
    });
  });
  return pythonPath;
}

/** What went wrong with one line of a worker's stdout. */
export type FramingProblem = 'invalid_utf8' | 'invalid_json' | 'line_too_long' | 'truncated_line';

export type NdjsonLine = { ok: true; value: unknown; text: string } | { ok: false; problem: FramingProblem; text?: string };

/**
 * An NDJSON reader: `feed` it chunks, it calls `onLine` once per complete line (blank lines
 * skipped, a trailing CR dropped). A line longer than `maxLineBytes` is reported as soon as it
 * passes the limit and is never buffered whole; after any problem the reader stops.
 */
export function createNdjsonReader({ maxLineBytes, onLine }: { maxLineBytes: number; onLine: (line: NdjsonLine) => void }) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let partial: Buffer[] = [];
  let partialBytes = 0;
  let stopped = false;

  const problem = (kind: FramingProblem, text?: string) => {
    stopped = true;
    partial = [];
    partialBytes = 0;
    onLine({ ok: false, problem: kind, ...(text !== undefined ? { text } : {}) });
  };

  const handle = (bytes: Buffer) => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return problem('invalid_utf8');
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return problem('invalid_json', text);
    }
    onLine({ ok: true, value, text });
  };

  return {
    feed(chunk: Buffer): void {
      let start = 0;
      while (start < chunk.length && !stopped) {
        const newline = chunk.indexOf(0x0a, start);
        const end = newline === -1 ? chunk.length : newline;
        const piece = chunk.subarray(start, end);
        if (partialBytes + piece.length > maxLineBytes) return problem('line_too_long');
        if (newline === -1) {
          partial.push(piece);
          partialBytes += piece.length;
          return;
        }
        const line = partial.length === 0 ? piece : Buffer.concat([...partial, piece]);
        partial = [];
        partialBytes = 0;
        start = newline + 1;
        handle(line);
      }
    },
    /** The output ended: a partial line left over is `truncated_line`. */
    end(): void {
      if (partialBytes > 0 && !stopped) problem('truncated_line', Buffer.concat(partial).toString('utf8'));
    },
    get stopped() {
      return stopped;
    },
  };
}

/** How a worker process ended. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PythonWorkerOptions {
  /** Interpreter; default `python3` from PATH, resolved once to its real path. */
  python?: string;
  /** Interpreter flags before the script (default `-I`: isolated mode). */
  pythonFlags?: string[];
  /** Absolute path of the worker script. */
  script: string;
  /** Variables beyond PATH and LC_ALL (nothing else of the server's environment is passed). */
  env?: Record<string, string>;
  /**
   * Wrap the command before spawning (the sandbox's bubblewrap). Returns the command to run,
   * and whether exit statuses above 128 stand for the inner process's signal (bwrap's way).
   */
  wrap?: (argv: string[]) => { argv: string[]; signalAsStatus: boolean };
  /** Working directory (default: the filesystem root). */
  cwd?: string;
}

export interface PythonWorkerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number | undefined;
  /** Send a signal to the worker's whole process group. */
  signalGroup(signal: NodeJS.Signals): void;
  /** SIGTERM the group, then SIGKILL after `graceMs` (0: SIGKILL at once). Idempotent. */
  terminate(graceMs: number): void;
  /** Write one NDJSON line to stdin (dropped once stdin has closed). */
  send(value: unknown): void;
  /** Resolves once the process has exited and its pipes are closed (`spawnError` if it never started). */
  readonly exited: Promise<WorkerExit & { spawnError?: Error }>;
}

const SIGNAL_BY_NUMBER = new Map<number, NodeJS.Signals>(Object.entries(constants.signals).map(([name, nr]) => [nr, name as NodeJS.Signals]));

/** Spawn a Python worker in its own process group, with an environment built from nothing. */
export async function spawnPythonWorker(options: PythonWorkerOptions): Promise<PythonWorkerProcess> {
  const python = options.python ?? (await resolvePython().catch(() => 'python3')); // spawn reports a missing one
  const inner = [python, ...(options.pythonFlags ?? ['-I']), options.script];
  const { argv, signalAsStatus } = options.wrap ? options.wrap(inner) : { argv: inner, signalAsStatus: false };
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', ...options.env };
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: options.cwd ?? '/',
    env: env as NodeJS.ProcessEnv, // Next.js types require NODE_ENV; a worker gets none
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true, // its own process group, so one kill(-pid) reaches anything it started
  });

  const signalGroup = (sig: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      // ESRCH: already gone. Fall back to the child alone in case the group call was refused.
      try {
        child.kill(sig);
      } catch {
        // already gone
      }
    }
  };

  let done = false;
  let terminating = false;
  let killTimer: NodeJS.Timeout | undefined;
  const terminate = (graceMs: number) => {
    if (done || terminating) return;
    terminating = true;
    if (graceMs <= 0) return signalGroup('SIGKILL');
    signalGroup('SIGTERM');
    killTimer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  };

  child.stdin.on('error', () => {}); // EPIPE when the worker died: its exit status says why
  const exited = new Promise<WorkerExit & { spawnError?: Error }>((resolve) => {
    let spawnError: Error | undefined;
    const finish = (code: number | null, sig: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      clearTimeout(killTimer);
      if (signalAsStatus && sig === null && code !== null && code > 128 && SIGNAL_BY_NUMBER.has(code - 128)) {
        resolve({ code: null, signal: SIGNAL_BY_NUMBER.get(code - 128)!, ...(spawnError ? { spawnError } : {}) });
        return;
      }
      resolve({ code, signal: sig, ...(spawnError ? { spawnError } : {}) });
    };
    child.on('error', (error) => {
      spawnError = error;
      if (child.pid === undefined) finish(null, null); // no process: no 'close' will come
    });
    child.on('exit', () => signalGroup('SIGKILL')); // whatever it started dies with it
    child.on('close', (code, sig) => finish(code, sig));
  });

  return {
    child,
    get pid() {
      return child.pid;
    },
    signalGroup,
    terminate,
    send(value) {
      if (child.stdin.writable) child.stdin.write(`${JSON.stringify(value)}\n`);
    },
    exited,
  };
}
