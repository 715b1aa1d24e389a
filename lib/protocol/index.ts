/** EventEnvelope v1: schemas, SSE framing and the run stream client, shared by server and browser. */
export {
  ENVELOPE_VERSION,
  ENVELOPE_TYPES,
  envelopeSchema,
  payloadSchemas,
  parseEnvelope,
  isTerminal,
  type EnvelopeOf,
  type EnvelopeType,
  type EventEnvelope,
  type ParsedEnvelope,
  type Payload,
  type ProducerEvent,
} from './envelope';
export {
  formatEnvelope,
  formatHeartbeat,
  formatSseComment,
  formatSseEvent,
  SSE_HEADERS,
  SseFieldError,
  type SseEvent,
} from './sse';
export {
  backoffDelay,
  DEFAULT_RETRY,
  defaultEventsUrl,
  openRunStream,
  parseRetryAfter,
  type RetryOptions,
  type RunStreamError,
  type RunStreamFieldError,
  type RunStreamHandle,
  type RunStreamInvalid,
  type RunStreamOptions,
  type RunStreamStatus,
  type RunStreamStatusDetail,
} from './runStreamClient';
