/**
 * Movement ops: gravity (every non-background cell slides as far as it can in one of four
 * directions, keeping its order in its row or column) and a rigid shift of the whole grid.
 */
import { height, makeGrid, width, type Grid } from '../grid.ts';
import { intArg, type OpDef } from './types.ts';

export const DIRECTIONS = ['down', 'up', 'left', 'right'] as const;

function pack(line: number[], bg: number, front: boolean): number[] {
  const vals = line.filter((v) => v !== bg);
  const pad = new Array<number>(line.length - vals.length).fill(bg);
  return front ? [...vals, ...pad] : [...pad, ...vals];
}

/** Cells slide towards direction `d` (0 down, 1 up, 2 left, 3 right). */
export function gravity(g: Grid, bg: number, d: number): Grid {
  if (d >= 2) return g.map((row) => pack(row, bg, d === 2));
  const cols = Array.from({ length: width(g) }, (_, c) => pack(g.map((row) => row[c]!), bg, d === 1));
  return makeGrid(height(g), width(g), (r, c) => cols[c]![r]!);
}

export const gravityOps: OpDef[] = [
  {
    name: 'gravity',
    describe: (a) => `let every coloured cell fall ${DIRECTIONS[intArg(a, 1)] ?? 'down'}`,
    apply: (g, a) => gravity(g, intArg(a, 0), intArg(a, 1)),
    python: `def _gravity(g, bg, d):
    def pack(line, front):
        vals = [v for v in line if v != bg]
        pad = [bg] * (len(line) - len(vals))
        return vals + pad if front else pad + vals
    if d >= 2:
        return [pack(row, d == 2) for row in g]
    cols = [pack([row[c] for row in g], d == 1) for c in range(len(g[0]))]
    return [[cols[c][r] for c in range(len(cols))] for r in range(len(g))]`,
    shape: 'same',
  },
  {
    name: 'shift',
    describe: (a) => `shift everything by ${intArg(a, 0)} rows and ${intArg(a, 1)} columns`,
    apply: (g, a) => {
      const [dr, dc, bg] = [intArg(a, 0), intArg(a, 1), intArg(a, 2)];
      return makeGrid(height(g), width(g), (r, c) => g[r - dr]?.[c - dc] ?? bg);
    },
    python: `def _shift(g, dr, dc, bg):
    h, w = len(g), len(g[0])
    return [[g[r - dr][c - dc] if 0 <= r - dr < h and 0 <= c - dc < w else bg for c in range(w)] for r in range(h)]`,
    shape: 'same',
  },
];
