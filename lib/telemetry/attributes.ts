/**
 * Attribute and metric names. The GenAI ones are copied from `@opentelemetry/semantic-conventions/incubating`
 * (as its README advises: incubating names may change in a minor release, and a copy pins what we emit).
 */
export { ATTR_ERROR_TYPE, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

/** The run id, also the `corrId` of its envelopes: the correlation id across logs, spans and the database. */
export const ATTR_RUN_ID = 'streamconsole.run.id';
/** The producer: chat, grover, saturn, analysis, steer. */
export const ATTR_RUN_KIND = 'streamconsole.run.kind';
/** The model id as the app writes it, `provider:model`. */
export const ATTR_RUN_MODEL = 'streamconsole.run.model';
/** How the run ended: done, error, cancelled. */
export const ATTR_RUN_STATUS = 'streamconsole.run.status';
/** The run's input (prompt, task); recorded only with TELEMETRY_RECORD_PROMPTS. */
export const ATTR_RUN_INPUT = 'streamconsole.run.input';

export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
/** The provider, by the current conventions. */
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
/** The provider, by the conventions before `gen_ai.provider.name` (still read by many backends, Logfire's included). */
export const ATTR_GEN_AI_SYSTEM = 'gen_ai.system';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';

export const METRIC_TIME_TO_FIRST_TOKEN = 'streamconsole.run.time_to_first_token';
export const METRIC_TOKENS_PER_SECOND = 'streamconsole.run.tokens_per_second';
export const METRIC_RUN_DURATION = 'streamconsole.run.duration';
export const METRIC_ACTIVE_STREAMS = 'streamconsole.streams.active';
export const METRIC_RECONNECTS = 'streamconsole.stream.reconnects';
export const METRIC_ERRORS = 'streamconsole.run.errors';
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage';
