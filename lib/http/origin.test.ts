import { describe, expect, test } from 'vitest';
import { AppError } from '../errors';
import { addressedOriginOf, assertSameOrigin } from './origin';

function request(method: string, headers: Record<string, string>) {
  return new Request('http://app.test/api/runs', { method, headers });
}

describe('assertSameOrigin', () => {
  test('a POST from the same origin passes', () => {
    expect(() => assertSameOrigin(request('POST', { origin: 'http://app.test', host: 'app.test' }))).not.toThrow();
  });

  test('a POST from another site is refused with forbidden:origin', () => {
    try {
      assertSameOrigin(request('POST', { origin: 'https://evil.example', host: 'app.test' }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('forbidden:origin');
    }
  });

  test('a malformed Origin is refused', () => {
    expect(() => assertSameOrigin(request('POST', { origin: 'null', host: 'app.test' }))).toThrow(AppError);
  });

  test('a POST without Origin (curl, servers) passes', () => {
    expect(() => assertSameOrigin(request('POST', { host: 'app.test' }))).not.toThrow();
  });

  test('a GET is never checked', () => {
    expect(() => assertSameOrigin(request('GET', { origin: 'https://evil.example', host: 'app.test' }))).not.toThrow();
  });

  test('a trusted origin passes', () => {
    expect(() => assertSameOrigin(request('POST', { origin: 'https://console.example', host: 'app.test' }), ['https://console.example'])).not.toThrow();
  });
});

describe('assertSameOrigin compares the scheme', () => {
  test('a POST from http:// to the same host addressed over https (by its proxy) is refused', () => {
    expect(() => assertSameOrigin(request('POST', { origin: 'http://app.test', host: 'app.test', 'x-forwarded-proto': 'https' }))).toThrow(AppError);
  });

  test('a POST from https:// to the same host addressed over plain http is refused', () => {
    expect(() => assertSameOrigin(request('POST', { origin: 'https://app.test', host: 'app.test' }))).toThrow(AppError);
  });

  test('a POST from https:// to the same host addressed over https (by its proxy) passes', () => {
    expect(() => assertSameOrigin(request('POST', { origin: 'https://app.test', host: 'app.test', 'x-forwarded-proto': 'https' }))).not.toThrow();
  });

  test('the port is part of the origin: another port on the same host is refused', () => {
    expect(() => assertSameOrigin(request('POST', { origin: 'http://app.test:8080', host: 'app.test' }))).toThrow(AppError);
  });

  test('a trusted origin matches only with its own scheme', () => {
    expect(() => assertSameOrigin(request('POST', { origin: 'http://console.example', host: 'app.test' }), ['https://console.example'])).toThrow(AppError);
  });
});

describe('addressedOriginOf', () => {
  test('takes the first value of a proxy chain', () => {
    expect(addressedOriginOf(request('POST', { host: 'internal:3000', 'x-forwarded-host': 'app.example, internal', 'x-forwarded-proto': 'https, http' }))).toBe('https://app.example');
  });

  test('a default port is dropped, as browsers drop it from Origin', () => {
    expect(addressedOriginOf(request('POST', { host: 'app.example:443', 'x-forwarded-proto': 'https' }))).toBe('https://app.example');
  });
});
