import { expect, test } from 'vitest';
import { g } from '../testing/grids';
import { components, objectProps, selectObject } from './components';
import { runStep } from './program';

const GRID = g('1100', '1002', '0022', '3000');

test('objects come in scan order with their cells sorted', () => {
  expect(components(GRID, 0, false, false)).toEqual([
    [
      [0, 0],
      [0, 1],
      [1, 0],
    ],
    [
      [1, 3],
      [2, 2],
      [2, 3],
    ],
    [[3, 0]],
  ]);
});

test('diagonal connectivity joins cells that touch at a corner', () => {
  expect(components(g('10', '01'), 0, true, false)).toHaveLength(1);
  expect(components(g('10', '01'), 0, false, false)).toHaveLength(2);
});

test('multicolour objects join neighbouring cells of different colours', () => {
  expect(components(g('12', '00'), 0, false, true)).toHaveLength(1);
});

test('the largest object is the first of the largest on ties', () => {
  expect(selectObject(GRID, components(GRID, 0, false, false), 0)).toBe(0);
});

test('size rank counts distinct sizes from the largest', () => {
  expect(objectProps(GRID, components(GRID, 0, false, false), 1)).toEqual([0, 0, 1]);
});

test('an object touching the border is flagged', () => {
  expect(objectProps(g('000', '010', '000'), components(g('000', '010', '000'), 0, false, false), 3)).toEqual([0]);
});

test('an object with a hole is flagged', () => {
  const ring = g('111', '101', '111');
  expect(objectProps(ring, components(ring, 0, false, false), 7)).toEqual([1]);
});

test('recolouring by size paints each object by its size through the table', () => {
  expect(runStep({ op: 'recolor_objects', args: [0, 0, { 3: 5, 1: 6 }, 0, 0] }, GRID)).toEqual(g('5500', '5005', '0055', '6000'));
});

test('removing specks erases objects no larger than the limit', () => {
  expect(runStep({ op: 'remove_small', args: [0, 1, 0] }, GRID)).toEqual(g('1100', '1002', '0022', '0000'));
});

test('keeping the smallest object erases the others', () => {
  expect(runStep({ op: 'keep_object', args: [0, 1, 0, 0] }, GRID)).toEqual(g('0000', '0000', '0000', '3000'));
});
