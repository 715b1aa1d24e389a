// GET /api/runs/:id/result?waitMs=: the run's whole result once it ends (blocking mode, when
// streaming is off): 200 with the reduced result, or 202 with progress after waiting waitMs.
// Served by whichever instance the request reaches (with REDIS_URL, from the run's shared log).
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { getViewer } from '@/lib/auth/viewer';
import { withRoute } from '@/lib/http/route';
import { findRun, getRunReaders } from '@/lib/runs/registry';
import { runIdSchema } from '@/lib/runs/runId';
import { waitForRunResult } from '@/lib/runs/runResult';

export const dynamic = 'force-dynamic';

const querySchema = z.object({ waitMs: z.coerce.number().int().min(0).max(25_000).default(20_000) });

export const GET = withRoute<{ id: string }>(async ({ request, params }) => {
  const id = runIdSchema.parse(params.id);
  const { waitMs } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const run = await findRun({ id, viewer: await getViewer(request) });
  if (!run) throw new AppError('gone:run_log', 'This run is no longer in memory. Open its saved result instead.');
  // A blocking reader keeps the run alive as a streaming reader would.
  const detach = getRunReaders().attach(run.id);
  try {
    const answer = await waitForRunResult(run, { waitMs, signal: request.signal });
    return Response.json(answer, { status: answer.state === 'done' ? 200 : 202, headers: { 'Cache-Control': 'no-store' } });
  } finally {
    detach();
  }
});
