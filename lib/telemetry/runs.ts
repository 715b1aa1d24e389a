/**
 * Instrumentation of runs, for the run hub and registry to call: one span per run, carrying the
 * run id as correlation id and the GenAI semantic-convention attributes, with events at the
 * moments that matter (start, first_token, reconnect, error, end), and the metrics of streaming:
 * time to first token, tokens per second, active streams, reconnects, errors by code.
 *
 * Every attribute a caller passes goes through {@link redact}: prompts and other user text stay
 * out of telemetry unless TELEMETRY_RECORD_PROMPTS opts in. With telemetry off (no SDK started)
 * all of this costs a few no-op calls.
 */
import {
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Counter,
  type Histogram,
  type Meter,
  type Span,
  type Tracer,
  type UpDownCounter,
} from '@opentelemetry/api';
import { getConfig } from '../config';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_RUN_ID,
  ATTR_RUN_INPUT,
  ATTR_RUN_KIND,
  ATTR_RUN_MODEL,
  ATTR_RUN_STATUS,
  METRIC_ACTIVE_STREAMS,
  METRIC_ERRORS,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
  METRIC_RECONNECTS,
  METRIC_RUN_DURATION,
  METRIC_TIME_TO_FIRST_TOKEN,
  METRIC_TOKENS_PER_SECOND,
} from './attributes';
import { redact, scrubSecrets } from './redact';

/** Name and version of the instrumentation scope of our spans and metrics. */
export const INSTRUMENTATION_SCOPE = 'streamconsole';

export interface RunSpanStart {
  /** The run id (the envelopes' `corrId`). */
  runId: string;
  /** The producer: chat, grover, saturn, analysis, steer. */
  kind: string;
  /** The model id, `provider:model` (e.g. `openai:gpt-4.1-mini`), when the run uses one. */
  model?: string | null;
  /** The provider; by default the model id's prefix. */
  provider?: string | null;
  /** `gen_ai.operation.name`; by default from the kind (chat, text_completion, invoke_agent). */
  operation?: string;
  /** What the user asked (prompt, task). Recorded only with TELEMETRY_RECORD_PROMPTS. */
  input?: unknown;
  /** More span attributes; redacted like everything else. */
  attributes?: Record<string, unknown>;
}

/** Span events of a run. `start` and `end` are added by {@link RunInstrumentation.startRunSpan} and {@link RunSpan.end}. */
export type RunEventName = 'start' | 'first_token' | 'reconnect' | 'error' | 'end' | (string & {});

export interface RunEnd {
  /** How the run ended, as `runs.status` records it. */
  status: 'done' | 'error' | 'cancelled';
  /** The error of a failed run: its code (`provider:timeout`) and message. */
  error?: { code: string; message?: string };
  /** Tokens the model read and wrote, when the producer knows. */
  usage?: { inputTokens?: number; outputTokens?: number };
}

export interface RunSpan {
  /** Trace and span id, to put beside the run id in logs. */
  readonly traceId: string;
  readonly spanId: string;
  /**
   * Adds a span event. `first_token` (the first time) records the time to first token;
   * `reconnect` counts a reconnect; attributes are redacted.
   */
  event(name: RunEventName, attributes?: Record<string, unknown>): void;
  /** Ends the span and records the run's metrics. Only the first call counts. */
  end(end: RunEnd): void;
}

export interface RunInstrumentation {
  startRunSpan(start: RunSpanStart): RunSpan;
}

const OPERATION_BY_KIND: Record<string, string> = {
  chat: 'chat',
  analysis: 'chat',
  steer: 'text_completion',
  grover: 'invoke_agent',
  saturn: 'invoke_agent',
};

// `gen_ai.provider.name` well-known values where ours differ.
const PROVIDER_NAME: Record<string, string> = { xai: 'x_ai' };

