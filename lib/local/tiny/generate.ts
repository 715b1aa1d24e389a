/**
 * The generation loop (synchronous; it runs inside a pool worker): encode the prompt after an
 * `<|endoftext|>` (the document separator the model was trained with), prefill the KV cache,
 * then sample token by token. Steering, when given, changes the residual at the SAE's hook at
 * every position, prompt included; the features reported for a token are the SAE's top
 * activations at that token's own position, read after steering.
 *
 * Context overflow: when the cache is full, the engine keeps the last half of the window and
 * recomputes the cache over it (one recompute every n_ctx/2 tokens).
 */
import type { TinyEngine } from './engine.ts';
import type { TinyFeatureActivation, TinySteering } from './sae.ts';
import { createSampler } from './sampler.ts';

export type { TinyFeatureActivation, TinySteering } from './sae.ts';

export interface TinyTokenEvent {
  /** 0-based index in the generated text. */
  tokenIndex: number;
  id: number;
  /** The decoded delta ('' while a UTF-8 sequence is incomplete or text may start a stop sequence). */
  text: string;
  /** Natural log-probability of the chosen token under the temperature-1, penalised distribution. */
  logprob: number;
  topLogprobs: { token: string; logprob: number }[];
  /** Top 8 SAE activations at this token's position, then any watched features not among them. */
  features: TinyFeatureActivation[];
  /** All k activations' point on the SAE's fixed plane, when the weights ship one. */
  xy?: [number, number];
}

export interface TinyGenerateOptions {
  prompt: string;
  maxTokens: number;
  temperature: number;
  seed: number;
  freqPenalty?: number;
  stopSequences?: string[];
  steering?: TinySteering;
  watchFeatures?: number[];
  signal?: AbortSignal;
}

export type TinyFinishReason = 'complete' | 'max_tokens' | 'stop_sequence';

export const TOP_FEATURES = 8;

/** How much of the end of `text` could still become one of `stops`. */
function heldBackLength(text: string, stops: string[]): number {
  let held = 0;
  for (const stop of stops) {
    for (let n = Math.min(stop.length - 1, text.length); n > held; n--) {
      if (text.endsWith(stop.slice(0, n))) {
        held = n;
        break;
      }
    }
  }
  return held;
}

/**
 * Generates from `options.prompt`. `shouldStop` is polled before each token (the pool's
 * cancellation flag); when it answers true the generator returns early.
 */
export function* generateSync(
  engine: TinyEngine,
  options: Omit<TinyGenerateOptions, 'signal'>,
  shouldStop: () => boolean = () => false,
): Generator<TinyTokenEvent, { finishReason: TinyFinishReason | 'cancelled' }> {
  const { model, tokenizer, sae } = engine;
  const nCtx = model.config.n_ctx;
  const hookLayer = sae.config.hook_layer;
  const steering = options.steering && options.steering.features.length > 0 ? options.steering : undefined;
  const watch = options.watchFeatures ?? [];
  const stops = (options.stopSequences ?? []).filter((s) => s.length > 0);
  const sampler = createSampler({ seed: options.seed, temperature: options.temperature, freqPenalty: options.freqPenalty });
  const counts = new Uint32Array(model.config.vocab_size);
  const state = model.createState();

  // The residual at the hook for the latest position, copied out (later blocks go on changing the model's own buffer).
  const atHook = new Float32Array(model.config.d_model);
  const hook = (x: Float32Array) => {
    if (steering) sae.steer(x, steering);
    atHook.set(x);
  };
  const feed = (ids: number[], wantLogits: boolean) => model.forward(state, ids, { hookLayer, hook, wantLogits });

  let context = [tokenizer.eot, ...tokenizer.encode(options.prompt)];
  if (context.length > nCtx - 1) context = context.slice(context.length - (nCtx - 1));
  let logits = feed(context, true);

  const decoder = tokenizer.createStreamDecoder();
  let full = '';
  let emitted = 0;
  const textOf = new TextDecoder();
  const tokenText = (id: number) => textOf.decode(tokenizer.tokenBytes(id));

  for (let index = 0; index < options.maxTokens; index++) {
    if (shouldStop()) return { finishReason: 'cancelled' };
    const choice = sampler.sample(logits!, counts);
    const last = index === options.maxTokens - 1;
    if (choice.id === tokenizer.eot) {
      // Text held back (an incomplete UTF-8 sequence, the start of a stop sequence) leaves with the end of text.
      full += decoder.flush();
      if (full.length > emitted) {
        yield { tokenIndex: index, id: choice.id, text: full.slice(emitted), logprob: choice.logprob, topLogprobs: choice.top.map((t) => ({ token: tokenText(t.id), logprob: t.logprob })), features: [] };
      }
      return { finishReason: 'complete' };
    }
    counts[choice.id] = counts[choice.id]! + 1;
    context.push(choice.id);
    if (state.pos >= nCtx) {
      context = context.slice(context.length - Math.floor(nCtx / 2));
      state.reset();
      logits = feed(context, !last);
    } else {
      logits = feed([choice.id], !last);
    }
    const acts = sae.encode(atHook);
    const xy = sae.project(acts);
    const features = acts.slice(0, TOP_FEATURES);
    for (const w of watch) {
      if (features.some((f) => f.index === w)) continue;
      features.push({ index: w, value: acts.find((a) => a.index === w)?.value ?? 0 });
    }

    full += decoder.push(choice.id);
    if (last) full += decoder.flush();
    let finish: TinyFinishReason | null = null;
    let end = full.length;
    let stopAt = -1;
    for (const stop of stops) {
      const at = full.indexOf(stop, Math.max(0, emitted - stop.length + 1));
      if (at >= 0 && (stopAt < 0 || at < stopAt)) stopAt = at;
    }
    if (stopAt >= 0) {
      end = Math.max(emitted, stopAt);
      finish = 'stop_sequence';
    } else if (!last) {
      end = full.length - heldBackLength(full, stops);
    }
    const text = full.slice(emitted, end);
    emitted = Math.max(emitted, end);
    yield {
      tokenIndex: index,
      id: choice.id,
      text,
      logprob: choice.logprob,
      topLogprobs: choice.top.map((t) => ({ token: tokenText(t.id), logprob: t.logprob })),
      features,
      ...(xy ? { xy } : {}),
    };
    if (finish) return { finishReason: finish };
  }
  return { finishReason: 'max_tokens' };
}
