/**
 * The `streaming` flag end to end: OpenFeature client, our provider, the cached store and real
 * databases (PGlite; PostgreSQL when TEST_DATABASE_URL is set).
 */
import { OpenFeature } from '@openfeature/server-sdk';
import { ZodError } from 'zod';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { getDb } from '../db/client';
import { upsertFlagSettings, upsertUserStreamingPreference } from '../db/flags';
import { flagSettings, userPreferences } from '../db/schema';
import { rolloutBucket } from './bucket';
import { createDatabaseFlagStore, resetFlagStore } from './store';
import {
  evaluateStreaming,
  getFlagSettings,
  registerFlagProvider,
  setFlagSettings,
  setUserStreamingPreference,
  shareOfUsersStreaming,
} from './streaming';
import { testDatabases, useTestDatabase } from '../db/testing/databases';

/** A user id whose `streaming` bucket is below (inside) or at least (outside) `percentage`. */
function userAround(percentage: number, inside: boolean, prefix = 'u'): string {
  for (let i = 0; ; i++) {
    const id = `${prefix}-${i}`;
    if (rolloutBucket({ flagKey: 'streaming', targetingKey: id }) < percentage === inside) return id;
  }
}

describe.each(testDatabases())('streaming flag on $name', (database) => {
  describe.skipIf(database.skip)(database.skip ? 'skipped: TEST_DATABASE_URL is not set' : 'evaluation', () => {
    // A long TTL: every change seen below is seen because the write cleared the cache.
    useTestDatabase(database, { FLAGS_CACHE_TTL_MS: '60000', STREAMING_FLAG_DEFAULT: 'true' });

    beforeEach(async () => {
      const db = await getDb();
      await db.delete(flagSettings);
      await db.delete(userPreferences);
      resetFlagStore();
    }, 30_000);

    afterAll(async () => {
      resetFlagStore();
      await OpenFeature.clearProviders();
    });

    test('with no settings saved everyone gets the built-in default, reason DEFAULT', async () => {
      expect(await getFlagSettings()).toMatchObject({ key: 'streaming', killSwitch: false, percentage: 0, allowlist: [], defaultValue: true, updatedAt: null });
      expect(await evaluateStreaming({ userId: 'alice' })).toMatchObject({ enabled: true, reason: 'DEFAULT', rule: 'default' });
    });

    test('a 30% rollout turns it on inside the rollout with reason SPLIT and the bucket', async () => {
      await setFlagSettings({ percentage: 30, defaultValue: false });
      const inside = userAround(30, true);
      const outside = userAround(30, false);

      expect(await evaluateStreaming({ userId: inside })).toEqual({
        enabled: true,
        reason: 'SPLIT',
        rule: 'rollout',
        bucket: rolloutBucket({ flagKey: 'streaming', targetingKey: inside }),
      });
      expect(await evaluateStreaming({ userId: outside })).toMatchObject({ enabled: false, reason: 'DEFAULT', rule: 'default' });
    });

    test('the kill switch applies to the very next evaluation and beats everything', async () => {
      await setFlagSettings({ percentage: 100, allowlist: ['alice'], defaultValue: true });
      await setUserStreamingPreference({ userId: 'alice', streaming: true });
      expect(await evaluateStreaming({ userId: 'alice' })).toMatchObject({ enabled: true });

      await setFlagSettings({ killSwitch: true });

      for (const subject of [{ userId: 'alice' }, { userId: 'bob', role: 'admin' }, { userId: userAround(100, true) }]) {
        expect(await evaluateStreaming(subject)).toEqual({ enabled: false, reason: 'DISABLED', rule: 'kill_switch' });
      }
      await setFlagSettings({ killSwitch: false });
      expect(await evaluateStreaming({ userId: 'alice' })).toMatchObject({ enabled: true });
    });

    test('a user’s own choice beats the allowlist and the rollout, and forgetting it hands back to them', async () => {
      await setFlagSettings({ percentage: 100, allowlist: ['carol'] });
      await setUserStreamingPreference({ userId: 'carol', streaming: false });

      expect(await evaluateStreaming({ userId: 'carol', role: 'admin' })).toEqual({ enabled: false, reason: 'user_preference', rule: 'user_preference' });

      await setUserStreamingPreference({ userId: 'carol', streaming: null });
      expect(await evaluateStreaming({ userId: 'carol' })).toMatchObject({ enabled: true, reason: 'TARGETING_MATCH', rule: 'allowlist' });
    });

    test('the allowlist and admins beat the rollout', async () => {
      const outside = userAround(10, false);
      await setFlagSettings({ percentage: 10, allowlist: [outside], defaultValue: false });

      expect(await evaluateStreaming({ userId: outside })).toMatchObject({ enabled: true, reason: 'TARGETING_MATCH', rule: 'allowlist' });
      expect(await evaluateStreaming({ userId: userAround(10, false, 'admin'), role: 'admin' })).toMatchObject({ enabled: true, rule: 'allowlist' });
    });

    test('settings changes keep what was not named, and the allowlist drops blanks and duplicates', async () => {
      await setFlagSettings({ percentage: 40, defaultValue: false });
      const saved = await setFlagSettings({ allowlist: ['dan', ' ', 'dan', ' erin '] });

      expect(saved).toMatchObject({ percentage: 40, defaultValue: false, killSwitch: false, allowlist: ['dan', 'erin'] });
      expect(saved.updatedAt).toBeInstanceOf(Date);
      expect(await getFlagSettings()).toEqual(saved);
    });

    test('a bad change is refused with the zod error and changes nothing', async () => {
      await setFlagSettings({ percentage: 20 });
      await expect(setFlagSettings({ percentage: 120 })).rejects.toBeInstanceOf(ZodError);
      await expect(setFlagSettings({ percentage: 2.5 })).rejects.toBeInstanceOf(ZodError);
      expect(await getFlagSettings()).toMatchObject({ percentage: 20 });
    });

    test('OpenFeature’s client answers from the database with the rule in flagMetadata', async () => {
      await setFlagSettings({ percentage: 100, defaultValue: false });
      registerFlagProvider();

      const details = await OpenFeature.getClient().getBooleanDetails('streaming', false, { targetingKey: 'frank', role: 'user' });

      expect(details).toMatchObject({ value: true, reason: 'SPLIT', flagMetadata: { rule: 'rollout', reason: 'SPLIT', percentage: 100 } });
      expect(details.flagMetadata.bucket).toBe(rolloutBucket({ flagKey: 'streaming', targetingKey: 'frank' }));
      expect(typeof details.flagMetadata.settingsUpdatedAt).toBe('string');
    });

    test('the share of users streaming at 30% is 30% ± 3% over 1,000 users, choices included', async () => {
      await setFlagSettings({ percentage: 30, defaultValue: false });
      const userIds = Array.from({ length: 1_000 }, (_, i) => `synthetic-user-${i}`);
      const rolledOut = userIds.filter((id) => rolloutBucket({ flagKey: 'streaming', targetingKey: id }) < 30);

      const share = await shareOfUsersStreaming({ userIds });
      expect(share.total).toBe(1_000);
      expect(share.share).toBeGreaterThanOrEqual(0.27);
      expect(share.share).toBeLessThanOrEqual(0.33);
      expect(share.byRule).toEqual({ kill_switch: 0, user_preference: 0, allowlist: 0, rollout: rolledOut.length, default: 1_000 - rolledOut.length });

      // One rolled-out user opts out, one other opts in.
      const optOut = rolledOut[0]!;
      const optIn = userIds.find((id) => !rolledOut.includes(id))!;
      await setUserStreamingPreference({ userId: optOut, streaming: false });
      await setUserStreamingPreference({ userId: optIn, streaming: true });
      const after = await shareOfUsersStreaming({ userIds });
      expect(after.enabled).toBe(share.enabled);
      expect(after.byRule.user_preference).toBe(2);
    });

    test('the share agrees with evaluating each user', async () => {
      await setFlagSettings({ percentage: 50, allowlist: ['x-3'], defaultValue: false });
      await setUserStreamingPreference({ userId: 'x-1', streaming: false });
      const userIds = Array.from({ length: 20 }, (_, i) => `x-${i}`);

      const share = await shareOfUsersStreaming({ userIds });
      const each = await Promise.all(userIds.map((userId) => evaluateStreaming({ userId })));

      expect(share.enabled).toBe(each.filter((e) => e.enabled).length);
    });

    test('rollout is monotonic: nobody who had it at 30% loses it at 50%', async () => {
      const userIds = Array.from({ length: 300 }, (_, i) => `m-${i}`);
      await setFlagSettings({ percentage: 30, defaultValue: false });
      const at30 = await Promise.all(userIds.map((userId) => evaluateStreaming({ userId })));
      await setFlagSettings({ percentage: 50 });
      const at50 = await Promise.all(userIds.map((userId) => evaluateStreaming({ userId })));

      expect(userIds.filter((_, i) => at30[i]!.enabled && !at50[i]!.enabled)).toEqual([]);
    });

    test('another process’s change is seen once the cache entry expires', async () => {
      let now = 1_000;
      const store = createDatabaseFlagStore({ ttlMs: 1_000, config: { STREAMING_FLAG_DEFAULT: true }, now: () => now });
      expect(await store.getSettings('streaming')).toMatchObject({ killSwitch: false });

      // Written behind the store's back, as another instance would.
      await upsertFlagSettings({ key: 'streaming', killSwitch: true, percentage: 0, allowlist: [], defaultValue: true });
      now += 999;
      expect(await store.getSettings('streaming')).toMatchObject({ killSwitch: false });
      now += 2;
      expect(await store.getSettings('streaming')).toMatchObject({ killSwitch: true });
    });

    test('without cachePreferences a choice written behind the store is read on the next evaluation (what instances sharing PostgreSQL need)', async () => {
      const store = createDatabaseFlagStore({ ttlMs: 0, config: { STREAMING_FLAG_DEFAULT: true } });
      expect(await store.getPreference({ flagKey: 'streaming', userId: 'gina' })).toBeNull();

      await upsertUserStreamingPreference({ userId: 'gina', streaming: false });

      expect(await store.getPreference({ flagKey: 'streaming', userId: 'gina' })).toBe(false);
    });

    test('with cachePreferences a choice is read once, until it is saved again through the store (PGlite, one process)', async () => {
      const store = createDatabaseFlagStore({ ttlMs: 0, config: { STREAMING_FLAG_DEFAULT: true }, cachePreferences: true });
      expect(await store.getPreference({ flagKey: 'streaming', userId: 'hal' })).toBeNull();

      // Behind the store's back: not seen, the cached answer stands.
      await upsertUserStreamingPreference({ userId: 'hal', streaming: false });
      expect(await store.getPreference({ flagKey: 'streaming', userId: 'hal' })).toBeNull();

      // Saving a choice forgets the cached one.
      store.invalidatePreference('hal');
      expect(await store.getPreference({ flagKey: 'streaming', userId: 'hal' })).toBe(false);
    });

    test('an unknown flag has no settings', async () => {
      const store = createDatabaseFlagStore({ ttlMs: 0, config: { STREAMING_FLAG_DEFAULT: true } });
      expect(await store.getSettings('nope')).toBeNull();
    });
  });
});
