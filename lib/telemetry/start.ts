/**
 * Starting the OpenTelemetry SDK, from `instrumentation.ts` at server start. Off unless asked:
 *
 * - OTEL_EXPORTER_OTLP_ENDPOINT set: traces and metrics go there over OTLP http/protobuf
 *   (`<endpoint>/v1/traces`, `<endpoint>/v1/metrics`) with OTEL_EXPORTER_OTLP_HEADERS. Logfire
 *   takes exactly this: endpoint `https://logfire-api.pydantic.dev` (or the EU/US host of the
 *   project), headers `Authorization=<write token>`.
 * - TELEMETRY_CONSOLE=1: spans and metrics are also printed on the server console.
 *
 * Traces are sampled parent-based at TELEMETRY_SAMPLING_RATIO: a root span is kept with that
 * probability, a child follows its parent. Metrics are not sampled.
 */
import { diag } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ConsoleMetricExporter, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from './attributes';
import { resetRunInstrumentation } from './runs';

export type TelemetryConfig = Pick<
  Config,
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_EXPORTER_OTLP_HEADERS'
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_METRIC_EXPORT_INTERVAL'
  | 'TELEMETRY_SAMPLING_RATIO'
  | 'TELEMETRY_CONSOLE'
>;

export interface TelemetryExtras {
  /** More span processors (tests: an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
  /** More metric readers (tests: an in-memory exporter's reader). */
  metricReaders?: IMetricReader[];
  /** `service.version`; by default npm's `npm_package_version`, when set. */
  serviceVersion?: string;
  /** Detect host and process resource attributes (default true). */
  detectResources?: boolean;
}

export interface Telemetry {
  /** Whether anything is exported (an SDK was started). */
  readonly enabled: boolean;
  /** Exports what is buffered now. */
  forceFlush(): Promise<void>;
  /** Exports what is buffered and stops; call it on shutdown. */
  shutdown(): Promise<void>;
}

const DISABLED: Telemetry = { enabled: false, forceFlush: async () => {}, shutdown: async () => {} };

/**
 * OTLP headers as the OpenTelemetry environment convention writes them: comma-separated
 * `key=value` pairs, keys and values URL-encoded (W3C Baggage format without properties).
 */
export function parseOtlpHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!text) return headers;
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const key = decode(pair.slice(0, at).trim());
    const value = decode(pair.slice(at + 1).trim());
    if (key) headers[key] = value;
  }
  return headers;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `<endpoint>/<path>`, whether or not the endpoint ends with a slash. */
function signalUrl(endpoint: string, path: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${path}`;
}

// Started once per process: Next dev re-evaluates modules, and a second SDK would register twice.
const globalForTelemetry = globalThis as typeof globalThis & { __streamConsoleTelemetry?: Telemetry };

/**
 * Starts the SDK as the configuration asks, registers it with the global OpenTelemetry API and
 * returns its handle; returns a disabled handle, starting nothing, when nothing would be exported.
 * A second call returns the first call's handle until that one is shut down.
 */
export function startTelemetry(config: TelemetryConfig, extras: TelemetryExtras = {}): Telemetry {
  const running = globalForTelemetry.__streamConsoleTelemetry;
  if (running) return running;

  const spanProcessors: SpanProcessor[] = [];
  const metricReaders: IMetricReader[] = [];
  const endpoint = config.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (endpoint) {
    const headers = parseOtlpHeaders(config.OTEL_EXPORTER_OTLP_HEADERS);
    spanProcessors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: signalUrl(endpoint, 'v1/traces'), headers })));
    metricReaders.push(
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: signalUrl(endpoint, 'v1/metrics'), headers }),
        exportIntervalMillis: config.OTEL_METRIC_EXPORT_INTERVAL,
      }),
    );
  }
  if (config.TELEMETRY_CONSOLE) {
    spanProcessors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
    metricReaders.push(
      new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter(), exportIntervalMillis: config.OTEL_METRIC_EXPORT_INTERVAL }),
    );
  }
  spanProcessors.push(...(extras.spanProcessors ?? []));
  metricReaders.push(...(extras.metricReaders ?? []));
  if (spanProcessors.length === 0 && metricReaders.length === 0) return DISABLED;

  const version = extras.serviceVersion ?? process.env.npm_package_version;
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME,
      ...(version ? { [ATTR_SERVICE_VERSION]: version } : {}),
    }),
    autoDetectResources: extras.detectResources ?? true,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.TELEMETRY_SAMPLING_RATIO) }),
    spanProcessors,
    metricReaders,
    // No logs pipeline: the SDK would otherwise build an OTLP log exporter from the environment.
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  // The run instrumentation caches its meter; make it take the new provider's.
  resetRunInstrumentation();

  let stopped: Promise<void> | undefined;
  const telemetry: Telemetry = {
    enabled: true,
    async forceFlush() {
      await Promise.all([
        ...spanProcessors.map((processor) => processor.forceFlush()),
        ...metricReaders.map((reader) => reader.forceFlush()),
      ]);
    },
    shutdown() {
      stopped ??= sdk
        .shutdown()
        .catch((err: unknown) => diag.error('telemetry shutdown failed', err))
        .finally(() => {
          if (globalForTelemetry.__streamConsoleTelemetry === telemetry) globalForTelemetry.__streamConsoleTelemetry = undefined;
          resetRunInstrumentation();
        });
      return stopped;
    },
  };
  globalForTelemetry.__streamConsoleTelemetry = telemetry;
  return telemetry;
}
