// A run started through the registry is recorded (database) and observed (OpenTelemetry): one
// span per run with the run id as correlation id, GenAI attributes and lifecycle events, and the
// streaming metrics. Real PGlite in a temporary directory; in-memory OpenTelemetry exporters.
import { metrics, trace } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resetConfig } from '../config';
import { closeDb, getRunById } from '../db';
import { resetRunInstrumentation } from '../telemetry';
import { getRunHub, noteReconnect, startRun } from './registry';

const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const meterProvider = new MeterProvider({ readers: [reader] });

beforeAll(() => {
  process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), 'registry-test-'));
  process.env.LOCAL_ARC_TOKENS_PER_SECOND = '0';
  resetConfig();
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  resetRunInstrumentation();
});

afterAll(async () => {
  await getRunHub().shutdown();
  await closeDb();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  trace.disable();
  metrics.disable();
});

async function metricNames(): Promise<Map<string, unknown[]>> {
  metricExporter.reset();
  await reader.forceFlush();
  const byName = new Map<string, unknown[]>();
  for (const metric of metricExporter.getMetrics().flatMap((rm) => rm.scopeMetrics).flatMap((sm) => sm.metrics)) {
    byName.set(metric.descriptor.name, metric.dataPoints);
  }
  return byName;
}

describe('a run through the registry', () => {
  // The first test opens the embedded database and runs its migrations: seconds, not milliseconds.
  test('is saved when it ends, with its result and how it ended', { timeout: 60_000 }, async () => {
    const run = await startRun({ request: { kind: 'chat', input: { prompt: 'Hello there', model: 'local:arc' } } });
    getRunHub().attach(run.id);
    await run.finished;
    await expect.poll(async () => (await getRunById({ id: run.id }))?.endReason).toBe('complete');
    const row = await getRunById({ id: run.id });
    expect(row).toMatchObject({ kind: 'chat', model: 'local:arc', status: 'done' });
    expect((row!.result as { generations: { main: { text: string } } }).generations.main.text).toMatch(/embedded ARC engine/);
  });

  test('produces one span with the run id, GenAI attributes and start, first token, reconnect and end events', async () => {
    spans.reset();
    const run = await startRun({ request: { kind: 'chat', input: { prompt: 'Secret plan: win', model: 'local:arc' } } });
    getRunHub().attach(run.id);
    noteReconnect(run, 3);
    await run.finished;
    await expect.poll(() => spans.getFinishedSpans().filter((s) => s.attributes['streamconsole.run.id'] === run.id).length).toBe(1);
    const span = spans.getFinishedSpans().find((s) => s.attributes['streamconsole.run.id'] === run.id);
    expect(span!.attributes).toMatchObject({
      'streamconsole.run.id': run.id,
      'streamconsole.run.kind': 'chat',
      'streamconsole.run.model': 'local:arc',
      'gen_ai.request.model': 'arc',
      'gen_ai.provider.name': 'local',
    });
    expect(span!.events.map((e) => e.name)).toEqual(['start', 'reconnect', 'first_token', 'end']);
    expect(JSON.stringify({ attributes: span!.attributes, events: span!.events })).not.toContain('Secret plan');
  });

  test('records time to first token, reconnects and the active-stream gauge returning to zero', async () => {
    const byName = await metricNames();
    expect(byName.get('streamconsole.run.time_to_first_token')?.length).toBeGreaterThan(0);
    expect(byName.get('streamconsole.stream.reconnects')?.length).toBeGreaterThan(0);
    const active = byName.get('streamconsole.streams.active') as { value: number }[] | undefined;
    expect(active?.reduce((sum, point) => sum + point.value, 0)).toBe(0);
  });

  test('a failed run counts an error by its code', async () => {
    const run = await startRun({ request: { kind: 'grover', input: { taskId: 'sc-flip-h', model: 'local:arc', iterations: 1, programsPerIteration: 1, tokensPerSecond: 0 } } });
    getRunHub().attach(run.id);
    getRunHub().cancel(run.id, 'user');
    await run.finished;
    await expect.poll(() => spans.getFinishedSpans().some((s) => s.attributes['streamconsole.run.id'] === run.id)).toBe(true);
    const span = spans.getFinishedSpans().find((s) => s.attributes['streamconsole.run.id'] === run.id)!;
    expect(span.attributes['streamconsole.run.status']).toBe('cancelled');
  });
});
