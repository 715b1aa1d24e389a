import { describe, expect, test } from 'vitest';
import { jsonTextOf, normalizeConfidence, parseFinalAnalysis, parsePartialAnalysis } from './parse';

const answer = {
  patternDescription: 'Each row is mirrored.',
  solvingStrategy: 'Reverse every row.',
  hints: ['Look at the first column', 'Compare lengths'],
  predictedOutput: [[[1, 2]]],
  confidence: 92,
};

describe('jsonTextOf', () => {
  test('takes the body of a json fence', () => {
    expect(jsonTextOf('Here:\n```json\n{"a":1}\n```\nDone.')).toBe('{"a":1}\n');
  });

  test('takes the body of a fence that is still open', () => {
    expect(jsonTextOf('Here:\n```json\n{"a":')).toBe('{"a":');
  });

  test('falls back to the first brace', () => {
    expect(jsonTextOf('The answer is {"a": 1}')).toBe('{"a": 1}');
  });

  test('is undefined before any object starts', () => {
    expect(jsonTextOf('Thinking about it')).toBeUndefined();
  });
});

describe('parsePartialAnalysis', () => {
  test('returns a field as soon as it is complete, before the object closes', async () => {
    const fields = await parsePartialAnalysis('{"patternDescription": "Each row is mirrored.", "solvingStrat');
    expect(fields.patternDescription).toBe('Each row is mirrored.');
    expect(fields.solvingStrategy).toBeUndefined();
  });

  test('a string still being written shows what has arrived', async () => {
    expect((await parsePartialAnalysis('{"patternDescription": "Each row is mir')).patternDescription).toBe('Each row is mir');
  });

  test('drops a field of the wrong type', async () => {
    expect(await parsePartialAnalysis('{"hints": "not a list", "patternDescription": "x"}')).toEqual({ patternDescription: 'x' });
  });
});

describe('parseFinalAnalysis', () => {
  test('clean JSON parses with status ok and no raw text kept', () => {
    expect(parseFinalAnalysis('```json\n' + JSON.stringify(answer) + '\n```')).toEqual({ result: answer, parseStatus: 'ok' });
  });

  test('JSON with trailing commas and single quotes is repaired', () => {
    const broken = "{'patternDescription': 'Each row is mirrored.', 'hints': ['a', 'b',], 'confidence': 80,";
    const parsed = parseFinalAnalysis(broken);
    expect(parsed.parseStatus).toBe('repaired');
    expect(parsed.result).toMatchObject({ patternDescription: 'Each row is mirrored.', hints: ['a', 'b'], confidence: 80 });
    expect(parsed.rawText).toBe(broken);
  });

  test('prose without JSON falls back and keeps the raw text', () => {
    const parsed = parseFinalAnalysis('I am not sure what the rule is.');
    expect(parsed).toMatchObject({ result: null, parseStatus: 'fallback', rawText: 'I am not sure what the rule is.' });
    expect(parsed.problem).toBeDefined();
  });

  test('a confidence on a 0-1 scale is normalised to 0-100', () => {
    expect(parseFinalAnalysis('{"confidence": 0.85}').result?.confidence).toBe(85);
  });
});

describe('normalizeConfidence', () => {
  test('clamps to 0-100', () => {
    expect([normalizeConfidence(-5), normalizeConfidence(250), normalizeConfidence(0.5), normalizeConfidence(70)]).toEqual([0, 100, 50, 70]);
  });
});
