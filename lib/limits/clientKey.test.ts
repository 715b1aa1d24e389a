import { describe, expect, test } from 'vitest';
import { CLIENT_ADDRESS_HEADER, clientAddressOf, limitKeyOf, PEER_ADDRESS_HEADER, withClientAddress } from './clientKey';

function request(headers: Record<string, string>): Request {
  return new Request('http://app.test/api/runs', { headers });
}

const spoofed = { 'x-forwarded-for': '203.0.113.7, 198.51.100.2', 'x-real-ip': '203.0.113.9', [PEER_ADDRESS_HEADER]: '10.0.0.5' };

describe('limitKeyOf', () => {
  test('a signed-in user counts as the user, whatever the address', () => {
    expect(limitKeyOf(request(spoofed), 'u1', 0)).toBe('user:u1');
  });

  test('with no trusted proxy hops the socket address counts, and X-Forwarded-For and X-Real-IP are ignored', () => {
    expect(limitKeyOf(request(spoofed), null, 0)).toBe('client:10.0.0.5');
  });

  test('rotating X-Forwarded-For with no trusted hops keeps one key', () => {
    const keys = new Set(Array.from({ length: 40 }, (_, i) => limitKeyOf(request({ 'x-forwarded-for': `198.51.100.${i}`, [PEER_ADDRESS_HEADER]: '10.0.0.5' }), null, 0)));
    expect([...keys]).toEqual(['client:10.0.0.5']);
  });

  test('with one trusted hop the rightmost X-Forwarded-For entry counts (what the proxy appended)', () => {
    expect(limitKeyOf(request(spoofed), null, 1)).toBe('client:198.51.100.2');
  });

  test('with two trusted hops the second entry from the right counts', () => {
    expect(limitKeyOf(request(spoofed), null, 2)).toBe('client:203.0.113.7');
  });

  test('with one trusted hop, entries a client prepends do not change the key', () => {
    const keys = new Set(
      Array.from({ length: 40 }, (_, i) =>
        limitKeyOf(request({ 'x-forwarded-for': `192.0.2.${i}, 198.51.100.2`, [PEER_ADDRESS_HEADER]: '10.0.0.5' }), null, 1),
      ),
    );
    expect([...keys]).toEqual(['client:198.51.100.2']);
  });

  test('a chain shorter than the trusted hops gives its leftmost entry', () => {
    expect(limitKeyOf(request({ 'x-forwarded-for': '198.51.100.2', [PEER_ADDRESS_HEADER]: '10.0.0.5' }), null, 5)).toBe('client:198.51.100.2');
    expect(limitKeyOf(request({ [PEER_ADDRESS_HEADER]: '10.0.0.5' }), null, 1)).toBe('client:10.0.0.5');
  });

  test('with no stamped peer address every header-only request is one unknown client', () => {
    expect(limitKeyOf(request({ 'x-forwarded-for': '198.51.100.2' }), null, 0)).toBe('client:unknown');
    expect(limitKeyOf(request({ 'x-forwarded-for': '198.51.100.3' }), null, 0)).toBe('client:unknown');
  });
});

describe('clientAddressOf', () => {
  test('spaces and empty entries in X-Forwarded-For are skipped', () => {
    expect(clientAddressOf(new Headers({ 'x-forwarded-for': ' 198.51.100.2 ,, 192.0.2.1 ', [PEER_ADDRESS_HEADER]: '10.0.0.5' }), 1)).toBe('192.0.2.1');
  });
});

describe('withClientAddress', () => {
  test('sets the header Better Auth reads to the client address, replacing a copy the client sent', () => {
    const forwarded = withClientAddress(request({ ...spoofed, [CLIENT_ADDRESS_HEADER]: '192.0.2.66' }), 0);
    expect(forwarded.headers.get(CLIENT_ADDRESS_HEADER)).toBe('10.0.0.5');
  });

  test('removes a client-sent copy when the address is unknown', () => {
    const forwarded = withClientAddress(request({ [CLIENT_ADDRESS_HEADER]: '192.0.2.66' }), 0);
    expect(forwarded.headers.has(CLIENT_ADDRESS_HEADER)).toBe(false);
  });

  test('keeps the method and body', async () => {
    const original = new Request('http://app.test/api/auth/sign-in/anonymous', { method: 'POST', body: '{"a":1}', headers: { [PEER_ADDRESS_HEADER]: '10.0.0.5' } });
    const forwarded = withClientAddress(original, 0);
    expect(forwarded.method).toBe('POST');
    expect(await forwarded.text()).toBe('{"a":1}');
  });
});
