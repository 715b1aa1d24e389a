/**
 * Drizzle schema of the application database (PGlite embedded, or PostgreSQL when DATABASE_URL is
 * set). A run row records what was asked, how the run ended and the reduced result; the event log
 * itself lives in the run log backend, not here. Change it, then run `npm run db:generate`.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Where a run stands: `running` until its producer stops, then one of the final states. */
export const RUN_STATUSES = ['running', 'done', 'error', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * Why a run stopped. `interrupted` is written at start-up for runs a previous process left
 * `running` (it crashed or was killed before it could record the end).
 */
export const RUN_END_REASONS = [
  'complete',
  'error',
  'cancelled',
  'abandoned',
  'timeout',
  'shutdown',
  'interrupted',
] as const;
export type RunEndReason = (typeof RUN_END_REASONS)[number];

export const runs = pgTable(
  'runs',
  {
    /** The run id (a uuid), also the `corrId` of its envelopes. */
    id: text('id').primaryKey(),
    /** The producer: chat, grover, saturn, analysis, steer. */
    kind: text('kind').notNull(),
    model: text('model'),
    ownerId: text('owner_id'),
    input: jsonb('input').$type<unknown>().notNull(),
    // Plain text rather than a pg enum: adding a status or reason then needs no migration.
    status: text('status').$type<RunStatus>().notNull().default('running'),
    endReason: text('end_reason').$type<RunEndReason>(),
    /** JSON summary of the reduced result; partial output when the run did not complete. */
    result: jsonb('result').$type<unknown>(),
    metrics: jsonb('metrics').$type<unknown>(),
    error: jsonb('error').$type<unknown>(),
    /** The seq of the last envelope the run published. */
    lastSeq: integer('last_seq').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [
    // The history pages list one owner's runs, or one producer's, newest first.
    index('runs_owner_created_idx').on(t.ownerId, t.createdAt.desc()),
    index('runs_kind_created_idx').on(t.kind, t.createdAt.desc()),
    // markRunsInterrupted scans for rows still running; keep that cheap as the table grows.
    index('runs_running_idx').on(t.status).where(sql`${t.status} = 'running'`),
  ],
);

export type Run = typeof runs.$inferSelect;
export type NewRun = typeof runs.$inferInsert;

/**
 * One row per feature flag evaluated by our OpenFeature provider (`lib/flags`). The rules apply in
 * order: kill switch, the user's own choice, allowlist, percentage rollout, default. A flag with no
 * row evaluates with the built-in defaults of its definition.
 */
export const flagSettings = pgTable(
  'flag_settings',
  {
    /** The flag key, e.g. `streaming`. */
    key: text('key').primaryKey(),
    /** When on, the flag is off for everyone, whatever the other rules say. */
    killSwitch: boolean('kill_switch').notNull().default(false),
    /** Share of users (0-100) the flag is on for, by a stable hash of flag key and user id. */
    percentage: integer('percentage').notNull().default(0),
    /** User ids the flag is always on for (testers); admins count as listed. */
    allowlist: jsonb('allowlist').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** The value for users no other rule decides. */
    defaultValue: boolean('default_value').notNull().default(false),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('flag_settings_percentage_range', sql`${t.percentage} between 0 and 100`)],
);

export type FlagSettingsRow = typeof flagSettings.$inferSelect;

/** A user's own settings. A null choice means the user has not chosen: the flag's rules decide. */
export const userPreferences = pgTable('user_preferences', {
  userId: text('user_id').primaryKey(),
  /** Streaming on (true) or off (false) by the user's choice in Settings; null: no choice. */
  streaming: boolean('streaming'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type UserPreferencesRow = typeof userPreferences.$inferSelect;

/*
 * Accounts (Better Auth, `lib/auth`). Table and column names follow ours (plural, snake_case);
 * the property names are the field names Better Auth reads and writes through its Drizzle
 * adapter (`usePlural: true`). The `anonymous` plugin adds `is_anonymous`, the `admin` plugin
 * `role`, `banned`, `ban_reason`, `ban_expires` and `sessions.impersonated_by`.
 */

/** Roles of the `admin` plugin: `admin` may change feature flags. */
export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const users = pgTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Unique; an anonymous user's is a placeholder at a reserved domain. */
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  /** Made on a first visit, with no sign-up; replaced by a real account when the visitor signs up or in. */
  isAnonymous: boolean('is_anonymous').notNull().default(false),
  role: text('role').$type<UserRole>().notNull().default('user'),
  banned: boolean('banned').notNull().default(false),
  banReason: text('ban_reason'),
  banExpires: timestamp('ban_expires', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    /** The value of the session cookie (signed there). */
    token: text('token').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    impersonatedBy: text('impersonated_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

/** How a user signs in: `credential` (email and password, hashed in `password`) or a provider's account. */
export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    scope: text('scope'),
    password: text('password'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [index('accounts_user_id_idx').on(t.userId)],
);

/** Short-lived tokens (email verification, password reset). */
export const verifications = pgTable(
  'verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [index('verifications_identifier_idx').on(t.identifier)],
);

/**
 * Share links of saved runs (docs/security.md, "Saved runs and sharing"). A run is its owner's;
 * a share link is the owner's explicit exception: whoever holds the link's token may read that one
 * run (its input and saved result), without an account, until the owner revokes it. Only the
 * SHA-256 of the token is stored, so the table (a backup, a leaked dump) cannot open any link.
 */
export const runShares = pgTable(
  'run_shares',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    /** Hex SHA-256 of the token in the link; the token itself is shown once, to the owner. */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the owner revoked the link; a revoked link opens nothing. */
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('run_shares_run_id_idx').on(t.runId)],
);

export type RunShare = typeof runShares.$inferSelect;
