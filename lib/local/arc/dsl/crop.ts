/**
 * Cropping ops: to the bounding box of everything not background, to a selected object (its box,
 * or only its cells), or to the box of one colour (with or without that colour's frame).
 */
import { type Grid } from '../grid.ts';
import { SELECTORS, bbox, components, selectObject, type Cell } from './components.ts';
import { intArg, type OpDef } from './types.ts';

export function cropBox(g: Grid, top: number, left: number, bottom: number, right: number): Grid | null {
  if (top > bottom || left > right) return null;
  return g.slice(top, bottom + 1).map((row) => row.slice(left, right + 1));
}

function cellsWhere(g: Grid, keep: (v: number) => boolean): Cell[] {
  const cells: Cell[] = [];
  g.forEach((row, r) => row.forEach((v, c) => keep(v) && cells.push([r, c])));
  return cells;
}

export const cropOps: OpDef[] = [
  {
    name: 'crop_bbox',
    describe: () => 'crop to the bounding box of the non-background cells',
    apply: (g, a) => {
      const cells = cellsWhere(g, (v) => v !== intArg(a, 0));
      if (cells.length === 0) return null;
      const b = bbox(cells);
      return cropBox(g, b.top, b.left, b.bottom, b.right);
    },
    python: `def _crop_bbox(g, bg):
    cells = [(r, c) for r in range(len(g)) for c in range(len(g[0])) if g[r][c] != bg]
    if not cells:
        raise ValueError('empty')
    top, left, bottom, right = _bbox(cells)
    return [row[left:right + 1] for row in g[top:bottom + 1]]`,
    deps: ['_bbox'],
    shape: 'other',
  },
  {
    name: 'crop_object',
    describe: (a) =>
      `crop to ${SELECTORS[intArg(a, 1)] ?? 'one object'}${intArg(a, 4) ? ', keeping only its cells' : ''} (${intArg(a, 2) ? '8' : '4'}-connected${intArg(a, 3) ? ', any colours' : ''})`,
    apply: (g, a) => {
      const bg = intArg(a, 0);
      const objs = components(g, bg, intArg(a, 2) === 1, intArg(a, 3) === 1);
      const i = selectObject(g, objs, intArg(a, 1));
      if (i < 0) return null;
      const o = objs[i]!;
      const b = bbox(o);
      if (!intArg(a, 4)) return cropBox(g, b.top, b.left, b.bottom, b.right);
      const out = cropBox(g, b.top, b.left, b.bottom, b.right)!.map((row) => row.map(() => bg));
      for (const [r, c] of o) out[r - b.top]![c - b.left] = g[r]![c]!;
      return out;
    },
    python: `def _crop_object(g, bg, sel, diag, multi, only):
    objs = _components(g, bg, diag, multi)
    i = _select(g, objs, sel)
    if i < 0:
        raise ValueError('no object')
    top, left, bottom, right = _bbox(objs[i])
    if not only:
        return [row[left:right + 1] for row in g[top:bottom + 1]]
    out = [[bg] * (right - left + 1) for _ in range(bottom - top + 1)]
    for r, c in objs[i]:
        out[r - top][c - left] = g[r][c]
    return out`,
    deps: ['_components', '_select', '_bbox'],
    shape: 'other',
  },
  {
    name: 'crop_color_box',
    describe: (a) => `crop to the box of colour ${intArg(a, 0)}${intArg(a, 1) ? ', inside its frame' : ''}`,
    apply: (g, a) => {
      const cells = cellsWhere(g, (v) => v === intArg(a, 0));
      if (cells.length === 0) return null;
      const b = bbox(cells);
      const d = intArg(a, 1);
      return cropBox(g, b.top + d, b.left + d, b.bottom - d, b.right - d);
    },
    python: `def _crop_color_box(g, color, inner):
    cells = [(r, c) for r in range(len(g)) for c in range(len(g[0])) if g[r][c] == color]
    if not cells:
        raise ValueError('empty')
    top, left, bottom, right = _bbox(cells)
    top, left, bottom, right = top + inner, left + inner, bottom - inner, right - inner
    if top > bottom or left > right:
        raise ValueError('empty')
    return [row[left:right + 1] for row in g[top:bottom + 1]]`,
    deps: ['_bbox'],
    shape: 'other',
  },
];
