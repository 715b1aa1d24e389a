/**
 * The rules of a boolean flag, as a pure function of its settings, the user's own choice and who
 * the user is. The OpenFeature provider and the admin's "share of users" view both decide through
 * {@link decideFlag}, so they cannot disagree.
 *
 * In order, the first that applies decides:
 * 1. kill switch: off for everyone (reason `DISABLED`);
 * 2. the user's own choice in Settings (reason `user_preference`);
 * 3. allowlist: listed user ids, and every admin, get it on (reason `TARGETING_MATCH`);
 * 4. percentage rollout by a stable hash of flag key and user id (reason `SPLIT`);
 * 5. the flag's default value (reason `DEFAULT`).
 */
import { inRollout, rolloutBucket } from './bucket';

/** One flag's settings, as stored in `flag_settings` or, before any is stored, its built-in defaults. */
export interface FlagSettings {
  key: string;
  /** When on, the flag is off for everyone. */
  killSwitch: boolean;
  /** Share of users (0-100) the rollout turns the flag on for. */
  percentage: number;
  /** User ids the flag is always on for. */
  allowlist: string[];
  /** The value for users no other rule decides. */
  defaultValue: boolean;
  /** When an admin last saved them; `null` for built-in defaults never saved. */
  updatedAt: Date | null;
}

/** The rule that decided an evaluation. `error`: evaluation failed and the caller's fallback was used. */
export const FLAG_RULES = ['kill_switch', 'user_preference', 'allowlist', 'rollout', 'default', 'error'] as const;
export type FlagRule = (typeof FLAG_RULES)[number];

/**
 * The OpenFeature resolution reason of each rule. `user_preference` is a custom reason (the
 * specification allows any string): none of the standard ones says "the user chose".
 */
export const REASON_BY_RULE = {
  kill_switch: 'DISABLED',
  user_preference: 'user_preference',
  allowlist: 'TARGETING_MATCH',
  rollout: 'SPLIT',
  default: 'DEFAULT',
  error: 'ERROR',
} as const satisfies Record<FlagRule, string>;

/** Who is asking. */
export interface FlagSubject {
  /** The user id (OpenFeature's targeting key); absent for anonymous callers. */
  userId?: string;
  /** `admin` counts as allowlisted. */
  role?: string;
}

export interface FlagDecision {
  enabled: boolean;
  /** OpenFeature resolution reason: `DISABLED`, `user_preference`, `TARGETING_MATCH`, `SPLIT`, `DEFAULT`. */
  reason: string;
  rule: FlagRule;
  /** The user's rollout bucket in [0, 100], when the rollout rule was reached. */
  bucket?: number;
  /** What matched the allowlist rule. */
  allowlistedBy?: 'user_id' | 'role';
}

/** Decides one boolean flag for one user. `preference` is the user's own choice, `null` when none. */
export function decideFlag({
  settings,
  preference,
  subject,
}: {
  settings: FlagSettings;
  preference: boolean | null;
  subject: FlagSubject;
}): FlagDecision {
  if (settings.killSwitch) return decision('kill_switch', false);
  if (preference !== null) return decision('user_preference', preference);

  const { userId, role } = subject;
  if (userId !== undefined && settings.allowlist.includes(userId)) {
    return { ...decision('allowlist', true), allowlistedBy: 'user_id' };
  }
  if (role === 'admin') return { ...decision('allowlist', true), allowlistedBy: 'role' };

  // Without a user id there is nothing stable to bucket by: the default decides.
  if (userId === undefined || userId === '') return decision('default', settings.defaultValue);

  const bucket = rolloutBucket({ flagKey: settings.key, targetingKey: userId });
  if (inRollout({ bucket, percentage: settings.percentage })) return { ...decision('rollout', true), bucket };
  return { ...decision('default', settings.defaultValue), bucket };
}

function decision(rule: Exclude<FlagRule, 'error'>, enabled: boolean): FlagDecision {
  return { enabled, reason: REASON_BY_RULE[rule], rule };
}
