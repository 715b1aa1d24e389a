// GET /api/admin/flags/share: what share of all users (anonymous ones included) gets streaming now:
// {total, enabled, share, byRule: {kill_switch, user_preference, allowlist, rollout, default}}.
// POST /api/admin/flags/share {userIds}: the same count over the ids given (existing or not: a
// rollout can be tried on synthetic ids before it reaches real users), with `enabledUserIds`.
// Admins only.
import { z } from 'zod';
import { getStreamingShareOfAllUsers, requireAdmin } from '@/lib/auth';
import { shareOfUsersStreaming } from '@/lib/flags';
import { readJsonBody } from '@/lib/http/body';
import { withRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

const sampleSchema = z.strictObject({
  userIds: z.array(z.string().trim().min(1).max(200)).min(1).max(10_000),
});

export const GET = withRoute(async ({ request }) => {
  await requireAdmin(request);
  return Response.json(await getStreamingShareOfAllUsers(), { headers: { 'Cache-Control': 'no-store' } });
});

export const POST = withRoute(async ({ request }) => {
  await requireAdmin(request);
  const { userIds } = await readJsonBody(request, sampleSchema, 1024 * 1024);
  return Response.json(await shareOfUsersStreaming({ userIds, listEnabled: true }), { headers: { 'Cache-Control': 'no-store' } });
});
