// GET /api/admin/flags/evaluate?userId=<id> (or ?email=<address>): how the streaming flag evaluates
// for that user and why: {user: {id, email, role, isAnonymous, createdAt} | null, preference,
// evaluation: {enabled, reason, rule, bucket?}}. Admins only.
import { z } from 'zod';
import { explainStreaming, requireAdmin } from '@/lib/auth';
import { withRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

const querySchema = z.union([
  z.object({ userId: z.string().trim().min(1).max(200) }),
  z.object({ email: z.email().max(320) }),
], { error: 'Give a userId or an email.' });

export const GET = withRoute(async ({ request }) => {
  await requireAdmin(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const who = querySchema.parse(params);
  return Response.json(await explainStreaming(who), { headers: { 'Cache-Control': 'no-store' } });
});
