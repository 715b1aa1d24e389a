/**
 * Queries on the accounts Better Auth keeps (`users`), for the admin pages: every user id (the
 * streaming share), lookups by id or email, and the operator's role grants (scripts/admin.ts).
 */
import 'server-only';

import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { getDb } from '../db/client';
import { AppError } from '../errors';
import { users, type UserRole } from '../db/schema';

/** What the admin pages show of a user. */
export interface UserSummary {
  id: string;
  /** `null` for anonymous users (theirs is a placeholder). */
  email: string | null;
  role: UserRole;
  isAnonymous: boolean;
  createdAt: Date;
}

const summaryColumns = {
  id: users.id,
  email: users.email,
  role: users.role,
  isAnonymous: users.isAnonymous,
  createdAt: users.createdAt,
};

function toSummary(row: { id: string; email: string; role: UserRole; isAnonymous: boolean; createdAt: Date }): UserSummary {
  return { ...row, email: row.isAnonymous ? null : row.email };
}

// PostgreSQL takes at most 65,535 bind parameters per statement; stay far below it.
const IDS_PER_QUERY = 1_000;

/** Every user id, oldest account first. */
export async function listUserIds(): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select({ id: users.id }).from(users).orderBy(asc(users.createdAt), asc(users.id));
  return rows.map((r) => r.id);
}

/** The users with these ids (unknown ids are simply absent). */
export async function listUsersByIds({ ids }: { ids: readonly string[] }): Promise<UserSummary[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const db = await getDb();
  const found: UserSummary[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const chunk = unique.slice(i, i + IDS_PER_QUERY);
    const rows = await db.select(summaryColumns).from(users).where(inArray(users.id, chunk));
    found.push(...rows.map(toSummary));
  }
  return found;
}

/** One user, or `null`. */
export async function getUserSummaryById({ id }: { id: string }): Promise<UserSummary | null> {
  const [user] = await listUsersByIds({ ids: [id] });
  return user ?? null;
}

/** The users with these emails, compared case-insensitively (anonymous placeholders never match). */
export async function listUsersByEmails({ emails }: { emails: readonly string[] }): Promise<UserSummary[]> {
  const unique = [...new Set(emails.map((e) => e.trim().toLowerCase()).filter((e) => e !== ''))];
  if (unique.length === 0) return [];
  const db = await getDb();
  const found: UserSummary[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const chunk = unique.slice(i, i + IDS_PER_QUERY);
    const rows = await db
      .select(summaryColumns)
      .from(users)
      .where(and(inArray(sql`lower(${users.email})`, chunk), ne(users.isAnonymous, true)));
    found.push(...rows.map(toSummary));
  }
  return found;
}

/**
 * Gives the account with this email (case-insensitive; never an anonymous one) the role `role`;
 * throws `not_found:user` when there is none. The operator's tool (scripts/admin.ts) calls it:
 * no request can.
 */
export async function setUserRoleByEmailOrThrow({ email, role }: { email: string; role: UserRole }): Promise<UserSummary> {
  const db = await getDb();
  const [changed] = await db
    .update(users)
    .set({ role })
    .where(and(eq(sql`lower(${users.email})`, email.trim().toLowerCase()), ne(users.isAnonymous, true)))
    .returning(summaryColumns);
  if (!changed) throw new AppError('not_found:user', `No account has the email ${email.trim()}: sign up with it first.`);
  return toSummary(changed);
}

/** The admins, oldest account first. */
export async function listAdmins(): Promise<UserSummary[]> {
  const db = await getDb();
  const rows = await db.select(summaryColumns).from(users).where(eq(users.role, 'admin')).orderBy(asc(users.createdAt), asc(users.id));
  return rows.map(toSummary);
}
