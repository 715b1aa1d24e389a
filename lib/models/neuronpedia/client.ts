/**
 * A client for Neuronpedia's steering API, in the format of its webapp's routes
 * (hijohnnylin/neuronpedia, apps/webapp/app/api/steer/route.tsx and api/activation/new):
 *
 * - `POST /api/steer` with `{prompt, modelId, features: [{modelId, layer, index, strength}],
 *   temperature, n_tokens, freq_penalty, seed, strength_multiplier, steer_method, stream}`.
 *   The answer is `{STEERED, DEFAULT, steeredLogProbs, defaultLogProbs, id, shareUrl, limit}`;
 *   with `stream: true` it is SSE (`data: <that JSON>` frames), each frame carrying the whole text
 *   so far: the STEERED generation first, then the DEFAULT one, and a last frame repeating both
 *   with the saved id. {@link steerDeltas} turns frames into per-channel deltas.
 * - `POST /api/activation/new` with `{feature: {modelId, source, index}, customText}`: one
 *   feature's activation at each token, `{tokens, activations: {values, maxValue, ...}}`.
 *
 * The key travels in the `x-api-key` header.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { z } from 'zod';
import { AppError } from '../../errors';

export interface NeuronpediaClientOptions {
  baseUrl: string;
  apiKey?: string;
  fetch?: typeof globalThis.fetch;
}

export interface NeuronpediaSteerRequest {
  prompt: string;
  modelId: string;
  /** The SAE id (Neuronpedia's `layer`, e.g. `6-res-jb`). */
  source: string;
  features: { index: number; strength: number }[];
  temperature: number;
  nTokens: number;
  freqPenalty: number;
  seed: number;
  strengthMultiplier: number;
  method: 'SIMPLE_ADDITIVE' | 'ORTHOGONAL_DECOMP';
}

const logprobSchema = z.object({
  token: z.string(),
  logprob: z.number(),
  topLogprobs: z.array(z.object({ token: z.string(), logprob: z.number() })).nullish(),
});

/** One `/api/steer` answer (or SSE frame). */
export const steerFrameSchema = z.object({
  STEERED: z.string().nullable(),
  DEFAULT: z.string().nullable(),
  steeredLogProbs: z.array(logprobSchema).nullish(),
  defaultLogProbs: z.array(logprobSchema).nullish(),
  id: z.string().nullish(),
  shareUrl: z.string().nullish(),
});

export type SteerFrame = z.infer<typeof steerFrameSchema>;
export type NeuronpediaLogprob = z.infer<typeof logprobSchema>;

export const activationResultSchema = z.object({
  tokens: z.array(z.string()),
  activations: z.object({ values: z.array(z.number()), maxValue: z.number().optional() }),
});

export type NeuronpediaActivation = z.infer<typeof activationResultSchema>;

function requestBody(request: NeuronpediaSteerRequest, stream: boolean) {
  return {
    prompt: request.prompt,
    modelId: request.modelId,
    features: request.features.map((f) => ({ modelId: request.modelId, layer: request.source, index: f.index, strength: f.strength })),
    temperature: request.temperature,
    n_tokens: request.nTokens,
    freq_penalty: request.freqPenalty,
    seed: request.seed,
    strength_multiplier: request.strengthMultiplier,
    steer_method: request.method,
    stream,
  };
}

async function failureOf(response: Response): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let message = text.slice(0, 300);
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: keep the text
  }
  const detail = `Neuronpedia answered ${response.status}${message ? `: ${message}` : ''}`;
  if (response.status === 401 || response.status === 403) return new AppError('provider:auth', detail);
  if (response.status === 429) return new AppError('provider:rate_limited', detail);
  if (response.status >= 500) return new AppError('provider:unavailable', detail);
  return new AppError('provider:error', detail);
}

