/**
 * Learners: given what the program so far makes of each training input (`xs`) and the expected
 * outputs (`ys`), fit the arguments of one final step (a colour map, an object-recolouring table,
 * a local rule, a tiling layout, a scale factor) so that it maps every `x` to its `y` exactly.
 * Each learner returns the steps it fitted (verified on all pairs), best first, or none.
 */
import { components, objectProps } from './dsl/components.ts';
import { LINE_DIRS } from './dsl/fill.ts';
import { geom } from './dsl/geometry.ts';
import { ruleKeys } from './dsl/localRule.ts';
import { runStep } from './dsl/program.ts';
import type { Step } from './dsl/types.ts';
import { gridKey, height, width, type Grid } from './grid.ts';

export interface LearnInput {
  xs: Grid[];
  ys: Grid[];
  bg: number;
  /** What the program so far makes of the test inputs (null where it fails there). */
  testXs: () => (Grid | null)[];
}

const sameShapes = (xs: Grid[], ys: Grid[]): boolean => xs.every((x, i) => height(x) === height(ys[i]!) && width(x) === width(ys[i]!));

const reproduces = (step: Step, xs: Grid[], ys: Grid[]): boolean =>
  xs.every((x, i) => {
    const out = runStep(step, x);
    return out !== null && gridKey(out) === gridKey(ys[i]!);
  });

/** A colour map that turns every x into its y, when one exists. */
export function learnRecolor({ xs, ys }: LearnInput): Step[] {
  if (!sameShapes(xs, ys)) return [];
  const map: { [key: string]: number } = {};
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    for (let r = 0; r < x.length; r++) {
      for (let c = 0; c < x[r]!.length; c++) {
        const from = x[r]![c]!;
        const to = y[r]![c]!;
        const known = map[from];
        if (known === undefined) map[from] = to;
        else if (known !== to) return [];
      }
    }
  }
  const changes = Object.fromEntries(Object.entries(map).filter(([k, v]) => Number(k) !== v));
  if (Object.keys(changes).length === 0) return [];
  return [{ op: 'recolor', args: [changes] }];
}

/**
 * Whether two neighbouring cells that would share an object end up in different colours, for
 * each way of forming objects: [one colour 4-connected, one colour 8-connected, any colours
 * 4-connected, any colours 8-connected]. A conflict rules that way out before any object is built.
 */
function neighbourConflicts(xs: Grid[], ys: Grid[], bg: number): boolean[] {
  const out = [false, false, false, false];
  const dirs: [number, number, boolean][] = [
    [0, 1, false],
    [1, 0, false],
    [1, 1, true],
    [1, -1, true],
  ];
  xs.forEach((x, i) => {
    const y = ys[i]!;
    for (let r = 0; r < x.length; r++) {
      for (let c = 0; c < x[r]!.length; c++) {
        const v = x[r]![c]!;
        if (v === bg) continue;
        for (const [dr, dc, diag] of dirs) {
          const u = x[r + dr]?.[c + dc];
          if (u === undefined || u === bg || y[r]![c] === y[r + dr]![c + dc]) continue;
          if (u === v) {
            if (!diag) out[0] = true;
            out[1] = true;
          }
          if (!diag) out[2] = true;
          out[3] = true;
        }
      }
    }
  });
  return out;
}

