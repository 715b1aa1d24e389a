/** Tests of the two-pane transcript. */
import { expect, test } from 'vitest';
import type { GroverTranscript } from '@/stores/grover-transcript';
import type { SaturnTranscript } from '@/components/saturn/saturn-transcript';
import { consoleTranscriptFileName, consoleTranscriptToMarkdown, demoteHeadings } from './console-transcript';

test('headings move one level down', () => {
  expect(demoteHeadings('# Title\n\n## Part\ntext #not')).toBe('## Title\n\n### Part\ntext #not');
});

test('lines inside fenced code are left alone, even ones that look like headings', () => {
  const md = '# Run\n\n```python\n# a comment\n```\n\n## After';
  expect(demoteHeadings(md)).toBe('## Run\n\n```python\n# a comment\n```\n\n### After');
});

test('a longer fence is closed only by a fence at least as long', () => {
  const md = '````markdown\n```\n# inside\n````\n# outside';
  expect(demoteHeadings(md)).toBe('````markdown\n```\n# inside\n````\n## outside');
});

const saturn: SaturnTranscript = {
  kind: 'saturn',
  runId: 'run_s',
  input: { taskId: 'sc-x', model: 'local:arc', tokensPerSecond: 40 },
  status: 'done',
  phases: [{ phase: 'pair-1', title: 'Pair 1 · describe', steps: [{ step: 1, message: 'first pair' }], images: [{ label: 'Pair 1', url: 'http://h/api/images/a.png' }], text: 'It falls.' }],
  outcome: { predictions: [[[1]]], correct: [true], solved: true },
  tokenCount: 3,
  clientTiming: {},
  savedAt: '2025-01-01T00:00:00.000Z',
};

const grover: GroverTranscript = {
  kind: 'grover',
  runId: 'run_g',
  input: { taskId: 'sc-x', model: 'local:arc' },
  status: 'cancelled',
  iterations: [],
  bestProgramId: null,
  bestScore: 0,
  outcome: null,
  tokenCount: 0,
  clientTiming: {},
  savedAt: '2025-01-01T00:00:00.000Z',
};

test('the Markdown of both runs has one title and each run as a section under it', () => {
  const md = consoleTranscriptToMarkdown({ kind: 'stream-console', taskId: 'sc-x', savedAt: '2025-01-01T00:00:00.000Z', saturn, grover });
  expect(md.match(/^# /gm)).toHaveLength(1);
  expect(md).toContain('- Saturn: done, solved');
  expect(md).toContain('- Grover: cancelled');
  expect(md).toContain('## Saturn run run_s');
  expect(md).toContain('### Pair 1 · describe');
  expect(md).toContain('![Pair 1](http://h/api/images/a.png)');
  expect(md).toContain('## Grover run run_g');
});

test('a pane that never ran is named as not run', () => {
  const md = consoleTranscriptToMarkdown({ kind: 'stream-console', taskId: 'sc-x', savedAt: '2025-01-01T00:00:00.000Z', saturn: null, grover });
  expect(md).toContain('- Saturn: not run');
  expect(md).toContain('## Saturn\n\n_Not run._');
});

test('the file name is safe on every file system', () => {
  expect(consoleTranscriptFileName({ kind: 'stream-console', taskId: 'sc-x', savedAt: '2025-01-01T00:00:00.000Z', saturn: null, grover: null }, 'md')).toBe(
    'stream-console-sc-x-2025-01-01T00-00-00-000Z.md',
  );
});
