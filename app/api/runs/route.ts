// POST /api/runs: start a run. `Accept: text/event-stream` answers with its SSE stream at once;
// otherwise 201 {runId, eventsUrl} and the client reads /api/runs/:id/events.
import { getConfig } from '@/lib/config';
import { readJsonBody } from '@/lib/http/body';
import { acquireStreamSlot, consumeRunStart } from '@/lib/limits';
import { limitKeyOf } from '@/lib/limits/clientKey';
import { getViewer } from '@/lib/auth/viewer';
import { wantsEventStream, withRoute } from '@/lib/http/route';
import { runRequestSchema } from '@/lib/producers';
import { getRunHub, startRun } from '@/lib/runs/registry';
import { runEventsResponse } from '@/lib/runs/runEventsResponse';

export const dynamic = 'force-dynamic';

export const POST = withRoute(async ({ request }) => {
  const body = await readJsonBody(request, runRequestSchema);
  const viewer = await getViewer(request);
  const limitKey = limitKeyOf(request, viewer?.userId);
  await consumeRunStart({ userId: limitKey });
  // Take the stream slot before starting, so a refused stream starts no run.
  const release = wantsEventStream(request) ? await acquireStreamSlot({ userId: limitKey }) : undefined;
  let run;
  try {
    run = await startRun({ request: body, ownerId: viewer?.userId ?? null });
  } catch (error) {
    release?.();
    throw error;
  }
  const eventsUrl = `/api/runs/${run.id}/events`;
  if (!wantsEventStream(request)) {
    return Response.json({ runId: run.id, eventsUrl }, { status: 201, headers: { Location: `/api/runs/${run.id}` } });
  }
  const config = getConfig();
  return runEventsResponse({
    hub: getRunHub(),
    run,
    afterSeq: 0,
    heartbeatMs: config.SSE_HEARTBEAT_MS,
    maxLifetimeMs: config.SSE_MAX_LIFETIME_MS,
    signal: request.signal,
    onClose: release,
  });
});
