/**
 * What the solver transcripts (Grover, Saturn) write alike: fenced text, grids as digits, the
 * figures of the run, the test predictions with their verdicts, the error, the JSON form and a
 * file name safe on every file system.
 */
import { formatCount, formatDuration, formatRate } from '@/lib/format';
import type { RunError } from './run-store';

type Grid = number[][];

/** A grid as rows of digits, one row a line. */
export function gridToText(grid: Grid): string {
  return grid.map((row) => row.join('')).join('\n');
}

/** `text` in a code fence longer than any run of backticks in it. */
export function fenced(text: string, info = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text}\n${fence}`;
}

/** The JSON form of a transcript. */
export function transcriptToJson(transcript: object): string {
  return `${JSON.stringify(transcript, null, 2)}\n`;
}

/** What every solver transcript carries to name its file and write its figures. */
export interface SolverTranscriptBase {
  runId: string | null;
  input: { taskId: string } | null;
  tokenCount: number;
  clientTiming: { tokensPerSecond?: number; elapsedMs?: number };
  error?: RunError;
  savedAt: string;
}

/** `<prefix>-<task>-<run id or time>.<ext>`, safe on every file system. */
export function solverTranscriptFileName(prefix: string, t: SolverTranscriptBase, extension: 'md' | 'json'): string {
  const stem = [t.input?.taskId, t.runId ?? t.savedAt].filter(Boolean).join('-').replace(/[^A-Za-z0-9_-]+/g, '-');
  return `${prefix}-${stem}.${extension}`;
}

/** The figures at the end of the header list: tokens and rate, elapsed, when it was saved. */
export function figureLines(t: SolverTranscriptBase): string[] {
  return [
    `- Tokens: ${formatCount(t.tokenCount)} at ${formatRate(t.clientTiming.tokensPerSecond)} tokens/s`,
    `- Elapsed: ${formatDuration(t.clientTiming.elapsedMs)}`,
    `- Saved: ${t.savedAt}`,
    '',
  ];
}

/** Each test prediction with its verdict (`right`, `wrong`, `answer unknown`) and its grid. */
export function predictionLines(outcome: { predictions: (Grid | null)[]; correct: (boolean | null)[] }): string[] {
  const lines: string[] = [];
  outcome.predictions.forEach((prediction, i) => {
    const correct = outcome.correct[i];
    const verdict = correct === true ? 'right' : correct === false ? 'wrong' : 'answer unknown';
    lines.push(`### Test ${i + 1} prediction (${prediction ? verdict : 'none'})`, '');
    if (prediction) lines.push(fenced(gridToText(prediction)), '');
  });
  return lines;
}

/** The error section, if the run failed. */
export function errorLines(error: RunError | undefined): string[] {
  return error ? ['## Error', '', `\`${error.code}\`: ${error.message}`, ''] : [];
}
