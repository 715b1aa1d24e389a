// GET /api/runs/:id: a JSON snapshot of the run (status, reduced result, metrics).
import { getViewer } from '@/lib/auth/viewer';
import { withRoute } from '@/lib/http/route';
import { getRunSnapshotOrThrow } from '@/lib/runs/registry';
import { runIdSchema } from '@/lib/runs/runId';

export const dynamic = 'force-dynamic';

export const GET = withRoute<{ id: string }>(async ({ request, params }) => {
  const snapshot = await getRunSnapshotOrThrow({ id: runIdSchema.parse(params.id), viewer: await getViewer(request) });
  return Response.json(snapshot, { headers: { 'Cache-Control': 'no-store' } });
});
