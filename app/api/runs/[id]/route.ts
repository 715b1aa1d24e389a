// GET /api/runs/:id: a JSON snapshot of the run (status, reduced result, metrics).
import { withRoute } from '@/lib/http/route';
import { getRunSnapshotOrThrow } from '@/lib/runs/registry';
import { runIdSchema } from '@/lib/runs/runId';

export const dynamic = 'force-dynamic';

export const GET = withRoute<{ id: string }>(async ({ params }) => {
  const snapshot = await getRunSnapshotOrThrow({ id: runIdSchema.parse(params.id) });
  return Response.json(snapshot, { headers: { 'Cache-Control': 'no-store' } });
});
