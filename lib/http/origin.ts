/**
 * Cross-site request protection for state-changing routes, beside SameSite cookies: a browser
 * always sends `Origin` on a cross-origin POST, so one that names another origin is refused.
 * An origin is scheme, host and port: `http://app.example` is another origin than
 * `https://app.example` (a page served over plain http, which anyone on the network can rewrite,
 * must not write to the https site). Requests without `Origin` (curl, server-to-server) carry no
 * ambient browser credentials to abuse and pass.
 */
import { AppError } from '../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The origin the request was addressed to: the scheme a TLS-terminating proxy reports
 * (`X-Forwarded-Proto`) or else the request URL's, and the host it reports (`X-Forwarded-Host`)
 * or else the Host header. Null without a host.
 */
export function addressedOriginOf(request: Request): string | null {
  const host = firstValue(request.headers.get('x-forwarded-host')) ?? request.headers.get('host');
  if (!host) return null;
  const forwardedProto = firstValue(request.headers.get('x-forwarded-proto'))?.toLowerCase();
  const scheme = forwardedProto === 'https' || forwardedProto === 'http' ? `${forwardedProto}:` : new URL(request.url).protocol;
  try {
    return new URL(`${scheme}//${host}`).origin;
  } catch {
    return null;
  }
}

/** The first of a proxy header's comma-separated values (the one the first proxy saw). */
function firstValue(header: string | null): string | undefined {
  const first = header?.split(',')[0]?.trim();
  return first ? first : undefined;
}

/**
 * Throws `forbidden:origin` when a state-changing request comes from another origin than the one
 * it was addressed to and is not one of `trustedOrigins` (BETTER_AUTH_URL and
 * BETTER_AUTH_TRUSTED_ORIGINS, as `scheme://host[:port]`).
 */
export function assertSameOrigin(request: Request, trustedOrigins: readonly string[] = []): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get('origin');
  if (origin === null) return;
  let sent: string;
  try {
    sent = new URL(origin).origin;
  } catch {
    throw new AppError('forbidden:origin', 'This request came from an unrecognised origin.');
  }
  if (sent === 'null') throw new AppError('forbidden:origin', 'This request came from an unrecognised origin.');
  if (sent === addressedOriginOf(request) || trustedOrigins.includes(sent)) return;
  throw new AppError('forbidden:origin', 'Cross-site requests are not allowed.');
}
