import { expect, test } from 'vitest';
import { g } from '../testing/grids';
import { combineParts, splitParts } from './parts';

test('splitting drops a uniform separator line between the parts', () => {
  expect(splitParts(g('10501', '01510'), 1, 2)).toEqual([g('10', '01'), g('01', '10')]);
});

test('splitting without separators cuts into equal parts', () => {
  expect(splitParts(g('12', '34', '56', '78'), 0, 2)).toEqual([g('12', '34'), g('56', '78')]);
});

test('splitting does not apply when the parts cannot be equal', () => {
  expect(splitParts(g('123', '456'), 1, 2)).toBeNull();
});

test('AND marks cells set in both halves', () => {
  expect(combineParts([g('11', '00'), g('10', '10')], 0, 2, 0)).toEqual(g('20', '00'));
});

test('XOR marks cells set in exactly one half', () => {
  expect(combineParts([g('11', '00'), g('10', '10')], 2, 3, 0)).toEqual(g('03', '30'));
});

test('NOR marks cells set in neither half', () => {
  expect(combineParts([g('11', '00'), g('10', '10')], 3, 4, 0)).toEqual(g('00', '04'));
});

test('overlaying puts the first part on top', () => {
  expect(combineParts([g('10', '00'), g('22', '02')], 6, 0, 0)).toEqual(g('12', '02'));
});

test('block splitting cuts into n by n blocks in reading order, dropping a separator cross', () => {
  expect(splitParts(g('152', '555', '354'), 2, 2)).toEqual([g('1'), g('2'), g('3'), g('4')]);
});
