import { expect, test } from 'vitest';
import { g } from '../testing/grids';
import { runStep } from './program';

test('cropping to the bounding box keeps the smallest rectangle around the non-background cells', () => {
  expect(runStep({ op: 'crop_bbox', args: [0] }, g('0000', '0120', '0030', '0000'))).toEqual(g('12', '03'));
});

test('cropping an empty grid to its bounding box does not apply', () => {
  expect(runStep({ op: 'crop_bbox', args: [0] }, g('00', '00'))).toBeNull();
});

test('cropping to the largest object returns its box', () => {
  expect(runStep({ op: 'crop_object', args: [0, 0, 0, 0, 0] }, g('1000', '0022', '0022'))).toEqual(g('22', '22'));
});

test('cropping to an object with only its cells blanks the other cells of its box', () => {
  expect(runStep({ op: 'crop_object', args: [0, 0, 0, 0, 1] }, g('330', '034', '330'))).toEqual(g('33', '03', '33'));
});

test('cropping to the object of a unique colour picks the odd one out', () => {
  expect(runStep({ op: 'crop_object', args: [0, 4, 0, 0, 0] }, g('10101', '00000', '10201'))).toEqual(g('2'));
});

test('cropping inside a colour frame drops the frame', () => {
  expect(runStep({ op: 'crop_color_box', args: [5, 1] }, g('05550', '05150', '05550'))).toEqual(g('1'));
});
