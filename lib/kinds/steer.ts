/**
 * The `steer` run kind, declared once: its input (Neuronpedia's `/api/steer` field meanings),
 * its part of the reducer (gen.* envelopes on the `default` and `steered` channels folded into
 * one state per channel) and its view (what the /steer page and blocking answers show).
 * Isomorphic: the server's producer, the run store and the page all read it.
 */
import { z } from 'zod';
import { STEER_CHANNELS, type EventEnvelope, type Payload, type SteerChannel } from '../protocol/envelope';

// ---------------------------------------------------------------------------------------------
// Input.

/** Neuronpedia's steering methods; SIMPLE_ADDITIVE is its default. */
export const STEER_METHODS = ['SIMPLE_ADDITIVE', 'ORTHOGONAL_DECOMP'] as const;
export type SteerMethod = (typeof STEER_METHODS)[number];

export const STEER_LIMITS = {
  promptChars: 2_000,
  maxTokens: 256,
  temperatureMax: 2,
  seedAbs: 100_000_000,
  freqPenaltyAbs: 2,
  strengthMultiplierMax: 100,
  strengthAbs: 1_000,
  features: 8,
} as const;

export const steerFeatureSchema = z.object({
  index: z.number().int().nonnegative(),
  /** Added along the feature's decoder direction (times `strengthMultiplier`); negative steers away. */
  strength: z.number().min(-STEER_LIMITS.strengthAbs).max(STEER_LIMITS.strengthAbs),
});

export const steerInputSchema = z.object({
  prompt: z.string().min(1, 'Write a prompt.').max(STEER_LIMITS.promptChars, `Keep the prompt under ${STEER_LIMITS.promptChars} characters.`),
  /** `local:tiny` (embedded) or `neuronpedia:<modelId>` (Neuronpedia's hosted models). */
  model: z.string().trim().max(200).regex(/^(local:tiny|neuronpedia:[^\s:/][^\s]*)$/, 'Steer local:tiny or a neuronpedia:<modelId> model.'),
  /** Neuronpedia's SAE id (its `layer`, e.g. `6-res-jb`); only read for `neuronpedia:` models. */
  source: z.string().min(1).max(100).optional(),
  maxTokens: z.number().int().min(1).max(STEER_LIMITS.maxTokens),
  temperature: z.number().min(0).max(STEER_LIMITS.temperatureMax),
  seed: z.number().int().min(-STEER_LIMITS.seedAbs).max(STEER_LIMITS.seedAbs),
  freqPenalty: z.number().min(-STEER_LIMITS.freqPenaltyAbs).max(STEER_LIMITS.freqPenaltyAbs).optional(),
  strengthMultiplier: z.number().min(0).max(STEER_LIMITS.strengthMultiplierMax).optional(),
  method: z.enum(STEER_METHODS),
  features: z.array(steerFeatureSchema).max(STEER_LIMITS.features, `Steer at most ${STEER_LIMITS.features} features at once.`),
});

export type SteerInput = z.infer<typeof steerInputSchema>;

export function isSteerChannel(channel: string | undefined): channel is SteerChannel {
  return channel === 'default' || channel === 'steered';
}

// ---------------------------------------------------------------------------------------------
// Reducer part.

export interface SteerToken {
  text: string;
  logprob?: number;
  topLogprobs?: { token: string; logprob: number }[];
}

export type SteerActivation = Omit<Payload<'gen.activation'>, 'channel'>;

/** One channel's generation as the reducer accumulates it (arrays appended in place). */
export interface SteerChannelState {
  tokens: SteerToken[];
  activations: SteerActivation[];
  finishReason?: string;
}

export type SteerState = Record<SteerChannel, SteerChannelState>;

export function createSteerState(): SteerState {
  return { default: { tokens: [], activations: [] }, steered: { tokens: [], activations: [] } };
}

/**
 * Applies a `gen.*` envelope of the `default` or `steered` channel to `state` in place.
 * Returns false for any other envelope (the caller's other parts handle it).
 */
export function applySteerEnvelope(state: SteerState, envelope: EventEnvelope): boolean {
  switch (envelope.type) {
    case 'gen.token': {
      const { channel, token, logprob, topLogprobs } = envelope.data;
      if (!isSteerChannel(channel)) return false;
      state[channel].tokens.push({ text: token, ...(logprob !== undefined ? { logprob } : {}), ...(topLogprobs ? { topLogprobs } : {}) });
      return true;
    }
    case 'gen.activation': {
      const { channel, tokenIndex, features } = envelope.data;
      if (!isSteerChannel(channel)) return false;
      state[channel].activations.push({ tokenIndex, features });
      return true;
    }
    case 'gen.done': {
      const { channel, finishReason } = envelope.data;
      if (!isSteerChannel(channel)) return false;
      state[channel].finishReason = finishReason;
      return true;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// View.

export interface SteerChannelView {
  text: string;
  tokens: SteerToken[];
  activations: SteerActivation[];
  finishReason?: string;
}

export type SteerView = Record<SteerChannel, SteerChannelView>;

/** A copy with new identities (for React stores) and the text joined: what pages and saved results show. */
export function steerViewOf(state: SteerState): SteerView {
  const view = {} as SteerView;
  for (const channel of STEER_CHANNELS) {
    const { tokens, activations, finishReason } = state[channel];
    view[channel] = {
      text: tokens.map((t) => t.text).join(''),
      tokens: [...tokens],
      activations: [...activations],
      ...(finishReason !== undefined ? { finishReason } : {}),
    };
  }
  return view;
}

/** The activation of `featureIndex` at each token of a channel (0 where it was not among the reported features). */
export function featureSeries(channel: SteerChannelView, featureIndex: number): number[] {
  const series = new Array<number>(channel.tokens.length).fill(0);
  for (const activation of channel.activations) {
    if (activation.tokenIndex >= series.length) continue;
    const feature = activation.features.find((f) => f.index === featureIndex);
    if (feature) series[activation.tokenIndex] = feature.value;
  }
  return series;
}
