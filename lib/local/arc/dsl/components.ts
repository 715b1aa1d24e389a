/**
 * Connected objects of a grid and their properties, shared by the object and crop ops.
 * An object is the sorted list of its cells; objects come in scan order (row-major by first cell),
 * exactly as the Python helpers `_components`, `_objprops` and `_select` produce them.
 */
import { height, width, type Grid } from '../grid.ts';
import type { PyHelper } from './types.ts';

export type Cell = [number, number];
export type Obj = Cell[];

const N4: Cell[] = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];
const N8: Cell[] = [...N4, [-1, -1], [-1, 1], [1, -1], [1, 1]];

const cache = new WeakMap<Grid, Map<string, Obj[]>>();

/**
 * Objects of non-background cells, 4- or 8-connected (`diag`), one colour each or any (`multi`).
 * Memoised per grid object: callers must not mutate the grid or the returned objects.
 */
export function components(g: Grid, bg: number, diag: boolean, multi: boolean): Obj[] {
  let byArgs = cache.get(g);
  if (!byArgs) cache.set(g, (byArgs = new Map()));
  const key = `${bg},${diag},${multi}`;
  let objs = byArgs.get(key);
  if (!objs) byArgs.set(key, (objs = computeComponents(g, bg, diag, multi)));
  return objs;
}

function computeComponents(g: Grid, bg: number, diag: boolean, multi: boolean): Obj[] {
  const h = height(g);
  const w = width(g);
  const seen = g.map((row) => row.map(() => false));
  const nbrs = diag ? N8 : N4;
  const objs: Obj[] = [];
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      if (seen[r]![c] || g[r]![c] === bg) continue;
      const col = g[r]![c]!;
      seen[r]![c] = true;
      const stack: Cell[] = [[r, c]];
      const cells: Obj = [];
      while (stack.length > 0) {
        const [y, x] = stack.pop()!;
        cells.push([y, x]);
        for (const [dy, dx] of nbrs) {
          const ny = y + dy;
          const nx = x + dx;
          if (ny < 0 || ny >= h || nx < 0 || nx >= w || seen[ny]![nx]) continue;
          const v = g[ny]![nx]!;
          if (v === bg || (!multi && v !== col)) continue;
          seen[ny]![nx] = true;
          stack.push([ny, nx]);
        }
      }
      cells.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      objs.push(cells);
    }
  }
  return objs;
}

export interface Box {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export function bbox(cells: Obj): Box {
  let top = Infinity;
  let left = Infinity;
  let bottom = -Infinity;
  let right = -Infinity;
  for (const [r, c] of cells) {
    top = Math.min(top, r);
    bottom = Math.max(bottom, r);
    left = Math.min(left, c);
    right = Math.max(right, c);
  }
  return { top, left, bottom, right };
}

/** Background-like cells inside the object's box that cannot reach the box's edge without crossing it. */
function holeCount(cells: Obj): number {
  const { top, left, bottom, right } = bbox(cells);
  const h = bottom - top + 1;
  const w = right - left + 1;
  const inside = Array.from({ length: h }, () => new Array<boolean>(w).fill(false));
  for (const [r, c] of cells) inside[r - top]![c - left] = true;
  const reached = Array.from({ length: h }, () => new Array<boolean>(w).fill(false));
  const stack: Cell[] = [];
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      if ((r === 0 || c === 0 || r === h - 1 || c === w - 1) && !inside[r]![c]) {
        reached[r]![c] = true;
        stack.push([r, c]);
      }
    }
  }
  while (stack.length > 0) {
    const [y, x] = stack.pop()!;
    for (const [dy, dx] of N4) {
      const ny = y + dy;
      const nx = x + dx;
      if (ny < 0 || ny >= h || nx < 0 || nx >= w || reached[ny]![nx] || inside[ny]![nx]) continue;
      reached[ny]![nx] = true;
      stack.push([ny, nx]);
    }
  }
  let holes = 0;
  for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) if (!inside[r]![c] && !reached[r]![c]) holes++;
  return holes;
}

export const OBJECT_PROPS = [
  'size',
  'size rank (largest first)',
  'size rank (smallest first)',
  'touching the border',
  'being a solid rectangle',
  'height',
  'width',
  'having holes',
] as const;

/** Property `prop` (index into `OBJECT_PROPS`) of every object, as integers. */
export function objectProps(g: Grid, objs: Obj[], prop: number): number[] {
  const h = height(g);
  const w = width(g);
  const sizes = objs.map((o) => o.length);
  const uniq = [...new Set(sizes)].sort((a, b) => b - a);
  return objs.map((o) => {
    const b = bbox(o);
    switch (prop) {
      case 0:
        return o.length;
      case 1:
        return uniq.indexOf(o.length);
      case 2:
        return uniq.length - 1 - uniq.indexOf(o.length);
      case 3:
        return b.top === 0 || b.left === 0 || b.bottom === h - 1 || b.right === w - 1 ? 1 : 0;
      case 4:
        return o.length === (b.bottom - b.top + 1) * (b.right - b.left + 1) ? 1 : 0;
      case 5:
        return b.bottom - b.top + 1;
      case 6:
        return b.right - b.left + 1;
      default:
        return holeCount(o) > 0 ? 1 : 0;
    }
  });
}

export const SELECTORS = [
  'the largest object',
  'the smallest object',
  'the object with the largest bounding box',
  'the object with the smallest bounding box',
  'the object of a unique colour',
  'the object of a unique shape',
  'the object with the most colours',
] as const;

const shapeKey = (o: Obj): string => {
  const b = bbox(o);
  return o.map(([r, c]) => `${r - b.top},${c - b.left}`).join(';');
};

