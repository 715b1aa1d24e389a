/**
 * Blocking delivery, specified against streaming: for the same run, a store that streamed the
 * envelopes in batches and a store that got the server reducer's whole result show the same
 * thing (texts compared joined, since streaming splits them into one segment per frame).
 */
import { describe, expect, test } from 'vitest';
import type { EventEnvelope } from '@/lib/protocol/envelope';
import { formatEnvelope } from '@/lib/protocol/sse';
import { reduceEnvelopes } from '@/lib/runs/reducer';
import type { RunRequestInput as RunRequest } from '@/lib/kinds';
import { createRunStore, type RunState } from './run-store';
import type { FrameScheduler } from './token-animator';

const RUN_ID = 'run_blocking_1';

function log(events: Array<[EventEnvelope['type'], EventEnvelope['data']]>): EventEnvelope[] {
  return events.map(([type, data], i) => ({ v: '1', id: `e${i + 1}`, seq: i + 1, ts: 1_700_000_000_000 + i, corrId: RUN_ID, type, data }) as EventEnvelope);
}

const grid = [
  [1, 2],
  [3, 4],
];

const RUNS: Record<string, { request: RunRequest; log: EventEnvelope[] }> = {
  chat: {
    request: { kind: 'chat', input: { prompt: 'Hi', model: 'm' } },
    log: log([
      ['status', { state: 'running' }],
      ['gen.reasoning', { text: 'Think' }],
      ['gen.reasoning', { text: 'ing.' }],
      ['gen.token', { token: 'Hel', index: 0 }],
      ['gen.token', { token: 'lo', index: 1 }],
      ['gen.token', { token: '!', index: 2 }],
      ['metrics', { ttftMs: 5, elapsedMs: 30, tokens: 3, tokensPerSecond: 100 }],
      ['gen.done', { finishReason: 'stop', usage: { outputTokens: 3 } }],
    ]),
  },
  grover: {
    request: { kind: 'grover', input: { taskId: 't1', model: 'local:arc' } },
    log: log([
      ['grover.token', { token: 'def ', iteration: 1, index: 0 }],
      ['grover.token', { token: 'transform', iteration: 1, index: 1 }],
      ['grover.program', { programId: '1.1', iteration: 1, index: 0, code: 'def transform(g): return g' }],
      ['grover.program', { programId: '1.2', iteration: 1, index: 1, code: 'def transform(g): return g[::-1]' }],
      ['grover.result', { programId: '1.1', iteration: 1, score: 4, pairs: [{ exact: false, accuracy: 0.4, output: grid }] }],
      ['grover.result', { programId: '1.2', iteration: 1, score: 10, pairs: [{ exact: true, accuracy: 1, output: grid }] }],
      ['grover.iteration', { iteration: 1, scores: [{ programId: '1.1', score: 4 }, { programId: '1.2', score: 10 }], bestScore: 10, bestProgramId: '1.2' }],
      ['grover.token', { token: 'again', iteration: 2, index: 0 }],
      ['grover.done', { solved: true, iterations: 2, best: { programId: '1.2', code: 'def transform(g): return g[::-1]', score: 10 }, predictions: [grid], correct: [true] }],
    ]),
  },
  saturn: {
    request: { kind: 'saturn', input: { taskId: 't1', model: 'local:arc' } },
    log: log([
      ['saturn.step', { message: 'Rendering pair 1', step: 1, total: 3, phase: 'pair-1' }],
      ['saturn.image', { label: 'Pair 1 input', url: 'data:image/png;base64,AAAA', width: 10, height: 10, phase: 'pair-1' }],
      ['saturn.token', { token: 'I see ', phase: 'pair-1', index: 0 }],
      ['saturn.token', { token: 'a flip', phase: 'pair-1', index: 1 }],
      ['saturn.step', { message: 'Answering', step: 2, total: 3, phase: 'test-1' }],
      ['saturn.token', { token: 'Flip it.', phase: 'test-1', index: 2 }],
      ['saturn.done', { predictions: [grid], correct: [true], solved: true }],
    ]),
  },
  analysis: {
    request: { kind: 'analysis', input: { taskId: 't1', model: 'local:arc' } },
    log: log([
      ['analysis.start', { requestId: RUN_ID, status: 'started', mode: 'stream', model: 'local:arc' }],
      ['analysis.token', { chunk: '{"patternDescription":"Flip' }],
      ['analysis.partial', { fields: { patternDescription: 'Flip' } }],
      ['analysis.token', { chunk: ' rows","hints":["look"]' }],
      ['analysis.partial', { fields: { patternDescription: 'Flip rows', hints: ['look'] } }],
      ['analysis.tool', { toolCalls: [{ id: 'c1', name: 'check', status: 'done', output: { ok: true } }] }],
      ['analysis.enrichment_start', { key: 'verify', label: 'Verify' }],
      ['analysis.enrichment_complete', { key: 'verify', summary: 'Matches' }],
      [
        'analysis.complete',
        { requestId: RUN_ID, status: 'complete', payload: { result: { patternDescription: 'Flip rows', hints: ['look'] }, metadata: { parseStatus: 'ok' } } },
      ],
    ]),
  },
  steer: {
    request: { kind: 'steer', input: { prompt: 'The ship', model: 'local:tiny', maxTokens: 2, temperature: 0, seed: 1, method: 'SIMPLE_ADDITIVE', features: [{ index: 3, strength: 8 }] } },
    log: log([
      ['status', { state: 'running' }],
      ['gen.token', { channel: 'default', token: ' sailed', index: 0, logprob: -1, topLogprobs: [{ token: ' sailed', logprob: -1 }] }],
      ['gen.activation', { channel: 'default', tokenIndex: 0, features: [{ index: 3, label: 'sea', value: 0.5 }] }],
      ['gen.token', { channel: 'steered', token: ' whale', index: 0, logprob: -2 }],
      ['gen.activation', { channel: 'steered', tokenIndex: 0, features: [{ index: 3, label: 'sea', value: 4 }] }],
      ['gen.token', { channel: 'default', token: ' on', index: 1, logprob: -0.5 }],
      ['gen.token', { channel: 'steered', token: ' sea', index: 1, logprob: -0.25 }],
      ['gen.done', { channel: 'default', finishReason: 'max_tokens' }],
      ['gen.done', { channel: 'steered', finishReason: 'max_tokens' }],
      ['gen.done', { finishReason: 'complete' }],
    ]),
  },
};

