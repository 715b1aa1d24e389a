/**
 * Which runs have any of their keys in Redis, asked for many runs in one pipeline: the lease
 * checks of start-up and of the orphan sweep.
 *
 * A command of the pipeline that failed (a timeout, a dropped connection, a Redis still loading)
 * fails the whole question. ioredis resolves `exec()` even then, with the error in that
 * command's slot, and reading that slot as "no key" would have the callers mark live runs
 * interrupted.
 */
import type { Redis } from 'ioredis';

export async function idsWithAnyKey(redis: Pick<Redis, 'pipeline'>, ids: string[], keysOf: (id: string) => string[]): Promise<Set<string>> {
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.exists(...keysOf(id));
  const answers = await pipeline.exec();
  if (!answers || answers.length !== ids.length) throw new Error(`Redis answered ${answers?.length ?? 0} of ${ids.length} EXISTS`);
  const found = new Set<string>();
  ids.forEach((id, index) => {
    const [error, count] = answers[index]!;
    if (error) throw error;
    if (Number(count) > 0) found.add(id);
  });
  return found;
}
