import { SpanStatusCode } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, test } from 'vitest';
import { REDACTED } from './redact';
import { createRunInstrumentation } from './runs';

const PROMPT = 'Please solve task 007bbfc7, my secret plan is to win';

function setUp({ recordPrompts = false } = {}) {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  let clock = 1_000;
  const instrumentation = createRunInstrumentation({
    tracer: tracerProvider.getTracer('test'),
    meter: meterProvider.getMeter('test'),
    recordPrompts,
    now: () => clock,
  });

  /** The metric's data points after a collection, by name. */
  async function points(name: string): Promise<DataPoint<unknown>[]> {
    metricExporter.reset();
    await reader.forceFlush();
    const metric = metricExporter
      .getMetrics()
      .flatMap((rm) => rm.scopeMetrics)
      .flatMap((sm) => sm.metrics)
      .find((m) => m.descriptor.name === name);
    return (metric?.dataPoints ?? []) as DataPoint<unknown>[];
  }

  cleanups.push(async () => {
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
  });
  return {
    instrumentation,
    spans,
    points,
    advance(ms: number) {
      clock += ms;
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function only(spans: InMemorySpanExporter): ReadableSpan {
  const finished = spans.getFinishedSpans();
  expect(finished).toHaveLength(1);
  return finished[0]!;
}

describe('run span', () => {
  test('carries the run id, the kind and the GenAI attributes, and usage at the end', () => {
    const { instrumentation, spans } = setUp();
    const run = instrumentation.startRunSpan({ runId: 'run-1', kind: 'chat', model: 'openai:gpt-4.1-mini' });
    run.end({ status: 'done', usage: { inputTokens: 12, outputTokens: 34 } });

    const span = only(spans);
    expect(span.name).toBe('chat gpt-4.1-mini');
    expect(span.attributes).toMatchObject({
      'streamconsole.run.id': 'run-1',
      'streamconsole.run.kind': 'chat',
      'streamconsole.run.model': 'openai:gpt-4.1-mini',
      'streamconsole.run.status': 'done',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 34,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(run.traceId).toBe(span.spanContext().traceId);
  });

  test('records its events in order, with their attributes', () => {
    const { instrumentation, spans } = setUp();
    const run = instrumentation.startRunSpan({ runId: 'run-2', kind: 'chat', model: 'xai:grok-4' });
    run.event('first_token');
    run.event('reconnect', { lastEventId: 7 });
    run.event('error', { code: 'provider:rate_limited', attempt: 1 });
    run.end({ status: 'done' });

    const span = only(spans);
    expect(span.events.map((e) => e.name)).toEqual(['start', 'first_token', 'reconnect', 'error', 'end']);
    expect(span.events[2]?.attributes).toEqual({ lastEventId: 7 });
    expect(span.events[3]?.attributes).toEqual({ code: 'provider:rate_limited', attempt: 1 });
    expect(span.attributes['gen_ai.provider.name']).toBe('x_ai');
  });

  test('a failed run ends with status ERROR, error.type and the exception, its secrets scrubbed', () => {
    const { instrumentation, spans } = setUp();
    const run = instrumentation.startRunSpan({ runId: 'run-3', kind: 'grover', model: 'openrouter:deepseek/deepseek-r1' });
    run.end({ status: 'error', error: { code: 'provider:auth', message: 'Bad key sk-abcdefghijklmnopqrstu' } });

    const span = only(spans);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: `Bad key ${REDACTED}` });
    expect(span.attributes).toMatchObject({ 'error.type': 'provider:auth', 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'deepseek/deepseek-r1' });
    const exception = span.events.find((e) => e.name === 'exception');
    expect(exception?.attributes).toMatchObject({ 'exception.type': 'provider:auth', 'exception.message': `Bad key ${REDACTED}` });
  });

  test('a run without a model is named by its kind', () => {
    const { instrumentation, spans } = setUp();
    instrumentation.startRunSpan({ runId: 'run-4', kind: 'bench' }).end({ status: 'cancelled' });
    expect(only(spans)).toMatchObject({ name: 'run bench', attributes: { 'streamconsole.run.status': 'cancelled' } });
  });

  test('ending twice ends once, and events after the end are ignored', async () => {
    const { instrumentation, spans, points } = setUp();
    const run = instrumentation.startRunSpan({ runId: 'run-5', kind: 'chat', model: 'local:arc' });
    run.end({ status: 'done' });
    run.end({ status: 'error', error: { code: 'run:timeout' } });
    run.event('reconnect');

    expect(only(spans).events.map((e) => e.name)).toEqual(['start', 'end']);
    expect((await points('streamconsole.streams.active')).map((p) => p.value)).toEqual([0]);
    expect(await points('streamconsole.run.errors')).toEqual([]);
    expect(await points('streamconsole.stream.reconnects')).toEqual([]);
  });

  test('the prompt appears nowhere in the span unless opted in', () => {
    for (const recordPrompts of [false, true]) {
      const { instrumentation, spans } = setUp({ recordPrompts });
      const run = instrumentation.startRunSpan({
        runId: 'run-6',
        kind: 'chat',
        model: 'openai:gpt-5-mini',
        input: { prompt: PROMPT },
        attributes: { 'gen_ai.system_instructions': PROMPT },
      });
      run.event('first_token', { text: PROMPT });
      run.event('error', { 'gen_ai.input.messages': [{ role: 'user', content: PROMPT }] });
      run.end({ status: 'done' });

      const span = only(spans);
      const serialized = JSON.stringify({ attributes: span.attributes, events: span.events });
      expect(serialized.includes('my secret plan')).toBe(recordPrompts);
      if (!recordPrompts) expect(span.attributes['streamconsole.run.input']).toBe(REDACTED);
    }
  });
});

describe('run metrics', () => {
  test('time to first token, tokens per second and duration are recorded in seconds', async () => {
    const { instrumentation, points, advance } = setUp();
    const run = instrumentation.startRunSpan({ runId: 'run-7', kind: 'chat', model: 'openai:gpt-4.1-mini' });
    advance(250);
    run.event('first_token');
    advance(100);
    run.event('first_token'); // only the first counts
    advance(1_900);
    run.end({ status: 'done', usage: { inputTokens: 10, outputTokens: 100 } });

    const [ttft] = await points('streamconsole.run.time_to_first_token');
    expect(ttft?.attributes).toEqual({
      'streamconsole.run.kind': 'chat',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1-mini',
    });
    expect(ttft?.value).toMatchObject({ count: 1, sum: 0.25 });

    const [tps] = await points('streamconsole.run.tokens_per_second');
    // 100 tokens over the 2 s from the first token to the end.
    expect((tps?.value as Histogram).sum).toBeCloseTo(50);
    expect(tps?.attributes['streamconsole.run.status']).toBe('done');

    const [duration] = await points('streamconsole.run.duration');
    expect((duration?.value as Histogram).sum).toBeCloseTo(2.25);

    const usage = await points('gen_ai.client.token.usage');
    expect(usage.map((p) => [p.attributes['gen_ai.token.type'], (p.value as Histogram).sum]).sort()).toEqual([
      ['input', 10],
      ['output', 100],
    ]);
  });

  test('active streams go up at the start and down at the end', async () => {
    const { instrumentation, points } = setUp();
    const a = instrumentation.startRunSpan({ runId: 'a', kind: 'chat', model: 'local:arc' });
    const b = instrumentation.startRunSpan({ runId: 'b', kind: 'chat', model: 'local:arc' });
    expect((await points('streamconsole.streams.active')).map((p) => p.value)).toEqual([2]);

    a.end({ status: 'done' });
    expect((await points('streamconsole.streams.active')).map((p) => p.value)).toEqual([1]);
    b.end({ status: 'cancelled' });
    expect((await points('streamconsole.streams.active')).map((p) => p.value)).toEqual([0]);
  });

  test('reconnects are counted', async () => {
    const { instrumentation, points } = setUp();
    const run = instrumentation.startRunSpan({ runId: 'r', kind: 'saturn' });
    run.event('reconnect');
    run.event('reconnect');
    run.end({ status: 'done' });

    expect((await points('streamconsole.stream.reconnects')).map((p) => [p.attributes['streamconsole.run.kind'], p.value])).toEqual([['saturn', 2]]);
  });

  test('errors are counted by code', async () => {
    const { instrumentation, points } = setUp();
    for (const code of ['provider:timeout', 'provider:timeout', 'provider:auth']) {
      instrumentation.startRunSpan({ runId: code, kind: 'chat', model: 'openai:gpt-4.1-mini' }).end({ status: 'error', error: { code } });
    }
    instrumentation.startRunSpan({ runId: 'ok', kind: 'chat', model: 'openai:gpt-4.1-mini' }).end({ status: 'done' });

    const byCode = (await points('streamconsole.run.errors')).map((p) => [p.attributes['error.type'], p.value]).sort();
    expect(byCode).toEqual([
      ['provider:auth', 1],
      ['provider:timeout', 2],
    ]);
  });
});
