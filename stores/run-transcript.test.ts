/** Tests of transcript building. */
import { expect, test } from 'vitest';
import { createRunResult } from '@/lib/runs/reducer';
import { transcriptFileName, transcriptOf, transcriptToMarkdown } from './run-transcript';

function source() {
  const result = createRunResult();
  result.generations.main = { chunks: ['Hi', ' there'], reasoning: [], tokenCount: 2, activations: [], finishReason: 'stop' };
  return {
    runId: 'run_1',
    input: { prompt: 'Say hi\nplease', model: 'openai:gpt-4.1-mini' },
    status: 'done' as const,
    answer: [{ id: 1, text: 'Hi' }, { id: 2, text: ' there' }],
    reasoning: [{ id: 3, text: 'Greet.' }],
    tokenCount: 2,
    timing: { ttftMs: 412, tokensPerSecond: 38.25, elapsedMs: 900 },
    result,
    error: null,
  };
}

test('a transcript joins the segments into the answer and the reasoning', () => {
  const t = transcriptOf(source(), new Date(0));

  expect(t).toMatchObject({ answer: 'Hi there', reasoning: 'Greet.', finishReason: 'stop', model: 'openai:gpt-4.1-mini' });
});

test('the Markdown transcript quotes the prompt and lists the figures', () => {
  const md = transcriptToMarkdown(transcriptOf(source(), new Date(0)));

  expect(md).toContain('> Say hi\n> please');
  expect(md).toContain('- Time to first token: 412 ms');
  expect(md).toContain('- Tokens: 2 at 38.3 tokens/s');
  expect(md).toContain('## Answer\n\nHi there\n');
});

test('the file name is built from the run id', () => {
  expect(transcriptFileName(transcriptOf(source()), 'json')).toBe('streamconsole-run_1.json');
});
