/**
 * Periodic patterns: find the smallest row and column periods a grid repeats with (ignoring cells
 * of a mask colour), then either fill the masked cells from the pattern or extend the pattern to a
 * grid `a` by `b` times as large.
 */
import { height, makeGrid, MAX_SIDE, width, type Grid } from '../grid.ts';
import { intArg, type OpDef } from './types.ts';

/**
 * Smallest periods `[py, px]` (by area, then rows) such that all cells other than `mask` in the
 * same residue class agree and every class has such a cell; null if none smaller than the grid.
 */
export function findPeriod(g: Grid, mask: number): [number, number] | null {
  const h = height(g);
  const w = width(g);
  let best: [number, number] | null = null;
  for (let py = 1; py <= h; py++) {
    for (let px = 1; px <= w; px++) {
      if (py * px >= h * w || (best && py * px >= best[0] * best[1])) continue;
      const cls = new Array<number>(py * px).fill(-1);
      let ok = true;
      for (let r = 0; r < h && ok; r++) {
        for (let c = 0; c < w; c++) {
          const v = g[r]![c]!;
          if (v === mask) continue;
          const k = (r % py) * px + (c % px);
          if (cls[k] === -1) cls[k] = v;
          else if (cls[k] !== v) {
            ok = false;
            break;
          }
        }
      }
      if (ok && !cls.includes(-1)) best = [py, px];
    }
  }
  return best;
}

export const periodicOps: OpDef[] = [
  {
    name: 'periodic_fill',
    describe: (a) => `fill the colour-${intArg(a, 0)} cells by continuing the repeating pattern`,
    apply: (g, a) => {
      const mask = intArg(a, 0);
      const period = findPeriod(g, mask);
      if (!period) return null;
      const [py, px] = period;
      const tile = makeGrid(py, px, () => -1);
      g.forEach((row, r) => row.forEach((v, c) => v !== mask && (tile[r % py]![c % px] = v)));
      return g.map((row, r) => row.map((_, c) => tile[r % py]![c % px]!));
    },
    python: `def _find_period(g, mask):
    h, w = len(g), len(g[0])
    best = None
    for py in range(1, h + 1):
        for px in range(1, w + 1):
            if py * px >= h * w or (best and py * px >= best[0] * best[1]):
                continue
            cls = [-1] * (py * px)
            ok = True
            for r in range(h):
                for c in range(w):
                    v = g[r][c]
                    if v == mask:
                        continue
                    k = (r % py) * px + (c % px)
                    if cls[k] == -1:
                        cls[k] = v
                    elif cls[k] != v:
                        ok = False
                        break
                if not ok:
                    break
            if ok and -1 not in cls:
                best = (py, px)
    return best

def _periodic_fill(g, mask):
    period = _find_period(g, mask)
    if period is None:
        raise ValueError('no period')
    py, px = period
    tile = [[-1] * px for _ in range(py)]
    for r in range(len(g)):
        for c in range(len(g[0])):
            if g[r][c] != mask:
                tile[r % py][c % px] = g[r][c]
    return [[tile[r % py][c % px] for c in range(len(g[0]))] for r in range(len(g))]`,
    shape: 'same',
  },
  {
    name: 'extend_periodic',
    describe: (a) => `continue the repeating pattern to ${intArg(a, 0)}x${intArg(a, 1)} the size`,
    apply: (g, a) => {
      const [ka, kb] = [intArg(a, 0), intArg(a, 1)];
      if (height(g) * ka > MAX_SIDE || width(g) * kb > MAX_SIDE) return null;
      const period = findPeriod(g, -1) ?? [height(g), width(g)];
      const [py, px] = period;
      return makeGrid(height(g) * ka, width(g) * kb, (r, c) => g[r % py]![c % px]!);
    },
    python: `def _extend_periodic(g, a, b):
    h, w = len(g), len(g[0])
    if h * a > 30 or w * b > 30:
        raise ValueError('too big')
    py, px = _find_period(g, -1) or (h, w)
    return [[g[r % py][c % px] for c in range(w * b)] for r in range(h * a)]`,
    deps: ['_periodic_fill'],
    shape: 'other',
  },
];
