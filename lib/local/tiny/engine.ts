/**
 * Loads the tiny model, its tokenizer and its SAE from a weights folder (the layout in the
 * `local:tiny` contract: tokenizer.json, config.json, model.safetensors, sae/).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createModel, type TinyConfig, type TinyModel } from './model.ts';
import { createSae, type Sae, type SaeConfig } from './sae.ts';
import { parseSafetensors } from './safetensors.ts';
import { createTokenizer, type Tokenizer, type TokenizerJson } from './tokenizer.ts';

export interface TinyEngine {
  model: TinyModel;
  tokenizer: Tokenizer;
  sae: Sae;
}

/** The files a weights folder must hold. */
export const TINY_WEIGHT_FILES = ['tokenizer.json', 'config.json', 'model.safetensors', 'sae/cfg.json', 'sae/sae_weights.safetensors'] as const;

/** The SAE's fixed 2-D plane for trajectories (training/tiny/projection.py); optional: without it tokens carry no point. */
export const PROJECTION_FILE = 'sae/projection.safetensors';

/** Whether `dir` holds every file the engine loads. */
export function hasTinyWeights(dir: string): boolean {
  return TINY_WEIGHT_FILES.every((file) => existsSync(path.join(dir, file)));
}

function readBytes(file: string): Uint8Array {
  const buffer = readFileSync(file);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export function loadTinyEngine(dir: string): TinyEngine {
  const missing = TINY_WEIGHT_FILES.filter((file) => !existsSync(path.join(dir, file)));
  if (missing.length > 0) throw new Error(`local:tiny weights missing: ${missing.join(', ')} not found in ${dir}`);
  const json = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown;
  const tokenizer = createTokenizer(json('tokenizer.json') as TokenizerJson);
  const model = createModel(json('config.json') as TinyConfig, parseSafetensors(readBytes(path.join(dir, 'model.safetensors'))));
  const planeFile = path.join(dir, PROJECTION_FILE);
  const plane = existsSync(planeFile) ? parseSafetensors(readBytes(planeFile)) : undefined;
  const sae = createSae(json('sae/cfg.json') as SaeConfig, parseSafetensors(readBytes(path.join(dir, 'sae/sae_weights.safetensors'))), plane);
  return { model, tokenizer, sae };
}
