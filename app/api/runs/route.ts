// POST /api/runs: start a run. How it is delivered follows the user's `streaming` flag:
// - streaming: `Accept: text/event-stream` answers with its SSE stream at once; otherwise
//   201 {runId, mode: 'streaming', eventsUrl, resultUrl} and the client reads the events URL;
// - blocking (the flag is off for this user): always 201 {runId, mode: 'blocking', ...} with
//   `X-Run-Mode: blocking`, and the client long-polls the result URL for progress and then the
//   whole result.
// A run always has an owner: without a valid session the answer is 401 `unauthorized:session`.
// Every run, however delivered, holds one of its user's run slots (MAX_RUNS_PER_USER) and one of
// the server's (MAX_RUNS_TOTAL) until it ends, however it ends; past a cap the answer is 429.
import { getConfig } from '@/lib/config';
import { readJsonBody } from '@/lib/http/body';
import { acquireRunSlot, acquireStreamSlot, consumeRunStart } from '@/lib/limits';
import { limitKeyOf } from '@/lib/limits/clientKey';
import { requireViewer } from '@/lib/auth/viewer';
import { wantsEventStream, withRoute } from '@/lib/http/route';
import { runRequestSchema } from '@/lib/kinds';
import { decideDeliveryMode } from '@/lib/runs/deliveryMode';
import { getRunHub, startRun } from '@/lib/runs/registry';
import { runEventsResponse } from '@/lib/runs/runEventsResponse';

export const dynamic = 'force-dynamic';

export const POST = withRoute(async ({ request }) => {
  const viewer = await requireViewer(request);
  const body = await readJsonBody(request, runRequestSchema);
  const limitKey = limitKeyOf(request, viewer.userId);
  await consumeRunStart({ userId: limitKey });
  const { mode } = await decideDeliveryMode({ userId: viewer.userId, role: viewer.role, anonymousKey: limitKey });
  const streams = mode === 'streaming' && wantsEventStream(request);
  // Take the slots before starting, so a refused run or stream starts nothing.
  const releaseRun = await acquireRunSlot({ userId: limitKey });
  let release;
  let run;
  try {
    release = streams ? await acquireStreamSlot({ userId: limitKey }) : undefined;
    run = await startRun({ request: body, ownerId: viewer.userId });
  } catch (error) {
    release?.();
    releaseRun();
    throw error;
  }
  // Its terminal envelope is in the log however it ended: complete, error, cancel, timeout, shutdown, lost.
  void run.finished.then(releaseRun);
  const eventsUrl = `/api/runs/${run.id}/events`;
  if (!streams) {
    return Response.json(
      { runId: run.id, mode, eventsUrl, resultUrl: `/api/runs/${run.id}/result` },
      { status: 201, headers: { Location: `/api/runs/${run.id}`, 'X-Run-Id': run.id, 'X-Run-Mode': mode } },
    );
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
    headers: { 'X-Run-Mode': 'streaming' },
  });
});
