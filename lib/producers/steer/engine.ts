/**
 * The steering producer's one coupling to the embedded `local:tiny` engine: the slice of its API
 * the producer uses (see the `local:tiny` contract, tiny-spec), and the binding to the real engine.
 * Tests hand the producer a fake {@link SteerEngine} instead (dependency injection, no module mock).
 */
import { generateTiny, loadTinyFeatures } from '../../local/tiny';

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

/** The embedded engine: `local:tiny`'s worker pool and its SAE's feature labels. */
export const tinySteerEngine: SteerEngine = { generate: generateTiny, loadFeatures: loadTinyFeatures };
