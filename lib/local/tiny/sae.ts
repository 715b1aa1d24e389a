/**
 * The top-k SAE on the tiny model's residual stream (SAELens conventions) and the steering
 * interventions applied at its hook.
 */
import { requireTensor, type SafetensorsFile } from './safetensors.ts';

export interface SaeConfig {
  d_in: number;
  d_sae: number;
  k: number;
  hook_name: string;
  hook_layer: number;
  apply_b_dec_to_input?: boolean;
}

export interface TinyFeatureActivation {
  index: number;
  value: number;
}

export interface TinySteering {
  method: 'SIMPLE_ADDITIVE' | 'ORTHOGONAL_DECOMP';
  strengthMultiplier: number;
  features: { index: number; strength: number }[];
}

export interface Sae {
  config: SaeConfig;
  /** The k largest ReLU pre-activations (the others are zero), largest first. */
  encode(x: Float32Array): TinyFeatureActivation[];
  /** Changes the residual `x` in place as `steering` says. */
  steer(x: Float32Array, steering: TinySteering): void;
  decoderRow(index: number): Float32Array;
  /**
   * The activations' point on the SAE's fixed 2-D plane (sae/projection.safetensors: components ·
   * (activations − mean)), or null when the weights ship no plane.
   */
  project(activations: readonly TinyFeatureActivation[]): [number, number] | null;
}

/** Reads the plane's tensors (`mean [d_sae]`, `components [2, d_sae]`) from sae/projection.safetensors. */
function planeOf(file: SafetensorsFile | undefined, S: number) {
  if (!file) return null;
  const mean = requireTensor(file, 'mean', [S]);
  const components = requireTensor(file, 'components', [2, S]);
  // components · mean, taken away once per point rather than subtracting the mean from every entry.
  let c0 = 0;
  let c1 = 0;
  for (let j = 0; j < S; j++) {
    c0 += components[j]! * mean[j]!;
    c1 += components[S + j]! * mean[j]!;
  }
  return { components, offset: [c0, c1] as const };
}

export function createSae(config: SaeConfig, file: SafetensorsFile, projection?: SafetensorsFile): Sae {
  const { d_in: D, d_sae: S, k } = config;
  const W_enc = requireTensor(file, 'W_enc', [D, S]);
  const b_enc = requireTensor(file, 'b_enc', [S]);
  const W_dec = requireTensor(file, 'W_dec', [S, D]);
  const b_dec = requireTensor(file, 'b_dec', [D]);
  const applyBDec = config.apply_b_dec_to_input !== false;
  const plane = planeOf(projection, S);
  const pre = new Float64Array(S);
  const centred = new Float64Array(D);

  function decoderRow(index: number): Float32Array {
    if (!Number.isInteger(index) || index < 0 || index >= S) throw new RangeError(`SAE feature ${index} is outside 0..${S - 1}`);
    return W_dec.subarray(index * D, (index + 1) * D);
  }

  return {
    config,
    decoderRow,
    project(activations) {
      if (!plane) return null;
      // The activations are sparse (the top k): only their entries differ from zero.
      let x = -plane.offset[0];
      let y = -plane.offset[1];
      for (const a of activations) {
        x += plane.components[a.index]! * a.value;
        y += plane.components[S + a.index]! * a.value;
      }
      return [x, y];
    },
    encode(x) {
      for (let i = 0; i < D; i++) centred[i] = x[i]! - (applyBDec ? b_dec[i]! : 0);
      for (let j = 0; j < S; j++) pre[j] = b_enc[j]!;
      // (x - b_dec) @ W_enc with W_enc [d_in, d_sae]: walk its rows so the inner loop is contiguous.
      for (let i = 0; i < D; i++) {
        const xi = centred[i]!;
        if (xi === 0) continue;
        const row = i * S;
        for (let j = 0; j < S; j++) pre[j] = pre[j]! + xi * W_enc[row + j]!;
      }
      // Top k by a partial selection over the positive pre-activations.
      const top: TinyFeatureActivation[] = [];
      let floor = 0;
      for (let j = 0; j < S; j++) {
        const v = pre[j]!;
        if (v <= 0 || (top.length === k && v <= floor)) continue;
        let at = top.length;
        while (at > 0 && top[at - 1]!.value < v) at--;
        top.splice(at, 0, { index: j, value: v });
        if (top.length > k) top.pop();
        if (top.length === k) floor = top[k - 1]!.value;
      }
      return top;
    },
    steer(x, steering) {
      for (const feature of steering.features) {
        const row = decoderRow(feature.index);
        const coeff = steering.strengthMultiplier * feature.strength;
        if (steering.method === 'SIMPLE_ADDITIVE') {
          for (let i = 0; i < D; i++) x[i] = x[i]! + coeff * row[i]!;
          continue;
        }
        // ORTHOGONAL_DECOMP as Neuronpedia's inference server implements it
        // (hijohnnylin/neuronpedia, apps/inference/neuronpedia_inference/inference_utils/steering.py,
        // OrthogonalProjector.project, called from endpoints/steer/completion.py with
        // coeff = strength_multiplier * feature.strength): with P = v vᵀ / |v|², the residual
        // becomes (I - P) h + coeff · P h. The part of h along the feature's decoder direction is
        // scaled by coeff (0 removes it, 1 leaves h unchanged); the orthogonal rest is kept.
        let norm2 = 0;
        let dot = 0;
        for (let i = 0; i < D; i++) {
          norm2 += row[i]! * row[i]!;
          dot += x[i]! * row[i]!;
        }
        if (norm2 === 0) throw new RangeError(`SAE feature ${feature.index} has a zero decoder direction`);
        const along = (dot / norm2) * (coeff - 1);
        for (let i = 0; i < D; i++) x[i] = x[i]! + along * row[i]!;
      }
    },
  };
}
