/**
 * The Better Auth instance: email and password accounts, the `anonymous` plugin (a first visit
 * gets an account with no sign-up; signing up or in later replaces it and takes its runs along,
 * the saved rows and the live copies of runs still going),
 * and the `admin` plugin for roles (`user`, `admin`). Every account starts as a `user`; only the
 * operator makes admins (`npm run admin -- grant EMAIL`, scripts/admin.ts), since emails are not
 * verified and signing up with an address proves nothing. Stored through the
 * Drizzle adapter on the app's own database (`lib/db`), in the `users`, `sessions`, `accounts`
 * and `verifications` tables.
 */
import 'server-only';

import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { admin, anonymous } from 'better-auth/plugins';
import { getConfig, type Config } from '../config';
import { getDb, type Database } from '../db/client';
import { transferUserData } from '../db/ownership';
import { CLIENT_ADDRESS_HEADER } from '../limits/clientKey';
import { accounts, sessions, users, verifications } from '../db/schema';
import { requestOriginOf, trustedOriginsOf } from './origins';
import { authSecretOptionsOf, resolveAuthSecret } from './secret';

/** Where the auth API is mounted (`app/api/auth/[...all]/route.ts`). */
export const AUTH_BASE_PATH = '/api/auth';

/** Sessions last a week, renewed (sliding) at most once a day while in use. */
const SESSION_EXPIRES_IN_S = 7 * 24 * 60 * 60;
const SESSION_UPDATE_AGE_S = 24 * 60 * 60;

export interface CreateAuthOptions {
  db: Database;
  config: Config;
  secret: string;
  /** `production` makes cookies Secure when BETTER_AUTH_URL does not say otherwise. */
  nodeEnv?: string | undefined;
}

/** A Better Auth instance over `db`. Most code wants the process-wide {@link getAuth}. */
export function createAuth({ db, config, secret, nodeEnv = process.env.NODE_ENV }: CreateAuthOptions) {
  const secureCookies = config.BETTER_AUTH_URL ? config.BETTER_AUTH_URL.startsWith('https://') : nodeEnv === 'production';
  return betterAuth({
    appName: 'StreamConsole',
    secret,
    // Unset: taken from each request (the app serves its own pages, so that origin is the one).
    ...(config.BETTER_AUTH_URL ? { baseURL: config.BETTER_AUTH_URL } : {}),
    basePath: AUTH_BASE_PATH,
    // The request's own origin too: see lib/auth/origins.ts for why Better Auth's own guess is not enough.
    trustedOrigins: (request) => [...trustedOriginsOf(config), ...requestOriginOf(request)],
    database: drizzleAdapter(db, {
      provider: 'pg',
      usePlural: true,
      schema: { users, sessions, accounts, verifications },
    }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: 8, maxPasswordLength: 128 },
    session: { expiresIn: SESSION_EXPIRES_IN_S, updateAge: SESSION_UPDATE_AGE_S },
    advanced: {
      useSecureCookies: secureCookies,
      defaultCookieAttributes: { sameSite: 'lax', httpOnly: true, secure: secureCookies },
      cookiePrefix: 'streamconsole',
      // Only the address the auth route sets from the socket and TRUSTED_PROXY_HOPS: Better Auth's
      // default, X-Forwarded-For, is whatever the client writes (lib/limits/clientKey.ts).
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    rateLimit: {
      // Better Auth's default for /sign-in/* is 3 per 10 s per client address; behind a proxy not
      // counted in TRUSTED_PROXY_HOPS every client shares one address, and each first visit signs in anonymously.
      customRules: { '/sign-in/anonymous': { window: 10, max: config.AUTH_ANONYMOUS_SIGNINS_PER_10S } },
    },
    telemetry: { enabled: false },
    plugins: [
      anonymous({
        onLinkAccount: async ({ anonymousUser, newUser }) => {
          const { runIds } = await transferUserData({ fromUserId: anonymousUser.user.id, toUserId: newUser.user.id });
          // Imported here: the registry pulls in every producer, which the auth module does not need until now.
          const { reownLiveRuns } = await import('../runs/registry');
          await reownLiveRuns({ ids: runIds, toUserId: newUser.user.id });
        },
      }),
      admin({ defaultRole: 'user', adminRoles: ['admin'] }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

// On globalThis for the reason lib/db/client.ts gives; rebuilt when the database is reopened
// (tests close it between files).
const globalForAuth = globalThis as typeof globalThis & { __streamConsoleAuth?: { db: Database; auth: Promise<Auth> } };

/** The process-wide auth instance over {@link getDb}'s database, made at the first call. */
export async function getAuth(): Promise<Auth> {
  const db = await getDb();
  const cached = globalForAuth.__streamConsoleAuth;
  if (cached && cached.db === db) return cached.auth;
  const config = getConfig();
  const auth = resolveAuthSecret(authSecretOptionsOf(config)).then((secret) => createAuth({ db, config, secret }));
  globalForAuth.__streamConsoleAuth = { db, auth };
  auth.catch(() => {
    if (globalForAuth.__streamConsoleAuth?.auth === auth) globalForAuth.__streamConsoleAuth = undefined;
  });
  return auth;
}

/** Forgets the process-wide instance (tests that change the configuration). */
export function resetAuth(): void {
  globalForAuth.__streamConsoleAuth = undefined;
}
