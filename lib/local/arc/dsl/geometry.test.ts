import { expect, test } from 'vitest';
import { g } from '../testing/grids';
import { geom } from './geometry';

const G = g('12', '34', '56');

test('rotating 90 degrees clockwise puts the first column on top, reversed', () => {
  expect(geom(G, 1)).toEqual(g('531', '642'));
});

test('rotating 180 degrees reverses rows and columns', () => {
  expect(geom(G, 2)).toEqual(g('65', '43', '21'));
});

test('rotating anticlockwise undoes rotating clockwise', () => {
  expect(geom(geom(G, 1), 3)).toEqual(G);
});

test('mirroring left to right reverses each row', () => {
  expect(geom(G, 4)).toEqual(g('21', '43', '65'));
});

test('flipping upside down reverses the row order', () => {
  expect(geom(G, 5)).toEqual(g('56', '34', '12'));
});

test('transposing swaps rows and columns', () => {
  expect(geom(G, 6)).toEqual(g('135', '246'));
});

test('the anti-diagonal transpose is a transpose after a half turn', () => {
  expect(geom(G, 7)).toEqual(geom(geom(G, 2), 6));
});

test('the eight symmetries of an asymmetric grid are all different', () => {
  const keys = new Set([0, 1, 2, 3, 4, 5, 6, 7].map((k) => JSON.stringify(geom(G, k))));
  expect(keys.size).toBe(8);
});
