/** Feature flags, evaluated per user on the server through OpenFeature. Server code only. */
export { inRollout, murmurHash3x86_32, rolloutBucket } from './bucket';
export { builtInFlagSettings, FLAG_KEYS, isFlagKey, STREAMING_FLAG, type FlagKey } from './definitions';
export { DatabaseFlagProvider, decisionMetadata, type FlagStore } from './provider';
export { decideFlag, FLAG_RULES, REASON_BY_RULE, type FlagDecision, type FlagRule, type FlagSettings, type FlagSubject } from './rules';
export { createDatabaseFlagStore, getFlagStore, resetFlagStore, type DatabaseFlagStore } from './store';
export {
  evaluateStreaming,
  flagSettingsPatchSchema,
  getFlagSettings,
  registerFlagProvider,
  setFlagSettings,
  setUserStreamingPreference,
  shareOfUsersStreaming,
  type FlagSettingsPatch,
  type StreamingEvaluation,
  type StreamingShare,
} from './streaming';
