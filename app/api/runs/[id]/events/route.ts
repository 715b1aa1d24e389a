// GET /api/runs/:id/events: the run's SSE stream from Last-Event-ID (or ?lastEventId=) on, served
// by whichever instance the request reaches (with REDIS_URL, from the run's shared log).
import { getConfig } from '@/lib/config';
import { AppError } from '@/lib/errors';
import { lastEventIdOf } from '@/lib/http/body';
import { getViewer } from '@/lib/auth/viewer';
import { withRoute } from '@/lib/http/route';
import { acquireStreamSlot } from '@/lib/limits';
import { limitKeyOf } from '@/lib/limits/clientKey';
import { findRun, getRunReaders, getSavedRunOrThrow, noteReconnect } from '@/lib/runs/registry';
import { runEventsResponse } from '@/lib/runs/runEventsResponse';
import { runIdSchema } from '@/lib/runs/runId';

export const dynamic = 'force-dynamic';

export const GET = withRoute<{ id: string }>(async ({ request, params }) => {
  const id = runIdSchema.parse(params.id);
  const afterSeq = lastEventIdOf(request);
  const viewer = await getViewer(request);
  const run = await findRun({ id, viewer });
  if (!run) {
    // Finished and its log expired: the database knows how far it went.
    const saved = await getSavedRunOrThrow({ id, viewer });
    if (afterSeq >= saved.lastSeq && saved.status !== 'running') return new Response(null, { status: 204 });
    throw new AppError('gone:run_log', 'This run has finished and its event log has expired. Open its saved result instead.');
  }
  if (afterSeq > 0) noteReconnect(run, afterSeq);
  const release = await acquireStreamSlot({ userId: limitKeyOf(request, viewer?.userId) });
  const config = getConfig();
  return runEventsResponse({
    hub: getRunReaders(),
    run,
    afterSeq,
    heartbeatMs: config.SSE_HEARTBEAT_MS,
    maxLifetimeMs: config.SSE_MAX_LIFETIME_MS,
    signal: request.signal,
    onClose: release,
  });
});
