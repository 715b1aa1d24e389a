// HTTP integration: puzzle analysis through the production server, against every provider's
// streaming format (the fake server), with its guard rails and provider resilience.
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { appFetch, shareSessionsBetween } from '../harness/session';
import { ANALYSIS_ANSWER, ANALYSIS_TOOL_INPUT } from '../fake-providers/scenarios';
import type { EnvelopeOf, EventEnvelope } from '../../lib/protocol/envelope';
import { providerEnv, startAppServer, type AppServer } from '../harness/appServer';
import { readSse } from '../harness/sse';

const app = inject('appUrl');
const fake = inject('fakeUrl');

async function analyse(baseUrl: string, model: string, taskId = 'sc-flip-h'): Promise<EventEnvelope[]> {
  const read = await readSse(`${baseUrl}/api/runs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'analysis', input: { taskId, model, tokensPerSecond: 0 } }),
  });
  expect(read.status).toBe(200);
  return read.envelopes;
}

function completeOf(envelopes: EventEnvelope[]): EnvelopeOf<'analysis.complete'>['data'] {
  const last = envelopes.at(-1)!;
  expect(last.type).toBe('analysis.complete');
  return (last as EnvelopeOf<'analysis.complete'>).data;
}

function ofType<T extends EventEnvelope['type']>(envelopes: EventEnvelope[], type: T): EnvelopeOf<T>[] {
  return envelopes.filter((e): e is EnvelopeOf<T> => e.type === type);
}

describe.each(['openai', 'xai', 'openrouter', 'compatible'])('analysis through %s', (provider) => {
  test('reasoning streams apart, the run_program tool runs live, and the answer parses cleanly', async () => {
    const envelopes = await analyse(app, `${provider}:analysis-reasoning-tool`);
    if (provider !== 'compatible') expect(ofType(envelopes, 'analysis.reasoning').length).toBeGreaterThan(0);
    const tools = ofType(envelopes, 'analysis.tool').flatMap((e) => e.data.toolCalls);
    expect(tools.map((t) => t.status)).toEqual(['started', 'done']);
    expect(tools[0]).toMatchObject({ name: 'run_program', input: ANALYSIS_TOOL_INPUT });
    expect(tools[1]?.output).toMatchObject({ score: 10 });
    const complete = completeOf(envelopes);
    expect(complete.status).toBe('complete');
    expect(complete.payload.metadata.parseStatus).toBe('ok');
    expect(complete.payload.result).toEqual(ANALYSIS_ANSWER);
  });
});

describe('analysis guard rails', () => {
  test('fields arrive in partial events before the stream ends, patternDescription first', async () => {
    const envelopes = await analyse(app, 'openai:analysis-json');
    const partials = ofType(envelopes, 'analysis.partial');
    expect(partials.length).toBeGreaterThan(3);
    const firstWithDescription = envelopes.findIndex((e) => e.type === 'analysis.partial' && e.data.fields.patternDescription === ANALYSIS_ANSWER.patternDescription);
    const lastToken = envelopes.findLastIndex((e) => e.type === 'analysis.token');
    expect(firstWithDescription).toBeGreaterThan(0);
    expect(firstWithDescription).toBeLessThan(lastToken);
  });

  test('broken JSON is repaired and marked repaired, with the raw text kept', async () => {
    const complete = completeOf(await analyse(app, 'openai:analysis-broken-json'));
    expect(complete.payload.metadata.parseStatus).toBe('repaired');
    expect(complete.payload.result).toEqual(ANALYSIS_ANSWER);
    expect(complete.payload.metadata.rawText).toBeDefined();
  });

  test('an answer beyond repair falls back after a parse_error warning, keeping the raw text', async () => {
    const envelopes = await analyse(app, 'openai:analysis-garbage');
    const warning = ofType(envelopes, 'analysis.warning').find((w) => w.data.type === 'parse_error');
    const complete = completeOf(envelopes);
    expect(warning).toBeDefined();
    expect(envelopes.indexOf(warning!)).toBeLessThan(envelopes.length - 1);
    expect(complete.payload.metadata.parseStatus).toBe('fallback');
    expect(complete.payload.result).toBeNull();
    expect(complete.payload.metadata.rawText).toMatch(/^I am not sure/);
  });

  test('a stream that dies mid-answer completes as interrupted, keeps its fields, and is saved as such', async () => {
    const response = await appFetch(`${app}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ kind: 'analysis', input: { taskId: 'sc-flip-h', model: 'openai:analysis-midstream' } }),
    });
    const { runId } = await response.json();
    const read = await readSse(`${app}/api/runs/${runId}/events`);
    const complete = completeOf(read.envelopes);
    expect(complete.status).toBe('interrupted');
    expect(complete.payload.metadata.interrupted).toBe(true);
    expect(complete.payload.result?.patternDescription).toBe(ANALYSIS_ANSWER.patternDescription);
    await expect
      .poll(async () => (await (await appFetch(`${app}/api/runs/${runId}`)).json()).result?.analysis?.complete?.status, { timeout: 5_000 })
      .toBe('interrupted');
  });

  test('enrichments run after the answer: verify finds the prediction correct, and an image is drawn', async () => {
    const envelopes = await analyse(app, 'openai:analysis-json');
    const completed = Object.fromEntries(ofType(envelopes, 'analysis.enrichment_complete').map((e) => [e.data.key, e.data]));
    expect(completed.verify?.summary).toBe('1 of 1 test predictions correct');
    expect(completed.similar).toBeDefined();
    const artifact = ofType(envelopes, 'analysis.artifact')[0];
    expect(artifact?.data.url).toMatch(/^\/api\/images\/[0-9a-f]{64}\.png$/);
    expect((await appFetch(`${app}${artifact!.data.url}`)).status).toBe(200);
  });

  test('the embedded engine answers through the same path', async () => {
    const complete = completeOf(await analyse(app, 'local:arc'));
    expect(complete.payload.metadata.parseStatus).toBe('ok');
    expect(complete.payload.result?.predictedOutput).toEqual(ANALYSIS_ANSWER.predictedOutput);
  });
});

