import { expect, test } from 'vitest';
import { g } from '../testing/grids';
import { fillEnclosed } from './fill';
import { runStep } from './program';

test('filling enclosed regions paints background that cannot reach the border', () => {
  expect(fillEnclosed(g('0000', '0330', '0303', '0330'), 0, 4)).toEqual(g('0000', '0330', '0343', '0330'));
});

test('background touching the border is not enclosed', () => {
  expect(fillEnclosed(g('303', '303'), 0, 4)).toEqual(g('303', '303'));
});

test('a halo surrounds coloured cells with 4-neighbour cells of a new colour', () => {
  expect(runStep({ op: 'halo', args: [0, -1, 7, 0] }, g('000', '020', '000'))).toEqual(g('070', '727', '070'));
});

test('a diagonal halo also fills the corners', () => {
  expect(runStep({ op: 'halo', args: [0, 2, 7, 1] }, g('000', '020', '000'))).toEqual(g('777', '727', '777'));
});

test('lines run right from each source cell until they meet another colour', () => {
  expect(runStep({ op: 'draw_lines', args: [0, 1, 8] }, g('10030', '00000'))).toEqual(g('11130', '00000'));
});

test('lines in every direction cover rows, columns and diagonals', () => {
  expect(runStep({ op: 'draw_lines', args: [0, -1, 255] }, g('000', '010', '000'))).toEqual(g('111', '111', '111'));
});
