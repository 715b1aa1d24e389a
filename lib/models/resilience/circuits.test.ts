import { afterEach, describe, expect, test } from 'vitest';
import { getCircuitStates, resetCircuits } from './circuits';

afterEach(() => {
  resetCircuits();
});

describe('getCircuitStates', () => {
  test('lists every hosted provider, closed, before any call', () => {
    expect(getCircuitStates()).toEqual([
      { provider: 'openai', state: 'closed', failures: 0 },
      { provider: 'xai', state: 'closed', failures: 0 },
      { provider: 'openrouter', state: 'closed', failures: 0 },
      { provider: 'compatible', state: 'closed', failures: 0 },
    ]);
  });
});
