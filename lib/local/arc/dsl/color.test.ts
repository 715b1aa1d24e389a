import { expect, test } from 'vitest';
import { g } from '../testing/grids';
import { rankedColor, recolor } from './color';
import { runStep } from './program';

test('a colour map changes the colours it names and keeps the others', () => {
  expect(recolor(g('012', '210'), { 1: 5, 2: 1 })).toEqual(g('051', '150'));
});

test('keeping one colour turns every other cell into background', () => {
  expect(runStep({ op: 'keep_color', args: [3, 0] }, g('13', '32'))).toEqual(g('03', '30'));
});

test('erasing a colour turns its cells into background', () => {
  expect(runStep({ op: 'erase_color', args: [3, 0] }, g('13', '32'))).toEqual(g('10', '02'));
});

test('filling with the majority colour paints every cell with the commonest colour', () => {
  expect(runStep({ op: 'fill_majority', args: [] }, g('122', '312'))).toEqual(g('222', '222'));
});

test('the commonest and rarest colours ignore the background and break ties to the lowest colour', () => {
  expect(rankedColor(g('0112', '0223'), 0, 0)).toBe(2);
  expect(rankedColor(g('0112', '0223'), 0, 1)).toBe(3);
  expect(rankedColor(g('0123', '0321'), 0, 0)).toBe(1);
});

test('the ranked colour of an all-background grid does not apply', () => {
  expect(runStep({ op: 'ranked_color', args: [0, 0] }, g('00', '00'))).toBeNull();
});
