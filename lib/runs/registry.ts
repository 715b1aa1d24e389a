/**
 * The run registry: the process's runs and the policy around them. Starting a run validates
 * its kind's preflight, records it in the database and hands it to the hub; readers, snapshots
 * and cancels are checked for ownership (`lib/db/ownership.ts`: someone else's run is simply not found). When a run
 * ends, its reduced result is saved with how it ended, partial output included.
 *
 * With REDIS_URL set, runs are shared between instances: the hub writes each run's log to Redis,
 * and a run produced by another instance is served here through a view of its Redis log
 * ({@link findRun}); a cancel travels to the producing instance over pub/sub.
 */
import 'server-only';
import { getConfig } from '../config';
import { createRun, finishRun, getRunById } from '../db';
import { canViewRun, type RunViewer } from '../db/ownership';
import { AppError } from '../errors';
import { KIND_PARTS, type RunRequest } from '../kinds';
import { prepareRun } from '../producers';
import { createRedisConnection, getRedis } from '../redis';
import { startRunSpan, type RunSpan } from '../telemetry';
import type { EventEnvelope } from '../protocol/envelope';
import { createRunHub, type Run, type RunHub } from './hub';
import { createMemoryRunLog } from './runLog';
import { summarizeResult, type RunSummary } from './reducer';
import { createRedisRunBackend, isRemoteRun, PRODUCER_LOST, type RedisRunBackend, type RemoteRun } from './redis';

const HUB_KEY = Symbol.for('streamconsole.runHub');
const SPANS_KEY = Symbol.for('streamconsole.runSpans');
const BACKEND_KEY = Symbol.for('streamconsole.runBackend');
type GlobalWithHub = typeof globalThis & { [HUB_KEY]?: RunHub; [SPANS_KEY]?: Map<string, RunSpan>; [BACKEND_KEY]?: RedisRunBackend };

/** The telemetry span of each live run (a span per run, run id as the correlation id). */
function runSpans(): Map<string, RunSpan> {
  const store = globalThis as GlobalWithHub;
  return (store[SPANS_KEY] ??= new Map());
}

/** Envelope types that carry a model's first output: the moment time to first token measures. */
/** A run's first output: a token or reasoning of the main generation or of a kind's own. */
const FIRST_OUTPUT_TYPES: ReadonlySet<string> = new Set([
  'gen.token',
  'gen.reasoning',
  ...KIND_PARTS.flatMap(([, part]) => [part.tokenType, ...(part.reasoningType ? [part.reasoningType] : [])]),
]);
const firstOutputSeen = new WeakSet<Run>();

function observeEnvelope(run: Run, envelope: EventEnvelope): void {
  if (firstOutputSeen.has(run) || !FIRST_OUTPUT_TYPES.has(envelope.type)) return;
  firstOutputSeen.add(run);
  runSpans().get(run.id)?.event('first_token');
}

function endRunSpan(run: Run): void {
  const span = runSpans().get(run.id);
  if (!span) return;
  runSpans().delete(run.id);
  const usage = run.result.generations.main?.usage ?? run.result.analysis?.complete?.payload.metadata.usage;
  const status = run.result.status === 'running' ? 'error' : run.result.status;
  span.end({
    status,
    ...(run.result.error && status === 'error' ? { error: { code: run.result.error.code, message: run.result.error.message } } : {}),
    ...(usage ? { usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } } : {}),
  });
}

/** Records that a reader came back with Last-Event-ID (a reconnect) on the run's span. */
export function noteReconnect(run: Run, afterSeq: number): void {
  runSpans().get(run.id)?.event('reconnect', { 'streamconsole.stream.after_seq': afterSeq });
}

/**
 * The process-wide Redis run backend, or undefined when REDIS_URL is unset (runs stay in this
 * process). Kept on globalThis like the hub.
 */
export function getRunBackend(): RedisRunBackend | undefined {
  const redis = getRedis();
  if (!redis) return undefined;
  const store = globalThis as GlobalWithHub;
  if (!store[BACKEND_KEY]) {
    const config = getConfig();
    store[BACKEND_KEY] = createRedisRunBackend({
      redis,
      subscriber: createRedisConnection(config.REDIS_URL!, 'subscriber'),
      keyPrefix: config.REDIS_KEY_PREFIX,
      maxLen: config.RUN_LOG_MAXLEN,
      leaseMs: config.RUN_LEASE_MS,
      retentionMs: config.RUN_RETENTION_MS,
      maxDurationMs: config.RUN_MAX_DURATION_MS,
      onCancelRequested: (id) => getRunHub().cancel(id, 'user'),
      // Another instance ended the run thinking this one dead: stop producing, with the same error.
      onLeaseLost: (id) => getRunHub().fail(id, PRODUCER_LOST),
      onProducerLost: (run) => {
        saveEndedRun(run).catch((error: unknown) => console.error(`[run ${run.id}] saving the lost run failed:`, error));
      },
    });
  }
  return store[BACKEND_KEY];
}

