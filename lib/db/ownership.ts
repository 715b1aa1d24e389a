/**
 * Handing a user's things to another user: when a visitor's anonymous account is replaced by the
 * account they sign up or sign in with, their runs and settings go with them.
 */
import 'server-only';

import { eq, sql } from 'drizzle-orm';
import { getDb } from './client';
import { runs, userPreferences } from './schema';

/**
 * Gives every run row of `fromUserId` to `toUserId`; returns the ids that moved (the live copies
 * of those still held in memory or Redis move after them: `reownLiveRuns` in lib/runs/registry.ts).
 */
export async function transferRunOwnership({ fromUserId, toUserId }: { fromUserId: string; toUserId: string }): Promise<string[]> {
  if (fromUserId === toUserId) return [];
  const db = await getDb();
  const moved = await db.update(runs).set({ ownerId: toUserId }).where(eq(runs.ownerId, fromUserId)).returning({ id: runs.id });
  return moved.map((row) => row.id);
}

/**
 * Moves `fromUserId`'s preferences to `toUserId` unless `toUserId` has some already (an existing
 * account's own choices win over what was picked while anonymous). Returns whether they moved.
 */
export async function transferUserPreferences({ fromUserId, toUserId }: { fromUserId: string; toUserId: string }): Promise<boolean> {
  if (fromUserId === toUserId) return false;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [from] = await tx.select().from(userPreferences).where(eq(userPreferences.userId, fromUserId)).limit(1);
    if (!from) return false;
    const inserted = await tx
      .insert(userPreferences)
      .values({ userId: toUserId, streaming: from.streaming, updatedAt: sql`now()` })
      .onConflictDoNothing({ target: userPreferences.userId })
      .returning({ userId: userPreferences.userId });
    await tx.delete(userPreferences).where(eq(userPreferences.userId, fromUserId));
    return inserted.length > 0;
  });
}

/** Everything a replaced account owned, moved to its successor: runs (the ids that moved), then preferences. */
export async function transferUserData({ fromUserId, toUserId }: { fromUserId: string; toUserId: string }): Promise<{ runIds: string[]; preferences: boolean }> {
  const runIds = await transferRunOwnership({ fromUserId, toUserId });
  const preferences = await transferUserPreferences({ fromUserId, toUserId });
  return { runIds, preferences };
}
