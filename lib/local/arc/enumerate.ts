/**
 * The steps the search tries, with arguments drawn from the task (background, input and output
 * colours). Ordered roughly simplest first; the search keeps that order, so it is deterministic.
 */
import type { TaskContext } from './context.ts';
import type { Step } from './dsl/types.ts';

const LINE_MASKS = [1, 2, 4, 8, 3, 12, 15, 240, 255];
const TILINGS: number[][][] = [
  [[0, 0]],
  [[0], [0]],
  [
    [0, 0],
    [0, 0],
  ],
  [[0, 4]],
  [[4, 0]],
  [[0], [5]],
  [[5], [0]],
  [
    [0, 4],
    [5, 2],
  ],
  [
    [2, 5],
    [4, 0],
  ],
];

export function enumerateSteps(ctx: TaskContext): Step[] {
  const { bg, inputColors: ins, outputColors: outs } = ctx;
  const steps: Step[] = [];
  const add = (op: string, ...args: Step['args']): void => {
    steps.push({ op, args });
  };
  for (let k = 1; k < 8; k++) add('geom', k);
  add('crop_bbox', bg);
  for (const d of [0, 1, 2, 3]) add('gravity', bg, d);
  add('fill_majority');
  add('ranked_color', bg, 0);
  add('ranked_color', bg, 1);
  for (const c of outs) add('fill_enclosed', bg, c);
  for (const c of ins) add('keep_color', c, bg);
  for (const c of ins) add('erase_color', c, bg);
  for (const [a, b] of [
    [2, 2],
    [3, 3],
    [1, 2],
    [2, 1],
  ] as const) {
    add('upscale', a, b);
    add('downscale', a, b, 0);
  }
  add('downscale', 2, 2, 1);
  add('downscale', 3, 3, 1);
  add('upscale_by_colors', bg);
  for (const layout of TILINGS) add('tile_layout', layout);
  for (const mode of [0, 1, 2]) add('kron', bg, mode);
  for (const m of [bg, ...ins]) for (const crop of [0, 1]) add('symmetry_fill', m, crop);
  for (const m of [bg, ...ins]) add('periodic_fill', m);
  for (const axis of [0, 1]) for (const n of [2, 3]) for (let i = 0; i < n; i++) add('take_part', axis, n, i);
  for (let i = 0; i < 4; i++) add('take_part', 2, 2, i);
  for (const axis of [0, 1, 2]) {
    for (const n of axis === 2 ? [2] : [2, 3, 4]) {
      for (let op = 0; op < 6; op++) for (const c of outs) add('combine_parts', axis, n, op, c, bg);
      add('combine_parts', axis, n, 6, 0, bg);
      add('combine_parts', axis, n, 7, 0, bg);
    }
  }
  for (const multi of [0, 1]) for (const diag of [0, 1]) for (let sel = 0; sel < 7; sel++) for (const only of [0, 1]) add('crop_object', bg, sel, diag, multi, only);
  for (const c of ins) for (const inner of [0, 1]) add('crop_color_box', c, inner);
  for (const multi of [0, 1]) for (const diag of [0, 1]) for (let sel = 0; sel < 7; sel++) add('keep_object', bg, sel, diag, multi);
  for (const k of [1, 2]) for (const diag of [0, 1]) add('remove_small', bg, k, diag);
  for (const [dr, dc] of [
    [1, 0],
    [-1, 0],
    [0, 1],
    [0, -1],
    [1, 1],
    [1, -1],
    [-1, 1],
    [-1, -1],
  ] as const)
    add('shift', dr, dc, bg);
  for (const src of [-1, ...ins]) for (const c of outs) for (const diag of [0, 1]) if (c !== src) add('halo', bg, src, c, diag);
  for (const src of [-1, ...ins]) for (const mask of LINE_MASKS) add('draw_lines', bg, src, mask);
  return steps;
}
