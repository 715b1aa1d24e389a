import { expect, test } from 'vitest';
import { trustedOriginsOf } from './origins';

test('trusted origins are BETTER_AUTH_URL and the listed ones, reduced to origins', () => {
  expect(trustedOriginsOf({ BETTER_AUTH_URL: 'https://console.example.com/app/', BETTER_AUTH_TRUSTED_ORIGINS: ' https://other.example.com/ , ,https://console.example.com' })).toEqual([
    'https://console.example.com',
    'https://other.example.com',
  ]);
});

test('with neither set, no origin but the request own is trusted', () => {
  expect(trustedOriginsOf({})).toEqual([]);
});
