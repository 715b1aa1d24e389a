/**
 * Share links of saved runs (docs/security.md, "Saved runs and sharing"). A run is its owner's
 * (`ownership.ts`); a share link is the owner's explicit exception for one run: whoever holds its
 * token reads that run's input and saved result, with or without an account, until the owner
 * revokes it. The token is 32 bytes from the OS's CSPRNG (256 bits, base64url); only its SHA-256
 * is stored, so reading the table opens no link.
 */
import 'server-only';

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { AppError } from '../errors';
import { getDb } from './client';
import { canViewRun, type RunViewer } from './ownership';
import { getRunById } from './runs';
import { runShares, type Run, type RunShare } from './schema';

/** 32 random bytes in base64url: 43 characters of `[A-Za-z0-9_-]`. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Whether `value` has the shape of a share token (anything else is not looked up). */
export function isShareToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** The stored form of a token: its SHA-256, hex. */
export function hashShareToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The run `runId` if `viewer` owns it; someone else's run is not found, as everywhere. */
async function getOwnRunOrThrow({ runId, viewer }: { runId: string; viewer: RunViewer | null }): Promise<Run> {
  const run = await getRunById({ id: runId });
  if (!run || !canViewRun(run.ownerId, viewer)) throw new AppError('not_found:run', 'No such run.');
  return run;
}

/**
 * Makes a new share link of the viewer's run: returns its token (shown this once; only its hash
 * is kept) and the stored row. Earlier links of the run stay valid until revoked.
 */
export async function createRunShareOrThrow({ runId, viewer }: { runId: string; viewer: RunViewer | null }): Promise<{ token: string; share: RunShare }> {
  await getOwnRunOrThrow({ runId, viewer });
  const token = randomBytes(32).toString('base64url');
  const db = await getDb();
  const [share] = await db.insert(runShares).values({ id: randomUUID(), runId, tokenHash: hashShareToken(token) }).returning();
  if (!share) throw new Error(`insert of a share of run ${runId} returned no row`);
  return { token, share };
}

/** Revokes every live share link of the viewer's run; returns how many were revoked (0 is not an error). */
export async function revokeRunSharesOrThrow({ runId, viewer }: { runId: string; viewer: RunViewer | null }): Promise<number> {
  await getOwnRunOrThrow({ runId, viewer });
  const db = await getDb();
  const revoked = await db
    .update(runShares)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(runShares.runId, runId), isNull(runShares.revokedAt)))
    .returning({ id: runShares.id });
  return revoked.length;
}

/** How many live (unrevoked) share links the viewer's run has. */
export async function countLiveRunShares({ runId, viewer }: { runId: string; viewer: RunViewer | null }): Promise<number> {
  const run = await getRunById({ id: runId });
  if (!run || !canViewRun(run.ownerId, viewer)) return 0;
  const db = await getDb();
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(runShares)
    .where(and(eq(runShares.runId, runId), isNull(runShares.revokedAt)));
  return row?.count ?? 0;
}

/** The run a live share link opens, or `null` (malformed, unknown or revoked token). */
export async function findSharedRun({ token }: { token: string }): Promise<Run | null> {
  if (!isShareToken(token)) return null;
  const db = await getDb();
  const [share] = await db
    .select({ runId: runShares.runId })
    .from(runShares)
    .where(and(eq(runShares.tokenHash, hashShareToken(token)), isNull(runShares.revokedAt)))
    .limit(1);
  return share ? getRunById({ id: share.runId }) : null;
}

/** The run a live share link opens; 404 `not_found:share` otherwise (one answer for unknown and revoked). */
export async function getSharedRunOrThrow({ token }: { token: string }): Promise<Run> {
  const run = await findSharedRun({ token });
  if (!run) throw new AppError('not_found:share', 'No such share link (it may have been revoked).');
  return run;
}
