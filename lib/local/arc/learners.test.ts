import { expect, test } from 'vitest';
import { runStep } from './dsl/program';
import { learnLocalRule, learnRecolor, learnRecolorObjects, learnScale, learnTiling, type LearnInput } from './learners';
import { g } from './testing/grids';

const input = (xs: number[][][], ys: number[][][], tests: number[][][] = xs): LearnInput => ({ xs, ys, bg: 0, testXs: () => tests });

test('a colour map is learned from cells that change consistently', () => {
  expect(learnRecolor(input([g('12', '21')], [g('34', '43')]))).toEqual([{ op: 'recolor', args: [{ 1: 3, 2: 4 }] }]);
});

test('no colour map is learned when one colour goes two ways', () => {
  expect(learnRecolor(input([g('11')], [g('12')]))).toEqual([]);
});

test('an object table by size is learned and recolours unseen layouts', () => {
  const [step] = learnRecolorObjects(input([g('1101', '0000')], [g('2203', '0000')], [g('1011', '0000')]));
  expect(step).toBeDefined();
  expect(runStep(step!, g('1011', '0000'))).toEqual(g('3022', '0000'));
});

test('a tiling layout of mirrored copies is read off the output', () => {
  expect(learnTiling(input([g('12', '34')], [g('1221', '3443')]))).toEqual([{ op: 'tile_layout', args: [[[0, 4]]] }]);
});

test('an upscale factor is read off the output shape and verified', () => {
  expect(learnScale(input([g('12')], [g('1122', '1122')]))).toContainEqual({ op: 'upscale', args: [2, 2] });
});

test('a local rule is refused when the test input shows a neighbourhood never seen in training', () => {
  expect(learnLocalRule(input([g('100')], [g('120')], [g('111')]))).toEqual([]);
});

test('a local rule on neighbour counts is learned when it covers the test input', () => {
  const [step] = learnLocalRule(input([g('1000', '0000')], [g('1200', '2200')], [g('0000', '0010')]));
  expect(step).toMatchObject({ op: 'local_rule', args: [2, 0, { '0|1': 2 }] });
});
