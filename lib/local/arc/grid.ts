/**
 * Grid helpers shared by the DSL primitives and the solver: shapes, colour counts, hashing,
 * construction. Every function returns a new grid and never mutates its argument.
 */
import type { Grid } from '../../arc/task.ts';

export type { Grid };

export const MAX_SIDE = 30;

export function height(g: Grid): number {
  return g.length;
}

export function width(g: Grid): number {
  return g[0]?.length ?? 0;
}

/** A `h` by `w` grid whose cell `(r, c)` is `cell(r, c)`. */
export function makeGrid(h: number, w: number, cell: (r: number, c: number) => number): Grid {
  const out: Grid = [];
  for (let r = 0; r < h; r++) {
    const row: number[] = [];
    for (let c = 0; c < w; c++) row.push(cell(r, c));
    out.push(row);
  }
  return out;
}

export function cloneGrid(g: Grid): Grid {
  return g.map((row) => row.slice());
}

/** Cell `(r, c)`, or `fallback` outside the grid. */
export function at(g: Grid, r: number, c: number, fallback = -1): number {
  return g[r]?.[c] ?? fallback;
}

/** A grid ARC accepts: 1 to 30 rows of 1 to 30 cells, all rows the same width. */
export function isValidGrid(g: Grid | null | undefined): g is Grid {
  if (!g || g.length === 0 || g.length > MAX_SIDE) return false;
  const w = g[0]!.length;
  if (w === 0 || w > MAX_SIDE) return false;
  return g.every((row) => row.length === w);
}

/** How many cells hold each colour 0-9. */
export function colorCounts(g: Grid): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const row of g) for (const v of row) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** The commonest colour; ties go to the lowest colour (as Python's `max` over `range(10)`). */
export function mostCommonColor(g: Grid): number {
  const counts = colorCounts(g);
  let best = 0;
  for (let c = 1; c < 10; c++) if (counts[c]! > counts[best]!) best = c;
  return best;
}

/** A compact string identifying the grid exactly (shape and cells). */
export function gridKey(g: Grid): string {
  return `${g.length}x${width(g)}:${g.map((row) => row.join('')).join('|')}`;
}
