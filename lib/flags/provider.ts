/**
 * Our OpenFeature provider: boolean flags whose settings and per-user choices live in the
 * application database (`flag_settings`, `user_preferences`), decided by {@link decideFlag}.
 * Where the rows come from is a {@link FlagStore}, so the provider itself holds no database code.
 *
 * The rule that decided, the reason and the user's rollout bucket travel in the evaluation
 * details' `flagMetadata`, for the admin page to show why a user gets what they get.
 */
import {
  FlagNotFoundError,
  TypeMismatchError,
  type EvaluationContext,
  type FlagMetadata,
  type JsonValue,
  type Logger,
  type Provider,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { decideFlag, type FlagDecision, type FlagSettings } from './rules';

/** Where the provider reads a flag's settings and a user's own choice from. */
export interface FlagStore {
  /** The flag's settings (stored, or built-in when none are), or `null` for an unknown flag. */
  getSettings(key: string): Promise<FlagSettings | null>;
  /** The user's own choice for the flag, `null` when none (or when users cannot choose it). */
  getPreference(args: { flagKey: string; userId: string }): Promise<boolean | null>;
}

/** The metadata an evaluation returns: the decision, and the settings it was made with. */
export function decisionMetadata(decision: FlagDecision, settings: FlagSettings): FlagMetadata {
  const metadata: FlagMetadata = {
    rule: decision.rule,
    reason: decision.reason,
    percentage: settings.percentage,
    killSwitch: settings.killSwitch,
  };
  if (decision.bucket !== undefined) metadata.bucket = decision.bucket;
  if (decision.allowlistedBy !== undefined) metadata.allowlistedBy = decision.allowlistedBy;
  if (settings.updatedAt) metadata.settingsUpdatedAt = settings.updatedAt.toISOString();
  return metadata;
}

export class DatabaseFlagProvider implements Provider {
  static readonly NAME = 'streamconsole-database';
  readonly metadata = { name: DatabaseFlagProvider.NAME } as const;
  readonly runsOn = 'server' as const;

  readonly #store: FlagStore;

  constructor({ store }: { store: FlagStore }) {
    this.#store = store;
  }

  async resolveBooleanEvaluation(
    flagKey: string,
    _defaultValue: boolean,
    context: EvaluationContext,
    _logger: Logger,
  ): Promise<ResolutionDetails<boolean>> {
    const settings = await this.#store.getSettings(flagKey);
    if (!settings) throw new FlagNotFoundError(`No flag named ${flagKey}.`);

    const userId = typeof context.targetingKey === 'string' && context.targetingKey !== '' ? context.targetingKey : undefined;
    const role = typeof context.role === 'string' ? context.role : undefined;
    // The kill switch must not wait on (or fail with) a preference read.
    const preference = settings.killSwitch || userId === undefined ? null : await this.#store.getPreference({ flagKey, userId });

    const decision = decideFlag({ settings, preference, subject: { userId, role } });
    return {
      value: decision.enabled,
      variant: decision.enabled ? 'on' : 'off',
      reason: decision.reason,
      flagMetadata: decisionMetadata(decision, settings),
    };
  }

  resolveStringEvaluation(flagKey: string): Promise<ResolutionDetails<string>> {
    return Promise.reject(notBoolean(flagKey));
  }

  resolveNumberEvaluation(flagKey: string): Promise<ResolutionDetails<number>> {
    return Promise.reject(notBoolean(flagKey));
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string): Promise<ResolutionDetails<T>> {
    return Promise.reject(notBoolean(flagKey));
  }
}

function notBoolean(flagKey: string): TypeMismatchError {
  return new TypeMismatchError(`Flag ${flagKey} is boolean.`);
}