function frames() {
  let pending: Array<() => void> = [];
  const scheduler: FrameScheduler = { request: (callback) => pending.push(callback), cancel: () => undefined };
  return {
    scheduler,
    flush() {
      const callbacks = pending;
      pending = [];
      for (const callback of callbacks) callback();
    },
  };
}

/** A store that streams `envelopes` in batches of three, a frame per batch. */
async function streamed(request: RunRequest, envelopes: EventEnvelope[]): Promise<RunState> {
  const clock = frames();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const fetch = (async () => new Response(body, { headers: { 'content-type': 'text/event-stream', 'x-run-id': RUN_ID } })) as typeof globalThis.fetch;
  const store = createRunStore({ fetch, scheduler: clock.scheduler, now: () => 0 });
  store.getState().startRun(request);
  for (let i = 0; i < envelopes.length; i += 3) {
    for (const e of envelopes.slice(i, i + 3)) controller.enqueue(new TextEncoder().encode(formatEnvelope(e)));
    await new Promise((resolve) => setTimeout(resolve, 5));
    clock.flush();
  }
  await expect.poll(() => store.getState().status).toBe('done');
  clock.flush();
  return store.getState();
}

/** A store whose run the server delivers blocking: two progress answers, then the result. */
async function blocking(request: RunRequest, envelopes: EventEnvelope[]): Promise<RunState> {
  const clock = frames();
  let polls = 0;
  const result = JSON.parse(JSON.stringify(reduceEnvelopes(envelopes)));
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    if (init?.method === 'POST') return Response.json({ runId: RUN_ID, mode: 'blocking' }, { status: 201 });
    polls += 1;
    if (polls < 3) return Response.json({ state: 'running', runId: RUN_ID, progress: { lastSeq: polls, tokenCount: polls, elapsedMs: 10 } }, { status: 202 });
    return Response.json({ state: 'done', runId: RUN_ID, result });
  }) as typeof globalThis.fetch;
  const store = createRunStore({ fetch, scheduler: clock.scheduler, now: () => 0 });
  store.getState().startRun(request);
  await expect.poll(() => store.getState().status).toBe('done');
  return store.getState();
}

