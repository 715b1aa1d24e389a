/**
 * Local rules: each cell's new colour is looked up from a feature of its neighbourhood (its
 * 4-neighbours, its 3x3 patch, how many coloured neighbours it has, or which colours share its
 * row and column) in a table learned from the training pairs; unknown features keep the colour.
 */
import { height, width, type Grid } from '../grid.ts';
import { intArg, tableArg, type OpDef } from './types.ts';

export const RULE_FEATURES = ['its 4 neighbours', 'its 3x3 neighbourhood', 'its count of coloured neighbours', 'the colours in its row and column'] as const;

/** The feature key of every cell of `g` (strings, identical to the Python `_rule_keys`). */
export function ruleKeys(g: Grid, feat: number, bg: number): string[][] {
  const h = height(g);
  const w = width(g);
  const at = (y: number, x: number): number => (y >= 0 && y < h && x >= 0 && x < w ? g[y]![x]! : -1);
  const setKey = (vals: number[]): string => [...new Set(vals)].sort((a, b) => a - b).join(',');
  const rowSets = g.map((row) => setKey(row));
  const colSets = Array.from({ length: w }, (_, c) => setKey(g.map((row) => row[c]!)));
  return g.map((row, r) =>
    row.map((v, c) => {
      if (feat === 0) return `${v},${at(r - 1, c)},${at(r + 1, c)},${at(r, c - 1)},${at(r, c + 1)}`;
      if (feat === 1) {
        const vals: number[] = [];
        for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) vals.push(at(r + dr, c + dc));
        return vals.join(',');
      }
      if (feat === 2) {
        let n = 0;
        for (let dr = -1; dr <= 1; dr++) {
          for (let dc = -1; dc <= 1; dc++) {
            const u = at(r + dr, c + dc);
            if ((dr || dc) && u !== -1 && u !== bg) n++;
          }
        }
        return `${v}|${n}`;
      }
      return `${v}|${rowSets[r]}|${colSets[c]}`;
    }),
  );
}

export const localRuleOps: OpDef[] = [
  {
    name: 'local_rule',
    describe: (a) => `recolour each cell by a learned rule on ${RULE_FEATURES[intArg(a, 0)] ?? 'its neighbourhood'} (${Object.keys(tableArg(a, 2)).length} cases)`,
    apply: (g, a) => {
      const table = tableArg(a, 2);
      const keys = ruleKeys(g, intArg(a, 0), intArg(a, 1));
      return g.map((row, r) => row.map((v, c) => table[keys[r]![c]!] ?? v));
    },
    python: `def _local_rule(g, feat, bg, table):
    h, w = len(g), len(g[0])
    def at(y, x):
        return g[y][x] if 0 <= y < h and 0 <= x < w else -1
    def set_key(vals):
        return ','.join(str(v) for v in sorted(set(vals)))
    row_sets = [set_key(row) for row in g]
    col_sets = [set_key([row[c] for row in g]) for c in range(w)]
    out = []
    for r in range(h):
        new_row = []
        for c in range(w):
            v = g[r][c]
            if feat == 0:
                key = '%d,%d,%d,%d,%d' % (v, at(r - 1, c), at(r + 1, c), at(r, c - 1), at(r, c + 1))
            elif feat == 1:
                key = ','.join(str(at(r + dr, c + dc)) for dr in (-1, 0, 1) for dc in (-1, 0, 1))
            elif feat == 2:
                n = sum(1 for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr or dc) and at(r + dr, c + dc) not in (-1, bg))
                key = '%d|%d' % (v, n)
            else:
                key = '%d|%s|%s' % (v, row_sets[r], col_sets[c])
            new_row.append(table.get(key, v))
        out.append(new_row)
    return out`,
    shape: 'same',
  },
];
