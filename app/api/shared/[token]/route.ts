// GET /api/shared/:token: the run a live share link opens (its input and saved result), with or
// without a session; 404 not_found:share for an unknown or revoked link.
import { withRoute } from '@/lib/http/route';
import { readSharedRunOrThrow } from '@/lib/runs/sharing';

export const dynamic = 'force-dynamic';

export const GET = withRoute<{ token: string }>(async ({ params }) => {
  const shared = await readSharedRunOrThrow({ token: params.token });
  // A revoked link must stop working at once: no shared cache may keep the answer.
  return Response.json(shared, { headers: { 'Cache-Control': 'private, no-store' } });
});
