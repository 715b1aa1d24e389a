import { expect, test } from 'vitest';
import type { ScorePoint } from '@/lib/kinds/grover';
import { programX, scoreColumns, xRange } from './score-data';

const point = (iteration: number, index: number, score: number): ScorePoint => ({ programId: `${iteration}.${index + 1}`, iteration, index, score });

test('programs spread inside their iteration band in index order', () => {
  const xs = [0, 1, 2, 3].map((i) => programX(2, i, 4));

  expect(xs[0]).toBeGreaterThan(1.5);
  expect(xs[3]).toBeLessThan(2.5);
  expect([...xs].sort((a, b) => a - b)).toEqual(xs);
});

test('columns are sorted by x whatever order the programs were graded in', () => {
  const [xs, scores] = scoreColumns([point(1, 2, 3), point(1, 0, 5), point(2, 0, 1), point(1, 1, 4)], 3);

  expect(scores).toEqual([5, 4, 3, 1]);
  expect([...xs].sort((a, b) => a - b)).toEqual(xs);
});

test('the best-so-far column never goes down', () => {
  const [, , best] = scoreColumns([point(1, 0, 2), point(1, 1, 6), point(2, 0, 4), point(2, 1, 9), point(3, 0, 1)], 2);

  expect(best).toEqual([2, 6, 6, 9, 9]);
});

test('an iteration with more programs than planned spreads over as many slots', () => {
  const [xs] = scoreColumns([0, 1, 2, 3, 4, 5].map((i) => point(1, i, i)), 4);

  expect(new Set(xs).size).toBe(6);
  expect(Math.max(...xs)).toBeLessThan(1.5);
});

test('thousands of points are placed quickly', () => {
  const points = Array.from({ length: 5000 }, (_, i) => point(1 + (i % 10), Math.floor(i / 10), (i * 7) % 11));
  const started = performance.now();
  const [xs] = scoreColumns(points, 8);

  expect(xs).toHaveLength(5000);
  expect(performance.now() - started).toBeLessThan(100);
});

test('the x range covers the planned iterations and any beyond', () => {
  expect(xRange([], 3)).toEqual([0.5, 3.5]);
  expect(xRange([point(5, 0, 1)], 3)).toEqual([0.5, 5.5]);
});
