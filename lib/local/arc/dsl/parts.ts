/**
 * Parts of a grid: split it into `n` equal parts along rows or columns, or into `n` by `n` blocks
 * (dropping uniform separator lines between them when there are any), take one part, or combine the parts cell by cell with a
 * boolean operation (AND, OR, XOR, NOR, difference) or by overlaying them.
 */
import { cloneGrid, makeGrid, type Grid } from '../grid.ts';
import { intArg, type OpDef, type PyHelper } from './types.ts';

const cloneParts = (g: Grid | undefined): Grid | null => (g ? cloneGrid(g) : null);

const cache = new WeakMap<Grid, Map<string, Grid[] | null>>();

/**
 * The parts of `g` along `axis` (0: `n` stacked bands, 1: `n` side-by-side bands, 2: `n` by `n`
 * blocks in reading order), or null.
 * Memoised per grid object: callers must not mutate the grid or the parts.
 */
export function splitParts(g: Grid, axis: number, n: number): Grid[] | null {
  let byArgs = cache.get(g);
  if (!byArgs) cache.set(g, (byArgs = new Map()));
  const key = `${axis},${n}`;
  if (!byArgs.has(key)) byArgs.set(key, computeParts(g, axis, n));
  return byArgs.get(key)!;
}

function computeParts(g: Grid, axis: number, n: number): Grid[] | null {
  if (axis === 2) {
    const bands = computeParts(g, 0, n);
    if (!bands) return null;
    const cells: Grid[] = [];
    for (const band of bands) {
      const parts = computeParts(band, 1, n);
      if (!parts) return null;
      cells.push(...parts);
    }
    return cells;
  }
  const len = axis === 0 ? g.length : g[0]!.length;
  const line = (i: number): number[] => (axis === 0 ? g[i]! : g.map((row) => row[i]!));
  const slice = (from: number, to: number): Grid => (axis === 0 ? g.slice(from, to).map((row) => row.slice()) : g.map((row) => row.slice(from, to)));
  if (n < 2) return null;
  const p = (len - (n - 1)) / n;
  if (Number.isInteger(p) && p >= 1) {
    let separated = true;
    for (let i = 1; i < n && separated; i++) {
      const sep = line(i * (p + 1) - 1);
      separated = sep.every((v) => v === sep[0]);
    }
    if (separated) return Array.from({ length: n }, (_, i) => slice(i * (p + 1), i * (p + 1) + p));
  }
  if (len % n !== 0) return null;
  const q = len / n;
  return Array.from({ length: n }, (_, i) => slice(i * q, i * q + q));
}

const PART_LAYOUTS = ['stacked', 'side-by-side', 'block'];

export const COMBINE_OPS = [
  'cells set in every part',
  'cells set in any part',
  'cells set in exactly one part',
  'cells set in no part',
  'cells set in the first part only',
  'cells set in the last part only',
  'overlay, first part on top',
  'overlay, last part on top',
] as const;

export function combineParts(parts: Grid[], op: number, color: number, bg: number): Grid {
  const h = parts[0]!.length;
  const w = parts[0]![0]!.length;
  return makeGrid(h, w, (r, c) => {
    const vals = parts.map((p) => p[r]![c]!);
    if (op === 6) return vals.find((v) => v !== bg) ?? bg;
    if (op === 7) return [...vals].reverse().find((v) => v !== bg) ?? bg;
    const set = vals.map((v) => v !== bg);
    const count = set.filter(Boolean).length;
    const on = [
      count === set.length,
      count > 0,
      count === 1,
      count === 0,
      set[0]! && count === 1,
      set[set.length - 1]! && count === 1,
    ][op];
    return on ? color : bg;
  });
}

export const partsHelpers: Record<string, PyHelper> = {
  _split_parts: {
    src: `def _split_parts(g, axis, n):
    length = len(g) if axis == 0 else len(g[0])
    def line(i):
        return g[i] if axis == 0 else [row[i] for row in g]
    def part(a, b):
        return [row[:] for row in g[a:b]] if axis == 0 else [row[a:b] for row in g]
    if n < 2:
        raise ValueError('parts')
    if axis == 2:
        return [block for band in _split_parts(g, 0, n) for block in _split_parts(band, 1, n)]
    if (length - (n - 1)) % n == 0 and (length - (n - 1)) // n >= 1:
        p = (length - (n - 1)) // n
        if all(len(set(line(i * (p + 1) - 1))) == 1 for i in range(1, n)):
            return [part(i * (p + 1), i * (p + 1) + p) for i in range(n)]
    if length % n:
        raise ValueError('parts')
    q = length // n
    return [part(i * q, i * q + q) for i in range(n)]`,
    deps: [],
  },
};

export const partOps: OpDef[] = [
  {
    name: 'take_part',
    describe: (a) => `take part ${intArg(a, 2) + 1} of ${intArg(a, 1)} ${PART_LAYOUTS[intArg(a, 0)] ?? 'side-by-side'} parts`,
    apply: (g, a) => cloneParts(splitParts(g, intArg(a, 0), intArg(a, 1))?.[intArg(a, 2)]),
    python: `def _take_part(g, axis, n, i):
    return _split_parts(g, axis, n)[i]`,
    deps: ['_split_parts'],
    shape: 'other',
  },
  {
    name: 'combine_parts',
    describe: (a) =>
      `split into ${intArg(a, 1)} ${PART_LAYOUTS[intArg(a, 0)] ?? 'side-by-side'} parts and mark ${COMBINE_OPS[intArg(a, 2)] ?? 'cells'}${intArg(a, 2) < 6 ? ` with colour ${intArg(a, 3)}` : ''}`,
    apply: (g, a) => {
      const parts = splitParts(g, intArg(a, 0), intArg(a, 1));
      return parts ? combineParts(parts, intArg(a, 2), intArg(a, 3), intArg(a, 4)) : null;
    },
    python: `def _combine_parts(g, axis, n, op, color, bg):
    parts = _split_parts(g, axis, n)
    h, w = len(parts[0]), len(parts[0][0])
    out = []
    for r in range(h):
        row = []
        for c in range(w):
            vals = [p[r][c] for p in parts]
            if op == 6 or op == 7:
                order = vals if op == 6 else vals[::-1]
                row.append(next((v for v in order if v != bg), bg))
                continue
            on = [v != bg for v in vals]
            count = sum(on)
            ok = [count == len(on), count > 0, count == 1, count == 0, on[0] and count == 1, on[-1] and count == 1][op]
            row.append(color if ok else bg)
        out.append(row)
    return out`,
    deps: ['_split_parts'],
    shape: 'other',
  },
];
