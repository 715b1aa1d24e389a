/**
 * The fake server's Neuronpedia scenario: `/neuronpedia/api/steer` and
 * `/neuronpedia/api/activation/new` in the format of Neuronpedia's webapp routes (see
 * lib/models/neuronpedia/client.ts). The key must come in `x-api-key`. Texts are scripted from
 * the request: the default text is {@link NEURONPEDIA_DEFAULT_WORDS}, the steered text the same
 * words prefixed with `steered-`, both cut at `n_tokens` words. With `stream: true` the answer
 * is SSE whose frames carry the whole text so far, STEERED first, then DEFAULT, then a last frame
 * with both texts and the saved id, as Neuronpedia sends them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export const NEURONPEDIA_PREFIX = '/neuronpedia';
export const NEURONPEDIA_DEFAULT_WORDS: readonly string[] = [' the', ' sea', ' was', ' calm', ' and', ' grey'];
/** Delay between frames, so a client can be seen streaming (and cancelled). */
export const NEURONPEDIA_FRAME_DELAY_MS = 5;

function words(n: number, steered: boolean): string[] {
  return NEURONPEDIA_DEFAULT_WORDS.slice(0, Math.max(0, n)).map((w) => (steered ? ` steered-${w.trim()}` : w));
}

function logprobs(tokens: string[]) {
  return tokens.map((token, i) => ({ token, logprob: -0.1 * (i + 1), top_logprobs: [{ token, logprob: -0.1 * (i + 1) }, { token: ' alt', logprob: -3 }] }));
}

function frame(steered: string[] | null, defaults: string[] | null, id: string | null) {
  return {
    STEERED: steered ? steered.join('') : null,
    DEFAULT: defaults ? defaults.join('') : null,
    // Neuronpedia's route maps the inference server's top_logprobs to topLogprobs.
    steeredLogProbs: steered ? logprobs(steered).map(({ top_logprobs, ...l }) => ({ ...l, topLogprobs: top_logprobs })) : null,
    defaultLogProbs: defaults ? logprobs(defaults).map(({ top_logprobs, ...l }) => ({ ...l, topLogprobs: top_logprobs })) : null,
    id,
    shareUrl: id ? `https://neuronpedia.example/steer/${id}` : null,
    limit: null,
  };
}

function json(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Answers a request under {@link NEURONPEDIA_PREFIX}; `signal` aborts when the client leaves. */
export async function handleNeuronpedia(req: IncomingMessage, res: ServerResponse, path: string, rawBody: Buffer, signal: AbortSignal): Promise<void> {
  if (!req.headers['x-api-key']) {
    json(res, 401, { message: 'Missing API key' });
    return;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(rawBody.toString('utf8')) as Record<string, unknown>;
  } catch {
    json(res, 400, { message: 'Invalid JSON' });
    return;
  }
  const route = path.slice(NEURONPEDIA_PREFIX.length);
  if (route === '/api/activation/new' && req.method === 'POST') {
    const text = String(body.customText ?? '');
    const tokens = text.split(/(?= )/).filter((t) => t !== '');
    // The feature fires on steered words, weakly elsewhere.
    const values = tokens.map((t) => (t.includes('steered-') ? 5 : 0.5));
    json(res, 200, { tokens, activations: { layer: String((body.feature as { source?: unknown })?.source ?? ''), index: 0, values, maxValue: Math.max(0, ...values), maxValueIndex: 0 } });
    return;
  }
  if (route !== '/api/steer' || req.method !== 'POST') {
    json(res, 404, { message: 'Not found' });
    return;
  }
  const n = typeof body.n_tokens === 'number' ? body.n_tokens : 0;
  const steered = words(n, true);
  const defaults = words(n, false);
  if (body.stream !== true) {
    json(res, 200, frame(steered, defaults, 'fake-steer-1'));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  const write = (payload: unknown) => new Promise<void>((resolve, reject) => res.write(`data: ${JSON.stringify(payload)}\n\n`, (e) => (e ? reject(e) : resolve())));
  try {
    for (let i = 1; i <= steered.length; i++) {
      await sleep(NEURONPEDIA_FRAME_DELAY_MS, undefined, { signal });
      await write(frame(steered.slice(0, i), null, null));
    }
    for (let i = 1; i <= defaults.length; i++) {
      await sleep(NEURONPEDIA_FRAME_DELAY_MS, undefined, { signal });
      await write(frame(steered, defaults.slice(0, i), null));
    }
    await write(frame(steered, defaults, 'fake-steer-1'));
    res.end();
  } catch {
    res.destroy();
  }
}
