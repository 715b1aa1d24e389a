/**
 * The origins Better Auth trusts: the request's own (the origin its Host header names, as a
 * browser sends it) and BETTER_AUTH_URL and BETTER_AUTH_TRUSTED_ORIGINS. (Our own routes refuse
 * cross-site writes in the route wrapper, `lib/http/origin.ts`.)
 *
 * Why the request's own: with BETTER_AUTH_URL unset, Better Auth takes its base URL from
 * `request.url`, which `next start` reports as `http://localhost:<port>` whatever address the
 * browser used, so a quick start opened at `http://127.0.0.1:3000` (or by a LAN address) had its
 * sign-up, sign-in and sign-out refused as `INVALID_ORIGIN`. The Host header is the address the
 * browser itself asked for, and a cross-site page cannot choose it.
 */

/** BETTER_AUTH_URL's origin and BETTER_AUTH_TRUSTED_ORIGINS, as origins (`scheme://host[:port]`). */
export function trustedOriginsOf({
  BETTER_AUTH_URL,
  BETTER_AUTH_TRUSTED_ORIGINS,
}: {
  BETTER_AUTH_URL?: string | undefined;
  BETTER_AUTH_TRUSTED_ORIGINS?: string | undefined;
}): string[] {
  const listed = (BETTER_AUTH_TRUSTED_ORIGINS ?? '').split(',').map((o) => o.trim());
  const origins = [BETTER_AUTH_URL ?? '', ...listed]
    .filter((o) => o !== '')
    .map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        return o.replace(/\/+$/, '');
      }
    });
  return [...new Set(origins)];
}

/** The origin a request was addressed to (`request.url`'s scheme, the Host header's host), or none without a Host. */
export function requestOriginOf(request: Request | undefined): string[] {
  // Better Auth passes what its caller gave it: on direct `auth.api` calls, possibly no Request at all.
  if (!request || typeof request.headers?.get !== 'function' || typeof request.url !== 'string') return [];
  const host = request.headers.get('host');
  if (!host) return [];
  try {
    return [new URL(`${new URL(request.url).protocol}//${host}`).origin];
  } catch {
    return [];
  }
}
