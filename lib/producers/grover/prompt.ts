/**
 * Grover's prompt: the training pairs as JSON grids, what a program must look like, and, after
 * the first iteration, the best earlier programs with their scores and errors, so the model
 * refines rather than repeats.
 */
import { gridToText, type ArcTaskData } from '../../arc/task';

export interface PriorProgram {
  code: string;
  score: number;
  /** The first error the program hit, if any. */
  error?: string;
}

export const GROVER_SYSTEM = [
  'You solve ARC-AGI puzzles by writing Python programs.',
  'Each program is a function `def transform(grid):` that takes the input grid (a list of lists of ints 0-9) and returns the output grid.',
  'Use only the Python standard library (no numpy). Do not read files, print, or use the network.',
  'Write each candidate in its own ```python fenced code block, with a one-line explanation before it.',
].join('\n');

export function buildGroverPrompt({ task, count, iteration, prior }: { task: ArcTaskData; count: number; iteration: number; prior: PriorProgram[] }): string {
  const pairs = task.train
    .map((pair, i) => `Example ${i + 1}\nInput:\n${gridToText(pair.input)}\nOutput:\n${gridToText(pair.output)}`)
    .join('\n\n');
  const parts = [`Here are the training examples of a puzzle.\n\n${pairs}`];
  if (prior.length > 0) {
    const tried = prior
      .map((p, i) => `Attempt ${i + 1} scored ${p.score.toFixed(1)}/10${p.error ? ` (error: ${p.error})` : ''}:\n\`\`\`python\n${p.code}\n\`\`\``)
      .join('\n\n');
    parts.push(`This is iteration ${iteration}. The best earlier programs and their scores:\n\n${tried}\n\nImprove on them.`);
  }
  parts.push(`Write ${count} different candidate programs.`);
  return parts.join('\n\n');
}
