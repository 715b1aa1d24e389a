/**
 * Tests of the run store with a fake `fetch` (SSE bodies written by the test), a fake animation
 * frame and a fake clock.
 */
import { expect, test } from 'vitest';
import type { EventEnvelope } from '@/lib/protocol/envelope';
import { formatEnvelope } from '@/lib/protocol/sse';
import { watchConnectivity } from './run-connectivity';
import { createRunStore } from './run-store';
import type { FrameScheduler } from './token-animator';

const RUN_ID = 'run_1';

function envelope(seq: number, type: EventEnvelope['type'], data: EventEnvelope['data']): EventEnvelope {
  return { v: '1', id: `e${seq}`, seq, ts: 1_700_000_000_000 + seq, corrId: RUN_ID, type, data } as EventEnvelope;
}
const token = (seq: number, text: string) => envelope(seq, 'gen.token', { token: text, index: seq });

/** One SSE response body the test writes to. */
function sseBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    stream,
    /** Writes envelopes; a body the client already let go of swallows them, as a socket would. */
    send: (...envelopes: EventEnvelope[]) => {
      try {
        for (const e of envelopes) controller.enqueue(encoder.encode(formatEnvelope(e)));
      } catch {
        // closed
      }
    },
    end: () => controller.close(),
    abort: () => {
      try {
        controller.error(new DOMException('The operation was aborted.', 'AbortError'));
      } catch {
        // closed
      }
    },
  };
}

type Call = { url: string; method: string; body?: unknown; lastEventId?: string };

/** A fake run API: POST /api/runs answers `streams[0]`, each events request the next one. */
function fakeApi(options: { runs?: () => Response; cancel?: () => void } = {}) {
  const calls: Call[] = [];
  const bodies: ReturnType<typeof sseBody>[] = [];
  const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    calls.push({
      url,
      method: init?.method ?? 'GET',
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      lastEventId: headers.get('last-event-id') ?? undefined,
    });
    if (url.endsWith('/cancel')) {
      options.cancel?.();
      return Response.json({ runId: RUN_ID, status: 'running' }, { status: 202 });
    }
    if (url.endsWith('/api/runs') && options.runs) return options.runs();
    const body = sseBody();
    bodies.push(body);
    init?.signal?.addEventListener('abort', () => body.abort());
    return new Response(body.stream, { headers: { 'content-type': 'text/event-stream', 'x-run-id': RUN_ID } });
  }) as typeof fetch;
  return { fetch: fakeFetch, calls, bodies, get body() { return bodies.at(-1)!; } };
}

function fakeFrames() {
  let pending: Array<() => void> = [];
  const scheduler: FrameScheduler = {
    request: (callback) => pending.push(callback),
    cancel: (handle) => void (pending[(handle as number) - 1] = () => {}),
  };
  return {
    scheduler,
    frame() {
      const callbacks = pending;
      pending = [];
      for (const callback of callbacks) callback();
    },
  };
}

function setup(api = fakeApi(), stopGraceMs = 50) {
  const frames = fakeFrames();
  const clock = { t: 1000 };
  const store = createRunStore({ fetch: api.fetch, scheduler: frames.scheduler, now: () => clock.t, stopGraceMs, retry: { initialMs: 1, maxMs: 1, maxAttempts: 3 } });
  return { api, frames, clock, store, state: () => store.getState() };
}

