import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { TINY_WEIGHT_FILES } from './engine.ts';
import { closeTinyPool, generateTiny, isTinyAvailable, loadTinyFeatures } from './index.ts';

const saved = process.env.TINY_WEIGHTS_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.TINY_WEIGHTS_DIR;
  else process.env.TINY_WEIGHTS_DIR = saved;
});
afterAll(() => closeTinyPool());

describe('local:tiny entry points', () => {
  test('loadTinyFeatures lists every SAE feature with its label', async () => {
    process.env.TINY_WEIGHTS_DIR = path.join(import.meta.dirname, 'fixtures');
    const features = await loadTinyFeatures();
    expect(features).toHaveLength(64);
    expect(features[0]).toMatchObject({ index: 0, label: expect.any(String), dead: expect.any(Boolean) });
  });

  test('generateTiny runs the weights in TINY_WEIGHTS_DIR through the worker pool', async () => {
    process.env.TINY_WEIGHTS_DIR = path.join(import.meta.dirname, 'fixtures');
    const events = [];
    for await (const event of generateTiny({ prompt: 'Call me', maxTokens: 5, temperature: 0, seed: 1 })) events.push(event);
    expect(events.length).toBeGreaterThan(0);
  });

  test('without weights, local:tiny is unavailable and both entry points say the weights are missing', async () => {
    process.env.TINY_WEIGHTS_DIR = '/nonexistent/tiny';
    expect(isTinyAvailable()).toBe(false);
    await expect(loadTinyFeatures()).rejects.toThrow('local:tiny weights missing');
    await expect(generateTiny({ prompt: 'x', maxTokens: 1, temperature: 0, seed: 1 }).next()).rejects.toThrow('local:tiny weights missing');
  });

  test('isTinyAvailable remembers a folder found complete and looks again at one that was not', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tiny-available-'));
    process.env.TINY_WEIGHTS_DIR = dir;
    try {
      expect(isTinyAvailable()).toBe(false);
      for (const file of TINY_WEIGHT_FILES) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), '');
      }
      expect(isTinyAvailable()).toBe(true); // the weights arrived: not a remembered "no"
      rmSync(path.join(dir, 'model.safetensors'));
      expect(isTinyAvailable()).toBe(true); // answered from the cache, no look at the files
      process.env.TINY_WEIGHTS_DIR = path.join(dir, 'elsewhere');
      expect(isTinyAvailable()).toBe(false); // the cache is per folder
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
