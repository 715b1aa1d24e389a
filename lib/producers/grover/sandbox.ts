/**
 * The Grover sandbox, Node side: runs one candidate `def transform(grid)` program on some input
 * grids in a fresh, confined Python process and reports each input's grid or error.
 *
 * One process per program (`bwrap ... python3 -I -S python/grover/sandbox_worker.py`, started
 * by lib/workers/pythonWorker under lib/workers/confinement): nothing a program does survives
 * into the next one, and killing the process group always ends it. The worker confines itself
 * (namespaces checked, nobody, no_new_privs, rlimits, a seccomp allowlist; see its header) and
 * says so in a hello line before the program runs; this side checks that hello, and adds what a
 * confined process cannot do for itself: a wall-clock SIGKILL, cancellation, bounded reads of
 * its output, and zod validation of the reply, so that a program that corrupts the protocol
 * only fails itself. At most `MAX_SANDBOX_PROCESSES` run at once, server-wide.
 *
 * Protocol: one request line in; the hello, then one reply line out.
 *   request  `{id, code, inputs: Grid[], limits: {cpuSeconds, memoryMb, wallMs, maxOutputBytes}, hostNamespaces, serverUid}`
 *   hello    `{id, hello: {namespaces, uid, gid, noNewPrivs, seccomp, rlimits, env}}`
 *   reply    `{id, results: ({ok: true, grid} | {ok: false, error: {type, message, line?}})[], stdout}`
 *         or `{id, fatal: {code, message, type?, line?, layer?}, stdout}`
 *
 * {@link runProgram} never throws for anything a program does; it throws `AppError` for misuse
 * (invalid arguments), when no Python interpreter can be started, and `sandbox:unconfined`
 * when any confinement layer is missing: then the program was not run.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { gridSchema, type Grid } from '../../arc/task';
import { AppError } from '../../errors';
import { bubblewrapArgv, hostNamespaces, missingLayers, sandboxSlots, type ConfinementLayer } from '../../workers/confinement';
import { createNdjsonReader, resolvePython, spawnPythonWorker, type NdjsonLine } from '../../workers/pythonWorker';

export { resolvePython };

export const sandboxLimitsSchema = z.object({
  /** CPU seconds for the whole program (all inputs), rounded up; RLIMIT_CPU. */
  cpuSeconds: z.number().int().min(1).max(60),
  /** Address-space limit in MiB; RLIMIT_AS. The interpreter itself takes ~20 MiB of it. */
  memoryMb: z.number().int().min(64).max(8192),
  /** Wall-clock limit from spawn to reply, process start-up included. */
  wallMs: z.number().int().min(100).max(120_000),
  /** Most bytes the program may print (stdout and stderr together); more is `output_too_large`. */
  maxOutputBytes: z.number().int().min(0).max(4 * 1024 * 1024),
});

export type SandboxLimits = z.infer<typeof sandboxLimitsSchema>;

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  cpuSeconds: 2,
  memoryMb: 256,
  wallMs: 5_000,
  maxOutputBytes: 64 * 1024,
};

/** Largest program accepted, in characters. Model-written programs are a few KB. */
export const MAX_PROGRAM_CHARS = 100_000;
/** Most input grids per run (ARC tasks have at most ~10 pairs). */
export const MAX_INPUTS = 64;

/** Where a program went wrong on one input: the exception (or `BadGrid`) and where. */
export interface InputError {
  type: string;
  message: string;
  /** Line in the program, when the error was raised inside it. */
  line?: number;
}

export type GridResult = { ok: true; grid: Grid } | { ok: false; error: InputError };

export type ProgramErrorCode =
  /** Past the wall-clock or CPU limit. */
  | 'timeout'
  /** Past the memory limit (MemoryError). */
  | 'memory'
  /** Killed by a SIGKILL this side did not send (CPU hard limit, the kernel's OOM killer). */
  | 'killed'
  /** The AbortSignal fired; the process was killed. */
  | 'cancelled'
  /** The process died without a reply (a signal, an interpreter crash). */
  | 'crashed'
  /** The reply was not one valid protocol line. */
  | 'bad_output'
  /** The program printed more than `maxOutputBytes`, or flooded the reply pipes. */
  | 'output_too_large'
  | 'syntax'
  /** Imported a module outside the allowlist (and did not catch the ImportError). */
  | 'forbidden_import'
  /** Tried a file, process or other operation the sandbox refuses. */
  | 'forbidden'
  /** The program defines no callable `transform`. */
  | 'no_transform'
  /** The module body raised before `transform` could run. */
  | 'module_error';

