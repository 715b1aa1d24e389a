/**
 * Symmetry completion: cells of a mask colour are unknown. Find the mirror and point symmetries
 * (axes near the centre, offsets allowed) that the known cells obey: known cells mapping to known
 * cells agree, at least one pair of distinct cells does, and at least half the known cells map to
 * themselves or to an agreeing cell. Fill the unknown cells from their images and return the whole
 * grid or only the region the mask covered.
 */
import { cloneGrid, height, width, type Grid } from '../grid.ts';
import { cropBox } from './crop.ts';
import { intArg, type OpDef } from './types.ts';

/** Mirror left-right (0), upside down (1), point (2), diagonal (3), anti-diagonal (4), offset by `s1`, `s2`. */
export function symMap(kind: number, s1: number, s2: number, r: number, c: number): [number, number] {
  switch (kind) {
    case 0:
      return [r, s2 - c];
    case 1:
      return [s1 - r, c];
    case 2:
      return [s1 - r, s2 - c];
    case 3:
      return [c + s1, r - s1];
    default:
      return [s1 - c, s1 - r];
  }
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

/** Candidate offsets `[s1, s2]` for each kind, in the order they are tried. */
function offsets(kind: number, h: number, w: number): [number, number][] {
  const rows = range(h - 7, h + 6);
  const cols = range(w - 7, w + 6);
  if (kind === 0) return cols.map((s) => [0, s]);
  if (kind === 1) return rows.map((s) => [s, 0]);
  if (kind === 2) return rows.flatMap((s1) => cols.map((s2): [number, number] => [s1, s2]));
  if (kind === 3) return range(-6, 7).map((s) => [s, 0]);
  const mid = Math.floor((h + w) / 2);
  return range(mid - 7, mid + 6).map((s) => [s, 0]);
}

const cache = new WeakMap<Grid, Map<number, [number, number, number][]>>();

/** The symmetries (kind, s1, s2) that the known cells of `g` obey (memoised per grid object). */
export function findSymmetries(g: Grid, mask: number): [number, number, number][] {
  let byMask = cache.get(g);
  if (!byMask) cache.set(g, (byMask = new Map()));
  let syms = byMask.get(mask);
  if (!syms) byMask.set(mask, (syms = computeSymmetries(g, mask)));
  return syms;
}

function computeSymmetries(g: Grid, mask: number): [number, number, number][] {
  const h = height(g);
  const w = width(g);
  let known = 0;
  for (const row of g) for (const v of row) if (v !== mask) known++;
  const found: [number, number, number][] = [];
  for (let kind = 0; kind < 5; kind++) {
    let best: [number, number, number] | null = null;
    let bestAgree = -1;
    for (const [s1, s2] of offsets(kind, h, w)) {
      let agree = 0;
      let self = 0;
      let conflict = 0;
      for (let r = 0; r < h && conflict === 0; r++) {
        for (let c = 0; c < w; c++) {
          const v = g[r]![c]!;
          if (v === mask) continue;
          const [y, x] = symMap(kind, s1, s2, r, c);
          if (y < 0 || y >= h || x < 0 || x >= w) continue;
          if (y === r && x === c) {
            self++;
            continue;
          }
          const u = g[y]![x]!;
          if (u === mask) continue;
          if (u === v) agree++;
          else {
            conflict++;
            break;
          }
        }
      }
      if (conflict === 0 && agree > 0 && (agree + self) * 2 >= known && agree + self > bestAgree) {
        best = [kind, s1, s2];
        bestAgree = agree + self;
      }
    }
    if (best) found.push(best);
  }
  return found;
}

export function symmetryFill(g: Grid, mask: number, crop: boolean): Grid | null {
  const h = height(g);
  const w = width(g);
  const syms = findSymmetries(g, mask);
  if (syms.length === 0) return null;
  const out = cloneGrid(g);
  let changed = true;
  while (changed) {
    changed = false;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        if (out[r]![c] !== mask) continue;
        for (const [kind, s1, s2] of syms) {
          const [y, x] = symMap(kind, s1, s2, r, c);
          if (y < 0 || y >= h || x < 0 || x >= w || out[y]![x] === mask) continue;
          out[r]![c] = out[y]![x]!;
          changed = true;
          break;
        }
      }
    }
  }
  if (!crop) return out;
  let top = h;
  let left = w;
  let bottom = -1;
  let right = -1;
  g.forEach((row, r) =>
    row.forEach((v, c) => {
      if (v !== mask) return;
      top = Math.min(top, r);
      left = Math.min(left, c);
      bottom = Math.max(bottom, r);
      right = Math.max(right, c);
    }),
  );
  const region = cropBox(out, top, left, bottom, right);
  if (!region || region.some((row) => row.includes(mask))) return null;
  return region;
}

