// POST /api/runs/:id/share: the owner makes a share link of a saved run (201 {token, path, url});
// anyone holding it reads the run without an account. DELETE revokes every live link of the run.
// Someone else's run (or no session) is 404, as everywhere (lib/db/ownership.ts).
import { getViewer } from '@/lib/auth/viewer';
import { withRoute } from '@/lib/http/route';
import { runIdSchema } from '@/lib/runs/runId';
import { shareRunOrThrow, unshareRunOrThrow } from '@/lib/runs/sharing';

export const dynamic = 'force-dynamic';

export const POST = withRoute<{ id: string }>(async ({ request, params }) => {
  const share = await shareRunOrThrow({ id: runIdSchema.parse(params.id), viewer: await getViewer(request), request });
  return Response.json(share, { status: 201, headers: { 'Cache-Control': 'no-store' } });
});

export const DELETE = withRoute<{ id: string }>(async ({ request, params }) => {
  const result = await unshareRunOrThrow({ id: runIdSchema.parse(params.id), viewer: await getViewer(request) });
  return Response.json(result, { headers: { 'Cache-Control': 'no-store' } });
});
