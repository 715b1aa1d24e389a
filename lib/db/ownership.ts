/**
 * Whose a run is. The one rule (docs/security.md, "Saved runs and sharing"): a run, its log and
 * its saved result are its owner's, and only its owner sees them; every reader of runs (the run
 * routes, the saved-analysis pages and API, the `similar` enrichment) asks {@link canViewRun} or
 * filters with {@link ownedBy}. Someone else's run is simply not found. A share link
 * (`lib/db/shares.ts`) is the owner's explicit exception for one run.
 *
 * Also here: handing a user's things to another user, when a visitor's anonymous account is
 * replaced by the account they sign up or sign in with (their runs and settings go with them).
 */
import 'server-only';

import { eq, sql, type SQL } from 'drizzle-orm';
import { getDb } from './client';
import { runs, userPreferences } from './schema';

/** Who is asking: a signed-in (or anonymous) user; `null` for a request with no valid session. */
export interface RunViewer {
  userId: string;
  role?: 'user' | 'admin';
}

/**
 * Whether `viewer` may see a run owned by `ownerId`: only its owner may. Nobody may see a run
 * with no owner (runs from before every run needed a session), and no role sees others' runs:
 * admin is for feature flags, not for reading people's work.
 */
export function canViewRun(ownerId: string | null, viewer: RunViewer | null | undefined): boolean {
  return ownerId !== null && viewer != null && ownerId === viewer.userId;
}

/**
 * The SQL form of {@link canViewRun}, for queries that list runs: the viewer's own, or none at
 * all (`false`) for a request with no session.
 */
export function ownedBy(viewer: RunViewer | null | undefined): SQL {
  return viewer ? eq(runs.ownerId, viewer.userId) : sql`false`;
}

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
