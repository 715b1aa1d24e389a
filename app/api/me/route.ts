// GET /api/me: who the session cookie says the caller is: {viewer: {userId, role, isAnonymous, email?}}.
import { requireViewer } from '@/lib/auth';
import { withRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = withRoute(async ({ request }) => {
  const viewer = await requireViewer(request);
  return Response.json({ viewer }, { headers: { 'Cache-Control': 'no-store' } });
});
