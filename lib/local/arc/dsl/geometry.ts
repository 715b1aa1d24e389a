/**
 * Geometry: the eight symmetries of the square (identity, three rotations, two flips, the two
 * diagonal transposes) as one op `geom` whose argument picks which.
 */
import { height, makeGrid, width, type Grid } from '../grid.ts';
import { intArg, type OpDef } from './types.ts';

export const GEOM_NAMES = [
  'identity',
  'rotate 90 degrees clockwise',
  'rotate 180 degrees',
  'rotate 90 degrees anticlockwise',
  'mirror left to right',
  'flip upside down',
  'transpose along the main diagonal',
  'transpose along the anti-diagonal',
] as const;

/** Symmetry `k` of the square (see `GEOM_NAMES`) applied to `g`. */
export function geom(g: Grid, k: number): Grid {
  const h = height(g);
  const w = width(g);
  switch (k) {
    case 0:
      return makeGrid(h, w, (r, c) => g[r]![c]!);
    case 1:
      return makeGrid(w, h, (r, c) => g[h - 1 - c]![r]!);
    case 2:
      return makeGrid(h, w, (r, c) => g[h - 1 - r]![w - 1 - c]!);
    case 3:
      return makeGrid(w, h, (r, c) => g[c]![w - 1 - r]!);
    case 4:
      return makeGrid(h, w, (r, c) => g[r]![w - 1 - c]!);
    case 5:
      return makeGrid(h, w, (r, c) => g[h - 1 - r]![c]!);
    case 6:
      return makeGrid(w, h, (r, c) => g[c]![r]!);
    default:
      return makeGrid(w, h, (r, c) => g[h - 1 - c]![w - 1 - r]!);
  }
}

/** Whether symmetry `k` swaps height and width. */
export const geomTransposes = (k: number): boolean => k === 1 || k === 3 || k === 6 || k === 7;

const PY_GEOM = `def _geom(g, k):
    h, w = len(g), len(g[0])
    if k == 0:
        return [row[:] for row in g]
    if k == 1:
        return [[g[h - 1 - c][r] for c in range(h)] for r in range(w)]
    if k == 2:
        return [row[::-1] for row in g[::-1]]
    if k == 3:
        return [[g[c][w - 1 - r] for c in range(h)] for r in range(w)]
    if k == 4:
        return [row[::-1] for row in g]
    if k == 5:
        return [row[:] for row in g[::-1]]
    if k == 6:
        return [[g[c][r] for c in range(h)] for r in range(w)]
    return [[g[h - 1 - c][w - 1 - r] for c in range(h)] for r in range(w)]`;

export const geometryOps: OpDef[] = [
  {
    name: 'geom',
    describe: (a) => GEOM_NAMES[intArg(a, 0)] ?? 'identity',
    apply: (g, a) => geom(g, intArg(a, 0)),
    python: PY_GEOM,
    shape: (a) => (geomTransposes(intArg(a, 0)) ? 'transpose' : 'same'),
  },
];
