import { afterEach, describe, expect, test } from 'vitest';
import { getConfig } from '../config';
import { writeRandomTiny } from '../local/tiny/testing/randomWeights.ts';
import { AppError } from '../errors';
import { assertOfferedModel, defaultModelId, isOfferedModel, listModels, resolveLanguageModel } from './registry';

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

describe('offered models', () => {
  test('with MODELS unset, the defaults are offered and another id of a known provider is not', () => {
    expect(isOfferedModel('openai:gpt-4.1-mini', noKeys)).toBe(true);
    expect(isOfferedModel('local:arc', noKeys)).toBe(true);
    expect(isOfferedModel('openai:o1-pro', noKeys)).toBe(false);
  });

  test('with MODELS set, only its ids are offered, defaults included', () => {
    const config = { ...noKeys, MODELS: 'openai:gpt-4.1-mini, local:arc' };
    expect(isOfferedModel('local:arc', config)).toBe(true);
    expect(isOfferedModel('xai:grok-3-mini', config)).toBe(false);
  });

  test('a MODELS pattern ending in * accepts the ids it matches without listing them', () => {
    const config = { ...noKeys, MODELS: 'openai:gpt-4.1-mini,openrouter:*' };
    expect(isOfferedModel('openrouter:anthropic/claude-opus', config)).toBe(true);
    expect(isOfferedModel('openai:o1-pro', config)).toBe(false);
    expect(listModels(config).map((m) => m.id)).toEqual(['openai:gpt-4.1-mini']);
  });

  test('MODELS with patterns only lists the defaults and offers them beside what the patterns match', () => {
    const config = { ...noKeys, MODELS: 'openai:*' };
    expect(listModels(config).map((m) => m.id)).toEqual(listModels(noKeys).map((m) => m.id));
    expect(isOfferedModel('openai:count-3', config)).toBe(true);
    expect(isOfferedModel('xai:grok-4-fast', config)).toBe(true);
    expect(isOfferedModel('xai:grok-4', config)).toBe(false);
  });

  test('a bare * or a provider-less pattern offers nothing more', () => {
    expect(isOfferedModel('openai:o1-pro', { ...noKeys, MODELS: '*' })).toBe(false);
    expect(isOfferedModel('openai:o1-pro', { ...noKeys, MODELS: 'open*' })).toBe(false);
  });

  test('a model of an unknown provider is refused naming the providers there are', () => {
    expect(() => assertOfferedModel('acme:model', { config: noKeys })).toThrow(/openai, xai, openrouter/);
  });

  test('an unoffered model is a 400 bad_request:model with a field error on the model', () => {
    let error: unknown;
    try {
      assertOfferedModel('openai:o1-pro', { config: noKeys });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'bad_request:model', status: 400, fieldErrors: [{ path: 'input.model' }] });
    expect((error as AppError).message).toContain('openai:o1-pro');
  });
});
