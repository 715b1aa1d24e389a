// GET /api/me/flags: the caller's flags as evaluated now, with the rule that decided each, and
// the caller's own choices: {flags: {streaming: {enabled, reason, rule, bucket?}}, preferences: {streaming}}.
import { getViewerStreaming, requireViewer } from '@/lib/auth';
import { withRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

export const GET = withRoute(async ({ request }) => {
  const viewer = await requireViewer(request);
  const { preference, evaluation } = await getViewerStreaming({ viewer });
  return Response.json({ flags: { streaming: evaluation }, preferences: { streaming: preference } }, { headers: { 'Cache-Control': 'no-store' } });
});
