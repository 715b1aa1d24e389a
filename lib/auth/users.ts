/**
 * Queries on the accounts Better Auth keeps (`users`), for the admin pages: every user id (the
 * streaming share), lookups by id or email, and the ADMIN_EMAILS promotion.
 */
import 'server-only';

import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { getDb } from '../db/client';
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

/** Makes this user an admin if their email is one of `emails` (lower-case); returns whether it changed. */
export async function promoteUserIfAdminEmail({ userId, emails }: { userId: string; emails: ReadonlySet<string> }): Promise<boolean> {
  if (emails.size === 0) return false;
  const db = await getDb();
  const changed = await db
    .update(users)
    .set({ role: 'admin' })
    .where(
      and(
        eq(users.id, userId),
        ne(users.role, 'admin'),
        ne(users.isAnonymous, true),
        inArray(sql`lower(${users.email})`, [...emails]),
      ),
    )
    .returning({ id: users.id });
  return changed.length > 0;
}
