/**
 * Traces and metrics of runs (OpenTelemetry API only), with redaction of user text and secrets.
 * The SDK is started from `instrumentation.ts` with `startTelemetry` from `./start`, which is not
 * re-exported here so that route bundles that record runs do not carry the SDK.
 */
export * from './attributes';
export { MAX_ATTRIBUTE_LENGTH, REDACTED, redact, scrubSecrets, isUserTextKey, type RedactOptions } from './redact';
export {
  createRunInstrumentation,
  INSTRUMENTATION_SCOPE,
  resetRunInstrumentation,
  startRunSpan,
  type RunEnd,
  type RunEventName,
  type RunInstrumentation,
  type RunSpan,
  type RunSpanStart,
} from './runs';