/** A table from an object property to a colour, recolouring whole objects. */
export function learnRecolorObjects({ xs, ys, bg, testXs }: LearnInput): Step[] {
  if (!sameShapes(xs, ys)) return [];
  // Background must stay background, and something must change.
  let changed = false;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    for (let r = 0; r < x.length; r++) {
      for (let c = 0; c < x[r]!.length; c++) {
        if (x[r]![c] === y[r]![c]) continue;
        if (x[r]![c] === bg) return [];
        changed = true;
      }
    }
  }
  if (!changed) return [];
  const conflicts = neighbourConflicts(xs, ys, bg);
  const found: Step[] = [];
  for (const multi of [0, 1]) {
    for (const diag of [0, 1]) {
      if (conflicts[multi * 2 + diag]) continue;
      const objsPerPair = xs.map((x) => components(x, bg, diag === 1, multi === 1));
      // Every object must come out in one colour.
      const colorsPerPair = objsPerPair.map((objs, i) =>
        objs.map((o) => {
          const color = ys[i]![o[0]![0]]![o[0]![1]]!;
          return o.every(([r, c]) => ys[i]![r]![c] === color) ? color : -1;
        }),
      );
      if (colorsPerPair.some((colors) => colors.includes(-1))) continue;
      for (let prop = 0; prop < 8; prop++) {
        const table: { [key: string]: number } = {};
        let ok = true;
        for (let i = 0; i < xs.length && ok; i++) {
          const props = objectProps(xs[i]!, objsPerPair[i]!, prop);
          props.forEach((key, j) => {
            const color = colorsPerPair[i]![j]!;
            if (table[key] === undefined) table[key] = color;
            else if (table[key] !== color) ok = false;
          });
        }
        if (!ok || Object.keys(table).length < 2) continue;
        const step: Step = { op: 'recolor_objects', args: [bg, prop, table, diag, multi] };
        if (!reproduces(step, xs, ys)) continue;
        const covered = testXs().every((t) => {
          if (!t) return false;
          const props = objectProps(t, components(t, bg, diag === 1, multi === 1), prop);
          return props.every((p) => table[p] !== undefined);
        });
        if (covered) found.push(step);
        if (found.length >= 2) return found;
      }
    }
  }
  return found;
}

/** Rules from a cell's neighbourhood feature to its new colour, covering every feature the test inputs show. */
export function learnLocalRule({ xs, ys, bg, testXs }: LearnInput): Step[] {
  if (!sameShapes(xs, ys)) return [];
  if (xs.every((x, i) => gridKey(x) === gridKey(ys[i]!))) return [];
  const found: Step[] = [];
  for (const feat of [2, 3, 0, 1]) {
    const table = new Map<string, number>();
    let ok = true;
    for (let i = 0; i < xs.length && ok; i++) {
      const keys = ruleKeys(xs[i]!, feat, bg);
      keys.forEach((row, r) =>
        row.forEach((key, c) => {
          const to = ys[i]![r]![c]!;
          const known = table.get(key);
          if (known === undefined) table.set(key, to);
          else if (known !== to) ok = false;
        }),
      );
    }
    if (!ok) continue;
    const covered = testXs().every((t) => t !== null && ruleKeys(t, feat, bg).every((row) => row.every((k) => table.has(k))));
    if (!covered) continue;
    const changes: { [key: string]: number } = {};
    for (const [key, to] of table) {
      const own = Number(key.split(/[,|]/)[feat === 1 ? 4 : 0]);
      if (own !== to) changes[key] = to;
    }
    if (Object.keys(changes).length === 0 || Object.keys(changes).length > 400) continue;
    found.push({ op: 'local_rule', args: [feat, bg, changes] });
  }
  return found;
}

/** A tiling of transformed copies whose layout is read off the outputs. */
export function learnTiling({ xs, ys }: LearnInput): Step[] {
  const x0 = xs[0]!;
  const y0 = ys[0]!;
  const a = height(y0) / height(x0);
  const b = width(y0) / width(x0);
  if (!Number.isInteger(a) || !Number.isInteger(b) || a * b < 2 || a > 6 || b > 6) return [];
  if (!xs.every((x, i) => height(ys[i]!) === a * height(x) && width(ys[i]!) === b * width(x))) return [];
  const layout: number[][] = [];
  for (let i = 0; i < a; i++) {
    const row: number[] = [];
    for (let j = 0; j < b; j++) {
      const k = [0, 1, 2, 3, 4, 5, 6, 7].find((k) =>
        xs.every((x, p) => {
          const t = geom(x, k);
          const h = height(x);
          const w = width(x);
          if (height(t) !== h || width(t) !== w) return false;
          return t.every((trow, r) => trow.every((v, c) => ys[p]![i * h + r]![j * w + c] === v));
        }),
      );
      if (k === undefined) return [];
      row.push(k);
    }
    layout.push(row);
  }
  return [{ op: 'tile_layout', args: [layout] }];
}

