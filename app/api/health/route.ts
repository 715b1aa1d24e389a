// GET /api/health: whether the database and the run-log backend (memory, or Redis) answer. 200 when healthy, 503 otherwise.
import { withRoute } from '@/lib/http/route';
import { checkHealth } from '@/lib/health';

export const dynamic = 'force-dynamic';

export const GET = withRoute(async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
});
