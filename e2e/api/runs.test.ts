// HTTP integration: the run API of the production server, with providers played by the fake server.
import { describe, expect, inject, test } from 'vitest';
import { appFetch } from '../harness/session';
import { readSse, readSseUntil, startRun, startRunId, tokensOf } from '../harness/sse';

const app = inject('appUrl');
const fake = inject('fakeUrl');

function expected(n: number): string {
  return Array.from({ length: n }, (_, i) => `t${i + 1} `).join('');
}

async function fakeRequests(): Promise<{ model: string | null; aborted: boolean; finished: boolean }[]> {
  return (await fetch(`${fake}/__control/requests`)).json();
}

describe('POST /api/runs', () => {
  test('with Accept: application/json answers 201 with the run id and its events URL', async () => {
    const response = await startRun(app, { model: 'openai:count-3' });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.eventsUrl).toBe(`/api/runs/${body.runId}/events`);
  });

  test('with Accept: text/event-stream answers with the run stream itself', async () => {
    const read = await readSse(`${app}/api/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'chat', input: { prompt: 'hi', model: 'openai:count-5' } }),
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(read.headers.get('x-run-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(tokensOf(read.envelopes)).toBe(expected(5));
    expect(read.envelopes.at(-1)?.type).toBe('gen.done');
  });

  test('an SSE response is neither compressed nor cached', async () => {
    const runId = await startRunId(app, { model: 'openai:count-2' });
    const read = await readSse(`${app}/api/runs/${runId}/events`, { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(read.headers.get('content-encoding')).toBeNull();
    expect(read.headers.get('cache-control')).toContain('no-cache');
    expect(read.headers.get('x-accel-buffering')).toBe('no');
  });
});

describe('GET /api/runs/:id/events', () => {
  test('frames each envelope as id: seq, event: type and one data line', async () => {
    const runId = await startRunId(app, { model: 'openai:count-3' });
    const read = await readSse(`${app}/api/runs/${runId}/events`);
    const frames = read.text.split('\n\n').filter((frame) => frame.startsWith('id:'));
    expect(frames.length).toBe(read.envelopes.length);
    frames.forEach((frame, i) => {
      const envelope = read.envelopes[i]!;
      expect(frame).toBe(`id: ${envelope.seq}\nevent: ${envelope.type}\ndata: ${JSON.stringify(envelope)}`);
    });
    expect(read.envelopes.map((e) => e.seq)).toEqual(read.envelopes.map((_, i) => i + 1));
  });

  test('with Last-Event-ID: 5 starts at seq 6', async () => {
    const runId = await startRunId(app, { model: 'openai:count-10' });
    const read = await readSse(`${app}/api/runs/${runId}/events`, { headers: { 'Last-Event-ID': '5' } });
    expect(read.envelopes[0]?.seq).toBe(6);
  });

  test('the lastEventId query parameter works for a first connect', async () => {
    const runId = await startRunId(app, { model: 'openai:count-10' });
    const read = await readSse(`${app}/api/runs/${runId}/events?lastEventId=3`);
    expect(read.envelopes[0]?.seq).toBe(4);
  });

  test('a resumed reader ends with exactly the transcript of one that never dropped', async () => {
    const runId = await startRunId(app, { model: 'openai:slow-12-20' });
    const first = await readSseUntil(`${app}/api/runs/${runId}/events`, (e) => e.type === 'gen.token' && e.data.index === 4);
    const rest = await readSse(`${app}/api/runs/${runId}/events`, { headers: { 'Last-Event-ID': String(first.at(-1)!.seq) } });
    const whole = await readSse(`${app}/api/runs/${runId}/events`);
    expect(tokensOf([...first, ...rest.envelopes])).toBe(expected(12));
    expect([...first, ...rest.envelopes].map((e) => e.seq)).toEqual(whole.envelopes.map((e) => e.seq));
  });

  test('several readers of one run see the same envelopes', async () => {
    const runId = await startRunId(app, { model: 'openai:slow-8-15' });
    const reads = await Promise.all([1, 2, 3].map(() => readSse(`${app}/api/runs/${runId}/events`)));
    const texts = reads.map((r) => r.text.replace(/^: ping \d+\n\n/gm, ''));
    expect(new Set(texts).size).toBe(1);
    expect(tokensOf(reads[0]!.envelopes)).toBe(expected(8));
  });

  test('a client already past the end gets 204', async () => {
    const runId = await startRunId(app, { model: 'openai:count-2' });
    const whole = await readSse(`${app}/api/runs/${runId}/events`);
    const last = whole.envelopes.at(-1)!.seq;
    const response = await appFetch(`${app}/api/runs/${runId}/events`, { headers: { 'Last-Event-ID': String(last) } });
    expect(response.status).toBe(204);
  });

  test('an unknown run is 404, whether the id is a uuid or not', async () => {
    for (const id of ['7d0f8f7e-3f8e-4f57-9d38-5d3c1c4f0a11', 'nope', '..%2F..%2Fetc']) {
      const response = await appFetch(`${app}/api/runs/${id}/events`);
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('not_found:run');
    }
  });

  test('a malformed Last-Event-ID is a 400 naming the header', async () => {
    const runId = await startRunId(app, { model: 'openai:count-2' });
    const response = await appFetch(`${app}/api/runs/${runId}/events`, { headers: { 'Last-Event-ID': 'abc' } });
    expect(response.status).toBe(400);
    expect((await response.json()).error.fieldErrors[0].path).toBe('Last-Event-ID');
  });
});

describe('POST /api/runs/:id/cancel', () => {
  test('ends the log with a cancelled terminal and closes the upstream request', async () => {
    await fetch(`${fake}/__control/reset`, { method: 'POST' });
    const runId = await startRunId(app, { model: 'openai:hang' });
    const reading = readSse(`${app}/api/runs/${runId}/events`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cancel = await appFetch(`${app}/api/runs/${runId}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(202);
    const read = await reading;
    expect(tokensOf(read.envelopes)).toBe('t1 t2 t3 ');
    expect(read.envelopes.at(-1)).toMatchObject({ type: 'error', data: { code: 'cancelled', reason: 'user' } });
    await expect.poll(async () => (await fakeRequests()).find((r) => r.model === 'hang')?.aborted, { timeout: 5_000 }).toBe(true);
  });

  test('the cancelled run is saved with its partial output and how it ended', async () => {
    const runId = await startRunId(app, { model: 'openai:hang' });
    await readSseUntil(`${app}/api/runs/${runId}/events`, (e) => e.type === 'gen.token' && e.data.index === 2);
    await appFetch(`${app}/api/runs/${runId}/cancel`, { method: 'POST' });
    await expect
      .poll(async () => (await (await appFetch(`${app}/api/runs/${runId}`)).json()).endReason, { timeout: 5_000 })
      .toBe('cancelled');
    const snapshot = await (await appFetch(`${app}/api/runs/${runId}`)).json();
    expect(snapshot.status).toBe('cancelled');
    expect(snapshot.result.generations.main.text).toBe('t1 t2 t3 ');
  });

  test('cancelling an unknown run is 404', async () => {
    const response = await appFetch(`${app}/api/runs/2b1b0a8c-1111-4222-8333-944455556666/cancel`, { method: 'POST' });
    expect(response.status).toBe(404);
  });
});

describe('GET /api/runs/:id', () => {
  test('returns the reduced result, usage and metrics of a finished run', async () => {
    const runId = await startRunId(app, { model: 'openai:count-4' });
    await readSse(`${app}/api/runs/${runId}/events`);
    const snapshot = await (await appFetch(`${app}/api/runs/${runId}`)).json();
    expect(snapshot).toMatchObject({ runId, kind: 'chat', model: 'openai:count-4', status: 'done' });
    expect(snapshot.result.generations.main.text).toBe(expected(4));
    expect(snapshot.result.generations.main.finishReason).toBe('stop');
    expect(snapshot.result.generations.main.usage.outputTokens).toBe(4);
    expect(snapshot.result.metrics.tokens).toBe(4);
  });
});
