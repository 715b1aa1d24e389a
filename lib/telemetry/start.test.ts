import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, test } from 'vitest';
import { configSchema } from '../config';
import { startRunSpan } from './runs';
import { parseOtlpHeaders, startTelemetry, type Telemetry } from './start';

const PROMPT = 'tell nobody: the launch code is 0000';

const started: Telemetry[] = [];
function start(env: Record<string, string>, extras: Parameters<typeof startTelemetry>[1] = {}): Telemetry {
  const telemetry = startTelemetry(configSchema.parse(env), { detectResources: false, ...extras });
  started.push(telemetry);
  return telemetry;
}

afterEach(async () => {
  for (const telemetry of started.splice(0)) await telemetry.shutdown();
  // Let the next test register its own providers with the global API.
  trace.disable();
  metrics.disable();
  context.disable();
  propagation.disable();
});

function inMemory() {
  const spans = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  return { spans, metricExporter, reader, extras: { spanProcessors: [new SimpleSpanProcessor(spans)], metricReaders: [reader] } };
}

describe('startTelemetry', () => {
  test('with nothing configured starts nothing, and run spans are no-ops', () => {
    const telemetry = start({});
    expect(telemetry.enabled).toBe(false);

    const run = startRunSpan({ runId: 'r', kind: 'chat' });
    run.event('first_token');
    expect(() => run.end({ status: 'done' })).not.toThrow();
    expect(trace.getTracer('x').startSpan('y').isRecording()).toBe(false);
  });

  test('registers globally: startRunSpan reaches the exporters, with the service name', async () => {
    const { spans, metricExporter, reader, extras } = inMemory();
    const telemetry = start({ OTEL_SERVICE_NAME: 'console-test' }, { ...extras, serviceVersion: '9.9.9' });
    expect(telemetry.enabled).toBe(true);

    const run = startRunSpan({ runId: 'run-global', kind: 'chat', model: 'openai:gpt-4.1-mini' });
    run.event('first_token');
    run.end({ status: 'done', usage: { outputTokens: 5 } });
    await reader.forceFlush();

    const [span] = spans.getFinishedSpans();
    expect(span?.attributes['streamconsole.run.id']).toBe('run-global');
    expect(span?.resource.attributes).toMatchObject({ 'service.name': 'console-test', 'service.version': '9.9.9' });
    const names = metricExporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.descriptor.name)));
    expect(names).toEqual(expect.arrayContaining(['streamconsole.run.time_to_first_token', 'streamconsole.streams.active']));
  });

  test('a sampling ratio of 0 keeps no trace, but metrics still count', async () => {
    const { spans, metricExporter, reader, extras } = inMemory();
    start({ TELEMETRY_SAMPLING_RATIO: '0' }, extras);

    for (let i = 0; i < 20; i++) startRunSpan({ runId: `r${i}`, kind: 'chat' }).end({ status: 'error', error: { code: 'run:timeout' } });
    await reader.forceFlush();

    expect(spans.getFinishedSpans()).toEqual([]);
    const errors = metricExporter
      .getMetrics()
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics))
      .find((m) => m.descriptor.name === 'streamconsole.run.errors');
    expect(errors?.dataPoints.map((p) => p.value)).toEqual([20]);
  });

  test('a second start returns the running telemetry', () => {
    const { extras } = inMemory();
    const first = start({}, extras);
    expect(start({}, inMemory().extras)).toBe(first);
  });

  test('exports traces and metrics over OTLP http/protobuf with the configured headers, prompts left out', async () => {
    const requests: { url: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        requests.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const telemetry = start({
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/`,
        OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20pylf_v1_token,x-team=streams',
      });
      const run = startRunSpan({ runId: 'run-otlp-1', kind: 'chat', model: 'openai:gpt-4.1-mini', input: { prompt: PROMPT } });
      run.event('first_token', { text: PROMPT });
      run.end({ status: 'done', usage: { inputTokens: 3, outputTokens: 4 } });
      await telemetry.shutdown();

      const traces = requests.filter((r) => r.url === '/v1/traces');
      const metricRequests = requests.filter((r) => r.url === '/v1/metrics');
      expect(traces.length).toBeGreaterThan(0);
      expect(metricRequests.length).toBeGreaterThan(0);
      for (const request of [...traces, ...metricRequests]) {
        expect(request.headers['content-type']).toBe('application/x-protobuf');
        expect(request.headers.authorization).toBe('Bearer pylf_v1_token');
        expect(request.headers['x-team']).toBe('streams');
      }
      const traceBytes = Buffer.concat(traces.map((r) => r.body));
      expect(traceBytes.includes('run-otlp-1')).toBe(true);
      expect(traceBytes.includes('gen_ai.request.model')).toBe(true);
      expect(traceBytes.includes('launch code')).toBe(false);
      expect(Buffer.concat(metricRequests.map((r) => r.body)).includes('streamconsole.run.time_to_first_token')).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('parseOtlpHeaders', () => {
  test('reads comma-separated key=value pairs, URL-decoded and trimmed', () => {
    expect(parseOtlpHeaders('Authorization=Bearer%20abc , x-a=1=2,,bad, =nokey')).toEqual({ Authorization: 'Bearer abc', 'x-a': '1=2' });
  });

  test('nothing gives no headers', () => {
    expect(parseOtlpHeaders(undefined)).toEqual({});
    expect(parseOtlpHeaders('')).toEqual({});
  });
});
