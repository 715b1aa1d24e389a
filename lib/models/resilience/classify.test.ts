import { APICallError } from 'ai';
import { describe, expect, test } from 'vitest';
import { countsAsOutage, isRetryable, retryAfterMs } from './classify';
import { ProviderTimeoutError, StreamFailedBeforeOutput } from './errors';
import { retryBackoff } from './retry';

function httpError(statusCode: number | undefined, headers: Record<string, string> = {}, isRetryable?: boolean): APICallError {
  return new APICallError({
    message: 'failed',
    url: 'http://provider.test/v1/responses',
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    ...(isRetryable !== undefined && { isRetryable }),
  });
}

describe('retryAfterMs', () => {
  test('reads Retry-After as delta-seconds', () => {
    expect(retryAfterMs({ 'retry-after': '2' })).toBe(2_000);
  });

  test('reads Retry-After as an HTTP date relative to now', () => {
    const now = Date.parse('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(retryAfterMs({ 'retry-after': 'Sun, 06 Nov 1994 08:49:40 GMT' }, now)).toBe(3_000);
  });

  test('reads an HTTP date in the past as no wait', () => {
    const now = Date.parse('Sun, 06 Nov 1994 08:50:00 GMT');
    expect(retryAfterMs({ 'retry-after': 'Sun, 06 Nov 1994 08:49:40 GMT' }, now)).toBe(0);
  });

  test('prefers retry-after-ms when both are sent', () => {
    expect(retryAfterMs({ 'retry-after-ms': '250', 'retry-after': '3' })).toBe(250);
  });

  test('ignores an unreadable Retry-After', () => {
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
  });
});

describe('isRetryable', () => {
  test('retries 429, 408 and 5xx', () => {
    for (const status of [408, 429, 500, 502, 503]) expect(isRetryable(httpError(status), 30_000)).toBe(true);
  });

  test('does not retry 400, 401, 403 or 404', () => {
    for (const status of [400, 401, 403, 404]) expect(isRetryable(httpError(status), 30_000)).toBe(false);
  });

  test('retries a network failure that has no status', () => {
    expect(isRetryable(httpError(undefined, {}, true), 30_000)).toBe(true);
  });

  test('does not retry when Retry-After is longer than the cap', () => {
    expect(isRetryable(httpError(429, { 'retry-after': '60' }), 30_000)).toBe(false);
  });

  test('does not retry a timeout or a stream that failed after it was accepted', () => {
    expect(isRetryable(new ProviderTimeoutError('first-chunk', 10, 'OpenAI'), 30_000)).toBe(false);
    expect(isRetryable(new StreamFailedBeforeOutput(new Error('cut')), 30_000)).toBe(false);
  });
});

describe('countsAsOutage', () => {
  test('counts 5xx, network failures, first-chunk timeouts and broken streams', () => {
    expect(countsAsOutage(httpError(503))).toBe(true);
    expect(countsAsOutage(httpError(undefined, {}, true))).toBe(true);
    expect(countsAsOutage(new ProviderTimeoutError('first-chunk', 10, 'OpenAI'))).toBe(true);
    expect(countsAsOutage(new StreamFailedBeforeOutput(new Error('cut')))).toBe(true);
  });

  test('does not count 401, 403, 429, the total timeout or an abort', () => {
    expect(countsAsOutage(httpError(401))).toBe(false);
    expect(countsAsOutage(httpError(403))).toBe(false);
    expect(countsAsOutage(httpError(429))).toBe(false);
    expect(countsAsOutage(new ProviderTimeoutError('total', 10, 'OpenAI'))).toBe(false);
    expect(countsAsOutage(new DOMException('aborted', 'AbortError'))).toBe(false);
  });
});

describe('retryBackoff', () => {
  const signal = new AbortController().signal;

  test('waits at least as long as Retry-After asks', () => {
    const backoff = retryBackoff({ baseDelayMs: 10, maxDelayMs: 50 });
    const first = backoff.next({ attempt: 1, signal, result: { error: httpError(429, { 'retry-after': '2' }) } });
    expect(first.duration).toBe(2_000);
  });

  test('without Retry-After waits a jittered delay below the doubling ceiling', () => {
    const backoff = retryBackoff({ baseDelayMs: 100, maxDelayMs: 10_000 });
    const context = (attempt: number) => ({ attempt, signal, result: { error: httpError(500) } });
    const first = backoff.next(context(1));
    const second = first.next(context(2));
    const third = second.next(context(3));
    expect(first.duration).toBeGreaterThanOrEqual(0);
    expect(first.duration).toBeLessThan(100);
    expect(second.duration).toBeLessThan(200);
    expect(third.duration).toBeLessThan(400);
  });
});
