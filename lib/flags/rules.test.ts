import { describe, expect, test } from 'vitest';
import { rolloutBucket } from './bucket';
import { decideFlag, type FlagSettings } from './rules';

const base: FlagSettings = { key: 'streaming', killSwitch: false, percentage: 0, allowlist: [], defaultValue: false, updatedAt: null };

/** A user id whose bucket for `streaming` is below (inside) or above (outside) 50. */
function userInside(inside: boolean): string {
  for (let i = 0; ; i++) {
    const id = `user-${i}`;
    if (rolloutBucket({ flagKey: 'streaming', targetingKey: id }) < 50 === inside) return id;
  }
}
const inside = userInside(true);
const outside = userInside(false);

describe('decideFlag', () => {
  test('the kill switch turns it off for everybody, whatever else says on', () => {
    const settings = { ...base, killSwitch: true, percentage: 100, allowlist: ['alice'], defaultValue: true };
    for (const [preference, subject] of [
      [true, { userId: 'alice' }],
      [null, { userId: 'alice' }],
      [null, { userId: 'bob', role: 'admin' }],
      [null, { userId: inside }],
    ] as const) {
      expect(decideFlag({ settings, preference, subject })).toEqual({ enabled: false, reason: 'DISABLED', rule: 'kill_switch' });
    }
  });

  test('the user’s own choice beats the allowlist and the rollout', () => {
    const settings = { ...base, percentage: 100, allowlist: ['alice'] };
    expect(decideFlag({ settings, preference: false, subject: { userId: 'alice', role: 'admin' } })).toEqual({
      enabled: false,
      reason: 'user_preference',
      rule: 'user_preference',
    });
    expect(decideFlag({ settings: { ...base, defaultValue: false }, preference: true, subject: { userId: outside } })).toMatchObject({
      enabled: true,
      rule: 'user_preference',
    });
  });

  test('the allowlist beats the rollout', () => {
    const settings = { ...base, percentage: 0, allowlist: [outside] };
    expect(decideFlag({ settings, preference: null, subject: { userId: outside } })).toEqual({
      enabled: true,
      reason: 'TARGETING_MATCH',
      rule: 'allowlist',
      allowlistedBy: 'user_id',
    });
  });

  test('admins count as allowlisted', () => {
    expect(decideFlag({ settings: base, preference: null, subject: { userId: outside, role: 'admin' } })).toMatchObject({
      enabled: true,
      reason: 'TARGETING_MATCH',
      rule: 'allowlist',
      allowlistedBy: 'role',
    });
  });

  test('inside the rollout it is on with reason SPLIT and the bucket', () => {
    const decision = decideFlag({ settings: { ...base, percentage: 50 }, preference: null, subject: { userId: inside } });
    expect(decision).toEqual({ enabled: true, reason: 'SPLIT', rule: 'rollout', bucket: rolloutBucket({ flagKey: 'streaming', targetingKey: inside }) });
  });

  test('outside the rollout the default decides, still with the bucket', () => {
    for (const defaultValue of [false, true]) {
      const decision = decideFlag({ settings: { ...base, percentage: 50, defaultValue }, preference: null, subject: { userId: outside } });
      expect(decision).toMatchObject({ enabled: defaultValue, reason: 'DEFAULT', rule: 'default' });
      expect(decision.bucket).toBeGreaterThanOrEqual(50);
    }
  });

  test('without a user id only the kill switch, the admin role and the default apply', () => {
    const settings = { ...base, percentage: 100, defaultValue: false };
    expect(decideFlag({ settings, preference: null, subject: {} })).toEqual({ enabled: false, reason: 'DEFAULT', rule: 'default' });
    expect(decideFlag({ settings, preference: null, subject: { role: 'admin' } })).toMatchObject({ rule: 'allowlist' });
  });
});
