/**
 * The steering producer's one coupling to the embedded `local:tiny` engine: the slice of its API
 * the producer uses, and the binding to the real engine. Tests hand the producer a fake
 * {@link SteerEngine} instead (dependency injection, no module mock).
 */
import {
  generateTiny,
  loadTinyFeatures,
  type TinyFeatureInfo,
  type TinyFinishReason,
  type TinyGenerateOptions,
  type TinyTokenEvent,
} from '../../local/tiny';

export type SteerEngineOptions = TinyGenerateOptions;
export type SteerEngineToken = TinyTokenEvent;
export type SteerFinishReason = TinyFinishReason;
export type SteerEngineFeature = TinyFeatureInfo;
export type SteerEngineSteering = NonNullable<TinyGenerateOptions['steering']>;

/** What the producer needs from a steerable model: `generateTiny` and `loadTinyFeatures`. */
export interface SteerEngine {
  generate(options: SteerEngineOptions): AsyncGenerator<SteerEngineToken, { finishReason: SteerFinishReason }>;
  loadFeatures(): Promise<SteerEngineFeature[]>;
}

/** The embedded engine: `local:tiny`'s worker pool and its SAE's feature labels. */
export const tinySteerEngine: SteerEngine = { generate: generateTiny, loadFeatures: loadTinyFeatures };
