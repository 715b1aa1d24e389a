/** Tests of the analysis pages' links. */
import { expect, test } from 'vitest';
import { compareHref } from './analysis-data';

test('the comparison link carries both run ids', () => {
  expect(compareHref('sc-flip-h', 'a', 'b')).toBe('/puzzles/sc-flip-h/analyses/compare?a=a&b=b');
});