export interface ProgramError {
  code: ProgramErrorCode;
  message: string;
  /** Exception type, when the failure was a Python exception. */
  type?: string;
  line?: number;
}

export type ProgramRun =
  | { status: 'ok'; outputs: GridResult[]; stdout: string; durationMs: number }
  | { status: 'error'; error: ProgramError; stdout: string; durationMs: number };

export interface RunProgramOptions {
  /** Python source defining `transform(grid)`. */
  code: string;
  /** Grids to call `transform` on, in order; `outputs[i]` answers `inputs[i]`. */
  inputs: Grid[];
  limits?: Partial<SandboxLimits>;
  /** Aborting kills the process; the run resolves with `cancelled`. */
  signal?: AbortSignal;
  /** Interpreter to run; default: `python3` from PATH, resolved once to its real path. */
  python?: string;
  /** Worker script; default: `python/grover/sandbox_worker.py` under the working directory. */
  workerPath?: string;
  /** Called with the process id right after spawning (tests check it is gone afterwards). */
  onSpawn?: (pid: number) => void;
  /** Tests of the refusal path: the worker treats these layers as impossible to install. */
  simulateUnavailable?: ConfinementLayer[];
  /** The bubblewrap binary (default `bwrap` from PATH). */
  bwrap?: string;
}

const runProgramInputSchema = z.object({
  code: z.string().min(1).max(MAX_PROGRAM_CHARS),
  inputs: z.array(gridSchema).min(1).max(MAX_INPUTS),
});

// The worker's reply. Lengths are bounded so a forged reply cannot smuggle megabytes through.
const inputErrorSchema = z.object({
  type: z.string().max(200),
  message: z.string().max(2_000),
  line: z.number().int().nonnegative().optional(),
});
const gridResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), grid: gridSchema }),
  z.object({ ok: z.literal(false), error: inputErrorSchema }),
]);
const fatalCodeSchema = z.enum([
  'syntax',
  'forbidden_import',
  'forbidden',
  'no_transform',
  'module_error',
  'memory',
  'output_too_large',
  'bad_request',
  'internal',
  'unconfined',
]);
const workerReplySchema = z.union([
  z.object({ id: z.string(), results: z.array(gridResultSchema), stdout: z.string() }),
  z.object({
    id: z.string(),
    fatal: inputErrorSchema.partial({ type: true }).extend({ code: fatalCodeSchema, layer: z.string().max(40).optional() }),
    stdout: z.string(),
  }),
]);
const helloLineSchema = z.object({ id: z.string(), hello: z.unknown() });
/** Fatal codes the worker may send before its hello: nothing of the program ran. */
const BEFORE_HELLO = new Set(['syntax', 'bad_request', 'unconfined', 'internal', 'memory']);

/** Bytes of stderr kept: the worker only writes there when the interpreter itself fails. */
const MAX_STDERR_BYTES = 16 * 1024;

/** The reply can hold the printed output (JSON-escaped: up to 6 bytes a byte) and one grid or error per input. */
function maxReplyBytes(limits: SandboxLimits, inputCount: number): number {
  return 64 * 1024 + limits.maxOutputBytes * 6 + inputCount * 16 * 1024;
}

/**
 * Run `transform` from `code` on each input in a fresh sandboxed Python process.
 *
 * Resolves `{status: 'ok', outputs}` with one {@link GridResult} per input when the program
 * loaded and ran (individual inputs may still have failed), or `{status: 'error', error}` when
 * the program as a whole failed. Never leaves the process running: it is killed on timeout,
 * on cancel and when it floods its output.
 */