interface Instruments {
  timeToFirstToken: Histogram;
  tokensPerSecond: Histogram;
  duration: Histogram;
  tokenUsage: Histogram;
  activeStreams: UpDownCounter;
  reconnects: Counter;
  errors: Counter;
}

function createInstruments(meter: Meter): Instruments {
  return {
    timeToFirstToken: meter.createHistogram(METRIC_TIME_TO_FIRST_TOKEN, {
      description: 'Time from the start of a run to its first token.',
      unit: 's',
      advice: { explicitBucketBoundaries: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120] },
    }),
    tokensPerSecond: meter.createHistogram(METRIC_TOKENS_PER_SECOND, {
      description: 'Output tokens per second of a run, from its first token to its end.',
      unit: '{token}/s',
      advice: { explicitBucketBoundaries: [1, 5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560] },
    }),
    duration: meter.createHistogram(METRIC_RUN_DURATION, {
      description: 'Duration of a run, start to end.',
      unit: 's',
      advice: { explicitBucketBoundaries: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 900] },
    }),
    tokenUsage: meter.createHistogram(METRIC_GEN_AI_CLIENT_TOKEN_USAGE, {
      description: 'Tokens used by a run, by token type (input, output).',
      unit: '{token}',
      advice: { explicitBucketBoundaries: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576] },
    }),
    activeStreams: meter.createUpDownCounter(METRIC_ACTIVE_STREAMS, {
      description: 'Runs streaming now.',
      unit: '{stream}',
    }),
    reconnects: meter.createCounter(METRIC_RECONNECTS, {
      description: 'Readers that came back to a run with Last-Event-ID.',
      unit: '{reconnect}',
    }),
    errors: meter.createCounter(METRIC_ERRORS, {
      description: 'Runs that ended in an error, by error code (error.type).',
      unit: '{error}',
    }),
  };
}

/**
 * Run instrumentation over a given tracer and meter (tests pass an SDK's own). `now` is a
 * millisecond clock.
 */
