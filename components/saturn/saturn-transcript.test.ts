/** Tests of Saturn transcripts, from a run store state built by hand. */
import { expect, test } from 'vitest';
import { createRunResult } from '@/lib/runs/reducer';
import type { RunState } from '@/stores/run-store';
import { createSaturnView, type SaturnView } from '@/lib/kinds/saturn';
import { saturnTranscriptFileName, saturnTranscriptOf, saturnTranscriptToMarkdown } from './saturn-transcript';

const view: SaturnView = {
  ...createSaturnView(),
  steps: [
    { message: 'Phase 1: the first training pair', step: 1, total: 3, phase: 'pair-1' },
    { message: 'Phase 3: test input 1', step: 3, total: 3, phase: 'test-1' },
  ],
  images: [
    { label: 'Pair 1: input → output', url: '/api/images/abc.png', width: 200, height: 100, phase: 'pair-1' },
    { label: 'Test [1]', url: 'data:image/png;base64,AAAA', phase: 'test-1' },
  ],
  phases: [
    { phase: 'pair-1', segments: [{ id: 1, text: 'Cells ' }, { id: 2, text: 'fall.' }], characters: 11, tokenCount: 2 },
    { phase: 'test-1', segments: [{ id: 3, text: '```json\n[[1]]\n```' }], characters: 17, tokenCount: 1 },
  ],
  done: { predictions: [[[1, 2], [3, 4]]], correct: [false], solved: false },
};

const state = {
  runId: 'run_1',
  request: { kind: 'saturn', input: { taskId: 'sc-gravity-down', model: 'local:arc', tokensPerSecond: 40 } },
  status: 'done',
  saturn: view,
  tokenCount: 3,
  timing: { elapsedMs: 1200 },
  result: createRunResult(),
  error: null,
} satisfies Pick<RunState, 'runId' | 'request' | 'status' | 'saturn' | 'tokenCount' | 'timing' | 'result' | 'error'>;

const savedAt = new Date('2025-01-01T00:00:00Z');

test('the transcript groups steps, pictures and text by phase, with absolute picture URLs', () => {
  const t = saturnTranscriptOf(state, { savedAt, origin: 'http://localhost:3000' });
  expect(t.phases.map((p) => [p.phase, p.title, p.text])).toEqual([
    ['pair-1', 'Pair 1 · describe', 'Cells fall.'],
    ['test-1', 'Test 1 · answer', '```json\n[[1]]\n```'],
  ]);
  expect(t.phases[0]?.images[0]?.url).toBe('http://localhost:3000/api/images/abc.png');
  expect(t.phases[1]?.images[0]?.url).toBe('(inline image)');
  expect(t.input?.taskId).toBe('sc-gravity-down');
});

test('the Markdown links the pictures, fences the text safely and gives the predictions', () => {
  const md = saturnTranscriptToMarkdown(saturnTranscriptOf(state, { savedAt }));
  expect(md).toContain('# Saturn run run_1');
  expect(md).toContain('- Outcome: not solved');
  expect(md).toContain('![Pair 1: input → output](/api/images/abc.png)');
  expect(md).toContain('![Test \\[1\\]](');
  expect(md).toContain('````markdown\n```json\n[[1]]\n```\n````');
  expect(md).toContain('### Test 1 prediction (wrong)\n\n```\n12\n34\n```');
});

test('the file name names the task and the run', () => {
  expect(saturnTranscriptFileName(saturnTranscriptOf(state, { savedAt }), 'json')).toBe('saturn-sc-gravity-down-run_1.json');
});
