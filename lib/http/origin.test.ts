import { describe, expect, test } from 'vitest';
import { AppError } from '../errors';
import { assertSameOrigin } from './origin';

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
