import { jsonrepair } from 'jsonrepair';
import { describe, expect, test } from 'vitest';
import {
  ANALYSIS_ANSWER,
  ANALYSIS_BROKEN_JSON_TEXT,
  ANALYSIS_DELTA_SIZE,
  ANALYSIS_GARBAGE_TEXT,
  ANALYSIS_JSON_TEXT,
  ANALYSIS_MIDSTREAM_TEXT,
  ANALYSIS_REASONING_DELTAS,
  ANALYSIS_TOOL_INPUT,
  ANALYSIS_TOOL_NAME,
  defineScenario,
  ECHO_DELTAS,
  INPUT_TOKENS,
  numberedDeltas,
  REASON_ANSWER_DELTAS,
  resolveScenario,
  SC_FLIP_H_TEST_OUTPUT,
  scriptToolCall,
} from './scenarios';

/** The body of the ```json fence in an analysis text. */
function fencedJson(text: string): string {
  const match = /```json\n([^`]*)\n```/.exec(text);
  if (!match?.[1]) throw new Error('no json fence');
  return match[1];
}

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

describe('analysis scenarios', () => {
  const first = { stream: true, attempt: 1 };

  test('answers analysis-json with the clean analysis of sc-flip-h inside a json fence', () => {
    expect(JSON.parse(fencedJson(resolveScenario('analysis-json').text.join('')))).toEqual(ANALYSIS_ANSWER);
  });

  test('predicts the test output of sc-flip-h in the clean answer', () => {
    expect(ANALYSIS_ANSWER.predictedOutput).toEqual([[[5, 4, 0, 4, 5], [0, 4, 5, 0, 0], [9, 0, 0, 0, 0]]]);
    expect(ANALYSIS_ANSWER.predictedOutput[0]).toBe(SC_FLIP_H_TEST_OUTPUT);
  });

  test('writes patternDescription as the first key of the answer', () => {
    expect(fencedJson(ANALYSIS_JSON_TEXT).startsWith('{"patternDescription":')).toBe(true);
  });

  test('streams analysis-json in deltas of at most eight characters', () => {
    const { text } = resolveScenario('analysis-json');
    expect(text.length).toBe(Math.ceil(ANALYSIS_JSON_TEXT.length / ANALYSIS_DELTA_SIZE));
    expect(text.every((delta) => delta.length <= ANALYSIS_DELTA_SIZE)).toBe(true);
  });

  test('builds analysis-json-MS with a per-delta delay of MS', () => {
    const scenario = resolveScenario('analysis-json-25');
    expect(scenario).toMatchObject({ delayMs: 25, text: resolveScenario('analysis-json').text });
  });

  test('scripts analysis-reasoning-tool to reason and then call run_program when no tool result came back yet', () => {
    const scenario = resolveScenario('analysis-reasoning-tool', [], first);
    expect(scenario.reasoning).toEqual(ANALYSIS_REASONING_DELTAS);
    expect(scenario.text).toEqual([]);
    expect(scenario.toolCall?.name).toBe(ANALYSIS_TOOL_NAME);
    expect(JSON.parse(scenario.toolCall?.argumentDeltas.join('') ?? '')).toEqual(ANALYSIS_TOOL_INPUT);
  });

  test('streams the run_program arguments in several deltas', () => {
    const scenario = resolveScenario('analysis-reasoning-tool', [], first);
    expect(scenario.toolCall?.argumentDeltas.length).toBeGreaterThan(3);
  });

  test('scripts analysis-reasoning-tool to answer the clean JSON once the request carries a tool result', () => {
    const scenario = resolveScenario('analysis-reasoning-tool', [], { stream: true, attempt: 2, toolResult: true });
    expect(scenario.toolCall).toBeUndefined();
    expect(scenario.reasoning).toEqual([]);
    expect(scenario.text.join('')).toBe(ANALYSIS_JSON_TEXT);
  });

  test('counts the tool-call argument deltas as output tokens', () => {
    const toolCall = scriptToolCall('t', { a: 'bcdefghij' }, 5);
    expect(defineScenario({ name: 'x', reasoning: ['r'], toolCall }).usage.outputTokens).toBe(
      1 + toolCall.argumentDeltas.length,
    );
  });

  test('writes analysis-broken-json so that JSON.parse rejects it', () => {
    const text = resolveScenario('analysis-broken-json').text.join('');
    expect(text).toBe(ANALYSIS_BROKEN_JSON_TEXT);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });

  test('writes analysis-broken-json so that jsonrepair restores the clean answer', () => {
    expect(JSON.parse(jsonrepair(ANALYSIS_BROKEN_JSON_TEXT))).toEqual(ANALYSIS_ANSWER);
  });

  test('answers analysis-garbage with prose that holds no JSON object', () => {
    const text = resolveScenario('analysis-garbage').text.join('');
    expect(text).toBe(ANALYSIS_GARBAGE_TEXT);
    expect(text).toMatch(/^I am not sure what the rule is/);
    expect(text).not.toContain('{');
  });

  test('scripts analysis-midstream as the first half of the clean answer and then a midstream failure', () => {
    const scenario = resolveScenario('analysis-midstream');
    expect(scenario.ending).toBe('midstream-error');
    expect(scenario.text.join('')).toBe(ANALYSIS_MIDSTREAM_TEXT);
    expect(ANALYSIS_JSON_TEXT.startsWith(ANALYSIS_MIDSTREAM_TEXT)).toBe(true);
    expect(ANALYSIS_MIDSTREAM_TEXT.length).toBeLessThan(ANALYSIS_JSON_TEXT.length * 0.6);
  });

  test('cuts analysis-midstream after the complete patternDescription', () => {
    const field = JSON.stringify({ patternDescription: ANALYSIS_ANSWER.patternDescription }).slice(1, -1);
    expect(ANALYSIS_MIDSTREAM_TEXT).toContain(`${field},`);
  });

  test('scripts analysis-429-then-json as a 429 with Retry-After first and the clean answer after it', () => {
    expect(resolveScenario('analysis-429-then-json', [], first).httpError).toEqual({ status: 429, retryAfterSeconds: 1 });
    const second = resolveScenario('analysis-429-then-json', [], { stream: true, attempt: 2 });
    expect(second.httpError).toBeUndefined();
    expect(second.text.join('')).toBe(ANALYSIS_JSON_TEXT);
  });

  test('scripts analysis-fail-before-first-token to fail a stream before any delta but answer without streaming', () => {
    expect(resolveScenario('analysis-fail-before-first-token', [], first)).toMatchObject({
      text: [],
      ending: 'midstream-error',
    });
    const plain = resolveScenario('analysis-fail-before-first-token', [], { stream: false, attempt: 2 });
    expect(plain.ending).toBe('finish');
    expect(plain.text.join('')).toBe(ANALYSIS_JSON_TEXT);
  });
});
