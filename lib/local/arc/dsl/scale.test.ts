import { expect, test } from 'vitest';
import { g } from '../testing/grids';
import { runStep } from './program';
import { downscale, kron, tileLayout, upscale } from './scale';

test('upscaling turns each cell into a block', () => {
  expect(upscale(g('12'), 2, 2)).toEqual(g('1122', '1122'));
});

test('upscaling past 30 cells does not apply', () => {
  expect(upscale(g('1'.repeat(16)), 1, 2)).toBeNull();
});

test('downscaling keeps the first cell of each block', () => {
  expect(downscale(g('1122', '1322'), 2, 2, false)).toEqual(g('12'));
});

test('downscaling by vote keeps the commonest colour of each block, ignoring noise', () => {
  expect(downscale(g('115', '111', '511'), 3, 3, true)).toEqual(g('1'));
});

test('downscaling does not apply when the blocks do not divide the grid', () => {
  expect(downscale(g('123'), 1, 2, false)).toBeNull();
});

test('a mirrored 2x2 tiling reflects the grid into each quadrant', () => {
  expect(
    tileLayout(g('12', '30'), [
      [0, 4],
      [5, 2],
    ]),
  ).toEqual(g('1221', '3003', '3003', '1221'));
});

test('a tiling of rotated copies does not apply when the copies differ in shape', () => {
  expect(tileLayout(g('12'), [[0, 1]])).toBeNull();
});

test('the self-similar tiling places a copy of the grid at each coloured cell (007bbfb7)', () => {
  expect(kron(g('10', '01'), 0, 0)).toEqual(g('1000', '0100', '0010', '0001'));
});

test('scaling by colour count scales by the number of distinct non-background colours', () => {
  expect(runStep({ op: 'upscale_by_colors', args: [0] }, g('12', '00'))).toEqual(g('1122', '1122', '0000', '0000'));
});
