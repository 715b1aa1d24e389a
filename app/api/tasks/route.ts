// GET /api/tasks?query=&source=&offset=&limit=: one page of ARC task summaries.
import { z } from 'zod';
import { DEFAULT_LIST_LIMIT, listTasks, MAX_LIST_LIMIT } from '@/lib/arc/load';
import { withRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

const querySchema = z.object({
  query: z.string().trim().max(64).optional(),
  source: z.string().trim().min(1).max(128).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
});

export const GET = withRoute(async ({ request }) => {
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ''));
  const { query, source, offset, limit } = querySchema.parse(params);
  const { tasks, total } = await listTasks({ query, source, offset, limit });
  return Response.json({ tasks, total, offset, limit }, { headers: { 'Cache-Control': 'no-store' } });
});
