/**
 * Generates the ARC-format tasks StreamConsole ships (`lib/arc/tasks/<id>.json`). Every task is
 * made here, from a rule and a seeded random number generator, so the output is the same on every
 * run and on every machine; none is copied from the official ARC sets.
 *
 *   npx tsx scripts/make-arc-tasks.ts          # write the files
 *   npx tsx scripts/make-arc-tasks.ts --check  # exit 1 when a file differs from what would be written
 *
 * Each generator returns one `{input, output}` pair; a task is 3-4 train pairs and 1-2 test pairs
 * drawn from its generator with a seed derived from the task id, so adding a task changes no other.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { taskSchema, type Grid, type TaskPair } from '../lib/arc/task';

// ---------------------------------------------------------------------------------------------
// Random numbers: mulberry32 seeded from an FNV-1a hash of the task id.

interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  chance(p: number): boolean;
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)]!,
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i -= 1) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------------------------------------
// Grid helpers.

const COLOURS = [1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

const blank = (rows: number, cols: number, fill = 0): Grid => Array.from({ length: rows }, () => Array<number>(cols).fill(fill));
const copy = (g: Grid): Grid => g.map((row) => [...row]);
const rowsOf = (g: Grid) => g.length;
const colsOf = (g: Grid) => g[0]!.length;
const at = (g: Grid, r: number, c: number) => g[r]![c]!;
const set = (g: Grid, r: number, c: number, v: number) => {
  g[r]![c] = v;
};
const inside = (g: Grid, r: number, c: number) => r >= 0 && c >= 0 && r < rowsOf(g) && c < colsOf(g);
const flipH = (g: Grid): Grid => g.map((row) => [...row].reverse());
const flipV = (g: Grid): Grid => [...g].reverse().map((row) => [...row]);
const transpose = (g: Grid): Grid => Array.from({ length: colsOf(g) }, (_, c) => g.map((row) => row[c]!));
const rotateCw = (g: Grid): Grid => flipH(transpose(g));
const equal = (a: Grid, b: Grid) => JSON.stringify(a) === JSON.stringify(b);
const count = (g: Grid, pred: (v: number) => boolean) => g.flat().filter(pred).length;

/** A random grid: each cell a colour from `palette` with probability `density`, else 0. */
function noise(rng: Rng, rows: number, cols: number, palette: readonly number[], density: number): Grid {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rng.chance(density) ? rng.pick(palette) : 0)));
}

/** Random distinct colours. */
const colours = (rng: Rng, n: number, from: readonly number[] = COLOURS) => rng.shuffle(from).slice(0, n);

/** 4-connected components of equal non-zero colour (or of any non-zero colour when `anyColour`). */
function components(g: Grid, anyColour = false): { colour: number; cells: [number, number][] }[] {
  const seen = blank(rowsOf(g), colsOf(g));
  const out: { colour: number; cells: [number, number][] }[] = [];
  for (let r = 0; r < rowsOf(g); r += 1) {
    for (let c = 0; c < colsOf(g); c += 1) {
      if (at(g, r, c) === 0 || at(seen, r, c)) continue;
      const colour = at(g, r, c);
      const cells: [number, number][] = [];
      const stack: [number, number][] = [[r, c]];
      set(seen, r, c, 1);
      while (stack.length) {
        const [y, x] = stack.pop()!;
        cells.push([y, x]);
        for (const [dy, dx] of [[1, 0], [-1, 0], [0, 1], [0, -1]] as const) {
          const ny = y + dy;
          const nx = x + dx;
          if (!inside(g, ny, nx) || at(seen, ny, nx) || at(g, ny, nx) === 0) continue;
          if (!anyColour && at(g, ny, nx) !== colour) continue;
          set(seen, ny, nx, 1);
          stack.push([ny, nx]);
        }
      }
      out.push({ colour, cells });
    }
  }
  return out;
}

