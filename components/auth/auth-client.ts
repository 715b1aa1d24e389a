/**
 * The browser's Better Auth client (same origin, `/api/auth`), with the anonymous and admin
 * plugins' methods and the `isAnonymous` and `role` fields on the session's user.
 */
import { adminClient, anonymousClient } from 'better-auth/client/plugins';
import { createAuthClient } from 'better-auth/react';

export const authClient = createAuthClient({ plugins: [anonymousClient(), adminClient()] });

/** The session as `useSession` returns it. */
export type ClientSession = typeof authClient.$Infer.Session;

/** Whether the session's user is an admin (the admin plugin stores roles comma-separated). */
export function isAdminSession(session: ClientSession | null | undefined): boolean {
  return (session?.user.role ?? '').split(',').some((role) => role.trim() === 'admin');
}

/** Whether the session is a first-visit account without an email of its own. */
export function isAnonymousSession(session: ClientSession | null | undefined): boolean {
  return session?.user.isAnonymous === true;
}

/** A sentence a person can act on, for an error Better Auth answered with. */
export function describeAuthError(error: { code?: string | undefined; message?: string | undefined; status?: number }): string {
  switch (error.code) {
    case 'INVALID_EMAIL_OR_PASSWORD':
      return 'That email and password do not match an account. Check them, or create an account.';
    case 'USER_ALREADY_EXISTS':
    case 'USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL':
      return 'An account with this email already exists. Sign in instead.';
    case 'INVALID_EMAIL':
      return 'That does not look like an email address.';
    case 'PASSWORD_TOO_SHORT':
      return 'The password is too short: use at least 8 characters.';
    case 'PASSWORD_TOO_LONG':
      return 'The password is too long: use at most 128 characters.';
  }
  if (error.status === 429) return 'Too many attempts. Wait a few seconds and try again.';
  if (error.status !== undefined && error.status >= 500) return 'The server could not do that just now. Try again in a moment.';
  return error.message || 'Something went wrong. Try again.';
}