describe('analysis with provider resilience (a server with retries on)', () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startAppServer({
      env: {
        ...providerEnv(fake),
        PROVIDER_MAX_RETRIES: '2',
        CIRCUIT_FAILURE_THRESHOLD: '5',
        CIRCUIT_HALF_OPEN_AFTER_MS: '60000',
        ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      },
    });
  });
  afterAll(() => server.stop());

  test('a 429 with Retry-After is retried after the delay and then succeeds', async () => {
    await fetch(`${fake}/__control/reset`, { method: 'POST' });
    const complete = completeOf(await analyse(server.url, 'openai:analysis-429-then-json'));
    expect(complete.payload.result).toEqual(ANALYSIS_ANSWER);
    const requests = ((await (await fetch(`${fake}/__control/requests`)).json()) as { model: string; startedAt: number; status: number }[]).filter(
      (r) => r.model === 'analysis-429-then-json',
    );
    expect(requests.map((r) => r.status)).toEqual([429, 200]);
    expect(requests[1]!.startedAt - requests[0]!.startedAt).toBeGreaterThanOrEqual(1000);
  });

  test('a stream that fails before its first token falls back to a non-streaming call and says so', async () => {
    const envelopes = await analyse(server.url, 'xai:analysis-fail-before-first-token');
    expect(ofType(envelopes, 'analysis.warning').map((w) => w.data.type)).toContain('fallback');
    const complete = completeOf(envelopes);
    expect(complete.payload.metadata.fallback).toBe('non-streaming');
    expect(complete.payload.result).toEqual(ANALYSIS_ANSWER);
  });

  test('five failures in a row open the provider circuit, and the next call fails fast', async () => {
    await fetch(`${fake}/__control/reset`, { method: 'POST' });
    for (let i = 0; i < 2; i++) {
      const last = (await analyse(server.url, 'openrouter:error-500')).at(-1)!;
      expect(last.type).toBe('error');
    }
    const before = ((await (await fetch(`${fake}/__control/requests`)).json()) as unknown[]).length;
    expect(before).toBeGreaterThanOrEqual(5);
    const last = (await analyse(server.url, 'openrouter:error-500')).at(-1)!;
    expect(last).toMatchObject({ type: 'error', data: { code: 'provider:circuit_open' } });
    const after = ((await (await fetch(`${fake}/__control/requests`)).json()) as unknown[]).length;
    expect(after).toBe(before);
  });

  test('the analysis history survives a server restart', async () => {
    const response = await appFetch(`${server.url}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ kind: 'analysis', input: { taskId: 'sc-flip-h', model: 'local:arc', tokensPerSecond: 0 } }),
    });
    const { runId } = await response.json();
    await readSse(`${server.url}/api/runs/${runId}/events`);
    await expect.poll(async () => (await (await appFetch(`${server.url}/api/runs/${runId}`)).json()).status, { timeout: 5_000 }).toBe('done');
    const { dataDir, url: before } = server;
    await server.stop();
    server = await startAppServer({ dataDir, env: { ...providerEnv(fake), ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}) } });
    // Same database, same secret: the session that started the run is still its owner's.
    shareSessionsBetween([before, server.url]);
    const snapshot = await (await appFetch(`${server.url}/api/runs/${runId}`)).json();
    expect(snapshot).toMatchObject({ runId, kind: 'analysis', status: 'done' });
    expect(snapshot.result.analysis.complete.payload.result.patternDescription).toBeTruthy();
  });
});
