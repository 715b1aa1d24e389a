/**
 * The `streaming` flag where it meets accounts: a viewer's own evaluation and choice (Settings),
 * and the admin side: allowlist entries typed as emails resolved to user ids, the share of all
 * users who get streaming, and why one user gets what they get.
 */
import 'server-only';

import { z } from 'zod';
import { getUserPreferencesByUserId } from '../db/flags';
import { AppError } from '../errors';
import {
  evaluateStreaming,
  flagSettingsPatchSchema,
  getFlagSettings,
  setFlagSettings,
  setUserStreamingPreference,
  shareOfUsersStreaming,
  type StreamingEvaluation,
  type StreamingShare,
} from '../flags';
import type { FlagSettings } from '../flags';
import { getUserSummaryById, listUserIds, listUsersByEmails, listUsersByIds, type UserSummary } from './users';
import { roleOf, type Viewer } from './viewer';

/** An allowlisted user id, with what is known of its account. */
export interface AllowlistEntry {
  userId: string;
  /** `null` for anonymous users and for ids with no account (yet). */
  email: string | null;
  /** Whether an account with this id exists. */
  known: boolean;
  isAnonymous: boolean;
}

export interface AdminFlagState {
  settings: FlagSettings;
  allowlist: AllowlistEntry[];
}

/**
 * The body of `PUT /api/admin/flags`: the flag settings patch, with allowlist entries that are
 * user ids or emails (an entry with `@` is an email).
 */
export const adminFlagsPatchSchema = flagSettingsPatchSchema;
export type AdminFlagsPatch = z.infer<typeof adminFlagsPatchSchema>;

/** The streaming flag's settings, its allowlist described. */
export async function getAdminFlagState(): Promise<AdminFlagState> {
  const settings = await getFlagSettings();
  return { settings, allowlist: await describeAllowlist({ userIds: settings.allowlist }) };
}

/** Changes the streaming flag's settings (allowlist emails resolved to ids) and returns the new state. */
export async function updateAdminFlagState(patch: AdminFlagsPatch): Promise<AdminFlagState> {
  const allowlist = patch.allowlist === undefined ? undefined : await resolveAllowlistEntries({ entries: patch.allowlist });
  const settings = await setFlagSettings({ ...patch, ...(allowlist === undefined ? {} : { allowlist }) });
  return { settings, allowlist: await describeAllowlist({ userIds: settings.allowlist }) };
}

/**
 * User ids for allowlist entries: ids as given, emails (entries with `@`) looked up. Throws a 400
 * naming every email with no account.
 */
export async function resolveAllowlistEntries({ entries }: { entries: readonly string[] }): Promise<string[]> {
  const trimmed = entries.map((e) => e.trim()).filter((e) => e !== '');
  const emails = trimmed.filter((e) => e.includes('@'));
  const found = await listUsersByEmails({ emails });
  const idByEmail = new Map(found.map((u) => [u.email!.toLowerCase(), u.id]));
  const unknown = emails.filter((e) => !idByEmail.has(e.toLowerCase()));
  if (unknown.length > 0) {
    throw new AppError('bad_request:input', `No account has the email ${unknown.join(', ')}.`, {
      fieldErrors: unknown.map((email) => ({ path: `allowlist.${trimmed.indexOf(email)}`, message: `No account has the email ${email}` })),
    });
  }
  return [...new Set(trimmed.map((e) => (e.includes('@') ? idByEmail.get(e.toLowerCase())! : e)))];
}

/** Each allowlisted id with its account's email, in the allowlist's order. */
export async function describeAllowlist({ userIds }: { userIds: readonly string[] }): Promise<AllowlistEntry[]> {
  const byId = new Map((await listUsersByIds({ ids: userIds })).map((u) => [u.id, u]));
  return userIds.map((userId) => {
    const user = byId.get(userId);
    return { userId, email: user?.email ?? null, known: user !== undefined, isAnonymous: user?.isAnonymous ?? false };
  });
}

/** The share of every user in the database (anonymous ones included) who gets streaming now. */
export async function getStreamingShareOfAllUsers(): Promise<StreamingShare> {
  return shareOfUsersStreaming({ userIds: await listUserIds() });
}

export interface StreamingExplanation {
  /** The account, or `null` when no user has this id (the rules still apply to the id). */
  user: UserSummary | null;
  /** The user's own choice in Settings; `null` when none. */
  preference: boolean | null;
  evaluation: StreamingEvaluation;
}

/** How the streaming flag evaluates for one user (by id, or by email) and why. */
export async function explainStreaming(who: { userId: string } | { email: string }): Promise<StreamingExplanation> {
  let user: UserSummary | null;
  let userId: string;
  if ('email' in who) {
    [user = null] = await listUsersByEmails({ emails: [who.email] });
    if (!user) throw new AppError('bad_request:input', `No account has the email ${who.email}.`, { fieldErrors: [{ path: 'email', message: 'No such account' }] });
    userId = user.id;
  } else {
    userId = who.userId;
    user = await getUserSummaryById({ id: userId });
  }
  const [evaluation, preferences] = await Promise.all([
    evaluateStreaming({ userId, ...(user ? { role: roleOf(user.role) } : {}) }),
    getUserPreferencesByUserId({ userId }),
  ]);
  return { user, preference: preferences?.streaming ?? null, evaluation };
}

export interface ViewerStreaming {
  /** The viewer's own choice: on, off, or `null` (follow the rollout). */
  preference: boolean | null;
  evaluation: StreamingEvaluation;
}

/** What the viewer chose and what they get (Settings). */
export async function getViewerStreaming({ viewer }: { viewer: Viewer }): Promise<ViewerStreaming> {
  const [evaluation, preferences] = await Promise.all([
    evaluateStreaming({ userId: viewer.userId, role: viewer.role }),
    getUserPreferencesByUserId({ userId: viewer.userId }),
  ]);
  return { preference: preferences?.streaming ?? null, evaluation };
}

/** The body of `PUT /api/me/preferences`. */
export const viewerPreferencesSchema = z.strictObject({
  /** `true` on, `false` off, `null` follow the rollout. */
  streaming: z.boolean().nullable(),
});

/** Saves the viewer's streaming choice and returns what they now get. */
export async function setViewerStreaming({ viewer, streaming }: { viewer: Viewer; streaming: boolean | null }): Promise<ViewerStreaming> {
  await setUserStreamingPreference({ userId: viewer.userId, streaming });
  return getViewerStreaming({ viewer });
}
