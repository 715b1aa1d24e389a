import { describe, expect, test } from 'vitest';
import {
  defineScenario,
  ECHO_DELTAS,
  INPUT_TOKENS,
  numberedDeltas,
  REASON_ANSWER_DELTAS,
  resolveScenario,
} from './scenarios';

describe('resolveScenario', () => {
  test('selects echo for an unknown model id', () => {
    const scenario = resolveScenario('gpt-9-ultra');
    expect(scenario.name).toBe('echo');
    expect(scenario.text).toEqual(ECHO_DELTAS);
  });

  test('builds count-N as the deltas t1 to tN', () => {
    expect(resolveScenario('count-4').text).toEqual(['t1 ', 't2 ', 't3 ', 't4 ']);
  });

  test('builds slow-N-MS with N deltas and a per-delta delay of MS', () => {
    const scenario = resolveScenario('slow-30-50');
    expect(scenario.text).toEqual(numberedDeltas('t', 30));
    expect(scenario.delayMs).toBe(50);
  });

  test('builds reason-N with N reasoning deltas followed by the answer text', () => {
    const scenario = resolveScenario('reason-3');
    expect(scenario.reasoning).toEqual(['r1 ', 'r2 ', 'r3 ']);
    expect(scenario.text).toEqual(REASON_ANSWER_DELTAS);
  });

  test('ignores a vendor prefix in the model id', () => {
    expect(resolveScenario('fake/count-2').name).toBe('count-2');
  });

  test('scripts error-429 as an HTTP 429 with a one-second Retry-After', () => {
    expect(resolveScenario('error-429').httpError).toEqual({ status: 429, retryAfterSeconds: 1 });
  });

  test('derives usage from the number of reasoning and text deltas', () => {
    expect(resolveScenario('reason-2').usage).toEqual({
      inputTokens: INPUT_TOKENS,
      outputTokens: 2 + REASON_ANSWER_DELTAS.length,
      reasoningTokens: 2,
    });
  });

  test('tries extra rules before the built-in table', () => {
    const custom = { pattern: /^count-\d+$/, build: () => defineScenario({ name: 'custom', text: ['x'] }) };
    expect(resolveScenario('count-3', [custom]).name).toBe('custom');
  });

  test('scripts flaky-429-then-ok as a 429 on the first attempt and an answer after it', () => {
    expect(resolveScenario('flaky-429-then-ok', [], { stream: true, attempt: 1 }).httpError).toEqual({
      status: 429,
      retryAfterSeconds: 1,
    });
    const second = resolveScenario('flaky-429-then-ok', [], { stream: true, attempt: 2 });
    expect(second.httpError).toBeUndefined();
    expect(second.text).toEqual(['t1 ', 't2 ', 't3 ']);
  });

  test('scripts flaky-500-then-ok as a 500 without Retry-After on the first attempt', () => {
    expect(resolveScenario('flaky-500-then-ok', [], { stream: false, attempt: 1 }).httpError).toEqual({ status: 500 });
  });

  test('scripts fail-before-first-token to fail a stream before any delta but answer without streaming', () => {
    const streamed = resolveScenario('fail-before-first-token', [], { stream: true, attempt: 1 });
    expect(streamed).toMatchObject({ text: [], ending: 'midstream-error' });
    const plain = resolveScenario('fail-before-first-token', [], { stream: false, attempt: 2 });
    expect(plain).toMatchObject({ text: ['t1 ', 't2 ', 't3 '], ending: 'finish' });
  });

  test('rejects a count too large to stream', () => {
    expect(() => resolveScenario('count-99999999')).toThrow(RangeError);
  });
});
