/**
 * Python parity: every op, with a spread of arguments and in two-step compositions, rendered as
 * Python and run by the system python3, gives exactly the grid the TypeScript implementation gives.
 */
import { describe, expect, test } from 'vitest';
import { g, maskedPeriodicGrid, maskedSymmetricGrid, randomGrid } from '../testing/grids';
import { hasPython, runPythonJobs } from '../testing/python';
import { programToPython, runProgram } from './program';
import { ALL_OPS } from './registry';
import type { Program, Step } from './types';

const SAMPLE_STEPS: Step[] = [
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({ op: 'geom', args: [k] })),
  { op: 'recolor', args: [{ 1: 2, 2: 1, 0: 5 }] },
  { op: 'keep_color', args: [3, 0] },
  { op: 'erase_color', args: [2, 0] },
  { op: 'fill_majority', args: [] },
  { op: 'ranked_color', args: [0, 0] },
  { op: 'ranked_color', args: [0, 1] },
  { op: 'upscale', args: [2, 3] },
  { op: 'downscale', args: [2, 2, 0] },
  { op: 'downscale', args: [3, 1, 1] },
  { op: 'upscale_by_colors', args: [0] },
  { op: 'tile_layout', args: [[[0, 4], [5, 2]]] },
  { op: 'tile_layout', args: [[[0, 1]]] },
  { op: 'tile_layout', args: [[[0], [0], [0]]] },
  { op: 'kron', args: [0, 0] },
  { op: 'kron', args: [0, 1] },
  { op: 'kron', args: [0, 2] },
  { op: 'crop_bbox', args: [0] },
  ...[0, 1, 2, 3, 4, 5, 6].map((sel) => ({ op: 'crop_object', args: [0, sel, sel % 2, sel % 3 === 0 ? 1 : 0, sel % 2] })),
  { op: 'crop_color_box', args: [1, 0] },
  { op: 'crop_color_box', args: [2, 1] },
  ...[0, 1, 4, 5].map((sel) => ({ op: 'keep_object', args: [0, sel, 1, 0] })),
  { op: 'remove_small', args: [0, 1, 0] },
  { op: 'remove_small', args: [0, 2, 1] },
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((prop) => ({ op: 'recolor_objects', args: [0, prop, { 0: 7, 1: 8, 2: 9, 3: 6 }, prop % 2, 0] })),
  ...[0, 1, 2, 3].map((d) => ({ op: 'gravity', args: [0, d] })),
  { op: 'shift', args: [1, -1, 0] },
  { op: 'fill_enclosed', args: [0, 4] },
  { op: 'halo', args: [0, -1, 3, 0] },
  { op: 'halo', args: [0, 2, 5, 1] },
  { op: 'draw_lines', args: [0, -1, 15] },
  { op: 'draw_lines', args: [0, 3, 240] },
  { op: 'draw_lines', args: [0, -1, 2] },
  { op: 'symmetry_fill', args: [8, 0] },
  { op: 'symmetry_fill', args: [8, 1] },
  { op: 'symmetry_fill', args: [0, 0] },
  { op: 'periodic_fill', args: [0] },
  { op: 'periodic_fill', args: [8] },
  { op: 'extend_periodic', args: [1, 2] },
  { op: 'extend_periodic', args: [2, 2] },
  { op: 'halo_map', args: [0, { 1: 4, 2: 7, 3: 3 }, 0] },
  { op: 'halo_map', args: [0, { 5: 1 }, 1] },
  ...[0, 1].flatMap((axis) => [2, 3].map((n) => ({ op: 'take_part', args: [axis, n, n - 1] }))),
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((op) => ({ op: 'combine_parts', args: [op % 3, 2 + (op % 2), op, 6, 0] })),
  { op: 'take_part', args: [2, 2, 3] },
  { op: 'local_rule', args: [0, 0, { '0,0,1,0,0': 5, '1,-1,0,-1,0': 2 }] },
  { op: 'local_rule', args: [1, 0, { '0,0,0,0,0,0,0,0,0': 3 }] },
  { op: 'local_rule', args: [2, 0, { '0|1': 4, '0|2': 6 }] },
  { op: 'local_rule', args: [3, 0, { '0|0,1|0': 9, '0|0|0,1': 7 }] },
];

const GRIDS = [
  g('0000', '0120', '0340', '0000'),
  g('010', '111', '010'),
  g('1101', '0000', '1011'),
  g('1202', '0502', '1512'),
  g('111', '101', '111'),
  ...Array.from({ length: 14 }, (_, i) => randomGrid(i + 1)),
  maskedSymmetricGrid(1, 8),
  maskedSymmetricGrid(2, 8),
  maskedPeriodicGrid(1, 8),
  maskedPeriodicGrid(2, 9),
];

const TWO_STEP: Program[] = SAMPLE_STEPS.filter((_, i) => i % 5 === 0).map((s, i) => [s, SAMPLE_STEPS[(i * 7 + 3) % SAMPLE_STEPS.length]!]);

describe.skipIf(!hasPython())('python rendering', () => {
  test('the sample covers every op of the DSL', () => {
    const covered = new Set(SAMPLE_STEPS.map((s) => s.op));
    expect(ALL_OPS.filter((op) => !covered.has(op.name)).map((op) => op.name)).toEqual([]);
  });

  test('every sampled program computes in Python exactly what it computes in TypeScript', () => {
    const programs: Program[] = [[], ...SAMPLE_STEPS.map((s) => [s]), ...TWO_STEP];
    const results = runPythonJobs(programs.map((p) => ({ source: programToPython(p), grids: GRIDS })));
    let compared = 0;
    const mismatches: string[] = [];
    programs.forEach((program, i) => {
      expect(results[i]!.error, JSON.stringify(program)).toBeNull();
      GRIDS.forEach((grid, j) => {
        const ts = runProgram(program, grid);
        if (ts === null) return;
        compared++;
        const py = results[i]!.outputs[j];
        if (JSON.stringify(py) !== JSON.stringify(ts)) mismatches.push(`${JSON.stringify(program)} on grid ${j}`);
      });
    });
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  }, 60_000);

  test('the rendered Python defines transform and imports nothing', () => {
    const source = programToPython([{ op: 'symmetry_fill', args: [8, 1] }, { op: 'recolor', args: [{ 1: 2 }] }]);
    expect(source).toContain('def transform(grid):');
    expect(source).not.toMatch(/^\s*(import|from)\s/m);
  });
});
