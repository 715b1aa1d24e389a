import { expect, test } from 'vitest';
import { g, maskedSymmetricGrid } from '../testing/grids';
import { findSymmetries, symmetryFill } from './symmetry';

test('a left-right mirror is found with its axis', () => {
  expect(findSymmetries(g('1221', '3443'), 9)).toContainEqual([0, 0, 3]);
});

test('the masked cells are filled from their mirror images', () => {
  expect(symmetryFill(g('1291', '3443'), 9, false)).toEqual(g('1221', '3443'));
});

test('cropping answers only what the mask covered', () => {
  expect(symmetryFill(g('1299', '3443'), 9, true)).toEqual(g('21'));
});

test('a symmetric pattern with a patch painted over it is restored exactly', () => {
  const grid = maskedSymmetricGrid(3, 8);
  const filled = symmetryFill(grid, 8, false)!;
  expect(filled.flat()).not.toContain(8);
  expect(filled).toEqual(filled.map((row) => row.slice().reverse()));
});

test('a grid with no symmetry does not apply', () => {
  expect(symmetryFill(g('129', '345', '678'), 9, false)).toBeNull();
});
