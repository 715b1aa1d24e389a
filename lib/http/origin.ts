/**
 * Cross-site request protection for state-changing routes, beside SameSite cookies: a browser
 * always sends `Origin` on a cross-origin POST, so one that names another site is refused.
 * Requests without `Origin` (curl, server-to-server) carry no ambient browser credentials to
 * abuse and pass.
 */
import { AppError } from '../errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Throws `forbidden:origin` when a state-changing request comes from another origin. */
export function assertSameOrigin(request: Request, trustedOrigins: readonly string[] = []): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get('origin');
  if (origin === null) return;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError('forbidden:origin', 'This request came from an unrecognised origin.');
  }
  if (originHost === host || trustedOrigins.includes(origin)) return;
  throw new AppError('forbidden:origin', 'Cross-site requests are not allowed.');
}
