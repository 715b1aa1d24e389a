/**
 * Writes a random-weight `local:tiny` folder (same layout and names as the trained one, smaller
 * sizes allowed) for tests that need an engine but not a trained model.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../sampler.ts';
import { serializeSafetensors, type Tensor } from '../safetensors.ts';

export const TEST_PATTERN = "( ?[A-Za-z]+| ?[0-9]{1,3}| ?[^ \\t\\n\\r\\x0b\\x0cA-Za-z0-9]+|[ \\t\\n\\r\\x0b\\x0c]+(?![^ \\t\\n\\r\\x0b\\x0c])|[ \\t\\n\\r\\x0b\\x0c]+)";

export interface RandomTinyOptions {
  seed?: number;
  dModel?: number;
  nLayer?: number;
  nHead?: number;
  nCtx?: number;
  dSae?: number;
  k?: number;
  merges?: [number, number][];
  /** Whether to write sae/projection.safetensors (a random plane); default true. */
  projection?: boolean;
}

/** Creates the folder in the OS temp dir and returns its path. */
export function writeRandomTiny(options: RandomTinyOptions = {}): string {
  const random = mulberry32(options.seed ?? 1);
  const D = options.dModel ?? 32;
  const L = options.nLayer ?? 3;
  const H = options.nHead ?? 4;
  const C = options.nCtx ?? 32;
  const S = options.dSae ?? 64;
  const k = options.k ?? 8;
  const merges = options.merges ?? [[32, 116], [104, 101], [256, 257], [116, 104], [101, 32]];
  const eot = 256 + merges.length;
  const vocab = eot + 1;
  const normal = (n: number, scale: number) => {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = (random() * 2 - 1) * scale * 1.7;
    return data;
  };
  const t = (shape: number[], scale = 0.2): Tensor => ({ shape, data: normal(shape.reduce((a, b) => a * b, 1), scale) });
  const ones = (n: number): Tensor => ({ shape: [n], data: new Float32Array(n).fill(1) });
  const tensors: Record<string, Tensor> = { 'wte.weight': t([vocab, D], 0.5), 'wpe.weight': t([C, D], 0.1) };
  for (let l = 0; l < L; l++) {
    Object.assign(tensors, {
      [`h.${l}.ln_1.weight`]: ones(D), [`h.${l}.ln_1.bias`]: t([D], 0.02),
      [`h.${l}.attn.c_attn.weight`]: t([3 * D, D]), [`h.${l}.attn.c_attn.bias`]: t([3 * D], 0.02),
      [`h.${l}.attn.c_proj.weight`]: t([D, D]), [`h.${l}.attn.c_proj.bias`]: t([D], 0.02),
      [`h.${l}.ln_2.weight`]: ones(D), [`h.${l}.ln_2.bias`]: t([D], 0.02),
      [`h.${l}.mlp.c_fc.weight`]: t([4 * D, D]), [`h.${l}.mlp.c_fc.bias`]: t([4 * D], 0.02),
      [`h.${l}.mlp.c_proj.weight`]: t([D, 4 * D]), [`h.${l}.mlp.c_proj.bias`]: t([D], 0.02),
    });
  }
  tensors['ln_f.weight'] = ones(D);
  tensors['ln_f.bias'] = t([D], 0.02);
  const W_dec = t([S, D], 1);
  for (let j = 0; j < S; j++) {
    const row = W_dec.data.subarray(j * D, (j + 1) * D);
    const norm = Math.hypot(...row);
    for (let i = 0; i < D; i++) row[i] = row[i]! / norm;
  }
  const sae = { W_enc: t([D, S], 0.5), b_enc: t([S], 0.05), W_dec, b_dec: t([D], 0.05) };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tiny-random-'));
  mkdirSync(path.join(dir, 'sae'));
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ version: 1, type: 'byte-bpe', pattern: TEST_PATTERN, merges, eot }));
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ vocab_size: vocab, n_layer: L, n_head: H, d_model: D, n_ctx: C, layer_norm_eps: 1e-5 }));
  writeFileSync(path.join(dir, 'model.safetensors'), serializeSafetensors(tensors));
  writeFileSync(path.join(dir, 'sae', 'cfg.json'), JSON.stringify({ architecture: 'topk', d_in: D, d_sae: S, k, hook_name: `blocks.${Math.min(2, L - 1)}.hook_resid_post`, hook_layer: Math.min(2, L - 1), apply_b_dec_to_input: true }));
  writeFileSync(path.join(dir, 'sae', 'sae_weights.safetensors'), serializeSafetensors(sae));
  if (options.projection !== false) {
    writeFileSync(path.join(dir, 'sae', 'projection.safetensors'), serializeSafetensors({ mean: t([S], 0.1), components: t([2, S], 0.2) }));
  }
  writeFileSync(
    path.join(dir, 'features.json'),
    JSON.stringify({ hook_name: 'blocks.2.hook_resid_post', d_sae: S, features: Array.from({ length: S }, (_, index) => ({ index, label: `feature ${index}`, density: 0.01, topTokens: ['a'], promotedTokens: [], topContexts: [], dead: false })) }),
  );
  return dir;
}
