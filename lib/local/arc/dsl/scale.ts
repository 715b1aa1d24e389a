/**
 * Scaling and tiling: blow each cell up to a block, shrink blocks back to cells (first cell or
 * commonest colour), scale by the number of colours, tile copies of the grid in a layout of
 * symmetries (plain and mirrored tilings), and the self-similar "kronecker" tiling of 007bbfb7.
 */
import { MAX_SIDE, colorCounts, height, makeGrid, mostCommonColor, width, type Grid } from '../grid.ts';
import { geom } from './geometry.ts';
import { intArg, matrixArg, type OpDef } from './types.ts';

export function upscale(g: Grid, a: number, b: number): Grid | null {
  if (height(g) * a > MAX_SIDE || width(g) * b > MAX_SIDE) return null;
  return makeGrid(height(g) * a, width(g) * b, (r, c) => g[Math.floor(r / a)]![Math.floor(c / b)]!);
}

export function downscale(g: Grid, a: number, b: number, vote: boolean): Grid | null {
  const h = height(g);
  const w = width(g);
  if (h % a !== 0 || w % b !== 0) return null;
  return makeGrid(h / a, w / b, (r, c) => {
    if (!vote) return g[r * a]![c * b]!;
    const block = g.slice(r * a, r * a + a).map((row) => row.slice(c * b, c * b + b));
    return mostCommonColor(block);
  });
}

/** Copies of `g`, block `(i, j)` transformed by symmetry `layout[i][j]`; null if blocks differ in shape. */
export function tileLayout(g: Grid, layout: number[][]): Grid | null {
  const blocks = layout.map((row) => row.map((k) => geom(g, k)));
  const bh = height(blocks[0]![0]!);
  const bw = width(blocks[0]![0]!);
  if (bh * layout.length > MAX_SIDE || bw * layout[0]!.length > MAX_SIDE) return null;
  if (blocks.some((row) => row.some((b) => height(b) !== bh || width(b) !== bw))) return null;
  return makeGrid(bh * layout.length, bw * layout[0]!.length, (r, c) => blocks[Math.floor(r / bh)]![Math.floor(c / bw)]![r % bh]![c % bw]!);
}

/**
 * Each cell of `g` becomes a copy of `g` or a blank block. Mode 0: a copy where the cell is not
 * background; 1: where it is background; 2: where it holds the grid's commonest colour.
 */
export function kron(g: Grid, bg: number, mode: number): Grid | null {
  const h = height(g);
  const w = width(g);
  if (h * h > MAX_SIDE || w * w > MAX_SIDE) return null;
  const major = mostCommonColor(g);
  return makeGrid(h * h, w * w, (r, c) => {
    const v = g[Math.floor(r / h)]![Math.floor(c / w)]!;
    const on = mode === 0 ? v !== bg : mode === 1 ? v === bg : v === major;
    return on ? g[r % h]![c % w]! : bg;
  });
}

const distinctNonBg = (g: Grid, bg: number): number => colorCounts(g).filter((n, c) => c !== bg && n > 0).length;

export const scaleOps: OpDef[] = [
  {
    name: 'upscale',
    describe: (a) => `scale up each cell to a ${intArg(a, 0)}x${intArg(a, 1)} block`,
    apply: (g, a) => upscale(g, intArg(a, 0), intArg(a, 1)),
    python: `def _upscale(g, a, b):
    if len(g) * a > 30 or len(g[0]) * b > 30:
        raise ValueError('too big')
    return [[g[r // a][c // b] for c in range(len(g[0]) * b)] for r in range(len(g) * a)]`,
    shape: 'other',
  },
  {
    name: 'downscale',
    describe: (a) => `shrink each ${intArg(a, 0)}x${intArg(a, 1)} block to ${intArg(a, 2) ? 'its commonest colour' : 'its first cell'}`,
    apply: (g, a) => downscale(g, intArg(a, 0), intArg(a, 1), intArg(a, 2) === 1),
    python: `def _downscale(g, a, b, vote):
    h, w = len(g), len(g[0])
    if h % a or w % b:
        raise ValueError('shape')
    if not vote:
        return [[g[r * a][c * b] for c in range(w // b)] for r in range(h // a)]
    return [[_mostcommon([row[c * b:c * b + b] for row in g[r * a:r * a + a]]) for c in range(w // b)] for r in range(h // a)]`,
    deps: ['_mostcommon'],
    shape: 'other',
  },
  {
    name: 'upscale_by_colors',
    describe: () => 'scale up by the number of colours in the grid',
    apply: (g, a) => {
      const k = distinctNonBg(g, intArg(a, 0));
      return k === 0 ? null : upscale(g, k, k);
    },
    python: `def _upscale_by_colors(g, bg):
    k = len(set(v for row in g for v in row if v != bg))
    if k == 0:
        raise ValueError('empty')
    return _upscale(g, k, k)`,
    deps: ['_upscale'],
    shape: 'other',
  },
  {
    name: 'tile_layout',
    describe: (a) => {
      const l = matrixArg(a, 0);
      const mirrored = l.some((row) => row.some((k) => k !== 0));
      return `tile the grid ${l.length}x${l[0]!.length}${mirrored ? ' with mirrored or rotated copies' : ''}`;
    },
    apply: (g, a) => tileLayout(g, matrixArg(a, 0)),
    python: `def _tile_layout(g, layout):
    blocks = [[_geom(g, k) for k in row] for row in layout]
    bh, bw = len(blocks[0][0]), len(blocks[0][0][0])
    if bh * len(layout) > 30 or bw * len(layout[0]) > 30:
        raise ValueError('too big')
    for brow in blocks:
        for b in brow:
            if len(b) != bh or len(b[0]) != bw:
                raise ValueError('shape')
    return [[blocks[r // bh][c // bw][r % bh][c % bw] for c in range(bw * len(layout[0]))] for r in range(bh * len(layout))]`,
    deps: ['_geom'],
    shape: 'other',
  },
  {
    name: 'kron',
    describe: (a) =>
      `place a copy of the grid at every ${['non-background', 'background', 'majority-colour'][intArg(a, 1)] ?? 'non-background'} cell of itself`,
    apply: (g, a) => kron(g, intArg(a, 0), intArg(a, 1)),
    python: `def _kron(g, bg, mode):
    h, w = len(g), len(g[0])
    if h * h > 30 or w * w > 30:
        raise ValueError('too big')
    major = _mostcommon(g)
    out = []
    for r in range(h * h):
        row = []
        for c in range(w * w):
            v = g[r // h][c // w]
            on = v != bg if mode == 0 else (v == bg if mode == 1 else v == major)
            row.append(g[r % h][c % w] if on else bg)
        out.append(row)
    return out`,
    deps: ['_mostcommon'],
    shape: 'other',
  },
];
