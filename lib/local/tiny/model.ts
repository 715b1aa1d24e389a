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
   * Feeds tokens at the state's next positions (a prompt in one batch, or one generated token).
   * `hook`, when given, sees (and may change in place) each position's residual after block
   * `hookLayer`, in order. Returns the last position's logits when `wantLogits`, else null.
   */
  forward(state: KvState, ids: ArrayLike<number>, options?: ForwardOptions): Float32Array | null;
  /** forward() for one token. */
  step(state: KvState, id: number, options?: ForwardOptions): Float32Array | null;
}

export interface ForwardOptions {
  hookLayer?: number;
  hook?: (x: Float32Array) => void;
  wantLogits?: boolean;
}

export interface KvState {
  pos: number;
  keys: Float32Array[];
  values: Float32Array[];
  reset(): void;
}

/**
 * Y[t, o] = b[o] + W[o, :]·X[t, :] for T rows, W stored [out, in]. Four weight rows at a time
 * share each load of X (fewer loads per multiply-add), and those rows are reused across the T
 * rows of X while they sit in cache.
 */
function matmul(W: Float32Array, b: Float32Array | null, X: Float32Array, Y: Float32Array, T: number, outDim: number, inDim: number): void {
  let o = 0;
  for (; o + 3 < outDim; o += 4) {
    const r0 = o * inDim;
    const r1 = r0 + inDim;
    const r2 = r1 + inDim;
    const r3 = r2 + inDim;
    const b0 = b ? b[o]! : 0;
    const b1 = b ? b[o + 1]! : 0;
    const b2 = b ? b[o + 2]! : 0;
    const b3 = b ? b[o + 3]! : 0;
    for (let t = 0; t < T; t++) {
      const xr = t * inDim;
      let a0 = b0;
      let a1 = b1;
      let a2 = b2;
      let a3 = b3;
      for (let i = 0; i < inDim; i++) {
        const xi = X[xr + i]!;
        a0 += W[r0 + i]! * xi;
        a1 += W[r1 + i]! * xi;
        a2 += W[r2 + i]! * xi;
        a3 += W[r3 + i]! * xi;
      }
      const y = t * outDim + o;
      Y[y] = a0;
      Y[y + 1] = a1;
      Y[y + 2] = a2;
      Y[y + 3] = a3;
    }
  }
  for (; o < outDim; o++) {
    const row = o * inDim;
    for (let t = 0; t < T; t++) {
      const xr = t * inDim;
      let acc = b ? b[o]! : 0;
      for (let i = 0; i < inDim; i++) acc += W[row + i]! * X[xr + i]!;
      Y[t * outDim + o] = acc;
    }
  }
}

/** LayerNorm of the row of x at `offset` (length n) into out at the same offset. */
function layerNorm(x: Float32Array, w: Float32Array, b: Float32Array, eps: number, out: Float32Array, offset = 0, n = w.length): void {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[offset + i]!;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) {
    const d = x[offset + i]! - mean;
    variance += d * d;
  }
  variance /= n;
  const inv = 1 / Math.sqrt(variance + eps);
  for (let i = 0; i < n; i++) out[offset + i] = (x[offset + i]! - mean) * inv * w[i]! + b[i]!;
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

  // Scratch buffers for up to n_ctx rows, reused by every call (a model instance serves one generation at a time).
  const X = new Float32Array(C * D);
  const Hn = new Float32Array(C * D);
  const QKV = new Float32Array(C * 3 * D);
  const ATT = new Float32Array(C * D);
  const TMP = new Float32Array(C * D);
  const FC = new Float32Array(C * F);
  const scores = new Float64Array(C);
  const scale = 1 / Math.sqrt(hd);

  function forward(state: KvState, ids: ArrayLike<number>, options: ForwardOptions = {}): Float32Array | null {
    const T = ids.length;
    const pos0 = state.pos;
    if (T === 0) throw new Error('tiny model: nothing to feed');
    if (pos0 + T > C) throw new Error(`tiny model: positions up to ${pos0 + T - 1} are past the context of ${C}`);
    for (let t = 0; t < T; t++) {
      const id = ids[t]!;
      if (!Number.isInteger(id) || id < 0 || id >= V) throw new Error(`tiny model: token id ${id} is outside the vocabulary`);
      const p = pos0 + t;
      for (let i = 0; i < D; i++) X[t * D + i] = wte[id * D + i]! + wpe[p * D + i]!;
    }
    for (let l = 0; l < L; l++) {
      const layer = layers[l]!;
      const K = state.keys[l]!;
      const Vc = state.values[l]!;
      for (let t = 0; t < T; t++) layerNorm(X, layer.ln1w, layer.ln1b, eps, Hn, t * D, D);
      matmul(layer.attnW, layer.attnB, Hn, QKV, T, 3 * D, D);
      for (let t = 0; t < T; t++) {
        const q = t * 3 * D;
        K.set(QKV.subarray(q + D, q + 2 * D), (pos0 + t) * D);
        Vc.set(QKV.subarray(q + 2 * D, q + 3 * D), (pos0 + t) * D);
      }
      for (let t = 0; t < T; t++) {
        const pos = pos0 + t;
        const q = t * 3 * D;
        const a = t * D;
        for (let head = 0; head < H; head++) {
          const off = head * hd;
          let max = -Infinity;
          for (let u = 0; u <= pos; u++) {
            const kRow = u * D + off;
            let s = 0;
            for (let i = 0; i < hd; i++) s += QKV[q + off + i]! * K[kRow + i]!;
            s *= scale;
            scores[u] = s;
            if (s > max) max = s;
          }
          let sum = 0;
          for (let u = 0; u <= pos; u++) {
            const e = Math.exp(scores[u]! - max);
            scores[u] = e;
            sum += e;
          }
          for (let i = 0; i < hd; i++) ATT[a + off + i] = 0;
          for (let u = 0; u <= pos; u++) {
            const p = scores[u]! / sum;
            const vRow = u * D + off;
            for (let i = 0; i < hd; i++) ATT[a + off + i] = ATT[a + off + i]! + p * Vc[vRow + i]!;
          }
        }
      }
      matmul(layer.projW, layer.projB, ATT, TMP, T, D, D);
      for (let i = 0; i < T * D; i++) X[i] = X[i]! + TMP[i]!;
      for (let t = 0; t < T; t++) layerNorm(X, layer.ln2w, layer.ln2b, eps, Hn, t * D, D);
      matmul(layer.fcW, layer.fcB, Hn, FC, T, F, D);
      for (let i = 0; i < T * F; i++) {
        const v = FC[i]!;
        FC[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v)));
      }
      matmul(layer.fcProjW, layer.fcProjB, FC, TMP, T, D, F);
      for (let i = 0; i < T * D; i++) X[i] = X[i]! + TMP[i]!;
      if (options.hook && options.hookLayer === l) for (let t = 0; t < T; t++) options.hook(X.subarray(t * D, (t + 1) * D));
    }
    state.pos = pos0 + T;
    if (!options.wantLogits) return null;
    const lastRow = (T - 1) * D;
    layerNorm(X, lnfw, lnfb, eps, Hn, lastRow, D);
    const logits = new Float32Array(V);
    matmul(wte, null, Hn.subarray(lastRow, lastRow + D), logits, 1, V, D);
    return logits;
  }

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
    forward,
    step: (state, id, options) => forward(state, [id], options),
  };
}