/** Lets the stream client read what the test wrote. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

test('start posts a chat run and learns its id', async () => {
  const { api, state } = setup();
  state().start({ prompt: 'Hi', model: 'openai:gpt-4.1-mini' });

  expect(state().status).toBe('connecting');
  await expect.poll(() => state().runId).toBe(RUN_ID);
  expect(state().status).toBe('streaming');
  expect(api.calls[0]).toEqual({ url: '/api/runs', method: 'POST', body: { kind: 'chat', input: { prompt: 'Hi', model: 'openai:gpt-4.1-mini' } }, lastEventId: undefined });
});

test('tokens are applied once per animation frame, not per envelope', async () => {
  const { api, frames, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(token(1, 'Hel'), token(2, 'lo'));
  await settle();

  expect(state().answer).toEqual([]);
  frames.frame();
  expect(state().answer.map((s) => s.text)).toEqual(['Hello']);
  expect(state().tokenCount).toBe(2);
});

test('each batch appends one new segment and keeps the earlier ones as they were', async () => {
  const { api, frames, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(token(1, 'a'), token(2, 'b'));
  await settle();
  frames.frame();
  const first = state().answer[0];
  api.body.send(token(3, 'c'));
  await settle();
  frames.frame();

  expect(state().answer.map((s) => s.text)).toEqual(['ab', 'c']);
  expect(state().answer[0]).toBe(first);
  expect(new Set(state().answer.map((s) => s.id)).size).toBe(2);
});

test('reasoning is kept apart from the answer', async () => {
  const { api, frames, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(envelope(1, 'gen.reasoning', { text: 'Think' }), envelope(2, 'gen.reasoning', { text: 'ing' }), token(3, 'Answer'));
  await settle();
  frames.frame();

  expect(state().reasoning.map((s) => s.text)).toEqual(['Thinking']);
  expect(state().answer.map((s) => s.text)).toEqual(['Answer']);
});

test('a log gap notice is kept to be shown, and the text after it goes on', async () => {
  const { api, frames, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  const message = "Events 2 to 4 are no longer in the run's log; the stream goes on from 5.";
  api.body.send(token(1, 'a'), envelope(4, 'status', { state: 'info', code: 'log_gap', message }), token(5, 'e'));
  await settle();
  frames.frame();

  expect(state().logGaps).toEqual([message]);
  expect(state().answer.map((s) => s.text)).toEqual(['ae']);
});

test('a status without the gap code is not taken for a gap', async () => {
  const { api, frames, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(envelope(1, 'status', { state: 'info', code: 'provider_retry', message: 'Retrying' }));
  await settle();
  frames.frame();

  expect(state().logGaps).toEqual([]);
});

test('time to first token is measured from the request start', async () => {
  const { api, frames, clock, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  clock.t += 420;
  api.body.send(token(1, 'a'));
  await settle();
  clock.t += 500; // the frame comes later; the token's arrival is what counts
  frames.frame();

  expect(state().timing.ttftMs).toBe(420);
});

test('tokens per second are counted from the first answer token', async () => {
  const { api, frames, clock, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  clock.t += 300;
  api.body.send(token(1, 'a'));
  await settle();
  for (let seq = 2; seq <= 11; seq++) {
    clock.t += 100;
    api.body.send(token(seq, 'x'));
    await settle();
  }
  frames.frame();

  // 11 tokens over the 1 s since the first one.
  expect(state().timing.tokensPerSecond).toBeCloseTo(11);
});

test('reasoning counts for time to first token but not for tokens per second', async () => {
  const { api, frames, clock, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  clock.t += 200;
  api.body.send(envelope(1, 'gen.reasoning', { text: 'hmm' }));
  await settle();
  clock.t += 5000; // a long think
  api.body.send(token(2, 'a'));
  await settle();
  clock.t += 500;
  api.body.send(token(3, 'b'));
  await settle();
  frames.frame();

  expect(state().timing.ttftMs).toBe(200);
  expect(state().timing.tokensPerSecond).toBeCloseTo(4); // 2 tokens over 0.5 s
});

test('the run ends as done at gen.done with every pending token applied', async () => {
  const { api, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(token(1, 'a'), token(2, 'b'), envelope(3, 'gen.done', { finishReason: 'stop' }));

  await expect.poll(() => state().status).toBe('done');
  expect(state().answer.map((s) => s.text).join('')).toBe('ab');
  expect(state().result.status).toBe('done');
  expect(state().result.generations.main?.finishReason).toBe('stop');
});

test('paused, envelopes accumulate and resume applies all of them', async () => {
  const { api, frames, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  state().pause();
  api.body.send(token(1, 'a'), token(2, 'b'));
  await settle();
  frames.frame();
  api.body.send(token(3, 'c'));
  await settle();
  frames.frame();

  expect(state().answer).toEqual([]);
  state().resume();
  expect(state().answer.map((s) => s.text)).toEqual(['abc']);
  expect(state().paused).toBe(false);
});

test('stop asks the server to cancel and ends with its cancelled envelope', async () => {
  const api = fakeApi({ cancel: () => api.body.send(envelope(2, 'error', { code: 'cancelled', message: 'Stopped', reason: 'user' })) });
  const { state } = setup(api, 5_000);
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => state().runId).toBe(RUN_ID);
  api.body.send(token(1, 'a'));

  await state().stop();

  expect(api.calls.map((c) => [c.method, c.url])).toContainEqual(['POST', `/api/runs/${RUN_ID}/cancel`]);
  expect(state().status).toBe('cancelled');
  expect(state().error).toMatchObject({ code: 'cancelled', reason: 'user' });
  expect(state().stopping).toBe(false);
});

test('stop closes the stream itself when the server does not confirm in time', async () => {
  const { api, state } = setup(fakeApi(), 20);
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => state().runId).toBe(RUN_ID);

  await state().stop();

  expect(state().status).toBe('cancelled');
  api.body.send(token(1, 'late'));
  await settle();
  expect(state().status).toBe('cancelled');
  expect(state().answer).toEqual([]);
});

test('stop before the run id is known cancels as soon as it arrives', async () => {
  let release!: (r: Response) => void;
  const body = sseBody();
  const api = fakeApi({ runs: () => new Response(body.stream, { headers: { 'content-type': 'text/event-stream', 'x-run-id': RUN_ID } }) });
  const deferred = new Promise<Response>((resolve) => (release = resolve));
  const slowFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    if (String(input).endsWith('/api/runs')) {
      await deferred;
    }
    return api.fetch(input, init);
  }) as typeof fetch;
  const { state } = setup({ ...api, fetch: slowFetch } as ReturnType<typeof fakeApi>, 200);
  state().start({ prompt: 'Hi', model: 'm' });
  const stopping = state().stop();
  release(new Response());

  await stopping;
  expect(api.calls.map((c) => c.url)).toContain(`/api/runs/${RUN_ID}/cancel`);
});

test('a 400 answer becomes an error with its field errors', async () => {
  const api = fakeApi({
    runs: () =>
      Response.json(
        { error: { code: 'bad_request:input', message: 'Invalid input', fieldErrors: [{ path: 'input.prompt', message: 'Too long' }] } },
        { status: 400 },
      ),
  });
  const { state } = setup(api);
  state().start({ prompt: 'x', model: 'm' });

  await expect.poll(() => state().status).toBe('error');
  expect(state().error).toMatchObject({ code: 'bad_request:input', httpStatus: 400, fieldErrors: [{ path: 'input.prompt', message: 'Too long' }] });
});

test('an error envelope becomes the run error', async () => {
  const { api, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(envelope(1, 'error', { code: 'provider:auth', message: 'The provider rejected the API key' }));

  await expect.poll(() => state().status).toBe('error');
  expect(state().error).toMatchObject({ code: 'provider:auth', message: 'The provider rejected the API key' });
});

test('clear forgets the run and returns to idle', async () => {
  const { api, frames, state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(token(1, 'a'));
  await settle();
  frames.frame();
  state().clear();

  expect(state()).toMatchObject({ status: 'idle', runId: null, answer: [], tokenCount: 0, error: null, timing: {} });
  api.body.send(token(2, 'b'));
  await settle();
  frames.frame();
  expect(state().answer).toEqual([]);
});

test('a new start replaces the previous run and cancels it on the server', async () => {
  const { api, state } = setup();
  state().start({ prompt: 'one', model: 'm' });
  await expect.poll(() => state().runId).toBe(RUN_ID);
  state().start({ prompt: 'two', model: 'm' });

  expect(api.calls.map((c) => c.url)).toContain(`/api/runs/${RUN_ID}/cancel`);
  expect(state().input).toEqual({ prompt: 'two', model: 'm' });
  expect(state().status).toBe('connecting');
});

test('coming back online resumes an open stream from the last seq', async () => {
  const { api, frames, state, store } = setup();
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  watchConnectivity(store, { window: win, document: doc });
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(token(1, 'a'));
  await settle();
  frames.frame();
  win.dispatchEvent(new Event('online'));

  await expect.poll(() => api.bodies.length).toBe(2);
  expect(api.calls.at(-1)).toMatchObject({ method: 'GET', url: `/api/runs/${RUN_ID}/events`, lastEventId: '1' });
});

test('a tab becoming visible leaves a healthy stream alone', async () => {
  const { api, store, state } = setup();
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  watchConnectivity(store, { window: win, document: doc });
  state().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => state().status).toBe('streaming');
  doc.dispatchEvent(new Event('visibilitychange'));
  await settle();

  expect(api.bodies).toHaveLength(1);
});

test('a tab becoming visible skips the wait of a reconnecting stream', async () => {
  const api = fakeApi();
  const frames = fakeFrames();
  const store = createRunStore({ fetch: api.fetch, scheduler: frames.scheduler, retry: { initialMs: 60_000, maxMs: 60_000, maxAttempts: 3 } });
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState });
  watchConnectivity(store, { window: win, document: doc });
  store.getState().start({ prompt: 'Hi', model: 'm' });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(token(1, 'a'));
  api.body.end();
  await settle();
  // A clean end after progress resumes at once; end that one with nothing to force a backoff.
  await expect.poll(() => api.bodies.length).toBe(2);
  api.body.end();
  await expect.poll(() => store.getState().status).toBe('reconnecting');
  doc.dispatchEvent(new Event('visibilitychange'));

  await expect.poll(() => api.bodies.length).toBe(3);
  expect(api.calls.at(-1)?.lastEventId).toBe('1');
});

// Runs of other kinds.

const GROVER_INPUT = { taskId: 'sc-flip-h', model: 'local:arc', iterations: 2, programsPerIteration: 2, tokensPerSecond: 150 };
const groverToken = (seq: number, text: string, iteration = 1) => envelope(seq, 'grover.token', { token: text, iteration, index: seq });
const groverProgram = (seq: number, programId: string, iteration = 1, index = 0) =>
  envelope(seq, 'grover.program', { programId, iteration, index, code: `def transform(grid):\n    return grid  # ${programId}` });
const groverResult = (seq: number, programId: string, score: number, iteration = 1) =>
  envelope(seq, 'grover.result', { programId, iteration, score, pairs: [{ exact: score === 10, accuracy: score / 10, output: [[1]] }] });

test('startRun posts the request of any kind as the body', async () => {
  const { api, state } = setup();
  state().startRun({ kind: 'grover', input: GROVER_INPUT });

  await expect.poll(() => state().runId).toBe(RUN_ID);
  expect(api.calls[0]?.body).toEqual({ kind: 'grover', input: GROVER_INPUT });
  expect(state().request).toEqual({ kind: 'grover', input: GROVER_INPUT });
  expect(state().input).toBeNull();
});

test('start is still a chat run and keeps its input', async () => {
  const { state } = setup();
  state().start({ prompt: 'Hi', model: 'm' });

  expect(state().request).toEqual({ kind: 'chat', input: { prompt: 'Hi', model: 'm' } });
  expect(state().input).toEqual({ prompt: 'Hi', model: 'm' });
});

test('grover text is appended once per frame, per iteration', async () => {
  const { api, frames, state } = setup();
  state().startRun({ kind: 'grover', input: GROVER_INPUT });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(groverToken(1, 'I '), groverToken(2, 'compared'));
  await settle();

  expect(state().grover).toBeNull();
  frames.frame();
  api.body.send(groverToken(3, ' again'), groverToken(4, 'Next', 2));
  await settle();
  frames.frame();

  expect(state().grover?.text.map((segments) => segments.map((s) => s.text))).toEqual([['I compared', ' again'], ['Next']]);
  expect(state().grover?.currentIteration).toBe(2);
  expect(state().tokenCount).toBe(4);
  expect(state().answer).toEqual([]);
});

test('grover tokens count for time to first token and tokens per second', async () => {
  const { api, frames, clock, state } = setup();
  state().startRun({ kind: 'grover', input: GROVER_INPUT });
  await expect.poll(() => api.bodies.length).toBe(1);
  clock.t += 250;
  api.body.send(groverToken(1, 'a'));
  await settle();
  clock.t += 500;
  api.body.send(groverToken(2, 'b'));
  await settle();
  frames.frame();

  expect(state().timing.ttftMs).toBe(250);
  expect(state().timing.tokensPerSecond).toBeCloseTo(4);
});

test('a program card entry changes identity only when its own result arrives', async () => {
  const { api, frames, state } = setup();
  state().startRun({ kind: 'grover', input: GROVER_INPUT });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(groverProgram(1, '1.1'), groverProgram(2, '1.2', 1, 1));
  await settle();
  frames.frame();
  const [first, second] = state().grover!.programs;
  expect(first?.result).toBeUndefined();

  api.body.send(groverResult(3, '1.2', 6.5));
  await settle();
  frames.frame();

  const programs = state().grover!.programs;
  expect(programs[0]).toBe(first);
  expect(programs[1]).not.toBe(second);
  expect(programs[1]?.result?.score).toBe(6.5);
  expect(state().grover?.scores).toEqual([{ programId: '1.2', iteration: 1, index: 1, score: 6.5 }]);
});

test('a batch without grover envelopes keeps the grover view as it was', async () => {
  const { api, frames, state } = setup();
  state().startRun({ kind: 'grover', input: GROVER_INPUT });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(groverToken(1, 'a'));
  await settle();
  frames.frame();
  const view = state().grover;
  api.body.send(envelope(2, 'status', { state: 'running', message: 'still going' }));
  await settle();
  frames.frame();

  expect(state().grover).toBe(view);
});

test('a grover run ends as done with its iterations, best program and outcome', async () => {
  const { api, state } = setup();
  state().startRun({ kind: 'grover', input: GROVER_INPUT });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(
    groverToken(1, 'text'),
    groverProgram(2, '1.1'),
    groverResult(3, '1.1', 10),
    envelope(4, 'grover.iteration', { iteration: 1, scores: [{ programId: '1.1', score: 10 }], bestScore: 10, bestProgramId: '1.1' }),
    envelope(5, 'grover.done', {
      solved: true,
      iterations: 1,
      best: { programId: '1.1', code: 'def transform(grid):\n    return grid', score: 10 },
      predictions: [[[1]]],
      correct: [true],
    }),
  );

  await expect.poll(() => state().status).toBe('done');
  const grover = state().grover!;
  expect(grover.iterations).toHaveLength(1);
  expect(grover.bestProgramId).toBe('1.1');
  expect(grover.bestScore).toBe(10);
  expect(grover.done?.solved).toBe(true);
  expect(state().result.grover?.done?.predictions).toEqual([[[1]]]);
});

test('clear forgets the grover view', async () => {
  const { api, frames, state } = setup();
  state().startRun({ kind: 'grover', input: GROVER_INPUT });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(groverToken(1, 'a'), groverProgram(2, '1.1'));
  await settle();
  frames.frame();
  state().clear();

  expect(state().grover).toBeNull();
  expect(state().request).toBeNull();
  expect(state().status).toBe('idle');
});

const steerInput = { prompt: 'The ship', model: 'local:tiny', maxTokens: 4, temperature: 0, seed: 1, method: 'SIMPLE_ADDITIVE' as const, features: [{ index: 3, strength: 4 }] };
const steerToken = (seq: number, channel: 'default' | 'steered', text: string, index: number) =>
  envelope(seq, 'gen.token', { channel, token: text, index, logprob: -0.5, topLogprobs: [{ token: text, logprob: -0.5 }] });
const steerActivation = (seq: number, channel: 'default' | 'steered', tokenIndex: number, value: number) =>
  envelope(seq, 'gen.activation', { channel, tokenIndex, features: [{ index: 3, label: 'sea', value }] });

test('a steer run fills the generation slice per channel, once per animation frame', async () => {
  const { api, frames, state } = setup();
  state().startRun({ kind: 'steer', input: steerInput });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(steerToken(1, 'default', 'A', 0), steerActivation(2, 'default', 0, 1), steerToken(3, 'steered', 'W', 0), steerActivation(4, 'steered', 0, 5));
  await settle();
  expect(state().steer).toBeNull();

  frames.frame();
  expect(state().steer?.default.text).toBe('A');
  expect(state().steer?.steered.tokens).toEqual([{ text: 'W', logprob: -0.5, topLogprobs: [{ token: 'W', logprob: -0.5 }] }]);
  expect(state().steer?.steered.activations).toEqual([{ tokenIndex: 0, features: [{ index: 3, label: 'sea', value: 5 }] }]);
});

test('the steer slice gets a new identity per batch and records each channel finish', async () => {
  const { api, frames, state } = setup();
  state().startRun({ kind: 'steer', input: steerInput });
  await expect.poll(() => api.bodies.length).toBe(1);
  api.body.send(steerToken(1, 'default', 'A', 0));
  await settle();
  frames.frame();
  const first = state().steer;
  api.body.send(steerToken(2, 'steered', 'W', 0), envelope(3, 'gen.done', { channel: 'steered', finishReason: 'stop_sequence' }));
  await settle();
  frames.frame();

  expect(state().steer).not.toBe(first);
  expect(first?.steered.tokens).toEqual([]);
  expect(state().steer?.steered.finishReason).toBe('stop_sequence');
});

test('starting a new steer run cancels the one in flight and clears the slice', async () => {
  const { api, frames, state } = setup();
  state().startRun({ kind: 'steer', input: steerInput });
  await expect.poll(() => state().runId).toBe(RUN_ID);
  api.body.send(steerToken(1, 'default', 'A', 0));
  await settle();
  frames.frame();
  state().startRun({ kind: 'steer', input: { ...steerInput, features: [{ index: 3, strength: 8 }] } });

  expect(state().steer).toBeNull();
  await expect.poll(() => api.calls.some((c) => c.url.endsWith(`/api/runs/${RUN_ID}/cancel`))).toBe(true);
});
