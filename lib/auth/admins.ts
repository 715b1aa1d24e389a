/** ADMIN_EMAILS: the accounts made admins when they sign up (and confirmed at each sign-in). */

/** The listed emails, trimmed and lower-cased; blanks dropped. */
export function parseAdminEmails(raw: string | undefined): ReadonlySet<string> {
  return new Set(
    (raw ?? '')
      .split(',')
      .map((email) => email.trim().toLowerCase())
      .filter((email) => email !== ''),
  );
}

/** Whether this email is one of the admin emails (case-insensitive). */
export function isAdminEmail(adminEmails: ReadonlySet<string>, email: string | null | undefined): boolean {
  return !!email && adminEmails.has(email.trim().toLowerCase());
}
