/**
 * Next.js proxy (formerly middleware): gives every page response a fresh CSP nonce and the
 * security headers that depend on the request or the configuration (lib/http/securityHeaders.ts).
 * The nonce travels to the renderer in the request's own `Content-Security-Policy` and `x-nonce`
 * headers, where Next.js reads it; pages render per request for it (app/layout.tsx).
 */
import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from './lib/config';
import { contentSecurityPolicy, createNonce, strictTransportSecurity } from './lib/http/securityHeaders';

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function proxy(request: NextRequest) {
  const response = request.nextUrl.pathname.startsWith('/api/') ? apiResponse() : pageResponse(request);
  const hsts = strictTransportSecurity({ publicUrl: getConfig().BETTER_AUTH_URL });
  if (hsts) response.headers.set('Strict-Transport-Security', hsts);
  return response;
}

/** An API response renders no HTML: a fixed policy, no nonce, the request left as it came. */
function apiResponse(): NextResponse {
  const response = NextResponse.next();
  response.headers.set('Content-Security-Policy', API_CSP);
  return response;
}

/** A page gets a fresh nonce, in its own policy and in the request headers its renderer reads. */
function pageResponse(request: NextRequest): NextResponse {
  const nonce = createNonce();
  const csp = contentSecurityPolicy({ nonce, dev: process.env.NODE_ENV === 'development' });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  return response;
}

export const config = {
  // Not the build's static files: they are scripts and styles themselves, with no policy to carry.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
