/**
 * What the saved-analysis pages read: the task, the viewer's analyses of it newest first, and one
 * analysis by run id (only if it is the viewer's, and an analysis of that task). A run is its
 * owner's (`lib/db/ownership.ts`): without a session these pages list nothing. Server only.
 */
import 'server-only';
import { headers } from 'next/headers';
import { getViewerFromHeaders } from '@/lib/auth/viewer';
import { savedAnalysisOf, type SavedAnalysis } from '@/lib/kinds/analysis-saved';
import type { ArcTask } from '@/lib/arc/task';
import { countLiveRunShares, getRunById, listRuns, type Run } from '@/lib/db';
import { canViewRun } from '@/lib/db/ownership';
import { runIdSchema } from '@/lib/runs/runId';

/** How many analyses the history page lists. */
export const HISTORY_LIMIT = 100;

export async function listSavedAnalyses(task: ArcTask): Promise<SavedAnalysis[]> {
  const viewer = await getViewerFromHeaders(await headers());
  const rows = await listRuns({ viewer, kind: 'analysis', taskId: task.id, limit: HISTORY_LIMIT });
  return rows.map((row) => savedAnalysisOf(row, task.test));
}

/** The saved analysis `runId` of `task`, or undefined (unknown id, another kind, another task). */
export async function findSavedAnalysis(task: ArcTask, runId: string | undefined): Promise<{ row: Run; saved: SavedAnalysis } | undefined> {
  if (!runId) return undefined;
  let id: string;
  try {
    id = runIdSchema.parse(runId);
  } catch {
    return undefined;
  }
  const row = await getRunById({ id });
  if (!row || row.kind !== 'analysis') return undefined;
  if (!canViewRun(row.ownerId, await getViewerFromHeaders(await headers()))) return undefined;
  const saved = savedAnalysisOf(row, task.test);
  return saved.taskId === task.id ? { row, saved } : undefined;
}

/** How many live share links the viewer's run has (0 for someone else's). */
export async function countLiveShares(runId: string): Promise<number> {
  return countLiveRunShares({ runId, viewer: await getViewerFromHeaders(await headers()) });
}
