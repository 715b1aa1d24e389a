/**
 * The `steer` run kind, declared once: its input (Neuronpedia's `/api/steer` field meanings),
 * its part of the reducer (gen.* envelopes on the `default` and `steered` channels folded into
 * one state per channel) and its view (what the /steer page and blocking answers show).
 * Isomorphic: the server's producer, the run store and the page all read it.
 */
import { z } from 'zod';
import { paceSchema } from './fields';
import { STEER_CHANNELS, type EventEnvelope, type Payload, type SteerChannel } from '../protocol/envelope';
import { defineKind, type AnyEnvelope } from './types';

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
  /** local:tiny's pace, tokens per second per channel (0 or absent: as fast as it generates), to watch a generation unfold. */
  tokensPerSecond: paceSchema.optional(),
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
      const { channel, tokenIndex, features, xy } = envelope.data;
      if (!isSteerChannel(channel)) return false;
      state[channel].activations.push({ tokenIndex, features, ...(xy ? { xy } : {}) });
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

/** A token's position on the 2-D trajectory plane. */
export interface TrajectoryPoint {
  channel: SteerChannel;
  tokenIndex: number;
  x: number;
  y: number;
}

/**
 * Each token's point on a 2-D plane, both channels. Where the model sent one (`xy`: local:tiny
 * projects the token's whole activation vector on its SAE's fixed PCA plane), that point: a token
 * never moves as later tokens arrive. Otherwise (a provider with no plane, such as Neuronpedia),
 * {@link seenPlaneTrajectory}.
 */
export function trajectoryOf(view: SteerView): TrajectoryPoint[] {
  const all = STEER_CHANNELS.flatMap((channel) => view[channel].activations.map((activation) => ({ channel, activation })));
  if (all.length > 0 && all.every(({ activation }) => activation.xy)) {
    return all.map(({ channel, activation }) => ({ channel, tokenIndex: activation.tokenIndex, x: activation.xy![0]!, y: activation.xy![1]! }));
  }
  return seenPlaneTrajectory(view);
}

/**
 * Projects each token's reported activations (both channels) on the plane of the first two
 * principal components of all the activations seen so far (power iteration with deflation over
 * the features that appeared). Deterministic: the start vector is fixed and signs are normalised
 * so the largest loading is positive. With fewer than two features seen, y is 0. The plane moves
 * as tokens arrive: the fallback when the model sends no fixed-plane points.
 */
export function seenPlaneTrajectory(view: SteerView): TrajectoryPoint[] {
  const dims = new Map<number, number>();
  const rows: { channel: SteerChannel; tokenIndex: number; values: Map<number, number> }[] = [];
  for (const channel of STEER_CHANNELS) {
    for (const activation of view[channel].activations) {
      const values = new Map<number, number>();
      for (const f of activation.features) {
        if (!dims.has(f.index)) dims.set(f.index, dims.size);
        values.set(dims.get(f.index)!, f.value);
      }
      rows.push({ channel, tokenIndex: activation.tokenIndex, values });
    }
  }
  const d = dims.size;
  if (rows.length === 0 || d === 0) return [];
  const matrix = rows.map((r) => {
    const v = new Float64Array(d);
    for (const [i, value] of r.values) v[i] = value;
    return v;
  });
  const mean = new Float64Array(d);
  for (const v of matrix) for (let i = 0; i < d; i++) mean[i]! += v[i]! / matrix.length;
  for (const v of matrix) for (let i = 0; i < d; i++) v[i]! -= mean[i]!;

  const components: Float64Array[] = [];
  for (let c = 0; c < Math.min(2, d); c++) {
    let u: Float64Array = new Float64Array(d).map((_, i) => 1 / Math.sqrt(d) + i * 1e-3);
    for (let iteration = 0; iteration < 50; iteration++) {
      const next = new Float64Array(d);
      for (const v of matrix) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += v[i]! * u[i]!;
        for (let i = 0; i < d; i++) next[i]! += dot * v[i]!;
      }
      for (const previous of components) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += next[i]! * previous[i]!;
        for (let i = 0; i < d; i++) next[i]! -= dot * previous[i]!;
      }
      const norm = Math.hypot(...next);
      if (norm === 0) break;
      u = next.map((x) => x / norm);
    }
    let largest = 0;
    for (let i = 0; i < d; i++) if (Math.abs(u[i]!) > Math.abs(largest)) largest = u[i]!;
    if (largest < 0) u = u.map((x) => -x);
    components.push(u);
  }
  return rows.map((r, k) => {
    const v = matrix[k]!;
    const project = (u: Float64Array | undefined) => (u ? v.reduce((sum, x, i) => sum + x * u[i]!, 0) : 0);
    return { channel: r.channel, tokenIndex: r.tokenIndex, x: project(components[0]), y: project(components[1]) };
  });
}

// ---------------------------------------------------------------------------------------------
// The kind.

/** A `gen.*` envelope of one of steering's channels (the core reducer folds it too, by channel). */
function isSteerEnvelope(envelope: AnyEnvelope): boolean {
  const channel = (envelope.data as { channel?: string } | null)?.channel;
  return envelope.type.startsWith('gen.') && isSteerChannel(channel);
}

export const steerKind = defineKind({
  input: steerInputSchema,
  // A shared steer opens on /steer with its settings and its default and steered text.
  sharedPage: (token: string) => `/steer?share=${encodeURIComponent(token)}`,
  part: {
    prefix: 'gen.',
    accepts: isSteerEnvelope,
    tokenType: 'gen.token',
    create: createSteerState,
    tokenCount: (state: SteerState) => state.default.tokens.length + state.steered.tokens.length,
    apply: (state: SteerState, envelope: EventEnvelope) => void applySteerEnvelope(state, envelope),
    summarize: steerViewOf,
    view: {
      // Each batch a new view (one per animation frame), as the panes and chart redraw per batch.
      tracker: () => ({ update: (_previous: SteerView | null, state: SteerState) => steerViewOf(state) }),
      ofState: (state: SteerState) => steerViewOf(state),
    },
  },
});
