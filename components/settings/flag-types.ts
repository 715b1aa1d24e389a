/** The JSON of the flag APIs, as the browser reads it (`/api/me/flags`, `/api/admin/flags/*`). */

export type FlagRule = 'kill_switch' | 'user_preference' | 'allowlist' | 'rollout' | 'default' | 'error';

export interface StreamingEvaluation {
  enabled: boolean;
  /** OpenFeature reason: `DISABLED`, `user_preference`, `TARGETING_MATCH`, `SPLIT`, `DEFAULT`, `ERROR`. */
  reason: string;
  rule: FlagRule;
  bucket?: number;
}

/** `GET /api/me/flags`, `PUT /api/me/preferences`. */
export interface MyFlags {
  flags: { streaming: StreamingEvaluation };
  preferences: { streaming: boolean | null };
}

/** What each rule means, in words, for the person it decided for. */
export function describeRule(evaluation: StreamingEvaluation, { subject = 'you' }: { subject?: 'you' | 'this user' } = {}): string {
  const you = subject === 'you';
  switch (evaluation.rule) {
    case 'kill_switch':
      return 'An admin has switched streaming off for everyone (kill switch).';
    case 'user_preference':
      return you ? `Your own choice: streaming ${evaluation.enabled ? 'on' : 'off'}.` : `Their own choice in Settings: streaming ${evaluation.enabled ? 'on' : 'off'}.`;
    case 'allowlist':
      return you ? 'You are on the allowlist (admins always are).' : 'On the allowlist (or an admin).';
    case 'rollout':
      return `${you ? 'You are in' : 'In'} the rollout${evaluation.bucket === undefined ? '' : ` (bucket ${evaluation.bucket.toFixed(1)})`}.`;
    case 'default':
      return `Outside the rollout${evaluation.bucket === undefined ? '' : ` (bucket ${evaluation.bucket.toFixed(1)})`}: the default applies.`;
    case 'error':
      return 'The flag could not be read just now; the server default applies.';
  }
}