function parseFrame(data: string): SteerFrame {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new AppError('provider:bad_response', 'Neuronpedia sent a steering frame that is not JSON.');
  }
  const parsed = steerFrameSchema.safeParse(json);
  if (!parsed.success) throw new AppError('provider:bad_response', 'Neuronpedia sent a steering frame of an unknown shape.');
  return parsed.data;
}

/** Creates a client; `fetch` is injectable for tests, the base URL points it at any server speaking the format. */
export function createNeuronpediaClient(options: NeuronpediaClientOptions) {
  const doFetch = options.fetch ?? globalThis.fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}) };

  async function post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new AppError('provider:unavailable', `Neuronpedia could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw await failureOf(response);
    return response;
  }

  return {
    /** Streams `/api/steer`: yields each frame (whole texts so far) as it arrives. */
    async *steerStream(request: NeuronpediaSteerRequest, signal?: AbortSignal): AsyncGenerator<SteerFrame> {
      const response = await post('/api/steer', requestBody(request, true), signal);
      if (!response.body) throw new AppError('provider:bad_response', 'Neuronpedia sent no body.');
      const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
      try {
        while (true) {
          const { done, value } = await reader.read();
          if (done) return;
          yield parseFrame(value.data);
        }
      } finally {
        await reader.cancel().catch(() => undefined);
      }
    },

    /** `/api/steer` without streaming: both texts whole. */
    async steer(request: NeuronpediaSteerRequest, signal?: AbortSignal): Promise<SteerFrame> {
      const response = await post('/api/steer', requestBody(request, false), signal);
      return parseFrame(await response.text());
    },

    /** One feature's activation at each token of `text`. */
    async activation(input: { modelId: string; source: string; index: number; text: string }, signal?: AbortSignal): Promise<NeuronpediaActivation> {
      const response = await post(
        '/api/activation/new',
        { feature: { modelId: input.modelId, source: input.source, index: String(input.index) }, customText: input.text },
        signal,
      );
      const parsed = activationResultSchema.safeParse(await response.json().catch(() => null));
      if (!parsed.success) throw new AppError('provider:bad_response', 'Neuronpedia sent activations of an unknown shape.');
      return parsed.data;
    },
  };
}

export type NeuronpediaClient = ReturnType<typeof createNeuronpediaClient>;

export type SteerChannelName = 'default' | 'steered';

/** A piece of one channel's text that a frame added, with the logprobs of the tokens it completed. */
export interface SteerDelta {
  channel: SteerChannelName;
  text: string;
  /** Logprobs the frame added for this channel (Neuronpedia reports them per token). */
  logprobs: NeuronpediaLogprob[];
}

/**
 * Turns frames that each carry the whole text so far into deltas. A frame whose text does not
 * extend the previous one (a provider that rewrote its output) is a bad response: deltas cannot
 * take text back.
 */
export async function* steerDeltas(frames: AsyncIterable<SteerFrame>): AsyncGenerator<SteerDelta> {
  const seen: Record<SteerChannelName, { text: string; logprobs: number }> = {
    steered: { text: '', logprobs: 0 },
    default: { text: '', logprobs: 0 },
  };
  for await (const frame of frames) {
    const channels: [SteerChannelName, string | null, NeuronpediaLogprob[] | null | undefined][] = [
      ['steered', frame.STEERED, frame.steeredLogProbs],
      ['default', frame.DEFAULT, frame.defaultLogProbs],
    ];
    for (const [channel, text, logprobs] of channels) {
      if (text === null) continue;
      const previous = seen[channel];
      if (!text.startsWith(previous.text)) {
        throw new AppError('provider:bad_response', `Neuronpedia's ${channel} text did not extend the text it sent before.`);
      }
      const delta = text.slice(previous.text.length);
      const added = logprobs ? logprobs.slice(previous.logprobs) : [];
      if (delta === '' && added.length === 0) continue;
      seen[channel] = { text, logprobs: logprobs ? logprobs.length : previous.logprobs };
      yield { channel, text: delta, logprobs: added };
    }
  }
}
