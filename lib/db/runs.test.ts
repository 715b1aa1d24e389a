/**
 * Run queries against real databases: an embedded PGlite in a temporary directory, and a
 * PostgreSQL server when TEST_DATABASE_URL names one (scripts/test.sh starts one with
 * scripts/postgres.sh). Each backend runs the same cases.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, test } from 'vitest';
import { closeDb, getDb } from './client';
import { createRun, finishRun, getRunById, listRunningRunIds, listRuns, markRunsInterrupted } from './runs';
import { runs } from './schema';
import { testDatabases, useTestDatabase } from './testing/databases';

const alice = { userId: 'alice' };

describe.each(testDatabases())('runs on $name', (backend) => {
  describe.skipIf(backend.skip)(backend.skip ? 'skipped: TEST_DATABASE_URL is not set' : 'queries', () => {
    useTestDatabase(backend);

    beforeEach(async () => {
      const db = await getDb();
      await db.delete(runs);
    }, 30_000);

    test('a created run reads back as running with its input', async () => {
      const id = randomUUID();
      await createRun({ id, kind: 'chat', model: 'local:tiny', ownerId: 'alice', input: { prompt: 'hi', n: 2 } });

      const run = await getRunById({ id });

      expect(run).toMatchObject({
        id,
        kind: 'chat',
        model: 'local:tiny',
        ownerId: 'alice',
        input: { prompt: 'hi', n: 2 },
        status: 'running',
        endReason: null,
        result: null,
        lastSeq: 0,
        endedAt: null,
      });
      expect(run?.createdAt).toBeInstanceOf(Date);
    });

    test('an unknown run id reads back as null', async () => {
      expect(await getRunById({ id: randomUUID() })).toBeNull();
    });

    test('input is stored as a JSON object, not as a JSON string', async () => {
      const id = randomUUID();
      await createRun({ id, kind: 'chat', input: { prompt: 'hi' } });
      const db = await getDb();

      const [row] = await db
        .select({ type: sql<string>`jsonb_typeof(${runs.input})` })
        .from(runs)
        .where(eq(runs.id, id));

      expect(row?.type).toBe('object');
    });

    test('finishing a run stores its partial output and how it ended', async () => {
      const id = randomUUID();
      await createRun({ id, kind: 'chat', input: {} });

      const finished = await finishRun({
        id,
        status: 'cancelled',
        endReason: 'abandoned',
        result: { text: 'Once upon a' },
        metrics: { tokens: 3, elapsedMs: 120 },
        error: { code: 'cancelled', message: 'Nobody was watching.', reason: 'abandoned' },
        lastSeq: 7,
      });

      const run = await getRunById({ id });
      expect(finished).toBe(true);
      expect(run).toMatchObject({
        status: 'cancelled',
        endReason: 'abandoned',
        result: { text: 'Once upon a' },
        metrics: { tokens: 3, elapsedMs: 120 },
        error: { code: 'cancelled', reason: 'abandoned' },
        lastSeq: 7,
      });
      expect(run?.endedAt).toBeInstanceOf(Date);
    });

    test('finishing a run that already ended keeps the first end', async () => {
      const id = randomUUID();
      await createRun({ id, kind: 'chat', input: {} });
      await finishRun({ id, status: 'done', endReason: 'complete', result: { text: 'all' }, lastSeq: 4 });

      const second = await finishRun({ id, status: 'error', endReason: 'error', lastSeq: 5 });

      expect(second).toBe(false);
      expect(await getRunById({ id })).toMatchObject({ status: 'done', endReason: 'complete', lastSeq: 4 });
    });

    test('listing returns runs newest first', async () => {
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const id of ids) {
        await createRun({ id, kind: 'chat', ownerId: 'alice', input: {} });
        // PGlite's clock ticks in milliseconds: runs started within one tick have no order, so
        // each start here waits for the next tick.
        await new Promise((resolve) => setTimeout(resolve, 3));
      }

      const listed = await listRuns({ viewer: alice, limit: 10 });

      expect(listed.map((r) => r.id)).toEqual([...ids].reverse());
    });

    test('listing returns only the viewer’s own runs, never another owner’s or an ownerless one', async () => {
      const mine = randomUUID();
      await createRun({ id: mine, kind: 'chat', ownerId: 'alice', input: {} });
      await createRun({ id: randomUUID(), kind: 'chat', ownerId: 'bob', input: {} });
      await createRun({ id: randomUUID(), kind: 'chat', input: {} });

      const listed = await listRuns({ viewer: alice, limit: 10 });

      expect(listed.map((r) => r.id)).toEqual([mine]);
    });

    test('listing without a viewer (no session) returns no runs at all', async () => {
      await createRun({ id: randomUUID(), kind: 'chat', ownerId: 'alice', input: {} });
      await createRun({ id: randomUUID(), kind: 'chat', input: {} });

      expect(await listRuns({ viewer: null, limit: 10 })).toEqual([]);
    });

    test('an admin lists only their own runs too', async () => {
      await createRun({ id: randomUUID(), kind: 'chat', ownerId: 'alice', input: {} });

      expect(await listRuns({ viewer: { userId: 'root', role: 'admin' }, limit: 10 })).toEqual([]);
    });

    test('listing by kind returns only that producer’s runs', async () => {
      const grover = randomUUID();
      await createRun({ id: grover, kind: 'grover', ownerId: 'alice', input: {} });
      await createRun({ id: randomUUID(), kind: 'chat', ownerId: 'alice', input: {} });

      const listed = await listRuns({ viewer: alice, kind: 'grover', limit: 10 });

      expect(listed.map((r) => r.id)).toEqual([grover]);
    });

    test('listing by task returns only runs whose input names that task', async () => {
      const match = randomUUID();
      await createRun({ id: match, kind: 'analysis', ownerId: 'alice', input: { taskId: 'sc-flip-h', model: 'local:arc' } });
      await createRun({ id: randomUUID(), kind: 'analysis', ownerId: 'alice', input: { taskId: 'sc-transpose', model: 'local:arc' } });
      await createRun({ id: randomUUID(), kind: 'chat', ownerId: 'alice', input: { prompt: 'sc-flip-h' } });
      const rows = await listRuns({ viewer: alice, kind: 'analysis', taskId: 'sc-flip-h' });
      expect(rows.map((r) => r.id)).toEqual([match]);
    });

    test('listing returns at most limit runs', async () => {
      for (let i = 0; i < 3; i++) await createRun({ id: randomUUID(), kind: 'chat', ownerId: 'alice', input: {} });

      expect(await listRuns({ viewer: alice, limit: 2 })).toHaveLength(2);
    });

    test('a run survives closing and reopening the database', async () => {
      const id = randomUUID();
      await createRun({ id, kind: 'saturn', input: { task: 'abc' } });
      await finishRun({ id, status: 'done', endReason: 'complete', result: { grid: [[1]] }, lastSeq: 9 });

      await closeDb();

      expect(await getRunById({ id })).toMatchObject({
        kind: 'saturn',
        status: 'done',
        result: { grid: [[1]] },
        lastSeq: 9,
      });
    });

    test('marking interrupted runs ends only the runs still running', async () => {
      const dangling = randomUUID();
      const done = randomUUID();
      await createRun({ id: dangling, kind: 'chat', input: {} });
      await createRun({ id: done, kind: 'chat', input: {} });
      await finishRun({ id: done, status: 'done', endReason: 'complete', lastSeq: 2 });
      const doneBefore = await getRunById({ id: done });

      const marked = await markRunsInterrupted();

      expect(marked).toBe(1);
      const run = await getRunById({ id: dangling });
      expect(run).toMatchObject({ status: 'error', endReason: 'interrupted', error: { code: 'interrupted' } });
      expect(run?.endedAt).toBeInstanceOf(Date);
      expect(await getRunById({ id: done })).toEqual(doneBefore);
    });

    test('lists the running runs, and marks interrupted only the given ones still running', async () => {
      const orphan = randomUUID();
      const other = randomUUID();
      const ended = randomUUID();
      for (const id of [orphan, other, ended]) await createRun({ id, kind: 'chat', input: {} });
      await finishRun({ id: ended, status: 'done', endReason: 'complete', lastSeq: 3 });

      expect(await listRunningRunIds()).toEqual(expect.arrayContaining([orphan, other]));
      expect(await listRunningRunIds()).not.toContain(ended);
      expect(await markRunsInterrupted({ ids: [orphan, ended] })).toBe(1);

      expect(await getRunById({ id: orphan })).toMatchObject({ status: 'error', endReason: 'interrupted' });
      expect(await getRunById({ id: other })).toMatchObject({ status: 'running' });
      expect(await getRunById({ id: ended })).toMatchObject({ status: 'done', endReason: 'complete' });
      expect(await markRunsInterrupted({ ids: [] })).toBe(0);
    });

    test('with several instances, a run another instance still produces is not marked interrupted', async () => {
      const orphan = randomUUID();
      const produced = randomUUID();
      await createRun({ id: orphan, kind: 'chat', input: {} });
      await createRun({ id: produced, kind: 'chat', input: {} });
      const asked: string[][] = [];

      const marked = await markRunsInterrupted({ stillProduced: async (ids) => (asked.push(ids), new Set([produced])) });

      expect(marked).toBe(1);
      expect(asked[0]).toEqual(expect.arrayContaining([orphan, produced]));
      expect(await getRunById({ id: orphan })).toMatchObject({ status: 'error', endReason: 'interrupted' });
      expect(await getRunById({ id: produced })).toMatchObject({ status: 'running', endReason: null });
    });
  });
});
