/**
 * The steering producer's one coupling to the embedded `local:tiny` engine: the slice of its API
 * the producer uses (see the `local:tiny` contract, tiny-spec), and the binding to the real engine.
 * Tests hand the producer a fake {@link SteerEngine} instead (dependency injection, no module mock).
 */
import { AppError } from '../../errors';

export interface SteerEngineFeatureActivation {
  index: number;
  value: number;
}

export interface SteerEngineToken {
  tokenIndex: number;
  id: number;
  text: string;
  logprob: number;
  topLogprobs: { token: string; logprob: number }[];
  features: SteerEngineFeatureActivation[];
}

export interface SteerEngineSteering {
  method: 'SIMPLE_ADDITIVE' | 'ORTHOGONAL_DECOMP';
  strengthMultiplier: number;
  features: { index: number; strength: number }[];
}

export interface SteerEngineOptions {
  prompt: string;
  maxTokens: number;
  temperature: number;
  seed: number;
  freqPenalty?: number;
  stopSequences?: string[];
  steering?: SteerEngineSteering;
  watchFeatures?: number[];
  signal?: AbortSignal;
}

export type SteerFinishReason = 'complete' | 'max_tokens' | 'stop_sequence';

export interface SteerEngineFeature {
  index: number;
  label: string;
  density: number;
  topTokens: string[];
  dead: boolean;
}

/** What the producer needs from a steerable model: `generateTiny` and `loadTinyFeatures`. */
export interface SteerEngine {
  generate(options: SteerEngineOptions): AsyncGenerator<SteerEngineToken, { finishReason: SteerFinishReason }>;
  loadFeatures(): Promise<SteerEngineFeature[]>;
}

function engineMissing(): AppError {
  return new AppError('provider:unavailable', 'The local:tiny engine is not part of this build.');
}

/**
 * The embedded engine. Binding point for `lib/local/tiny` (branch `tiny`): once it is merged,
 * this becomes `{ generate: generateTiny, loadFeatures: loadTinyFeatures }` imported from
 * '../../local/tiny'. Until then it fails with `provider:unavailable`, so the branch builds alone.
 */
export const tinySteerEngine: SteerEngine = {
  async *generate() {
    throw engineMissing();
  },
  async loadFeatures() {
    throw engineMissing();
  },
};