/** The process-wide hub (kept on globalThis: route modules may be bundled apart, and dev reloads modules). */
export function getRunHub(): RunHub {
  const store = globalThis as GlobalWithHub;
  if (!store[HUB_KEY]) {
    const config = getConfig();
    const backend = getRunBackend();
    store[HUB_KEY] = createRunHub({
      ...(backend
        ? { createLog: (_id, info) => backend.createWriterLog(info), isWatchedElsewhere: (run) => backend.isWatched(run.id) }
        : { createLog: () => createMemoryRunLog({ maxLen: config.RUN_LOG_MAXLEN }) }),
      graceMs: config.RUN_GRACE_MS,
      maxDurationMs: config.RUN_MAX_DURATION_MS,
      retentionMs: config.RUN_RETENTION_MS,
      onPublish: observeEnvelope,
      onRunEnd: async (run) => {
        endRunSpan(run);
        await saveEndedRun(run);
      },
      onBackgroundError: (error, run) => console.error(`[run ${run.id}] background work failed:`, error),
    });
  }
  return store[HUB_KEY];
}

async function saveEndedRun(run: Run): Promise<void> {
  const summary = summarizeResult(run.result);
  // An ended run's status is never 'running': its terminal envelope set it.
  const status = run.result.status === 'running' ? 'error' : run.result.status;
  await finishRun({
    id: run.id,
    status,
    endReason: run.endReason ?? 'error',
    result: summary,
    metrics: run.result.metrics ?? null,
    error: run.result.error ?? null,
    lastSeq: run.lastSeq,
  });
}

export type { RunViewer };

/** A run is its owner's: the one rule, `lib/db/ownership.ts`. */
const isVisibleTo = canViewRun;

/** Starts a run of `request.kind`. Throws before anything streams if the input cannot run. */
export async function startRun({ request, ownerId = null }: { request: RunRequest; ownerId?: string | null }): Promise<Run> {
  const prepared = await prepareRun(request);
  const id = crypto.randomUUID();
  // In Redis before the database: a run row that exists then always has its lease (see markRunsInterrupted).
  await getRunBackend()?.registerRun({ id, kind: prepared.kind, ownerId, createdAt: Date.now() });
  await createRun({ id, kind: prepared.kind, model: prepared.model, ownerId, input: prepared.input });
  const provider = prepared.model ? prepared.model.slice(0, prepared.model.indexOf(':')) : null;
  runSpans().set(id, startRunSpan({ runId: id, kind: prepared.kind, model: prepared.model, provider, input: prepared.input }));
  return getRunHub().start({ id, kind: prepared.kind, input: prepared.input, producer: prepared.producer, ownerId });
}

/**
 * Whether `viewer` may see the live copy `run` (a hub run, a view, or Redis metadata). A copy
 * that says no is checked against the run's row, whose owner moves first when an anonymous
 * account is replaced: another instance's copy learns the move here, and keeps it.
 */
async function mayView(run: { id: string; ownerId: string | null }, viewer: RunViewer | null): Promise<boolean> {
  if (isVisibleTo(run.ownerId, viewer)) return true;
  if (!viewer) return false;
  const row = await getRunById({ id: run.id });
  if (!row || row.ownerId !== viewer.userId) return false;
  run.ownerId = row.ownerId;
  return true;
}

/**
 * Moves the live copies of these runs to `toUserId` after their rows moved (lib/db/ownership.ts,
 * at sign-up or sign-in from an anonymous session): this process's runs, the views it holds of
 * other instances' runs, and their Redis metadata. The visitor keeps reading, streaming and
 * cancelling the run they started as a guest; the replaced account no longer owns it.
 */
export async function reownLiveRuns({ ids, toUserId }: { ids: readonly string[]; toUserId: string }): Promise<void> {
  if (ids.length === 0) return;
  const hub = getRunHub();
  for (const id of ids) {
    const run = hub.get(id);
    if (run) run.ownerId = toUserId;
  }
  await getRunBackend()?.setRunOwner(ids, toUserId);
}

/** The live run `id` if `viewer` may see it; undefined if it is not in this process. */
async function findLiveRun({ id, viewer = null }: { id: string; viewer?: RunViewer | null }): Promise<Run | undefined> {
  const run = getRunHub().get(id);
  if (!run) return undefined;
  if (!(await mayView(run, viewer))) throw new AppError('not_found:run', 'No such run.');
  return run;
}