/** Scaling (up or down, first cell or vote) or self-similar tiling that matches the output shapes. */
export function learnScale({ xs, ys, bg }: LearnInput): Step[] {
  const cands: Step[] = [];
  const x0 = xs[0]!;
  const y0 = ys[0]!;
  const up = [height(y0) / height(x0), width(y0) / width(x0)];
  const down = [height(x0) / height(y0), width(x0) / width(y0)];
  if (up.every(Number.isInteger) && up[0]! * up[1]! > 1) cands.push({ op: 'upscale', args: [up[0]!, up[1]!] });
  if (down.every(Number.isInteger) && down[0]! * down[1]! > 1) {
    cands.push({ op: 'downscale', args: [down[0]!, down[1]!, 0] }, { op: 'downscale', args: [down[0]!, down[1]!, 1] });
  }
  if (height(y0) === height(x0) ** 2 && width(y0) === width(x0) ** 2) for (const mode of [0, 1, 2]) cands.push({ op: 'kron', args: [bg, mode] });
  cands.push({ op: 'upscale_by_colors', args: [bg] });
  return cands.filter((s) => reproduces(s, xs, ys));
}

/** A halo whose colour depends on the colour of the cell it surrounds. */
export function learnHaloMap({ xs, ys, bg }: LearnInput): Step[] {
  if (!sameShapes(xs, ys)) return [];
  const found: Step[] = [];
  for (const diag of [0, 1]) {
    const dirs = LINE_DIRS.slice(0, diag ? 8 : 4);
    const table: { [key: string]: number } = {};
    let ok = true;
    xs.forEach((x, i) =>
      x.forEach((row, r) =>
        row.forEach((v, c) => {
          const to = ys[i]![r]![c]!;
          if (!ok || v !== bg || to === bg) return;
          const src = dirs.map(([dr, dc]) => x[r + dr]?.[c + dc]).find((u) => u !== undefined && u !== bg);
          if (src === undefined || (table[src] !== undefined && table[src] !== to)) ok = false;
          else table[src] = to;
        }),
      ),
    );
    if (!ok || Object.keys(table).length === 0) continue;
    const step: Step = { op: 'halo_map', args: [bg, table, diag] };
    if (reproduces(step, xs, ys)) found.push(step);
  }
  return found;
}

/** Continuing a repeating pattern to a larger grid. */
export function learnExtendPeriodic({ xs, ys }: LearnInput): Step[] {
  const a = height(ys[0]!) / height(xs[0]!);
  const b = width(ys[0]!) / width(xs[0]!);
  if (!Number.isInteger(a) || !Number.isInteger(b) || a * b < 2) return [];
  const step: Step = { op: 'extend_periodic', args: [a, b] };
  return reproduces(step, xs, ys) ? [step] : [];
}

/** Learners in the order the search consults them, with a cost added to the program's size. */
export const LEARNERS: { name: string; cost: number; learn: (input: LearnInput) => Step[] }[] = [
  { name: 'recolor', cost: 1.2, learn: learnRecolor },
  { name: 'scale', cost: 1, learn: learnScale },
  { name: 'tiling', cost: 1.2, learn: learnTiling },
  { name: 'periodic', cost: 1.3, learn: learnExtendPeriodic },
  { name: 'halo_map', cost: 1.5, learn: learnHaloMap },
  { name: 'recolor_objects', cost: 1.8, learn: learnRecolorObjects },
  { name: 'local_rule', cost: 3, learn: learnLocalRule },
];
