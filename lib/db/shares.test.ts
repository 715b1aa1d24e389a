/**
 * The share store against real databases (PGlite always, PostgreSQL when TEST_DATABASE_URL is
 * set): only a run's owner makes or revokes its links, a live link opens the run, a revoked or
 * made-up one opens nothing, and only the token's hash is stored.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, test } from 'vitest';
import { AppError } from '../errors';
import { getDb } from './client';
import { createRun } from './runs';
import { runs, runShares } from './schema';
import { countLiveRunShares, createRunShareOrThrow, findSharedRun, getSharedRunOrThrow, hashShareToken, isShareToken, revokeRunSharesOrThrow } from './shares';
import { testDatabases, useTestDatabase } from './testing/databases';

const alice = { userId: 'alice' };
const bob = { userId: 'bob' };

function isAppErrorWith(code: string) {
  return (error: unknown) => error instanceof AppError && error.code === code;
}

describe.each(testDatabases())('run shares on $name', (backend) => {
  describe.skipIf(backend.skip)(backend.skip ? 'skipped: TEST_DATABASE_URL is not set' : 'store', () => {
    useTestDatabase(backend);

    let runId: string;
    beforeEach(async () => {
      const db = await getDb();
      await db.delete(runShares);
      await db.delete(runs);
      runId = randomUUID();
      await createRun({ id: runId, kind: 'steer', model: 'local:tiny', ownerId: 'alice', input: { prompt: 'The ship' } });
    }, 30_000);

    test('the owner gets a 256-bit base64url token that opens the run', async () => {
      const { token } = await createRunShareOrThrow({ runId, viewer: alice });

      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(isShareToken(token)).toBe(true);
      expect(await findSharedRun({ token })).toMatchObject({ id: runId, input: { prompt: 'The ship' } });
    });

    test('only the hash of the token is stored', async () => {
      const { token } = await createRunShareOrThrow({ runId, viewer: alice });
      const db = await getDb();

      const rows = await db.select().from(runShares);

      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ runId, tokenHash: hashShareToken(token), revokedAt: null });
      expect(JSON.stringify(rows)).not.toContain(token);
    });

    test('two links of one run have different tokens', async () => {
      const first = await createRunShareOrThrow({ runId, viewer: alice });
      const second = await createRunShareOrThrow({ runId, viewer: alice });

      expect(first.token).not.toBe(second.token);
      expect(await countLiveRunShares({ runId, viewer: alice })).toBe(2);
    });

    test('another user cannot make a link of the run: not_found:run', async () => {
      await expect(createRunShareOrThrow({ runId, viewer: bob })).rejects.toSatisfy(isAppErrorWith('not_found:run'));
    });

    test('no session cannot make a link of the run either', async () => {
      await expect(createRunShareOrThrow({ runId, viewer: null })).rejects.toSatisfy(isAppErrorWith('not_found:run'));
    });

    test('a link of an unknown run cannot be made', async () => {
      await expect(createRunShareOrThrow({ runId: randomUUID(), viewer: alice })).rejects.toSatisfy(isAppErrorWith('not_found:run'));
    });

    test('revoking closes every live link of the run', async () => {
      const first = await createRunShareOrThrow({ runId, viewer: alice });
      const second = await createRunShareOrThrow({ runId, viewer: alice });

      expect(await revokeRunSharesOrThrow({ runId, viewer: alice })).toBe(2);

      expect(await findSharedRun({ token: first.token })).toBeNull();
      expect(await findSharedRun({ token: second.token })).toBeNull();
      expect(await countLiveRunShares({ runId, viewer: alice })).toBe(0);
    });

    test('a revoked link reads as not_found:share', async () => {
      const { token } = await createRunShareOrThrow({ runId, viewer: alice });
      await revokeRunSharesOrThrow({ runId, viewer: alice });

      await expect(getSharedRunOrThrow({ token })).rejects.toSatisfy(isAppErrorWith('not_found:share'));
    });

    test('another user cannot revoke the links: not_found:run, and the link still opens', async () => {
      const { token } = await createRunShareOrThrow({ runId, viewer: alice });

      await expect(revokeRunSharesOrThrow({ runId, viewer: bob })).rejects.toSatisfy(isAppErrorWith('not_found:run'));

      expect(await findSharedRun({ token })).toMatchObject({ id: runId });
    });

    test('a link made after a revoke opens the run again', async () => {
      await createRunShareOrThrow({ runId, viewer: alice });
      await revokeRunSharesOrThrow({ runId, viewer: alice });

      const { token } = await createRunShareOrThrow({ runId, viewer: alice });

      expect(await findSharedRun({ token })).toMatchObject({ id: runId });
    });

    test('a made-up token of the right shape opens nothing', async () => {
      expect(await findSharedRun({ token: 'A'.repeat(43) })).toBeNull();
    });

    test('a malformed token opens nothing', async () => {
      for (const token of ['', 'short', `${'A'.repeat(43)}'; drop table runs; --`, 'A'.repeat(44)]) {
        expect(await findSharedRun({ token })).toBeNull();
      }
    });

    test('deleting the run deletes its links', async () => {
      await createRunShareOrThrow({ runId, viewer: alice });
      const db = await getDb();

      await db.delete(runs);

      expect(await db.select().from(runShares)).toEqual([]);
    });
  });
});
