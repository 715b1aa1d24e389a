/**
 * `local:tiny`: a small GPT-2-style language model with a top-k SAE on its residual stream, run
 * in TypeScript (no native dependency) in a pool of worker threads. Weights live in
 * `lib/local/tiny/weights/` (or TINY_WEIGHTS_DIR), read from the server's working directory.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors';
import { hasTinyWeights } from './engine.ts';
import type { TinyFinishReason, TinyGenerateOptions, TinyTokenEvent } from './generate.ts';
import { createTinyPool, type TinyPool } from './pool.ts';

export type { TinyFeatureActivation, TinyFinishReason, TinyGenerateOptions, TinySteering, TinyTokenEvent } from './generate.ts';
export { createTinyPool, type TinyPool, type TinyPoolOptions } from './pool.ts';

/** The folder the weights are read from. */
export function tinyWeightsDir(): string {
  return process.env.TINY_WEIGHTS_DIR || path.join(process.cwd(), 'lib', 'local', 'tiny', 'weights');
}

/** The worker script, resolved from the working directory (not through the bundler: a worker needs a real file). */
export function tinyWorkerPath(): string {
  return path.join(process.cwd(), 'lib', 'local', 'tiny', 'worker.ts');
}

/** Folders found holding every weight file (asked per model list and per run start: not a stat of 5 files each time). */
const completeDirs = new Set<string>();

/**
 * Whether the weights are present, so `local:tiny` can be offered. A folder found complete is
 * remembered; one that was not is looked at again next time (the weights may arrive later, and
 * the look stops at the first missing file).
 */
export function isTinyAvailable(): boolean {
  const dir = tinyWeightsDir();
  if (completeDirs.has(dir)) return true;
  if (!hasTinyWeights(dir)) return false;
  completeDirs.add(dir);
  return true;
}

function weightsMissing(): AppError {
  return new AppError('provider:unavailable', `local:tiny weights missing: expected them in ${tinyWeightsDir()}.`);
}

let pool: TinyPool | null = null;
let poolDir: string | null = null;

function defaultPool(): TinyPool {
  const dir = tinyWeightsDir();
  if (!pool || poolDir !== dir) {
    if (!isTinyAvailable()) throw weightsMissing();
    void pool?.close();
    pool = createTinyPool({ weightsDir: dir, workerPath: tinyWorkerPath() });
    poolDir = dir;
  }
  return pool;
}

/** Runs in a worker thread pool (never on the caller's event loop). Yields one event per token, then returns. */
export async function* generateTiny(options: TinyGenerateOptions): AsyncGenerator<TinyTokenEvent, { finishReason: TinyFinishReason }> {
  return yield* defaultPool().generate(options);
}

export interface TinyFeatureInfo {
  index: number;
  label: string;
  density: number;
  topTokens: string[];
  dead: boolean;
}

/** features.json read and parsed once per weights folder (about 1 MB: not per run or request). */
const featureCache = new Map<string, Promise<TinyFeatureInfo[]>>();

/** The SAE's features with their automatic labels (features.json). */
export function loadTinyFeatures(): Promise<TinyFeatureInfo[]> {
  const dir = tinyWeightsDir();
  let features = featureCache.get(dir);
  if (!features) {
    features = readTinyFeatures(dir);
    featureCache.set(dir, features);
    // A failed read (weights missing) is not remembered: the weights may arrive later.
    features.catch(() => featureCache.delete(dir));
  }
  return features;
}

async function readTinyFeatures(dir: string): Promise<TinyFeatureInfo[]> {
  const file = path.join(dir, 'features.json');
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch {
    throw weightsMissing();
  }
  const parsed = JSON.parse(raw) as { features: TinyFeatureInfo[] };
  return parsed.features.map((f) => ({ index: f.index, label: f.label, density: f.density, topTokens: f.topTokens, dead: f.dead }));
}

/** Stops the default pool's workers (tests, shutdown). */
export async function closeTinyPool(): Promise<void> {
  const current = pool;
  pool = null;
  poolDir = null;
  await current?.close();
}
