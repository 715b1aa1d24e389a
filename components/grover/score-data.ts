/**
 * The trajectory chart's data, as uPlot's aligned columns: one x per graded program, placed inside
 * its iteration's band (iteration n spans n - 0.5 to n + 0.5, programs spread by their index), the
 * program's score, and the best score so far. Pure, so it is tested without a browser.
 */
import type { ScorePoint } from '@/lib/kinds/grover';

/** `[x, score, bestSoFar]`, sorted by x. */
export type ScoreColumns = [number[], number[], number[]];

/** How much of an iteration's band the programs spread over. */
const BAND = 0.7;

/** Where a program sits on the x axis: inside its iteration's band, by index. */
export function programX(iteration: number, index: number, perIteration: number): number {
  const slots = Math.max(1, perIteration);
  return iteration - BAND / 2 + (BAND * (Math.min(index, slots - 1) + 0.5)) / slots;
}

/**
 * Columns for uPlot. `perIteration` is the number of programs asked for per iteration; an
 * iteration that holds more (a model may write extra) spreads over as many slots as it has.
 */
export function scoreColumns(points: readonly ScorePoint[], perIteration: number): ScoreColumns {
  const slots = new Map<number, number>();
  for (const p of points) slots.set(p.iteration, Math.max(slots.get(p.iteration) ?? perIteration, p.index + 1));
  const placed = points.map((p) => ({ x: programX(p.iteration, p.index, slots.get(p.iteration) ?? perIteration), score: p.score }));
  placed.sort((a, b) => a.x - b.x);
  const xs: number[] = new Array(placed.length);
  const scores: number[] = new Array(placed.length);
  const best: number[] = new Array(placed.length);
  let top = -Infinity;
  placed.forEach((p, i) => {
    top = Math.max(top, p.score);
    xs[i] = p.x;
    scores[i] = p.score;
    best[i] = top;
  });
  return [xs, scores, best];
}

/** The x range: every planned iteration, and any beyond the plan that has points. */
export function xRange(points: readonly ScorePoint[], plannedIterations: number): [number, number] {
  let last = Math.max(1, plannedIterations);
  for (const p of points) last = Math.max(last, p.iteration);
  return [0.5, last + 0.5];
}
