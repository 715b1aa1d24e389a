/**
 * Painting ops: fill background regions enclosed by other colours, draw a halo around coloured
 * cells (one colour, or a colour per source colour), and draw lines from coloured cells across the background in chosen directions.
 */
import { cloneGrid, height, width, type Grid } from '../grid.ts';
import { intArg, tableArg, type OpDef } from './types.ts';

/** Up, down, left, right, then the four diagonals; bit `i` of a direction mask selects `LINE_DIRS[i]`. */
export const LINE_DIRS: [number, number][] = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
  [-1, -1],
  [-1, 1],
  [1, -1],
  [1, 1],
];

const DIR_WORDS = ['up', 'down', 'left', 'right', 'up-left', 'up-right', 'down-left', 'down-right'];

export function fillEnclosed(g: Grid, bg: number, color: number): Grid {
  const h = height(g);
  const w = width(g);
  const reached = g.map((row) => row.map(() => false));
  const stack: [number, number][] = [];
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      if ((r === 0 || c === 0 || r === h - 1 || c === w - 1) && g[r]![c] === bg) {
        reached[r]![c] = true;
        stack.push([r, c]);
      }
    }
  }
  while (stack.length > 0) {
    const [y, x] = stack.pop()!;
    for (const [dy, dx] of LINE_DIRS.slice(0, 4)) {
      const ny = y + dy;
      const nx = x + dx;
      if (ny < 0 || ny >= h || nx < 0 || nx >= w || reached[ny]![nx] || g[ny]![nx] !== bg) continue;
      reached[ny]![nx] = true;
      stack.push([ny, nx]);
    }
  }
  return g.map((row, r) => row.map((v, c) => (v === bg && !reached[r]![c] ? color : v)));
}

export const fillOps: OpDef[] = [
  {
    name: 'fill_enclosed',
    describe: (a) => `fill enclosed background regions with colour ${intArg(a, 1)}`,
    apply: (g, a) => fillEnclosed(g, intArg(a, 0), intArg(a, 1)),
    python: `def _fill_enclosed(g, bg, color):
    h, w = len(g), len(g[0])
    reached = [[False] * w for _ in range(h)]
    stack = []
    for r in range(h):
        for c in range(w):
            if (r == 0 or c == 0 or r == h - 1 or c == w - 1) and g[r][c] == bg:
                reached[r][c] = True
                stack.append((r, c))
    while stack:
        y, x = stack.pop()
        for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            ny, nx = y + dy, x + dx
            if 0 <= ny < h and 0 <= nx < w and not reached[ny][nx] and g[ny][nx] == bg:
                reached[ny][nx] = True
                stack.append((ny, nx))
    return [[color if g[r][c] == bg and not reached[r][c] else g[r][c] for c in range(w)] for r in range(h)]`,
    shape: 'same',
  },
  {
    name: 'halo',
    describe: (a) =>
      `surround ${intArg(a, 1) < 0 ? 'coloured cells' : `cells of colour ${intArg(a, 1)}`} with colour ${intArg(a, 2)} (${intArg(a, 3) ? '8' : '4'} neighbours)`,
    apply: (g, a) => {
      const [bg, src, color, diag] = [intArg(a, 0), intArg(a, 1), intArg(a, 2), intArg(a, 3)];
      const dirs = LINE_DIRS.slice(0, diag ? 8 : 4);
      return g.map((row, r) =>
        row.map((v, c) => {
          if (v !== bg) return v;
          const near = dirs.some(([dr, dc]) => {
            const u = g[r + dr]?.[c + dc];
            return u !== undefined && (src < 0 ? u !== bg : u === src);
          });
          return near ? color : v;
        }),
      );
    },
    python: `def _halo(g, bg, src, color, diag):
    h, w = len(g), len(g[0])
    dirs = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)][:8 if diag else 4]
    out = [row[:] for row in g]
    for r in range(h):
        for c in range(w):
            if g[r][c] != bg:
                continue
            for dr, dc in dirs:
                y, x = r + dr, c + dc
                if 0 <= y < h and 0 <= x < w and (g[y][x] != bg if src < 0 else g[y][x] == src):
                    out[r][c] = color
                    break
    return out`,
    shape: 'same',
  },
  {
    name: 'halo_map',
    describe: (a) => {
      const table = Object.entries(tableArg(a, 1))
        .map(([k, v]) => `${k}->${v}`)
        .join(', ');
      return `surround each coloured cell with a colour that depends on its own (${table}; ${intArg(a, 2) ? '8' : '4'} neighbours)`;
    },
    apply: (g, a) => {
      const [bg, table, diag] = [intArg(a, 0), tableArg(a, 1), intArg(a, 2)];
      const dirs = LINE_DIRS.slice(0, diag ? 8 : 4);
      return g.map((row, r) =>
        row.map((v, c) => {
          if (v !== bg) return v;
          for (const [dr, dc] of dirs) {
            const u = g[r + dr]?.[c + dc];
            if (u !== undefined && table[u] !== undefined) return table[u]!;
          }
          return v;
        }),
      );
    },
    python: `def _halo_map(g, bg, table, diag):
    h, w = len(g), len(g[0])
    dirs = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)][:8 if diag else 4]
    out = [row[:] for row in g]
    for r in range(h):
        for c in range(w):
            if g[r][c] != bg:
                continue
            for dr, dc in dirs:
                y, x = r + dr, c + dc
                if 0 <= y < h and 0 <= x < w and g[y][x] in table:
                    out[r][c] = table[g[y][x]]
                    break
    return out`,
    shape: 'same',
  },
  {
    name: 'draw_lines',
    describe: (a) => {
      const dirs = DIR_WORDS.filter((_, i) => intArg(a, 2) & (1 << i)).join(', ');
      return `draw lines ${dirs} from ${intArg(a, 1) < 0 ? 'every coloured cell' : `cells of colour ${intArg(a, 1)}`} until they meet something`;
    },
    apply: (g, a) => {
      const [bg, src, mask] = [intArg(a, 0), intArg(a, 1), intArg(a, 2)];
      const h = height(g);
      const w = width(g);
      const out = cloneGrid(g);
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          const v = g[r]![c]!;
          if (v === bg || (src >= 0 && v !== src)) continue;
          LINE_DIRS.forEach(([dr, dc], i) => {
            if (!(mask & (1 << i))) return;
            let y = r + dr;
            let x = c + dc;
            while (y >= 0 && y < h && x >= 0 && x < w && g[y]![x] === bg) {
              if (out[y]![x] === bg) out[y]![x] = v;
              y += dr;
              x += dc;
            }
          });
        }
      }
      return out;
    },
    python: `def _draw_lines(g, bg, src, mask):
    h, w = len(g), len(g[0])
    dirs = [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (-1, 1), (1, -1), (1, 1)]
    out = [row[:] for row in g]
    for r in range(h):
        for c in range(w):
            v = g[r][c]
            if v == bg or (src >= 0 and v != src):
                continue
            for i, (dr, dc) in enumerate(dirs):
                if not mask & (1 << i):
                    continue
                y, x = r + dr, c + dc
                while 0 <= y < h and 0 <= x < w and g[y][x] == bg:
                    if out[y][x] == bg:
                        out[y][x] = v
                    y, x = y + dr, x + dc
    return out`,
    shape: 'same',
  },
];