/** A random 4-connected shape of `size` cells inside an `h` x `w` box, as a mask. */
function blob(rng: Rng, h: number, w: number, size: number): Grid {
  const mask = blank(h, w);
  const cells: [number, number][] = [[rng.int(0, h - 1), rng.int(0, w - 1)]];
  set(mask, cells[0]![0], cells[0]![1], 1);
  let guard = 0;
  while (cells.length < Math.min(size, h * w) && guard++ < 1000) {
    const [y, x] = rng.pick(cells);
    const [dy, dx] = rng.pick([[1, 0], [-1, 0], [0, 1], [0, -1]] as const);
    if (!inside(mask, y + dy, x + dx) || at(mask, y + dy, x + dx)) continue;
    set(mask, y + dy, x + dx, 1);
    cells.push([y + dy, x + dx]);
  }
  return mask;
}

/** Whether a `h` x `w` box at (r, c), grown by `margin`, touches nothing non-zero in `g`. */
function isFree(g: Grid, r: number, c: number, h: number, w: number, margin: number): boolean {
  for (let y = r - margin; y < r + h + margin; y += 1) {
    for (let x = c - margin; x < c + w + margin; x += 1) {
      if (inside(g, y, x) && at(g, y, x) !== 0) return false;
    }
  }
  return r >= 0 && c >= 0 && r + h <= rowsOf(g) && c + w <= colsOf(g);
}

