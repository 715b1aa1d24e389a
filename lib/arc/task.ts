/**
 * The ARC task model: a task is `train` and `test` pairs of grids; a grid is 1x1 to 30x30 cells,
 * each an integer colour 0-9, every row the same width. Validated with zod at every boundary
 * (task files, model output, worker output).
 */
import { z } from 'zod';

export const MAX_GRID_SIZE = 30;

export const colorSchema = z.number().int().min(0).max(9);

export const gridSchema = z
  .array(z.array(colorSchema).min(1).max(MAX_GRID_SIZE))
  .min(1)
  .max(MAX_GRID_SIZE)
  .refine((rows) => rows.every((row) => row.length === rows[0]!.length), { message: 'Every row of a grid must have the same length' });

export type Grid = number[][];

export const pairSchema = z.object({ input: gridSchema, output: gridSchema });
/** A test pair whose answer is unknown (ARC evaluation sets may withhold it). */
export const testPairSchema = z.object({ input: gridSchema, output: gridSchema.optional() });

export const taskSchema = z.object({
  train: z.array(pairSchema).min(1),
  test: z.array(testPairSchema).min(1),
});

export type TaskPair = z.infer<typeof pairSchema>;
export type TestPair = z.infer<typeof testPairSchema>;
export type ArcTaskData = z.infer<typeof taskSchema>;

/** A task with where it came from. */
export interface ArcTask extends ArcTaskData {
  id: string;
  source: string;
}

/** Task ids as files name them: letters, digits, `_` and `-` (ARC uses 8 hex digits). */
export const taskIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'A task id is letters, digits, _ and - only');

export function gridsEqual(a: Grid, b: Grid): boolean {
  return a.length === b.length && a.every((row, r) => row.length === b[r]!.length && row.every((cell, c) => cell === b[r]![c]));
}

/** Share of cells that match, 0 when the shapes differ. */
export function cellAccuracy(predicted: Grid, expected: Grid): number {
  if (predicted.length !== expected.length || predicted[0]?.length !== expected[0]?.length) return 0;
  let same = 0;
  let total = 0;
  expected.forEach((row, r) =>
    row.forEach((cell, c) => {
      total += 1;
      if (predicted[r]![c] === cell) same += 1;
    }),
  );
  return total === 0 ? 0 : same / total;
}

/** A grid as prompts show it: JSON, one row per line. */
export function gridToText(grid: Grid): string {
  return '[' + grid.map((row) => JSON.stringify(row)).join(',\n ') + ']';
}
