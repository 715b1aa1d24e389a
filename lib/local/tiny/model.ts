/**
 * The tiny GPT-2-style model's forward pass (pre-LayerNorm, tied embeddings), one token at a time
 * over a KV cache, in Float32Array with plain loops. Weights are [out, in] rows (torch
 * nn.Linear), so each output is a dot product over one contiguous row.
 */
import { requireTensor, type SafetensorsFile } from './safetensors.ts';

export interface TinyConfig {
  vocab_size: number;
  n_layer: number;
  n_head: number;
  d_model: number;
  n_ctx: number;
  layer_norm_eps: number;
}

interface Layer {
  ln1w: Float32Array; ln1b: Float32Array;
  attnW: Float32Array; attnB: Float32Array;
  projW: Float32Array; projB: Float32Array;
  ln2w: Float32Array; ln2b: Float32Array;
  fcW: Float32Array; fcB: Float32Array;
  fcProjW: Float32Array; fcProjB: Float32Array;
}

export interface TinyModel {
  config: TinyConfig;
  createState(): KvState;
  /**
   * Feeds one token at the state's next position. `hook`, when given, sees (and may change in
   * place) the residual after block `hookLayer`. Returns the logits when `wantLogits`, else null.
   */
  step(state: KvState, id: number, options?: { hookLayer?: number; hook?: (x: Float32Array) => void; wantLogits?: boolean }): Float32Array | null;
}

export interface KvState {
  pos: number;
  keys: Float32Array[];
  values: Float32Array[];
  reset(): void;
}

/** y[o] = b[o] + W[o,:]·x for W stored [out, in]. */
function matvec(W: Float32Array, b: Float32Array | null, x: Float32Array, y: Float32Array, outDim: number, inDim: number): void {
  for (let o = 0; o < outDim; o++) {
    let acc = b ? b[o]! : 0;
    const row = o * inDim;
    let i = 0;
    for (; i + 3 < inDim; i += 4) {
      acc += W[row + i]! * x[i]! + W[row + i + 1]! * x[i + 1]! + W[row + i + 2]! * x[i + 2]! + W[row + i + 3]! * x[i + 3]!;
    }
    for (; i < inDim; i++) acc += W[row + i]! * x[i]!;
    y[o] = acc;
  }
}

function layerNorm(x: Float32Array, w: Float32Array, b: Float32Array, eps: number, out: Float32Array): void {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    variance += d * d;
  }
  variance /= n;
  const inv = 1 / Math.sqrt(variance + eps);
  for (let i = 0; i < n; i++) out[i] = (x[i]! - mean) * inv * w[i]! + b[i]!;
}

const GELU_C = Math.sqrt(2 / Math.PI);

export function createModel(config: TinyConfig, file: SafetensorsFile): TinyModel {
  const { vocab_size: V, n_layer: L, n_head: H, d_model: D, n_ctx: C, layer_norm_eps: eps } = config;
  const hd = D / H;
  const F = 4 * D;
  const wte = requireTensor(file, 'wte.weight', [V, D]);
  const wpe = requireTensor(file, 'wpe.weight', [C, D]);
  const layers: Layer[] = [];
  for (let l = 0; l < L; l++) {
    const t = (name: string, shape: number[]) => requireTensor(file, `h.${l}.${name}`, shape);
    layers.push({
      ln1w: t('ln_1.weight', [D]), ln1b: t('ln_1.bias', [D]),
      attnW: t('attn.c_attn.weight', [3 * D, D]), attnB: t('attn.c_attn.bias', [3 * D]),
      projW: t('attn.c_proj.weight', [D, D]), projB: t('attn.c_proj.bias', [D]),
      ln2w: t('ln_2.weight', [D]), ln2b: t('ln_2.bias', [D]),
      fcW: t('mlp.c_fc.weight', [F, D]), fcB: t('mlp.c_fc.bias', [F]),
      fcProjW: t('mlp.c_proj.weight', [D, F]), fcProjB: t('mlp.c_proj.bias', [D]),
    });
  }
  const lnfw = requireTensor(file, 'ln_f.weight', [D]);
  const lnfb = requireTensor(file, 'ln_f.bias', [D]);

  // Scratch buffers, reused by every step (a model instance serves one generation at a time).
  const x = new Float32Array(D);
  const h = new Float32Array(D);
  const qkv = new Float32Array(3 * D);
  const att = new Float32Array(D);
  const tmp = new Float32Array(D);
  const fc = new Float32Array(F);
  const scores = new Float64Array(C);
  const scale = 1 / Math.sqrt(hd);

  return {
    config,
    createState() {
      const state: KvState = {
        pos: 0,
        keys: Array.from({ length: L }, () => new Float32Array(C * D)),
        values: Array.from({ length: L }, () => new Float32Array(C * D)),
        reset() {
          state.pos = 0;
        },
      };
      return state;
    },
    step(state, id, options = {}) {
      const pos = state.pos;
      if (pos >= C) throw new Error(`tiny model: position ${pos} is past the context of ${C}`);
      if (id < 0 || id >= V) throw new Error(`tiny model: token id ${id} is outside the vocabulary`);
      for (let i = 0; i < D; i++) x[i] = wte[id * D + i]! + wpe[pos * D + i]!;
      for (let l = 0; l < L; l++) {
        const layer = layers[l]!;
        const K = state.keys[l]!;
        const Vc = state.values[l]!;
        layerNorm(x, layer.ln1w, layer.ln1b, eps, h);
        matvec(layer.attnW, layer.attnB, h, qkv, 3 * D, D);
        K.set(qkv.subarray(D, 2 * D), pos * D);
        Vc.set(qkv.subarray(2 * D, 3 * D), pos * D);
        for (let head = 0; head < H; head++) {
          const off = head * hd;
          let max = -Infinity;
          for (let t = 0; t <= pos; t++) {
            const kRow = t * D + off;
            let s = 0;
            for (let i = 0; i < hd; i++) s += qkv[off + i]! * K[kRow + i]!;
            s *= scale;
            scores[t] = s;
            if (s > max) max = s;
          }
          let sum = 0;
          for (let t = 0; t <= pos; t++) {
            const e = Math.exp(scores[t]! - max);
            scores[t] = e;
            sum += e;
          }
          for (let i = 0; i < hd; i++) att[off + i] = 0;
          for (let t = 0; t <= pos; t++) {
            const p = scores[t]! / sum;
            const vRow = t * D + off;
            for (let i = 0; i < hd; i++) att[off + i] = att[off + i]! + p * Vc[vRow + i]!;
          }
        }
        matvec(layer.projW, layer.projB, att, tmp, D, D);
        for (let i = 0; i < D; i++) x[i] = x[i]! + tmp[i]!;
        layerNorm(x, layer.ln2w, layer.ln2b, eps, h);
        matvec(layer.fcW, layer.fcB, h, fc, F, D);
        for (let i = 0; i < F; i++) {
          const v = fc[i]!;
          fc[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v)));
        }
        matvec(layer.fcProjW, layer.fcProjB, fc, tmp, D, F);
        for (let i = 0; i < D; i++) x[i] = x[i]! + tmp[i]!;
        if (options.hook && options.hookLayer === l) options.hook(x);
      }
      state.pos = pos + 1;
      if (!options.wantLogits) return null;
      layerNorm(x, lnfw, lnfb, eps, h);
      const logits = new Float32Array(V);
      matvec(wte, null, h, logits, V, D);
      return logits;
    },
  };
}
