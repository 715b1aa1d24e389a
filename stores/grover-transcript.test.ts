/** Tests of Grover transcript building. */
import { expect, test } from 'vitest';
import { createRunResult } from '@/lib/runs/reducer';
import { groverTranscriptFileName, groverTranscriptOf, groverTranscriptToJson, groverTranscriptToMarkdown } from './grover-transcript';
import { createGroverView } from '@/lib/kinds/grover';

const CODE = 'def transform(grid):\n    return [row[::-1] for row in grid]';

function source() {
  return {
    runId: 'run_7',
    request: { kind: 'grover' as const, input: { taskId: 'sc-flip-h', model: 'local:arc', iterations: 2, programsPerIteration: 2, tokensPerSecond: 150 } },
    status: 'done' as const,
    grover: {
      ...createGroverView(),
      text: [[{ id: 1, text: 'I compared ' }, { id: 2, text: 'the pairs.\n```python\n' + CODE + '\n```' }]],
      programs: [
        {
          programId: '1.1',
          iteration: 1,
          index: 0,
          code: CODE,
          result: { programId: '1.1', iteration: 1, score: 10, pairs: [{ exact: true, accuracy: 1 }, { exact: true, accuracy: 1 }] },
        },
        { programId: '1.2', iteration: 1, index: 1, code: 'def transform(grid):\n    return grid' },
      ],
      iterations: [{ iteration: 1, scores: [{ programId: '1.1', score: 10 }], bestScore: 10, bestProgramId: '1.1' }],
      bestProgramId: '1.1',
      bestScore: 10,
      done: { solved: true, iterations: 1, best: { programId: '1.1', code: CODE, score: 10 }, predictions: [[[1, 2], [3, 4]]], correct: [true] },
      currentIteration: 1,
      tokenCount: 2,
    },
    tokenCount: 2,
    timing: { ttftMs: 120, tokensPerSecond: 150, elapsedMs: 3800 },
    result: createRunResult(),
    error: null,
  };
}

test('a transcript groups the text and the programs by iteration', () => {
  const t = groverTranscriptOf(source(), new Date(0));

  expect(t.iterations).toHaveLength(1);
  expect(t.iterations[0]?.text).toContain('I compared the pairs.');
  expect(t.iterations[0]?.programs.map((p) => [p.programId, p.score])).toEqual([
    ['1.1', 10],
    ['1.2', undefined],
  ]);
  expect(t.outcome?.solved).toBe(true);
});

test('the Markdown transcript shows the settings, each program and the prediction as digits', () => {
  const md = groverTranscriptToMarkdown(groverTranscriptOf(source(), new Date(0)));

  expect(md).toContain('- Task: `sc-flip-h`');
  expect(md).toContain('- Settings: 2 iterations, 2 programs per iteration, pace 150 tokens/s');
  expect(md).toContain('### Program 1.1 — 10/10');
  expect(md).toContain('### Program 1.2 — not graded');
  expect(md).toContain('### Test 1 prediction (right)\n\n```\n12\n34\n```');
});

test('the model text is fenced with a longer fence than the code blocks inside it', () => {
  const md = groverTranscriptToMarkdown(groverTranscriptOf(source(), new Date(0)));

  expect(md).toContain('````markdown\nI compared the pairs.\n```python');
});

test('the JSON transcript round-trips', () => {
  const t = groverTranscriptOf(source(), new Date(0));

  expect(JSON.parse(groverTranscriptToJson(t))).toEqual(JSON.parse(JSON.stringify(t)));
});

test('the file name is built from the task and the run id', () => {
  expect(groverTranscriptFileName(groverTranscriptOf(source()), 'md')).toBe('grover-sc-flip-h-run_7.md');
});
