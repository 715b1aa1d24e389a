// GET /api/admin/flags: the streaming flag's settings and its allowlist with each id's email:
// {settings: {key, killSwitch, percentage, allowlist, defaultValue, updatedAt}, allowlist: [{userId, email, known, isAnonymous}]}.
// PUT /api/admin/flags {killSwitch?, percentage?, allowlist?, defaultValue?}: fields left out keep
// their value; allowlist entries are user ids or emails (resolved to ids; an unknown email is a 400).
// Admins only: 401 without a session, 403 forbidden:role otherwise.
import { adminFlagsPatchSchema, getAdminFlagState, requireAdmin, updateAdminFlagState } from '@/lib/auth';
import { readJsonBody } from '@/lib/http/body';
import { withRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

const noStore = { 'Cache-Control': 'no-store' };

export const GET = withRoute(async ({ request }) => {
  await requireAdmin(request);
  return Response.json(await getAdminFlagState(), { headers: noStore });
});

export const PUT = withRoute(async ({ request }) => {
  await requireAdmin(request);
  const patch = await readJsonBody(request, adminFlagsPatchSchema);
  return Response.json(await updateAdminFlagState(patch), { headers: noStore });
});
