import { describe, expect, test } from 'vitest';
import { contentSecurityPolicy, createNonce, HSTS_VALUE, strictTransportSecurity } from './securityHeaders';

function directive(csp: string, name: string): string {
  return csp.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';
}

describe('contentSecurityPolicy', () => {
  test('scripts need the nonce and may not be inline', () => {
    const scripts = directive(contentSecurityPolicy({ nonce: 'abc123' }), 'script-src');
    expect(scripts).toContain("'nonce-abc123'");
    expect(scripts).toContain("'strict-dynamic'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
  });

  test('dev mode adds unsafe-eval for React, and still no inline scripts', () => {
    const scripts = directive(contentSecurityPolicy({ nonce: 'n', dev: true }), 'script-src');
    expect(scripts).toContain("'unsafe-eval'");
    expect(scripts).not.toContain("'unsafe-inline'");
  });

  test('styles carry no nonce (it would disable their unsafe-inline, needed by style attributes)', () => {
    const styles = directive(contentSecurityPolicy({ nonce: 'abc123' }), 'style-src');
    expect(styles).toBe("style-src 'self' 'unsafe-inline'");
  });

  test('framing is refused', () => {
    expect(contentSecurityPolicy({ nonce: 'n' })).toContain("frame-ancestors 'none'");
  });
});

describe('createNonce', () => {
  test('is 16 random bytes in base64, different each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(atob(nonce)).toHaveLength(16);
  });
});

describe('strictTransportSecurity', () => {
  test('is sent when the public URL is https', () => {
    expect(strictTransportSecurity({ publicUrl: 'https://console.example.com' })).toBe(HSTS_VALUE);
  });

  test('is not sent when the public URL is http, or unset (the quick start)', () => {
    expect(strictTransportSecurity({ publicUrl: 'http://console.example.com' })).toBeNull();
    expect(strictTransportSecurity({ publicUrl: undefined })).toBeNull();
  });
});
