/** Retries, per-provider circuit breakers, the non-streaming fallback and timeouts for hosted models. */
export { withResilience, resilienceMiddleware, resilienceSettingsFromConfig, isOutputPart } from './withResilience';
export type { ResilienceOptions, ResilienceSettings } from './withResilience';
export { getCircuitStates, getCircuitRegistry, createCircuitRegistry, resetCircuits, HOSTED_PROVIDERS } from './circuits';
export type { CircuitStatus, CircuitRegistry, CircuitSettings, HostedProvider } from './circuits';
export { ProviderTimeoutError, isProviderTimeout, circuitOpenError } from './errors';
export type { ProviderTimeoutKind } from './errors';
export { usedNonStreamingFallback, STREAMCONSOLE_METADATA_KEY, NON_STREAMING_FALLBACK, generateResultToStream, generateResultToStreamParts } from './fallback';
export { retryAfterMs, isRetryable, countsAsOutage } from './classify';