/** Places a mask of colour `colour` at a free random spot; returns the spot or undefined. */
function place(rng: Rng, g: Grid, mask: Grid, colour: number, margin = 1): [number, number] | undefined {
  const h = rowsOf(mask);
  const w = colsOf(mask);
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const r = rng.int(0, rowsOf(g) - h);
    const c = rng.int(0, colsOf(g) - w);
    if (!isFree(g, r, c, h, w, margin)) continue;
    mask.forEach((row, y) => row.forEach((v, x) => v && set(g, r + y, c + x, colour)));
    return [r, c];
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The tasks. A generator returns undefined when a draw is unusable and another is drawn.

type Generator = (rng: Rng) => TaskPair | undefined;

interface TaskSpec {
  id: string;
  /** What the rule is, for people reading the script. */
  rule: string;
  generate: Generator;
}

const pair = (input: Grid, output: Grid): TaskPair => ({ input, output });

const TASKS: TaskSpec[] = [
  {
    id: 'sc-flip-h',
    rule: 'Mirror the grid left to right.',
    generate: (rng) => {
      const g = noise(rng, rng.int(3, 7), rng.int(3, 7), colours(rng, 3), 0.55);
      return pair(g, flipH(g));
    },
  },
  {
    id: 'sc-flip-v',
    rule: 'Mirror the grid top to bottom.',
    generate: (rng) => {
      const g = noise(rng, rng.int(3, 8), rng.int(2, 6), colours(rng, 2), 0.5);
      return pair(g, flipV(g));
    },
  },
  {
    id: 'sc-rotate-90',
    rule: 'Rotate the grid a quarter turn clockwise.',
    generate: (rng) => {
      const g = noise(rng, rng.int(2, 6), rng.int(3, 7), colours(rng, 3), 0.5);
      return pair(g, rotateCw(g));
    },
  },
  {
    id: 'sc-transpose',
    rule: 'Swap rows and columns (reflect across the main diagonal).',
    generate: (rng) => {
      const g = noise(rng, rng.int(2, 5), rng.int(4, 8), colours(rng, 2), 0.6);
      return pair(g, transpose(g));
    },
  },
  {
    id: 'sc-colour-map',
    rule: 'Swap colours in fixed pairs: blue<->red, green<->yellow, magenta<->orange; others stay.',
    generate: (rng) => {
      const swap: Record<number, number> = { 1: 2, 2: 1, 3: 4, 4: 3, 6: 7, 7: 6 };
      const g = noise(rng, rng.int(3, 7), rng.int(3, 7), [1, 2, 3, 4, 6, 7, 5], 0.7);
      return pair(g, g.map((row) => row.map((v) => swap[v] ?? v)));
    },
  },
  {
    id: 'sc-invert',
    rule: 'Exchange the one foreground colour and the black background.',
    generate: (rng) => {
      const colour = rng.pick(COLOURS);
      const g = noise(rng, rng.int(3, 8), rng.int(3, 8), [colour], 0.45);
      return pair(g, g.map((row) => row.map((v) => (v ? 0 : colour))));
    },
  },
  {
    id: 'sc-scale-2x',
    rule: 'Scale the grid up by two: every cell becomes a 2x2 block.',
    generate: (rng) => {
      const g = noise(rng, rng.int(2, 6), rng.int(2, 6), colours(rng, 3), 0.6);
      const out = Array.from({ length: rowsOf(g) * 2 }, (_, r) => Array.from({ length: colsOf(g) * 2 }, (_, c) => at(g, r >> 1, c >> 1)));
      return pair(g, out);
    },
  },
  {
    id: 'sc-downscale-3x',
    rule: 'The grid is made of 3x3 single-colour blocks; shrink each block to one cell.',
    generate: (rng) => {
      const small = noise(rng, rng.int(2, 5), rng.int(2, 5), colours(rng, 3), 0.7);
      const big = Array.from({ length: rowsOf(small) * 3 }, (_, r) => Array.from({ length: colsOf(small) * 3 }, (_, c) => at(small, Math.floor(r / 3), Math.floor(c / 3))));
      return pair(big, small);
    },
  },
  {
    id: 'sc-tile-3x3',
    rule: 'Repeat the grid three times across and three times down.',
    generate: (rng) => {
      const g = noise(rng, rng.int(2, 4), rng.int(2, 4), colours(rng, 2), 0.55);
      const out = Array.from({ length: rowsOf(g) * 3 }, (_, r) => Array.from({ length: colsOf(g) * 3 }, (_, c) => at(g, r % rowsOf(g), c % colsOf(g))));
      return pair(g, out);
    },
  },
  {
    id: 'sc-mirror-tile',
    rule: 'Make a 2x2 tiling of the grid and its mirror images, symmetric both ways.',
    generate: (rng) => {
      const g = noise(rng, rng.int(2, 5), rng.int(2, 5), colours(rng, 3), 0.6);
      const top = g.map((row, r) => [...row, ...flipH(g)[r]!]);
      return pair(g, [...top, ...flipV(top)]);
    },
  },
  {
    id: 'sc-self-kronecker',
    rule: 'Replace every coloured cell of the 3x3 pattern with a copy of the whole pattern, every black cell with black.',
    generate: (rng) => {
      const colour = rng.pick(COLOURS);
      const g = noise(rng, 3, 3, [colour], 0.5);
      const filled = count(g, (v) => v !== 0);
      if (filled < 3 || filled > 6) return undefined;
      const out = Array.from({ length: 9 }, (_, r) => Array.from({ length: 9 }, (_, c) => (at(g, Math.floor(r / 3), Math.floor(c / 3)) ? at(g, r % 3, c % 3) : 0)));
      return pair(g, out);
    },
  },
  {
    id: 'sc-crop-bbox',
    rule: 'Cut out the smallest rectangle holding every coloured cell.',
    generate: (rng) => {
      const rows = rng.int(8, 14);
      const cols = rng.int(8, 14);
      const h = rng.int(2, 5);
      const w = rng.int(2, 5);
      const palette = colours(rng, 2);
      const shape = noise(rng, h, w, palette, 0.65);
      // Make the shape touch all four sides of its box so the crop is exactly the shape.
      shape[0]![rng.int(0, w - 1)] ||= palette[0]!;
      shape[h - 1]![rng.int(0, w - 1)] ||= palette[0]!;
      shape[rng.int(0, h - 1)]![0] ||= palette[1]!;
      shape[rng.int(0, h - 1)]![w - 1] ||= palette[1]!;
      const g = blank(rows, cols);
      const r0 = rng.int(0, rows - h);
      const c0 = rng.int(0, cols - w);
      shape.forEach((row, y) => row.forEach((v, x) => set(g, r0 + y, c0 + x, v)));
      return pair(g, shape);
    },
  },
  {
    id: 'sc-largest-object',
    rule: 'Output the largest object (4-connected, one colour), cropped to its bounding box.',
    generate: (rng) => {
      const g = blank(rng.int(10, 15), rng.int(10, 15));
      const sizes = rng.shuffle([rng.int(2, 4), rng.int(5, 7), rng.int(9, 12)]);
      const palette = colours(rng, 3);
      for (const [i, size] of sizes.entries()) {
        if (!place(rng, g, blob(rng, 4, 4, size), palette[i]!)) return undefined;
      }
      const objects = components(g);
      const largest = objects.reduce((a, b) => (b.cells.length > a.cells.length ? b : a));
      const ys = largest.cells.map(([y]) => y);
      const xs = largest.cells.map(([, x]) => x);
      const top = Math.min(...ys);
      const left = Math.min(...xs);
      const out = blank(Math.max(...ys) - top + 1, Math.max(...xs) - left + 1);
      largest.cells.forEach(([y, x]) => set(out, y - top, x - left, largest.colour));
      return pair(g, out);
    },
  },
  {
    id: 'sc-gravity-down',
    rule: 'Every coloured cell falls straight down until it lands on the floor or another cell.',
    generate: (rng) => {
      const g = noise(rng, rng.int(4, 8), rng.int(3, 8), colours(rng, 3), 0.3);
      const out = blank(rowsOf(g), colsOf(g));
      for (let c = 0; c < colsOf(g); c += 1) {
        const column = g.map((row) => row[c]!).filter((v) => v !== 0);
        column.forEach((v, i) => set(out, rowsOf(g) - column.length + i, c, v));
      }
      return pair(g, out);
    },
  },
  {
    id: 'sc-gravity-left',
    rule: 'Every coloured cell slides left until it meets the wall or another cell.',
    generate: (rng) => {
      const g = noise(rng, rng.int(3, 8), rng.int(4, 9), colours(rng, 2), 0.35);
      return pair(g, g.map((row) => {
        const cells = row.filter((v) => v !== 0);
        return [...cells, ...Array<number>(row.length - cells.length).fill(0)];
      }));
    },
  },
  {
    id: 'sc-symmetry-complete',
    rule: 'The picture is mirror-symmetric left to right; fill the black hole from the mirrored side.',
    generate: (rng) => {
      const rows = rng.int(5, 10);
      const half = rng.int(3, 5);
      const palette = colours(rng, 4);
      const left = Array.from({ length: rows }, () => Array.from({ length: half }, () => rng.pick(palette)));
      const full = left.map((row) => [...row, ...[...row].reverse()]);
      const h = rng.int(2, 3);
      const w = rng.int(2, 3);
      const r0 = rng.int(0, rows - h);
      const side = rng.chance(0.5);
      const c0 = side ? rng.int(0, half - w) : rng.int(half, 2 * half - w);
      const input = copy(full);
      for (let y = r0; y < r0 + h; y += 1) for (let x = c0; x < c0 + w; x += 1) set(input, y, x, 0);
      return pair(input, full);
    },
  },
  {
    id: 'sc-recolour-by-size',
    rule: 'Recolour each grey object by its size: 1 cell green, 2 red, 3 blue, 4 yellow.',
    generate: (rng) => {
      const byS: Record<number, number> = { 1: 3, 2: 2, 3: 1, 4: 4 };
      const g = blank(rng.int(7, 12), rng.int(7, 12));
      const sizes = rng.shuffle([1, 2, 3, 4, rng.int(1, 4), rng.int(1, 4)]);
      for (const size of sizes) if (!place(rng, g, blob(rng, 2, 3, size), 5)) return undefined;
      const out = copy(g);
      for (const object of components(g)) object.cells.forEach(([y, x]) => set(out, y, x, byS[object.cells.length] ?? 5));
      return pair(g, out);
    },
  },
  {
    id: 'sc-fill-enclosed',
    rule: 'Paint yellow every black cell that is closed in (cannot reach the border through black cells).',
    generate: (rng) => {
      const wall = rng.pick([1, 2, 3, 6, 8]);
      const g = blank(rng.int(8, 14), rng.int(8, 14));
      const boxes = rng.int(2, 3);
      for (let i = 0; i < boxes; i += 1) {
        const h = rng.int(3, 5);
        const w = rng.int(3, 5);
        const mask = Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => (y === 0 || x === 0 || y === h - 1 || x === w - 1 ? 1 : 0)));
        // One box in three has a gap in its wall and so is not closed.
        if (i > 0 && rng.chance(0.35)) mask[0]![rng.int(1, w - 2)] = 0;
        if (!place(rng, g, mask, wall)) return undefined;
      }
      // Flood from the border through black cells; what stays unreached is enclosed.
      const reach = blank(rowsOf(g), colsOf(g));
      const stack: [number, number][] = [];
      for (let r = 0; r < rowsOf(g); r += 1) for (let c = 0; c < colsOf(g); c += 1) {
        if ((r === 0 || c === 0 || r === rowsOf(g) - 1 || c === colsOf(g) - 1) && at(g, r, c) === 0) stack.push([r, c]);
      }
      while (stack.length) {
        const [y, x] = stack.pop()!;
        if (!inside(g, y, x) || at(reach, y, x) || at(g, y, x) !== 0) continue;
        set(reach, y, x, 1);
        stack.push([y + 1, x], [y - 1, x], [y, x + 1], [y, x - 1]);
      }
      return pair(g, g.map((row, r) => row.map((v, c) => (v === 0 && !at(reach, r, c) ? 4 : v))));
    },
  },
  {
    id: 'sc-lines-down',
    rule: 'Each coloured pixel draws a line of its colour straight down to the bottom border.',
    generate: (rng) => {
      const rows = rng.int(5, 10);
      const cols = rng.int(5, 10);
      const g = blank(rows, cols);
      const columns = rng.shuffle(Array.from({ length: cols }, (_, i) => i)).slice(0, rng.int(2, 4));
      for (const c of columns) set(g, rng.int(0, rows - 2), c, rng.pick(COLOURS));
      const out = copy(g);
      for (const c of columns) {
        const r0 = g.findIndex((row) => row[c] !== 0);
        for (let r = r0; r < rows; r += 1) set(out, r, c, at(g, r0, c));
      }
      return pair(g, out);
    },
  },
  {
    id: 'sc-diagonal-rays',
    rule: 'Each pixel shoots rays of its colour along both diagonals, in all four directions, to the border.',
    generate: (rng) => {
      const g = blank(rng.int(7, 12), rng.int(7, 12));
      const colour = rng.pick(COLOURS);
      set(g, rng.int(1, rowsOf(g) - 2), rng.int(1, colsOf(g) - 2), colour);
      const out = copy(g);
      const r0 = g.findIndex((row) => row.some((v) => v));
      const c0 = g[r0]!.findIndex((v) => v);
      for (const [dy, dx] of [[1, 1], [1, -1], [-1, 1], [-1, -1]] as const) {
        for (let y = r0, x = c0; inside(g, y, x); y += dy, x += dx) set(out, y, x, colour);
      }
      return pair(g, out);
    },
  },
  {
    id: 'sc-connect-pairs',
    rule: 'Two pixels of the same colour on one row or column are joined by a line of that colour.',
    generate: (rng) => {
      const rows = rng.int(8, 13);
      const cols = rng.int(8, 13);
      const g = blank(rows, cols);
      const out = blank(rows, cols);
      const palette = colours(rng, 3);
      for (const colour of palette) {
        let placed = false;
        for (let attempt = 0; attempt < 50 && !placed; attempt += 1) {
          const horizontal = rng.chance(0.5);
          const fixed = rng.int(0, (horizontal ? rows : cols) - 1);
          const a = rng.int(0, (horizontal ? cols : rows) - 4);
          const b = rng.int(a + 3, (horizontal ? cols : rows) - 1);
          const cells: [number, number][] = [];
          for (let i = a; i <= b; i += 1) cells.push(horizontal ? [fixed, i] : [i, fixed]);
          // Lines never touch or cross, so each segment is unambiguous.
          if (cells.some(([y, x]) => !isFree(out, y, x, 1, 1, 1))) continue;
          cells.forEach(([y, x]) => set(out, y, x, colour));
          const [first, last] = [cells[0]!, cells.at(-1)!];
          set(g, first[0], first[1], colour);
          set(g, last[0], last[1], colour);
          placed = true;
        }
        if (!placed) return undefined;
      }
      return pair(g, out);
    },
  },
  {
    id: 'sc-majority-fill',
    rule: 'Fill the whole grid with its most frequent colour.',
    generate: (rng) => {
      const palette = colours(rng, 3);
      const g = Array.from({ length: rng.int(3, 6) }, () => []) as number[][];
      const cols = rng.int(3, 6);
      for (const row of g) for (let c = 0; c < cols; c += 1) row.push(rng.chance(0.5) ? palette[0]! : rng.pick(palette));
      const tally = palette.map((p) => count(g, (v) => v === p));
      const top = Math.max(...tally);
      if (tally.filter((t) => t === top).length > 1) return undefined;
      const winner = palette[tally.indexOf(top)]!;
      return pair(g, blank(rowsOf(g), cols, winner));
    },
  },
  {
    id: 'sc-xor-halves',
    rule: 'A grey column splits the grid in two; mark green where exactly one half is coloured.',
    generate: (rng) => {
      const rows = rng.int(4, 6);
      const w = rng.int(3, 5);
      const a = noise(rng, rows, w, [1], 0.5);
      const b = noise(rng, rows, w, [2], 0.5);
      const input = a.map((row, r) => [...row, 5, ...b[r]!]);
      const out = a.map((row, r) => row.map((v, c) => ((v !== 0) !== (at(b, r, c) !== 0) ? 3 : 0)));
      return pair(input, out);
    },
  },
  {
    id: 'sc-and-halves',
    rule: 'A grey row splits the grid in two; mark magenta where both halves are coloured.',
    generate: (rng) => {
      const h = rng.int(3, 5);
      const cols = rng.int(4, 6);
      const a = noise(rng, h, cols, [4], 0.6);
      const b = noise(rng, h, cols, [8], 0.6);
      const input = [...a, Array<number>(cols).fill(5), ...b];
      const out = a.map((row, r) => row.map((v, c) => (v !== 0 && at(b, r, c) !== 0 ? 6 : 0)));
      if (count(out, (v) => v !== 0) === 0) return undefined;
      return pair(input, out);
    },
  },
  {
    id: 'sc-denoise',
    rule: 'Remove the stray single pixels; keep the solid rectangles.',
    generate: (rng) => {
      const g = blank(rng.int(9, 14), rng.int(9, 14));
      for (const colour of colours(rng, rng.int(2, 3))) {
        if (!place(rng, g, blank(rng.int(2, 4), rng.int(2, 4), 1), colour)) return undefined;
      }
      const clean = copy(g);
      const strays = rng.int(4, 8);
      for (let i = 0; i < strays; i += 1) place(rng, g, [[1]], rng.pick(COLOURS));
      return pair(g, clean);
    },
  },
  {
    id: 'sc-outline-objects',
    rule: 'Draw a light-blue ring around every object, on the black cells touching it (diagonals too).',
    generate: (rng) => {
      const g = blank(rng.int(9, 14), rng.int(9, 14));
      for (const colour of colours(rng, rng.int(2, 3), [1, 2, 3, 4, 6])) {
        if (!place(rng, g, blob(rng, 3, 3, rng.int(2, 5)), colour, 2)) return undefined;
      }
      const out = g.map((row, r) =>
        row.map((v, c) => {
          if (v) return v;
          for (let dy = -1; dy <= 1; dy += 1) for (let dx = -1; dx <= 1; dx += 1) if (inside(g, r + dy, c + dx) && at(g, r + dy, c + dx)) return 8;
          return 0;
        }),
      );
      return pair(g, out);
    },
  },
  {
    id: 'sc-move-to-wall',
    rule: 'The object slides towards the grey wall until it touches it.',
    generate: (rng) => {
      const rows = rng.int(8, 13);
      const cols = rng.int(8, 13);
      const side = rng.pick(['top', 'bottom', 'left', 'right'] as const);
      const mask = blob(rng, 3, 3, rng.int(3, 6));
      const colour = rng.pick([1, 2, 3, 4, 6, 7]);
      const frame = () => {
        const g = blank(rows, cols);
        for (let i = 0; i < (side === 'top' || side === 'bottom' ? cols : rows); i += 1) {
          if (side === 'top') set(g, 0, i, 5);
          if (side === 'bottom') set(g, rows - 1, i, 5);
          if (side === 'left') set(g, i, 0, 5);
          if (side === 'right') set(g, i, cols - 1, 5);
        }
        return g;
      };
      // Shape bounds inside its 3x3 box.
      const ys = mask.flatMap((row, y) => (row.some((v) => v) ? [y] : []));
      const xs = [0, 1, 2].filter((x) => mask.some((row) => row[x]));
      const [minY, maxY, minX, maxX] = [Math.min(...ys), Math.max(...ys), Math.min(...xs), Math.max(...xs)];
      const draw = (g: Grid, r: number, c: number) => mask.forEach((row, y) => row.forEach((v, x) => v && set(g, r + y, c + x, colour)));
      const r = rng.int(2, rows - 5);
      const c = rng.int(2, cols - 5);
      const input = frame();
      draw(input, r, c);
      const output = frame();
      if (side === 'top') draw(output, 1 - minY, c);
      if (side === 'bottom') draw(output, rows - 2 - maxY, c);
      if (side === 'left') draw(output, r, 1 - minX);
      if (side === 'right') draw(output, r, cols - 2 - maxX);
      return pair(input, output);
    },
  },
  {
    id: 'sc-colour-histogram',
    rule: 'Count each colour; draw one bottom-aligned bar per colour, tallest first (ties: lower colour number first).',
    generate: (rng) => {
      const palette = colours(rng, rng.int(2, 4));
      const g = blank(rng.int(6, 10), rng.int(6, 10));
      const counts = palette.map(() => rng.int(1, 6));
      palette.forEach((colour, i) => {
        for (let n = 0; n < counts[i]!; n += 1) place(rng, g, [[1]], colour, 0);
      });
      const bars = palette
        .map((colour) => ({ colour, n: count(g, (v) => v === colour) }))
        .sort((a, b) => b.n - a.n || a.colour - b.colour);
      const height = bars[0]!.n;
      const out = Array.from({ length: height }, (_, r) => bars.map(({ colour, n }) => (r >= height - n ? colour : 0)));
      return pair(g, out);
    },
  },
  {
    id: 'sc-sort-bars',
    rule: 'Sort the vertical bars by height, shortest on the left; bars keep their colours.',
    generate: (rng) => {
      const n = rng.int(3, 6);
      const rows = rng.int(5, 9);
      const heights = rng.shuffle(Array.from({ length: rows }, (_, i) => i + 1)).slice(0, n);
      const colour = rng.pick(COLOURS);
      const build = (hs: number[]) => Array.from({ length: rows }, (_, r) => hs.flatMap((h, i) => [...(i ? [0] : []), r >= rows - h ? colour : 0]));
      const sorted = [...heights].sort((a, b) => a - b);
      if (equal(build(heights), build(sorted))) return undefined;
      return pair(build(heights), build(sorted));
    },
  },
  {
    id: 'sc-extend-pattern',
    rule: 'Each row repeats a short pattern; continue it across the blank right side.',
    generate: (rng) => {
      const period = rng.int(2, 4);
      const rows = rng.int(3, 6);
      const cols = rng.int(period * 3 + 2, 14);
      const shown = rng.int(period * 2, cols - 2);
      const palette = colours(rng, 3);
      const motif = Array.from({ length: rows }, () => Array.from({ length: period }, () => rng.pick(palette)));
      const full = motif.map((row) => Array.from({ length: cols }, (_, c) => row[c % period]!));
      return pair(full.map((row) => row.map((v, c) => (c < shown ? v : 0))), full);
    },
  },
  {
    id: 'sc-frame',
    rule: 'Paint the outermost ring of cells light blue.',
    generate: (rng) => {
      const g = noise(rng, rng.int(3, 9), rng.int(3, 9), colours(rng, 2, [1, 2, 3, 4]), 0.3);
      return pair(g, g.map((row, r) => row.map((v, c) => (r === 0 || c === 0 || r === rowsOf(g) - 1 || c === colsOf(g) - 1 ? 8 : v))));
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Drawing pairs and writing files.

function drawPairs(spec: TaskSpec, rng: Rng, n: number, taken: Set<string>): TaskPair[] {
  const pairs: TaskPair[] = [];
  for (let attempt = 0; pairs.length < n; attempt += 1) {
    if (attempt > 500) throw new Error(`${spec.id}: could not draw ${n} usable pairs`);
    const drawn = spec.generate(rng);
    if (!drawn || equal(drawn.input, drawn.output)) continue;
    const key = JSON.stringify(drawn.input);
    if (taken.has(key)) continue;
    taken.add(key);
    pairs.push(drawn);
  }
  return pairs;
}

function makeTask(spec: TaskSpec) {
  const rng = createRng(hashString(spec.id));
  const taken = new Set<string>();
  const train = drawPairs(spec, rng, rng.int(3, 4), taken);
  const test = drawPairs(spec, rng, rng.chance(0.3) ? 2 : 1, taken);
  return taskSchema.parse({ train, test });
}

/** JSON with one grid row per line: diff-friendly and still small. */
function formatTask(task: { train: TaskPair[]; test: { input: Grid; output?: Grid }[] }): string {
  const grid = (g: Grid, indent: string) => `[\n${g.map((row) => `${indent}  ${JSON.stringify(row)}`).join(',\n')}\n${indent}]`;
  const pairs = (list: { input: Grid; output?: Grid }[]) =>
    list
      .map((p) => {
        const parts = [`      "input": ${grid(p.input, '      ')}`];
        if (p.output) parts.push(`      "output": ${grid(p.output, '      ')}`);
        return `    {\n${parts.join(',\n')}\n    }`;
      })
      .join(',\n');
  return `{\n  "train": [\n${pairs(task.train)}\n  ],\n  "test": [\n${pairs(task.test)}\n  ]\n}\n`;
}

function main() {
  const outDir = fileURLToPath(new URL('../lib/arc/tasks/', import.meta.url));
  const check = process.argv.includes('--check');
  const ids = new Set<string>();
  let stale = 0;
  mkdirSync(outDir, { recursive: true });
  for (const spec of TASKS) {
    if (ids.has(spec.id)) throw new Error(`duplicate task id ${spec.id}`);
    ids.add(spec.id);
    const file = join(outDir, `${spec.id}.json`);
    const text = formatTask(makeTask(spec));
    if (check) {
      let current = '';
      try {
        current = readFileSync(file, 'utf8');
      } catch {
        // missing counts as stale
      }
      if (current !== text) {
        console.error(`stale: ${file}`);
        stale += 1;
      }
    } else {
      writeFileSync(file, text);
    }
  }
  for (const name of readdirSync(outDir)) {
    if (!name.endsWith('.json') || ids.has(name.slice(0, -5))) continue;
    if (check) {
      console.error(`not generated: ${name}`);
      stale += 1;
    } else {
      rmSync(join(outDir, name));
    }
  }
  if (check && stale) process.exit(1);
  console.log(`${check ? 'checked' : 'wrote'} ${TASKS.length} tasks in ${outDir}`);
}

main();
