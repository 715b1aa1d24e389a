// GET /api/me/preferences: the caller's own choices, {preferences: {streaming: true | false | null}}.
// PUT /api/me/preferences {streaming: true | false | null}: on, off, or follow the rollout; answers
// with the choices and the flags as they now evaluate (the shape of GET /api/me/flags).
import { getViewerStreaming, requireViewer, setViewerStreaming, viewerPreferencesSchema } from '@/lib/auth';
import { readJsonBody } from '@/lib/http/body';
import { withRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

const noStore = { 'Cache-Control': 'no-store' };

export const GET = withRoute(async ({ request }) => {
  const viewer = await requireViewer(request);
  const { preference } = await getViewerStreaming({ viewer });
  return Response.json({ preferences: { streaming: preference } }, { headers: noStore });
});

export const PUT = withRoute(async ({ request }) => {
  const viewer = await requireViewer(request);
  const { streaming } = await readJsonBody(request, viewerPreferencesSchema);
  const { preference, evaluation } = await setViewerStreaming({ viewer, streaming });
  return Response.json({ flags: { streaming: evaluation }, preferences: { streaming: preference } }, { headers: noStore });
});
