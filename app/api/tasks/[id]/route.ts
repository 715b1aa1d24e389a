// GET /api/tasks/:id: one ARC task (train and test pairs); 400 for a malformed id, 404 for an unknown one.
import { getTaskOrThrow } from '@/lib/arc/load';
import { withRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = withRoute<{ id: string }>(async ({ params }) => {
  const task = await getTaskOrThrow({ id: params.id });
  return Response.json(task, { headers: { 'Cache-Control': 'no-store' } });
});
