/**
 * The security headers the proxy (`proxy.ts`) puts on every response it sees: a
 * Content-Security-Policy whose scripts need this response's nonce, and HSTS when the app's
 * public URL is https. The headers that never change (nosniff, frame options, ...) are static,
 * in next.config.mjs.
 *
 * Scripts: `'nonce-<fresh>' 'strict-dynamic'`, no `'unsafe-inline'`. Next.js reads the nonce from
 * the request's CSP header and puts it on every script it renders (its runtime, the page chunks,
 * the inline flight data), so an injected `<script>` without it does not run. `'self'` stays for
 * browsers without CSP level 3 (`'strict-dynamic'` makes newer ones ignore it).
 * Styles keep `'unsafe-inline'`: React writes `style=""` attributes (grid cells, charts, bars),
 * which no nonce can cover; a nonce in style-src would make browsers ignore `'unsafe-inline'`
 * and drop them.
 */

/** A fresh nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** The Content-Security-Policy of one response, scripts allowed by `nonce`. Dev mode adds `'unsafe-eval'` (React's dev tooling). */
export function contentSecurityPolicy({ nonce, dev = false }: { nonce: string; dev?: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** One year; no `includeSubDomains`: other hosts under the operator's domain are theirs to decide. */
export const HSTS_VALUE = 'max-age=31536000';

/**
 * The Strict-Transport-Security value, or null: sent only when the app's configured public URL
 * (BETTER_AUTH_URL) is https. Served over plain http (the quick start, a LAN address) it is not
 * sent: browsers ignore it there, and claiming https where there is none would lock users out.
 */
export function strictTransportSecurity({ publicUrl }: { publicUrl?: string | undefined }): string | null {
  return publicUrl?.startsWith('https://') ? HSTS_VALUE : null;
}
