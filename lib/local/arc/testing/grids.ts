/**
 * Test helper: small deterministic grids for exercising DSL ops (hand-made shapes plus grids
 * drawn from a seeded generator with rectangles, specks, separators and masks).
 */
import type { Grid } from '../grid.ts';
import { mulberry32 } from '../../../seededRandom.ts';

/** Parse rows of digits, e.g. `g('012', '340')`. */
export function g(...rows: string[]): Grid {
  return rows.map((row) => [...row].map(Number));
}

/** A seeded pseudo-random generator (mulberry32) returning floats in [0, 1). */
export const rng = mulberry32;

/** A grid of background 0 with a few coloured rectangles and specks. */
export function randomGrid(seed: number): Grid {
  const rand = rng(seed);
  const pick = (n: number): number => Math.floor(rand() * n);
  const h = 3 + pick(10);
  const w = 3 + pick(10);
  const out = Array.from({ length: h }, () => new Array<number>(w).fill(0));
  const rects = 1 + pick(4);
  for (let i = 0; i < rects; i++) {
    const color = 1 + pick(9);
    const top = pick(h);
    const left = pick(w);
    const rh = 1 + pick(4);
    const rw = 1 + pick(4);
    const hollow = rand() < 0.3;
    for (let r = top; r < Math.min(h, top + rh); r++) {
      for (let c = left; c < Math.min(w, left + rw); c++) {
        const edge = r === top || c === left || r === top + rh - 1 || c === left + rw - 1;
        if (!hollow || edge) out[r]![c] = color;
      }
    }
  }
  const specks = pick(4);
  for (let i = 0; i < specks; i++) out[pick(h)]![pick(w)] = 1 + pick(9);
  return out;
}

/** A symmetric pattern of colours 0-7 (mirrored both ways) with a 2x3 patch of colour `mask` painted on it. */
export function maskedSymmetricGrid(seed: number, mask: number): Grid {
  const rand = rng(seed);
  const n = 4 + Math.floor(rand() * 4);
  const quarter = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.floor(rand() * 4) + (rand() < 0.5 ? 0 : 4)));
  const full = [...quarter.map((row) => [...row, ...row.slice().reverse()])];
  const grid = [...full, ...full.slice().reverse().map((row) => row.slice())];
  const top = 1 + Math.floor(rand() * (n - 1));
  const left = 1 + Math.floor(rand() * (n - 1));
  for (let r = top; r < top + 2; r++) for (let c = left; c < left + 3; c++) grid[r]![c] = mask;
  return grid;
}

/** A pattern repeating with period `py` by `px`, with a 2x2 patch of colour `mask` painted on it. */
export function maskedPeriodicGrid(seed: number, mask: number): Grid {
  const rand = rng(seed);
  const py = 2 + Math.floor(rand() * 3);
  const px = 2 + Math.floor(rand() * 3);
  const tile = Array.from({ length: py }, () => Array.from({ length: px }, () => Math.floor(rand() * 8)));
  const grid = Array.from({ length: 12 }, (_, r) => Array.from({ length: 12 }, (_, c) => tile[r % py]![c % px]!));
  for (let r = 3; r < 5; r++) for (let c = 6; c < 8; c++) grid[r]![c] = mask;
  return grid;
}
