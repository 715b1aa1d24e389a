import { afterEach, describe, expect, test } from 'vitest';
import { getConfig } from '../config';
import { writeRandomTiny } from '../local/tiny/testing/randomWeights.ts';
import { defaultModelId, listModels, resolveLanguageModel } from './registry';

const noKeys = { ...getConfig(), OPENAI_API_KEY: undefined, XAI_API_KEY: undefined, OPENROUTER_API_KEY: undefined, OPENAI_COMPATIBLE_BASE_URL: undefined, MODELS: undefined };
const saved = process.env.TINY_WEIGHTS_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.TINY_WEIGHTS_DIR;
  else process.env.TINY_WEIGHTS_DIR = saved;
});

describe('local models in the registry', () => {
  test('with its weights present and no provider configured, local:tiny is offered and is the default text model', () => {
    process.env.TINY_WEIGHTS_DIR = writeRandomTiny();
    expect(listModels(noKeys).map((m) => m.id)).toContain('local:tiny');
    expect(defaultModelId(noKeys)).toBe('local:tiny');
  });

  test('ARC work still defaults to local:arc when no provider is configured', () => {
    process.env.TINY_WEIGHTS_DIR = writeRandomTiny();
    expect(defaultModelId(noKeys, 'arc')).toBe('local:arc');
  });

  test('without its weights local:tiny is not offered and resolving it says the weights are missing', () => {
    process.env.TINY_WEIGHTS_DIR = '/nonexistent/tiny-weights';
    expect(listModels(noKeys).map((m) => m.id)).not.toContain('local:tiny');
    expect(defaultModelId(noKeys)).toBe('local:arc');
    expect(() => resolveLanguageModel('local:tiny', noKeys)).toThrow('local:tiny weights missing');
  });
});
