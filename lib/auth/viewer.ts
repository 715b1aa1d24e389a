/**
 * Who is asking: the viewer of a request, read from its session cookie. Route handlers call
 * {@link getViewer} / {@link requireViewer} / {@link requireAdmin} with the `Request`; server
 * components pass `await headers()` (from `next/headers`) to {@link getViewerFromHeaders}.
 */
import 'server-only';

import { AppError } from '../errors';
import { getAuth } from './server';

export type ViewerRole = 'user' | 'admin';

export interface Viewer {
  userId: string;
  role: ViewerRole;
  /** An account made on a first visit, with no email of its own yet. */
  isAnonymous: boolean;
  /** The sign-in email; absent for anonymous viewers. */
  email?: string;
}

/** The viewer whose session cookie these headers carry, or `null` (no cookie, expired, revoked, banned). */
export async function getViewerFromHeaders(headers: Headers): Promise<Viewer | null> {
  if (!headers.get('cookie')) return null;
  const auth = await getAuth();
  const session = await auth.api.getSession({ headers, query: { disableCookieCache: true } });
  if (!session) return null;
  const { user } = session;
  const isAnonymous = user.isAnonymous === true;
  return {
    userId: user.id,
    role: roleOf(user.role),
    isAnonymous,
    ...(isAnonymous ? {} : { email: user.email }),
  };
}

/** The viewer of this request, or `null` when it carries no valid session. */
export function getViewer(request: Request): Promise<Viewer | null> {
  return getViewerFromHeaders(request.headers);
}

/** What a request without a valid session is told: how to get one, in a browser and from a script. */
export const NO_SESSION_MESSAGE =
  'No valid session (none was sent, or it expired or was revoked). In the browser, reload the page or sign in; from a script, POST /api/auth/sign-in/anonymous (or sign in) and send the cookie it sets.';

/** The viewer of this request; throws `unauthorized:session` (401) when there is none. */
export async function requireViewer(request: Request): Promise<Viewer> {
  const viewer = await getViewer(request);
  if (!viewer) throw new AppError('unauthorized:session', NO_SESSION_MESSAGE);
  return viewer;
}

/** The viewer of this request if an admin; 401 without a session, 403 `forbidden:role` otherwise. */
export async function requireAdmin(request: Request): Promise<Viewer> {
  const viewer = await requireViewer(request);
  if (viewer.role !== 'admin') throw new AppError('forbidden:role', 'Only admins may do this.');
  return viewer;
}

/** A stored role as a viewer role: anything but `admin` (including a comma list without it) is `user`. */
export function roleOf(role: string | null | undefined): ViewerRole {
  return (role ?? '')
    .split(',')
    .map((r) => r.trim())
    .includes('admin')
    ? 'admin'
    : 'user';
}