export const symmetryOps: OpDef[] = [
  {
    name: 'symmetry_fill',
    describe: (a) =>
      intArg(a, 1)
        ? `answer what the colour-${intArg(a, 0)} patch hides, completing the grid's symmetry`
        : `replace colour ${intArg(a, 0)} by completing the grid's symmetry`,
    apply: (g, a) => symmetryFill(g, intArg(a, 0), intArg(a, 1) === 1),
    python: `def _sym_map(kind, s1, s2, r, c):
    if kind == 0:
        return r, s2 - c
    if kind == 1:
        return s1 - r, c
    if kind == 2:
        return s1 - r, s2 - c
    if kind == 3:
        return c + s1, r - s1
    return s1 - c, s1 - r

def _symmetry_fill(g, mask, crop):
    h, w = len(g), len(g[0])
    known = sum(1 for row in g for v in row if v != mask)
    rows, cols = list(range(h - 7, h + 6)), list(range(w - 7, w + 6))
    mid = (h + w) // 2
    cands = [
        [(0, s) for s in cols],
        [(s, 0) for s in rows],
        [(s1, s2) for s1 in rows for s2 in cols],
        [(s, 0) for s in range(-6, 7)],
        [(s, 0) for s in range(mid - 7, mid + 6)],
    ]
    syms = []
    for kind in range(5):
        best, best_agree = None, -1
        for s1, s2 in cands[kind]:
            agree, same, conflict = 0, 0, 0
            for r in range(h):
                for c in range(w):
                    v = g[r][c]
                    if v == mask:
                        continue
                    y, x = _sym_map(kind, s1, s2, r, c)
                    if not (0 <= y < h and 0 <= x < w):
                        continue
                    if y == r and x == c:
                        same += 1
                        continue
                    if g[y][x] == mask:
                        continue
                    if g[y][x] == v:
                        agree += 1
                    else:
                        conflict += 1
                        break
                if conflict:
                    break
            if conflict == 0 and agree > 0 and (agree + same) * 2 >= known and agree + same > best_agree:
                best, best_agree = (kind, s1, s2), agree + same
        if best is not None:
            syms.append(best)
    if not syms:
        raise ValueError('no symmetry')
    out = [row[:] for row in g]
    changed = True
    while changed:
        changed = False
        for r in range(h):
            for c in range(w):
                if out[r][c] != mask:
                    continue
                for kind, s1, s2 in syms:
                    y, x = _sym_map(kind, s1, s2, r, c)
                    if 0 <= y < h and 0 <= x < w and out[y][x] != mask:
                        out[r][c] = out[y][x]
                        changed = True
                        break
    if not crop:
        return out
    cells = [(r, c) for r in range(h) for c in range(w) if g[r][c] == mask]
    if not cells:
        raise ValueError('no mask')
    top, left = min(r for r, c in cells), min(c for r, c in cells)
    bottom, right = max(r for r, c in cells), max(c for r, c in cells)
    region = [row[left:right + 1] for row in out[top:bottom + 1]]
    if any(mask in row for row in region):
        raise ValueError('unfilled')
    return region`,
    shape: (a) => (intArg(a, 1) ? 'other' : 'same'),
  },
];
