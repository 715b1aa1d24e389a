/**
 * Flag and preference queries against real databases: PGlite in a temporary directory, and
 * PostgreSQL when TEST_DATABASE_URL names a server.
 */
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, test } from 'vitest';
import { testDatabases, useTestDatabase } from './testing/databases';
import { getDb } from './client';
import {
  getFlagSettingsByKey,
  getUserPreferencesByUserId,
  listFlagSettings,
  listUserPreferences,
  upsertFlagSettings,
  upsertUserStreamingPreference,
} from './flags';
import { flagSettings, userPreferences } from './schema';

describe.each(testDatabases())('flag queries on $name', (database) => {
  describe.skipIf(database.skip)(database.skip ? 'skipped: TEST_DATABASE_URL is not set' : 'queries', () => {
    useTestDatabase(database);

    beforeEach(async () => {
      const db = await getDb();
      await db.delete(flagSettings);
      await db.delete(userPreferences);
    }, 30_000);

    test('a flag never configured reads back as null', async () => {
      expect(await getFlagSettingsByKey({ key: 'streaming' })).toBeNull();
    });

    test('upserted settings read back, and a second upsert replaces them', async () => {
      const first = await upsertFlagSettings({ key: 'streaming', killSwitch: false, percentage: 30, allowlist: ['alice'], defaultValue: false });
      const second = await upsertFlagSettings({ key: 'streaming', killSwitch: true, percentage: 50, allowlist: [], defaultValue: true });

      expect(first).toMatchObject({ key: 'streaming', percentage: 30, allowlist: ['alice'] });
      expect(await getFlagSettingsByKey({ key: 'streaming' })).toEqual(second);
      expect(second).toMatchObject({ killSwitch: true, percentage: 50, allowlist: [], defaultValue: true });
      expect(second.updatedAt.getTime()).toBeGreaterThanOrEqual(first.updatedAt.getTime());
      expect(await listFlagSettings()).toEqual([second]);
    });

    test('the allowlist is stored as a JSON array', async () => {
      await upsertFlagSettings({ key: 'streaming', killSwitch: false, percentage: 0, allowlist: ['a', 'b'], defaultValue: false });
      const db = await getDb();
      const [row] = await db.select({ type: sql<string>`jsonb_typeof(${flagSettings.allowlist})` }).from(flagSettings);
      expect(row?.type).toBe('array');
    });

    test('a percentage outside 0-100 is refused by the table', async () => {
      await expect(
        upsertFlagSettings({ key: 'streaming', killSwitch: false, percentage: 101, allowlist: [], defaultValue: false }),
      ).rejects.toThrow();
    });

    test('a user’s streaming choice is saved, changed and forgotten', async () => {
      expect(await getUserPreferencesByUserId({ userId: 'alice' })).toBeNull();

      await upsertUserStreamingPreference({ userId: 'alice', streaming: false });
      expect(await getUserPreferencesByUserId({ userId: 'alice' })).toMatchObject({ userId: 'alice', streaming: false });

      await upsertUserStreamingPreference({ userId: 'alice', streaming: true });
      expect(await getUserPreferencesByUserId({ userId: 'alice' })).toMatchObject({ streaming: true });

      await upsertUserStreamingPreference({ userId: 'alice', streaming: null });
      expect(await getUserPreferencesByUserId({ userId: 'alice' })).toMatchObject({ streaming: null });
    });

    test('listing preferences returns only the rows of the given users, in chunks past 1,000 ids', async () => {
      await upsertUserStreamingPreference({ userId: 'alice', streaming: true });
      await upsertUserStreamingPreference({ userId: 'bob', streaming: false });
      await upsertUserStreamingPreference({ userId: 'carol', streaming: true });
      const many = [...Array.from({ length: 2_500 }, (_, i) => `nobody-${i}`), 'alice', 'bob', 'alice'];

      const rows = await listUserPreferences({ userIds: many });

      expect(rows.map((r) => [r.userId, r.streaming]).sort()).toEqual([
        ['alice', true],
        ['bob', false],
      ]);
      expect(await listUserPreferences({ userIds: [] })).toEqual([]);
    });
  });
});
