/**
 * Queries on the `runs` table: a run is recorded when it starts and updated once when it ends,
 * with the reduced result (partial when it did not complete), its metrics and how it ended.
 */
import 'server-only';

import { and, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { getDb } from './client';
import { ownedBy, type RunViewer } from './ownership';
import { runs, type Run, type RunEndReason, type RunStatus } from './schema';

/** Records a run as `running`. Its id is the run id the hub gives its envelopes. */
export async function createRun({
  id,
  kind,
  model = null,
  ownerId = null,
  input,
}: {
  id: string;
  kind: string;
  model?: string | null;
  ownerId?: string | null;
  input: unknown;
}): Promise<void> {
  const db = await getDb();
  // Nothing returned: a run start reads nothing back, and a row's JSON parsed for nobody is CPU
  // every start pays.
  await db.insert(runs).values({ id, kind, model, ownerId, input });
}

/**
 * Records how a run ended. Only a run still `running` is updated: the first end recorded wins
 * (a cancel racing a completion, or a run already marked interrupted), and the later call gets
 * `false` back.
 */
export async function finishRun({
  id,
  status,
  endReason,
  result = null,
  metrics = null,
  error = null,
  lastSeq,
}: {
  id: string;
  status: Exclude<RunStatus, 'running'>;
  endReason: RunEndReason;
  result?: unknown;
  metrics?: unknown;
  error?: unknown;
  lastSeq: number;
}): Promise<boolean> {
  const db = await getDb();
  const updated = await db
    .update(runs)
    .set({ status, endReason, result, metrics, error, lastSeq, endedAt: sql`now()` })
    .where(and(eq(runs.id, id), eq(runs.status, 'running')))
    .returning({ id: runs.id });
  return updated.length > 0;
}

/** The run with this id, or `null`. */
export async function getRunById({ id }: { id: string }): Promise<Run | null> {
  const db = await getDb();
  const [row] = await db.select().from(runs).where(eq(runs.id, id)).limit(1);
  return row ?? null;
}

/** Most rows one call returns, whatever the caller asks. */
export const MAX_LIST_LIMIT = 200;

/**
 * The runs `viewer` may see (their own: `ownership.ts`; none without a session), newest first,
 * optionally only one producer's or one task's.
 */
export async function listRuns({
  viewer,
  kind,
  taskId,
  limit = 50,
}: {
  /** Whose runs: required, so that no caller lists everyone's by leaving it out. */
  viewer: RunViewer | null;
  kind?: string;
  /** Runs whose input names this ARC task (`input.taskId`). */
  taskId?: string;
  limit?: number;
}): Promise<Run[]> {
  const db = await getDb();
  const filters: SQL[] = [ownedBy(viewer)];
  if (kind !== undefined) filters.push(eq(runs.kind, kind));
  if (taskId !== undefined) filters.push(sql`${runs.input} ->> 'taskId' = ${taskId}`);
  return db
    .select()
    .from(runs)
    .where(and(...filters))
    // id breaks ties so that pages are stable when two runs share a timestamp.
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(Math.max(1, Math.min(Math.trunc(limit), MAX_LIST_LIMIT)));
}

/**
 * Marks runs still `running` as ended with `error`/`interrupted`; returns how many.
 *
 * - `ids`: those runs (the ones of them still running), e.g. the orphans a sweep found.
 * - no `ids`: every run still running. Call it so once at start-up, before this process starts
 *   runs of its own: a crash or kill leaves rows that no process will ever finish. With several
 *   instances on one PostgreSQL, pass `stillProduced`: it picks out the runs another instance is
 *   producing (their lease is held), which are left alone.
 */
export async function markRunsInterrupted({
  ids,
  stillProduced,
}: { ids?: string[]; stillProduced?: (ids: string[]) => Promise<Set<string>> } = {}): Promise<number> {
  if (ids) {
    if (ids.length === 0) return 0;
    return interruptWhere(and(eq(runs.status, 'running'), inArray(runs.id, ids))!);
  }
  if (stillProduced) {
    const running = await listRunningRunIds();
    if (running.length === 0) return 0;
    const produced = await stillProduced(running);
    return markRunsInterrupted({ ids: running.filter((id) => !produced.has(id)) });
  }
  return interruptWhere(eq(runs.status, 'running'));
}

/** The ids of the runs still `running`. */
export async function listRunningRunIds(): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select({ id: runs.id }).from(runs).where(eq(runs.status, 'running'));
  return rows.map((row) => row.id);
}

async function interruptWhere(where: SQL): Promise<number> {
  const db = await getDb();
  const rows = await db
    .update(runs)
    .set({
      status: 'error',
      endReason: 'interrupted',
      endedAt: sql`now()`,
      // Same shape as the protocol's error payload, so readers show it like any other failure.
      error: sql`coalesce(${runs.error}, ${JSON.stringify({
        code: 'interrupted',
        message: 'The server stopped before this run finished.',
      })}::jsonb)`,
    })
    .where(where)
    .returning({ id: runs.id });
  return rows.length;
}
