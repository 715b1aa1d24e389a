// GET /api/admin/flags/share: what share of all users (anonymous ones included) gets streaming now:
// {total, enabled, share, byRule: {kill_switch, user_preference, allowlist, rollout, default}}. Admins only.
import { getStreamingShareOfAllUsers, requireAdmin } from '@/lib/auth';
import { withRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = withRoute(async ({ request }) => {
  await requireAdmin(request);
  return Response.json(await getStreamingShareOfAllUsers(), { headers: { 'Cache-Control': 'no-store' } });
});
