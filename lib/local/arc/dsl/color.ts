/**
 * Colour ops: a colour map (learned from the training pairs), keeping or erasing one colour,
 * filling the grid with its commonest colour, and the commonest or rarest colour as a 1x1 grid.
 */
import { colorCounts, makeGrid, mostCommonColor, type Grid } from '../grid.ts';
import { intArg, tableArg, type OpDef } from './types.ts';

/** Apply a colour map; colours it does not name stay as they are. */
export function recolor(g: Grid, map: { [key: string]: number }): Grid {
  return g.map((row) => row.map((v) => map[v] ?? v));
}

/** The commonest (`which` 0) or rarest present (`which` 1) colour other than `bg`; ties to the lowest. */
export function rankedColor(g: Grid, bg: number, which: number): number | null {
  const counts = colorCounts(g);
  let best = -1;
  for (let c = 0; c < 10; c++) {
    if (c === bg || counts[c] === 0) continue;
    if (best < 0 || (which === 0 ? counts[c]! > counts[best]! : counts[c]! < counts[best]!)) best = c;
  }
  return best < 0 ? null : best;
}

const describeMap = (m: { [key: string]: number }): string =>
  Object.entries(m)
    .map(([k, v]) => `${k}->${v}`)
    .join(', ');

export const colorOps: OpDef[] = [
  {
    name: 'recolor',
    describe: (a) => `recolour cells (${describeMap(tableArg(a, 0))})`,
    apply: (g, a) => recolor(g, tableArg(a, 0)),
    python: `def _recolor(g, m):
    return [[m.get(v, v) for v in row] for row in g]`,
    shape: 'same',
  },
  {
    name: 'keep_color',
    describe: (a) => `keep only colour ${intArg(a, 0)}`,
    apply: (g, a) => g.map((row) => row.map((v) => (v === intArg(a, 0) ? v : intArg(a, 1)))),
    python: `def _keep_color(g, c, bg):
    return [[v if v == c else bg for v in row] for row in g]`,
    shape: 'same',
  },
  {
    name: 'erase_color',
    describe: (a) => `erase colour ${intArg(a, 0)}`,
    apply: (g, a) => g.map((row) => row.map((v) => (v === intArg(a, 0) ? intArg(a, 1) : v))),
    python: `def _erase_color(g, c, bg):
    return [[bg if v == c else v for v in row] for row in g]`,
    shape: 'same',
  },
  {
    name: 'fill_majority',
    describe: () => 'paint every cell with the commonest colour',
    apply: (g) => {
      const c = mostCommonColor(g);
      return g.map((row) => row.map(() => c));
    },
    python: `def _fill_majority(g):
    c = _mostcommon(g)
    return [[c for v in row] for row in g]`,
    deps: ['_mostcommon'],
    shape: 'same',
  },
  {
    name: 'ranked_color',
    describe: (a) => `answer the ${intArg(a, 1) === 0 ? 'commonest' : 'rarest'} colour as one cell`,
    apply: (g, a) => {
      const c = rankedColor(g, intArg(a, 0), intArg(a, 1));
      return c === null ? null : makeGrid(1, 1, () => c);
    },
    python: `def _ranked_color(g, bg, which):
    counts = [0] * 10
    for row in g:
        for v in row:
            counts[v] += 1
    present = [c for c in range(10) if c != bg and counts[c] > 0]
    if not present:
        raise ValueError('no colour')
    if which == 0:
        return [[max(present, key=lambda c: counts[c])]]
    return [[min(present, key=lambda c: counts[c])]]`,
    shape: 'other',
  },
];

export const colorHelpers = {
  _mostcommon: {
    src: `def _mostcommon(g):
    counts = [0] * 10
    for row in g:
        for v in row:
            counts[v] += 1
    return max(range(10), key=lambda c: counts[c])`,
    deps: [],
  },
};
