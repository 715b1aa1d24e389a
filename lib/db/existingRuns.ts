/** Which of some run ids the database still has (the image sweep: a deleted run's images go with it). */
import 'server-only';

import { inArray } from 'drizzle-orm';
import { getDb } from './client';
import { runs } from './schema';

// PostgreSQL takes at most 65,535 bind parameters per statement; stay far below it.
const IDS_PER_QUERY = 1_000;

/** Those of `ids` that are rows of `runs`. */
export async function listExistingRunIds({ ids }: { ids: readonly string[] }): Promise<Set<string>> {
  const unique = [...new Set(ids)];
  const found = new Set<string>();
  if (unique.length === 0) return found;
  const db = await getDb();
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const rows = await db.select({ id: runs.id }).from(runs).where(inArray(runs.id, unique.slice(i, i + IDS_PER_QUERY)));
    for (const row of rows) found.add(row.id);
  }
  return found;
}