/** Index of the object selector `sel` picks (first on ties), or -1 when none qualifies. */
export function selectObject(g: Grid, objs: Obj[], sel: number): number {
  if (objs.length === 0) return -1;
  const argBest = (vals: number[], better: (a: number, b: number) => boolean): number => {
    let best = 0;
    for (let i = 1; i < vals.length; i++) if (better(vals[i]!, vals[best]!)) best = i;
    return best;
  };
  const area = (o: Obj): number => {
    const b = bbox(o);
    return (b.bottom - b.top + 1) * (b.right - b.left + 1);
  };
  switch (sel) {
    case 0:
      return argBest(
        objs.map((o) => o.length),
        (a, b) => a > b,
      );
    case 1:
      return argBest(
        objs.map((o) => o.length),
        (a, b) => a < b,
      );
    case 2:
      return argBest(objs.map(area), (a, b) => a > b);
    case 3:
      return argBest(objs.map(area), (a, b) => a < b);
    case 4: {
      const colors = objs.map((o) => g[o[0]![0]]![o[0]![1]]!);
      return colors.findIndex((c) => colors.filter((x) => x === c).length === 1);
    }
    case 5: {
      const keys = objs.map(shapeKey);
      return keys.findIndex((k) => keys.filter((x) => x === k).length === 1);
    }
    default:
      return argBest(
        objs.map((o) => new Set(o.map(([r, c]) => g[r]![c]!)).size),
        (a, b) => a > b,
      );
  }
}

export const componentHelpers: Record<string, PyHelper> = {
  _components: {
    src: `def _components(g, bg, diag, multi):
    h, w = len(g), len(g[0])
    seen = [[False] * w for _ in range(h)]
    nbrs = [(-1, 0), (1, 0), (0, -1), (0, 1)]
    if diag:
        nbrs = nbrs + [(-1, -1), (-1, 1), (1, -1), (1, 1)]
    objs = []
    for r in range(h):
        for c in range(w):
            if seen[r][c] or g[r][c] == bg:
                continue
            col = g[r][c]
            seen[r][c] = True
            stack = [(r, c)]
            cells = []
            while stack:
                y, x = stack.pop()
                cells.append((y, x))
                for dy, dx in nbrs:
                    ny, nx = y + dy, x + dx
                    if 0 <= ny < h and 0 <= nx < w and not seen[ny][nx] and g[ny][nx] != bg and (multi or g[ny][nx] == col):
                        seen[ny][nx] = True
                        stack.append((ny, nx))
            cells.sort()
            objs.append(cells)
    return objs`,
    deps: [],
  },
  _bbox: {
    src: `def _bbox(cells):
    rows = [r for r, c in cells]
    cols = [c for r, c in cells]
    return min(rows), min(cols), max(rows), max(cols)`,
    deps: [],
  },
  _holes: {
    src: `def _holes(cells):
    top, left, bottom, right = _bbox(cells)
    h, w = bottom - top + 1, right - left + 1
    inside = [[False] * w for _ in range(h)]
    for r, c in cells:
        inside[r - top][c - left] = True
    reached = [[False] * w for _ in range(h)]
    stack = []
    for r in range(h):
        for c in range(w):
            if (r == 0 or c == 0 or r == h - 1 or c == w - 1) and not inside[r][c]:
                reached[r][c] = True
                stack.append((r, c))
    while stack:
        y, x = stack.pop()
        for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            ny, nx = y + dy, x + dx
            if 0 <= ny < h and 0 <= nx < w and not reached[ny][nx] and not inside[ny][nx]:
                reached[ny][nx] = True
                stack.append((ny, nx))
    return sum(1 for r in range(h) for c in range(w) if not inside[r][c] and not reached[r][c])`,
    deps: ['_bbox'],
  },
  _objprops: {
    src: `def _objprops(g, objs, prop):
    h, w = len(g), len(g[0])
    uniq = sorted(set(len(o) for o in objs), reverse=True)
    out = []
    for o in objs:
        top, left, bottom, right = _bbox(o)
        if prop == 0:
            out.append(len(o))
        elif prop == 1:
            out.append(uniq.index(len(o)))
        elif prop == 2:
            out.append(len(uniq) - 1 - uniq.index(len(o)))
        elif prop == 3:
            out.append(1 if top == 0 or left == 0 or bottom == h - 1 or right == w - 1 else 0)
        elif prop == 4:
            out.append(1 if len(o) == (bottom - top + 1) * (right - left + 1) else 0)
        elif prop == 5:
            out.append(bottom - top + 1)
        elif prop == 6:
            out.append(right - left + 1)
        else:
            out.append(1 if _holes(o) > 0 else 0)
    return out`,
    deps: ['_bbox', '_holes'],
  },
  _select: {
    src: `def _select(g, objs, sel):
    if not objs:
        return -1
    idx = list(range(len(objs)))
    def area(o):
        top, left, bottom, right = _bbox(o)
        return (bottom - top + 1) * (right - left + 1)
    if sel == 0:
        return max(idx, key=lambda i: len(objs[i]))
    if sel == 1:
        return min(idx, key=lambda i: len(objs[i]))
    if sel == 2:
        return max(idx, key=lambda i: area(objs[i]))
    if sel == 3:
        return min(idx, key=lambda i: area(objs[i]))
    if sel == 4:
        colors = [g[o[0][0]][o[0][1]] for o in objs]
        for i in idx:
            if colors.count(colors[i]) == 1:
                return i
        return -1
    if sel == 5:
        keys = []
        for o in objs:
            top, left, bottom, right = _bbox(o)
            keys.append(tuple((r - top, c - left) for r, c in o))
        for i in idx:
            if keys.count(keys[i]) == 1:
                return i
        return -1
    return max(idx, key=lambda i: len(set(g[r][c] for r, c in objs[i])))`,
    deps: ['_bbox'],
  },
};
