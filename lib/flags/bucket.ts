/**
 * Stable bucketing of users for percentage rollouts, the same as flagd's `fractional` operator
 * (its "v1" bucketing, the one every flagd SDK implements today), so a user's bucket here is the
 * bucket flagd would give them and a rollout can move to flagd without reshuffling anyone:
 *
 * - bucketBy is the flag key followed by the targeting key (flagd's default
 *   `{"cat": [{"var": "$flagd.flagKey"}, {"var": "targetingKey"}]}`);
 * - hash = MurmurHash3 x86_32, seed 0, of its UTF-8 bytes, read as a signed 32-bit integer;
 * - bucket = |hash| / 2147483647 * 100, a number in [0, 100] (100.00000005 for the one hash
 *   -2^31, as in flagd);
 * - a flag at p% is on when bucket < p. Raising p only adds users: nobody who had it loses it.
 */
import murmurHash3 from 'murmurhash3js-revisited';

const encoder = new TextEncoder();
const MAX_INT32 = 2_147_483_647;

/** MurmurHash3 x86_32 of the UTF-8 bytes of `text`, as an unsigned 32-bit integer. */
export function murmurHash3x86_32(text: string, seed = 0): number {
  return murmurHash3.x86.hash32(encoder.encode(text), seed);
}

/** The rollout bucket, in [0, 100], of one user for one flag. */
export function rolloutBucket({ flagKey, targetingKey }: { flagKey: string; targetingKey: string }): number {
  // `| 0` reads the unsigned hash as the signed int32 flagd's Go and Rust cores work with.
  const signed = murmurHash3x86_32(flagKey + targetingKey) | 0;
  return (Math.abs(signed) / MAX_INT32) * 100;
}

/** Whether a user whose bucket is `bucket` is inside a rollout to `percentage`% of users. */
export function inRollout({ bucket, percentage }: { bucket: number; percentage: number }): boolean {
  return bucket < percentage;
}
