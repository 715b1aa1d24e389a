// GET /api/tasks/:id/analyses?limit=N: the viewer's saved analyses of the task (a run is its
// owner's: none without a session), newest first, each summarised
// (model, when, confidence, parse status, interrupted, right or wrong where the answer is known).
// 400 for a malformed id or limit, 404 for an unknown task.
import { z } from 'zod';
import { savedAnalysisOf } from '@/lib/kinds/analysis-saved';
import { getTaskOrThrow } from '@/lib/arc/load';
import { listRuns, MAX_LIST_LIMIT } from '@/lib/db';
import { withRoute } from '@/lib/http/route';
import { getViewer } from '@/lib/auth/viewer';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(50),
});

export const GET = withRoute<{ id: string }>(async ({ request, params }) => {
  const { limit } = querySchema.parse(Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== '')));
  const task = await getTaskOrThrow({ id: params.id });
  const rows = await listRuns({ viewer: await getViewer(request), kind: 'analysis', taskId: task.id, limit });
  return Response.json({ taskId: task.id, analyses: rows.map((row) => savedAnalysisOf(row, task.test)) }, { headers: { 'Cache-Control': 'no-store' } });
});