export function createRunInstrumentation({
  tracer,
  meter,
  recordPrompts = false,
  now = () => performance.now(),
}: {
  tracer: Tracer;
  meter: Meter;
  recordPrompts?: boolean;
  now?: () => number;
}): RunInstrumentation {
  const instruments = createInstruments(meter);
  const clean = (attributes: Record<string, unknown>) => redact(attributes, { recordPrompts });

  return {
    startRunSpan({ runId, kind, model = null, provider = null, operation, input, attributes = {} }) {
      const separator = model ? model.indexOf(':') : -1;
      const providerId = provider ?? (model && separator > 0 ? model.slice(0, separator) : null);
      const modelName = model && separator > 0 ? model.slice(separator + 1) : model;
      const operationName = operation ?? OPERATION_BY_KIND[kind] ?? 'chat';
      const providerName = providerId ? (PROVIDER_NAME[providerId] ?? providerId) : null;

      // Low-cardinality attributes shared by the span and the metrics.
      const metricAttributes: Attributes = { [ATTR_RUN_KIND]: kind, [ATTR_GEN_AI_OPERATION_NAME]: operationName };
      if (providerName) metricAttributes[ATTR_GEN_AI_PROVIDER_NAME] = providerName;
      if (modelName) metricAttributes[ATTR_GEN_AI_REQUEST_MODEL] = modelName;

      const span: Span = tracer.startSpan(modelName ? `${operationName} ${modelName}` : `run ${kind}`, {
        kind: SpanKind.INTERNAL,
        attributes: {
          ...clean({ ...attributes, [ATTR_RUN_INPUT]: input }),
          ...metricAttributes,
          [ATTR_RUN_ID]: runId,
          ...(model ? { [ATTR_RUN_MODEL]: model } : {}),
          ...(providerName ? { [ATTR_GEN_AI_SYSTEM]: providerName } : {}),
        },
      });
      const startedAt = now();
      let firstTokenAt: number | undefined;
      let ended = false;
      span.addEvent('start');
      instruments.activeStreams.add(1, metricAttributes);

      const { traceId, spanId } = span.spanContext();
      return {
        traceId,
        spanId,

        event(name, eventAttributes = {}) {
          if (ended) return;
          span.addEvent(name, clean(eventAttributes));
          if (name === 'first_token' && firstTokenAt === undefined) {
            firstTokenAt = now();
            instruments.timeToFirstToken.record((firstTokenAt - startedAt) / 1000, metricAttributes);
          } else if (name === 'reconnect') {
            instruments.reconnects.add(1, metricAttributes);
          }
        },

        end({ status, error, usage }) {
          if (ended) return;
          ended = true;
          const endedAt = now();
          const endAttributes: Attributes = { [ATTR_RUN_STATUS]: status };
          if (usage?.inputTokens !== undefined) endAttributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = usage.inputTokens;
          if (usage?.outputTokens !== undefined) endAttributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = usage.outputTokens;
          if (status === 'error') endAttributes[ATTR_ERROR_TYPE] = error?.code ?? 'unknown';
          span.setAttributes(endAttributes);

          if (status === 'error') {
            const message = error?.message === undefined ? undefined : scrubSecrets(error.message);
            span.recordException({ name: error?.code ?? 'unknown', message: message ?? error?.code ?? 'unknown' });
            span.setStatus({ code: SpanStatusCode.ERROR, ...(message === undefined ? {} : { message }) });
            instruments.errors.add(1, { ...metricAttributes, [ATTR_ERROR_TYPE]: error?.code ?? 'unknown' });
          }
          span.addEvent('end', { [ATTR_RUN_STATUS]: status });
          span.end();

          instruments.activeStreams.add(-1, metricAttributes);
          const statusAttributes = { ...metricAttributes, [ATTR_RUN_STATUS]: status };
          instruments.duration.record((endedAt - startedAt) / 1000, statusAttributes);
          if (usage?.inputTokens !== undefined) {
            instruments.tokenUsage.record(usage.inputTokens, { ...metricAttributes, [ATTR_GEN_AI_TOKEN_TYPE]: 'input' });
          }
          if (usage?.outputTokens !== undefined) {
            instruments.tokenUsage.record(usage.outputTokens, { ...metricAttributes, [ATTR_GEN_AI_TOKEN_TYPE]: 'output' });
            const seconds = (endedAt - (firstTokenAt ?? startedAt)) / 1000;
            if (usage.outputTokens > 0 && seconds > 0) instruments.tokensPerSecond.record(usage.outputTokens / seconds, statusAttributes);
          }
        },
      };
    },
  };
}

// The instrumentation over the global tracer and meter. A meter taken before the SDK registered
// its provider would be a no-op for good (the metrics API has no proxy, unlike tracing), so it is
// made again whenever the global meter provider changes.
let current: { provider: unknown; instrumentation: RunInstrumentation } | undefined;

function globalInstrumentation(): RunInstrumentation {
  const provider = metrics.getMeterProvider();
  if (current?.provider !== provider) {
    current = {
      provider,
      instrumentation: createRunInstrumentation({
        tracer: trace.getTracer(INSTRUMENTATION_SCOPE),
        meter: metrics.getMeter(INSTRUMENTATION_SCOPE),
        recordPrompts: getConfig().TELEMETRY_RECORD_PROMPTS,
      }),
    };
  }
  return current.instrumentation;
}

/** Forgets the global instrumentation (tests that change the environment or the SDK). */
export function resetRunInstrumentation(): void {
  current = undefined;
}

/**
 * Starts the span of a run, through the global OpenTelemetry API (a no-op until
 * {@link startTelemetry} has started the SDK). Call `end()` exactly when the run ends.
 */
export function startRunSpan(start: RunSpanStart): RunSpan {
  return globalInstrumentation().startRunSpan(start);
}
