/** Tests of the saved-analysis summaries: predictions against answers, and a row read as the history shows it. */
import { expect, test } from 'vitest';
import type { TestPair } from '@/lib/arc/task';
import type { Run } from '@/lib/db/schema';
import { isDrawableGrid, predictionChecks, savedAnalysisOf, verdictOf } from './analysis-saved';

const answer = [
  [1, 2],
  [3, 4],
];
const tests: TestPair[] = [
  { input: [[0]], output: answer },
  { input: [[0]] },
];

function row(result: unknown, overrides: Partial<Run> = {}): Run {
  return {
    id: '6f1c1b9e-1111-4111-8111-111111111111',
    kind: 'analysis',
    model: 'local:arc',
    ownerId: null,
    input: { taskId: 'sc-flip-h', model: 'local:arc' },
    status: 'done',
    endReason: 'complete',
    result,
    metrics: null,
    error: null,
    lastSeq: 10,
    createdAt: new Date('2025-03-12T14:05:00Z'),
    endedAt: new Date('2025-03-12T14:05:02Z'),
    ...overrides,
  } as Run;
}

test('a ragged or empty grid cannot be drawn', () => {
  expect(isDrawableGrid(answer)).toBe(true);
  expect(isDrawableGrid([[1, 2], [3]])).toBe(false);
  expect(isDrawableGrid([])).toBe(false);
  expect(isDrawableGrid([[]])).toBe(false);
});

test('each prediction is correct, wrong, unknown where the answer is withheld, or missing', () => {
  expect(predictionChecks([answer, [[5]]], tests)).toEqual(['correct', 'unknown']);
  expect(predictionChecks([[[9, 9], [9, 9]]], tests)).toEqual(['wrong', 'missing']);
  expect(predictionChecks(undefined, tests)).toEqual(['missing', 'missing']);
});

test('the verdict counts only the tests with a known answer, and says when nothing was predicted', () => {
  expect(verdictOf(['correct', 'unknown'], tests)).toEqual({ right: 1, known: 1, predicted: 1 });
  expect(verdictOf(['missing', 'missing'], tests)).toEqual({ right: 0, known: 1, predicted: 0 });
  expect(verdictOf(['unknown'], [{ input: [[0]] }])).toBeNull();
});

test('a saved row is summarised with its confidence, parse status and verdict', () => {
  const saved = savedAnalysisOf(
    row({
      analysis: {
        fields: { patternDescription: 'Mirror', confidence: 85, predictedOutput: [answer] },
        warnings: [],
        complete: { requestId: 'r', status: 'complete', payload: { result: {}, metadata: { parseStatus: 'repaired', durationMs: 1500, usage: { outputTokens: 40 } } } },
      },
    }),
    tests,
  );

  expect(saved).toMatchObject({
    taskId: 'sc-flip-h',
    model: 'local:arc',
    confidence: 85,
    parseStatus: 'repaired',
    interrupted: false,
    durationMs: 1500,
    usage: { outputTokens: 40 },
    verdict: { right: 1, known: 1 },
    createdAt: '2025-03-12T14:05:00.000Z',
  });
});

test('a run that ended before its analysis began is summarised without fields', () => {
  const saved = savedAnalysisOf(row(null, { status: 'error', endReason: 'interrupted', error: { message: 'The server stopped.' } }), tests);

  expect(saved).toMatchObject({ confidence: null, parseStatus: null, interrupted: true, errorMessage: 'The server stopped.', durationMs: 2000 });
  expect(saved.verdict).toEqual({ right: 0, known: 1, predicted: 0 });
});
