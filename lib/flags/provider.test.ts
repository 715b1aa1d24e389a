import { ErrorCode, OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rolloutBucket } from './bucket';
import { DatabaseFlagProvider, type FlagStore } from './provider';
import type { FlagSettings } from './rules';

// The provider over an in-memory store: what OpenFeature callers see, without a database.
const settings = new Map<string, FlagSettings>();
const preferences = new Map<string, boolean>();
const reads = { preferences: 0 };
const store: FlagStore = {
  getSettings: async (key) => settings.get(key) ?? null,
  getPreference: async ({ userId }) => {
    reads.preferences += 1;
    return preferences.get(userId) ?? null;
  },
};

function setStreaming(change: Partial<FlagSettings>): void {
  settings.set('streaming', { key: 'streaming', killSwitch: false, percentage: 0, allowlist: [], defaultValue: false, updatedAt: null, ...change });
}

beforeAll(async () => {
  await OpenFeature.setProviderAndWait(new DatabaseFlagProvider({ store }));
});

afterAll(async () => {
  await OpenFeature.clearProviders();
});

describe('DatabaseFlagProvider through the OpenFeature client', () => {
  test('a rollout evaluation returns reason SPLIT, and the rule and bucket in flagMetadata', async () => {
    setStreaming({ percentage: 100 });
    const details = await OpenFeature.getClient().getBooleanDetails('streaming', false, { targetingKey: 'carol', role: 'user' });

    expect(details).toMatchObject({ flagKey: 'streaming', value: true, variant: 'on', reason: 'SPLIT' });
    expect(details.flagMetadata).toEqual({
      rule: 'rollout',
      reason: 'SPLIT',
      percentage: 100,
      killSwitch: false,
      bucket: rolloutBucket({ flagKey: 'streaming', targetingKey: 'carol' }),
    });
  });

  test('the kill switch answers DISABLED without reading the user’s choice', async () => {
    setStreaming({ killSwitch: true, percentage: 100, defaultValue: true });
    preferences.set('dave', true);
    const before = reads.preferences;

    const details = await OpenFeature.getClient().getBooleanDetails('streaming', true, { targetingKey: 'dave' });

    expect(details).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED', flagMetadata: { rule: 'kill_switch', killSwitch: true } });
    expect(reads.preferences).toBe(before);
  });

  test('a user’s own choice answers with reason user_preference', async () => {
    setStreaming({ percentage: 100, allowlist: ['erin'] });
    preferences.set('erin', false);

    const details = await OpenFeature.getClient().getBooleanDetails('streaming', true, { targetingKey: 'erin' });

    expect(details).toMatchObject({ value: false, reason: 'user_preference', flagMetadata: { rule: 'user_preference' } });
  });

  test('an admin role in the context counts as allowlisted', async () => {
    setStreaming({ defaultValue: false });

    const details = await OpenFeature.getClient().getBooleanDetails('streaming', false, { targetingKey: 'frank', role: 'admin' });

    expect(details).toMatchObject({ value: true, reason: 'TARGETING_MATCH', flagMetadata: { rule: 'allowlist', allowlistedBy: 'role' } });
  });

  test('an unknown flag answers the caller’s default with FLAG_NOT_FOUND', async () => {
    const details = await OpenFeature.getClient().getBooleanDetails('no-such-flag', true, { targetingKey: 'gina' });

    expect(details).toMatchObject({ value: true, reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND });
  });

  test('asking for a string answers the default with TYPE_MISMATCH', async () => {
    setStreaming({});
    const details = await OpenFeature.getClient().getStringDetails('streaming', 'x', { targetingKey: 'hank' });

    expect(details).toMatchObject({ value: 'x', reason: 'ERROR', errorCode: ErrorCode.TYPE_MISMATCH });
  });

  test('a store that fails answers the caller’s default with reason ERROR', async () => {
    const failing: FlagStore = { getSettings: () => Promise.reject(new Error('database down')), getPreference: async () => null };
    await OpenFeature.setProviderAndWait('failing', new DatabaseFlagProvider({ store: failing }));

    const details = await OpenFeature.getClient('failing').getBooleanDetails('streaming', true, { targetingKey: 'ivy' });

    expect(details).toMatchObject({ value: true, reason: 'ERROR', errorCode: ErrorCode.GENERAL });
  });
});
