import { expect, test } from 'vitest';
import { requestOriginOf, trustedOriginsOf } from './origins';

test('trusted origins are BETTER_AUTH_URL and the listed ones, reduced to origins', () => {
  expect(trustedOriginsOf({ BETTER_AUTH_URL: 'https://console.example.com/app/', BETTER_AUTH_TRUSTED_ORIGINS: ' https://other.example.com/ , ,https://console.example.com' })).toEqual([
    'https://console.example.com',
    'https://other.example.com',
  ]);
});

test('with neither set, no origin but the request own is trusted', () => {
  expect(trustedOriginsOf({})).toEqual([]);
});

test("a request's own origin is the one its Host header names, with the scheme it arrived over", () => {
  const request = new Request('http://localhost:3000/api/auth/sign-out', { method: 'POST', headers: { host: '127.0.0.1:3000' } });
  expect(requestOriginOf(request)).toEqual(['http://127.0.0.1:3000']);
});

test('a request without a Host header adds no origin', () => {
  expect(requestOriginOf(undefined)).toEqual([]);
  expect(requestOriginOf(new Request('http://localhost:3000/'))).toEqual([]);
});

test('a Host header that is no host adds no origin', () => {
  expect(requestOriginOf(new Request('http://localhost:3000/', { headers: { host: 'a b/c' } }))).toEqual([]);
});