export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
  const parsed = runProgramInputSchema.safeParse({ code: options.code, inputs: options.inputs });
  if (!parsed.success) {
    throw new AppError('bad_request:input', 'runProgram needs a program and 1 to 64 valid grids.', {
      fieldErrors: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  const limitsParsed = sandboxLimitsSchema.safeParse({ ...DEFAULT_SANDBOX_LIMITS, ...options.limits });
  if (!limitsParsed.success) {
    throw new AppError('bad_request:input', 'Invalid sandbox limits.', {
      fieldErrors: limitsParsed.error.issues.map((issue) => ({ path: `limits.${issue.path.join('.')}`, message: issue.message })),
    });
  }
  const { code, inputs } = parsed.data;
  const limits = limitsParsed.data;
  const { signal } = options;
  const startedAt = performance.now();
  const elapsed = () => Math.round((performance.now() - startedAt) * 10) / 10;
  if (signal?.aborted) {
    return { status: 'error', error: { code: 'cancelled', message: 'Cancelled before the program started.' }, stdout: '', durationMs: 0 };
  }

  const python = options.python ?? (await resolvePython());
  const workerPath = path.resolve(options.workerPath ?? path.join(process.cwd(), 'python', 'grover', 'sandbox_worker.py'));
  const id = randomUUID();
  const request = { id, code, inputs, limits, hostNamespaces: hostNamespaces(), serverUid: process.getuid?.() ?? null, ...(options.simulateUnavailable ? { simulateUnavailable: options.simulateUnavailable } : {}) };
  const replyLimit = maxReplyBytes(limits, inputs.length);

  let release: () => void;
  try {
    release = await sandboxSlots.acquire(signal);
  } catch {
    return { status: 'error', error: { code: 'cancelled', message: 'Cancelled before the program started.' }, stdout: '', durationMs: elapsed() };
  }
  try {
    const worker = await spawnPythonWorker({
      python,
      pythonFlags: ['-I', '-S'], // -I: ignore PYTHON* variables and the user site; -S: no site module
      script: workerPath,
      wrap: (argv) => ({ argv: bubblewrapArgv(argv, options.bwrap), signalAsStatus: true }),
    });
    let stopReason: Outcome['stopReason'];
    const stop = (reason: NonNullable<Outcome['stopReason']>) => {
      stopReason ??= reason;
      worker.terminate(0);
    };
    const timer = setTimeout(() => stop('timeout'), limits.wallMs);
    const onAbort = () => stop('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (worker.pid !== undefined) options.onSpawn?.(worker.pid);

    const lines: NdjsonLine[] = [];
    const reader = createNdjsonReader({
      maxLineBytes: replyLimit,
      onLine: (line) => {
        if (!line.ok && line.problem === 'line_too_long') return stop('output_too_large');
        lines.push(line);
        if (lines.length > 8) stop('output_too_large'); // a reply is two lines; a few more are bad_output
      },
    });
    const stderrChunks: Buffer[] = [];
    let stderrBytes = 0;
    worker.child.stdout.on('data', (chunk: Buffer) => reader.feed(chunk));
    worker.child.stdout.on('end', () => reader.end());
    worker.child.stderr.on('data', (chunk: Buffer) => {
      stderrBytes += chunk.length;
      if (stderrBytes > MAX_STDERR_BYTES) return stop('output_too_large');
      stderrChunks.push(chunk);
    });
    worker.child.stdin.end(`${JSON.stringify(request)}\n`);

    const exit = await worker.exited;
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    const stderr = Buffer.concat(stderrChunks).toString('utf8');
    if (exit.spawnError) {
      const missing = (exit.spawnError as NodeJS.ErrnoException).code === 'ENOENT';
      throw new AppError(
        'sandbox:unconfined',
        missing
          ? 'The program sandbox needs bubblewrap (bwrap), which is not installed (scripts/system-deps.sh installs it); the program was not run.'
          : `Could not start the program sandbox (${exit.spawnError.message}); the program was not run.`,
        { cause: exit.spawnError },
      );
    }
    return interpret({ id, lines, stderr, exitCode: exit.code, exitSignal: exit.signal, stopReason, limits, inputCount: inputs.length, durationMs: elapsed() });
  } finally {
    release();
  }
}

interface Outcome {
  id: string;
  lines: NdjsonLine[];
  stderr: string;
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  stopReason: 'timeout' | 'cancelled' | 'output_too_large' | undefined;
  limits: SandboxLimits;
  inputCount: number;
  durationMs: number;
}

/** Turn how the process ended, and what it wrote, into a {@link ProgramRun}. */
function interpret(outcome: Outcome): ProgramRun {
  const { limits, durationMs } = outcome;
  const fail = (code: ProgramErrorCode, message: string, extra?: Partial<ProgramError>, stdout = ''): ProgramRun => ({
    status: 'error',
    error: { code, message, ...extra },
    stdout,
    durationMs,
  });

  // What this side did comes first: a killed process's partial output means nothing.
  switch (outcome.stopReason) {
    case 'cancelled':
      return fail('cancelled', 'The run was cancelled; the program was killed.');
    case 'timeout':
      return fail('timeout', `The program ran past the wall-clock limit of ${limits.wallMs} ms and was killed.`);
    case 'output_too_large':
      return fail('output_too_large', 'The program wrote more output than allowed and was killed.');
    case undefined:
      break;
  }
  switch (outcome.exitSignal) {
    case null:
      break;
    case 'SIGXCPU':
      return fail('timeout', `The program used more than ${limits.cpuSeconds} s of CPU time.`);
    case 'SIGALRM':
      return fail('timeout', `The program ran past the wall-clock limit of ${limits.wallMs} ms.`);
    case 'SIGKILL':
      return fail('killed', 'The program was killed (CPU hard limit or out of memory).');
    default:
      return fail('crashed', `The program crashed (${outcome.exitSignal}).${stderrTail(outcome.stderr)}`);
  }

  const { lines } = outcome;
  const first = lines[0];
  if (lines.length === 0 || !first?.ok) {
    // bwrap itself failed (no user namespaces, a bad bind): nothing was confined, nothing ran.
    if (/^bwrap: /m.test(outcome.stderr)) {
      throw new AppError('sandbox:unconfined', `The program sandbox could not be set up (${outcome.stderr.trim().slice(0, 300)}); the program was not run.`);
    }
    if (outcome.exitCode !== 0) return fail('crashed', `The sandbox exited with status ${outcome.exitCode} without a reply.${stderrTail(outcome.stderr)}`);
    return fail('bad_output', first ? `The sandbox reply was not valid (${first.ok ? 'ok' : first.problem}).` : 'The sandbox sent no reply.');
  }
  const hello = helloLineSchema.safeParse(first.value);
  const replyLine = hello.success ? lines[1] : first;
  if (hello.success) {
    if (hello.data.id !== outcome.id) return fail('bad_output', 'The sandbox hello answered another request.');
    const missing = missingLayers(hello.data.hello);
    if (missing.length > 0) throw new AppError('sandbox:unconfined', `The program sandbox is missing layers (${missing.join(', ')}); its result is not used.`);
  }
  if (!replyLine) return fail(outcome.exitCode !== 0 ? 'crashed' : 'bad_output', `The sandbox sent no reply.${stderrTail(outcome.stderr)}`);
  if (lines.length > (hello.success ? 2 : 1)) return fail('bad_output', 'The sandbox reply was not exactly one line.');
  if (!replyLine.ok) return fail('bad_output', `The sandbox reply was not valid JSON (${replyLine.problem}).`);
  const reply = workerReplySchema.safeParse(replyLine.value);
  if (!reply.success) return fail('bad_output', `The sandbox reply did not match the protocol: ${reply.error.issues[0]?.message ?? 'invalid'}.`);
  const data = reply.data;
  if (data.id !== outcome.id) return fail('bad_output', 'The sandbox reply answered another request.');
  if ('fatal' in data && data.fatal.code === 'unconfined') {
    throw new AppError('sandbox:unconfined', `The program sandbox could not install its ${data.fatal.layer ?? 'confinement'} layer, so the program was not run: ${data.fatal.message}`);
  }
  // Without a hello, only a failure from before the program ran counts; anything else is refused.
  if (!hello.success && !('fatal' in data && BEFORE_HELLO.has(data.fatal.code))) {
    throw new AppError('sandbox:unconfined', 'The program sandbox did not report its confinement; its result is not used.');
  }

  if ('fatal' in data) {
    const { code, message, type, line } = data.fatal;
    const extra = { ...(type !== undefined && { type }), ...(line !== undefined && { line }) };
    if (code === 'bad_request' || code === 'internal' || code === 'unconfined') {
      return fail('crashed', `The sandbox worker failed: ${message}`, extra, data.stdout);
    }
    return fail(code, message, extra, data.stdout);
  }
  if (data.results.length !== outcome.inputCount) {
    return fail('bad_output', `The sandbox answered ${data.results.length} inputs, expected ${outcome.inputCount}.`);
  }
  return { status: 'ok', outputs: data.results, stdout: data.stdout, durationMs };
}

function stderrTail(stderr: string): string {
  const tail = stderr.trim().slice(-500);
  return tail ? ` ${tail}` : '';
}
