import { expect, test } from 'vitest';
import { g, maskedPeriodicGrid } from '../testing/grids';
import { findPeriod } from './periodic';
import { runStep } from './program';

test('the period of a repeating pattern is the smallest tile that explains it', () => {
  expect(findPeriod(g('121212', '343434'), -1)).toEqual([2, 2]);
});

test('masked cells are ignored when looking for the period', () => {
  expect(findPeriod(g('1212', '1292'), 9)).toEqual([1, 2]);
});

test('periodic fill restores a patch painted over a repeating pattern', () => {
  const out = runStep({ op: 'periodic_fill', args: [8] }, maskedPeriodicGrid(4, 8))!;
  expect(out.flat()).not.toContain(8);
  expect(findPeriod(out, -1)).not.toBeNull();
});

test('extending a pattern continues it past where a plain tiling would repeat', () => {
  expect(runStep({ op: 'extend_periodic', args: [1, 2] }, g('12312'))).toEqual(g('1231231231'));
});

test('a halo map colours the surroundings of each cell by the cell colour', () => {
  expect(runStep({ op: 'halo_map', args: [0, { 1: 4, 2: 7 }, 0] }, g('1000', '0002'))).toEqual(g('1407', '4072'));
});