const joined = (segments: { text: string }[]) => segments.map((s) => s.text).join('');

/** What a user sees, with segment splits and React keys taken out. */
function shown(state: RunState) {
  return {
    status: state.status,
    answer: joined(state.answer),
    reasoning: joined(state.reasoning),
    tokenCount: state.tokenCount,
    error: state.error,
    result: JSON.parse(JSON.stringify(state.result)),
    grover: state.grover && { ...state.grover, text: state.grover.text.map(joined) },
    saturn: state.saturn && { ...state.saturn, phases: state.saturn.phases.map((p) => ({ ...p, segments: joined(p.segments) })) },
    analysis: state.analysis && { ...state.analysis, text: joined(state.analysis.text), reasoning: joined(state.analysis.reasoning) },
    steer: state.steer,
  };
}

describe('a run delivered blocking shows what streaming shows', () => {
  for (const [kind, { request, log: envelopes }] of Object.entries(RUNS)) {
    test(`${kind}`, async () => {
      const live = await streamed(request, envelopes);
      const whole = await blocking(request, envelopes);
      expect(shown(whole)).toEqual(shown(live));
      expect(whole.delivery).toBe('blocking');
      expect(live.delivery).toBe('streaming');
    });
  }
});

test('a blocking run reports progress while it works, and none once its result is in', async () => {
  const clock = frames();
  let polls = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const fetch = (async (_input: string | URL | Request, init?: RequestInit) => {
    if (init?.method === 'POST') return Response.json({ runId: RUN_ID, mode: 'blocking' }, { status: 201 });
    polls += 1;
    if (polls === 1) return Response.json({ state: 'running', runId: RUN_ID, progress: { lastSeq: 4, tokenCount: 3, elapsedMs: 1200, statusMessage: 'Thinking' } }, { status: 202 });
    await released;
    return Response.json({ state: 'done', runId: RUN_ID, result: JSON.parse(JSON.stringify(reduceEnvelopes(RUNS.chat!.log))) });
  }) as typeof globalThis.fetch;
  const store = createRunStore({ fetch, scheduler: clock.scheduler, now: () => 0 });
  store.getState().startRun(RUNS.chat!.request);

  await expect.poll(() => store.getState().progress).toEqual({ lastSeq: 4, tokenCount: 3, elapsedMs: 1200, statusMessage: 'Thinking' });
  expect(store.getState()).toMatchObject({ status: 'waiting', delivery: 'blocking', answer: [], runId: RUN_ID });
  release();
  await expect.poll(() => store.getState().status).toBe('done');
  expect(store.getState().progress).toBeNull();
  expect(joined(store.getState().answer)).toBe('Hello!');
});

test('a steer run delivered blocking fills both channels of the generation slice', async () => {
  const whole = await blocking(RUNS.steer!.request, RUNS.steer!.log);
  expect(whole.steer?.default.text).toBe(' sailed on');
  expect(whole.steer?.steered.text).toBe(' whale sea');
  expect(whole.steer?.steered.activations).toEqual([{ tokenIndex: 0, features: [{ index: 3, label: 'sea', value: 4 }] }]);
});
