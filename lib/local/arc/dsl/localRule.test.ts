import { expect, test } from 'vitest';
import { g } from '../testing/grids';
import { ruleKeys } from './localRule';
import { runStep } from './program';

test('the 4-neighbour key lists the cell then up, down, left, right, with -1 outside', () => {
  expect(ruleKeys(g('12', '34'), 0, 0)[0]![0]).toBe('1,-1,3,-1,2');
});

test('the neighbour-count key counts coloured cells among the eight neighbours', () => {
  expect(ruleKeys(g('100', '010', '001'), 2, 0)[1]![1]).toBe('1|2');
});

test('the row-and-column key lists the colours of the row and of the column', () => {
  expect(ruleKeys(g('10', '02'), 3, 0)[0]![1]).toBe('0|0,1|0,2');
});

test('a local rule recolours the cells whose key it knows and keeps the rest', () => {
  expect(runStep({ op: 'local_rule', args: [2, 0, { '0|1': 5 }] }, g('100', '000'))).toEqual(g('150', '550'));
});
