/**
 * The origins Better Auth trusts besides the request's own: BETTER_AUTH_URL and
 * BETTER_AUTH_TRUSTED_ORIGINS. (Our own routes refuse cross-site writes in the route wrapper,
 * `lib/http/origin.ts`.)
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
