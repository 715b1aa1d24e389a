/**
 * Grading a Grover program on the training pairs: per pair, exact match and cell accuracy; the
 * program's score is 0-10, where 10 means every pair is exact. A wrong-but-close pair counts at
 * most 0.9 of its cell accuracy, so only an exact program can reach 10.
 */
import { cellAccuracy, gridsEqual, type Grid, type TaskPair } from '../../arc/task';
import type { Payload } from '../../protocol/envelope';
import type { ProgramRun } from './sandbox';

export type PairGrade = Payload<'grover.result'>['pairs'][number];

export interface ProgramGrade {
  score: number;
  pairs: PairGrade[];
  /** The first error, for the prompt of the next iteration and the program card. */
  error?: string;
}

export function gradeRun(run: ProgramRun, pairs: TaskPair[]): ProgramGrade {
  if (run.status === 'error') {
    return { score: 0, pairs: pairs.map(() => ({ exact: false, accuracy: 0, error: run.error.message })), error: run.error.message };
  }
  const graded = pairs.map((pair, i): PairGrade => {
    const result = run.outputs[i];
    if (!result || !result.ok) {
      const message = result && !result.ok ? `${result.error.type}: ${result.error.message}` : 'No output';
      return { exact: false, accuracy: 0, error: message };
    }
    return gradeGrid(result.grid, pair.output);
  });
  const score = (10 * graded.reduce((sum, g) => sum + (g.exact ? 1 : 0.9 * g.accuracy), 0)) / Math.max(1, graded.length);
  const error = graded.find((g) => g.error)?.error;
  return { score: Math.round(score * 100) / 100, pairs: graded, ...(error ? { error } : {}) };
}

function gradeGrid(output: Grid, expected: Grid): PairGrade {
  const exact = gridsEqual(output, expected);
  return { exact, accuracy: exact ? 1 : Math.round(cellAccuracy(output, expected) * 1000) / 1000, output };
}
