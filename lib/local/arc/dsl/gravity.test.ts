import { expect, test } from 'vitest';
import { g } from '../testing/grids';
import { gravity } from './gravity';
import { runStep } from './program';

const GRID = g('120', '000', '030');

test('cells fall down to the bottom of their column', () => {
  expect(gravity(GRID, 0, 0)).toEqual(g('000', '020', '130'));
});

test('cells rise to the top of their column', () => {
  expect(gravity(GRID, 0, 1)).toEqual(g('120', '030', '000'));
});

test('cells slide left keeping their order in the row', () => {
  expect(gravity(g('102', '030'), 0, 2)).toEqual(g('120', '300'));
});

test('cells slide right keeping their order in the row', () => {
  expect(gravity(g('102', '030'), 0, 3)).toEqual(g('012', '003'));
});

test('shifting moves everything and fills the gap with background', () => {
  expect(runStep({ op: 'shift', args: [1, 0, 0] }, g('12', '00'))).toEqual(g('00', '12'));
});
