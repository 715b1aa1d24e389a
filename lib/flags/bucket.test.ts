import { describe, expect, test } from 'vitest';
import { inRollout, murmurHash3x86_32, rolloutBucket } from './bucket';

describe('MurmurHash3 x86_32', () => {
  // Reference vectors of the C++ implementation (smhasher), seed 0 and others.
  test.each([
    ['', 0, 0x00000000],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['test', 0, 0xba6bd213],
    ['Hello, world!', 0, 0xc0363e43],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ])('hash of %j with seed %d matches the reference', (text, seed, expected) => {
    expect(murmurHash3x86_32(text, seed)).toBe(expected);
  });

  test('multibyte text is hashed as its UTF-8 bytes', () => {
    // 'π' is two UTF-8 bytes; hashing UTF-16 code units or first bytes would give another value.
    expect(murmurHash3x86_32('ππππππππ', 0x9747b28c)).toBe(0xd58063c1);
  });
});

describe('rollout bucket', () => {
  // flagd's evaluator conformance suite (flagd-testbed, "@fractional-v1" examples): the flag
  // "fractional-flag" splits clubs/diamonds/hearts/spades 25% each, bucketed by flag key + user name.
  test.each([
    ['jack', 'spades'],
    ['queen', 'clubs'],
    ['ten', 'diamonds'],
    ['nine', 'hearts'],
    ['3', 'diamonds'],
  ])('flag key + %j lands in the quarter flagd gives %s', (name, suit) => {
    const quarter = ['clubs', 'diamonds', 'hearts', 'spades'].indexOf(suit);
    const bucket = rolloutBucket({ flagKey: 'fractional-flag', targetingKey: name });
    expect(bucket).toBeGreaterThanOrEqual(quarter * 25);
    expect(bucket).toBeLessThan((quarter + 1) * 25);
  });

  test.each([
    // flagd-testbed "fractional-flag-shorthand": heads/tails 50/50 by flag key + targeting key.
    ['fractional-flag-shorthand', 'jon@company.com', true],
    ['fractional-flag-shorthand', 'jane@company.com', false],
    // OpenFeature Java flagd provider's test: headerColor blue/green 50/50, foo@foo.com gets blue.
    ['headerColor', 'foo@foo.com', true],
  ])('%s for %s is in the first half: %s', (flagKey, targetingKey, firstHalf) => {
    expect(inRollout({ bucket: rolloutBucket({ flagKey, targetingKey }), percentage: 50 })).toBe(firstHalf);
  });

  test('the bucket is the absolute signed hash over the largest int32, times 100', () => {
    const hash = murmurHash3x86_32('streaming' + 'user-42');
    expect(rolloutBucket({ flagKey: 'streaming', targetingKey: 'user-42' })).toBe((Math.abs(hash | 0) / 2147483647) * 100);
  });

  test('the same user and flag always get the same bucket; another flag reshuffles', () => {
    const a = rolloutBucket({ flagKey: 'streaming', targetingKey: 'alice' });
    expect(rolloutBucket({ flagKey: 'streaming', targetingKey: 'alice' })).toBe(a);
    expect(rolloutBucket({ flagKey: 'other', targetingKey: 'alice' })).not.toBe(a);
  });

  // Synthetic ids, fixed so the test is deterministic (random ids would miss ±3% about 4% of runs).
  const users = Array.from({ length: 1_000 }, (_, i) => `synthetic-user-${i}`);

  test('a 30% rollout over 1,000 users turns it on for 30% ± 3%', () => {
    const on = users.filter((id) => inRollout({ bucket: rolloutBucket({ flagKey: 'streaming', targetingKey: id }), percentage: 30 }));
    expect(on.length / users.length).toBeGreaterThanOrEqual(0.27);
    expect(on.length / users.length).toBeLessThanOrEqual(0.33);
  });

  test('raising a rollout from 30% to 50% takes it from nobody', () => {
    const bucketOf = (id: string) => rolloutBucket({ flagKey: 'streaming', targetingKey: id });
    const at30 = users.filter((id) => inRollout({ bucket: bucketOf(id), percentage: 30 }));
    const at50 = new Set(users.filter((id) => inRollout({ bucket: bucketOf(id), percentage: 50 })));
    expect(at30.length).toBeGreaterThan(0);
    expect(at30.filter((id) => !at50.has(id))).toEqual([]);
    expect(at50.size).toBeGreaterThan(at30.length);
  });

  test('0% turns it on for nobody and 100% for everybody', () => {
    const buckets = users.map((id) => rolloutBucket({ flagKey: 'streaming', targetingKey: id }));
    expect(buckets.filter((bucket) => inRollout({ bucket, percentage: 0 }))).toEqual([]);
    expect(buckets.filter((bucket) => inRollout({ bucket, percentage: 100 }))).toHaveLength(users.length);
  });
});
