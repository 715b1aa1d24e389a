// POST /api/runs/:id/cancel: stop the run's producer; its log ends with a cancelled terminal.
import { getViewer } from '@/lib/auth/viewer';
import { withRoute } from '@/lib/http/route';
import { cancelRunOrThrow } from '@/lib/runs/registry';
import { runIdSchema } from '@/lib/runs/runId';

export const dynamic = 'force-dynamic';

export const POST = withRoute<{ id: string }>(async ({ request, params }) => {
  const result = await cancelRunOrThrow({ id: runIdSchema.parse(params.id), viewer: await getViewer(request) });
  return Response.json(result, { status: 202 });
});
