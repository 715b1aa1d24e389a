// POST /api/runs/:id/cancel: stop the run's producer; its log ends with a cancelled terminal.
import { withRoute } from '@/lib/http/route';
import { cancelRunOrThrow } from '@/lib/runs/registry';
import { runIdSchema } from '@/lib/runs/runId';

export const dynamic = 'force-dynamic';

export const POST = withRoute<{ id: string }>(async ({ params }) => {
  const result = await cancelRunOrThrow({ id: runIdSchema.parse(params.id) });
  return Response.json(result, { status: 202 });
});