/**
 * The run `id` if `viewer` may see it and its log is still held: this process's own run, or, with
 * Redis, a view of a run another instance produces. Undefined if neither knows it (it may be
 * saved in the database).
 */
export async function findRun({ id, viewer = null }: { id: string; viewer?: RunViewer | null }): Promise<Run | undefined> {
  const local = await findLiveRun({ id, viewer });
  if (local) return local;
  const backend = getRunBackend();
  if (!backend) return undefined;
  const opened = backend.openedRun(id);
  if (opened && !opened.broken()) {
    if (!(await mayView(opened, viewer))) throw new AppError('not_found:run', 'No such run.');
    await opened.ready;
    return opened;
  }
  const meta = await backend.findRunMeta(id);
  if (!meta) return undefined;
  if (!(await mayView(meta, viewer))) throw new AppError('not_found:run', 'No such run.');
  return backend.openRun(meta);
}

/** What an SSE response registers its reader with (the hub's own runs, or views of others' runs). */
export interface RunReaders {
  /** Registers a reader of the run; the returned function unregisters it. */
  attach(id: string): () => void;
}

/** Readers of any run this process serves: a run nobody reads anywhere is cancelled after the grace period. */
export function getRunReaders(): RunReaders {
  return {
    attach(id) {
      const hub = getRunHub();
      if (hub.get(id)) return hub.attach(id);
      return getRunBackend()?.openedRun(id)?.attach() ?? (() => undefined);
    },
  };
}

/** How long a cancel from another instance waits for the producer's terminal before answering. */
const REMOTE_CANCEL_WAIT_MS = 5_000;

/** Asks the producing instance to cancel, again each second (pub/sub may drop one), until the terminal arrives. */
async function cancelRemoteRun(backend: RedisRunBackend, run: RemoteRun): Promise<void> {
  const deadline = Date.now() + REMOTE_CANCEL_WAIT_MS;
  while (!run.ended && Date.now() < deadline) {
    await backend.requestCancel(run.id);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([run.finished, new Promise((resolve) => (timer = setTimeout(resolve, 1_000)))]);
    clearTimeout(timer);
  }
}

/** Cancels a run. Cancelling a run that has already ended is not an error; the answer says how it ended. */
export async function cancelRunOrThrow({ id, viewer = null }: { id: string; viewer?: RunViewer | null }) {
  const run = await findRun({ id, viewer });
  if (run && isRemoteRun(run)) {
    await cancelRemoteRun(getRunBackend()!, run);
    return { runId: id, status: run.result.status };
  }
  if (run) {
    getRunHub().cancel(id, 'user');
    return { runId: id, status: run.result.status };
  }
  const row = await getRunById({ id });
  if (!row || !isVisibleTo(row.ownerId, viewer)) throw new AppError('not_found:run', 'No such run.');
  return { runId: id, status: row.status };
}

export interface RunSnapshot {
  runId: string;
  kind: string;
  model: string | null;
  status: string;
  endReason: string | null;
  result: RunSummary | null;
  createdAt: string;
  endedAt: string | null;
}

/** A JSON snapshot of a run: from its log while it is held (here or in Redis), from the database afterwards. */
export async function getRunSnapshotOrThrow({ id, viewer = null }: { id: string; viewer?: RunViewer | null }): Promise<RunSnapshot> {
  const row = await getRunById({ id });
  const run = await findRun({ id, viewer });
  if (!row || !isVisibleTo(row.ownerId, viewer)) {
    if (!run) throw new AppError('not_found:run', 'No such run.');
  }
  if (run) {
    return {
      runId: run.id,
      kind: run.kind,
      model: row?.model ?? null,
      status: run.result.status,
      endReason: run.ended ? (run.endReason ?? null) : null,
      result: summarizeResult(run.result),
      createdAt: new Date(run.createdAt).toISOString(),
      endedAt: run.result.endedAt ? new Date(run.result.endedAt).toISOString() : null,
    };
  }
  return {
    runId: row!.id,
    kind: row!.kind,
    model: row!.model,
    status: row!.status,
    endReason: row!.endReason,
    result: (row!.result as RunSummary | null) ?? null,
    createdAt: row!.createdAt.toISOString(),
    endedAt: row!.endedAt?.toISOString() ?? null,
  };
}

/** A saved run that is no longer in memory: its final seq, so a reader can be told it is past the end. */
export async function getSavedRunOrThrow({ id, viewer = null }: { id: string; viewer?: RunViewer | null }) {
  const row = await getRunById({ id });
  if (!row || !isVisibleTo(row.ownerId, viewer)) throw new AppError('not_found:run', 'No such run.');
  return row;
}
